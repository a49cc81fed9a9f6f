"""
6 · Equivariant models
======================

Everything so far comes together here. We fit a linear model of the dipole on
λ = 1 features, which is equivariant *by construction*: trained only on flat
molecules in the xy plane, it predicts the dipole of every rotated copy exactly as
well. We contrast it with a model on Cartesian coordinates, which has to learn
rotations from data, and with its exactly equivariant cousin. Then we fit an
invariant model of the energy whose forces, obtained from the gradients of the
features, rotate with the molecule and sum to zero, and a model of a rank-2
tensor that turns twice. A short recipe tests any model for these symmetries, and
a last section shows how equivariant neural networks stack the same pieces. At
the end you will be able to build these models and to check your own.

.. note::

    Read :ref:`sphx_glr_auto_examples_05_lambda_soap.py` first, and
    :ref:`sphx_glr_auto_examples_02_rotations_and_vectors.py` for the 256 rotated
    molecules used below.
"""

# %%
from itertools import combinations, combinations_with_replacement

import chemiscope
import featomic
import matplotlib.pyplot as plt
import metatensor
import numpy as np
from featomic.clebsch_gordan import EquivariantPowerSpectrum
from metatensor import Labels

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.rotations import random_rotation_matrix, rotation_matrix
from tutorial_helpers.spherical import rank2_to_spherical, spherical_to_rank2
from tutorial_helpers.symmetry_check import check_symmetries, transform_frames
from tutorial_helpers.units import EA_TO_DEBYE
from tutorial_helpers.visualisation import (
    bare_structures,
    euler_angle_properties,
    euler_angle_settings,
    structure_arrows,
    structure_ellipsoids,
    structure_properties,
)
from tutorial_helpers.water_model import ps_dipole

use_style()

frames = load_water_dataset()
dipoles = np.array([atoms.info["dipole"] for atoms in frames])  # e·Å
assert not dipoles[:, 2].any()  # flat molecules in the xy plane: μ_z = 0

# half of the grid for training, the other half for testing, like a chessboard
row, column = np.divmod(np.arange(len(frames)), 11)
train = np.flatnonzero((row + column) % 2 == 0)
test = np.flatnonzero((row + column) % 2 == 1)
print(f"{len(train)} training and {len(test)} test molecules")

# %%
# (a) A linear model of the dipole
# --------------------------------
#
# The features
# ^^^^^^^^^^^^
#
# The dipole is a λ = 1, σ = +1 spherical tensor. We describe each molecule by the
# oxygen-centred λ = 1, σ = +1 features of correlation order ν = 1 (the density
# coefficients of chapter 4, body order 2) or ν = 2 (λ-SOAP, products of two
# density coefficients, body order 3; chapter 5). For each molecule they form an
# array of shape (3, p): three ``o3_mu`` components, p properties.

hypers = {
    "cutoff": {"radius": 4.0, "smoothing": {"type": "ShiftedCosine", "width": 0.5}},
    "density": {"type": "Gaussian", "width": 0.3},
    "basis": {
        "type": "TensorProduct",
        "max_angular": 3,
        "radial": {"type": "Gto", "max_radial": 5},
    },
}
spherical_expansion = featomic.SphericalExpansion(**hypers)
lambda_soap = EquivariantPowerSpectrum(spherical_expansion, neighbor_types=[1, 8])
vector_keys = Labels(["o3_lambda", "o3_sigma"], np.array([[1, 1]]))


def vector_features(frames, nu):
    """Oxygen-centred λ = 1 features, shape (n_frames, 3, p), o3_mu = -1, 0, 1."""
    if nu == 1:
        tensor = spherical_expansion.compute(frames)
        tensor = tensor.keys_to_properties(
            Labels(["neighbor_type"], np.array([[1], [8]]))
        )
        block = tensor.block({"o3_lambda": 1, "o3_sigma": 1, "center_type": 8})
    else:
        tensor = lambda_soap.compute(
            frames, selected_keys=vector_keys, neighbors_to_properties=True
        )
        block = tensor.block({"o3_lambda": 1, "o3_sigma": 1, "center_type": 8})
    order = np.argsort(block.samples.column("system"))
    return np.asarray(block.values)[order]


features = {nu: vector_features(frames, nu) for nu in (1, 2)}
for nu, X in features.items():
    print(f"ν = {nu}: features of shape {X.shape}")

# %%
# The model
# ^^^^^^^^^
#
# The prediction is a linear combination of the features, with the **same weights
# for the three components**:
#
# .. math::
#
#     \mu_m = \sum_q w_q\, X_{mq}, \qquad m = -1, 0, 1.
#
# Each :math:`X_{:,q}` rotates with :math:`D^1(R)`, so any such sum does too: the
# model is equivariant whatever the weights. There is no intercept, since a constant
# vector would not rotate. We fit the weights by ridge regression, stacking the
# three components of every training molecule as rows. We report the RMSE over all
# components and, to compare it with what there is to predict, the RMSE over the
# components that vary (μ_x and μ_y: the molecules are flat) as a fraction of
# their spread over the test molecules (``relative_error``; 100 % is the error of
# predicting each component's mean).

YZX, XYZ = [1, 2, 0], [2, 0, 1]


class DipoleModel:
    """Ridge regression without intercept on λ = 1 features, shared over μ."""

    def __init__(self, nu, regularization=1e-7):
        self.nu, self.regularization = nu, regularization

    def fit(self, X, dipoles):
        rows = X.reshape(-1, X.shape[-1])  # (n * 3, p)
        target = dipoles[:, YZX].reshape(-1)  # (y, z, x) to match o3_mu
        scale = self.regularization * np.trace(rows.T @ rows) / rows.shape[1]
        self.weights = np.linalg.solve(
            rows.T @ rows + scale * np.eye(rows.shape[1]), rows.T @ target
        )
        return self

    def predict(self, X):
        """Cartesian (x, y, z) dipoles in e·Å from features X."""
        return (X @ self.weights)[:, XYZ]

    def __call__(self, frames):
        return self.predict(vector_features(frames, self.nu))


def rmse(a, b):
    """Root mean square of a - b over all entries (molecules and components)."""
    return float(np.sqrt(np.mean((a - b) ** 2)))


def relative_error(predicted, target):
    """RMSE over the components that vary, as a fraction of their spread.

    ``predicted`` and ``target`` have shape (n, k): n molecules, k components.
    Returns sqrt(Σ_c MSE_c / Σ_c Var_c) over the components c whose target
    varies over the molecules, Var_c taken about each component's own mean.
    Components that do not vary, such as μ_z of flat molecules, are left out.
    """
    variance = target.var(axis=0)
    varies = variance > 1e-18 * np.abs(target).max() ** 2
    squared = np.mean((predicted - target) ** 2, axis=0)
    return float(np.sqrt(squared[varies].sum() / variance[varies].sum()))


