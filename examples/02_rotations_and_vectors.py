"""
2 · Rotations and vectors
=========================

What happens to the energy, the forces and the dipole of a molecule when we
rotate it, move it, or invert it through a point? On this page we do each of
these to a water molecule, recompute the Partridge–Schwenke energy, forces and
dipole on the transformed geometry, and check numerically that the energy is
*invariant*, while the forces and the dipole are *equivariant*: they rotate with
the molecule. At the end of this page you will also be able to tell a polar
vector from an axial one, and know what the groups SO(3), O(3) and E(3) are.

.. note::

    Read :ref:`conventions` (Euler angles) and
    :ref:`sphx_glr_auto_examples_01_water_dataset.py` first.
"""

# %%
import chemiscope
import matplotlib.pyplot as plt
import numpy as np

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.rotations import (
    improper_rotation_matrix,
    inversion_matrix,
    matrix_to_angles,
    random_rotation_matrix,
    rotation_matrix,
)
from tutorial_helpers.visualisation import (
    bare_structures,
    euler_angle_properties,
    euler_angle_settings,
    structure_arrows,
    structure_properties,
)
from tutorial_helpers.water_model import ps_dipole, ps_energy_forces

use_style()

# %%
# Euler angles, drawn
# -------------------
#
# :func:`~tutorial_helpers.rotations.rotation_matrix` builds
# :math:`R(\alpha, \beta, \gamma) = R_z(\alpha) R_y(\beta) R_z(\gamma)`
# (:ref:`conventions-euler`). Read as *intrinsic* rotations, it turns a frame by
# α about its z axis, then by β about its **new** y axis, then by γ about its
# **newest** z axis. The sketch draws each step: faded, the frame before it;
# solid, the frame after it; the thick grey line is the axis of the rotation.


def axis_angle(axis, angle):
    """Rotation by ``angle`` about the unit vector ``axis`` (Rodrigues' formula)."""
    axis = np.asarray(axis) / np.linalg.norm(axis)
    K = np.array(
        [[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]]
    )
    return np.eye(3) + np.sin(angle) * K + (1 - np.cos(angle)) * K @ K


alpha, beta, gamma = np.radians([60.0, 40.0, 75.0])
frame0 = np.eye(3)  # columns: the x, y, z axes of the frame
frame1 = axis_angle(frame0[:, 2], alpha) @ frame0  # about z
frame2 = axis_angle(frame1[:, 1], beta) @ frame1  # about the new y
frame3 = axis_angle(frame2[:, 2], gamma) @ frame2  # about the newest z
np.testing.assert_allclose(frame3, rotation_matrix(alpha, beta, gamma), atol=1e-14)
print(
    "three intrinsic rotations = R(α, β, γ): largest deviation",
    np.abs(frame3 - rotation_matrix(alpha, beta, gamma)).max(),
)

fig = plt.figure(figsize=figure_size(3.0))
steps = [
    (frame0, frame1, frame0[:, 2], f"1. α = {np.degrees(alpha):.0f}° about z"),
    (frame1, frame2, frame1[:, 1], f"2. β = {np.degrees(beta):.0f}° about y′"),
    (frame2, frame3, frame2[:, 2], f"3. γ = {np.degrees(gamma):.0f}° about z″"),
]
colors = ["tab:red", "tab:green", "tab:blue"]
for i, (before, after, axis, title) in enumerate(steps):
    ax = fig.add_subplot(1, 3, i + 1, projection="3d")
    for k in range(3):
        ax.quiver(
            0, 0, 0, *before[:, k], color=colors[k], alpha=0.3, arrow_length_ratio=0.15
        )
        ax.quiver(
            0, 0, 0, *after[:, k], color=colors[k], linewidth=2, arrow_length_ratio=0.15
        )
        label = "xyz"[k] + "′″‴"[i]
        ax.text(*(1.2 * after[:, k]), label, color=colors[k], ha="center", va="center")
    ax.plot(*np.outer([-1.1, 1.1], axis).T, color="0.4", linewidth=4, alpha=0.5)
    ax.set(xlim=(-1, 1), ylim=(-1, 1), zlim=(-1, 1))
    ax.set_box_aspect((1, 1, 1), zoom=1.2)
    ax.set_axis_off()  # a sketch of unit axes: the frames are the only scale
    ax.view_init(elev=20, azim=35)
    ax.set_title(title)
