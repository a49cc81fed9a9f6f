"""
5.2 · λ-SOAP: higher body orders and their symmetries
=====================================================

The Clebsch–Gordan coefficients of the previous page split the product of two
spherical tensors into parts of definite degree λ. Here the two tensors are two
copies of the neighbour density around the same atom: their coupled products are
the **equivariant power spectrum** features, λ-SOAP. We compute them by hand and
with featomic, see where their parity label σ comes from, follow the recursion to
higher body orders, meet the invariant SOAP power spectrum as their λ = 0 part,
and check their symmetries under proper and improper rotations. At the end of
this page you will be able to compute λ-SOAP features with
:class:`featomic.clebsch_gordan.EquivariantPowerSpectrum`, read their keys and
properties, predict the parity σ of each block, and know which block to use for
an invariant or a vector target.

.. note::

    Read :ref:`chapter 5.1 <sphx_glr_auto_examples_05_1_clebsch_gordan.py>` (the
    Clebsch–Gordan coefficients, and :ref:`featomic's sign convention
    <featomic-cg-sign>`), :ref:`chapter 4.1
    <sphx_glr_auto_examples_04_1_spherical_expansion.py>` (the density
    coefficients and their TensorMap) and :ref:`chapter 4.3
    <sphx_glr_auto_examples_04_3_density_symmetries.py>` (how they transform)
    first.
"""

# %%
import featomic
import matplotlib.pyplot as plt
import numpy as np
from featomic.clebsch_gordan import DensityCorrelations

