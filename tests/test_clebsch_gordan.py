import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutorial_helpers.clebsch_gordan import (
    complex_clebsch_gordan,
    complex_to_real,
    coupled_product,
    real_clebsch_gordan,
)
from tutorial_helpers.rotations import XYZ_TO_SPHERICAL, random_angles, wigner_d_real

L_TESTED = 5


def all_lambdas(l1, l2):
    return range(abs(l1 - l2), l1 + l2 + 1)


def stacked(coefficients, l1, l2):
    """The ((2 l1 + 1)(2 l2 + 1))² matrix whose columns are every (λ, m)."""
    size = (2 * l1 + 1) * (2 * l2 + 1)
    return np.concatenate(
        [coefficients(l1, l2, lam).reshape(size, -1) for lam in all_lambdas(l1, l2)],
        axis=1,
    )


# complex coefficients (Condon–Shortley)


@pytest.mark.parametrize(
    "l1, m1, l2, m2, lam, m, value",
    [
        (1, 0, 1, 0, 0, 0, -1 / math.sqrt(3)),
        (1, 1, 1, -1, 0, 0, 1 / math.sqrt(3)),
        (1, 1, 1, 0, 1, 1, 1 / math.sqrt(2)),
        (1, 0, 1, 1, 1, 1, -1 / math.sqrt(2)),
        (1, 0, 1, 0, 2, 0, math.sqrt(2 / 3)),
        (2, 1, 1, -1, 1, 0, math.sqrt(3 / 10)),
        (3, 3, 2, 2, 5, 5, 1.0),
    ],
)
def test_complex_coefficients_have_their_textbook_values(l1, m1, l2, m2, lam, m, value):
    C = complex_clebsch_gordan(l1, l2, lam)
    assert C[m1 + l1, m2 + l2, m + lam] == pytest.approx(value, abs=1e-15)


def test_complex_coefficients_vanish_unless_m1_plus_m2_is_m():
    C = complex_clebsch_gordan(3, 2, 2)
    m1, m2, m = np.meshgrid(
        np.arange(-3, 4), np.arange(-2, 3), np.arange(-2, 3), indexing="ij"
    )
    assert np.all(C[m1 + m2 != m] == 0)
    assert np.any(C[m1 + m2 == m] != 0)


@pytest.mark.parametrize("l1", range(L_TESTED))
@pytest.mark.parametrize("l2", range(L_TESTED))
def test_complex_coefficients_over_all_lambdas_form_an_orthogonal_matrix(l1, l2):
    Q = stacked(complex_clebsch_gordan, l1, l2)
    np.testing.assert_allclose(Q.T @ Q, np.eye(len(Q)), atol=1e-14)


@pytest.mark.parametrize("l1, l2", [(1, 1), (2, 1), (3, 2), (4, 4)])
def test_swapping_the_two_factors_multiplies_by_minus_one_to_l1_plus_l2_minus_lam(
    l1, l2
):
    for lam in all_lambdas(l1, l2):
        swapped = complex_clebsch_gordan(l2, l1, lam).transpose(1, 0, 2)
        sign = (-1) ** (l1 + l2 - lam)
        np.testing.assert_allclose(
            swapped, sign * complex_clebsch_gordan(l1, l2, lam), atol=1e-15
        )


def test_complex_coefficients_stay_accurate_at_high_degree():
    # Racah's sum alternates in sign; it is done in exact fractions here
    Q = stacked(complex_clebsch_gordan, 12, 10)
    np.testing.assert_allclose(Q.T @ Q, np.eye(len(Q)), atol=1e-13)


# the change of basis to real spherical harmonics


@pytest.mark.parametrize("l", range(8))
def test_change_of_basis_is_unitary(l):
    U = complex_to_real(l)
    assert U.shape == (2 * l + 1, 2 * l + 1)
    np.testing.assert_allclose(U @ U.conj().T, np.eye(2 * l + 1), atol=1e-15)


