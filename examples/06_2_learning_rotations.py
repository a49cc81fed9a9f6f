"""
6.2 · Learning rotations from data, or building them in
========================================================

The dipole model of the previous page turns with the molecule because of how it
is built. Here we contrast it with a model on Cartesian coordinates, which has to
learn rotations from data, and with its exactly equivariant cousins. At the end
of this page you will be able to measure a model's equivariance error, say what
data augmentation buys and what it costs, and tell a gap that comes from
symmetry from one that comes from capacity.

.. note::

    Read :ref:`chapter 6.1 <sphx_glr_auto_examples_06_1_dipole_model.py>`
    first: its exactly equivariant λ-SOAP model is the reference on this page.
"""

# %%
import chemiscope
import matplotlib.pyplot as plt
import numpy as np

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.models import (
    DipoleModel,
    bond_monomials,
    chessboard_split,
    euler_angle_grid,
    monomials,
    oxygen_features,
    ridge_weights,
    rmse,
    rotated_copies,
)
from tutorial_helpers.rotations import random_rotation_matrix, rotation_matrix
from tutorial_helpers.symmetry_check import transform_frames
from tutorial_helpers.visualisation import (
    bare_structures,
    euler_angle_properties,
    euler_angle_settings,
    structure_arrows,
    structure_properties,
    viewer_camera,
)
from tutorial_helpers.water_model import ps_dipole

use_style()

frames = load_water_dataset()
dipoles = np.array([atoms.info["dipole"] for atoms in frames])  # e·Å
positions = np.array([atoms.positions for atoms in frames])  # Å, (121, 3, 3)
train, test = chessboard_split(len(frames))

# the reference: chapter 6.1's linear model on λ-SOAP (ν = 2, λ = 1) features
X = oxygen_features(frames, 1, nu=2)
model = DipoleModel(nu=2).fit(X[train], dipoles[train])
test_error = rmse(model.predict(X[test]), dipoles[test])
print(f"λ-SOAP model: test RMSE {test_error:.4f} e·Å on the flat test molecules")

# %%
# A model that has to learn rotations
# -----------------------------------
#
# For contrast, a model that ignores symmetry: ridge regression
# (:func:`~tutorial_helpers.models.ridge_weights`) from the Cartesian coordinates of
# the two O–H bonds :math:`\mathbf{b}_1, \mathbf{b}_2` (all monomials up to degree
# 3, 84 features: :func:`~tutorial_helpers.models.bond_monomials`) to the three
# Cartesian components of the dipole. Nothing in it knows that rotating the input
# should rotate the output; we can only show it rotated copies of the training set
# (*data augmentation*), here drawn at random several times over. We test it on
# every test molecule in many random orientations.
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
cubic = bond_monomials(points)
residual = cubic @ np.linalg.lstsq(cubic, terms, rcond=None)[0] - terms
residual = np.abs(residual).max() / np.abs(terms).max()
print(f"the control's terms as Cartesian cubics: relative residual {residual:.1e}")
assert residual < 1e-10

test_rotations = random_rotation_matrix(50, seed=10)
rotated_test_positions = np.einsum(
    "kij,naj->knai", test_rotations, positions[test]
).reshape(-1, 3, 3)


def rotate_test(vectors):
    """Vectors (n_test, 3) of the flat test molecules, for every test rotation."""
    return np.einsum("kij,nj->kni", test_rotations, vectors).reshape(-1, 3)


rotated_test_dipoles = rotate_test(dipoles[test])
print(f"rotated test: {len(test)} molecules × {len(test_rotations)} orientations")
# λ-SOAP is exactly equivariant (chapter 6.1): a few orientations give its error
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

flat_test_features = bond_monomials(positions[test])
rotated_test_features = bond_monomials(rotated_test_positions)
copies = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256]
draws = 40  # independent draws of the random copies


def ridge_from_sums(gram, rhs, regularization=1e-6):
    """ridge_weights from the sums FᵀF and FᵀY over the training rows."""
    scale = regularization * np.trace(gram) / len(gram)
    return np.linalg.solve(gram + scale * np.eye(len(gram)), rhs)