plt.show()

# %%
# One molecule, 256 orientations
# ------------------------------
#
# We take one geometry of the dataset (a bent, asymmetric molecule) and rotate it
# over a grid of 8 α × 4 β × 8 γ Euler angles. α and γ cover [0, 360°) in steps of
# 45°; β takes the four values 22.5°, 67.5°, 112.5° and 157.5°.

frames = load_water_dataset()
molecule = frames[26]
print(
    f"OH1 = {molecule.info['OH1']:.2f} Å, OH2 = {molecule.info['OH2']:.2f} Å, "
    f"HOH = {molecule.info['HOH']:.0f}°"
)

alphas = np.arange(8) * np.pi / 4
betas = (np.arange(4) + 0.5) * np.pi / 4
gammas = np.arange(8) * np.pi / 4
A, B, G = (x.ravel() for x in np.meshgrid(alphas, betas, gammas, indexing="ij"))
rotations = rotation_matrix(A, B, G)  # shape (256, 3, 3)

positions = molecule.positions  # Å, shape (3, 3)
rotated = np.einsum("kij,aj->kai", rotations, positions)  # r' = R r for every atom
print("rotated positions:", rotated.shape)

# %%
# .. _equivariance-definition:
#
# Checking invariance and equivariance
# ------------------------------------
#
# One definition covers every case on this site. A symmetry operation
# :math:`S` (a rotation, an inversion, a translation) acts on a structure
# :math:`A`, giving :math:`\hat{S}A`. A property :math:`f` is **equivariant** if
# there is a matrix :math:`D(S)`, the same for every structure, such that
#
# .. math::
#
#     f(\hat{S}A) = D(S)\, f(A).
#
# The matrices :math:`D(S)` form a *representation* of the group of operations:
# doing :math:`S_1` then :math:`S_2` multiplies them, :math:`D(S_2 S_1) =
# D(S_2) D(S_1)`. **Invariance** is the special case :math:`D(S) = 1`. For a
# rotation :math:`R`, the energy has :math:`D = 1`, forces and dipoles have
# :math:`D = R`; later chapters meet :math:`D = R\otimes R` for rank-2 tensors
# (chapter 3) and the Wigner matrices :math:`D^\lambda(R)` for density
# coefficients (chapter 4). Every check on these pages compares both sides of
# this equation.
#
# For each of the 256 rotated geometries we recompute the PS energy, forces and
# dipole from scratch, and compare with the original ones transformed by hand:
#
# - the energy must be **invariant**: :math:`E(R\mathbf{r}) = E(\mathbf{r})`;
# - the forces must be **equivariant**:
#   :math:`\mathbf{F}_i(R\mathbf{r}) = R\,\mathbf{F}_i(\mathbf{r})`;
# - and so must the dipole:
#   :math:`\boldsymbol{\mu}(R\mathbf{r}) = R\,\boldsymbol{\mu}(\mathbf{r})`.

energy0, forces0 = ps_energy_forces(positions)
dipole0 = ps_dipole(positions)
energy_rot, forces_rot = ps_energy_forces(rotated)
dipole_rot = ps_dipole(rotated)

expected_forces = np.einsum("kij,aj->kai", rotations, forces0[0])
expected_dipole = np.einsum("kij,j->ki", rotations, dipole0[0])
deviations = {
    "energy (eV)": np.abs(energy_rot - energy0[0]).max(),
    "forces (eV/Å)": np.abs(forces_rot - expected_forces).max(),
    "dipole (e·Å)": np.abs(dipole_rot - expected_dipole).max(),
}
np.testing.assert_allclose(energy_rot, energy0[0], rtol=1e-12, atol=1e-12)
np.testing.assert_allclose(forces_rot, expected_forces, atol=1e-10)
np.testing.assert_allclose(dipole_rot, expected_dipole, atol=1e-13)
for name, value in deviations.items():
    print(f"largest deviation under rotation, {name}: {value:.1e}")

# %%
# In a picture: the molecule turned about the z axis by 0°, 120° and 240°, each
# copy with the forces and the dipole recomputed from its turned geometry. The
# arrows turn with the molecule, and the energy is the same for the three.