def test_change_of_basis_makes_l1_harmonics_proportional_to_y_z_x():
    # complex l = 1 harmonics with the Condon–Shortley phase, at unit vectors
    rng = np.random.default_rng(0)
    v = rng.normal(size=(10, 3))
    x, y, z = (v / np.linalg.norm(v, axis=1, keepdims=True)).T
    complex_y1 = np.sqrt(3 / (4 * np.pi)) * np.stack(
        [(x - 1j * y) / np.sqrt(2), z, -(x + 1j * y) / np.sqrt(2)], axis=1
    )
    real_y1 = complex_y1 @ complex_to_real(1).T
    expected = np.sqrt(3 / (4 * np.pi)) * np.stack([y, z, x], axis=1)
    np.testing.assert_allclose(real_y1, expected, atol=1e-15)


def test_change_of_basis_is_a_copy():
    complex_to_real(2)[0, 0] = 99
    assert complex_to_real(2)[0, 0] != 99


# real coefficients


@pytest.mark.parametrize("l1", range(L_TESTED))
@pytest.mark.parametrize("l2", range(L_TESTED))
def test_real_coefficients_over_all_lambdas_form_a_real_orthogonal_matrix(l1, l2):
    Q = stacked(real_clebsch_gordan, l1, l2)
    assert Q.dtype == np.float64
    np.testing.assert_allclose(Q.T @ Q, np.eye(len(Q)), atol=1e-14)


@settings(max_examples=60)
@given(
    l1=st.integers(0, L_TESTED),
    l2=st.integers(0, L_TESTED),
    pick=st.integers(0, 2 * L_TESTED),
    seed=st.integers(0, 2**32 - 1),
)
def test_coupled_tensors_rotate_with_the_wigner_matrix_of_lambda(l1, l2, pick, seed):
    lam = abs(l1 - l2) + pick % (2 * min(l1, l2) + 1)
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=2 * l1 + 1), rng.normal(size=2 * l2 + 1)
    angles = [angle[0] for angle in random_angles(1, seed=rng)]
    D1, D2, D = (wigner_d_real(l, *angles) for l in (l1, l2, lam))
    C = real_clebsch_gordan(l1, l2, lam)

    coupled = np.einsum("i,j,ijm->m", a, b, C)
    coupled_rotated = np.einsum("i,j,ijm->m", D1 @ a, D2 @ b, C)
    np.testing.assert_allclose(coupled_rotated, D @ coupled, atol=1e-13)


def test_two_vectors_couple_into_dot_product_cross_product_and_traceless_part():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=3), rng.normal(size=3)
    a_s, b_s = a[XYZ_TO_SPHERICAL], b[XYZ_TO_SPHERICAL]

    def couple(lam):
        return np.einsum("i,j,ijm->m", a_s, b_s, real_clebsch_gordan(1, 1, lam))

    np.testing.assert_allclose(couple(0), [-a @ b / np.sqrt(3)], atol=1e-15)
    cross = np.cross(a, b)[XYZ_TO_SPHERICAL]
    np.testing.assert_allclose(couple(1), cross / np.sqrt(2), atol=1e-15)
    # m = 0 of the λ = 2 part: (3 a_z b_z - a·b) / √6
    np.testing.assert_allclose(
        couple(2)[2], (3 * a[2] * b[2] - a @ b) / np.sqrt(6), atol=1e-15
    )


@pytest.mark.parametrize("l1, l2", [(1, 1), (2, 1), (3, 2), (4, 4)])
def test_swapping_the_two_real_factors_multiplies_by_the_same_sign(l1, l2):
    for lam in all_lambdas(l1, l2):
        swapped = real_clebsch_gordan(l2, l1, lam).transpose(1, 0, 2)
        sign = (-1) ** (l1 + l2 - lam)
        np.testing.assert_allclose(
            swapped, sign * real_clebsch_gordan(l1, l2, lam), atol=1e-15
        )


