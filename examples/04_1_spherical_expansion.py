"""
4.1 · The spherical expansion and its TensorMap
===============================================

To learn a property of a molecule we first need to describe the molecule with
numbers that behave predictably under rotations. The standard starting point is
the density of neighbours around each atom, expanded on radial functions times
real spherical harmonics. At the end of this page you will know how featomic
computes these *density expansion coefficients*, on which basis, and how they
and their gradients are stored in a TensorMap. The next pages show the density
they describe (:ref:`4.2 <sphx_glr_auto_examples_04_2_seeing_the_density.py>`)
and how they transform under translations, rotations and inversion
(:ref:`4.3 <sphx_glr_auto_examples_04_3_density_symmetries.py>`).

.. note::

    Read :ref:`sphx_glr_auto_examples_03_1_wigner_d_blocks.py` (spherical
    tensors), :ref:`sphx_glr_auto_examples_03_2_parts_and_parity.py` (their
    parity label σ) and :ref:`sphx_glr_auto_examples_01_water_dataset.py`
    (TensorMaps) first.
"""

# %%
from pprint import pprint

import ase
import featomic
import matplotlib.pyplot as plt
import metatensor
import numpy as np

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.expansion import expansion_hypers, radial_basis
from tutorial_helpers.figures import figure_size, use_style

use_style()

# %%
# From atoms to a density
# -----------------------
#
# Put a Gaussian of width :math:`w` on every atom. Around a central atom
# :math:`i`, the density of neighbours of species :math:`a` is
#
# .. math::
#
#     \rho_i^a(\mathbf{r}) = \sum_{j \in a} f_\mathrm{c}(r_{ij})\,
#         g(\mathbf{r} - \mathbf{r}_{ij}),
#     \qquad g(\mathbf{r}) = \frac{e^{-r^2/2w^2}}{(\pi w^2)^{3/4}},
#
# where :math:`\mathbf{r}_{ij} = \mathbf{r}_j - \mathbf{r}_i` and the cutoff
# function :math:`f_\mathrm{c}` brings neighbours smoothly to zero at a radius
# :math:`r_\mathrm{c}`. The density is centred on atom :math:`i` (it only depends
# on relative positions) and includes atom :math:`i` itself at the origin. It is
# expanded on radial functions :math:`R_n(r)` times real spherical harmonics
# :math:`Y_l^m(\hat{\mathbf{r}})`, with radial index :math:`n` and angular index
# :math:`l` (see the :ref:`symbols <conventions-symbols>`):
#
# .. math::
#
#     c^{i,a}_{nlm} = \int \mathrm{d}\mathbf{r}\; R_n(r)\,
#         Y_l^m(\hat{\mathbf{r}})\, \rho_i^a(\mathbf{r}),
#     \qquad
#     \rho_i^a(\mathbf{r}) \approx \sum_{nlm} c^{i,a}_{nlm}\,
#         R_n(r)\, Y_l^m(\hat{\mathbf{r}}).
#
# For each :math:`(n, l)`, the :math:`2l + 1` coefficients :math:`c_{nlm}` form a
# spherical tensor of degree :math:`\lambda = l`.
#
# Computing the coefficients
# --------------------------
#
# :class:`featomic.SphericalExpansion` takes its hyper-parameters as nested
# dictionaries. ``max_radial`` is the **largest radial index**, so
# ``max_radial = 5`` means six radial functions :math:`n = 0, \dots, 5`. (In
# featomic's predecessor rascaline, ``max_radial`` was the *number* of functions:
# the same value gives one more function today.) The whole chapter uses the
# hyper-parameters below, which
# :func:`tutorial_helpers.expansion.expansion_hypers` returns so that the next
# pages need not copy them. We also ask for the gradients of the coefficients
# with respect to the atomic positions.

hypers = expansion_hypers()
pprint(hypers, sort_dicts=False)
calculator = featomic.SphericalExpansion(**hypers)

frames = load_water_dataset()
expansion = calculator.compute(frames, gradients=["positions"])

# %%
# The basis, drawn
# ----------------
#
# These hyper-parameters fix two functions of the distance, drawn below: the six
# radial functions :math:`R_n(r)` (Gaussian-type orbitals,
# :class:`featomic.basis.Gto`, orthonormal with weight :math:`r^2` over all
# :math:`r`: they do not stop at :math:`r_\mathrm{c}`), and the cutoff function
# :math:`f_\mathrm{c}`, a
# shifted cosine that goes from 1 at :math:`r_\mathrm{c} - 0.5` Å = 3.5 Å to 0 at
# :math:`r_\mathrm{c}` = 4 Å. The O–H bonds of the dataset (0.7 to 1.2 Å) sit
# where the first radial functions are large.
#
# The python function :class:`featomic.cutoff.ShiftedCosine` is the one the
# native calculator uses: the coefficients of a lone neighbour with this
# smoothing, divided by those with a sharp cutoff (``Step``, the same radial
# functions), are :math:`f_\mathrm{c}(r)`.