turns = rotation_matrix(np.radians([0.0, 120.0, 240.0]), 0.0, 0.0)  # about z
turned = np.einsum("kij,aj->kai", turns, positions)  # Å, about the oxygen
turned_energy, turned_forces = ps_energy_forces(turned)
turned_dipole = ps_dipole(turned)
np.testing.assert_allclose(turned_energy, energy0[0], rtol=1e-12)
np.testing.assert_allclose(
    turned_forces, np.einsum("kij,aj->kai", turns, forces0[0]), atol=1e-10
)
np.testing.assert_allclose(
    turned_dipole, np.einsum("kij,j->ki", turns, dipole0[0]), atol=1e-13
)

FORCE_SCALE, DIPOLE_SCALE = 0.05, 2.0  # Å of arrow per eV/Å and per e·Å
shifts_x = np.array([[3.4 * k, 0.0] for k in range(3)])  # Å, copies side by side
drawn = turned[..., :2] + shifts_x[:, None]  # Å, the atoms as drawn, in xy
force_tips = drawn + FORCE_SCALE * turned_forces[..., :2]  # Å
dipole_tails = drawn.mean(axis=1)  # Å, the centre of each molecule
dipole_tips = dipole_tails + DIPOLE_SCALE * turned_dipole[:, :2]  # Å
points = np.concatenate([drawn.reshape(-1, 2), force_tips.reshape(-1, 2), dipole_tips])
low, high = points.min(axis=0) - 0.3, points.max(axis=0) + 0.3  # Å, room for atoms
label_y = high[1] + 0.1  # Å, a row for the labels above the highest point

fig, ax = plt.subplots(figsize=figure_size(3.1))
for k in range(3):
    o, h1, h2 = drawn[k]
    ax.text(shifts_x[k, 0], label_y, f"turned {120 * k}°", ha="center", va="center")
    ax.plot(*np.array([h1, o, h2]).T, color="0.5", linewidth=3, zorder=1)
    ax.scatter(*o, s=260, color="tab:red", edgecolor="k", zorder=2)
    ax.scatter(*np.array([h1, h2]).T, s=120, color="white", edgecolor="k", zorder=2)
    arrows = {"angles": "xy", "scale_units": "xy", "scale": 1}
    ax.quiver(
        *drawn[k].T,
        *(force_tips[k] - drawn[k]).T,
        color="#7b3294",
        width=0.007,
        zorder=3,
        label=f"forces ({FORCE_SCALE} Å per eV/Å)" if k == 0 else None,
        **arrows,
    )
    ax.quiver(
        *dipole_tails[k],
        *(dipole_tips[k] - dipole_tails[k]),
        color="tab:orange",
        width=0.009,
        zorder=4,
        label=f"dipole ({DIPOLE_SCALE:g} Å per e·Å)" if k == 0 else None,
        **arrows,
    )
ax.set_aspect("equal")
ax.set(xlim=(low[0], high[0]), ylim=(low[1], label_y + 0.25))
ax.set_xlabel("x / Å (each copy moved 3.4 Å along x)")
ax.set_ylabel("y / Å")
ax.set_title(f"E = {turned_energy[0]:.3f} eV for all three")
fig.legend(loc="outside lower center", ncols=2)
fig.canvas.draw()  # where the arrow tips land on the drawn figure, in pixels
tips_px = ax.transData.transform(
    np.concatenate([force_tips.reshape(-1, 2), dipole_tips])
)
box = ax.get_window_extent()
inside = np.all((tips_px > [box.x0, box.y0]) & (tips_px < [box.x1, box.y1]), axis=1)
assert inside.all(), f"{np.sum(~inside)} arrow tips fall outside the axes"
plt.show()
# sphinx_gallery_thumbnail_number = 2

# %%
# And the representation property, :math:`D(S_2 S_1) = D(S_2) D(S_1)`. To test
# it without assuming :math:`D = R`, we *measure* :math:`D(S)` from the dipoles:
# over 20 random orientations :math:`A_k` of the molecule, it is the 3 × 3
# matrix that best maps each :math:`\boldsymbol{\mu}(A_k)` to
# :math:`\boldsymbol{\mu}(\hat{S}A_k)` (least squares). The matrices measured
# for :math:`R_1`, :math:`R_2` and :math:`R_2 R_1` must multiply like the
# rotations. As a control, a made-up dipole that is not equivariant,
# :math:`\boldsymbol{\mu}` plus :math:`y_\mathrm{H1}^2` in each component,
# fails the same test.

