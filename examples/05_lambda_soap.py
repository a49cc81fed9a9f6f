"""
Atom-centred density correlations (λ-SOAP)
==========================================

The density coefficients of the previous chapter rotate correctly, but they are
*linear* in the neighbour density: each neighbour adds its own contribution,
blind to the others. Chemistry lives in the correlations between neighbours,
such as bond angles. On this page we find the Clebsch–Gordan coefficients in
chapter 3's change of basis, couple two bonds and then two copies of the
density with them into **equivariant power spectrum** features (λ-SOAP), see
how their parity label σ arises and how the recursion goes on to higher body
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

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.rotations import (
    matrix_to_angles,
    random_rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.spherical import rank2_change_of_basis, rank2_to_spherical
from tutorial_helpers.symmetry_check import transform_frames
from tutorial_helpers.visualisation import bare_structures, structure_properties

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
# We have met them already. For two vectors (:math:`l_1 = l_2 = 1`), the rows of
# chapter 3's change of basis :math:`C`, with the Cartesian axes put in the
# (y, z, x) order of :math:`m = -1, 0, 1`, are the coefficients
# :math:`\langle 1 m_1; 1 m_2 | \lambda m\rangle` that
# :func:`featomic.clebsch_gordan.calculate_cg_coefficients` computes: exactly for
# λ = 0 and 2, and with the opposite overall sign for λ = 1. A sign per λ is a
# free choice: any multiple of a spherical tensor is one.

cg = calculate_cg_coefficients(8, "python-dense", "numpy", np.float64, "cpu")


def clebsch_gordan(l1, l2, lam):
    """⟨l1 m1; l2 m2 | λ m⟩ as an array indexed [m1, m2, m], m = -l ... l."""
    return cg.block({"l1": l1, "l2": l2, "lambda": lam}).values[0, ..., 0]


yzx = [1, 2, 0]
C3 = rank2_change_of_basis().reshape(9, 3, 3)[:, yzx][:, :, yzx]  # rows: (λ, m)
rows = {0: slice(0, 1), 1: slice(1, 4), 2: slice(4, 9)}
chapter3_sign = {0: 1, 1: -1, 2: 1}
fig, axes = plt.subplots(1, 3, figsize=(10, 3.3), constrained_layout=True)
for lam, ax in zip(range(3), axes, strict=True):
    from_chapter3 = np.moveaxis(C3[rows[lam]], 0, -1)  # [m1, m2, m]
    np.testing.assert_allclose(
        from_chapter3, chapter3_sign[lam] * clebsch_gordan(1, 1, lam), atol=1e-15
    )
    image = ax.matshow(
        clebsch_gordan(1, 1, lam).reshape(9, 2 * lam + 1), cmap="RdBu", vmin=-1, vmax=1
    )
    ax.set_title(f"⟨1 m₁; 1 m₂ | {lam} m⟩", fontsize=10)
    ax.set_xticks(range(2 * lam + 1), [f"{m}" for m in range(-lam, lam + 1)])
    ax.set_yticks(range(9), [f"{a},{b}" for a in (-1, 0, 1) for b in (-1, 0, 1)])
    ax.set_xlabel("m")
axes[0].set_ylabel("m₁, m₂")
fig.colorbar(image, ax=axes, shrink=0.8, label="coefficient")
plt.show()
print("rows of chapter 3's C = ⟨1 m₁; 1 m₂ | λ m⟩ (λ = 1 with sign −1): checked")

# %%
# So coupling the two O–H bonds of every molecule with these coefficients gives
# the parts of :math:`T = \mathbf{b}_1\mathbf{b}_2^\top` from chapter 3, and
# each part rotates with :math:`D^\lambda`.

frames = load_water_dataset()
positions = np.array([atoms.positions for atoms in frames])  # Å


def coupled_bonds(positions, lam):
    b1 = (positions[:, 1] - positions[:, 0])[:, yzx]  # m = -1, 0, 1
    b2 = (positions[:, 2] - positions[:, 0])[:, yzx]
    return np.einsum("na,nb,abm->nm", b1, b2, clebsch_gordan(1, 1, lam))


T_parts = rank2_to_spherical(
    np.einsum(
        "ni,nj->nij",
        positions[:, 1] - positions[:, 0],
        positions[:, 2] - positions[:, 0],
    )
)
R = random_rotation_matrix(1, seed=3)[0]
for lam in range(3):
    by_hand = coupled_bonds(positions, lam)
    np.testing.assert_allclose(by_hand, chapter3_sign[lam] * T_parts[lam], atol=1e-14)
    np.testing.assert_allclose(
        coupled_bonds(positions @ R.T, lam),
        by_hand @ wigner_d_real(lam, *matrix_to_angles(R)).T,
        atol=1e-14,
    )
print("b₁ ⊗ b₂ coupled by hand = chapter 3's parts, and rotates with D^λ: checked")

# %%
# Coupling two densities
# ----------------------
#
# Now put two density expansions in place of the two bonds. Call the density
# coefficients of the previous chapter the *ν = 1* features (one density, body
# order 2: the centre and one neighbour). The coupled product of two of them, for
# the same central atom, has two neighbours and so knows about three-body
# geometry: angles.
#
# .. math::
#
#     \rho^{\otimes 2}_{\lambda m}(n_1 l_1 a_1; n_2 l_2 a_2) =
#     \sum_{m_1 m_2} \langle l_1 m_1; l_2 m_2 | \lambda m\rangle\,
#     c^{a_1}_{n_1 l_1 m_1}\, c^{a_2}_{n_2 l_2 m_2},
#     \qquad |l_1 - l_2| \le \lambda \le l_1 + l_2.
#
# These are the λ-SOAP features of :cite:t:`grisafi2018`; their λ = 0 part is the
# SOAP power spectrum :cite:p:`bartok2013`. Under inversion each :math:`c_{l}`
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
# :class:`featomic.clebsch_gordan.EquivariantPowerSpectrum`. It multiplies the
# two densities in the other order, and swapping the two factors of a
# Clebsch–Gordan product multiplies it by :math:`(-1)^{l_1 + l_2 - \lambda}`,
# which is σ: its blocks are σ times the equation above. We check that for every
# oxygen-centred feature, from featomic's own density coefficients.

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
            "sa,sb,abm->sm", c1[:, :, n1], c2[:, :, n2], clebsch_gordan(l1, l2, lam)
        )
        deviation = np.abs(block.values[:, :, column] - sigma * by_hand).max()
        largest, count = max(largest, deviation), count + 1
assert largest < 1e-12
print(f"featomic's λ-SOAP = σ × the equation, for all {count} O-centred features:")
print(f"largest deviation {largest:.1e}")
print(features.keys)

# %%
# Higher body orders
# ------------------
#
# Coupling once more adds one more neighbour. The recursion of the atomic
# cluster expansion :cite:p:`nigam2020` (see also :cite:t:`willatt2019` and the
# review :cite:p:`musil2021`) couples a feature of order ν, degree
# :math:`\lambda_1` and parity :math:`\sigma_1` with one more density
# coefficient :math:`c_{nl}`:
#
# .. math::
#
#     \rho^{\otimes(\nu+1)}_{\sigma; \lambda m} = \sum_{m_1 m_2}
#     \langle \lambda_1 m_1; l\, m_2 | \lambda m\rangle\,
#     \rho^{\otimes\nu}_{\sigma_1; \lambda_1 m_1}\, c_{n l m_2},
#     \qquad \sigma = \sigma_1 (-1)^{\lambda_1 + l + \lambda}.
#
# Starting from :math:`\rho^{\otimes 1} = c` (σ = +1), the parity after ν steps
# is :math:`(-1)^{l_1 + \dots + l_\nu + \lambda}`: the intermediate degrees
# cancel. featomic's :class:`featomic.clebsch_gordan.DensityCorrelations` runs
# the recursion; its ν = 3 keys record every step (:math:`l_1, l_2`, the
# intermediate degree :math:`k_2`, then :math:`l_3`), and each key obeys the σ
# update.

small = featomic.SphericalExpansion(
    cutoff=hypers["cutoff"],
    density=hypers["density"],
    basis={
        "type": "TensorProduct",
        "max_angular": 2,
        "radial": {"type": "Gto", "max_radial": 2},
    },
)
nu3 = DensityCorrelations(n_correlations=2, max_angular=6).compute(
    small.compute(frames[:4]).keys_to_properties("neighbor_type")
)
for key in nu3.keys:
    sigma_2 = (-1) ** (key["l_1"] + key["l_2"] + key["k_2"])
    assert key["o3_sigma"] == sigma_2 * (-1) ** (
        key["k_2"] + key["l_3"] + key["o3_lambda"]
    )
print(f"ν = 3: σ = σ₂ (−1)^(k₂ + l₃ + λ) for all {len(nu3.keys)} blocks")

# %%
# The keys are ``o3_lambda`` (up to :math:`2 l_\mathrm{max} = 8`), ``o3_sigma`` and
# ``center_type``; the properties record which :math:`(l_1, l_2)`, neighbour
# species and radial indices were combined. Every block obeys the parity rule:

block = features.block(o3_lambda=3, o3_sigma=-1, center_type=8)
print("properties:", block.properties.names)
for key, block in features.items():
    l1 = block.properties.column("l_1")
    l2 = block.properties.column("l_2")
    assert np.all((-1) ** (l1 + l2 + key["o3_lambda"]) == key["o3_sigma"])
print(f"σ = (−1)^(l₁ + l₂ + λ) holds for all {len(features.keys)} blocks")

# %%
# The invariant power spectrum
# ----------------------------
#
# The λ = 0, σ = +1 blocks are invariant: :math:`D^0 = 1`. They are the SOAP power
# spectrum, which featomic also computes directly with
# :class:`featomic.SoapPowerSpectrum`. Both agree, up to a factor √2 that
# ``SoapPowerSpectrum`` applies to pairs of *different* neighbour species, because it
# stores :math:`(a_1, a_2)` and :math:`(a_2, a_1)` together.

soap = featomic.SoapPowerSpectrum(**hypers).compute(frames)
soap = soap.keys_to_properties(["neighbor_1_type", "neighbor_2_type"])
largest = 0.0
for center in (1, 8):
    invariant = features.block(o3_lambda=0, o3_sigma=1, center_type=center)
    column = {tuple(p): i for i, p in enumerate(invariant.properties.values.tolist())}
    reference = soap.block(center_type=center)
    for j, (a1, a2, l, n1, n2) in enumerate(reference.properties.values.tolist()):
        ours = invariant.values[:, 0, column[(l, l, a1, n1, a2, n2)]]
        factor = 1.0 if a1 == a2 else np.sqrt(2)
        largest = max(largest, np.abs(reference.values[:, j] - factor * ours).max())
assert largest < 1e-12
print(f"λ = 0, σ = +1 block = SOAP power spectrum: largest deviation {largest:.1e}")

# %%
# Symmetries of a λ = 3 block, of each parity
# -------------------------------------------
#
# Take the λ = 3 blocks centred on oxygen, σ = +1 and σ = −1, for twenty molecules.
# Under a proper rotation both rotate with :math:`D^3(R)`. Under an improper
# rotation :math:`P = -R` (inversion followed by :math:`R`; with :math:`R = 1` it is
# the inversion itself) a tensor of degree λ and parity σ picks up
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
print(f"checked for {len(rotations)} rotations (the first one is the identity)")

# %%
# Feature space
# -------------
#
# What do these symmetries look like across a dataset? Take the 121 molecules of
# the grid, and 8 randomly rotated copies of three of them, and place each
# structure by the first two principal components (a PCA) of its oxygen's
# features: the λ = 0 block, and, beside it, the λ = 1 block flattened into one
# vector. Both PCAs are fitted on the 121 grid molecules only.

copied = [16, 60, 102]  # (r1, r2, θ) = (0.75, 1.15, 110°), (0.95, 0.95, 110°),
# and (1.15, 0.75, 90°): Å, Å, degrees
turns = random_rotation_matrix(8, seed=12)
copies = [transform_frames([frames[i]], R)[0] for i in copied for R in turns]
structures = list(frames) + copies
source = np.concatenate([np.arange(len(frames)), np.repeat(copied, len(turns))])


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
    f"copies away from their molecule: λ = 0 map {spread_invariant.max():.1e}, "
    f"λ = 1 map up to {spread_vector.max() / extent_vector:.0%} of the map's extent"
)
assert spread_vector.max() > 0.2 * extent_vector

energy = np.array([atoms.info["energy"] for atoms in frames])[source]  # eV
fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained")
for ax, pcs, title in (
    (axes[0], pcs_invariant, "λ = 0 features: invariant"),
    (axes[1], pcs_vector, "λ = 1 features: equivariant"),
):
    image = ax.scatter(*pcs[grid].T, c=energy[grid], s=14, cmap="viridis")
    for i, marker in zip(copied, "os^", strict=True):
        mine = source == i
        ax.scatter(
            *pcs[mine & is_copy].T,
            marker=marker,
            s=70,
            facecolor="none",
            edgecolor="tab:red",
            label=f"8 rotated copies of molecule {i}",
        )
        ax.scatter(*pcs[i], marker="*", s=160, color="tab:red", edgecolor="k")
    ax.set(xlabel="PC 1", ylabel="PC 2", title=title)
axes[0].legend(fontsize=8, loc="best")
fig.colorbar(image, ax=axes, label="PS energy / eV", shrink=0.85)
plt.show()
# sphinx_gallery_thumbnail_number = 2

# %%
# The widget holds the same 145 structures. Its map is the λ = 0 PCA, coloured by
# energy: the copies hide under their molecule (the property ``kind`` tells them
# apart, and can be chosen for the points' symbols in the map's settings). Put
# ``lambda1_PC1`` and ``lambda1_PC2`` on the axes to see them spread, and click
# any point to see its structure.

copy_kind = ["grid molecule"] * len(frames) + [
    f"rotated copy of molecule {i}" for i in source[is_copy]
]
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
    settings=chemiscope.quick_settings(
        x="lambda0_PC1", y="lambda0_PC2", map_color="energy"
    ),
    metadata={
        "name": "145 water molecules placed by their lambda = 0 features",
        "description": (
            "Map of the first two principal components of the oxygen's invariant "
            "(lambda = 0) lambda-SOAP features, coloured by the energy (eV), for "
            "the 121 molecules of the grid and 24 rotated copies of three of "
            "them: each copy lies on its molecule. The "
            "lambda = 1 components can be chosen on the axes instead, where the "
            "copies spread."
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
    f"changes along θ = 60° ... 160° (relative to the largest value): "
    f"O-centred ν = 1: {spread_nu1:.1e}, O-centred ν = 2: {spread_nu2:.2f}, "
    f"H-centred ν = 1: {spread_nu1_h:.2f}"
)
# (not exactly zero: the positions in the data file are rounded to 1e-8 Å)
assert spread_nu1 < 1e-6 and spread_nu2 > 0.05 and spread_nu1_h > 0.05

# %%
# The plot shows, for each kind of feature, the six that change most along the
# row of the grid: for the oxygen's ν = 1 features even those are flat.

fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), constrained_layout=True, sharex=True)
for ax, values, title in (
    (axes[0], nu1, "O-centred ν = 1"),
    (axes[1], nu2, "O-centred ν = 2"),
    (axes[2], nu1_h, "H-centred ν = 1"),
):
    most_varying = np.argsort(np.ptp(values, axis=0))[-6:]
    ax.plot(theta, values[:, most_varying], marker="o")
    ax.set_title(f"{title}, λ = 0: 6 most varying", fontsize=10)
    ax.set_xlabel("θ (H–O–H angle) / °")
axes[0].set_ylabel("feature value (arbitrary units)")
plt.show()

# %%
# The dipole models of chapter 6 describe each molecule by its **oxygen**: one
# centre per molecule, so one set of features per dipole, and the ν = 1 model
# built on it is exactly the sum of bond terms above, which makes its failure
# easy to read. Hydrogen-centred ν = 1 features would see the angle through
# :math:`r_\mathrm{HH}`, but still only as a sum of two-body terms, one per
# neighbour; ν = 2 features see the two neighbours together, from any centre.