# 100 % is the error of predicting each component's mean
mean_prediction = np.broadcast_to(dipoles[test].mean(axis=0), dipoles[test].shape)
assert abs(relative_error(mean_prediction, dipoles[test]) - 1) < 1e-12
models, test_errors, relative_errors = {}, {}, {}
for nu in (1, 2):
    models[nu] = DipoleModel(nu).fit(features[nu][train], dipoles[train])
    predicted = models[nu].predict(features[nu][test])
    test_errors[nu] = rmse(predicted, dipoles[test])
    relative_errors[nu] = relative_error(predicted, dipoles[test])
    print(
        f"ν = {nu}: test RMSE {test_errors[nu]:.4f} e·Å = "
        f"{test_errors[nu] * EA_TO_DEBYE:.3f} D; over μ_x and μ_y, "
        f"{100 * relative_errors[nu]:.1f} % of their spread"
    )
assert relative_errors[2] < relative_errors[1] / 5 and test_errors[2] < test_errors[1]

# %%
# The ν = 1 model fails, as chapter 5 predicted: on oxygen-centred ν = 1
# features its prediction is a sum of one term per O–H bond, so it cannot make
# the bond charges depend on the angle. The
# ν = 2 model, whose features contain both hydrogens at once, fits the dipole
# surface closely.

fig, ax = plt.subplots(figsize=figure_size(5.2))
for nu, color, size in ((1, "tab:orange", 30), (2, "tab:blue", 12)):
    predicted = models[nu].predict(features[nu][test])
    ax.scatter(
        dipoles[test, :2],
        predicted[:, :2],
        s=size,
        color=color,
        label=f"ν = {nu}: RMSE {test_errors[nu]:.4f} e·Å "
        f"({test_errors[nu] * EA_TO_DEBYE:.3f} D)",
    )
limits = [dipoles.min() - 0.05, dipoles.max() + 0.05]
ax.plot(limits, limits, color="0.5", linewidth=1)
ax.set(
    xlim=limits,
    ylim=limits,
    xlabel="PS dipole, μ$_x$ and μ$_y$ / e·Å",
    ylabel="predicted / e·Å",
    title="Linear dipole models on λ = 1 features",
)
ax.set_aspect("equal")
ax.legend(loc="upper left", title="test molecules")
plt.show()
# sphinx_gallery_thumbnail_number = 1

# %%
# Rotated molecules, predicted exactly as well
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#
# All the training molecules lie in the xy plane. We now predict the dipoles of
# the 256 rotated copies of chapter 2 (8 α × 4 β × 8 γ). For each copy the
# prediction equals the rotated prediction for the original molecule, to machine
# precision, so the error against the true PS dipole is the same in every
# orientation.

molecule = frames[26]
alphas = np.arange(8) * np.pi / 4
betas = (np.arange(4) + 0.5) * np.pi / 4
A, B, G = (x.ravel() for x in np.meshgrid(alphas, betas, alphas, indexing="ij"))
rotations = rotation_matrix(A, B, G)
rotated = [transform_frames([molecule], R)[0] for R in rotations]

model = models[2]
predicted_original = model([molecule])[0]
predicted_rotated = model(rotated)
expected = np.einsum("kij,j->ki", rotations, predicted_original)
deviation = np.abs(predicted_rotated - expected).max()
assert deviation < 1e-12
true_rotated = ps_dipole(np.array([atoms.positions for atoms in rotated]))
errors = np.linalg.norm(predicted_rotated - true_rotated, axis=1)
error_original = np.linalg.norm(predicted_original - ps_dipole(molecule.positions)[0])
np.testing.assert_allclose(errors, error_original, atol=1e-12)
print(f"prediction(R·A) − R·prediction(A): largest deviation {deviation:.1e} e·Å")
print(f"|error| is {error_original:.5f} e·Å for the original and for all 256 copies")

# %%
# A model that has to learn rotations
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#
# For contrast, a model that ignores symmetry: ridge regression from the Cartesian
# coordinates of the two O–H bonds :math:`\mathbf{b}_1, \mathbf{b}_2` (all
# monomials up to degree 3, 84 features) to the three Cartesian components of the
# dipole. Nothing in it knows that rotating the input should rotate the output;
# we can only show it rotated copies of the training set (*data augmentation*),
# here drawn at random several times over. We test it on every test molecule in
# many random orientations.
#
# To tell what rotations cost from what the model can represent, we also fit
# exactly equivariant models,
#
# .. math::
#
#     \boldsymbol{\mu} = \sum_{k=1}^{2} g_k(I)\, \mathbf{b}_k, \qquad
#     I = \big(|\mathbf{b}_1|^2, |\mathbf{b}_2|^2,
#     \mathbf{b}_1\cdot\mathbf{b}_2\big),
#
# where :math:`g_k` is a polynomial of the invariants :math:`I_j`; since the
# :math:`\mathbf{b}_k` are polar vectors, the prediction turns with any rotation
# or inversion of the molecule. The **control** takes
# :math:`g_k = a_k + \sum_j c_{kj} I_j`, of degree 1: 8 parameters. Its terms are
# linear (:math:`a_k \mathbf{b}_k`) or cubic (:math:`c_{kj} I_j \mathbf{b}_k`) in
# the bond coordinates, so it belongs to the Cartesian family (checked below).


def monomials(values, degree):
    """1 and all monomials of degree 1 to ``degree`` of the columns of values."""
    columns = [np.ones(len(values))]
    for order in range(1, degree + 1):
        for index in combinations_with_replacement(range(values.shape[1]), order):
            columns.append(np.prod(values[:, index], axis=1))
    return np.stack(columns, axis=1)


def cartesian_features(positions):
    """1, and all monomials of degree 1 to 3 of the six bond coordinates (Å)."""
    bonds = positions[:, 1:] - positions[:, :1]
    return monomials(bonds.reshape(len(positions), 6), 3)


def fit_cartesian(X, targets, regularization=1e-6):
    """Ridge weights from Cartesian features X (n, 84) to dipoles (n, 3) in e·Å."""
    scale = regularization * np.trace(X.T @ X) / X.shape[1]
    return np.linalg.solve(X.T @ X + scale * np.eye(X.shape[1]), X.T @ targets)


def equivariant_features(positions, degree):
    """Monomials of I up to ``degree`` times b_k: shape (n, 3 Cartesian, p)."""
    bonds = positions[:, 1:] - positions[:, :1]  # (n, 2, 3)
    products = np.einsum("nki,nli->nkl", bonds, bonds)
    invariants = products[:, [0, 1, 0], [0, 1, 1]]  # |b1|², |b2|², b1·b2
    g = monomials(invariants, degree)
    return np.einsum("nj,nki->nikj", g, bonds).reshape(len(bonds), 3, -1)


def fit_equivariant(positions, targets, degree):
    X = equivariant_features(positions, degree)
    rows, target = X.reshape(-1, X.shape[-1]), targets.reshape(-1)
    return np.linalg.lstsq(rows, target, rcond=None)[0]


# the control's terms are Cartesian cubics: fit them exactly on random molecules
points = np.random.default_rng(0).normal(size=(200, 3, 3))  # Å
terms = equivariant_features(points, 1).reshape(len(points), -1)
cubic = cartesian_features(points)
residual = cubic @ np.linalg.lstsq(cubic, terms, rcond=None)[0] - terms
residual = np.abs(residual).max() / np.abs(terms).max()
print(f"the control's terms as Cartesian cubics: relative residual {residual:.1e}")
assert residual < 1e-10