r_c = hypers["cutoff"]["radius"]
# the numbers of the text: the smoothing from 3.5 Å to 4 Å, bonds of 0.7 to 1.2 Å
bonds = np.array(
    [[atoms.get_distance(0, 1), atoms.get_distance(0, 2)] for atoms in frames]
)
assert (r_c - hypers["cutoff"]["smoothing"]["width"], r_c) == (3.5, 4.0)
np.testing.assert_allclose([bonds.min(), bonds.max()], [0.7, 1.2])
distances = np.linspace(0.01, r_c + 0.2, 300)  # Å
# the Gto radial functions of these hypers (tutorial_helpers.expansion)
radial_functions = radial_basis(hypers).compute(distances, derivative=False)
smoothing = featomic.cutoff.ShiftedCosine(width=hypers["cutoff"]["smoothing"]["width"])
f_c = smoothing.compute(r_c, distances, derivative=False)

far = np.linspace(0.0, 12.0, 40001)  # Å; the functions are negligible beyond
R_far = radial_basis(hypers).compute(far, derivative=False)  # (distances, n)
overlap = np.trapezoid(
    R_far[:, :, None] * R_far[:, None, :] * far[:, None, None] ** 2, far, axis=0
)
np.testing.assert_allclose(overlap, np.eye(len(overlap)), atol=1e-8)
overlap_error = np.abs(overlap - np.eye(len(overlap))).max()
print(f"∫ R_n R_n' r² dr = δ_nn': largest deviation {overlap_error:.1e}")


def lone_neighbour_coefficient(r, smoothing_hypers):
    """l = 0, n = 0 coefficient of an H at distance r (Å) from an O."""
    pair = ase.Atoms("OH", positions=[[0, 0, 0], [0, 0, r]])
    calc = featomic.SphericalExpansion(
        cutoff={"radius": r_c, "smoothing": smoothing_hypers},
        density=hypers["density"],
        basis=hypers["basis"],
    )
    block = calc.compute(pair).block(o3_lambda=0, center_type=8, neighbor_type=1)
    return block.values[0, 0, 0]


probe = np.array([1.0, 3.6, 3.75, 3.9])  # Å, inside and across the smoothing
ratio = np.array(
    [
        lone_neighbour_coefficient(r, hypers["cutoff"]["smoothing"])
        / lone_neighbour_coefficient(r, {"type": "Step"})
        for r in probe
    ]
)
expected_fc = smoothing.compute(r_c, probe, derivative=False)
np.testing.assert_allclose(ratio, expected_fc, atol=1e-10)
print("at r / Å =", probe.tolist())
print("  coefficient with smoothing / without:", np.round(ratio, 4).tolist())
print("  f_c(r):", np.round(expected_fc, 4).tolist())

fig, ax = plt.subplots(figsize=figure_size(3.8))
for n in range(radial_functions.shape[1]):
    ax.plot(distances, radial_functions[:, n], linewidth=2, label=f"n = {n}")
ax.axvspan(bonds.min(), bonds.max(), color="0.85", label="O–H bonds")
ax.set(xlabel="r / Å", ylabel="R$_n$(r) / Å$^{-3/2}$", title="radial functions")
ax.legend(ncol=2)
plt.show()
# sphinx_gallery_thumbnail_number = 1

fig, ax = plt.subplots(figsize=figure_size(3.0))
ax.plot(distances, f_c, color="k", label="f$_c$(r), ShiftedCosine")
ax.plot(probe, ratio, "o", color="tab:orange", label="featomic's coefficients")
ax.set(xlabel="r / Å", ylabel="f$_c$(r) (no unit)", title="cutoff function")
ax.legend(loc="lower left")
plt.show()

# %%
# The TensorMap
# -------------
#
# There is one block per combination of the four **keys**:
#
# - ``o3_lambda``: the degree λ of the block's spherical tensors; for the density
#   coefficients it holds the angular index l of the harmonics, 0 to 6;
# - ``o3_sigma``: the parity label, always +1 here (the spherical harmonics are
#   proper tensors);
# - ``center_type`` and ``neighbor_type``: the atomic numbers of the central atom
#   and of the neighbours (8 for O, 1 for H).

print(expansion.keys)
assert len(expansion.keys) == 7 * 2 * 2
print(
    f"{len(expansion.keys)} blocks = 7 values of l × 2 central species "
    "× 2 neighbour species"
)

# %%
# In each block, the **samples** are the central atoms, ``(system, atom)``; the
# single **component** axis ``o3_mu`` runs over the 2l + 1 values of m; and the
# **properties** are the radial index ``n``.

