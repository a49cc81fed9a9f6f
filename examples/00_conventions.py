"""
.. _conventions:

Reference · Conventions and units
=================================

Signs, orders and units are where tutorials on equivariance most often go
wrong, and where libraries most often disagree. This page fixes them once for
the whole site. At the end you will know which rotation a triple of Euler angles
means here, in which order the components of a vector appear in featomic's
spherical tensors, and why the gradient of the energy has the opposite sign of
the forces. Each rule the page states is checked by code on the page; for
another library's choices, code checks what follows from its documentation.

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
from scipy.optimize import minimize

from tutorial_helpers.dataset import grid_positions, load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.rotations import (
    matrix_to_angles,
    random_rotation_matrix,
    rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.tensormaps import energy_tensormap
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
assert abs(CM1_TO_EV - 1.239842e-4) < 1e-10  # h c × 1 cm⁻¹ / e

# %%
# The zero of energy is checked by minimising the PS energy over the two bond
# lengths and the angle (Nelder–Mead, which never uses the forces): the lowest
# energy is zero, and the forces vanish there.

frames = load_water_dataset()
assert all(atoms.get_chemical_symbols() == ["O", "H", "H"] for atoms in frames)


def ps_energy_of(r1_r2_theta):
    """PS energy (eV) of the molecule with bonds r1, r2 (Å) and angle θ (°)."""
    return ps_energy_forces(grid_positions(*r1_r2_theta))[0][0]


lowest = minimize(
    ps_energy_of,
    x0=[1.0, 0.9, 100.0],
    method="Nelder-Mead",
    options={"xatol": 1e-9, "fatol": 1e-15, "maxiter": 5000},
)
_, forces_at_minimum = ps_energy_forces(grid_positions(*lowest.x))
r1_min, r2_min, theta_min = lowest.x
print(
    f"minimum at r1 = r2 = {r1_min:.4f} Å, θ = {theta_min:.2f}°: "
    f"E = {lowest.fun:.0e} eV, largest force {np.abs(forces_at_minimum).max():.0e} eV/Å"
)
assert abs(lowest.fun) < 1e-9, f"the lowest energy is {lowest.fun:.1e} eV, not 0"
assert np.abs(forces_at_minimum).max() < 1e-5  # eV/Å: a minimum, not a slope
assert abs(r1_min - r2_min) < 1e-6 and round(r1_min, 4) == 0.9578
assert round(theta_min, 1) == 104.5

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
#
# In the data file, ``nu_prime`` is indeed :math:`r_2 - r_1`:

delta_r = [atoms.info["OH2"] - atoms.info["OH1"] for atoms in frames]  # Å
nu_prime = [atoms.info["nu_prime"] for atoms in frames]  # Å
np.testing.assert_allclose(nu_prime, delta_r, atol=1e-12)

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
#
# The same matrix has two readings, and they agree:
#
# - **intrinsic**, about axes that move with the body: by α about z, then by β
#   about the new y′, then by γ about the newest z″;
# - **extrinsic**, about the fixed axes, read from right to left: by γ about z,
#   then by β about y, then by α about z. The same angles, in reverse order.
#
# :func:`tutorial_helpers.rotations.rotation_matrix` builds it. We check it
# against both readings, each built from rotations about an axis vector
# (Rodrigues' formula), and check that the fixed-axis turns taken α first give
# another matrix: the order matters.


def axis_angle(axis, angle):
    """Rotation by ``angle`` (radians) about the unit vector ``axis``."""
    K = np.cross(np.eye(3), axis)  # K @ v = axis × v
    return np.eye(3) + np.sin(angle) * K + (1 - np.cos(angle)) * K @ K


alpha, beta, gamma = 0.4, 1.2, -2.1
R = rotation_matrix(alpha, beta, gamma)
x, y, z = np.eye(3)
# intrinsic: each turn is about an axis of the body turned so far (its columns)
body = axis_angle(z, alpha)
body = axis_angle(body[:, 1], beta) @ body
intrinsic = axis_angle(body[:, 2], gamma) @ body
# extrinsic: γ, β, α about the fixed z, y, z; the last turn is the leftmost factor
extrinsic = axis_angle(z, alpha) @ axis_angle(y, beta) @ axis_angle(z, gamma)
forward = axis_angle(z, gamma) @ axis_angle(y, beta) @ axis_angle(z, alpha)
np.testing.assert_allclose(R, intrinsic, atol=1e-14)
np.testing.assert_allclose(R, extrinsic, atol=1e-14)
assert np.abs(R - forward).max() > 0.1  # α first about fixed axes: another R
deviation = max(np.abs(R - intrinsic).max(), np.abs(R - extrinsic).max())
print(
    "R(α, β, γ) = intrinsic z, y′, z″ (α, β, γ) = extrinsic z, y, z (γ, β, α): "
    f"largest deviation {deviation:.0e}"
)

# %%
# And :func:`~tutorial_helpers.rotations.matrix_to_angles` gives back the angles,
# in the ranges above, for these and for 1000 random rotations:

np.testing.assert_allclose(matrix_to_angles(R), (alpha, beta, gamma), atol=1e-12)
random_R = random_rotation_matrix(1000, seed=0)
a, b, c = matrix_to_angles(random_R)
np.testing.assert_allclose(rotation_matrix(a, b, c), random_R, atol=1e-12)
assert np.all((b >= 0) & (b <= np.pi))
assert np.all((a > -np.pi) & (a <= np.pi) & (c > -np.pi) & (c <= np.pi))

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
# We check it on the density coefficients of an oxygen with three hydrogens
# around it, placed at random so that no symmetry can hide an error:

rng = np.random.default_rng(3)
neighbours = rng.uniform(-1.2, 1.2, size=(3, 3))  # Å, three H around O
cluster = ase.Atoms("OH3", positions=np.vstack([[0, 0, 0], neighbours]))
turned = ase.Atoms("OH3", positions=cluster.positions @ R.T)
for lam in (1, 2):
    c, c_turned = (
        calculator.compute(atoms)
        .block(o3_lambda=lam, o3_sigma=1, center_type=8, neighbor_type=1)
        .values[0]  # shape (2λ + 1, radial functions)
        for atoms in (cluster, turned)
    )
    D = wigner_d_real(lam, alpha, beta, gamma)
    np.testing.assert_allclose(c_turned, D @ c, atol=1e-12)
    print(
        f"λ = {lam}: largest |c(R·A) − D(R) c(A)| {np.abs(c_turned - D @ c).max():.0e}"
    )

# %%
# For λ = 1, D is the rotation matrix itself, with rows and columns reordered to
# (y, z, x):

D1 = wigner_d_real(1, alpha, beta, gamma)
yzx = [1, 2, 0]
np.testing.assert_allclose(D1, R[yzx][:, yzx], atol=1e-15)
deviation = np.abs(D1 - R[yzx][:, yzx]).max()
print(f"D¹(R) = R in (y, z, x) order: largest deviation {deviation:.0e}")

# %%
# .. warning::
#
#     Other libraries make other choices. e3nn's documentation (`Change of Basis
#     <https://docs.e3nn.org/en/latest/guide/change_of_basis.html>`_) says that
#     it writes Euler angles as **YXY** rotations,
#     :math:`R_y(\alpha) R_x(\beta) R_y(\gamma)`, and orders the λ = 1
#     components as **(x, y, z)**. Convert through rotation matrices, never by
#     copying angles or components across.
#
# e3nn is not installed here, so this page does not run it: it checks what those
# two statements imply. The same angles give e3nn a different rotation of space;
# and its YXY matrix is exactly our D¹, our rotation in (y, z, x) order. e3nn's
# convention is ours with the axes renamed y → x, z → y, x → z.

yxy = axis_angle(y, alpha) @ axis_angle(x, beta) @ axis_angle(y, gamma)
np.testing.assert_allclose(yxy, D1, atol=1e-14)
assert np.abs(yxy - R).max() > 0.1  # the same angles, another rotation
print(
    f"Ry(α) Rx(β) Ry(γ) = D¹(α, β, γ); it differs from R by {np.abs(yxy - R).max():.2f}"
)

# %%
# Its irreps also carry a different parity label: in ``1o`` or ``1e`` the letter
# is the sign :math:`p = \sigma(-1)^\lambda` that the tensor picks up under
# inversion, not σ.
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
# :math:`-\mathbf{F}`. We check the sign on the TensorMap that
# :func:`tutorial_helpers.tensormaps.energy_tensormap` builds for one molecule of
# the dataset: its gradient is minus the molecule's forces, and it matches a
# finite difference of the PS energy in each of the nine coordinates.

molecule = frames[60]
gradient = energy_tensormap([molecule]).block().gradient("positions")
gradient = gradient.values[:, :, 0]  # eV/Å, rows: atoms O, H1, H2; columns: x, y, z
h = 1e-5  # Å
steps = h * np.eye(9).reshape(9, 3, 3)  # move one coordinate of one atom
energy_plus, _ = ps_energy_forces(molecule.positions + steps)
energy_minus, _ = ps_energy_forces(molecule.positions - steps)
finite_difference = ((energy_plus - energy_minus) / (2 * h)).reshape(3, 3)  # eV/Å
np.testing.assert_array_equal(gradient, -molecule.arrays["forces"])
np.testing.assert_allclose(gradient, finite_difference, atol=1e-6)
print(
    f"TensorMap gradient − finite-difference dE/dr: "
    f"{np.abs(gradient - finite_difference).max():.0e} eV/Å "
    f"(largest component {np.abs(gradient).max():.2f} eV/Å)"
)