positions = np.array([atoms.positions for atoms in frames])
test_rotations = random_rotation_matrix(50, seed=10)
rotated_test_positions = np.einsum(
    "kij,naj->knai", test_rotations, positions[test]
).reshape(-1, 3, 3)


def rotate_test(vectors):
    """Vectors (n_test, 3) of the flat test molecules, for every test rotation."""
    return np.einsum("kij,nj->kni", test_rotations, vectors).reshape(-1, 3)


rotated_test_dipoles = rotate_test(dipoles[test])
print(f"rotated test: {len(test)} molecules × {len(test_rotations)} orientations")
# λ-SOAP is exactly equivariant (above): a few orientations give its error
few = test_rotations[:10]
rotated_test_frames = [
    atoms for R in few for atoms in transform_frames([frames[i] for i in test], R)
]
equivariant_error = rmse(
    model(rotated_test_frames), rotated_test_dipoles[: len(few) * len(test)]
)

control_weights = fit_equivariant(positions[train], dipoles[train], degree=1)
control_predicted = equivariant_features(rotated_test_positions, 1) @ control_weights
control_flat = rmse(
    equivariant_features(positions[test], 1) @ control_weights, dipoles[test]
)
control_rotated = rmse(control_predicted, rotated_test_dipoles)

flat_test_features = cartesian_features(positions[test])
rotated_test_features = cartesian_features(rotated_test_positions)
copies = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256]
draws = 8  # independent draws of the random copies
curves = {
    name: np.zeros((draws, len(copies)))
    for name in ("training", "flat", "rotated", "equivariance", "control")
}
for draw in range(draws):
    for c, n_copies in enumerate(copies):
        augment = random_rotation_matrix(n_copies, seed=20 + draw)
        train_positions = np.concatenate(
            [positions[train]] + [positions[train] @ R.T for R in augment]
        )
        train_dipoles = np.concatenate(
            [dipoles[train]] + [dipoles[train] @ R.T for R in augment]
        )
        train_features = cartesian_features(train_positions)
        weights = fit_cartesian(train_features, train_dipoles)
        predicted_flat = flat_test_features @ weights
        predicted = rotated_test_features @ weights
        for name, value in (
            ("training", train_features @ weights - train_dipoles),
            ("flat", predicted_flat - dipoles[test]),
            ("rotated", predicted - rotated_test_dipoles),
            ("equivariance", predicted - rotate_test(predicted_flat)),  # f(Rx) − Rf(x)
            ("control", predicted - control_predicted),
        ):
            curves[name][draw, c] = rmse(value, 0)
median = {name: np.median(values, axis=0) for name, values in curves.items()}

print(f"Cartesian ridge, RMSE in e·Å, medians over {draws} draws of the copies")
print("copies   training   flat test   rotated test   f(Rx) − R f(x)")
for c, n_copies in enumerate(copies):
    print(
        f"{n_copies:6d}   {median['training'][c]:8.4f}   {median['flat'][c]:9.4f}"
        f"   {median['rotated'][c]:12.4f}   {median['equivariance'][c]:14.4f}"
    )
print(
    f"equivariant cubic control, {len(control_weights)} parameters: flat test "
    f"{control_flat:.4f}, rotated test {control_rotated:.4f} e·Å"
)
print(
    f"equivariant ν = 2 model (λ-SOAP): {equivariant_error:.4f} e·Å "
    f"(rotated test, first {len(few)} orientations)"
)

# %%
# What the numbers show, each checked below:
#
# - **On flat molecules the Cartesian baseline is the best model on this page**:
#   in the plane of the training grid it only interpolates a smooth function of
#   the 2D grid. Of its 84 monomials, the 49 that contain a z coordinate vanish on
#   flat molecules; the other 35 per component do this very well.
# - **Without augmentation it fails on rotated molecules**: its error there is two
#   orders of magnitude above λ-SOAP's.
# - **A few rotated copies make it worse before they make it better.** With 4 or 8
#   copies it does worse than without in every draw; with 1 copy, only in some.
#   Its training error stays small: it fits the handful of orientations it was
#   shown and swings in between them.
# - **Dense copies make it nearly, not exactly, equivariant.** With the most
#   copies its RMSE on rotated molecules is close to the control's, which hides
#   two things: its predictions still break equivariance, :math:`f(R\mathbf{x})
#   \neq R f(\mathbf{x})`, by more than λ-SOAP's whole error, and they differ
#   from the control's by several times the gap between the two RMSEs.
# - **Learning rotations costs it its accuracy on flat molecules**: as copies are
#   added, its flat-test error rises to the control's.

at = copies.index
flat_columns = np.all(cartesian_features(positions[train]) == 0, axis=0)
worse = {
    n: int(np.sum(curves["rotated"][:, at(n)] > median["rotated"][0]))
    for n in (1, 4, 8)
}
ratio = median["rotated"][0] / equivariant_error
gap = abs(median["rotated"][-1] - control_rotated)
assert flat_columns.sum() == 49 and np.sum(~flat_columns) == 35
assert abs(control_rotated - control_flat) < 1e-12  # the control is equivariant
assert abs(equivariant_error - test_errors[2]) < 1e-10  # rotations cost λ-SOAP nothing
assert median["flat"][0] < test_errors[2]  # the baseline wins on flat molecules...
assert round(np.log10(ratio)) == 2  # ...fails on rotated ones by two orders...
assert worse[4] == worse[8] == draws and 0 < worse[1] < draws  # ...first worse,
assert np.all(curves["training"][:, at(8)] < curves["rotated"][:, at(8)] / 50)
assert gap < 0.05 * control_rotated  # dense copies: close RMSEs, but
assert median["equivariance"][-1] > equivariant_error  # not equivariant,
assert np.all(np.diff(median["equivariance"][at(16) :]) < 0)  # if less and less,
assert median["control"][-1] > 3 * gap  # and not the control's predictions
assert median["flat"][-1] > 10 * median["flat"][0]
assert abs(median["flat"][-1] - control_flat) < 0.05 * control_flat
print(
    f"flat test: baseline {median['flat'][0]:.4f} < λ-SOAP {test_errors[2]:.4f} e·Å; "
    f"no copies: rotated test {ratio:.0f} × λ-SOAP's"
)
print(
    f"worse than no copies in {worse[1]}, {worse[4]} and {worse[8]} of {draws} "
    "draws with 1, 4 and 8 copies"
)
print(
    f"{copies[-1]} copies: rotated test {median['rotated'][-1]:.4f} vs control "
    f"{control_rotated:.4f} e·Å, a gap of {gap:.5f} e·Å, yet"
)
print(
    f"  f(Rx) − R f(x) {median['equivariance'][-1]:.4f} e·Å > λ-SOAP's error "
    f"{equivariant_error:.4f} e·Å"
)
print(f"  predictions − control's {median['control'][-1]:.4f} e·Å")
print(
    f"  flat test {median['flat'][-1]:.4f} e·Å (control {control_flat:.4f} e·Å, "
    f"no copies {median['flat'][0]:.4f} e·Å): checked"
)

