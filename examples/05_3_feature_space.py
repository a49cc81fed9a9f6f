"""
5.3 · Feature space, and why ν = 1 is not enough
================================================

The previous page checked the symmetries of λ-SOAP features block by block. This
page looks at them across the dataset. Placed on a map by their principal
components, rotated copies of a molecule sit on the molecule itself when the
features are invariant, and scatter when they are equivariant. We then show
numerically what the first-order features (ν = 1, the density coefficients)
miss: they are a sum of one-neighbour terms, blind to the angle between two
bonds seen from the oxygen. At the end of this page you will be able to read a
map of invariant and equivariant features, and to explain why the dipole models
of chapter 6 need ν = 2.

.. note::

    Read :ref:`chapter 5.2 <sphx_glr_auto_examples_05_2_lambda_soap.py>` (the
    λ-SOAP features and their symmetries) first.
"""

# %%
import chemiscope
import matplotlib.pyplot as plt
import numpy as np

from tutorial_helpers.clebsch_gordan import coupled_product
from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.lambda_soap import (
    center_block,
    density_coefficients,
    lambda_soap,
)
from tutorial_helpers.rotations import (
    matrix_to_angles,
    random_rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.symmetry_check import transform_frames
from tutorial_helpers.visualisation import (
    bare_structures,
    structure_properties,
    viewer_camera,
)

use_style()
frames = load_water_dataset()

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
    tensor = lambda_soap(frames, max_angular=4, max_radial=4, o3_lambda=lam)
    return center_block(tensor, lam, 1, center_type=8).values


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
# each copy has its molecule's energy (its colour) but not its place. The points'
# symbols show the property ``kind``: one for the grid's molecules, one for the
# three copied molecules, and one for their rotated copies. Put ``lambda0_PC1`` and
# ``lambda0_PC2`` on the axes to see the copies hide under their molecule, and
# click any point to see its structure. The viewer looks down the z axis, onto
# the plane of the grid's molecules, and keeps that view from one structure to the
# next, so the copies show their rotation; it is zoomed on the selected copy's
# molecule and its copies (scroll to zoom out for larger molecules).


copy_kind = [
    "copied molecule" if i in copied else "grid molecule" for i in range(len(frames))
] + ["rotated copy"] * int(is_copy.sum())
farthest = len(frames) + int(np.argmax(spread_vector))  # a copy, far from its molecule
assert is_copy[farthest]
same_molecule = np.flatnonzero(source == source[farthest])  # the molecule, its copies
settings = chemiscope.quick_settings(
    x="lambda1_PC1",
    y="lambda1_PC2",
    map_color="energy",
    symbol="kind",  # one marker each: grid molecules, copied ones, rotated copies
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
            "description": "grid molecule, copied molecule, or rotated copy",
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


def oxygen_features(nu, atoms, lam, center_type=8):
    """Values and properties of the σ = +1 block of correlation order ``nu`` and
    degree ``lam`` centred on the first atom of type ``center_type`` (8: the
    oxygen; 1: H1)."""
    if nu == 1:
        tensor = density_coefficients(atoms, 4, 4, neighbors_to_properties=True)
    else:
        tensor = lambda_soap(atoms, max_angular=4, max_radial=4, o3_lambda=lam)
    block = center_block(tensor, lam, 1, center_type=center_type)
    return block.values[0], block.properties


def additivity_error(nu, lam):
    """|c(molecule) - c(O,H1) - c(O,H2) + c(O)| / |c(molecule)|."""
    parts = [
        oxygen_features(nu, atoms, lam)
        for atoms in (molecule, without_h2, without_h1, lone_oxygen)
    ]
    total = np.zeros_like(parts[0][0])
    for sign, (values, properties) in zip((1, -1, -1, 1), parts, strict=True):
        assert properties == parts[0][1]  # the same features, zeros for no H
        total += sign * values
    return np.abs(total).max() / np.abs(parts[0][0]).max()


error_nu1 = additivity_error(1, 1)
error_nu2 = additivity_error(2, 1)
print(f"λ = 1, ν = 1: non-additive part {error_nu1:.1e} (sum of one-neighbour terms)")
print(f"λ = 1, ν = 2: non-additive part {error_nu2:.2f} (three-body terms)")
assert error_nu1 < 1e-12 and error_nu2 > 0.1

# %%
# So a linear model on ν = 1, λ = 1 features predicts a dipole of the form
# :math:`f(r_1)\,\hat{\mathbf{b}}_1 + f(r_2)\,\hat{\mathbf{b}}_2`: one contribution
# per bond, whose size cannot depend on the H–O–H angle. The PS dipole comes from
# charges that *do* depend on the angle, so this model must fail;
# :ref:`chapter 6.1 <sphx_glr_auto_examples_06_1_dipole_model.py>` shows by how
# much.
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


nu1 = np.array([oxygen_features(1, atoms, 0)[0].ravel() for atoms in row])
nu2 = np.array([oxygen_features(2, atoms, 0)[0].ravel() for atoms in row])
nu1_h = np.array([oxygen_features(1, atoms, 0, 1)[0].ravel() for atoms in row])
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
# The dipole models of :ref:`chapter 6.1 <sphx_glr_auto_examples_06_1_dipole_model.py>`
# describe each molecule by its **oxygen**: one centre per molecule, so one set of
# features per dipole, and the ν = 1 model built on it is exactly the sum of bond terms
# above, which makes its failure easy to read. Hydrogen-centred ν = 1 features would see
# the angle through :math:`r_\mathrm{HH}`, but still only as a sum of two-body terms,
# one per neighbour; ν = 2 features see the two neighbours together, from any centre.

# %%
# Key points
# ----------
#
# - Invariant features of rotated copies land on their molecule; equivariant ones
#   scatter, each turned by D^λ(R).
# - The oxygen's ν = 1 features are sums of one-neighbour terms and cannot see the H–O–H
#   angle; ν = 2 features can.

# %%
# Exercises
# ---------
#
# 1. **How many molecules can they tell apart?** Count how many different sets
#    of oxygen-centred invariants (λ = 0) the 121 molecules of the grid have,
#    for ν = 1 and for ν = 2 (treat two sets as the same when they differ by
#    less than 10⁻⁶ of the largest value). Predict both numbers first from the
#    geometry of the grid: :math:`r_1`, :math:`r_2` and θ.
# 2. **Invariants from the λ = 1 block.** Couple each λ = 1 feature of the map
#    above with itself into λ = 0, with
#    :func:`~tutorial_helpers.clebsch_gordan.coupled_product`. Which simple
#    function of the feature's three components is it? Do the rotated copies
#    now lie on their molecule?
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · How many molecules can they tell apart?


def n_different(values, tolerance=1e-6):
    """How many different rows ``values`` has, up to ``tolerance`` times its
    largest entry."""
    rows = values.reshape(len(values), -1) / np.abs(values).max()
    kept = []
    for row in rows:
        if all(np.abs(row - other).max() > tolerance for other in kept):
            kept.append(row)
    return len(kept)


density = density_coefficients(frames, 4, 4, neighbors_to_properties=True)
counted = {
    1: n_different(center_block(density, 0, 1, center_type=8).values),
    2: n_different(invariant[grid]),
}
geometry = [
    (atoms.info["OH1"], atoms.info["OH2"], atoms.info["HOH"]) for atoms in frames
]
predicted = {
    1: len({tuple(sorted((r1, r2))) for r1, r2, _ in geometry}),  # {r₁, r₂}
    2: len({(*sorted((r1, r2)), theta) for r1, r2, theta in geometry}),
}
for nu in (1, 2):
    print(f"ν = {nu}: {counted[nu]} different sets ({predicted[nu]} expected)")
assert counted == predicted == {1: 6, 2: 66}
assert np.ptp([r1 + r2 for r1, r2, _ in geometry]) < 1e-12  # r₁ + r₂: one value

where = {g: i for i, g in enumerate(geometry)}
partner = [where[(r2, r1, theta)] for r1, r2, theta in geometry]  # (r₂, r₁, θ)
positions = np.array([atoms.positions for atoms in frames])  # Å
turned = positions[:, [0, 2, 1]] * [-1.0, 1.0, -1.0]  # 180° about y, H1 ↔ H2
np.testing.assert_allclose(positions[partner], turned, atol=1e-7)
size = np.linalg.norm([atoms.info["dipole"] for atoms in frames], axis=1)  # e·Å
energies = np.array([atoms.info["energy"] for atoms in frames])  # eV
np.testing.assert_allclose(energies[partner], energies, atol=1e-10)
np.testing.assert_allclose(size[partner], size, atol=1e-10)
print("turned by 180°, H relabelled: the same energy (eV) and dipole size (e·Å)")

# %%
# The oxygen's ν = 1 invariants see the two bond lengths, but neither the angle nor
# which bond is which: a set :math:`\{r_1, r_2\}`. The grid has six of them, because
# :math:`r_1 + r_2` is the same for every molecule. The ν = 2 invariants add the
# angle, but cannot tell :math:`(r_1, r_2, \theta)` from :math:`(r_2, r_1, \theta)`:
# turned by 180° about its bisector, in its plane, a flat molecule is its partner with
# the hydrogens relabelled, which no invariant of rotations and of swaps of like atoms
# sees, whatever its σ. Any model of these features sees 66 molecules, not 121; for
# the energy and the size of the dipole, which the two share, that is all there is.
#
# .. solution:: 2 · Invariants from the λ = 1 block

squares = coupled_product(np.moveaxis(vector, 1, -1), np.moveaxis(vector, 1, -1), 0)
squares = squares[..., 0]  # (145 structures, features)
np.testing.assert_allclose(
    squares, -np.sum(vector**2, axis=1) / np.sqrt(3), atol=1e-12 * np.abs(squares).max()
)
deviation = np.abs(squares[is_copy] - squares[source[is_copy]]).max()
print("coupled into λ = 0: −|x|²/√3 for each feature; the copies are off their")
print(f"molecule by {deviation / np.abs(squares).max():.1e} of the largest value")
assert deviation < 1e-10 * np.abs(squares).max()

# %%
# :math:`\langle 1\, m_1; 1\, m_2 | 0\, 0\rangle = -\delta_{m_1 m_2}/\sqrt3`, so
# each feature becomes :math:`-|\mathbf{x}|^2/\sqrt3`: its squared length, which
# no rotation changes. The copies now sit on their molecule. These invariants
# are products of two ν = 2 features: ν = 4, body order 5. Each keeps only the
# length of one feature's vector; coupling feature :math:`q` with another,
# :math:`q'` (their dot product), would keep the angles between them too.
