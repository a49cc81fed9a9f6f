"""
6.4 · A tensor that turns twice
===============================

A dipole turns once with the molecule; a rank-2 tensor such as a
polarisability turns twice, Y → R Y Rᵀ. On this page we learn one
the way we learned the dipole, one spherical part at a time, and see the
predicted tensor turn with the molecule as an ellipsoid. At the end of this page
you will be able to split a rank-2 target into its λ parts, fit each on the
λ-SOAP block with the same (λ, σ), and put the prediction back together.

.. note::

    Read :ref:`chapter 6.1 <sphx_glr_auto_examples_06_1_dipole_model.py>` first,
    and :ref:`chapter 3.1 <sphx_glr_auto_examples_03_1_wigner_d_blocks.py>` for
    the parts of a rank-2 tensor.
"""

# %%
import chemiscope
import matplotlib.pyplot as plt
import numpy as np

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.models import (
    chessboard_split,
    euler_angle_grid,
    oxygen_features,
    relative_error,
    ridge_weights,
    rmse,
    rotated_copies,
)
from tutorial_helpers.rotations import rotation_matrix
from tutorial_helpers.spherical import (
    rank2_to_spherical,
    real_spherical_harmonics,
    spherical_to_rank2,
)
from tutorial_helpers.symmetry_check import transform_frames
from tutorial_helpers.visualisation import (
    bare_structures,
    euler_angle_properties,
    euler_angle_settings,
    structure_ellipsoids,
    structure_properties,
    viewer_camera,
)
from tutorial_helpers.water_model import ps_dipole

use_style()

frames = load_water_dataset()
dipoles = np.array([atoms.info["dipole"] for atoms in frames])  # e·Å
# half of the grid for training, the other half for testing, like a chessboard
train, test = chessboard_split(len(frames))

# %%
# The target and the model
# ------------------------
#
# :ref:`Chapter 3.1 <sphx_glr_auto_examples_03_1_wigner_d_blocks.py>` gave every
# molecule a symmetric rank-2 tensor built from its dipole,
# :math:`Y = \boldsymbol{\mu}\boldsymbol{\mu}^\top + |\boldsymbol{\mu}|^2\, \mathbb{1}`
# (e²Å²), and split it into a λ = 0 and a λ = 2 part, both with σ = +1 (there is no
# λ = 1 part: :math:`Y` is symmetric). Under a rotation it turns twice,
# :math:`Y \to R\,Y R^\top`. We learn it like the dipole: each part from the λ-SOAP
# block with the same (λ, σ), the weights shared over the components m. Only the λ = 0
# part may have an intercept: a constant λ = 2 tensor would not turn with the molecule.


def rank2_target(dipoles):
    """Y = μ μᵀ + |μ|² 1 for each dipole (e·Å), in e²·Å²."""
    squared = np.einsum("ni,ni->n", dipoles, dipoles)
    return np.einsum("ni,nj->nij", dipoles, dipoles) + squared[:, None, None] * np.eye(
        3
    )


def tensor_features(frames):
    """Oxygen-centred λ-SOAP blocks (λ, σ) = (0, +1) and (2, +1), {λ: (n, 2λ+1, p)}."""
    return {lam: oxygen_features(frames, lam, nu=2) for lam in (0, 2)}


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
        self.weights = {
            lam: ridge_weights(
                self._rows(features[lam], lam),
                parts[lam].reshape(-1),
                self.regularization,
            )
            for lam in (0, 2)
        }
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
# The test molecules lie in the xy plane, like every molecule of the grid, so
# their dipoles have no z component and :math:`Y_{xz} = Y_{yz} = 0`, in the target
# and in the prediction alike (the mirror z → −z leaves a flat molecule as it is).
# The parity plot shows the four other components:

plane = (np.array([0, 1]), np.array([2, 2]))  # xz, yz
assert np.abs(Y[test][:, *plane]).max() == 0
assert np.abs(Y_predicted[:, *plane]).max() < 1e-12 * np.abs(Y_predicted).max()
fig, ax = plt.subplots(figsize=figure_size(4.8))
shown = [(i, j) for i, j in zip(*upper, strict=True) if j < 2 or i == j]
for (i, j), color in zip(shown, plt.cm.tab10.colors, strict=False):
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
    title=f"test molecules, RMSE {tensor_error:.4f} e²Å²",
)
ax.legend(title="component", ncols=2, loc="upper left")
plt.show()