fig, ax = plt.subplots(figsize=figure_size(6.6))
ax.fill_between(
    copies[1:],
    curves["rotated"][:, 1:].min(axis=0),
    curves["rotated"][:, 1:].max(axis=0),
    color="tab:blue",
    alpha=0.2,
    linewidth=0,
)
for name, style, color, label in (
    ("rotated", "o-", "tab:blue", "rotated test (all draws shaded)"),
    ("training", "s--", "tab:orange", "training"),
    ("equivariance", "^-", "tab:red", "equivariance error f(Rx) − R f(x)"),
):
    ax.plot(copies[1:], median[name][1:], style, color=color, label=label)
ax.axhline(
    median["rotated"][0],
    color="tab:blue",
    linestyle=":",
    label=f"rotated test, no copies ({median['rotated'][0]:.3f} e·Å)",
)
ax.axhline(
    control_rotated,
    color="tab:purple",
    label=f"equivariant cubic control ({control_rotated:.4f} e·Å)",
)
ax.axhline(
    equivariant_error,
    color="tab:green",
    label=f"equivariant λ-SOAP model ({equivariant_error:.4f} e·Å)",
)
ax.set(
    xscale="log",
    yscale="log",
    xlabel="rotated copies of each training molecule",
    ylabel="RMSE / e·Å",
    title=f"Cartesian ridge with augmentation, medians over {draws} draws",
)
ax.set_xticks(copies[1::2], labels=[str(n) for n in copies[1::2]])
ax.set_yticks([1e-3, 1e-2, 1e-1], labels=["0.001", "0.01", "0.1"])
ax.minorticks_off()
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1)
plt.show()

# %%
# The gap is capacity, not rotations
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#
# The control has nothing left to learn about rotations, yet it is as far behind
# λ-SOAP as the augmented baseline. Equivariance is a strong constraint: solving
# :math:`f(P\mathbf{x}) = P f(\mathbf{x})` for random rotations and the inversion
# :math:`P` (below) leaves, of the Cartesian family's coefficients (84 per
# component), only the control's free; under rotations alone, one more, that of
# :math:`\mathbf{b}_1 \times \mathbf{b}_2`, which is normal to the molecule and so
# of no use for its in-plane dipole. Augmentation approaches this small family,
# hence its rising flat-test error. With more capacity, polynomials :math:`g_k` of
# degree 2 and 3 in the invariants (degree 5 and 7 in the bond coordinates), the
# equivariant models close the gap without learning anything about rotations:
# degree 2 comes close to λ-SOAP, degree 3 passes it.


def free_coefficients(transforms):
    """Dimension of the W with f(P x) = P f(x), f(x) = W^T · cartesian_features(x),
    for x the random molecules ``points``."""
    before = cartesian_features(points)
    constraints = [
        np.kron(cartesian_features(points @ P.T), np.eye(3)) - np.kron(before, P)
        for P in transforms
    ]
    singular = np.linalg.svd(np.vstack(constraints), compute_uv=False)
    return int(np.sum(singular < 1e-9 * singular[0]))


proper = random_rotation_matrix(3, seed=1)
free = {
    "rotations": free_coefficients(proper),
    "rotations and inversion": free_coefficients([*proper, -np.eye(3)]),
}
print(f"Cartesian cubic: {3 * len(flat_columns)} coefficients; equivariant ones:")
print("  " + ", ".join(f"{n} under {name}" for name, n in free.items()))

capacity = {}
for degree in (1, 2, 3):
    weights = fit_equivariant(positions[train], dipoles[train], degree)
    predicted_flat = equivariant_features(positions[test], degree) @ weights
    predicted = equivariant_features(rotated_test_positions, degree) @ weights
    deviation = np.abs(predicted - rotate_test(predicted_flat)).max()
    capacity[degree] = (len(weights), deviation, rmse(predicted, rotated_test_dipoles))
    print(
        f"g of degree {degree}, {len(weights):2d} parameters: "
        f"{capacity[degree][2]:.4f} e·Å (rotated test), "
        f"{capacity[degree][2] / equivariant_error:.2f} × λ-SOAP's"
    )
n_parameters, deviations, rotated_errors = (
    np.array(column) for column in zip(*capacity.values(), strict=True)
)
assert free["rotations and inversion"] == n_parameters[0] == len(control_weights)
assert free["rotations"] == n_parameters[0] + 1
print(f"largest f(Rx) − R f(x) of these models: {deviations.max():.1e} e·Å")
assert deviations.max() < 1e-7  # equivariant, to the rounding of ill-conditioned fits
assert rotated_errors[0] == control_rotated
assert np.all(np.diff(rotated_errors) < 0)  # more capacity, smaller error
assert rotated_errors[0] > 5 * equivariant_error  # degree 1: far behind,
assert rotated_errors[1] < 1.25 * equivariant_error  # degree 2: close,
assert rotated_errors[2] < equivariant_error  # degree 3: better than λ-SOAP

fig, ax = plt.subplots(figsize=figure_size(4.4))
ax.plot(
    n_parameters, rotated_errors, "o-", color="tab:purple", label="equivariant g(I) b"
)
for degree, (n, _, error) in capacity.items():
    ax.annotate(
        f"degree {degree}", (n, error), xytext=(6, 6), textcoords="offset points"
    )
ax.plot(
    3 * len(flat_columns),
    median["rotated"][-1],
    "X",
    color="tab:blue",
    markersize=9,
    label=f"Cartesian cubic, {copies[-1]} copies",
)
ax.axhline(
    equivariant_error,
    color="tab:green",
    label=f"λ-SOAP model, {len(models[2].weights)} weights",
)
ax.set(
    xscale="log",
    yscale="log",
    ylim=(1e-3, 4e-2),
    xlabel="parameters",
    ylabel="RMSE, rotated test / e·Å",
    title="Equivariant models: the error falls with capacity",
)
ax.set_yticks(
    [1e-3, 2e-3, 5e-3, 1e-2, 2e-2], labels=["0.001", "0.002", "0.005", "0.01", "0.02"]
)
ax.set_xticks([10, 30, 100, 300], labels=["10", "30", "100", "300"])
ax.minorticks_off()
ax.legend(loc="upper center")
plt.show()

# %%
# Seeing the difference
# ^^^^^^^^^^^^^^^^^^^^^
#
# The widget shows the 256 rotated copies of one molecule, each with three dipoles
# drawn from its centre and scaled by 2 Å per e·Å: the PS dipole (orange), the
# equivariant λ-SOAP model's (purple: a thicker shaft under the orange head), and
# the Cartesian ridge model's trained without augmentation (black). The map's
# axes are the Euler angles, and its colour is the Cartesian model's error. The
# widget opens on the orientation where that error is largest, seen across the
# error, and keeps that view as you pick other orientations: the purple arrow
# follows the orange one in every orientation, the black one does not.