R1, R2 = rotations[5], rotations[77]
starts = np.einsum("kij,aj->kai", random_rotation_matrix(20, seed=2), positions)


def measured_D(dipole_of, S):
    """The 3 × 3 matrix D that best maps dipole_of(A_k) to dipole_of(S·A_k)."""
    before, after = dipole_of(starts), dipole_of(starts @ S.T)  # shape (20, 3)
    return np.linalg.lstsq(before, after, rcond=None)[0].T  # after ≈ before @ D.T


def not_equivariant(positions):
    """A control: the PS dipole plus y_H1² (Å², read as e·Å) in each component."""
    return ps_dipole(positions) + positions[..., 1, 1:2] ** 2


gaps = {}  # largest entry of D(R2) D(R1) − D(R2 R1)
for name, dipole_of in (("PS", ps_dipole), ("control", not_equivariant)):
    D1, D2, D21 = (measured_D(dipole_of, S) for S in (R1, R2, R2 @ R1))
    gaps[name] = np.abs(D2 @ D1 - D21).max()
assert gaps["PS"] < 1e-12, f"PS dipole: D(R2) D(R1) − D(R2 R1) = {gaps['PS']:.2f}"
assert gaps["control"] > 0.1  # the test can tell a dipole that is not equivariant
print(
    f"D(R₂) D(R₁) − D(R₂R₁): {gaps['PS']:.0e} for the PS dipole, "
    f"{gaps['control']:.2f} for the control"
)

# %%
# Translations
# ------------
#
# Moving every atom by the same vector :math:`\mathbf{t}` changes nothing: the
# energy depends on distances and angles only, the forces too, and the dipole does
# not depend on the origin because the PS charges sum to zero.

rng = np.random.default_rng(0)
shifts = rng.normal(scale=10.0, size=(256, 1, 3))  # Å
moved = rotated + shifts
energy_moved, forces_moved = ps_energy_forces(moved)
np.testing.assert_allclose(energy_moved, energy_rot, rtol=1e-12, atol=1e-12)
np.testing.assert_allclose(forces_moved, forces_rot, atol=1e-10)
np.testing.assert_allclose(ps_dipole(moved), dipole_rot, atol=1e-12)
print("under translation, largest changes:")
print(
    f"  energy {np.abs(energy_moved - energy_rot).max():.1e} eV,",
    f"forces {np.abs(forces_moved - forces_rot).max():.1e} eV/Å,",
    f"dipole {np.abs(ps_dipole(moved) - dipole_rot).max():.1e} e·Å",
)

# %%
# Seeing the rotations
# --------------------
#
# In the widget, the map's x, y and z axes are the Euler angles α, β and γ: each
# point is one orientation, coloured by the z component of the rotated dipole.
# It opens on the first orientation (α = γ = 0, β = 22.5°), the front corner of
# the cube: the molecule tilted by 22.5° about the y axis. Click other points
# (drag to turn the cube) to see other orientations, all from the same
# viewpoint, looking down the z axis with x to the right and y up. The dipole is
# the orange arrow, drawn from the centre of the molecule and scaled by 3 Å per
# e·Å, so you can see it turn with the molecule: where it points at you, μ_z is
# positive.

structures = bare_structures(molecule, positions=rotated)
properties = euler_angle_properties(A, B, G) | structure_properties(
    {
        "dipole_z": (dipole_rot[:, 2], "e·Å", "z component of the PS dipole"),
        "energy": (energy_rot, "eV", "PS energy of the rotated geometry"),
    }
)
arrows = structure_arrows(dipole_rot, rotated.mean(axis=1), scale=3.0)
# the oxygen at the origin, the hydrogens and the arrow within 1.7 Å of it
settings = euler_angle_settings("dipole_z", ["dipole"], half_width=2.0, axes="off")
metadata = {
    "name": "256 rotated copies of one water molecule",
    "description": (
        "3D map of the Euler angles alpha, beta and gamma (degrees), one point per "
        "orientation, coloured by the z component of the dipole (e Angstrom); the "
        "viewer shows the selected orientation with its dipole as an orange arrow."
    ),
}
chemiscope.show(
    structures,
    properties=properties,
    shapes={"dipole": arrows},
    settings=settings,
    metadata=metadata,
)