from tutorial_helpers.clebsch_gordan import coupled_product, real_clebsch_gordan
from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.lambda_soap import (
    center_block,
    density_coefficients,
    lambda_soap,
    water_hypers,
)
from tutorial_helpers.rotations import (
    matrix_to_angles,
    random_rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.symmetry_check import transform_frames

use_style()

# %%
# Coupling two densities
# ----------------------
#
# Put two density expansions in place of the two bonds of the previous page. The
# density coefficients :math:`c_{nlm}` of chapter 4 are features of *correlation
# order* ν = 1: one density coefficient each, body order :math:`\nu + 1 = 2` (the
# centre and one neighbour). The coupled product of two of them, for the same
# central atom, has ν = 2: two neighbours, body order 3, so it knows about
# three-body geometry: angles.
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
# σ times the equation above. :mod:`tutorial_helpers.lambda_soap` computes the
# density coefficients and the λ-SOAP features of water with one set of
# hyperparameters, which every page of this chapter uses. We check, for every
# oxygen-centred feature, that featomic's λ-SOAP is σ times the equation, with
# featomic's own density coefficients and our Clebsch–Gordan coefficients
# (:func:`~tutorial_helpers.clebsch_gordan.coupled_product` does the sum over
# :math:`m_1, m_2`).

frames = load_water_dataset()
hypers = water_hypers(max_angular=4, max_radial=4)
print(
    f"cutoff {hypers['cutoff']['radius']} Å, Gaussians "
    f"{hypers['density']['width']} Å wide, l ≤ {hypers['basis']['max_angular']}, "
    f"n ≤ {hypers['basis']['radial']['max_radial']}"
)
features = lambda_soap(frames, max_angular=4, max_radial=4)  # ν = 2
density = density_coefficients(frames, max_angular=4, max_radial=4)  # ν = 1
largest, count = 0.0, 0
for key, block in features.items():
    if key["center_type"] != 8:
        continue
    lam, sigma = int(key["o3_lambda"]), int(key["o3_sigma"])
    for column, (l1, l2, a1, n1, a2, n2) in enumerate(block.properties.values):
        c1 = density.block(o3_lambda=l1, center_type=8, neighbor_type=a1).values
        c2 = density.block(o3_lambda=l2, center_type=8, neighbor_type=a2).values
        by_hand = coupled_product(c1[:, :, n1], c2[:, :, n2], lam)
        deviation = np.abs(block.values[:, :, column] - sigma * by_hand).max()
        largest, count = max(largest, deviation), count + 1
assert largest < 1e-12, f"λ-SOAP ≠ σ × the equation by {largest:.1e}"
print(f"featomic's λ-SOAP = σ × the equation, for all {count} O-centred features:")
print(f"largest deviation {largest:.1e}")

# %%
# The keys
# --------
#
# The keys are ``o3_lambda`` (up to :math:`2 l_\mathrm{max} = 8`), ``o3_sigma`` and
# ``center_type``; the properties record which :math:`(l_1, l_2)`, neighbour
# species and radial indices were combined. featomic keeps only
# :math:`l_1 \le l_2`: the pair :math:`(l_2, l_1)` gives the same numbers, up to
# the sign of :ref:`chapter 5.1 <featomic-cg-sign>`.

lambda_max = features.keys.column("o3_lambda").max()
assert lambda_max == 2 * hypers["basis"]["max_angular"] == 8, lambda_max
print(features.keys)
print("properties:", features.block(0).properties.names)
for block in features.blocks():
    l1, l2 = (block.properties.column(name) for name in ("l_1", "l_2"))
    assert np.all(l1 <= l2)
print("l₁ ≤ l₂ in every block: checked")

# %%
# λ = 0 needs :math:`l_1 = l_2`, so :math:`l_1 + l_2 + \lambda` is even there:
# there is no pseudoscalar (σ = −1) block of ν = 2. Nor at
# :math:`\lambda = 2 l_\mathrm{max}`, which needs
# :math:`l_1 = l_2 = l_\mathrm{max}`. Every other degree has both parities; the
# figure counts the features of each oxygen-centred block. A target picks its
# block by how it transforms: an energy, invariant, the λ = 0, σ = +1 block; a
# dipole, a polar vector, λ = 1 and σ = +1; an axial vector such as an angular
# momentum, λ = 1 and σ = −1.

oxygen_keys = [key for key in features.keys if key["center_type"] == 8]
sizes = {
    (int(key["o3_lambda"]), int(key["o3_sigma"])): len(features.block(key).properties)
    for key in oxygen_keys
}
missing = sorted(
    lam for lam in range(lambda_max + 1) for s in (1, -1) if (lam, s) not in sizes
)
assert missing == [0, lambda_max], missing
print(f"no σ = −1 block at λ = {missing[0]} and λ = {missing[1]}")

degrees = np.arange(lambda_max + 1)
fig, ax = plt.subplots(figsize=figure_size(3.6))
for offset, s, colour in ((-0.2, 1, "tab:blue"), (0.2, -1, "tab:red")):
    counts = [sizes.get((lam, s), 0) for lam in degrees]
    ax.bar(degrees + offset, counts, width=0.4, color=colour, label=f"σ = {s:+d}")
ax.set(
    xlabel="λ",
    ylabel="features per block",
    title=(
        f"Oxygen-centred λ-SOAP blocks, l ≤ {hypers['basis']['max_angular']}, "
        f"n ≤ {hypers['basis']['radial']['max_radial']}"
    ),
    xticks=degrees,
)
ax.legend()
plt.show()
# sphinx_gallery_thumbnail_number = 1

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
# Check the values instead of that arithmetic: invert and rotate the structure,
# :math:`P = -R`; every block must pick up :math:`\sigma(-1)^\lambda D^\lambda(R)`.
#
# Not on one water molecule: its three atoms lie in a plane, and the mirror
# through that plane, an improper rotation, leaves it as it is. Its pseudoscalar
# blocks are zero (exercise 3), and pass the check whatever their label. So we
# check two molecules together, one turned out of the plane of the other, and
# plant an error to see the check fail: every σ label flipped.

few = frames[:4]
small = {"max_angular": 2, "max_radial": 2}  # smaller hypers: ν = 3 grows fast
pairs = DensityCorrelations(n_correlations=1, max_angular=4).compute(
    density_coefficients(few, **small, neighbors_to_properties=True)
)
small_lambda_soap = lambda_soap(few, **small)
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
        density_coefficients(frames, **small, neighbors_to_properties=True)
    )


def parity_failures(compute, structures):
    """The keys of the blocks of ``compute(structures)`` that do not pick up
    σ(−1)^λ D^λ(R) under P = −R, for two random R: {+1: with σ as labelled,
    −1: with every σ flipped}; and the features themselves."""
    tensor = compute(structures)
    scale = max(np.abs(block.values).max() for block in tensor.blocks())
    failed = {1: set(), -1: set()}
    for R in random_rotation_matrix(2, seed=7):
        moved = compute(transform_frames(structures, -R))
        for key, block in tensor.items():
            lam, sigma = int(key["o3_lambda"]), int(key["o3_sigma"])
            D = wigner_d_real(lam, *matrix_to_angles(R))
            turned = np.einsum("mp,spn->smn", D, block.values)
            for flip in (1, -1):  # σ as labelled, then flipped on purpose
                expected = flip * sigma * (-1) ** lam * turned
                deviation = np.abs(moved.block(key).values - expected).max()
                if deviation > 1e-10 * scale:
                    failed[flip].add(tuple(key.values.tolist()))
    return failed, tensor


