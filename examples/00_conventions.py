"""
.. _conventions:

Reference · Conventions and units
=================================

Signs, orders and units are where tutorials on equivariance most often go
wrong, and where libraries most often disagree. This page fixes them once for
the whole site. At the end you will know which rotation a triple of Euler angles
means here, in which order the components of a vector appear in featomic's
spherical tensors, and why the gradient of the energy has the opposite sign of
the forces. Each statement is checked by code on this page.

.. note::

    This is a reference page, not the first chapter: start with
    :ref:`sphx_glr_auto_examples_01_water_dataset.py`. Each chapter links to the
    section here that it relies on. On a first visit the units, the symbols,
    the rotations and the gradients are enough; the sections on spherical
    harmonics and Wigner D matrices read best after chapters 3 and 4, which
    introduce them.
"""

# %%
import ase
import featomic
import matplotlib.pyplot as plt
import numpy as np

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.rotations import (
    matrix_to_angles,
    rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.units import CM1_TO_EV, EA_TO_DEBYE
from tutorial_helpers.water_model import ps_energy_forces

use_style()

# %%
# Units
# -----
#
# ==================  =========================  ==================================
# quantity            unit                       note
# ==================  =========================  ==================================
# positions           Å                          atoms of water in the order O, H, H
# energy              eV                         zero at the minimum of the PS surface
# forces              eV/Å                       minus the gradient of the energy
# dipole              e·Å                        1 e·Å = 4.8032 D
# angles              rad in code, ° in prose    Euler angles are in radians
# ==================  =========================  ==================================
#
# The conversion factors come from the exact SI constants:

print(f"1 e·Å  = {EA_TO_DEBYE:.5f} D")
print(f"1 cm⁻¹ = {CM1_TO_EV:.6e} eV")
assert abs(EA_TO_DEBYE - 4.80320) < 1e-5

# %%
# .. _conventions-symbols:
#
# Symbols
# -------
#
# Each symbol means one thing on every page:
#
# .. list-table::
#    :header-rows: 1
#    :widths: 30 70
#
#    * - symbol
#      - meaning
#    * - :math:`r_1, r_2, \theta`
#      - O–H1, O–H2 bond lengths (Å) and H–O–H angle (°)
#    * - :math:`\Delta r`
#      - asymmetric stretch :math:`r_2 - r_1` (Å), ``nu_prime`` in the data
#    * - :math:`\boldsymbol{\mu}`
#      - the dipole moment (e·Å), and only that
#    * - :math:`\lambda, m`
#      - degree and component of a spherical tensor or coupled feature
#        (``o3_lambda``, ``o3_mu``); never the density's angular index
#    * - :math:`\sigma`
#      - parity label (``o3_sigma``): sign :math:`\sigma(-1)^\lambda` under inversion
#    * - :math:`\nu`
#      - correlation order, the number of density factors; body order
#        :math:`\nu + 1` (ν = 1: density coefficients, ν = 2: λ-SOAP, chapter 5)
#    * - :math:`n, l`
#      - radial and angular index of the density expansion, :math:`c_{nlm}` on
#        :math:`R_n Y_l^m`; featomic stores l in the key ``o3_lambda``
#    * - :math:`w`
#      - width of the Gaussian put on each atom (Å)
#    * - :math:`\alpha, \beta, \gamma`
#      - ZYZ Euler angles (rad)
#    * - :math:`R`, :math:`P = -R`
#      - a rotation, and an improper rotation

# %%
# .. _conventions-euler:
#
# Rotations: active, with ZYZ Euler angles
# ----------------------------------------
#
# A rotation matrix :math:`R` acts on positions as :math:`\mathbf{r}' = R\mathbf{r}`:
# it moves the atoms, the axes stay where they are (an *active* rotation).
#
# Three Euler angles :math:`(\alpha, \beta, \gamma)` describe any rotation. Here
# they are **ZYZ intrinsic** angles:
#
# .. math::
#
#     R(\alpha, \beta, \gamma) = R_z(\alpha)\, R_y(\beta)\, R_z(\gamma),
#
# with :math:`\beta \in [0, \pi]`; α and γ are angles modulo 2π
# (:func:`~tutorial_helpers.rotations.matrix_to_angles` returns them in
# :math:`(-\pi, \pi]`).
# Read from right to left, this rotates by :math:`\gamma` about the fixed z axis,
# then by :math:`\beta` about the fixed y axis, then by :math:`\alpha` about the
# fixed z axis again.
# :func:`tutorial_helpers.rotations.rotation_matrix` builds it:


def rotation_about(axis, angle):
    """Rotation by ``angle`` (radians) about the coordinate ``axis`` 0, 1, 2."""
    c, s = np.cos(angle), np.sin(angle)
    i, j = [(1, 2), (2, 0), (0, 1)][axis]
    R = np.eye(3)
    R[i, i], R[i, j], R[j, i], R[j, j] = c, -s, s, c
    return R


alpha, beta, gamma = 0.4, 1.2, -2.1
R = rotation_matrix(alpha, beta, gamma)
expected = rotation_about(2, alpha) @ rotation_about(1, beta) @ rotation_about(2, gamma)
np.testing.assert_allclose(R, expected, atol=1e-15)
np.testing.assert_allclose(matrix_to_angles(R), (alpha, beta, gamma), atol=1e-12)
print("R(α, β, γ) = Rz(α) Ry(β) Rz(γ): largest deviation", np.abs(R - expected).max())

# %%
# .. _conventions-spherical:
#
# Real spherical harmonics and the order of components
# ----------------------------------------------------
#
# Spherical tensors of degree :math:`\lambda` have :math:`2\lambda + 1` components,
# labelled :math:`m = -\lambda, \dots, \lambda` and stored in that order along
# metatensor's ``o3_mu`` axis (we write the index *m*, and keep μ for the dipole).
# We use featomic's real spherical harmonics. For :math:`\lambda = 1` they are
# proportional to :math:`(y, z, x)`, with positive signs:
#
# .. math::
#
#     Y_1^{-1} \propto y, \qquad Y_1^{0} \propto z, \qquad Y_1^{1} \propto x.
#
# To check it, place a single hydrogen at distance 1 Å from an oxygen, along
# each axis in turn, and look at which l = 1 coefficient of the oxygen's
# neighbour density is non-zero.

calculator = featomic.SphericalExpansion(
    cutoff={"radius": 3.0, "smoothing": {"type": "ShiftedCosine", "width": 0.5}},
    density={"type": "Gaussian", "width": 0.3},
    basis={
        "type": "TensorProduct",
        "max_angular": 2,
        "radial": {"type": "Gto", "max_radial": 2},
    },
)

rows = []
for axis, name in enumerate("xyz"):
    atoms = ase.Atoms("OH", positions=[[0, 0, 0], np.eye(3)[axis]], pbc=False)
    expansion = calculator.compute(atoms)
    block = expansion.block(o3_lambda=1, o3_sigma=1, center_type=8, neighbor_type=1)
    coefficients = block.values[0, :, 0]  # (o3_mu = -1, 0, 1) of the first radial
    rows.append(coefficients)
    nonzero = int(np.argmax(np.abs(coefficients)))
    mu = int(block.components[0].column("o3_mu")[nonzero])
    with np.printoptions(precision=4):
        print(
            f"H along {name}: largest l = 1 coefficient at m = {mu:+d}:", coefficients
        )
    assert mu == {"x": 1, "y": -1, "z": 0}[name]
    assert coefficients[nonzero] > 0
    assert np.abs(np.delete(coefficients, nonzero)).max() < 1e-12 * abs(
        coefficients[nonzero]
    )

# %%
# Each direction lights up exactly one component, with a positive sign:

table = np.array(rows) / np.abs(rows).max()  # rows: H along x, y, z
fig, ax = plt.subplots(figsize=figure_size(3.4))
image = ax.matshow(table, cmap="RdBu", vmin=-1, vmax=1)
ax.xaxis.set_ticks_position("bottom")
ax.set_xticks(range(3), ["−1 (y)", "0 (z)", "+1 (x)"])
ax.set_yticks(range(3), ["x", "y", "z"])
ax.set_xlabel("component m of the l = 1 coefficients")
ax.set_ylabel("direction of the O–H bond")
fig.colorbar(image, label="coefficient / largest", ticks=[-1, -0.5, 0, 0.5, 1])
plt.show()
# sphinx_gallery_thumbnail_number = 1

# %%
# So for vectors, going from Cartesian (x, y, z) to spherical (m = −1, 0, 1) is
# only a reordering, ``v[[1, 2, 0]]``.
#
# Wigner D matrices
# ^^^^^^^^^^^^^^^^^
#
# When a structure is rotated by :math:`R`, its spherical tensors of degree λ
# (density coefficients with λ = l, λ-SOAP features) are mixed by the real Wigner
# D matrix :math:`D^\lambda(R)`:
# :math:`c^\lambda(R\cdot A) = D^\lambda(R)\, c^\lambda(A)`.
# :func:`tutorial_helpers.rotations.wigner_d_real` gives it in the order above.
# For λ = 1 it is the rotation matrix itself, with rows and columns reordered to
# (y, z, x):

D1 = wigner_d_real(1, alpha, beta, gamma)
yzx = [1, 2, 0]
np.testing.assert_allclose(D1, R[yzx][:, yzx], atol=1e-15)
print(
    "D¹(R) = R in (y, z, x) order: largest deviation", np.abs(D1 - R[yzx][:, yzx]).max()
)

# %%
# .. warning::
#
#     Other libraries make other choices. e3nn, for instance, writes Euler
#     angles as **YXY** rotations and orders the λ = 1 components as
#     **(x, y, z)** in its own basis, so its matrices and angles differ from the
#     ones here. Convert through rotation matrices, never by copying angles or
#     components across. Its irreps also carry a different parity label: in
#     ``1o`` or ``1e`` the letter is the sign :math:`p = \sigma(-1)^\lambda`
#     that the tensor picks up under inversion, not σ.
#
# ==================  ======  ===============  ===============================
# featomic (λ, σ)     e3nn    p = σ(−1)^λ      example, from bonds b₁, b₂, b₃
# ==================  ======  ===============  ===============================
# (0, +1)             ``0e``  +1               :math:`\mathbf{b}_1\cdot\mathbf{b}_2`
# (0, −1)             ``0o``  −1               :math:`(\mathbf{b}_1\times
#                                              \mathbf{b}_2)\cdot\mathbf{b}_3`
# (1, +1)             ``1o``  −1               :math:`\mathbf{b}_1`, a polar vector
# (1, −1)             ``1e``  +1               :math:`\mathbf{b}_1\times\mathbf{b}_2`
# (2, +1)             ``2e``  +1               :math:`\mathbf{b}_1\mathbf{b}_1^\top`,
#                                              traceless part
# ==================  ======  ===============  ===============================
#
# We check each line: invert three random bonds and compare the sign the
# example picks up with the letter of its e3nn label.

rng = np.random.default_rng(3)
b1, b2, b3 = rng.normal(size=(3, 3))  # three polar vectors, Å


def examples_of_each_irrep(b1, b2, b3):
    outer = np.outer(b1, b1)
    return {
        (0, +1): b1 @ b2,
        (0, -1): np.cross(b1, b2) @ b3,
        (1, +1): b1,
        (1, -1): np.cross(b1, b2),
        (2, +1): outer - np.trace(outer) / 3 * np.eye(3),
    }


E3NN = {(0, +1): "0e", (0, -1): "0o", (1, +1): "1o", (1, -1): "1e", (2, +1): "2e"}
before = examples_of_each_irrep(b1, b2, b3)
after = examples_of_each_irrep(-b1, -b2, -b3)
for (lam, sigma), label in E3NN.items():
    p = sigma * (-1) ** lam
    assert label[1] == {+1: "e", -1: "o"}[p]
    np.testing.assert_allclose(after[lam, sigma], p * before[lam, sigma], atol=1e-12)
    print(f"(λ, σ) = ({lam}, {sigma:+d}) ↔ e3nn {label}: sign {p:+d} under inversion")

# %%
# .. _conventions-gradients:
#
# Gradients and forces
# --------------------
#
# The force on an atom is minus the gradient of the energy with respect to its
# position, :math:`\mathbf{F}_i = -\partial E / \partial \mathbf{r}_i`. metatensor
# stores *gradients*, so the ``positions`` gradient of an energy TensorMap holds
# :math:`-\mathbf{F}`. We check the sign with a finite difference on one water
# molecule of the dataset:

frames = load_water_dataset()
positions = frames[60].positions.copy()
_, forces = ps_energy_forces(positions)
h = 1e-5  # Å
shifted = positions.copy()
shifted[1, 0] += h  # move the first hydrogen along x
energy_plus, _ = ps_energy_forces(shifted)
shifted[1, 0] -= 2 * h
energy_minus, _ = ps_energy_forces(shifted)
gradient = (energy_plus[0] - energy_minus[0]) / (2 * h)
print(f"dE/dx(H1) = {gradient:.6f} eV/Å,  F_x(H1) = {forces[0, 1, 0]:.6f} eV/Å")
assert abs(gradient + forces[0, 1, 0]) < 1e-6 * max(1.0, abs(gradient))