curves = {
    name: np.zeros((draws, len(copies)))
    for name in ("training", "flat", "rotated", "equivariance", "control")
}
for draw in range(draws):
    # the flat molecules, then 256 random copies: n copies are the first n
    turns = np.concatenate([np.eye(3)[None], random_rotation_matrix(256, 20 + draw)])
    train_dipoles = np.einsum("kij,nj->kni", turns, dipoles[train])
    train_features = bond_monomials(
        np.einsum("kij,naj->knai", turns, positions[train]).reshape(-1, 3, 3)
    ).reshape(len(turns), len(train), -1)
    # each copy adds its Gram matrix: the fits of 1 to 256 copies share them
    grams = np.cumsum(train_features.transpose(0, 2, 1) @ train_features, axis=0)
    rhs = np.cumsum(train_features.transpose(0, 2, 1) @ train_dipoles, axis=0)
    for c, n_copies in enumerate(copies):
        weights = ridge_from_sums(grams[n_copies], rhs[n_copies])
        predicted_flat = flat_test_features @ weights
        predicted = rotated_test_features @ weights
        shown = slice(0, n_copies + 1)  # the training rows of this fit
        for name, value in (
            ("training", train_features[shown] @ weights - train_dipoles[shown]),
            ("flat", predicted_flat - dipoles[test]),
            ("rotated", predicted - rotated_test_dipoles),
            ("equivariance", predicted - rotate_test(predicted_flat)),  # f(Rx) − Rf(x)
            ("control", predicted - control_predicted),
        ):
            curves[name][draw, c] = rmse(value, 0)
median = {name: np.median(values, axis=0) for name, values in curves.items()}
direct = ridge_weights(
    train_features[:5].reshape(-1, 84), train_dipoles[:5].reshape(-1, 3), 1e-6
)
assert np.abs(direct - ridge_from_sums(grams[4], rhs[4])).max() < 1e-6  # same fit

print(
    f"equivariant cubic control, {len(control_weights)} parameters: flat test "
    f"{control_flat:.4f}, rotated test {control_rotated:.4f} e·Å\n"
    f"equivariant ν = 2 model (λ-SOAP): {equivariant_error:.4f} e·Å "
    f"(rotated test, first {len(few)} orientations)"
)

# %%
# What the figure below shows (medians over the draws), each point checked:
#
# - **On flat molecules the Cartesian baseline is the best model here**: of its
#   84 monomials, the 49 with a z coordinate vanish on flat molecules, and the
#   other 35 per component interpolate the 2D grid very well.
# - **Without augmentation it fails on rotated molecules**, by two orders of
#   magnitude above λ-SOAP's error.
# - **A few rotated copies make it worse before they make it better**: 1 or 2
#   copies in more than half of the draws, 4 or 8 in nearly all. It fits the few
#   orientations it was shown and swings in between them.
# - **Dense copies make it nearly, not exactly, equivariant**: its RMSE comes
#   close to the control's, but :math:`f(R\mathbf{x}) \neq R f(\mathbf{x})` by
#   about as much as λ-SOAP's whole error, and its predictions differ from the
#   control's by several times the gap between the two RMSEs.
# - **Learning rotations costs it its accuracy on flat molecules**: its flat-test
#   error rises to the control's (brown).