# %%
# It turns twice
# --------------
#
# The predicted tensor turns twice with the molecule, under proper and improper
# rotations alike (both parts have σ = +1 and even λ, so the inversion leaves
# them unchanged), for the 256 orientations of chapter 2 of a test molecule.
# Turned out of the plane, it has all six components, and each prediction for a
# turned molecule lands on the turned prediction, :math:`R\,Y R^\top`:

index = 27
molecule = frames[index]
assert index in test  # a test molecule: the model never saw it
A, B, G = euler_angle_grid()
rotations = rotation_matrix(A, B, G)
rotated = rotated_copies(molecule, rotations)

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
# open markers of six shapes: the components overlap, and each stays visible
styles = zip(zip(*upper, strict=True), plt.cm.tab10.colors, "osD^vx", strict=False)
for (i, j), color, marker in styles:
    ax.scatter(
        expected_Y[:, i, j],
        Y_rotated[:, i, j],
        s=30 if marker == "x" else 22,
        marker=marker,
        facecolors=color if marker == "x" else "none",
        edgecolors=None if marker == "x" else color,
        linewidths=0.9,
        label="xyz"[i] + "xyz"[j],
    )
limits = [expected_Y.min(), expected_Y.max()]
ax.plot(limits, limits, color="0.5", linewidth=1)
ax.set(
    xlabel="R Y(A) Rᵀ, the turned prediction / e²Å²",
    ylabel="prediction for R·A / e²Å²",
    title=f"test molecule {index} in {len(rotations)} orientations",
)
ax.legend(title="component", ncols=2, loc="upper left")
plt.show()

# %%
# In 3D, a symmetric positive tensor is an ellipsoid: its axes are the
# eigenvectors, their lengths the square roots of the eigenvalues (here 1 Å per
# e·Å). The widget shows the rotated copies with the tensor from the PS dipole
# (orange, below the molecule) and the predicted one (purple, above), seen from
# the side of the first orientation's plane; the map's colour is the predicted
# :math:`Y_{zz}`, which changes with the orientation, while the trace of the
# predicted tensor does not. (The trace of Y is :math:`4|\boldsymbol{\mu}|^2`;
# the predicted trace is close to it, not equal.)

rotated_positions = np.array([atoms.positions for atoms in rotated])  # Å
true_rotated = ps_dipole(rotated_positions)  # e·Å
centres = rotated_positions.mean(axis=1)
normals = np.cross(
    rotated_positions[:, 1] - rotated_positions[:, 0],
    rotated_positions[:, 2] - rotated_positions[:, 0],
)
normals /= np.linalg.norm(normals, axis=1, keepdims=True)
Y_true_rotated = rank2_target(true_rotated)
traces = np.trace(Y_rotated, axis1=1, axis2=2)
four_mu2 = 4 * np.sum(true_rotated[0] ** 2)  # e²Å², the trace of Y
assert np.ptp(traces) < 1e-12 and 0 < abs(traces[0] / four_mu2 - 1) < 0.01
print(
    f"predicted trace {traces[0]:.5f} e²Å² in every orientation; "
    f"4|μ|² = {four_mu2:.5f} e²Å²"
)
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
# Key points
# ----------
#
# - A rank-2 target is learned one spherical part at a time, each from the λ-SOAP block
#   with the same (λ, σ); only the λ = 0 part may have an intercept.
# - The prediction turns twice, Y → R Y Rᵀ, and its trace does not change.

# %%
# Exercises
# ---------
#
# 1. **The parts of a bond tensor.** Another symmetric tensor of each molecule
#    is :math:`T = \mathbf{b}_1\mathbf{b}_1^\top + \mathbf{b}_2\mathbf{b}_2^\top`
#    (Å²), from its two O–H bonds. Write its λ = 0 and λ = 2 parts in terms of
#    the bond lengths and the real spherical harmonics of the bond directions
#    (:func:`~tutorial_helpers.spherical.real_spherical_harmonics`), then check
#    them against :func:`~tutorial_helpers.spherical.rank2_to_spherical`.
# 2. **Which features suffice?** Fit ``TensorModel`` to :math:`T` and to
#    :math:`Y` on the density coefficients (ν = 1) instead of λ-SOAP:
#    ``oxygen_features(frames, λ, nu=1)``. Predict which of the two targets
#    this model can learn, then measure both relative errors.
# 3. **What does not turn.** Predict the eigenvalues of :math:`Y` in terms of
#    :math:`|\boldsymbol{\mu}|`, and how those of the predicted tensor change
#    over the 256 orientations; then check both (e²Å²).
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · The parts of a bond tensor