block = expansion.block(o3_lambda=2, o3_sigma=1, center_type=8, neighbor_type=1)
print(block)
print("samples:", block.samples.names, block.samples.values[:3].tolist(), "...")
print(
    "components:",
    block.components[0].names,
    block.components[0].values.ravel().tolist(),
)
print("properties:", block.properties.names, block.properties.values.ravel().tolist())

# %%
# The ``positions`` gradient stores :math:`\partial c / \partial \mathbf{r}_k` for
# every central atom (``sample``) and every atom :math:`k` that moves it
# (``system, atom``), with the Cartesian direction ``xyz`` as the first component.

gradient = block.gradient("positions")
print(gradient)
print("gradient components:", [c.names for c in gradient.components])

# %%
# Keys to properties
# ------------------
#
# Models usually want one feature vector per atom, rather than one block per
# neighbour species. :meth:`metatensor.TensorMap.keys_to_properties` moves the
# ``neighbor_type`` key into the properties, concatenating the blocks; and
# :func:`metatensor.slice` (from metatensor-operations) then keeps the oxygen
# atoms only.

dense = expansion.keys_to_properties("neighbor_type")
print(f"{len(expansion.keys)} blocks → {len(dense.keys)} blocks:", dense.keys)
print("properties now:", dense.block(0).properties.names)
oxygens = metatensor.slice(
    dense,
    "samples",
    metatensor.Labels(["atom"], np.array([[0]])),
)
print(
    "oxygen-centred l = 1 block:",
    oxygens.block(o3_lambda=1, center_type=8).values.shape,
)

# %%
# Key points
# ----------
#
# - featomic expands the density of neighbours around each atom on radial functions
#   times real spherical harmonics; the coefficients of each (n, l) are a spherical
#   tensor of degree λ = l.
# - ``max_radial`` is the largest radial index: 5 means six radial functions.
# - The TensorMap has one block per (``o3_lambda``, ``o3_sigma``, ``center_type``,
#   ``neighbor_type``), one row per central atom and, when asked for, the position
#   gradients beside the values.

# %%
# Exercises
# ---------
#
# 1. **How many numbers per atom.** After ``keys_to_properties``, each atom is
#    described by one block per angular index l. How many coefficients describe
#    one oxygen, all blocks together? Predict the number from the
#    hyper-parameters, then count it in ``dense``.
# 2. **Who moves a coefficient.** The gradient of the block
#    ``center_type = 8, neighbor_type = 1`` has three rows per oxygen: the
#    derivatives with respect to the oxygen itself and to the two hydrogens.
#    Predict the rows per central atom of the blocks (1, 1), (1, 8) and (8, 8)
#    of ``(center_type, neighbor_type)``, then count them. One of these blocks
#    has a gradient that is zero everywhere: which one, and why?
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · How many numbers per atom

n_radial = hypers["basis"]["radial"]["max_radial"] + 1
harmonics = sum(2 * l + 1 for l in range(hypers["basis"]["max_angular"] + 1))
predicted = 2 * n_radial * harmonics  # 2 neighbour types, H and O
counted = sum(
    block.values[0].size for key, block in dense.items() if key["center_type"] == 8
)
print(f"coefficients per oxygen: predicted 2 × {n_radial} × {harmonics} = {predicted}")
print(f"counted in the blocks of the first oxygen: {counted}")
assert counted == predicted == 588

# %%
# There are :math:`(l_\mathrm{max} + 1)^2 = 49` harmonics for each of the six
# radial functions and the two neighbour types. The count grows with the square
# of ``max_angular`` and with the number of species: descriptors of materials
# with many elements get long.
#
# .. solution:: 2 · Who moves a coefficient

symbols = frames[0].get_chemical_symbols()  # every frame is O, H, H
assert all(atoms.get_all_distances().max() < r_c for atoms in frames)
for center, neighbor in [(1, 1), (1, 8), (8, 8), (8, 1)]:
    block = expansion.block(o3_lambda=0, center_type=center, neighbor_type=neighbor)
    gradient = block.gradient("positions")
    rows = len(gradient.samples) // len(block.samples)
    # the centre itself, and every other atom of the neighbour type (all inside r_c)
    kind = "H" if neighbor == 1 else "O"
    predicted = 1 + symbols.count(kind) - (center == neighbor)
    largest = np.abs(gradient.values).max()
    print(
        f"({center}, {neighbor}): gradient rows per centre {rows} "
        f"(predicted {predicted}), largest |∂c/∂r| {largest:.2f} Å^-1"
    )
    assert rows == predicted
    assert (largest == 0.0) == (center == neighbor == 8)

# %%
# Moving the centre moves every neighbour relative to it, so the centre can always
# move a coefficient: it has a row in every block. When the species match, the
# centre is also in its own density, a Gaussian at the origin that moves with it.
# In the block (8, 8) that Gaussian is the only density, since each molecule has
# one oxygen: nothing moves relative to the centre, and the gradient is zero.