at = copies.index
flat_columns = np.all(bond_monomials(positions[train]) == 0, axis=0)
no_copies = curves["rotated"][:, 0]  # the same fit in every draw
worse = {n: int(np.sum(curves["rotated"][:, at(n)] > no_copies)) for n in (1, 2, 4, 8)}
ratio = median["rotated"][0] / equivariant_error
gap = abs(median["rotated"][-1] - control_rotated)
dense = curves["equivariance"][:, -1] / equivariant_error  # per draw
assert flat_columns.sum() == 49 and np.sum(~flat_columns) == 35
assert abs(control_rotated - control_flat) < 1e-12  # the control is equivariant
assert abs(equivariant_error - test_error) < 1e-10  # rotations cost λ-SOAP nothing
assert median["flat"][0] < test_error  # the baseline wins on flat molecules...
assert round(np.log10(ratio)) == 2  # ...fails on rotated ones by two orders...
assert all(0.5 * draws < worse[n] < 0.9 * draws for n in (1, 2))  # ...first worse:
assert min(worse[4], worse[8]) >= 0.9 * draws  # in most draws, then nearly all,
assert np.all(curves["training"][:, at(8)] < curves["rotated"][:, at(8)] / 50)
assert gap < 0.05 * control_rotated  # dense copies: close RMSEs, but
assert 0.75 < np.median(dense) < 1.5 and np.mean(dense > 1) > 0.75  # not equivariant,
assert np.all(np.diff(median["equivariance"][at(16) :]) < 0)  # if less and less,
assert median["control"][-1] > 3 * gap  # and not the control's predictions
assert median["flat"][-1] > 10 * median["flat"][0]
assert abs(median["flat"][-1] - control_flat) < 0.05 * control_flat
print(
    f"no copies: rotated test {ratio:.0f} × λ-SOAP's error\n"
    f"1, 2, 4, 8 copies: worse than none in "
    f"{', '.join(str(worse[n]) for n in (1, 2, 4, 8))} of {draws} draws\n"
    f"{copies[-1]} copies: f(Rx) − R f(x) = {dense.min():.2f}–{dense.max():.2f} × "
    f"λ-SOAP's error, above it in {np.sum(dense > 1)}/{draws} draws\n"
    f"{copies[-1]} copies: {gap:.5f} e·Å from the control's RMSE, "
    f"yet {median['control'][-1]:.4f} e·Å from its predictions"
)

fig, ax = plt.subplots(figsize=figure_size(4.8))
low, high = curves["rotated"][:, 1:].min(axis=0), curves["rotated"][:, 1:].max(axis=0)
ax.fill_between(copies[1:], low, high, color="tab:blue", alpha=0.2, linewidth=0)
for name, style, color, label in (
    ("rotated", "o-", "tab:blue", "rotated test (draws shaded)"),
    ("training", "s--", "tab:orange", "training"),
    ("flat", "D-.", "tab:brown", "flat test"),
    ("equivariance", "^-", "tab:red", "f(Rx) − R f(x)"),
):
    ax.plot(copies[1:], median[name][1:], style, color=color, label=label)
for value, color, style, label in (
    (median["rotated"][0], "tab:blue", ":", "rotated, no copies ({:.3f} e·Å)"),
    (control_rotated, "tab:purple", "-", "cubic control ({:.4f} e·Å)"),
    (equivariant_error, "tab:green", "-", "λ-SOAP model ({:.4f} e·Å)"),
):
    ax.axhline(value, color=color, linestyle=style, label=label.format(value))
ax.set(xscale="log", yscale="log", ylabel="RMSE / e·Å")
ax.set_xlabel("rotated copies of each training molecule")
ax.set_title(f"Cartesian ridge with augmentation, medians over {draws} draws")
ax.set_xticks(copies[1::2], labels=[str(n) for n in copies[1::2]])
ax.set_yticks([1e-3, 1e-2, 1e-1], labels=["0.001", "0.01", "0.1"])
ax.minorticks_off()
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)
plt.show()

# %%
# The gap is capacity, not rotations
# ----------------------------------
#
# The control has nothing left to learn about rotations, yet it is as far behind
# λ-SOAP as the augmented baseline. Equivariance is a strong constraint: of the
# Cartesian family's 84 coefficients per component, solving
# :math:`f(P\mathbf{x}) = P f(\mathbf{x})` for random rotations and the inversion
# :math:`P` (below) leaves only the control's free; rotations alone leave one
# more, that of :math:`\mathbf{b}_1 \times \mathbf{b}_2`, normal to the molecule
# and of no use for its in-plane dipole. Augmentation approaches this small
# family, hence its rising flat-test error. With more capacity, polynomials
# :math:`g_k` of degree 2 and 3 in the invariants (5 and 7 in the bonds),
# equivariant models close the gap without learning rotations: degree 2 comes
# close to λ-SOAP, degree 3 passes it.