baseline_weights = fit_cartesian(cartesian_features(positions[train]), dipoles[train])
rotated_positions = np.array([atoms.positions for atoms in rotated])
baseline_rotated_dipoles = cartesian_features(rotated_positions) @ baseline_weights
baseline_errors = np.linalg.norm(baseline_rotated_dipoles - true_rotated, axis=1)
worst = int(np.argmax(baseline_errors))
print(f"|error| in e·Å over the {len(rotated)} orientations:")
print(
    f"  Cartesian model {baseline_errors.min():.3f} to {baseline_errors.max():.3f} "
    f"(largest for orientation #{worst}, where the widget opens)"
)
print(f"  equivariant model {errors.max():.5f} everywhere")
assert baseline_errors.max() > 100 * errors.max()


def viewer_camera(points, towards_viewer, up, pad=0.3, aspect=1.0):
    """Camera of a chemiscope viewer that looks at ``points`` (n, 3), in Å, from
    the direction ``towards_viewer``, with ``up`` upwards, zoomed so that they
    fill a viewer ``aspect`` times as high as it is wide, with ``pad`` Å to spare.

    chemiscope 1.1 hands it to 3Dmol.js, which moves the structure by ``center``,
    turns it by the rotation whose last two columns are ``up`` and the direction
    of ``eye - center``, and shows it in an orthographic view 2 (150 - ``zoom``)
    tan 20° Å wide.
    """
    back = towards_viewer / np.linalg.norm(towards_viewer)
    up = up - (up @ back) * back
    up = up / np.linalg.norm(up)
    screen = np.array([np.cross(up, back), up, back])  # rows: right, up, back
    flat = points @ screen[:2].T  # (n, 2): across and up the screen, Å
    low, high = flat.min(axis=0) - pad, flat.max(axis=0) + pad
    look_at = screen[:2].T @ ((low + high) / 2) + (points @ back).mean() * back
    width = max(high[0] - low[0], (high[1] - low[1]) / aspect)
    zoom = 150 - width / (2 * np.tan(np.radians(20)))

    def xyz(vector):
        return dict(zip("xyz", map(float, vector), strict=True))

    return {
        "center": xyz(-look_at),
        "eye": xyz(zoom * screen[:, 2] - look_at),
        "up": xyz(screen[:, 1]),
        "zoom": float(zoom),
    }


centres = rotated_positions.mean(axis=1)
arrows = {
    "PS dipole": (true_rotated, "#ff7f0e", 0.05),  # orange
    "λ-SOAP model": (predicted_rotated, "#7b3294", 0.075),  # purple
    "Cartesian model": (baseline_rotated_dipoles, "#1a1a1a", 0.05),  # black
}
shapes = {
    name: structure_arrows(vectors, centres, scale=2.0, color=color, radius=radius)
    for name, (vectors, color, radius) in arrows.items()
}
# a small head on the thick purple shaft, inside the orange head: both show
shapes["λ-SOAP model"]["parameters"]["global"].update(headRadius=0.1, headLength=0.16)

# look at the worst orientation across the error, as face-on as that allows
error = baseline_rotated_dipoles[worst] - true_rotated[worst]
bonds = rotated_positions[worst, 1:] - rotated_positions[worst, 0]
normal = np.cross(*bonds)
across = normal - error * (error @ normal) / (error @ error)
across *= np.sign(true_rotated[worst] @ across) or 1.0  # the arrows point our way
tips = centres[worst] + 2.0 * np.array([v[worst] for v, _, _ in arrows.values()])
camera = viewer_camera(
    np.concatenate([rotated_positions[worst], tips]),
    towards_viewer=across,
    up=true_rotated[worst],
    pad=0.5,
)
settings = euler_angle_settings("cartesian_error", list(arrows), camera=camera) | {
    "pinned": [worst]
}
chemiscope.show(
    bare_structures(rotated),
    metadata={
        "name": "true and predicted dipoles of 256 rotated molecules",
        "description": (
            "3D map of the Euler angles, one point per orientation, coloured by the "
            "error of the Cartesian model; the viewer shows the selected molecule "
            "with the PS dipole (orange arrow), the equivariant model's prediction "
            "(purple), which follows it in every orientation, and the Cartesian "
            "model's (black), which does not. It opens on the orientation where "
            "the Cartesian model's error is largest."
        ),
    },
    properties=euler_angle_properties(A, B, G)
    | structure_properties(
        {
            "cartesian_error": (
                baseline_errors,
                "e·Å",
                "|Cartesian model − PS dipole|",
            ),
            "equivariant_error": (errors, "e·Å", "|λ-SOAP model − PS dipole|"),
        }
    ),
    shapes=shapes,
    settings=settings,
)

# %%
# (b) An invariant model of the energy, with forces
# --------------------------------------------------
#
# The energy is invariant, so we use invariant features: the SOAP power spectrum
# (the λ = 0 λ-SOAP). As in most machine-learning potentials, the energy is a sum of
# atomic contributions, here linear in each atom's features, with separate weights
# for O and H:
#
# .. math::
#
#     E = \sum_i \mathbf{w}_{Z_i} \cdot \mathbf{p}_i + b,
#     \qquad
#     \mathbf{F}_k = -\frac{\partial E}{\partial \mathbf{r}_k}
#                  = -\sum_i \mathbf{w}_{Z_i} \cdot
#                    \frac{\partial \mathbf{p}_i}{\partial \mathbf{r}_k}.
#
# Summing the atomic features of each species over the atoms of each molecule
# turns this into a linear model on per-molecule features.
# :func:`metatensor.sum_over_samples` does the sum and keeps the ``positions``
# gradients, which give the force rows of the fit.

soap_hypers = {
    "cutoff": hypers["cutoff"],
    "density": hypers["density"],
    "basis": {
        "type": "TensorProduct",
        "max_angular": 4,
        "radial": {"type": "Gto", "max_radial": 5},
    },
}
soap = featomic.SoapPowerSpectrum(**soap_hypers)


def energy_features(frames):
    """Per-molecule sums of SOAP features (values), and their position gradients."""
    descriptor = soap.compute(frames, gradients=["positions"])
    descriptor = descriptor.keys_to_properties(
        Labels(
            ["neighbor_1_type", "neighbor_2_type"], np.array([[1, 1], [1, 8], [8, 8]])
        )
    )
    per_molecule = metatensor.sum_over_samples(descriptor, sample_names="atom")
    per_molecule = per_molecule.keys_to_properties(
        Labels(["center_type"], np.array([[1], [8]]))
    )
    block = per_molecule.block()
    gradient = block.gradient("positions")
    n_atoms = len(frames[0])
    # gradient rows (sample, system, atom) -> array (n_frames, n_atoms, 3, p)
    grad = np.zeros((len(frames), n_atoms, 3, block.values.shape[1]))
    samples = gradient.samples.values
    grad[samples[:, 1], samples[:, 2]] = gradient.values
    order = np.argsort(block.samples.column("system"))
    return np.asarray(block.values)[order], grad


energies = np.array([atoms.info["energy"] for atoms in frames])  # eV
forces = np.array([atoms.arrays["forces"] for atoms in frames])  # eV/Å
X_energy, X_gradient = energy_features(frames)
print("per-molecule features:", X_energy.shape, "gradients:", X_gradient.shape)


