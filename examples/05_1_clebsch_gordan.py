"""
5.1 · Clebsch–Gordan coefficients
=================================

The density coefficients of chapter 4 rotate correctly, but they are *linear* in
the neighbour density: each neighbour adds its own contribution, blind to the
others. Chemistry lives in the correlations between neighbours, such as bond
angles, and correlations are products. This page builds the tool that turns a
product of two spherical tensors back into spherical tensors: the
**Clebsch–Gordan coefficients**. We compute them, check them against featomic's,
find them in chapter 3.1's change of basis and couple the two bonds of each water
molecule with them. At the end of this page you will be able to split the product
of any two spherical tensors into parts of definite degree λ, and to tell
featomic's sign convention from the textbook's.

.. note::

    Read :ref:`chapter 3.1 <sphx_glr_auto_examples_03_1_wigner_d_blocks.py>` (the
    change of basis that splits a rank-2 tensor),
    :ref:`chapter 3.2 <sphx_glr_auto_examples_03_2_parts_and_parity.py>` (the
    parity label σ) and
    :ref:`chapter 4.1 <sphx_glr_auto_examples_04_1_spherical_expansion.py>` (the
    real spherical harmonics) first, and keep :ref:`conventions-spherical` at
    hand.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from featomic.clebsch_gordan import calculate_cg_coefficients

from tutorial_helpers.clebsch_gordan import coupled_product, real_clebsch_gordan
from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.rotations import (
    matrix_to_angles,
    random_rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.spherical import rank2_change_of_basis, rank2_to_spherical

use_style()

# %%
# Clebsch–Gordan coefficients, by hand
# ------------------------------------
#
# Take two spherical tensors, :math:`\mathbf{a}` of degree :math:`l_1` and
# :math:`\mathbf{b}` of degree :math:`l_2`. Their :math:`(2l_1+1)(2l_2+1)`
# products :math:`a_{m_1} b_{m_2}` rotate with :math:`D^{l_1}\otimes D^{l_2}`,
# just as the nine products of
# :ref:`chapter 3.1 <sphx_glr_auto_examples_03_1_wigner_d_blocks.py>` rotated with
# :math:`R\otimes R`. The same trick applies: a fixed orthogonal change of basis
# splits them into parts of degree
# :math:`\lambda = |l_1 - l_2|, \dots, l_1 + l_2`, each rotating with
# :math:`D^\lambda`. Its entries are the real **Clebsch–Gordan coefficients**
# :math:`\langle l_1 m_1; l_2 m_2 | \lambda m\rangle`:
#
# .. math::
#
#     (\mathbf{a}\otimes\mathbf{b})_{\lambda m} = \sum_{m_1 m_2}
#     \langle l_1 m_1; l_2 m_2 | \lambda m\rangle\, a_{m_1} b_{m_2}.
#
# Quantum mechanics gives them in closed form (Racah's formula) for complex
# spherical harmonics. Changing each of the three indices to the real harmonics of
# :ref:`conventions-spherical`, :math:`Y^\mathrm{real} = U Y^\mathrm{complex}`,
# gives a real array when :math:`l_1 + l_2 + \lambda` is even and an imaginary one
# when it is odd; there we multiply by :math:`-i`.
# :func:`tutorial_helpers.clebsch_gordan.real_clebsch_gordan` does both steps.
# :func:`featomic.clebsch_gordan.calculate_cg_coefficients` tabulates the same
# numbers:

table = calculate_cg_coefficients(8, "python-dense", "numpy", np.float64, "cpu")
largest, count = 0.0, 0
for l1 in range(5):
    for l2 in range(5):
        for lam in range(abs(l1 - l2), l1 + l2 + 1):
            theirs = table.block({"l1": l1, "l2": l2, "lambda": lam}).values[0, ..., 0]
            deviation = np.abs(real_clebsch_gordan(l1, l2, lam) - theirs).max()
            largest, count = max(largest, deviation), count + 1
assert largest < 1e-14, f"ours ≠ featomic's table by {largest:.1e}"
print(f"ours = featomic's table for all {count} (l₁, l₂, λ) with l₁, l₂ ≤ 4:")
print(f"largest deviation {largest:.1e}")

# %%
# For two vectors (:math:`l_1 = l_2 = 1`) they give the three parts of chapter
# 3.1, up to a sign: λ = 0 is :math:`-\mathbf{a}\cdot\mathbf{b}/\sqrt{3}`,
# λ = 1 is :math:`(\mathbf{a}\times\mathbf{b})/\sqrt{2}` in the (y, z, x) order of
# :math:`m = -1, 0, 1`, and λ = 2 the symmetric traceless part. Chapter 3.2
# printed the λ = 1 part of :math:`\mathbf{b}_1\mathbf{b}_2^\top` as
# :math:`-(\mathbf{b}_1\times\mathbf{b}_2)/\sqrt{2}`, the opposite sign: the
# change of basis of chapters 3.1 and 3.2 comes from featomic, whose parts are
# :math:`(-1)^\lambda` times these (:ref:`featomic-cg-sign`, below). Take the
# two O–H bonds of every water molecule:

frames = load_water_dataset()
positions = np.array([atoms.positions for atoms in frames])  # Å
bond_1 = positions[:, 1] - positions[:, 0]
bond_2 = positions[:, 2] - positions[:, 0]
yzx = [1, 2, 0]  # Cartesian axes in the order m = -1, 0, 1


def coupled_bonds(bond_1, bond_2, lam):
    """The part of degree ``lam`` of b₁ ⊗ b₂, for (n, 3) arrays of bonds (Å)."""
    C = real_clebsch_gordan(1, 1, lam)
    return np.einsum("na,nb,abm->nm", bond_1[:, yzx], bond_2[:, yzx], C)


dot = np.sum(bond_1 * bond_2, axis=1)
cross = np.cross(bond_1, bond_2)[:, yzx]
np.testing.assert_allclose(coupled_bonds(bond_1, bond_2, 0)[:, 0], -dot / np.sqrt(3))
np.testing.assert_allclose(coupled_bonds(bond_1, bond_2, 1), cross / np.sqrt(2))
T_parts = rank2_to_spherical(np.einsum("ni,nj->nij", bond_1, bond_2))  # as in 3.2
np.testing.assert_allclose(T_parts[1], -cross / np.sqrt(2), atol=1e-14)
print("λ = 0: −b₁·b₂/√3, λ = 1: (b₁ × b₂)/√2; chapter 3.2's λ = 1: −(b₁ × b₂)/√2")

# the three arrays side by side: columns (λ, m), rows (m₁, m₂)
coefficients = np.concatenate(
    [real_clebsch_gordan(1, 1, lam).reshape(9, 2 * lam + 1) for lam in range(3)], axis=1
)
fig, ax = plt.subplots(figsize=figure_size(5.4))
image = ax.matshow(coefficients, cmap="RdBu", vmin=-1, vmax=1)
ax.set_xticks(range(9), [f"{m}" for lam in range(3) for m in range(-lam, lam + 1)])
ax.set_yticks(range(9), [f"{a},{b}" for a in (-1, 0, 1) for b in (-1, 0, 1)])
ax.tick_params(axis="x", top=False, labeltop=False, bottom=True, labelbottom=True)
ax.set(xlabel="m", ylabel="m₁, m₂", title="⟨1 m₁; 1 m₂ | λ m⟩")
for edge in (0.5, 3.5):
    ax.axvline(edge, color="k", linewidth=1.5)
degrees = ax.secondary_xaxis("top")
degrees.set_xticks([0, 2, 6], labels=[f"λ = {lam}" for lam in range(3)])
degrees.tick_params(length=0)
fig.colorbar(image, ax=ax, label="coefficient")
plt.show()
# sphinx_gallery_thumbnail_number = 1

# %%
# .. _featomic-cg-sign:
#
# featomic's sign convention
# --------------------------
#
# featomic stores these coefficients, but whenever it couples two tensors
# (:func:`~featomic.clebsch_gordan.cartesian_to_spherical`,
# :class:`~featomic.clebsch_gordan.EquivariantPowerSpectrum`,
# :class:`~featomic.clebsch_gordan.DensityCorrelations`) it keeps the order
# :math:`(l_1, l_2)` and multiplies them by :math:`(-1)^{l_1 + l_2 + \lambda}`.
# A multiple of a spherical tensor is still one, so nothing breaks, but every
# part with odd :math:`l_1 + l_2 + \lambda` has the opposite sign to the
# equation above. These are the same numbers as coupling in the order
# :math:`(l_2, l_1)`: swapping the two factors multiplies the coefficients by that
# same sign.
#
# Chapter 3.1's change of basis :math:`C` comes from ``cartesian_to_spherical``, so,
# with the Cartesian axes in the (y, z, x) order, its rows are
# :math:`(-1)^\lambda\langle 1 m_1; 1 m_2 | \lambda m\rangle`: the coefficients
# for λ = 0 and 2, minus them for λ = 1. Coupling the two O–H bonds of every
# molecule with our coefficients thus gives :math:`(-1)^\lambda` times chapter 3.1's
# parts of :math:`T = \mathbf{b}_1\mathbf{b}_2^\top`, and each part rotates with
# :math:`D^\lambda`.

for l1 in range(5):
    for l2 in range(5):
        for lam in range(abs(l1 - l2), l1 + l2 + 1):
            swapped = real_clebsch_gordan(l2, l1, lam).transpose(1, 0, 2)
            sign = (-1) ** (l1 + l2 + lam)
            np.testing.assert_allclose(
                swapped, sign * real_clebsch_gordan(l1, l2, lam), atol=1e-15
            )
print("⟨l₂ m₂; l₁ m₁ | λ m⟩ = (−1)^(l₁ + l₂ + λ) ⟨l₁ m₁; l₂ m₂ | λ m⟩: checked")

C3 = rank2_change_of_basis().reshape(9, 3, 3)[:, yzx][:, :, yzx]  # rows: (λ, m)
rows = {0: slice(0, 1), 1: slice(1, 4), 2: slice(4, 9)}
for lam in range(3):
    from_chapter3 = np.moveaxis(C3[rows[lam]], 0, -1)  # [m1, m2, m]
    np.testing.assert_allclose(
        from_chapter3, (-1) ** lam * real_clebsch_gordan(1, 1, lam), atol=1e-15
    )
print("rows of chapter 3.1's C = (−1)^λ ⟨1 m₁; 1 m₂ | λ m⟩: checked")

R = random_rotation_matrix(1, seed=3)[0]
for lam in range(3):
    by_hand = coupled_bonds(bond_1, bond_2, lam)
    np.testing.assert_allclose(by_hand, (-1) ** lam * T_parts[lam], atol=1e-14)
    np.testing.assert_allclose(
        coupled_bonds(bond_1 @ R.T, bond_2 @ R.T, lam),
        by_hand @ wigner_d_real(lam, *matrix_to_angles(R)).T,
        atol=1e-14,
    )
print("b₁ ⊗ b₂ by hand = (−1)^λ × chapter 3.1's parts, and each rotates with D^λ")

# %%
# The bonds were a warm-up. On the
# :ref:`next page <sphx_glr_auto_examples_05_2_lambda_soap.py>` two copies of the
# neighbour density take their place, and the coupled parts become the λ-SOAP
# features.

# %%
# Key points
# ----------
#
# - The Clebsch–Gordan coefficients are a fixed change of basis that splits the product
#   of two spherical tensors of degrees :math:`l_1` and :math:`l_2` into parts of degree
#   :math:`\lambda = |l_1 - l_2|, \dots, l_1 + l_2`.
# - For two vectors the parts are the dot product, the cross product and the symmetric
#   traceless product; libraries differ in the sign of each part, so check the
#   convention.

# %%
# Exercises
# ---------
#
# :func:`~tutorial_helpers.clebsch_gordan.coupled_product` does what
# ``coupled_bonds`` does, for spherical tensors of any degrees.
#
# 1. **Two quadrupoles make an angle.** The λ = 2 parts of the rank-2 tensors
#    :math:`\mathbf{b}_1\mathbf{b}_1^\top` and :math:`\mathbf{b}_2\mathbf{b}_2^\top`
#    (from :func:`~tutorial_helpers.spherical.rank2_to_spherical`), one per bond,
#    are two spherical tensors of degree 2. Couple them into λ = 0. Show that,
#    for every molecule, the result is :math:`k\, r_1^2 r_2^2\, P_2(\cos\theta)`,
#    with the Legendre polynomial :math:`P_2(x) = (3x^2 - 1)/2`, and find :math:`k`.
# 2. **Three vectors make a pseudoscalar.** Couple the λ = 1 part of
#    :math:`\mathbf{b}_1\otimes\mathbf{b}_2` with :math:`\hat{\mathbf{z}}`, the
#    direction of an electric field along z (a polar vector), into λ = 0. Which
#    product is it, with which factor? What does it do under an inversion, and
#    with the normal :math:`\mathbf{b}_1\times\mathbf{b}_2` in place of ẑ?
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · Two quadrupoles make an angle

quadrupole_1 = rank2_to_spherical(np.einsum("ni,nj->nij", bond_1, bond_1))[2]
quadrupole_2 = rank2_to_spherical(np.einsum("ni,nj->nij", bond_2, bond_2))[2]
coupled = coupled_product(quadrupole_1, quadrupole_2, 0)[:, 0]  # Å⁴
r_1, r_2 = np.linalg.norm(bond_1, axis=1), np.linalg.norm(bond_2, axis=1)  # Å
cos_theta = np.sum(bond_1 * bond_2, axis=1) / (r_1 * r_2)
k = coupled / (r_1**2 * r_2**2 * (3 * cos_theta**2 - 1) / 2)
print(f"k = {k.mean():.6f} = 2 / (3 √5) for all {len(k)} molecules")
np.testing.assert_allclose(k, 2 / (3 * np.sqrt(5)), rtol=1e-12)

# %%
# The coefficients :math:`\langle 2\, m_1; 2\, m_2 | 0\, 0\rangle` are
# :math:`\delta_{m_1 m_2}/\sqrt5`, so the result is :math:`1/\sqrt5` times the
# dot product of the two λ = 2 parts. The change of basis is orthogonal, so that
# dot product is the one of the traceless tensors,
# :math:`(\mathbf{b}_1\cdot\mathbf{b}_2)^2 - r_1^2 r_2^2/3 =
# \tfrac23\, r_1^2 r_2^2 P_2(\cos\theta)`. Two quadrupoles, each blind to the
# other bond, give an invariant that knows the angle: the idea of the next page.
#
# .. solution:: 2 · Three vectors make a pseudoscalar

field = np.tile([0.0, 0.0, 1.0], (len(bond_1), 1))  # ẑ, no unit: a polar vector


def triple(bond_1, bond_2, third):
    """((b₁ ⊗ b₂)_1 ⊗ third)_0, in Å² times the unit of ``third``."""
    vector = coupled_bonds(bond_1, bond_2, 1)
    return coupled_product(vector, third[:, yzx], 0)[:, 0]


scalar = triple(bond_1, bond_2, field)
factor = scalar / (np.cross(bond_1, bond_2) @ [0.0, 0.0, 1.0])
print(f"((b₁ ⊗ b₂)_1 ⊗ ẑ)_0 / (b₁ × b₂)·ẑ = {factor.mean():.6f} = −1/√6")
np.testing.assert_allclose(factor, -1 / np.sqrt(6), rtol=1e-12)
assert np.abs(scalar).min() > 0.1  # Å²: it is not zero, so its sign can flip
for name, third, inverted, sign in (
    ("field ẑ", field, -field, -1),
    ("normal b₁ × b₂", np.cross(bond_1, bond_2), np.cross(-bond_1, -bond_2), 1),
):
    ratio = triple(-bond_1, -bond_2, inverted) / triple(bond_1, bond_2, third)
    print(f"with the {name}, inverted / original: {ratio.mean():+.0f}")
    np.testing.assert_allclose(ratio, sign, rtol=1e-12)

# %%
# It is :math:`-(\mathbf{b}_1\times\mathbf{b}_2)\cdot\hat{\mathbf{z}}/\sqrt6`:
# the cross product is :math:`(\mathbf{b}_1\times\mathbf{b}_2)/\sqrt2`, and
# :math:`\langle 1\, m_1; 1\, m_2 | 0\, 0\rangle = -\delta_{m_1 m_2}/\sqrt3`.
# Three polar vectors change sign under inversion, so does their product: a
# **pseudoscalar**, λ = 0 with σ = −1 (:ref:`chapter 3.2
# <sphx_glr_auto_examples_03_2_parts_and_parity.py>`). The normal is axial, the
# same for the inverted atoms: with it, the product is a true scalar.
