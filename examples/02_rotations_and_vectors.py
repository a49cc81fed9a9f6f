"""
2 · Rotations and vectors
=========================

What happens to the energy, the forces and the dipole of a molecule when we
rotate it, move it, or invert it through a point? On this page we do each of
these to a water molecule, recompute the Partridge–Schwenke energy, forces and
dipole on the transformed geometry, and check numerically that the energy is
*invariant*, while the forces and the dipole are *equivariant*: they rotate with
the molecule. At the end you will also be able to tell a polar vector from an
axial one, and know what the groups SO(3), O(3) and E(3) are.

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
fig, ax = plt.subplots(figsize=figure_size(3.1))
for k, (atoms_k, forces_k, dipole_k) in enumerate(
    zip(turned[..., :2], turned_forces[..., :2], turned_dipole[:, :2], strict=True)
):
    shift = np.array([3.4 * k, 0.0])  # Å, side by side
    ax.text(shift[0], 1.45, f"turned {120 * k}°", ha="center", va="center")
    o, h1, h2 = atoms_k + shift
    ax.plot(*np.array([h1, o, h2]).T, color="0.5", linewidth=3, zorder=1)
    ax.scatter(*o, s=260, color="tab:red", edgecolor="k", zorder=2)
    ax.scatter(*np.array([h1, h2]).T, s=120, color="white", edgecolor="k", zorder=2)
    ax.quiver(
        *(atoms_k + shift).T,
        *(FORCE_SCALE * forces_k).T,
        color="#7b3294",
        angles="xy",
        scale_units="xy",
        scale=1,
        width=0.007,
        zorder=3,
        label=f"forces ({FORCE_SCALE} Å per eV/Å)" if k == 0 else None,
    )
    ax.quiver(
        *(atoms_k.mean(axis=0) + shift),
        *(DIPOLE_SCALE * dipole_k),
        color="tab:orange",
        angles="xy",
        scale_units="xy",
        scale=1,
        width=0.009,
        zorder=4,
        label=f"dipole ({DIPOLE_SCALE:g} Å per e·Å)" if k == 0 else None,
    )
ax.set_aspect("equal")
ax.set_xlim(-1.6, 8.4)
ax.set_ylim(-1.4, 1.7)
ax.set_xlabel("x / Å (each copy moved 3.4 Å along x)")
ax.set_ylabel("y / Å")
ax.set_title(f"E = {turned_energy[0]:.3f} eV for all three")
fig.legend(loc="outside lower center", ncols=2)
plt.show()
# sphinx_gallery_thumbnail_number = 2

# %%
# And the representation property: rotating by :math:`R_1` and then by
# :math:`R_2` turns the dipole by :math:`R_2 R_1`, the matrix of the combined
# rotation.

R1, R2 = rotations[5], rotations[77]
twice = ps_dipole(positions @ R1.T @ R2.T)[0]
np.testing.assert_allclose(twice, R2 @ R1 @ dipole0[0], atol=1e-13)
np.testing.assert_allclose(twice, ps_dipole(positions @ (R2 @ R1).T)[0], atol=1e-13)
print("μ(R₂R₁·A) = R₂ R₁ μ(A): checked")

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
