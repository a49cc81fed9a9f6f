import numpy as np
import pytest
from scipy.linalg import block_diag

from tutorial_helpers.rotations import random_angles, rotation_matrix, wigner_d_real
from tutorial_helpers.spherical import (
    dipole_tensor,
    rank2_change_of_basis,
    rank2_to_spherical,
    real_spherical_harmonics,
    spherical_to_rank2,
)

RNG = np.random.default_rng(3)


def test_l1_harmonics_are_yzx_with_positive_signs():
    v = RNG.normal(size=(10, 3))
    unit = v / np.linalg.norm(v, axis=1, keepdims=True)
    np.testing.assert_allclose(
        real_spherical_harmonics(1, v), np.sqrt(3 / (4 * np.pi)) * unit[:, [1, 2, 0]]
    )


@pytest.mark.parametrize("l", range(7))
def test_harmonics_are_orthonormal_on_the_sphere(l):
    # Monte Carlo on 200 000 uniform points: orthonormal to about 1 %
    v = np.random.default_rng(l).normal(size=(200_000, 3))
    Y = real_spherical_harmonics(l, v)
    gram = 4 * np.pi * Y.T @ Y / len(v)
    np.testing.assert_allclose(gram, np.eye(2 * l + 1), atol=0.05)


@pytest.mark.parametrize("l", range(7))
def test_harmonics_rotate_with_the_wigner_d_matrix(l):
    v = RNG.normal(size=(5, 3))
    abg = random_angles(4, seed=l)
    R, D = rotation_matrix(*abg), wigner_d_real(l, *abg)
    for k in range(4):
        np.testing.assert_allclose(
            real_spherical_harmonics(l, v @ R[k].T),
            real_spherical_harmonics(l, v) @ D[k].T,
            atol=1e-12,
        )


def test_rank2_change_of_basis_block_diagonalises_r_kron_r():
    C = rank2_change_of_basis()
    abg = random_angles(5, seed=8)
    R = rotation_matrix(*abg)
    for k in range(5):
        D = [wigner_d_real(lam, *[a[k] for a in abg]) for lam in range(3)]
        np.testing.assert_allclose(
            C @ np.kron(R[k], R[k]) @ C.T, block_diag(*D), atol=1e-12
        )


def test_rank2_round_trip_and_the_meaning_of_each_part():
    T = RNG.normal(size=(6, 3, 3))
    parts = rank2_to_spherical(T)
    assert [parts[lam].shape for lam in range(3)] == [(6, 1), (6, 3), (6, 5)]
    np.testing.assert_allclose(spherical_to_rank2(parts), T, atol=1e-13)
    # lambda = 0 is the trace, lambda = 1 the antisymmetric part
    np.testing.assert_allclose(
        np.abs(parts[0][:, 0]), np.abs(np.trace(T, axis1=1, axis2=2)) / np.sqrt(3)
    )
    symmetric = rank2_to_spherical(T + np.swapaxes(T, 1, 2))
    np.testing.assert_allclose(symmetric[1], 0.0, atol=1e-13)
    traceless = T - np.trace(T, axis1=1, axis2=2)[:, None, None] * np.eye(3) / 3
    np.testing.assert_allclose(rank2_to_spherical(traceless)[0], 0.0, atol=1e-13)


def test_dipole_tensor_is_mu_mu_plus_its_squared_norm_times_one():
    mu = np.array([1.0, 2.0, 2.0])  # |mu|^2 = 9
    expected = np.outer(mu, mu) + 9.0 * np.eye(3)
    np.testing.assert_allclose(dipole_tensor(mu), expected)
    np.testing.assert_allclose(dipole_tensor(mu[None, None]), expected[None, None])


def test_dipole_tensor_rotates_with_its_dipole_and_has_no_lambda1_part():
    mu = RNG.normal(size=(7, 3))
    R = rotation_matrix(*random_angles(7, seed=4))
    np.testing.assert_allclose(
        dipole_tensor(np.einsum("nij,nj->ni", R, mu)),
        R @ dipole_tensor(mu) @ np.swapaxes(R, 1, 2),
        atol=1e-12,
    )
    Y = dipole_tensor(mu)
    np.testing.assert_allclose(
        np.trace(Y, axis1=1, axis2=2), 4 * np.sum(mu**2, axis=1), rtol=1e-12
    )
    np.testing.assert_allclose(rank2_to_spherical(Y)[1], 0.0, atol=1e-13)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: real_spherical_harmonics(-1, np.ones((1, 3))), "non-negative integer"),
        (lambda: real_spherical_harmonics(1, np.zeros((1, 3))), "non-zero"),
        (lambda: real_spherical_harmonics(1, np.ones(3)), "shape"),
        (lambda: rank2_to_spherical(np.ones((3, 3))), "shape"),
        (lambda: spherical_to_rank2({0: np.ones((1, 1))}), "keys 0, 1 and 2"),
        (
            lambda: dipole_tensor(np.ones((4, 2))),
            r"dipoles must have shape \(\.\.\., 3\)",
        ),
        (lambda: dipole_tensor(1.0), "dipoles must have shape"),
        (lambda: dipole_tensor([np.nan, 0.0, 0.0]), "finite"),
    ],
)
def test_bad_input_is_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