turn = random_rotation_matrix(1, seed=3)[0]
pair = frames[16] + transform_frames([frames[102]], turn, shift=[0.5, 1, 2.5])[0]
centred = pair.positions - pair.positions.mean(axis=0)  # Å
thickness = np.linalg.svd(centred, compute_uv=False)[-1]
assert thickness > 0.5  # Å: no plane holds the six atoms
checks = {"ν = 2": lambda s: lambda_soap(s, **small), "ν = 3": nu3_features}
for name, compute in checks.items():
    failed, tensor = parity_failures(compute, [pair])
    n = len(tensor.keys)
    wrong, flipped = len(failed[1]), len(failed[-1])
    print(f"{name}, two molecules: {wrong} of {n} blocks fail, σ flipped {flipped}")
    assert wrong == 0 and flipped == n, (name, wrong, flipped, n)
failed, nu3 = parity_failures(nu3_features, few)
scale = max(np.abs(block.values).max() for block in nu3.blocks())
passed = {tuple(key.values.tolist()) for key in nu3.keys} - failed[-1]
print(f"ν = 3, single molecules, σ flipped: {len(passed)} blocks still pass, all zero")
assert not failed[1] and passed
zero_keys = {
    tuple(key.values.tolist())
    for key, block in nu3.items()
    if np.abs(block.values).max() < 1e-10 * scale
}
assert passed <= zero_keys, "only blocks of zeros hide a wrong σ"

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
    tensor = lambda_soap(frames, max_angular=4, max_radial=4, o3_lambda=3)
    return {s: center_block(tensor, 3, s, center_type=8).values for s in (1, -1)}


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
# Key points
# ----------
#
# - Coupling two copies of an atom's neighbour density gives the λ-SOAP features (ν =
#   2): three-body features that see angles. Up to normalisation, their λ = 0 part is
#   the SOAP power spectrum.
# - Coupling density coefficients (σ = +1) of degrees l₁ and l₂ into λ gives σ =
#   (−1)^(l₁ + l₂ + λ); the blocks with σ = −1 are pseudo-tensors.
# - On a flat structure, blocks that vanish (one water molecule's pseudoscalars) pass
#   any σ label: check σ on a structure that is not flat, where every block is tested.

# %%
# Exercises
# ---------
#
# 1. **Two l = 2 densities, by hand.** Molecule 16 of the grid has bonds of
#    0.75 Å and 1.15 Å. Take its oxygen's l = 2 density coefficients for the
#    hydrogen neighbours with n = 0 and with n = 1, and couple them into λ = 3
#    with :func:`~tutorial_helpers.clebsch_gordan.coupled_product`. Predict σ,
#    find the same feature in featomic's λ-SOAP, and check the sign between the
#    two. Then do the same for molecule 60, whose bonds are both 0.95 Å long:
#    what do you find, and why?
# 2. **Count the blocks.** With ``max_angular = 3`` and ``max_radial = 1``, how
#    many blocks does the λ-SOAP TensorMap of a water molecule have, and how
#    many features are there in all its oxygen-centred blocks? Predict both from
#    the rules on this page, then compute them.
# 3. **A flat molecule's pseudoscalars.** The ν = 3 blocks that passed the check
#    above with every σ flipped are zero for all four single molecules. Predict
#    from their keys, before looking, which ones, and why. All the molecules lie
#    in the xy plane.
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · Two l = 2 densities, by hand

sigma = (-1) ** (2 + 2 + 3)  # the prediction: l₁ + l₂ + λ is odd
oxygen = center_block(features, 3, sigma, center_type=8)
column = oxygen.properties.position([2, 2, 1, 0, 1, 1])  # l₁, l₂, H, n₁, H, n₂
for i in (16, 60):
    r_1, r_2 = frames[i].info["OH1"], frames[i].info["OH2"]  # Å
    c = density_coefficients(frames[i]).block(
        o3_lambda=2, center_type=8, neighbor_type=1
    )
    by_hand = coupled_product(c.values[0, :, 0], c.values[0, :, 1], 3)
    theirs = oxygen.values[i, :, column]
    size = np.linalg.norm(by_hand)
    print(f"molecule {i} (r₁ = {r_1:.2f} Å, r₂ = {r_2:.2f} Å): |by hand| = {size:.1e}")
    if i == 16:  # not zero: the sign can be read
        np.testing.assert_allclose(theirs, sigma * by_hand, atol=1e-15)
        print(f"  featomic = {sigma:+d} × by hand")
        assert (r_1, r_2) == (0.75, 1.15) and size > 1e-2
    else:  # zero, by hand and in featomic's
        assert r_1 == r_2 == 0.95 and max(size, np.abs(theirs).max()) < 1e-15
assert sigma == -1

# every σ = −1 feature with l₁ = l₂ and two H densities, for equal bonds
equal_bonds = [
    i for i, atoms in enumerate(frames) if atoms.info["OH1"] == atoms.info["OH2"]
]
unequal_bonds = [i for i in range(len(frames)) if i not in equal_bonds]
largest, control, count = 0.0, 0.0, 0
for lam in range(1, lambda_max, 2):  # odd λ: l₁ = l₂ can give σ = −1
    block = center_block(features, lam, -1, center_type=8)
    l1, l2, a1, n1, a2, n2 = block.properties.values.T
    columns = (l1 == l2) & (a1 == 1) & (a2 == 1) & (n1 != n2)
    values = block.values[..., columns]
    largest = max(largest, np.abs(values[equal_bonds]).max())
    control = max(control, np.abs(values[unequal_bonds]).max())
    count += columns.sum()