def test_coefficients_are_returned_as_fresh_arrays():
    real_clebsch_gordan(1, 1, 0)[0, 0, 0] = 99
    complex_clebsch_gordan(1, 1, 0)[0, 0, 0] = 99
    assert real_clebsch_gordan(1, 1, 0)[0, 0, 0] != 99
    assert complex_clebsch_gordan(1, 1, 0)[0, 0, 0] != 99


def test_real_coefficients_equal_featomics_tables():
    from featomic.clebsch_gordan import calculate_cg_coefficients

    table = calculate_cg_coefficients(4, "python-dense", "numpy", np.float64, "cpu")
    for key, block in table.items():
        l1, l2, lam = (int(key[name]) for name in ("l1", "l2", "lambda"))
        np.testing.assert_allclose(
            real_clebsch_gordan(l1, l2, lam), block.values[0, ..., 0], atol=1e-15
        )


# bad inputs


@pytest.mark.parametrize("function", [complex_clebsch_gordan, real_clebsch_gordan])
@pytest.mark.parametrize(
    "args, message",
    [
        ((-1, 1, 1), "l1 must be a non-negative integer, got -1"),
        ((1, -2, 1), "l2 must be a non-negative integer, got -2"),
        ((1, 1, 1.5), "lam must be a non-negative integer, got 1.5"),
        ((1.0, 1, 1), "l1 must be a non-negative integer, got 1.0"),
        ((1, "1", 1), "l2 must be a non-negative integer, got '1'"),
        ((True, 1, 1), "l1 must be a non-negative integer, got True"),
        ((1, 1, 3), r"lam must be between \|l1 - l2\| = 0 and l1 \+ l2 = 2"),
        ((3, 1, 1), r"lam must be between \|l1 - l2\| = 2 and l1 \+ l2 = 4"),
    ],
)
def test_bad_degrees_raise_a_value_error_naming_the_argument(function, args, message):
    with pytest.raises(ValueError, match=message):
        function(*args)


def test_numpy_integers_are_accepted():
    C = real_clebsch_gordan(np.int64(2), np.int32(1), np.int8(3))
    assert C.shape == (5, 3, 7)


@pytest.mark.parametrize("l", [-1, 0.5, "2"])
def test_change_of_basis_rejects_bad_degrees(l):
    with pytest.raises(ValueError, match="l must be a non-negative integer"):
        complex_to_real(l)


# coupled_product


def test_coupled_product_is_the_sum_over_m1_and_m2_for_a_batch():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(4, 5)), rng.normal(size=(4, 3))
    expected = np.array(
        [
            np.einsum("i,j,ijm->m", x, y, real_clebsch_gordan(2, 1, 3))
            for x, y in zip(a, b, strict=True)
        ]
    )
    np.testing.assert_allclose(coupled_product(a, b, 3), expected, atol=1e-15)


def test_coupled_product_broadcasts_leading_axes():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(2, 1, 3)), rng.normal(size=(4, 3))
    assert coupled_product(a, b, 2).shape == (2, 4, 5)


def test_coupled_product_of_two_vectors_is_their_cross_product_at_lambda_1():
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    cross = np.cross(a, b)[:, XYZ_TO_SPHERICAL]
    np.testing.assert_allclose(
        coupled_product(a[:, XYZ_TO_SPHERICAL], b[:, XYZ_TO_SPHERICAL], 1),
        cross / np.sqrt(2),
        atol=1e-15,
    )


@pytest.mark.parametrize(
    "a, b, lam, message",
    [
        (np.zeros(4), np.zeros(3), 1, "a must have 2 l \\+ 1 components"),
        (np.zeros(3), np.zeros((2, 2)), 1, "b must have 2 l \\+ 1 components"),
        (np.zeros(3), 1.0, 1, "b must have 2 l \\+ 1 components"),
        (np.zeros(3), np.zeros(3), 3, "lam must be between"),
    ],
)
def test_coupled_product_rejects_what_is_not_a_spherical_tensor(a, b, lam, message):
    with pytest.raises(ValueError, match=message):
        coupled_product(a, b, lam)