def equivariant_coefficients(transforms):
    """A basis (252, k) of the W with f(P x) = P f(x), f(x) = Wᵀ bond_monomials(x),
    for x the random molecules ``points``: W (84, 3) flattened."""
    before = bond_monomials(points)
    constraints = [
        np.kron(bond_monomials(points @ P.T), np.eye(3)) - np.kron(before, P)
        for P in transforms
    ]
    _, singular, vt = np.linalg.svd(np.vstack(constraints), full_matrices=False)
    return vt[singular < 1e-9 * singular[0]].T


def outside(basis, W):
    """Largest part of the coefficients W (252, n) outside the span of basis."""
    return np.abs(W - basis @ (basis.T @ W)).max() / np.abs(W).max()


proper = random_rotation_matrix(3, seed=1)
spaces = {
    "rotations": equivariant_coefficients(proper),
    "rotations and inversion": equivariant_coefficients([*proper, -np.eye(3)]),
}
free = {name: basis.shape[1] for name, basis in spaces.items()}
# the control's 8 terms and b1 × b2, as coefficients (252,) of the 84 monomials
control_terms = np.linalg.lstsq(cubic, terms, rcond=None)[0].reshape(252, -1)
bonds = points[:, 1:] - points[:, :1]
cross = np.linalg.lstsq(cubic, np.cross(bonds[:, 0], bonds[:, 1]), rcond=None)[0]
cross = cross.reshape(252, 1)
print(
    f"of the {3 * len(flat_columns)} cubic coefficients, {free['rotations']} stay "
    f"free under rotations, {free['rotations and inversion']} with the inversion too"
)
both = spaces["rotations and inversion"]
assert free["rotations and inversion"] == len(control_weights)  # as many as the
assert np.linalg.matrix_rank(control_terms) == len(control_weights)  # control's
assert outside(both, control_terms) < 1e-8  # terms, which span them;
assert free["rotations"] == free["rotations and inversion"] + 1  # rotations: one
assert outside(spaces["rotations"], cross) < 1e-8 < outside(both, cross)  # more, b1×b2

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
print(f"largest f(Rx) − R f(x) of these models: {deviations.max():.1e} e·Å")
assert deviations.max() < 1e-7  # equivariant, to the rounding of ill-conditioned fits
assert np.all(np.diff(rotated_errors) < 0)  # more capacity, smaller error
assert rotated_errors[0] > 5 * equivariant_error  # degree 1: far behind,
assert rotated_errors[1] < 1.25 * equivariant_error  # degree 2: close,
assert rotated_errors[2] < equivariant_error  # degree 3: better than λ-SOAP

fig, ax = plt.subplots(figsize=figure_size(3.4))
ax.plot(
    n_parameters, rotated_errors, "o-", color="tab:purple", label="equivariant g(I) b"
)
for degree, (n, _, error) in capacity.items():
    ax.annotate(f"degree {degree}", (n, error), (6, 6), textcoords="offset points")
label, n_cartesian = f"Cartesian cubic, {copies[-1]} copies", 3 * len(flat_columns)
ax.plot(n_cartesian, median["rotated"][-1], "X", c="tab:blue", ms=9, label=label)
label = f"λ-SOAP model, {len(model.weights)} weights"
ax.axhline(equivariant_error, color="tab:green", label=label)
ax.set(xscale="log", yscale="log", ylim=(1e-3, 4e-2), xlabel="parameters")
ax.set_ylabel("RMSE, rotated test / e·Å")
ax.set_title("Equivariant models: the error falls with capacity")
ticks = [1e-3, 2e-3, 5e-3, 1e-2, 2e-2]
ax.set_yticks(ticks, labels=[f"{tick:g}" for tick in ticks])
ax.set_xticks([10, 30, 100, 300], labels=["10", "30", "100", "300"])
ax.minorticks_off()
ax.legend(loc="upper center")
plt.show()