# %%
# Inversion: polar and axial vectors
# ----------------------------------
#
# Rotations are not the only symmetry of space. The **inversion**
# :math:`\mathbf{r} \to -\mathbf{r}` maps every atom through the origin. It leaves
# distances and angles, hence the energy, unchanged. The dipole is a sum of charges
# times positions, so it flips sign: it is a **polar vector**.
#
# Not every vector flips. The cross product of the two O–H bonds,
# :math:`\mathbf{n} = \mathbf{b}_1 \times \mathbf{b}_2`, is perpendicular to the
# molecule. Under inversion both bonds flip, and the two signs cancel:
# :math:`\mathbf{n}` is an **axial vector** (or pseudo-vector). Angular momenta and
# magnetic fields are axial vectors too.

inverted = positions @ inversion_matrix().T
energy_inv, forces_inv = ps_energy_forces(inverted)
np.testing.assert_allclose(energy_inv, energy0, rtol=1e-12)
np.testing.assert_allclose(ps_dipole(inverted), -dipole0, atol=1e-14)
np.testing.assert_allclose(forces_inv, -forces0, atol=1e-12)


def bond_normal(positions):
    """Cross product of the O-H1 and O-H2 bonds, in Å²."""
    return np.cross(
        positions[..., 1, :] - positions[..., 0, :],
        positions[..., 2, :] - positions[..., 0, :],
    )


np.testing.assert_allclose(bond_normal(inverted), bond_normal(positions), atol=1e-15)
with np.printoptions(precision=4, suppress=True):
    print("under inversion: μ →", ps_dipole(inverted)[0], "e·Å = −μ")
    print("                 n →", bond_normal(inverted) + 0.0, "Å² = n")  # no −0

# %%
# Combining inversion with any rotation gives an **improper rotation**,
# :math:`-R`, with determinant −1 (a mirror reflection is one of them). A polar
# vector transforms as :math:`-R\boldsymbol{\mu}`, an axial vector as
# :math:`+R\,\mathbf{n}`, i.e. as :math:`\det(P)\, P\,\mathbf{n}` for the improper
# rotation :math:`P = -R`:

improper = improper_rotation_matrix(A, B, G)  # 256 improper rotations
reflected = np.einsum("kij,aj->kai", improper, positions)
np.testing.assert_allclose(np.linalg.det(improper), -1.0)
np.testing.assert_allclose(
    ps_dipole(reflected), np.einsum("kij,j->ki", improper, dipole0[0]), atol=1e-13
)
np.testing.assert_allclose(
    bond_normal(reflected),
    -np.einsum("kij,j->ki", improper, bond_normal(positions)),
    atol=1e-14,
)
np.testing.assert_allclose(ps_energy_forces(reflected)[0], energy0[0], rtol=1e-12)
print("under 256 improper rotations P: μ → Pμ, n → det(P) P n, E unchanged: checked")

# %%
# SO(3), O(3) and E(3)
# --------------------
#
# The proper rotations form the group **SO(3)**: 3 × 3 orthogonal matrices with
# determinant +1. Adding the inversion gives **O(3)**, all orthogonal matrices,
# proper and improper. Adding translations gives **E(3)**, the Euclidean group of
# every transformation that preserves distances. The energy of an isolated
# molecule is invariant under all of E(3); forces and dipoles are equivariant under
# rotations, unchanged by translations, and flip under inversion. A model that
# respects these symmetries makes the same prediction, correctly transformed,
# however the molecule is placed — which is what the next chapters build.
#
# As a last check that the conclusions do not depend on our grid of angles, here
# are 1000 random rotations, drawn uniformly from SO(3):

random_R = random_rotation_matrix(1000, seed=1)
energy_random, forces_random = ps_energy_forces(
    np.einsum("kij,aj->kai", random_R, positions)
)
np.testing.assert_allclose(energy_random, energy0[0], rtol=1e-12, atol=1e-12)
np.testing.assert_allclose(
    forces_random, np.einsum("kij,aj->kai", random_R, forces0[0]), atol=1e-10
)
print(
    "1000 random rotations: largest energy change",
    f"{np.abs(energy_random - energy0[0]).max():.1e} eV",
)

