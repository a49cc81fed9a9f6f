import ase
import numpy as np
import pytest

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.models import (
    DipoleModel,
    EnergyModel,
    bond_monomials,
    chessboard_split,
    energy_features,
    euler_angle_grid,
    monomials,
    oxygen_features,
    relative_error,
    ridge_weights,
    rmse,
    rotated_copies,
)
from tutorial_helpers.rotations import (
    random_angles,
    random_rotation_matrix,
    rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.symmetry_check import transform_frames


@pytest.fixture(scope="module")
def frames():
    """Eight molecules of the dataset, spread over its grid."""
    return load_water_dataset()[::15]


# ---------------------------------------------------------------- the split


def test_the_chessboard_split_halves_the_grid_with_no_neighbours_alike():
    train, test = chessboard_split(121)
    assert (len(train), len(test)) == (61, 60)
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), range(121))
    grid = np.zeros((11, 11), dtype=bool)
    grid.flat[train] = True
    # every neighbour along a row or a column is in the other half
    assert np.all(grid[1:] != grid[:-1]) and np.all(grid[:, 1:] != grid[:, :-1])


@pytest.mark.parametrize(
    "n_frames, columns, message",
    [(0, 11, "n_frames must be at least 1"), (10, 2.5, "columns must be an integer")],
)
def test_bad_splits_are_rejected(n_frames, columns, message):
    with pytest.raises(ValueError, match=message):
        chessboard_split(n_frames, columns)


# ------------------------------------------------------ the rotated copies


def test_the_euler_grid_has_256_different_rotations():
    alpha, beta, gamma = euler_angle_grid()
    assert alpha.shape == beta.shape == gamma.shape == (256,)
    np.testing.assert_allclose(np.unique(np.degrees(beta)), [22.5, 67.5, 112.5, 157.5])
    R = rotation_matrix(alpha, beta, gamma).reshape(256, 9)
    distances = np.linalg.norm(R[:, None] - R[None], axis=-1)
    assert np.all(distances + np.eye(256) > 1e-6)


def test_rotated_copies_turn_the_positions_and_keep_the_rest(frames):
    R = random_rotation_matrix(3, seed=0)
    copies = rotated_copies(frames[0], R)
    assert len(copies) == 3
    for copy, matrix in zip(copies, R, strict=True):
        np.testing.assert_allclose(copy.positions, frames[0].positions @ matrix.T)
        assert copy.info["energy"] == frames[0].info["energy"]
    assert not np.shares_memory(copies[0].positions, frames[0].positions)


@pytest.mark.parametrize(
    "rotations, message",
    [
        (np.eye(3), r"shape \(n, 3, 3\)"),
        (2 * np.eye(3)[None], "orthogonal"),
    ],
)
def test_bad_rotations_are_rejected(frames, rotations, message):
    with pytest.raises(ValueError, match=message):
        rotated_copies(frames[0], rotations)


# ------------------------------------------------------------ the features


@pytest.mark.parametrize("nu, lam", [(1, 1), (2, 0), (2, 1), (2, 2)])
def test_oxygen_features_turn_with_the_wigner_matrix(frames, nu, lam):
    angles = random_angles(1, seed=3)
    R = rotation_matrix(*angles)[0]
    before = oxygen_features(frames, lam, nu=nu)
    after = oxygen_features(transform_frames(frames, R), lam, nu=nu)
    D = wigner_d_real(lam, *angles)[0]
    assert before.shape[:2] == (len(frames), 2 * lam + 1)
    np.testing.assert_allclose(after, D @ before, atol=1e-12)


def test_oxygen_features_come_in_the_order_of_the_frames(frames):
    together = oxygen_features(frames, 1, nu=2)
    one_by_one = np.concatenate([oxygen_features([f], 1, nu=2) for f in frames])
    np.testing.assert_allclose(together, one_by_one, atol=1e-14)


def test_there_are_more_lambda_soap_features_than_density_coefficients(frames):
    assert oxygen_features(frames, 1, nu=1).shape[2] == 12  # 6 radial × 2 species
    assert oxygen_features(frames, 1, nu=2).shape[2] == 432