class EnergyModel:
    """E = w · (summed SOAP features) + b, fitted on energies and forces together."""

    def __init__(self, force_weight=0.1, regularization=1e-9):
        # force_weight: how many eV of energy error weigh as much as 1 eV/Å of force
        self.force_weight, self.regularization = force_weight, regularization

    def fit(self, X, gradients, energies, forces):
        n, p = X.shape
        energy_rows = np.hstack([X, np.ones((n, 1))])
        force_rows = np.hstack(
            [-gradients.reshape(-1, p), np.zeros((gradients[..., 0].size, 1))]
        )
        A = np.vstack([energy_rows, self.force_weight * force_rows])
        y = np.concatenate([energies, self.force_weight * forces.reshape(-1)])
        scale = self.regularization * np.trace(A.T @ A) / A.shape[1]
        self.weights = np.linalg.solve(A.T @ A + scale * np.eye(A.shape[1]), A.T @ y)
        return self

    def predict(self, X, gradients):
        energy = X @ self.weights[:-1] + self.weights[-1]
        forces = -gradients @ self.weights[:-1]
        return energy, forces

    def energy(self, frames):
        return self.predict(*energy_features(frames))[0]

    def forces(self, frames):
        return self.predict(*energy_features(frames))[1]


rng = np.random.default_rng(1)
shuffled = rng.permutation(train)
sizes = [8, 15, 30, len(train)]
curve = []
for size in sizes:
    subset = shuffled[:size]
    energy_model = EnergyModel().fit(
        X_energy[subset], X_gradient[subset], energies[subset], forces[subset]
    )
    e_pred, f_pred = energy_model.predict(X_energy[test], X_gradient[test])
    curve.append(
        (1000 * rmse(e_pred, energies[test]), 1000 * rmse(f_pred, forces[test]))
    )
    print(
        f"{size:3d} training molecules: test RMSE {curve[-1][0]:7.1f} meV, "
        f"forces {curve[-1][1]:7.1f} meV/Å"
    )
assert curve[-1][0] < curve[0][0] and curve[-1][1] < curve[0][1]

fig, ax = plt.subplots(figsize=figure_size(4.2))
ax.loglog(sizes, [c[0] for c in curve], "o-", label="energy / meV")
ax.loglog(sizes, [c[1] for c in curve], "s-", label="forces / meV/Å")
ax.set(
    xlabel="training molecules",
    ylabel="test RMSE / meV or meV/Å",
    title="Learning curve of the energy model",
)
ax.set_xticks(sizes, labels=[str(size) for size in sizes])
ax.set_yticks([1, 10, 100], labels=["1", "10", "100"])
ax.minorticks_off()
ax.legend()
plt.show()

# %%
# With all the training molecules, the predictions for the test molecules:

e_pred, f_pred = energy_model.predict(X_energy[test], X_gradient[test])
fig, axes = plt.subplots(1, 2, figsize=figure_size(3.6))
axes[0].scatter(energies[test], e_pred, s=12)
axes[0].plot([0, energies.max()], [0, energies.max()], color="0.5", linewidth=1)
axes[0].set(
    xlabel="PS energy / eV",
    ylabel="predicted / eV",
    title=f"energies, RMSE {curve[-1][0]:.1f} meV",
)
axes[1].scatter(forces[test].ravel(), f_pred.ravel(), s=6)
limit = np.abs(forces).max()
axes[1].plot([-limit, limit], [-limit, limit], color="0.5", linewidth=1)
axes[1].set(
    xlabel="PS force component / eV/Å",
    ylabel="predicted / eV/Å",
    title=f"forces, RMSE {curve[-1][1]:.1f} meV/Å",
)
for ax in axes:
    ax.set_aspect("equal")
plt.show()

# %%
# The forces come from invariant features, yet they rotate with the molecule: the
# gradient of an invariant is equivariant. And since the energy does not change
# when the molecule moves as a whole, they sum to zero.

test_frames = [frames[i] for i in test[::5]]
f_original = energy_model.forces(test_frames)
largest_rotation = 0.0
for R in random_rotation_matrix(5, seed=3):
    f_rotated = energy_model.forces(transform_frames(test_frames, R))
    largest_rotation = max(largest_rotation, np.abs(f_rotated - f_original @ R.T).max())
net_force = np.abs(f_original.sum(axis=1)).max()
assert largest_rotation < 1e-8 and net_force < 1e-8
print(f"predicted F(R·A) − R·F(A): largest deviation {largest_rotation:.1e} eV/Å")
print(f"largest net predicted force on a molecule: {net_force:.1e} eV/Å")

# %%
# (c) A tensor that turns twice
# -----------------------------
#
# Chapter 3 gave every molecule a symmetric rank-2 tensor built from its dipole,
# :math:`Y = \boldsymbol{\mu}\boldsymbol{\mu}^\top + |\boldsymbol{\mu}|^2\,
# \mathbb{1}` (e²Å²), and split it into a λ = 0 and a λ = 2 part, both with
# σ = +1 (its λ = 1 part vanishes since :math:`Y` is symmetric). Under a rotation
# it turns twice, :math:`Y \to R\,Y R^\top`. We learn it the way we learned the
# dipole: each part from the λ-SOAP block with the same (λ, σ), the weights
# shared over the components m. Only the λ = 0 part may have an intercept: a
# constant λ = 2 tensor would not turn with the molecule.


def rank2_target(dipoles):
    """Y = μ μᵀ + |μ|² 1 for each dipole (e·Å), in e²·Å²."""
    squared = np.einsum("ni,ni->n", dipoles, dipoles)
    return np.einsum("ni,nj->nij", dipoles, dipoles) + squared[:, None, None] * np.eye(
        3
    )


tensor_keys = Labels(["o3_lambda", "o3_sigma"], np.array([[0, 1], [2, 1]]))


def tensor_features(frames):
    """Oxygen-centred λ-SOAP blocks (λ, σ) = (0, +1) and (2, +1), {λ: (n, 2λ+1, p)}."""
    tensor = lambda_soap.compute(
        frames, selected_keys=tensor_keys, neighbors_to_properties=True
    )
    features = {}
    for lam in (0, 2):
        block = tensor.block({"o3_lambda": lam, "o3_sigma": 1, "center_type": 8})
        order = np.argsort(block.samples.column("system"))
        features[lam] = np.asarray(block.values)[order]
    return features


class TensorModel:
    """Ridge regression of the λ = 0 and λ = 2 parts of a symmetric tensor."""

    def __init__(self, regularization=1e-7):
        self.regularization = regularization

    @staticmethod
    def _rows(X, lam):
        rows = X.reshape(-1, X.shape[-1])  # (n (2λ+1), p)
        return np.hstack([rows, np.ones((len(rows), 1))]) if lam == 0 else rows

    def fit(self, features, tensors):
        parts = rank2_to_spherical(tensors)
        self.weights = {}
        for lam in (0, 2):
            rows = self._rows(features[lam], lam)
            scale = self.regularization * np.trace(rows.T @ rows) / rows.shape[1]
            self.weights[lam] = np.linalg.solve(
                rows.T @ rows + scale * np.eye(rows.shape[1]),
                rows.T @ parts[lam].reshape(-1),
            )
        return self

    def predict(self, features):
        """Cartesian tensors (n, 3, 3) in e²Å² from the features."""
        n = len(features[0])
        parts = {1: np.zeros((n, 3))}
        for lam in (0, 2):
            values = self._rows(features[lam], lam) @ self.weights[lam]
            parts[lam] = values.reshape(n, 2 * lam + 1)
        return spherical_to_rank2(parts)

    def __call__(self, frames):
        return self.predict(tensor_features(frames))


