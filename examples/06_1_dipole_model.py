"""
6.1 · A linear model of the dipole
==================================

Everything so far comes together in this chapter. On this page we fit a linear
model of the dipole on λ = 1 features, which is equivariant *by construction*:
trained only on flat molecules in the xy plane, it predicts the dipole of every
rotated copy exactly as well. At the end of this page you will be able to fit
such a model on the density coefficients or on λ-SOAP, tell from its form why it
turns with the molecule, and check that it does.

.. note::

    Read :ref:`chapter 5.2 <sphx_glr_auto_examples_05_2_lambda_soap.py>` first,
    and :ref:`chapter 2 <sphx_glr_auto_examples_02_rotations_and_vectors.py>`
    for the 256 rotated molecules used below.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.models import (
    DipoleModel,
    chessboard_split,
    euler_angle_grid,
    oxygen_features,
    relative_error,
    rmse,
    rotated_copies,
)
from tutorial_helpers.rotations import rotation_matrix
from tutorial_helpers.units import EA_TO_DEBYE
from tutorial_helpers.water_model import ps_dipole

use_style()

frames = load_water_dataset()
dipoles = np.array([atoms.info["dipole"] for atoms in frames])  # e·Å
assert not dipoles[:, 2].any()  # flat molecules in the xy plane: μ_z = 0

# half of the grid for training, the other half for testing, like a chessboard
train, test = chessboard_split(len(frames))
print(f"{len(train)} training and {len(test)} test molecules")

# %%
# The features
# ------------
#
# The dipole is a λ = 1, σ = +1 spherical tensor. We describe each molecule by the
# oxygen-centred λ = 1, σ = +1 features of correlation order ν = 1 (the density
# coefficients of chapter 4, body order 2) or ν = 2 (λ-SOAP, products of two
# density coefficients, body order 3; chapter 5). For each molecule they form an
# array of shape (3, p): three ``o3_mu`` components, p properties.
# :func:`~tutorial_helpers.models.oxygen_features` computes them with featomic
# (with the hypers :data:`~tutorial_helpers.models.DENSITY_HYPERS`) and puts each
# neighbour species' features side by side as properties.

features = {nu: oxygen_features(frames, 1, nu=nu) for nu in (1, 2)}
for nu, X in features.items():
    print(f"ν = {nu}: features of shape {X.shape}")

# %%
# The model
# ---------
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
# vector would not rotate. :class:`~tutorial_helpers.models.DipoleModel` fits the
# weights by ridge regression, stacking the three components of every training
# molecule as rows. We report the RMSE over all components and, to compare it
# with what there is to predict, the RMSE over the components that vary (μ_x and
# μ_y: the molecules are flat) as a fraction of their spread over the test
# molecules (:func:`~tutorial_helpers.models.relative_error`; 100 % is the error
# of predicting each component's mean).

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
# The ν = 1 model fails, as
# :ref:`chapter 5.3 <sphx_glr_auto_examples_05_3_feature_space.py>` predicted: on
# oxygen-centred ν = 1 features its prediction is a sum of one term per O–H bond,
# so it cannot make the bond charges depend on the angle. The ν = 2 model, whose
# features contain both hydrogens at once, fits the dipole surface closely.

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
# --------------------------------------------
#
# All the training molecules lie in the xy plane. We now predict the dipoles of
# the 256 rotated copies of chapter 2 (8 α × 4 β × 8 γ) of one training molecule,
# so the error below is a training error. For each copy the prediction equals the
# rotated prediction for the original molecule, to machine precision, so the
# error against the true PS dipole is the same in every orientation.

molecule = frames[26]
assert 26 in train  # a training molecule
rotations = rotation_matrix(*euler_angle_grid())  # (256, 3, 3)
rotated = rotated_copies(molecule, rotations)

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
print(
    f"|error| is {error_original:.5f} e·Å for the original (a training molecule) "
    "and for all 256 copies"
)

# %%
# The :ref:`next page <sphx_glr_auto_examples_06_2_learning_rotations.py>` asks
# what a model that is *not* built this way has to go through to learn the same
# thing.

# %%
# Key points
# ----------
#
# - A linear model with the same weights for the three components of λ = 1 features, and
#   no intercept, is equivariant whatever its weights.
# - Trained on flat molecules only, it predicts every turned copy exactly as well.
# - ν = 1 features cannot fit the dipole surface; ν = 2 features can.

# %%
# Exercises
# ---------
#
# 1. **Predict, then measure.** The ν = 1 model is a poor model of the dipole.
#    Before you measure it, predict how far its predictions for the 256 rotated
#    copies are from its rotated prediction for the original molecule, and how
#    much its error against the PS dipole changes from one orientation to the
#    next. Then measure both.
# 2. **A constant vector.** Give the ν = 2 model an intercept: add the mean
#    training dipole :math:`\mathbf{c}` to every prediction. Predict its
#    equivariance error on each rotated copy, :math:`f(R A) - R f(A)`, as a
#    formula in :math:`R` and :math:`\mathbf{c}`; then check it, and compare
#    the largest one (e·Å) with the model's test RMSE.
# 3. **Mirror partners.** Reflecting a molecule of the grid in the plane x = 0
#    (the mirror :math:`M = \mathrm{diag}(-1, 1, 1)`) swaps its two O–H bonds,
#    giving the molecule of the grid with the opposite Δr and the same θ.
#    Predict how the ν = 2 model's dipole for the partner relates to its dipole
#    for the molecule, and check it on every molecule of the grid.
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · Predict, then measure

poor = models[1]
poor_original = poor([molecule])[0]
poor_rotated = poor(rotated)
poor_deviation = np.abs(
    poor_rotated - np.einsum("kij,j->ki", rotations, poor_original)
).max()
poor_errors = np.linalg.norm(poor_rotated - true_rotated, axis=1)  # e·Å
print(f"ν = 1: f(R·A) − R·f(A) up to {poor_deviation:.1e} e·Å")
print(
    f"|error| from {poor_errors.min():.5f} to {poor_errors.max():.5f} e·Å "
    f"(spread {np.ptp(poor_errors):.1e} e·Å)"
)
assert poor_deviation < 1e-12 and np.ptp(poor_errors) < 1e-12
assert poor_errors[0] > 10 * error_original  # a poor model, yet exactly equivariant

# %%
# Equivariance says nothing about accuracy: a poor model built from λ = 1
# features and weights shared over m is exactly as equivariant as a good one. It
# is wrong by the same amount, turned, in every orientation.
#
# .. solution:: 2 · A constant vector

c = dipoles[train].mean(axis=0)  # e·Å


def with_intercept(frames):
    return model(frames) + c


turned = np.einsum("kij,j->ki", rotations, with_intercept([molecule])[0])  # R f(A)
measured = with_intercept(rotated) - turned  # f(R A) − R f(A), e·Å
predicted_error = c - rotations @ c  # f(RA) − R f(A) = c − R c
np.testing.assert_allclose(measured, predicted_error, atol=1e-12)
largest = np.linalg.norm(predicted_error, axis=1).max()
print(f"|c| = {np.linalg.norm(c):.4f} e·Å; largest |c − R c| = {largest:.4f} e·Å")
print(f"that is {largest / test_errors[2]:.0f} × the test RMSE")
assert abs(largest - 2 * np.linalg.norm(c)) < 1e-12 and largest > 100 * test_errors[2]

# %%
# The model's part turns, the constant does not: the error is
# :math:`\mathbf{c} - R\mathbf{c}`, zero for rotations about
# :math:`\mathbf{c}` and as large as :math:`2|\mathbf{c}|` for half-turns
# about an axis normal to it, which the grid of orientations holds.
#
# .. solution:: 3 · Mirror partners

M = np.diag([-1.0, 1.0, 1.0])
place = {
    (round(a.info["OH1"], 6), round(a.info["OH2"], 6), a.info["HOH"]): k
    for k, a in enumerate(frames)
}  # r1, r2 in Å and θ in ° -> index in the grid
partner = [
    place[(round(a.info["OH2"], 6), round(a.info["OH1"], 6), a.info["HOH"])]
    for a in frames
]
mirrored = np.array([atoms.positions for atoms in frames]) @ M
partner_positions = np.array([frames[k].positions for k in partner])
# the mirror image is the partner, with its two hydrogens swapped
np.testing.assert_allclose(mirrored[:, [0, 2, 1]], partner_positions, atol=1e-12)
own = model(frames)
mismatch = np.abs(own[partner] - own @ M).max()
print(f"f(partner) − M f(molecule): largest {mismatch:.1e} e·Å")
print(f"the PS dipoles obey it too: {np.abs(dipoles[partner] - dipoles @ M).max():.1e}")
assert mismatch < 1e-12

# %%
# The partner's dipole is the mirror image, :math:`(-\mu_x, \mu_y, 0)`. The
# mirror is the inversion times a half-turn about x, :math:`M = -R_x(\pi)`; the
# features are polar (σ = +1), so they flip with the one and turn with the
# other, and they do not depend on the order of the atoms. For Δr = 0 the
# partner is the molecule itself, whose μ_x must then vanish.