# %%
# Seeing the difference
# ---------------------
#
# The widget shows the 256 rotated copies of one molecule (a training molecule,
# chapter 6.1's), each with three dipoles
# drawn from its centre and scaled by 2 Å per e·Å: the PS dipole (orange), the
# equivariant λ-SOAP model's (purple: a thicker shaft under the orange head), and
# the Cartesian ridge model's trained without augmentation (black). The map's
# axes are the Euler angles, and its colour is the Cartesian model's error. The
# widget opens on the orientation where that error is largest, seen across the
# error, and keeps that view as you pick other orientations: the purple arrow
# follows the orange one in every orientation, the black one does not.

molecule = frames[26]  # chapter 6.1's molecule, in chapter 2's 256 orientations
assert 26 in train  # a training molecule: its errors are training errors
A, B, G = euler_angle_grid()
rotations = rotation_matrix(A, B, G)
rotated = rotated_copies(molecule, rotations)
rotated_positions = np.array([atoms.positions for atoms in rotated])
true_rotated = ps_dipole(rotated_positions)  # e·Å
predicted_rotated = model(rotated)  # the λ-SOAP model
errors = np.linalg.norm(predicted_rotated - true_rotated, axis=1)

flat_features = bond_monomials(positions[train])
baseline_weights = ridge_weights(flat_features, dipoles[train], 1e-6)
baseline_rotated_dipoles = bond_monomials(rotated_positions) @ baseline_weights
baseline_errors = np.linalg.norm(baseline_rotated_dipoles - true_rotated, axis=1)
worst = int(np.argmax(baseline_errors))
print(f"|error| in e·Å over the {len(rotated)} orientations:")
print(
    f"  Cartesian model {baseline_errors.min():.3f} to {baseline_errors.max():.3f} "
    f"(largest for orientation #{worst}, where the widget opens)"
)
print(f"  equivariant model {errors.max():.5f} everywhere")
assert baseline_errors.max() > 100 * errors.max()

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
chemiscope.show(
    bare_structures(rotated),
    metadata={
        "name": "true and predicted dipoles of 256 rotated molecules",
        "description": (
            "3D map of the Euler angles, coloured by the Cartesian model's error; "
            "the viewer shows the PS dipole (orange arrow), the equivariant model's "
            "(purple), which follows it, and the Cartesian model's (black), which "
            "does not. It opens on the orientation where that error is largest."
        ),
    },
    properties=euler_angle_properties(A, B, G)
    | structure_properties(
        {
            "cartesian_error": (baseline_errors, "e·Å", "|Cartesian − PS dipole|"),
            "equivariant_error": (errors, "e·Å", "|λ-SOAP model − PS dipole|"),
        }
    ),
    shapes=shapes,
    settings=euler_angle_settings("cartesian_error", list(arrows), camera=camera)
    | {"pinned": [worst]},
)
# %%
# Key points
# ----------
#
# - A Cartesian model trained on rotated copies is only nearly equivariant: measure
#   f(Rx) − R f(x), not only its RMSE.
# - A control with the symmetry built in and the same capacity tells a gap due to
#   symmetry from one due to capacity.

# %%
# Exercises
# ---------
#
# 1. **The worst orientation.** The widget opens on the worst of the grid's 256
#    orientations for the Cartesian model without copies. Search every
#    orientation: how large does its error get (e·Å), and how is the molecule
#    turned then? Hint: look at its weights for monomials with a z, and for μ_z.
# 2. **Augment with a group.** Train the Cartesian model on the training
#    molecules turned by the 24 rotations that map a cube onto itself (the
#    signed permutation matrices of determinant 1). Before you measure, predict
#    its equivariance error on the test molecules for those 24 rotations, and
#    for the 50 random test rotations.
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · The worst orientation

from scipy.optimize import minimize  # noqa: E402

from tutorial_helpers.rotations import matrix_to_angles  # noqa: E402