# %%
# Key points
# ----------
#
# - A property is invariant if it does not change, and equivariant if it changes by a
#   matrix D(S) that is the same for every structure: f(ŜA) = D(S) f(A).
# - The PS energy is invariant under rotations, inversion and translations; the forces
#   and the dipole are polar vectors: they turn with R and flip under inversion.
# - An axial vector, such as b₁ × b₂, turns with R but does not flip.
# - SO(3) holds the rotations, O(3) adds the inversion, E(3) adds the translations.

# %%
# Exercises
# ---------
#
# 1. **Two turns in one.** Turn the molecule by
#    :math:`R_1 = R(90°, 90°, 0°)`, then by :math:`R_2 = R(0°, 45°, 0°)`. Which
#    single rotation :math:`R(\alpha, \beta, \gamma)` does the same? Find its
#    Euler angles with :func:`~tutorial_helpers.rotations.matrix_to_angles` and
#    check that the dipole of the twice-turned molecule is
#    :math:`R(\alpha, \beta, \gamma)\,\boldsymbol{\mu}`. Are the angles the
#    sums of the two sets? Does the order of the turns matter?
# 2. **A molecule that is its own image.** A molecule with two equal bonds
#    (Δr = 0) lies in the xy plane with its bisector along y. The 180° turn
#    :math:`C = R(0°, 180°, 0°)` about y brings it onto itself, with the two
#    hydrogens swapped. Before computing anything, use equivariance to predict
#    which components of its dipole must be zero, and the force on H2 from the
#    force on H1. Then check on the 11 molecules of the dataset with Δr = 0.
# 3. **Polar or axial?** Predict, then check under the inversion and under the
#    256 improper rotations of this page: (a) the angular momentum
#    :math:`\mathbf{L} = \sum_i m_i\, \mathbf{r}_i \times \mathbf{v}_i` of
#    the molecule as it turns, with the velocities taken from two snapshots
#    1 fs apart, the second turned by 1° about z; (b) the vector
#    :math:`\mathbf{n} \times \boldsymbol{\mu}`, which lies in the plane of
#    the molecule.
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · Two turns in one

R1 = rotation_matrix(*np.radians([90.0, 90.0, 0.0]))
R2 = rotation_matrix(*np.radians([0.0, 45.0, 0.0]))
r1_first = np.degrees(matrix_to_angles(R2 @ R1))  # R1, then R2
r2_first = np.degrees(matrix_to_angles(R1 @ R2))  # R2, then R1
print("R1 then R2 = R({:.0f}°, {:.0f}°, {:.0f}°)".format(*r1_first + 0.0))
print("R2 then R1 = R({:.0f}°, {:.0f}°, {:.0f}°)".format(*r2_first + 0.0))
np.testing.assert_allclose(r1_first, [90.0, 90.0, 45.0], atol=1e-9)
np.testing.assert_allclose(r2_first, [90.0, 135.0, 0.0], atol=1e-9)

twice = ps_dipole(positions @ R1.T @ R2.T)[0]  # e·Å
np.testing.assert_allclose(
    twice, rotation_matrix(*np.radians(r1_first)) @ dipole0[0], atol=1e-13
)
other_order = ps_dipole(positions @ R2.T @ R1.T)[0]  # e·Å
print(f"the two orders move μ apart by {np.linalg.norm(twice - other_order):.2f} e·Å")
assert np.linalg.norm(twice - other_order) > 0.1

# %%
# Euler angles do not add: :math:`R_1` then :math:`R_2` is
# R(90°, 90°, 45°), not R(90°, 135°, 0°). The other order gives the sums, but
# only because :math:`R_1 R_2 = R_z(90°) R_y(90°) R_y(45°)`: with nothing
# between them, the two turns about y merge into one of 135°. The order
# matters: rotations do not commute, and the molecule ends up with a different
# dipole.
#
# .. solution:: 2 · A molecule that is its own image

