"""
5 · Atom-centred density correlations (λ-SOAP)
==============================================

The density coefficients of the previous chapter rotate correctly, but they are
*linear* in the neighbour density: each neighbour adds its own contribution,
blind to the others. Chemistry lives in the correlations between neighbours,
such as bond angles. On this page we compute the Clebsch–Gordan coefficients,
find them in chapter 3's change of basis, couple two bonds and then two copies
of the density with them into **equivariant power spectrum** features (λ-SOAP),
see how their parity label σ arises and how the recursion goes on to higher body
orders, check their symmetries under proper and improper rotations, and show
numerically what the first-order features miss. At the end you will be able to
compute λ-SOAP features with
:class:`featomic.clebsch_gordan.EquivariantPowerSpectrum` and know which block to
use for an invariant or a vector target.

.. note::

    Read :ref:`sphx_glr_auto_examples_03_spherical_tensors.py` and
    :ref:`sphx_glr_auto_examples_04_density_expansion.py` first.
"""

# %%
import chemiscope
import featomic
import matplotlib.pyplot as plt
import numpy as np
from featomic.clebsch_gordan import (
    DensityCorrelations,
    EquivariantPowerSpectrum,
    calculate_cg_coefficients,
)
from metatensor import Labels

from tutorial_helpers.clebsch_gordan import real_clebsch_gordan
from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.rotations import (
    matrix_to_angles,
    random_rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.spherical import rank2_change_of_basis, rank2_to_spherical
from tutorial_helpers.symmetry_check import transform_frames
from tutorial_helpers.visualisation import bare_structures, structure_properties

use_style()

# %%
# Clebsch–Gordan coefficients, by hand
# ------------------------------------
#
# Take two spherical tensors, :math:`\mathbf{a}` of degree :math:`l_1` and
# :math:`\mathbf{b}` of degree :math:`l_2`. Their :math:`(2l_1+1)(2l_2+1)`
# products :math:`a_{m_1} b_{m_2}` rotate with :math:`D^{l_1}\otimes D^{l_2}`,
# just as the nine products of chapter 3 rotated with :math:`R\otimes R`. The
# same trick applies: a fixed orthogonal change of basis splits them into parts of
# degree :math:`\lambda = |l_1 - l_2|, \dots, l_1 + l_2`, each rotating with
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
# For two vectors (:math:`l_1 = l_2 = 1`) they give the three parts of chapter 3:
# λ = 0 is :math:`-\mathbf{a}\cdot\mathbf{b}/\sqrt{3}`, λ = 1 is
# :math:`(\mathbf{a}\times\mathbf{b})/\sqrt{2}` in the (y, z, x) order of
# :math:`m = -1, 0, 1`, and λ = 2 the symmetric traceless part. Take the two O–H
# bonds of every water molecule:

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
print("λ = 0: −b₁·b₂/√3 and λ = 1: (b₁ × b₂)/√2, in Å²: checked")

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
# Chapter 3's change of basis :math:`C` comes from ``cartesian_to_spherical``, so,
# with the Cartesian axes in the (y, z, x) order, its rows are
# :math:`(-1)^\lambda\langle 1 m_1; 1 m_2 | \lambda m\rangle`: the coefficients
# for λ = 0 and 2, minus them for λ = 1. Coupling the two O–H bonds of every
# molecule with our coefficients thus gives :math:`(-1)^\lambda` times chapter 3's
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
print("rows of chapter 3's C = (−1)^λ ⟨1 m₁; 1 m₂ | λ m⟩: checked")

T_parts = rank2_to_spherical(np.einsum("ni,nj->nij", bond_1, bond_2))
R = random_rotation_matrix(1, seed=3)[0]
for lam in range(3):
    by_hand = coupled_bonds(bond_1, bond_2, lam)
    np.testing.assert_allclose(by_hand, (-1) ** lam * T_parts[lam], atol=1e-14)
    np.testing.assert_allclose(
        coupled_bonds(bond_1 @ R.T, bond_2 @ R.T, lam),
        by_hand @ wigner_d_real(lam, *matrix_to_angles(R)).T,
        atol=1e-14,
    )
print("b₁ ⊗ b₂ by hand = (−1)^λ × chapter 3's parts, and each rotates with D^λ")

# %%
# Coupling two densities
# ----------------------
#
# Now put two density expansions in place of the two bonds. The density
# coefficients :math:`c_{nlm}` of the previous chapter are features of
# *correlation order* ν = 1: one density coefficient each, body order
# :math:`\nu + 1 = 2` (the centre and one neighbour). The coupled product of two
# of them, for the same central atom, has ν = 2: two neighbours, body order 3, so
# it knows about three-body geometry: angles.
#
# .. math::
#
#     \rho^{\otimes 2}_{\lambda m}(n_1 l_1 a_1; n_2 l_2 a_2) =
#     \sum_{m_1 m_2} \langle l_1 m_1; l_2 m_2 | \lambda m\rangle\,
#     c^{a_1}_{n_1 l_1 m_1}\, c^{a_2}_{n_2 l_2 m_2},
#     \qquad |l_1 - l_2| \le \lambda \le l_1 + l_2.
#
# These are the λ-SOAP features of :cite:t:`grisafi2018`; their λ = 0 part is the
# SOAP power spectrum :cite:p:`bartok2013`. Under inversion each :math:`c_{nlm}`
# picks up :math:`(-1)^{l}`, so the product picks up :math:`(-1)^{l_1 + l_2}`.
# Compared with a proper tensor of degree λ, whose sign is :math:`(-1)^\lambda`,
# that is an extra
#
# .. math::
#
#     \sigma = (-1)^{l_1 + l_2 + \lambda},
#
# the parity label stored in ``o3_sigma``. When :math:`l_1 + l_2 + \lambda` is odd
# the result is a pseudo-tensor (σ = −1), like the cross product of two vectors
# (:math:`l_1 = l_2 = \lambda = 1`).
#
# featomic computes these features with
# :class:`featomic.clebsch_gordan.EquivariantPowerSpectrum`. Its extra factor
# :math:`(-1)^{l_1 + l_2 + \lambda}` (:ref:`featomic-cg-sign`) is σ: its blocks are
# σ times the equation above. We check that for every oxygen-centred feature, from
# featomic's own density coefficients and our Clebsch–Gordan coefficients.

hypers = {
    "cutoff": {"radius": 4.0, "smoothing": {"type": "ShiftedCosine", "width": 0.5}},
    "density": {"type": "Gaussian", "width": 0.3},
    "basis": {
        "type": "TensorProduct",
        "max_angular": 4,
        "radial": {"type": "Gto", "max_radial": 4},
    },
}
spherical_expansion = featomic.SphericalExpansion(**hypers)
lambda_soap = EquivariantPowerSpectrum(spherical_expansion)

features = lambda_soap.compute(frames, neighbors_to_properties=True)
density = spherical_expansion.compute(frames)
largest, count = 0.0, 0
for key, block in features.items():
    if key["center_type"] != 8:
        continue
    lam, sigma = int(key["o3_lambda"]), int(key["o3_sigma"])
    for column, (l1, l2, a1, n1, a2, n2) in enumerate(block.properties.values):
        c1 = density.block(o3_lambda=l1, center_type=8, neighbor_type=a1).values
        c2 = density.block(o3_lambda=l2, center_type=8, neighbor_type=a2).values
        by_hand = np.einsum(
            "sa,sb,abm->sm",
            c1[:, :, n1],
            c2[:, :, n2],
            real_clebsch_gordan(l1, l2, lam),
        )
        deviation = np.abs(block.values[:, :, column] - sigma * by_hand).max()
        largest, count = max(largest, deviation), count + 1
assert largest < 1e-12, f"λ-SOAP ≠ σ × the equation by {largest:.1e}"
print(f"featomic's λ-SOAP = σ × the equation, for all {count} O-centred features:")
print(f"largest deviation {largest:.1e}")

# %%
# The keys are ``o3_lambda`` (up to :math:`2 l_\mathrm{max} = 8`), ``o3_sigma`` and
# ``center_type``; the properties record which :math:`(l_1, l_2)`, neighbour
# species and radial indices were combined.

lambda_max = features.keys.column("o3_lambda").max()
assert lambda_max == 2 * hypers["basis"]["max_angular"] == 8, lambda_max
print(features.keys)
print("properties:", features.block(0).properties.names)

# %%
# Higher body orders
# ------------------
#
# Coupling once more adds one more neighbour. This is the recursion of NICE, the
# N-body iterative contraction of equivariants :cite:p:`nigam2020` (see also
# :cite:t:`willatt2019` and the review :cite:p:`musil2021`). It couples a feature
# of correlation order ν, degree :math:`\lambda_1` and parity :math:`\sigma_1` with
# one more density coefficient :math:`c_{nlm}`:
#
# .. math::
#
#     \rho^{\otimes(\nu+1)}_{\sigma; \lambda m} = \sum_{m_1 m_2}
#     \langle \lambda_1 m_1; l\, m_2 | \lambda m\rangle\,
#     \rho^{\otimes\nu}_{\sigma_1; \lambda_1 m_1}\, c_{n l m_2},
#     \qquad \sigma = \sigma_1 (-1)^{\lambda_1 + l + \lambda}.
#
# Starting from :math:`\rho^{\otimes 1} = c` (σ = +1), the parity of
# :math:`\rho^{\otimes\nu}` is :math:`(-1)^{l_1 + \dots + l_\nu + \lambda}`: the
# intermediate degrees cancel. :class:`featomic.clebsch_gordan.DensityCorrelations`
# runs the recursion, with featomic's sign convention (:ref:`featomic-cg-sign`).
# ``n_correlations`` counts the couplings: ``n_correlations=1`` (ν = 2) returns
# the λ-SOAP features exactly (those with :math:`l_1 \le l_2`; the others are
# redundant), and ``n_correlations=2`` gives ν = 3 (body order 4). Its keys
# record every step (:math:`l_1, l_2`, the intermediate degree :math:`k_2`, then
# :math:`l_3`), and featomic sets ``o3_sigma`` from them with the rule above.
# Check the values instead of that arithmetic: invert and rotate the molecules,
# :math:`P = -R`; every block must pick up :math:`\sigma(-1)^\lambda D^\lambda(R)`.

small = featomic.SphericalExpansion(
    cutoff=hypers["cutoff"],
    density=hypers["density"],
    basis={
        "type": "TensorProduct",
        "max_angular": 2,
        "radial": {"type": "Gto", "max_radial": 2},
    },
)
few = frames[:4]
pairs = DensityCorrelations(n_correlations=1, max_angular=4).compute(
    small.compute(few).keys_to_properties("neighbor_type")
)
small_lambda_soap = EquivariantPowerSpectrum(small).compute(
    few, neighbors_to_properties=True
)
for key, block in pairs.items():
    reference = small_lambda_soap.block(
        {name: key[name] for name in ("o3_lambda", "o3_sigma", "center_type")}
    )
    l1, l2 = (reference.properties.column(name) for name in ("l_1", "l_2"))
    columns = (l1 == key["l_1"]) & (l2 == key["l_2"])
    np.testing.assert_allclose(block.values, reference.values[:, :, columns])
print(f"ν = 2 from DensityCorrelations = λ-SOAP, for all {len(pairs.keys)} blocks")

correlations = DensityCorrelations(n_correlations=2, max_angular=6)


def nu3_features(frames):
    return correlations.compute(
        small.compute(frames).keys_to_properties("neighbor_type")
    )


nu3 = nu3_features(few)
scale = max(np.abs(block.values).max() for block in nu3.blocks())
largest = 0.0
for R in random_rotation_matrix(2, seed=7):
    inverted = nu3_features(transform_frames(few, -R))
    angles = matrix_to_angles(R)
    for key, block in nu3.items():
        lam, sigma = int(key["o3_lambda"]), int(key["o3_sigma"])
        D = wigner_d_real(lam, *angles)
        expected = sigma * (-1) ** lam * np.einsum("mp,spn->smn", D, block.values)
        deviation = np.abs(inverted.block(key).values - expected).max()
        largest = max(largest, deviation / scale)
assert largest < 1e-12, f"ν = 3 off σ(−1)^λ D^λ(R) by {largest:.1e}"
nonzero = [np.abs(b.values).max() > 1e-6 * scale for b in nu3.blocks()]
print(f"ν = 3: all {len(nu3.keys)} blocks ({sum(nonzero)} non-zero) pick up")
print(f"σ(−1)^λ D^λ(R) under P = −R; largest relative deviation {largest:.1e}")

# %%
# The invariant power spectrum
# ----------------------------
#
# The λ = 0, σ = +1 blocks are invariant: :math:`D^0 = 1`. As
# :math:`\langle l\, m_1; l\, m_2 | 0\, 0\rangle =
# (-1)^l\delta_{m_1 m_2}/\sqrt{2l+1}`, they are
# :math:`(-1)^l/\sqrt{2l+1}\,\sum_m c^{a_1}_{n_1 lm} c^{a_2}_{n_2 lm}`.
# :class:`featomic.SoapPowerSpectrum` gives exactly these numbers, times √2 for
# pairs of *different* neighbour species, because it stores :math:`(a_1, a_2)` and
# :math:`(a_2, a_1)` together. The power spectrum of :cite:t:`bartok2013` is a
# positive multiple of :math:`\sum_m c^{*}_{n_1 lm} c_{n_2 lm}`, with no
# :math:`(-1)^l`: featomic's features for odd :math:`l` have the opposite sign. A
# sign per feature changes no distance between environments, but matters when
# comparing numbers with another code.

soap = featomic.SoapPowerSpectrum(**hypers).compute(frames)
soap = soap.keys_to_properties(["neighbor_1_type", "neighbor_2_type"])
largest, fitted = 0.0, {}
for center in (1, 8):
    invariant = features.block(o3_lambda=0, o3_sigma=1, center_type=center)
    column = {tuple(p): i for i, p in enumerate(invariant.properties.values.tolist())}
    reference = soap.block(center_type=center)
    for j, (a1, a2, l, n1, n2) in enumerate(reference.properties.values.tolist()):
        species = 1.0 if a1 == a2 else np.sqrt(2)
        ours = species * invariant.values[:, 0, column[(l, l, a1, n1, a2, n2)]]
        largest = max(largest, np.abs(reference.values[:, j] - ours).max())
        c1 = density.block(o3_lambda=l, center_type=center, neighbor_type=a1).values
        c2 = density.block(o3_lambda=l, center_type=center, neighbor_type=a2).values
        plain = species * np.sum(c1[:, :, n1] * c2[:, :, n2], axis=1)  # Σ_m c c
        if plain @ plain > 0:
            ratio = (reference.values[:, j] @ plain) / (plain @ plain)
            fitted.setdefault(l, []).append(ratio)
assert largest < 1e-12, f"SOAP ≠ λ = 0 block by {largest:.1e}"
for l, ratios in fitted.items():
    expected = (-1) ** l / np.sqrt(2 * l + 1)
    diagonal = expected * np.eye(2 * l + 1)
    np.testing.assert_allclose(real_clebsch_gordan(l, l, 0)[:, :, 0], diagonal)
    np.testing.assert_allclose(ratios, expected, rtol=1e-10)
print(f"λ = 0, σ = +1 block = SoapPowerSpectrum: largest deviation {largest:.1e}")
print(
    f"SoapPowerSpectrum / Σ_m c c = (−1)^l/√(2l+1), for l = 0 ... {max(fitted)}:\n"
    + ", ".join(f"{np.mean(fitted[l]):+.3f}" for l in sorted(fitted))
)

# %%
# Symmetries of a λ = 3 block, of each parity
# -------------------------------------------
#
# Take the λ = 3 blocks centred on oxygen, σ = +1 and σ = −1, for every sixth
# molecule of the grid. Under a proper rotation both rotate with :math:`D^3(R)`.
# Under an improper rotation :math:`P = -R` (inversion followed by :math:`R`; with
# :math:`R = 1` it is the inversion itself) a tensor of degree λ and parity σ picks up
# :math:`\sigma(-1)^\lambda D^\lambda(R)`: :math:`-D^3(R)` for σ = +1, and
# :math:`+D^3(R)` for σ = −1, the extra sign.

subset = frames[::6]


def lambda3(frames):
    """The oxygen-centred λ = 3 blocks of both parities, {σ: values}."""
    keys = Labels(["o3_lambda"], np.array([[3]]))
    tensor = lambda_soap.compute(
        frames, selected_keys=keys, neighbors_to_properties=True
    )
    return {
        s: tensor.block(o3_lambda=3, o3_sigma=s, center_type=8).values for s in (1, -1)
    }


original = lambda3(subset)
for sigma in (1, -1):
    assert np.abs(original[sigma]).max() > 1e-3  # non-trivial blocks

rotations = np.concatenate([np.eye(3)[None], random_rotation_matrix(3, seed=5)])
for k, R in enumerate(rotations):
    D3 = wigner_d_real(3, *matrix_to_angles(R))
    for name, M, improper in (("proper R", R, False), ("improper −R", -R, True)):
        moved = lambda3(transform_frames(subset, M))
        for sigma in (1, -1):
            sign = sigma * (-1) ** 3 if improper else 1
            expected = sign * np.einsum("mp,spn->smn", D3, original[sigma])
            deviation = np.abs(moved[sigma] - expected).max()
            assert deviation < 1e-10, (name, sigma, deviation)
            if k < 2:
                label = "inversion" if (improper and k == 0) else name
                print(
                    f"{label:12s} σ = {sigma:+d}: picks up {sign:+d} × D³(R), "
                    f"largest deviation {deviation:.1e}"
                )
print(
    f"checked on {len(subset)} molecules for {len(rotations)} rotations "
    "(the first is the identity)"
)

# %%
# Feature space
# -------------
#
# What do these symmetries look like across a dataset? Take the 121 molecules of
# the grid, and 8 randomly rotated copies of three of them, and place each
# structure by the first two principal components (a PCA) of its oxygen's
# features: the λ = 0 block (top map), and the λ = 1 block flattened into one
# vector (bottom map). Both PCAs are fitted on the 121 grid molecules only.

copied = [16, 60, 102]  # (r1, r2, θ) = (0.75, 1.15, 110°), (0.95, 0.95, 110°),
# and (1.15, 0.75, 90°): Å, Å, degrees
turns = random_rotation_matrix(8, seed=12)
copies = [transform_frames([frames[i]], R)[0] for i in copied for R in turns]
structures = list(frames) + copies
source = np.concatenate([np.arange(len(frames)), np.repeat(copied, len(turns))])
assert (len(frames), len(structures)) == (121, 145), "the text's numbers"


def oxygen_blocks(frames, lam):
    """Values of the O-centred λ-SOAP block of degree ``lam`` and σ = +1."""
    tensor = lambda_soap.compute(
        frames,
        selected_keys=Labels(["o3_lambda"], np.array([[lam]])),
        neighbors_to_properties=True,
    )
    return tensor.block(o3_lambda=lam, o3_sigma=1, center_type=8).values


def pca(values, fitted_on, n=2):
    """The first ``n`` principal components of the rows of ``values``, with the
    axes fitted on the rows ``fitted_on``."""
    flat = values.reshape(len(values), -1)
    mean = flat[fitted_on].mean(axis=0)
    _, _, axes = np.linalg.svd(flat[fitted_on] - mean, full_matrices=False)
    return (flat - mean) @ axes[:n].T


invariant = oxygen_blocks(structures, 0)  # (145, 1, features)
vector = oxygen_blocks(structures, 1)  # (145, 3, features)
grid = np.arange(len(frames))
pcs_invariant = pca(invariant, grid)
pcs_vector = pca(vector, grid)

# %%
# Every copy lands on its molecule in the λ = 0 map: the features are
# invariant. In the λ = 1 map the copies scatter, because their λ = 1 features
# are :math:`D^1(R)` times those of the molecule, a different vector for each
# rotation.

is_copy = np.arange(len(structures)) >= len(frames)
np.testing.assert_allclose(
    invariant[is_copy], invariant[source[is_copy]], atol=1e-10 * np.abs(invariant).max()
)
np.testing.assert_allclose(
    pcs_invariant[is_copy], pcs_invariant[source[is_copy]], atol=1e-8
)
D1 = wigner_d_real(1, *matrix_to_angles(np.tile(turns, (len(copied), 1, 1))))
np.testing.assert_allclose(
    vector[is_copy],
    np.einsum("kmp,kpn->kmn", D1, vector[source[is_copy]]),
    atol=1e-10 * np.abs(vector).max(),
)
spread_invariant = np.abs(pcs_invariant[is_copy] - pcs_invariant[source[is_copy]])
spread_vector = np.linalg.norm(
    pcs_vector[is_copy] - pcs_vector[source[is_copy]], axis=1
)
extent_vector = np.ptp(pcs_vector[grid], axis=0).max()
print(
    f"copies away from their molecule: λ = 0 map {spread_invariant.max():.1e},\n"
    f"λ = 1 map up to {spread_vector.max() / extent_vector:.0%} of the map's extent"
)
assert spread_vector.max() > 0.2 * extent_vector

energy = np.array([atoms.info["energy"] for atoms in frames])[source]  # eV
fig, axes = plt.subplots(2, 1, figsize=figure_size(8.4))
for ax, pcs, title in (
    (axes[0], pcs_invariant, "λ = 0 features: invariant"),
    (axes[1], pcs_vector, "λ = 1 features: equivariant"),
):
    image = ax.scatter(*pcs[grid].T, c=energy[grid], s=14, cmap="viridis")
    ax.scatter(
        *pcs[copied].T,
        marker="*",
        s=160,
        color="tab:red",
        edgecolor="k",
        label=f"molecules {copied[0]}, {copied[1]}, {copied[2]}",
    )
    for i, marker in zip(copied, "os^", strict=True):
        ax.scatter(
            *pcs[(source == i) & is_copy].T,
            marker=marker,
            s=70,
            facecolor="none",
            edgecolor="tab:red",
            label=f"8 rotated copies of {i}",
        )
    ax.set(
        xlabel="PC 1 (arbitrary units)", ylabel="PC 2 (arbitrary units)", title=title
    )
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
fig.colorbar(image, ax=axes, label="PS energy / eV", shrink=0.6)
plt.show()

# %%
# The widget holds the same 145 structures. Its map opens on the λ = 1 PCA,
# coloured by energy, on the rotated copy that lies farthest from its molecule:
# each copy has its molecule's energy (its colour) but not its place (the
# property ``kind`` tells the copies apart, and can be chosen for the points'
# symbols in the map's settings). Put ``lambda0_PC1`` and ``lambda0_PC2``
# on the axes to see them hide under their molecule, and click any point to see
# its structure. The viewer looks down the z axis, onto the plane of the grid's
# molecules, and keeps that view from one structure to the next, so the copies
# show their rotation; it is zoomed on the selected copy's molecule and its
# copies (scroll to zoom out for larger molecules).


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


copy_kind = ["grid molecule"] * len(frames) + [
    f"rotated copy of molecule {i}" for i in source[is_copy]
]
farthest = len(frames) + int(np.argmax(spread_vector))  # a copy, far from its molecule
assert is_copy[farthest]
same_molecule = np.flatnonzero(source == source[farthest])  # the molecule, its copies
settings = chemiscope.quick_settings(
    x="lambda1_PC1",
    y="lambda1_PC2",
    map_color="energy",
    structure_settings={
        "keepOrientation": True,
        "camera": viewer_camera(
            np.concatenate([structures[k].positions for k in same_molecule]),
            towards_viewer=np.array([0.0, 0.0, 1.0]),
            up=np.array([0.0, 1.0, 0.0]),
        ),
    },
)
chemiscope.show(
    bare_structures(structures),
    properties=structure_properties(
        {
            "lambda0_PC1": (pcs_invariant[:, 0], None, "PC 1 of the λ = 0 features"),
            "lambda0_PC2": (pcs_invariant[:, 1], None, "PC 2 of the λ = 0 features"),
            "lambda1_PC1": (pcs_vector[:, 0], None, "PC 1 of the λ = 1 features"),
            "lambda1_PC2": (pcs_vector[:, 1], None, "PC 2 of the λ = 1 features"),
            "energy": (energy, "eV", "PS energy"),
            "molecule": (source, None, "index of the molecule in the grid"),
        }
    )
    | {
        "kind": {
            "target": "structure",
            "values": copy_kind,
            "description": "grid molecule or rotated copy",
        }
    },
    settings=settings | {"pinned": [farthest]},
    metadata={
        "name": "145 water molecules placed by their lambda = 1 features",
        "description": (
            "Map of the first two principal components of the oxygen's "
            "lambda = 1 lambda-SOAP features, coloured by the energy (eV), for "
            "the 121 molecules of the grid and 24 rotated copies of three of "
            "them: the copies lie away from their molecule. "
            "Choose the invariant (lambda = 0) components on the axes instead, "
            "and each copy lies on its molecule."
        ),
    },
)

# %%
# Why ν = 1 is not enough
# -----------------------
#
# The ν = 1 features are a *sum over neighbours*: each neighbour contributes its own
# term, regardless of where the others are. For a water molecule, the oxygen-centred
# coefficients are those of the molecule without H2, plus those without H1, minus
# those of the lone oxygen. The ν = 2 features are not: they contain products of the
# two hydrogens' contributions, the three-body terms that encode the angle.

molecule = frames[40]
without_h2, without_h1, lone_oxygen = molecule[[0, 1]], molecule[[0, 2]], molecule[[0]]


def oxygen_features(calculator, atoms, lam, center_type=8):
    """Values and properties of the σ = +1 block of degree ``lam`` centred on the
    first atom of type ``center_type`` (8: the oxygen; 1: H1)."""
    if isinstance(calculator, EquivariantPowerSpectrum):
        tensor = calculator.compute(atoms, neighbors_to_properties=True)
    else:
        tensor = calculator.compute(atoms).keys_to_properties("neighbor_type")
    block = tensor.block({"o3_lambda": lam, "o3_sigma": 1, "center_type": center_type})
    return block.values[0], block.properties


def additivity_error(calculator, lam):
    """|c(molecule) - c(O,H1) - c(O,H2) + c(O)| / |c(molecule)|."""
    parts = [
        oxygen_features(calculator, atoms, lam)
        for atoms in (molecule, without_h2, without_h1, lone_oxygen)
    ]
    reference_properties = parts[0][1]
    total = np.zeros_like(parts[0][0])
    for sign, (values, properties) in zip((1, -1, -1, 1), parts, strict=True):
        index = [reference_properties.position(p) for p in properties]
        total[:, index] += sign * values
    return np.abs(total).max() / np.abs(parts[0][0]).max()


error_nu1 = additivity_error(spherical_expansion, 1)
error_nu2 = additivity_error(lambda_soap, 1)
print(f"λ = 1, ν = 1: non-additive part {error_nu1:.1e} (sum of one-neighbour terms)")
print(f"λ = 1, ν = 2: non-additive part {error_nu2:.2f} (three-body terms)")
assert error_nu1 < 1e-12 and error_nu2 > 0.1

# %%
# So a linear model on ν = 1, λ = 1 features predicts a dipole of the form
# :math:`f(r_1)\,\hat{\mathbf{b}}_1 + f(r_2)\,\hat{\mathbf{b}}_2`: one contribution
# per bond, whose size cannot depend on the H–O–H angle. The PS dipole comes from
# charges that *do* depend on the angle, so this model must fail; chapter 6 shows by
# how much.
#
# The same holds for invariants, even more starkly. The ν = 1 invariants
# (λ = 0) of the **oxygen** depend on the two O–H distances only. Along a row of
# the grid, where :math:`r_1` and :math:`r_2` are fixed and only θ changes, they
# do not change at all: the oxygen's ν = 1 invariants cannot tell these eleven
# molecules apart. Its ν = 2 invariants can.
#
# The centre matters. A **hydrogen** sees the other hydrogen at
# :math:`r_\mathrm{HH} = \sqrt{r_1^2 + r_2^2 - 2 r_1 r_2 \cos\theta}`, which
# changes with θ, so its ν = 1 invariants do change along the row: the angle
# reaches them as one more distance.

row = frames[55:66]  # r1 = r2 = 0.95 Å, θ = 60° ... 160°
theta = np.array([atoms.info["HOH"] for atoms in row])


def relative_change(values):
    """Largest change along the row, relative to the largest value."""
    return np.abs(values - values[0]).max() / np.abs(values).max()


nu1 = np.array(
    [oxygen_features(spherical_expansion, atoms, 0)[0].ravel() for atoms in row]
)
nu2 = np.array([oxygen_features(lambda_soap, atoms, 0)[0].ravel() for atoms in row])
nu1_h = np.array(
    [oxygen_features(spherical_expansion, atoms, 0, 1)[0].ravel() for atoms in row]
)
spread_nu1, spread_nu2 = relative_change(nu1), relative_change(nu2)
spread_nu1_h = relative_change(nu1_h)
print(
    f"changes along θ = 60° ... 160° (relative to the largest value):\n"
    f"O-centred ν = 1: {spread_nu1:.1e}, O-centred ν = 2: {spread_nu2:.2f}, "
    f"H-centred ν = 1: {spread_nu1_h:.2f}"
)
# (not exactly zero: the positions in the data file are rounded to 1e-8 Å)
assert spread_nu1 < 1e-6 and spread_nu2 > 0.05 and spread_nu1_h > 0.05

# %%
# The plot shows, for each kind of feature, the six that change most along the
# row of the grid: for the oxygen's ν = 1 features even those are flat.

fig, axes = plt.subplots(3, 1, figsize=figure_size(7.6), sharex=True)
for ax, values, title in (
    (axes[0], nu1, "O-centred ν = 1"),
    (axes[1], nu2, "O-centred ν = 2"),
    (axes[2], nu1_h, "H-centred ν = 1"),
):
    most_varying = np.argsort(np.ptp(values, axis=0))[-6:]
    ax.plot(theta, values[:, most_varying], marker="o")
    ax.set_title(f"{title}, λ = 0: the 6 most varying features")
axes[-1].set_xlabel("θ (H–O–H angle) / °")
fig.supylabel("feature value (arbitrary units)", fontsize="medium")
plt.show()

# %%
# The dipole models of chapter 6 describe each molecule by its **oxygen**: one
# centre per molecule, so one set of features per dipole, and the ν = 1 model
# built on it is exactly the sum of bond terms above, which makes its failure
# easy to read. Hydrogen-centred ν = 1 features would see the angle through
# :math:`r_\mathrm{HH}`, but still only as a sum of two-body terms, one per
# neighbour; ν = 2 features see the two neighbours together, from any centre.