def test_pseudovector_features_flip_no_sign_under_inversion(frames):
    before = oxygen_features(frames[:3], 1, nu=2, o3_sigma=-1)
    after = oxygen_features(
        transform_frames(frames[:3], -np.eye(3)), 1, nu=2, o3_sigma=-1
    )
    np.testing.assert_allclose(after, before, atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"o3_lambda": 1, "nu": 3}, "nu must be 1 or 2"),
        ({"o3_lambda": 4, "nu": 2}, "o3_lambda must be an integer 0 to 3"),
        ({"o3_lambda": 1, "nu": 2, "o3_sigma": 0}, "o3_sigma must be 1 or -1"),
        ({"o3_lambda": 1, "nu": 1, "o3_sigma": -1}, "nu = 1"),
    ],
)
def test_bad_feature_requests_are_rejected(frames, kwargs, message):
    with pytest.raises(ValueError, match=message):
        oxygen_features(frames[:1], **kwargs)


def test_frames_without_exactly_one_oxygen_are_rejected(frames):
    two = frames[0] + transform_frames([frames[1]], shift=[0.0, 0.0, 5.0])[0]
    with pytest.raises(ValueError, match=r"frames\[1\] has 2 oxygens"):
        oxygen_features([frames[0], two], 1, nu=1)
    with pytest.raises(ValueError, match="frames is empty"):
        oxygen_features([], 1, nu=1)


def test_energy_features_are_invariant_and_their_gradients_are_derivatives(frames):
    values, gradients = energy_features(frames[:3])
    assert gradients.shape == (3, 3, 3, values.shape[1])
    R = random_rotation_matrix(1, seed=5)[0]
    np.testing.assert_allclose(
        energy_features(transform_frames(frames[:3], R))[0], values, atol=1e-12
    )
    h = 1e-5  # Å
    plus, minus = frames[1].copy(), frames[1].copy()
    plus.positions[2, 0] += h
    minus.positions[2, 0] -= h
    difference = (energy_features([plus])[0] - energy_features([minus])[0]) / (2 * h)
    np.testing.assert_allclose(difference[0], gradients[1, 2, 0], atol=1e-6)


def test_energy_features_want_molecules_of_one_size_of_h_and_o(frames):
    with pytest.raises(ValueError, match=r"frames\[1\] has 2 atoms: expected 3"):
        energy_features([frames[0], frames[0][:2]])
    carbon = ase.Atoms("COH", positions=frames[0].positions)
    with pytest.raises(ValueError, match=r"frames\[0\] has atoms \[6\]"):
        energy_features([carbon])


# ------------------------------------------------------------------ the fits


def test_ridge_without_penalty_recovers_a_linear_map():
    rng = np.random.default_rng(0)
    rows, weights = rng.normal(size=(40, 5)), rng.normal(size=(5, 2))
    np.testing.assert_allclose(ridge_weights(rows, rows @ weights, 0.0), weights)


def test_the_ridge_penalty_shrinks_the_weights_whatever_the_scale():
    rng = np.random.default_rng(1)
    rows = rng.normal(size=(40, 5))
    targets = rows @ rng.normal(size=5)
    small = ridge_weights(rows, targets, 1.0)
    assert np.linalg.norm(small) < np.linalg.norm(ridge_weights(rows, targets, 0.0))
    # relative to the features' scale: scaling them scales the weights back
    np.testing.assert_allclose(ridge_weights(10 * rows, targets, 1.0), small / 10)


@pytest.mark.parametrize(
    "rows, targets, regularization, message",
    [
        (np.ones(3), np.ones(3), 0.0, r"rows must have shape \(n, p\)"),
        (np.ones((3, 2)), np.ones(4), 0.0, r"targets must have shape \(3,\)"),
        (np.ones((3, 2)), np.ones(3), -1.0, "regularization must be finite and >= 0"),
        (np.ones((3, 2)), np.full(3, np.nan), 0.0, "finite"),
    ],
)
def test_bad_ridge_inputs_are_rejected(rows, targets, regularization, message):
    with pytest.raises(ValueError, match=message):
        ridge_weights(rows, targets, regularization)


def test_the_dipole_model_turns_with_the_molecule_whatever_its_weights(frames):
    dipoles = np.array([atoms.info["dipole"] for atoms in frames])
    model = DipoleModel(nu=1).fit(oxygen_features(frames, 1, nu=1), dipoles)
    model.weights = np.random.default_rng(2).normal(size=model.weights.shape)
    R = random_rotation_matrix(4, seed=6)
    original = model(frames[:1])[0]
    turned = model(rotated_copies(frames[0], R))
    np.testing.assert_allclose(turned, np.einsum("kij,j->ki", R, original), atol=1e-12)