C = rotation_matrix(0.0, np.pi, 0.0)  # 180° about y
np.testing.assert_allclose(C, np.diag([-1.0, 1.0, -1.0]), atol=1e-15)  # flips x, z
symmetric = np.array([a.positions for a in frames if a.info["nu_prime"] == 0.0])
np.testing.assert_allclose(symmetric @ C.T, symmetric[:, [0, 2, 1]], atol=1e-14)
_, forces_sym = ps_energy_forces(symmetric)  # eV/Å, shape (11, 3, 3)
dipole_sym = ps_dipole(symmetric)  # e·Å, shape (11, 3)
np.testing.assert_allclose(dipole_sym[:, [0, 2]], 0.0, atol=1e-14)
np.testing.assert_allclose(forces_sym[:, 2], forces_sym[:, 1] @ C.T, atol=1e-12)
print(f"{len(symmetric)} molecules: μ_x = μ_z = 0, F(H2) = C F(H1): checked")
print(f"μ_y from {dipole_sym[:, 1].min():.3f} to {dipole_sym[:, 1].max():.3f} e·Å")
print(f"the molecule of this page, Δr ≠ 0: μ_x = {dipole0[0, 0]:.3f} e·Å")
assert abs(dipole0[0, 0]) > 0.01

# %%
# C leaves the molecule unchanged, so it must leave the dipole unchanged too:
# :math:`\boldsymbol{\mu} = C\boldsymbol{\mu}`, and since C flips x and z,
# :math:`\mu_x = \mu_z = 0`: the dipole lies along the bisector. The same turn
# maps H1 onto H2, so :math:`\mathbf{F}_{H2} = C\,\mathbf{F}_{H1}`: the same
# y component, opposite x and z components. The molecule of this page, with
# Δr ≠ 0, has no such turn, and its :math:`\mu_x` is not zero.
#
# .. solution:: 3 · Polar or axial?

masses = molecule.get_masses()  # Da
turn = rotation_matrix(np.radians(1.0), 0.0, 0.0)  # 1° about z, in 1 fs


def angular_momentum(before, after, dt=1.0):
    """Σ m r × v, in Da·Å²/fs, with v from two snapshots (Å) dt fs apart."""
    velocities = (after - before) / dt  # Å/fs
    return (masses[:, None] * np.cross(before, velocities)).sum(axis=-2)


L = angular_momentum(positions, positions @ turn.T)
L_inv = angular_momentum(-positions, -positions @ turn.T)
L_improper = angular_momentum(
    np.einsum("kij,aj->kai", improper, positions),
    np.einsum("kij,aj->kai", improper, positions @ turn.T),
)
n_mu = np.cross(bond_normal(positions), dipole0[0])  # e·Å³
assert abs(n_mu @ bond_normal(positions)) < 1e-14  # in the plane of the molecule
n_mu_inv = np.cross(bond_normal(inverted), ps_dipole(inverted)[0])
n_mu_improper = np.cross(bond_normal(reflected), ps_dipole(reflected))
with np.printoptions(precision=4, suppress=True):
    print("L =", L + 0.0, "Da·Å²/fs; inverted:", L_inv + 0.0)
    print("n × μ =", n_mu + 0.0, "e·Å³; inverted:", n_mu_inv + 0.0)

parity_L, parity_n_mu = +1, -1  # the answer: L is axial, n × μ is polar
np.testing.assert_allclose(L_inv, parity_L * L, atol=1e-14)
np.testing.assert_allclose(
    L_improper, -parity_L * np.einsum("kij,j->ki", improper, L), atol=1e-14
)
np.testing.assert_allclose(n_mu_inv, parity_n_mu * n_mu, atol=1e-14)
np.testing.assert_allclose(
    n_mu_improper, -parity_n_mu * np.einsum("kij,j->ki", improper, n_mu), atol=1e-13
)

# %%
# Under inversion the positions and the velocities both flip, and the signs
# cancel in :math:`\mathbf{r} \times \mathbf{v}`: the angular momentum is
# axial, like :math:`\mathbf{n}`. In :math:`\mathbf{n} \times
# \boldsymbol{\mu}` only the dipole flips, so the product is polar: the signs
# under inversion multiply, +1 for an axial vector, −1 for a polar one.
# An improper rotation :math:`P = -R` contains the inversion, so it turns the
# polar vectors by :math:`P` and the axial ones by :math:`-P = R`.
