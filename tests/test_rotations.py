import featomic
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutorial_helpers.dataset import grid_positions
from tutorial_helpers.rotations import (
    L_MAX,
    cartesian_to_spherical_l1,
    improper_rotation_matrix,
    inversion_matrix,
    matrix_to_angles,
    random_angles,
    random_rotation_matrix,
    rotation_matrix,
    spherical_to_cartesian_l1,
    wigner_d_real,
)
from tutorial_helpers.spherical import real_spherical_harmonics

angles = st.tuples(
    st.floats(-2 * np.pi, 2 * np.pi),
    st.floats(0, np.pi),
    st.floats(-2 * np.pi, 2 * np.pi),
)


@settings(max_examples=50)
@given(angles)
def test_rotation_matrices_are_orthogonal_with_det_one(abg):
    R = rotation_matrix(*abg)
    np.testing.assert_allclose(R.T @ R, np.eye(3), atol=1e-14)
    assert np.linalg.det(R) == pytest.approx(1.0, abs=1e-14)


def test_rotation_matrix_is_zyz_intrinsic():
    def rz(t):
        return np.array(
            [[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]]
        )

    def ry(t):
        return np.array(
            [[np.cos(t), 0, np.sin(t)], [0, 1, 0], [-np.sin(t), 0, np.cos(t)]]
        )

    a, b, g = 0.3, 1.1, -2.0
    np.testing.assert_allclose(
        rotation_matrix(a, b, g), rz(a) @ ry(b) @ rz(g), atol=1e-15
    )


def test_rotation_matrix_is_vectorised():
    alpha, beta, gamma = random_angles(12, seed=0)
    R = rotation_matrix(alpha.reshape(3, 4), beta.reshape(3, 4), gamma.reshape(3, 4))
    assert R.shape == (3, 4, 3, 3)
    np.testing.assert_allclose(R[1, 2], rotation_matrix(alpha[6], beta[6], gamma[6]))


@settings(max_examples=50)
@given(angles)
def test_angles_matrix_angles_round_trip(abg):
    R = rotation_matrix(*abg)
    np.testing.assert_allclose(rotation_matrix(*matrix_to_angles(R)), R, atol=1e-12)


@pytest.mark.parametrize("beta", [0.0, np.pi])
def test_gimbal_lock_gives_gamma_zero_and_the_same_rotation(beta):
    R = rotation_matrix(0.7, beta, 0.4)
    alpha, beta_back, gamma = matrix_to_angles(R)
    assert gamma == 0.0
    assert beta_back == pytest.approx(beta, abs=1e-12)
    np.testing.assert_allclose(rotation_matrix(alpha, beta_back, gamma), R, atol=1e-14)
    # at beta = 0 only alpha + gamma matters, at beta = pi only alpha - gamma
    expected = 0.7 + 0.4 if beta == 0.0 else 0.7 - 0.4
    assert alpha == pytest.approx(expected, abs=1e-12)


def test_matrix_to_angles_rejects_a_non_rotation():
    with pytest.raises(ValueError, match="not a proper rotation"):
        matrix_to_angles(inversion_matrix())
    with pytest.raises(ValueError, match="not orthogonal"):
        matrix_to_angles(np.ones((3, 3)))


def test_random_rotations_are_seeded_and_uniform():
    np.testing.assert_array_equal(
        random_rotation_matrix(5, 3), random_rotation_matrix(5, 3)
    )
    R = random_rotation_matrix(20000, seed=1)
    # for Haar-random rotations every matrix element has mean 0 and variance 1/3
    np.testing.assert_allclose(R.mean(axis=0), 0.0, atol=0.02)
    np.testing.assert_allclose((R**2).mean(axis=0), 1 / 3, atol=0.02)


def test_improper_rotations_have_det_minus_one():
    P = improper_rotation_matrix(*random_angles(10, seed=2))
    np.testing.assert_allclose(np.linalg.det(P), -1.0)
    np.testing.assert_allclose(
        P, inversion_matrix() @ rotation_matrix(*random_angles(10, seed=2))
    )


def test_l1_reordering_round_trip():
    v = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(cartesian_to_spherical_l1(v), v[:, [1, 2, 0]])
    np.testing.assert_array_equal(
        spherical_to_cartesian_l1(cartesian_to_spherical_l1(v)), v
    )