Y = rank2_target(dipoles)
Y_features = tensor_features(frames)
tensor_model = TensorModel().fit({k: X[train] for k, X in Y_features.items()}, Y[train])
Y_predicted = tensor_model.predict({k: X[test] for k, X in Y_features.items()})
upper = np.triu_indices(3)  # xx, xy, xz, yy, yz, zz
tensor_error = rmse(Y_predicted, Y[test])
tensor_relative = relative_error(
    Y_predicted[:, upper[0], upper[1]], Y[test][:, upper[0], upper[1]]
)
print(
    f"rank-2 tensor Y: test RMSE {tensor_error:.5f} e²Å², "
    f"{100 * tensor_relative:.1f} % of the spread of its varying components"
)
assert tensor_relative < 0.05

# %%
# The predicted tensor turns twice with the molecule, under proper and improper
# rotations alike (both parts have σ = +1 and even λ, so the inversion leaves
# them unchanged), for the 256 orientations of part (a):

Y_original = tensor_model([molecule])[0]
Y_rotated = tensor_model(rotated)
expected_Y = np.einsum("kij,jl,kml->kim", rotations, Y_original, rotations)
Y_improper = tensor_model([transform_frames([molecule], -R)[0] for R in rotations[:32]])
deviation_Y = max(
    np.abs(Y_rotated - expected_Y).max(), np.abs(Y_improper - expected_Y[:32]).max()
)
assert deviation_Y < 1e-12
print(f"prediction(P·A) = R prediction(A) Rᵀ for P = R and −R: {deviation_Y:.1e} e²Å²")

fig, ax = plt.subplots(figsize=figure_size(4.8))
for (i, j), color in zip(zip(*upper, strict=True), plt.cm.tab10.colors, strict=False):
    ax.scatter(
        Y[test][:, i, j],
        Y_predicted[:, i, j],
        s=16,
        color=color,
        label="xyz"[i] + "xyz"[j],
    )
limits = [Y.min(), Y.max()]
ax.plot(limits, limits, color="0.5", linewidth=1)
ax.set(
    xlabel="Y from the PS dipole / e²Å²",
    ylabel="predicted / e²Å²",
    title=f"rank-2 tensor, RMSE {tensor_error:.4f} e²Å²",
)
ax.legend(title="component", ncols=2, loc="upper left")
plt.show()

# %%
# In 3D, a symmetric positive tensor is an ellipsoid: its axes are the
# eigenvectors, their lengths the square roots of the eigenvalues (here 1 Å per
# e·Å). The widget shows the rotated copies with the tensor from the PS dipole
# (orange, below the molecule) and the predicted one (purple, above), seen from
# the side of the first orientation's plane; the map's colour is the predicted
# :math:`Y_{zz}`, which changes with the orientation, while the trace,
# :math:`4|\boldsymbol{\mu}|^2`, does not.

normals = np.cross(
    rotated_positions[:, 1] - rotated_positions[:, 0],
    rotated_positions[:, 2] - rotated_positions[:, 0],
)
normals /= np.linalg.norm(normals, axis=1, keepdims=True)
Y_true_rotated = rank2_target(true_rotated)
ellipsoids = {
    "PS tensor": (Y_true_rotated, -1.2, "#ff7f0e"),  # orange, below
    "predicted tensor": (Y_rotated, 1.2, "#7b3294"),  # purple, above
}

# the first orientation, seen along its H–H line from 30° above its plane
first = 0
hh = rotated_positions[first, 2] - rotated_positions[first, 1]
side = np.cos(np.radians(30)) * hh / np.linalg.norm(hh)
side += np.sin(np.radians(30)) * normals[first]
up = normals[first] - (normals[first] @ side) * side
extent = [rotated_positions[first]]
for tensors, offset, _ in ellipsoids.values():
    centre = centres[first] + offset * normals[first]
    radius = np.sqrt(np.linalg.eigvalsh(tensors[first]).max())  # Å, at 1 Å per e·Å
    extent.append(
        centre + radius * np.array([up, -up, np.cross(up, side), -np.cross(up, side)])
    )
camera = viewer_camera(np.concatenate(extent), towards_viewer=side, up=up)
chemiscope.show(
    bare_structures(rotated),
    metadata={
        "name": "a learned rank-2 tensor on 256 rotated molecules",
        "description": (
            "3D map of the Euler angles, one point per orientation, coloured by the "
            "zz component of the predicted tensor; the viewer shows the selected "
            "molecule with the tensor from the PS dipole (orange ellipsoid, below) "
            "and the predicted tensor (purple ellipsoid, above), which turn "
            "together."
        ),
    },
    properties=euler_angle_properties(A, B, G)
    | structure_properties(
        {
            "Y_zz": (Y_rotated[:, 2, 2], "e²Å²", "zz component of the predicted Y"),
            "trace": (
                np.trace(Y_rotated, axis1=1, axis2=2),
                "e²Å²",
                "trace of the predicted Y, the same in every orientation",
            ),
        }
    ),
    shapes={
        name: structure_ellipsoids(
            tensors, centres + offset * normals, scale=1.0, color=color
        )
        for name, (tensors, offset, color) in ellipsoids.items()
    },
    settings=euler_angle_settings("Y_zz", list(ellipsoids), camera=camera)
    | {"pinned": [first]},
)

# %%
# (d) Check your own model
# ------------------------
#
# Any model can be tested the same way:
# :func:`tutorial_helpers.symmetry_check.check_symmetries` takes a callable from
# frames to predictions (a numpy array or a one-block TensorMap), transforms the
# frames by random rotations, the inversion, improper rotations and translations,
# and reports the largest deviation from what the symmetry requires. Invariant
# outputs must not change; polar vectors must rotate and flip under inversion.

sample = frames[::10]
reports = {
    "dipole, ν = 2 model": check_symmetries(models[2], sample, kind="vector"),
    "energy model": check_symmetries(energy_model.energy, sample, kind="invariant"),
    "forces of the energy model": check_symmetries(
        energy_model.forces, sample, kind="vector"
    ),
}
for name, report in reports.items():
    print(f"{name}: {report}\n")
    assert report.passed(1e-8)

# %%
# And a failure, on purpose: the Cartesian ridge model from part (a). It was
# trained on flat molecules, so rotating the input changes its prediction in the
# wrong way; translations, on the other hand, it handles, because it only sees
# bond vectors.


def cartesian_model(frames):
    positions = np.array([atoms.positions for atoms in frames])
    return cartesian_features(positions) @ baseline_weights


broken = check_symmetries(cartesian_model, sample, kind="vector")
print(f"Cartesian ridge model: {broken}")
assert not broken.passed(1e-3)
assert broken.deviations["rotation"] > 0.1 and broken.deviations["translation"] < 1e-10