def baseline_error(angles):
    """|Cartesian model − PS dipole| (e·Å) for the molecule turned by ZYZ angles."""
    turned = molecule.positions[None] @ rotation_matrix(*angles).T
    return np.linalg.norm(bond_monomials(turned) @ baseline_weights - ps_dipole(turned))


search = random_rotation_matrix(20000, seed=7)
turned = np.einsum("kij,aj->kai", search, molecule.positions)  # (20000, 3, 3), Å
search_errors = np.linalg.norm(
    bond_monomials(turned) @ baseline_weights - ps_dipole(turned), axis=1
)
start = matrix_to_angles(search[np.argmax(search_errors)])
best = minimize(lambda angles: -baseline_error(angles), start, method="Nelder-Mead")
R = rotation_matrix(*best.x)
normal = np.cross(*(molecule.positions[1:] - molecule.positions[0]) @ R.T)
tilt = np.degrees(np.arccos(abs(normal[2]) / np.linalg.norm(normal)))
mu = ps_dipole(molecule.positions[None] @ R.T)[0]  # the PS dipole there, e·Å
z_share = abs(mu[2]) / np.linalg.norm(mu)
print(
    f"worst |error| {-best.fun:.3f} e·Å (the grid's worst: "
    f"{baseline_errors.max():.3f} e·Å),\nwith the molecule's plane {tilt:.0f}° "
    f"from the xy plane and |μ_z| / |μ| = {z_share:.2f}"
)
print(
    "largest weight on a monomial with a z coordinate: "
    f"{np.abs(baseline_weights[flat_columns]).max()}; on μ_z: "
    f"{np.abs(baseline_weights[:, 2]).max()}"
)
assert -best.fun > 1.1 * baseline_errors.max() and tilt > 80 and z_share > 0.8
assert not baseline_weights[flat_columns].any() and not baseline_weights[:, 2].any()

# %%
# The model never saw a z coordinate, and ridge regression leaves the weights of
# features that are zero in training at zero: it sees only the shadow of the
# molecule on the xy plane, and never predicts a μ_z. It fails worst when the
# molecule stands on edge, its plane nearly vertical: the shadow is then nearly
# a line, far from every training molecule, and much of the dipole points
# along z, where the model predicts nothing.
#
# .. solution:: 2 · Augment with a group

from itertools import permutations, product  # noqa: E402

signed_permutations = [
    np.diag(signs)[list(order)]
    for order in permutations(range(3))
    for signs in product((1.0, -1.0), repeat=3)
]
cube = np.array([P for P in signed_permutations if np.linalg.det(P) > 0])
cube_weights = ridge_weights(
    bond_monomials(np.concatenate([positions[train] @ P.T for P in cube])),
    np.concatenate([dipoles[train] @ P.T for P in cube]),
    1e-6,
)
cube_flat = bond_monomials(positions[test]) @ cube_weights


def cube_equivariance_error(R):
    """Largest |f(R x) − R f(x)| over the test molecules, in e·Å."""
    turned = bond_monomials(positions[test] @ R.T) @ cube_weights
    return np.abs(turned - cube_flat @ R.T).max()


on_cube = max(cube_equivariance_error(P) for P in cube)
off_cube = max(cube_equivariance_error(R) for R in test_rotations)
print(f"{len(cube)} rotations of the cube: f(Rx) − R f(x) up to {on_cube:.1e} e·Å")
print(f"50 random rotations: up to {off_cube:.3f} e·Å")
assert len(cube) == 24 and on_cube < 1e-10 and off_cube > 10 * test_error

# %%
# Exactly equivariant for the 24, not for the others. A rotation of the cube sends
# each bond coordinate to ± another, so each monomial to ± another: it acts on the
# 84 features by a signed permutation, an orthogonal matrix. It also maps the
# augmented training set onto itself, and the ridge penalty :math:`|W|^2` does not
# change under an orthogonal change of the weights, so the one ridge solution cannot
# change either. Augmentation makes a model exactly equivariant only under a group
# it covers entirely; the rotations of SO(3) are infinitely many.