positions = np.array([atoms.positions for atoms in frames])  # Å
bonds = positions[:, 1:] - positions[:, :1]  # (n, 2, 3): O–H1, O–H2
T = np.einsum("nki,nkj->nij", bonds, bonds)  # Å²
squared_lengths = np.einsum("nki,nki->nk", bonds, bonds)  # Å²
harmonics = real_spherical_harmonics(2, bonds.reshape(-1, 3)).reshape(-1, 2, 5)
by_hand = {
    0: -squared_lengths.sum(axis=1, keepdims=True) / np.sqrt(3),
    1: np.zeros((len(T), 3)),
    2: np.sqrt(8 * np.pi / 15) * np.einsum("nk,nkm->nm", squared_lengths, harmonics),
}
T_parts = rank2_to_spherical(T)
for lam in (0, 1, 2):
    np.testing.assert_allclose(T_parts[lam], by_hand[lam], atol=1e-14)
print("T's parts by hand = rank2_to_spherical(T): checked for λ = 0, 1, 2")

# %%
# Each bond adds the parts of :math:`\mathbf{b}\mathbf{b}^\top =
# |\mathbf{b}|^2\,\hat{\mathbf{b}}\hat{\mathbf{b}}^\top`, which
# :ref:`chapter 3.2 <sphx_glr_auto_examples_03_2_parts_and_parity.py>` gave:
# :math:`-|\mathbf{b}|^2/\sqrt{3}` for λ = 0 and
# :math:`\sqrt{8\pi/15}\,|\mathbf{b}|^2\, Y_2^m(\hat{\mathbf{b}})` for λ = 2.
# Both have σ = +1, and there is no λ = 1 part, since :math:`T` is symmetric.
#
# .. solution:: 2 · Which features suffice?

density = {lam: oxygen_features(frames, lam, nu=1) for lam in (0, 2)}
relative = {}
for name, target in (("T", T), ("Y", Y)):
    nu1_model = TensorModel().fit(
        {k: X[train] for k, X in density.items()}, target[train]
    )
    guess = nu1_model.predict({k: X[test] for k, X in density.items()})
    relative[name] = relative_error(
        guess[:, upper[0], upper[1]], target[test][:, upper[0], upper[1]]
    )
    print(f"ν = 1 model of {name}: {100 * relative[name]:.2f} % of the spread")
assert relative["T"] < 0.01 and relative["Y"] > 1  # Y: worse than the mean

# %%
# :math:`T` is a sum of one term per bond, each a smooth function of that bond
# alone: the kind of function the density coefficients, a sum over neighbours,
# describe (:ref:`chapter 5.3 <sphx_glr_auto_examples_05_3_feature_space.py>`).
# :math:`Y` is built from the dipole, whose charges depend on the angle between
# the bonds: the ν = 1 model does worse on it than predicting the mean.
#
# .. solution:: 3 · What does not turn

squared_dipole = np.einsum("i,i->", true_rotated[0], true_rotated[0])  # e²Å²
expected = np.array([1, 1, 2]) * squared_dipole  # |μ|², |μ|², 2|μ|²
np.testing.assert_allclose(np.linalg.eigvalsh(Y_true_rotated[0]), expected, atol=1e-14)
eigenvalues = np.linalg.eigvalsh(Y_rotated)  # (256, 3), in increasing order
spread = np.ptp(eigenvalues, axis=0).max()
print(f"|μ|² = {squared_dipole:.5f} e²Å²: eigenvalues |μ|², |μ|², 2|μ|²")
print(
    "predicted, in every orientation: " + ", ".join(f"{e:.5f}" for e in eigenvalues[0])
)
print(f"largest change over the 256 orientations: {spread:.1e} e²Å²")
assert spread < 1e-12
np.testing.assert_allclose(eigenvalues[0], expected, rtol=0.02)  # close to them,
assert np.ptp(eigenvalues[0, :2]) > 1e-4  # e²Å²: but the first two are not equal

# %%
# :math:`Y\boldsymbol{\mu} = 2|\boldsymbol{\mu}|^2\boldsymbol{\mu}`, and every
# vector normal to :math:`\boldsymbol{\mu}` has the eigenvalue
# :math:`|\boldsymbol{\mu}|^2`. Turning a tensor twice,
# :math:`R\,Y R^\top`, turns its eigenvectors and keeps its eigenvalues: they
# are invariants, the same in every orientation. The predicted ones are within 2 %
# of :math:`(|\boldsymbol{\mu}|^2, |\boldsymbol{\mu}|^2, 2|\boldsymbol{\mu}|^2)`
# but not equal: the model does not know that two of them must be the same.