# %%
# (e) Towards equivariant networks
# --------------------------------
#
# Everything on these pages was built by hand: density coefficients that turn
# with :math:`D^\lambda`, Clebsch–Gordan products that keep them turning, linear
# models whose weights are shared over the components m. Equivariant neural
# networks stack the same pieces as learnable layers. Tensor field networks
# :cite:p:`thomas2018` and the interatomic potentials built like them, NequIP
# :cite:p:`batzner2022` and MACE :cite:p:`batatia2022`:
#
# - keep features indexed by (λ, σ), each turning with :math:`D^\lambda`;
# - replace the fixed density coefficients by *messages* along each bond,
#   :math:`\phi(r_{ij})\, Y_l(\hat{\mathbf{r}}_{ij})`, whose radial part
#   :math:`\phi` is learned;
# - combine messages and features with Clebsch–Gordan products, one learned
#   weight per path :math:`(l_1, l_2) \to \lambda`; MACE multiplies ν messages
#   at once, features of correlation order ν (body order ν + 1) as in the
#   recursion of chapter 5;
# - repeat over layers, so that information travels beyond one cutoff sphere.
#
# What does not change is the rule that keeps them exact: the weights of a
# linear layer are shared over m and never mix channels of different (λ, σ), and
# only true scalars (λ = 0, σ = +1) may go through any nonlinear function. A λ > 0
# channel may be multiplied by a function of invariants, a *gated nonlinearity*
# :cite:p:`weiler2018`. The check shows why, on the λ = 1 features of the 256
# rotated molecules: an element-wise tanh breaks equivariance, the more so the
# further the features reach into its curved part (ours are small, where tanh is
# nearly linear, so we also scale them up); a gate computed from the invariant
# norm of each channel keeps it at every scale.

X_original = vector_features([molecule], 2)[0]  # (3, p), m = -1, 0, 1
X_rotated = vector_features(rotated, 2)  # (256, 3, p)
D1 = rotations[:, YZX][:, :, YZX]  # D¹(R): R in the (y, z, x) order of m


def gate(X):
    """Each λ = 1 channel times a sigmoid of its own norm (an invariant)."""
    norms = np.linalg.norm(X, axis=-2, keepdims=True)  # over m: invariant
    return X / (1 + np.exp(-norms))


def equivariance_error(layer, scale):
    """Largest |layer(D¹ sX) − D¹ layer(sX)|, relative to the largest output."""
    expected = np.einsum("kmp,pq->kmq", D1, layer(scale * X_original))
    return np.abs(layer(scale * X_rotated) - expected).max() / np.abs(expected).max()


scales = (1, 3, 10)
layers = {"element-wise tanh": np.tanh, "gated by invariant norms": gate}
errors_layers = {
    name: [equivariance_error(layer, scale) for scale in scales]
    for name, layer in layers.items()
}
print("layer(D¹ sX) − D¹ layer(sX), relative, for s = " + ", ".join(map(str, scales)))
print(
    "  largest |sX|: "
    + ", ".join(f"{s * np.abs(X_original).max():.2f}" for s in scales)
)
for name, values in errors_layers.items():
    print(f"  {name}: " + ", ".join(f"{value:.1e}" for value in values))
tanh_errors = errors_layers["element-wise tanh"]
assert tanh_errors[0] > 1e-3 and np.all(np.diff(tanh_errors) > 0)
assert tanh_errors[-1] > 0.1
assert max(errors_layers["gated by invariant norms"]) < 1e-12

# %%
# "Invariant" is not enough either. A pseudoscalar (λ = 0, σ = −1) does not change
# under rotations but changes sign under inversion, so only an odd function of it
# is again a pseudoscalar. The triple product of three λ = 1 channels,
# :math:`\det(X_{:,p}, X_{:,q}, X_{:,r})`, is one. A flat molecule has none (its
# λ = 1 channels all lie in its plane), so we take two molecules together and
# pass the first oxygen's scalars :math:`X_{:,p} \cdot X_{:,p}` and pseudoscalars
# through tanh (odd), :math:`x^2` and :math:`|x|` (even), under inversions
# composed with rotations.

other = transform_frames([frames[70]], rotation_matrix(0.3, 1.1, 0.5), [0.4, 0.8, 2.6])
pair = [molecule + other[0]]


def scalar_channels(frames):
    """Scalars X_p·X_p and pseudoscalars det(X_p, X_q, X_r) from the ν = 1,
    λ = 1 features X (3, p) of the first atom, an oxygen, of each frame."""
    tensor = spherical_expansion.compute(frames)
    tensor = tensor.keys_to_properties(Labels(["neighbor_type"], np.array([[1], [8]])))
    block = tensor.block({"o3_lambda": 1, "o3_sigma": 1, "center_type": 8})
    first = np.flatnonzero(block.samples.column("atom") == 0)
    first = first[np.argsort(block.samples.column("system")[first])]
    X = np.asarray(block.values)[first]  # (n_frames, 3, p)
    triples = np.array(list(combinations(range(X.shape[-1]), 3)))
    pseudoscalars = np.linalg.det(np.moveaxis(X[:, :, triples], 1, -1))
    return np.einsum("nmp,nmp->np", X, X), pseudoscalars


scalars, pseudoscalars = scalar_channels(pair)
flat_pseudoscalars = scalar_channels([molecule])[1]
improper = [transform_frames(pair, -R)[0] for R in random_rotation_matrix(8, seed=4)]
moved_scalars, moved_pseudoscalars = scalar_channels(improper)
functions = {"tanh": np.tanh, "x²": np.square, "|x|": np.abs}
broken_by = {}
print("f(P·A) − σ f(A), relative, for P an inversion times a rotation:")
print(" " * 31 + "".join(f"{name:>9s}" for name in functions))
for kind, before, after, sign in (
    ("scalars (λ = 0, σ = +1)", scalars, moved_scalars, 1),
    ("pseudoscalars (λ = 0, σ = −1)", pseudoscalars, moved_pseudoscalars, -1),
):
    broken_by[kind] = {
        name: np.abs(f(after) - sign * f(before)).max() / np.abs(f(before)).max()
        for name, f in functions.items()
    }
    values = broken_by[kind].values()
    print(f"{kind:31s}" + "".join(f"{value:9.1e}" for value in values))
assert np.abs(flat_pseudoscalars).max() < 1e-12 * np.abs(pseudoscalars).max()
assert max(broken_by["scalars (λ = 0, σ = +1)"].values()) < 1e-12
pseudo = broken_by["pseudoscalars (λ = 0, σ = −1)"]
assert pseudo["tanh"] < 1e-12 and min(pseudo["x²"], pseudo["|x|"]) > 1

# %%
# To go on, e3nn :cite:p:`geiger2022` implements these layers in PyTorch. Mind
# the :ref:`conventions <conventions-spherical>`: its irreps ``1o`` and ``1e``
# carry the parity :math:`p = \sigma(-1)^\lambda`, not σ, and it orders the
# components of λ = 1 as (x, y, z).