def test_wigner_d_for_l1_is_the_permuted_rotation_matrix():
    abg = random_angles(20, seed=4)
    R = rotation_matrix(*abg)
    perm = [1, 2, 0]
    np.testing.assert_allclose(
        wigner_d_real(1, *abg), R[:, perm][:, :, perm], atol=1e-14
    )


def test_wigner_d_for_l0_is_one():
    np.testing.assert_allclose(
        wigner_d_real(0, *random_angles(3, seed=5)), np.ones((3, 1, 1))
    )


@pytest.mark.parametrize("l", range(9))
def test_wigner_d_is_orthogonal_and_a_homomorphism(l):
    abg1, abg2 = random_angles(10, seed=10 + l), random_angles(10, seed=30 + l)
    D1, D2 = wigner_d_real(l, *abg1), wigner_d_real(l, *abg2)
    product = matrix_to_angles(rotation_matrix(*abg1) @ rotation_matrix(*abg2))
    np.testing.assert_allclose(wigner_d_real(l, *product), D1 @ D2, atol=1e-12)
    np.testing.assert_allclose(
        D1 @ np.swapaxes(D1, -1, -2),
        np.broadcast_to(np.eye(2 * l + 1), D1.shape),
        atol=1e-12,
    )


@pytest.mark.parametrize("bad", [-1, 1.5, "2", True])
def test_wigner_d_rejects_a_bad_degree(bad):
    with pytest.raises(ValueError, match="l must be a non-negative integer"):
        wigner_d_real(bad, 0.0, 0.0, 0.0)


def test_wigner_d_at_the_largest_supported_degree_is_still_orthogonal():
    # beta near 0, pi/2 and pi, where the formula's cancellations differ, and random
    alpha, beta, gamma = random_angles(500, seed=11)
    beta = np.concatenate([beta, [1e-9, np.pi / 2, np.pi - 1e-9, np.pi]])
    alpha, gamma = np.resize(alpha, beta.shape), np.resize(gamma, beta.shape)
    D = wigner_d_real(L_MAX, alpha, beta, gamma)
    identity = np.broadcast_to(np.eye(2 * L_MAX + 1), D.shape)
    np.testing.assert_allclose(D @ np.swapaxes(D, -1, -2), identity, atol=1e-10)


@pytest.mark.parametrize("function", ["wigner_d_real", "real_spherical_harmonics"])
def test_degrees_beyond_the_largest_supported_one_are_refused(function):
    with pytest.raises(ValueError, match=rf"l = {L_MAX + 1} is larger than L_MAX"):
        if function == "wigner_d_real":
            wigner_d_real(L_MAX + 1, 0.0, 0.0, 0.0)
        else:
            real_spherical_harmonics(L_MAX + 1, np.ones((1, 3)))
    with pytest.raises(ValueError, match="l = 200 is larger than L_MAX"):
        wigner_d_real(200, 0.1, 0.2, 0.3)


def test_rotations_reject_non_finite_angles():
    with pytest.raises(ValueError, match="beta contains non-finite"):
        rotation_matrix(0.0, np.nan, 0.0)


def test_wigner_d_rotates_featomic_spherical_expansion_for_every_lambda():
    import ase

    positions = grid_positions(0.95, 1.05, 100.0)[0] + [0.1, -0.2, 0.3]
    positions[1, 2] += (
        0.2  # leave the plane, so that no coefficient vanishes by symmetry
    )
    abg = random_angles(3, seed=11)
    R = rotation_matrix(*abg)
    structures = [positions] + [positions @ R[k].T for k in range(3)]
    frames = [ase.Atoms("OH2", positions=p, pbc=False) for p in structures]
    calculator = featomic.SphericalExpansion(
        cutoff={"radius": 4.0, "smoothing": {"type": "ShiftedCosine", "width": 0.5}},
        density={"type": "Gaussian", "width": 0.3},
        basis={
            "type": "TensorProduct",
            "max_angular": 6,
            "radial": {"type": "Gto", "max_radial": 3},
        },
    )
    expansion = calculator.compute(frames)
    checked = set()
    for key, block in expansion.items():
        lam = int(key["o3_lambda"])
        system = block.samples.column("system")
        values = block.values
        original = values[system == 0]
        for k in range(3):
            expected = np.einsum(
                "mn,snp->smp", wigner_d_real(lam, *[x[k] for x in abg]), original
            )
            np.testing.assert_allclose(values[system == k + 1], expected, atol=1e-10)
        if np.abs(original).max() > 1e-6:  # the self-term of O-O is lambda = 0 only
            checked.add(lam)
    assert checked == set(range(7))