def test_the_dipole_model_fits_a_dipole_made_of_its_features():
    rng = np.random.default_rng(3)
    X, weights = rng.normal(size=(20, 3, 4)), rng.normal(size=4)
    dipoles = (X @ weights)[:, [2, 0, 1]]  # (y, z, x) -> (x, y, z)
    model = DipoleModel(regularization=0.0).fit(X, dipoles)
    np.testing.assert_allclose(model.weights, weights)
    np.testing.assert_allclose(model.predict(X), dipoles, atol=1e-12)


def test_the_dipole_model_checks_its_inputs(frames):
    model = DipoleModel(nu=1)
    with pytest.raises(ValueError, match="not fitted"):
        model.predict(np.zeros((1, 3, 12)))
    with pytest.raises(ValueError, match=r"X must have shape \(n, 3, p\)"):
        model.fit(np.zeros((2, 5, 12)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"dipoles must have shape \(2, 3\)"):
        model.fit(np.zeros((2, 3, 12)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="nu must be 1 or 2"):
        DipoleModel(nu=0)


def test_the_energy_models_forces_are_minus_its_energys_gradient(frames):
    energies = np.array([atoms.info["energy"] for atoms in frames])
    forces = np.array([atoms.arrays["forces"] for atoms in frames])
    model = EnergyModel().fit(*energy_features(frames), energies, forces)
    h = 1e-5  # Å
    plus, minus = frames[2].copy(), frames[2].copy()
    plus.positions[1, 1] += h
    minus.positions[1, 1] -= h
    slope = (model.energy([plus])[0] - model.energy([minus])[0]) / (2 * h)
    assert model.forces(frames[2:3])[0, 1, 1] == pytest.approx(-slope, abs=1e-5)


def test_the_energy_model_checks_its_inputs(frames):
    values, gradients = energy_features(frames[:2])
    model = EnergyModel()
    with pytest.raises(ValueError, match="not fitted"):
        model.predict(values, gradients)
    with pytest.raises(ValueError, match=r"energies must have shape \(2,\)"):
        model.fit(values, gradients, np.zeros(3), np.zeros((2, 3, 3)))
    with pytest.raises(ValueError, match=r"forces must have shape \(2, 3, 3\)"):
        model.fit(values, gradients, np.zeros(2), np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match="force_weight must be finite"):
        EnergyModel(force_weight=-1.0)


# ------------------------------------------------ the Cartesian baseline


def test_monomials_count_every_product_once():
    values = np.array([[2.0, 3.0]])
    # 1, a, b, a², ab, b²
    np.testing.assert_array_equal(monomials(values, 2), [[1, 2, 3, 4, 6, 9]])
    assert monomials(np.ones((4, 6)), 3).shape == (4, 84)
    with pytest.raises(ValueError, match="degree must be >= 0"):
        monomials(values, -1)


def test_bond_monomials_see_bonds_not_places(frames):
    positions = np.array([atoms.positions for atoms in frames])
    np.testing.assert_allclose(
        bond_monomials(positions + [1.0, -2.0, 0.5]), bond_monomials(positions)
    )
    with pytest.raises(ValueError, match=r"positions must have shape \(n, 3 atoms"):
        bond_monomials(positions[:, :2])


# ---------------------------------------------------------------- the errors


def test_rmse_runs_over_every_entry():
    assert rmse([[0.0, 3.0]], [[4.0, 3.0]]) == pytest.approx(np.sqrt(8))
    with pytest.raises(ValueError, match="do not broadcast"):
        rmse(np.zeros(2), np.zeros(3))


def test_relative_error_is_one_for_the_mean_and_skips_constant_components():
    rng = np.random.default_rng(4)
    target = np.column_stack([rng.normal(size=50), np.zeros(50)])  # μ_z = 0
    mean = np.broadcast_to(target.mean(axis=0), target.shape)
    assert relative_error(mean, target) == pytest.approx(1.0)
    assert relative_error(target, target) == 0.0
    with pytest.raises(ValueError, match="no component of target varies"):
        relative_error(np.zeros((3, 2)), np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"both have shape \(n, k\)"):
        relative_error(np.zeros((3, 2)), np.zeros((3, 3)))