print(
    f"these {count} features (n₁ ≠ n₂): at most {largest:.0e} for the "
    f"{len(equal_bonds)} molecules\nwith equal bonds, up to {control:.1e} for "
    "the others"
)
assert largest < 1e-12 and control > 1e-3

# %%
# σ = :math:`(-1)^{2+2+3} = -1`, and featomic's feature is σ times the sum by
# hand. For molecule 60 both vanish. Each hydrogen adds
# :math:`f_{nl}(r_i)\, Y_{lm}(\hat{\mathbf{r}}_i)` to :math:`c_{nlm}`; with
# :math:`r_1 = r_2` the n = 0 and n = 1 coefficients are the same l = 2 tensor
# times two numbers. Swapping two tensors of the same degree multiplies their
# coupling by :math:`(-1)^{l_1 + l_2 + \lambda} = -1`
# (:ref:`featomic-cg-sign`), but swapping two proportional tensors changes
# nothing: the coupling is zero. So, for a molecule whose bonds have the same
# length, every σ = −1 feature that couples two hydrogen densities of the same
# degree vanishes: the last check shows it for all such molecules of the grid,
# and the same features non-zero for the others.
#
# .. solution:: 2 · Count the blocks

l_max, n_max, n_species = 3, 1, 2
predicted_blocks = 0
predicted_features = 0
for lam in range(2 * l_max + 1):
    for sigma in (1, -1):
        pairs = [
            (l1, l2)
            for l1 in range(l_max + 1)
            for l2 in range(l1, l_max + 1)
            if abs(l1 - l2) <= lam <= l1 + l2 and (-1) ** (l1 + l2 + lam) == sigma
        ]
        if pairs:
            predicted_blocks += 2  # one per centre species, H and O
            predicted_features += len(pairs) * (n_species * (n_max + 1)) ** 2
tensor = lambda_soap(frames[0], max_angular=l_max, max_radial=n_max)
n_blocks = len(tensor.keys)
n_features = sum(
    len(block.properties) for key, block in tensor.items() if key["center_type"] == 8
)
print(f"predicted: {predicted_blocks} blocks, {predicted_features} O-centred features")
print(f"featomic:  {n_blocks} blocks, {n_features} O-centred features")
assert (n_blocks, n_features) == (predicted_blocks, predicted_features) == (24, 480)
per_parity = {s: sum(1 for key in tensor.keys if key["o3_sigma"] == s) for s in (1, -1)}
assert per_parity == {1: 2 * 7, -1: 2 * 5}, per_parity
for block in tensor.blocks():
    n_pairs = len(np.unique(block.properties.values[:, :2], axis=0))
    assert len(block.properties) == n_pairs * 16

# %%
# Per centre species: λ = 0 … 6 with σ = +1 (7 blocks) and λ = 1 … 5 with
# σ = −1 (5 blocks), :math:`4 l_\mathrm{max}` = 12. Each block holds, for every
# pair :math:`l_1 \le l_2` that reaches its λ with its σ, all
# :math:`(a_1, n_1, a_2, n_2)`: :math:`(2 \times 2)^2 = 16` features.
#
# .. solution:: 3 · A flat molecule's pseudoscalars

zero = {
    tuple(int(x) for x in key.values)
    for key, block in nu3.items()
    if np.abs(block.values).max() < 1e-10 * scale
}
pseudoscalars = {
    tuple(int(x) for x in key.values)
    for key in nu3.keys
    if key["o3_lambda"] == 0 and key["o3_sigma"] == -1
}
print(f"zero blocks: {len(zero)}")
for lam, s, center, *degrees in sorted(zero):
    print(f"  λ = {lam}, σ = {s:+d}, centre {center}, (l₁, l₂, k₂, l₃) = {degrees}")
assert zero == pseudoscalars == passed and len(zero) > 0

# %%
# The zero blocks are the pseudoscalars, λ = 0 and σ = −1 (here
# :math:`l_1 + l_2 + l_3` is odd). A molecule in the xy plane is its own mirror
# image under :math:`z \to -z`, which is the inversion followed by a half-turn
# about z: :math:`P = -R`. Under it a block picks up
# :math:`\sigma(-1)^\lambda D^\lambda(R)`, for λ = 0 just σ = −1. The
# molecule does not change, so these features equal minus themselves: zero. A
# flat environment has no pseudoscalar features.
