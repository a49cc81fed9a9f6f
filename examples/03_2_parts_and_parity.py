"""
3.2 · The parts in 3D, and their parity
=======================================

The λ = 0, 1 and 2 parts of a rank-2 tensor rotate on their own, each with its
Wigner D matrix. On this page we draw the parts of a symmetric tensor as
surfaces around a molecule turned in 3D, and we add the inversion: a spherical
tensor carries, besides its degree λ, a parity label σ that tells a vector from
a pseudo-vector. At the end of this page you will be able to picture the λ = 0
and λ = 2 parts of a symmetric tensor, and to predict, and check, the label σ
of each part of a tensor built from polar and axial vectors.

.. note::

    Read :ref:`chapter 3.1 <sphx_glr_auto_examples_03_1_wigner_d_blocks.py>`
    first: it splits rank-2 tensors into these parts. Keep the
    :ref:`conventions <conventions-spherical>` at hand for the order of the
    spherical components.
"""

# %%
import itertools

import chemiscope
import matplotlib.pyplot as plt
import numpy as np

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.rotations import (
    matrix_to_angles,
    random_rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.spherical import (
    RANK2_SIGMA,
    dipole_tensor,
    rank2_to_spherical,
    real_spherical_harmonics,
)
from tutorial_helpers.visualisation import (
    bare_structures,
    euler_angle_properties,
    sphere_mesh,
    structure_meshes,
    structure_properties,
    viewer_camera,
)
from tutorial_helpers.water_model import ps_dipole

# %%
# The tensor and its parts
# ------------------------
#
# As in :ref:`chapter 3.1 <sphx_glr_auto_examples_03_1_wigner_d_blocks.py>`, each
# molecule carries the symmetric tensor
# :math:`Y = \boldsymbol{\mu}\boldsymbol{\mu}^\top + |\boldsymbol{\mu}|^2\,
# \mathbb{1}` (e²Å²) built from its dipole :math:`\boldsymbol{\mu}` (e·Å),
# and the orthogonal change of basis :math:`C` of that page
# (:func:`~tutorial_helpers.spherical.rank2_to_spherical`) splits it into its
# λ = 0 part, :math:`-\operatorname{tr} Y/\sqrt{3}`, its λ = 1 part, zero since
# :math:`Y` is symmetric, and its five λ = 2 components.

frames = load_water_dataset()
positions = np.array([atoms.positions for atoms in frames])  # (121, 3, 3), Å
Y = dipole_tensor(ps_dipole(positions))  # e²Å²
parts = rank2_to_spherical(Y)
np.testing.assert_allclose(
    parts[0][:, 0], -np.trace(Y, axis1=1, axis2=2) / np.sqrt(3), rtol=1e-13
)
assert np.abs(parts[1]).max() < 1e-15
print(f"{len(Y)} tensors: λ = 0 part −tr(Y)/√3, λ = 1 part zero: checked")

# %%
# Seeing the parts
# ----------------
#
# A symmetric tensor can be drawn as a surface: in each direction
# :math:`\hat{\mathbf{n}} = (x, y, z)`, go out by
# :math:`r(\hat{\mathbf{n}}) = \hat{\mathbf{n}}^\top Y \hat{\mathbf{n}}`. As
# :math:`C` is orthogonal, this is the dot product, part by part, of the parts of
# :math:`Y` with those of :math:`\hat{\mathbf{n}}\hat{\mathbf{n}}^\top`:
# :math:`-(x^2 + y^2 + z^2)/\sqrt{3} = -1/\sqrt{3}` for λ = 0 (a unit vector),
# zero for λ = 1, and for λ = 2 five quadratic polynomials (m = −2 … 2),
#
# .. math::
#
#     (q_{-2}, \dots, q_2) = \bigl(\sqrt{2}\,xy,\ \sqrt{2}\,yz,\
#     (2z^2 - x^2 - y^2)/\sqrt{6},\ \sqrt{2}\,xz,\ (x^2 - y^2)/\sqrt{2}\bigr).
#
# So the surface is the sum of the surfaces of the two parts,
#
# .. math::
#
#     \hat{\mathbf{n}}^\top Y \hat{\mathbf{n}}
#     = \underbrace{\tfrac{1}{3}\operatorname{tr} Y}_{\lambda = 0:\ \text{a sphere}}
#     + \underbrace{\textstyle\sum_m y_{2m}\, q_m(\hat{\mathbf{n}})}_{\lambda = 2},
#
# where :math:`y_{2m}` are the λ = 2 components of :math:`Y`. The λ = 2 surface has
# the shape of a d orbital: positive along the dipole, where :math:`Y` is largest,
# and negative around it. The five :math:`q_m` are, up to the factor
# :math:`\sqrt{8\pi/15}`, the real spherical harmonics of degree 2 that
# :ref:`chapter 4.1 <sphx_glr_auto_examples_04_1_spherical_expansion.py>`
# introduces for every degree. We check it all on 300 directions spread over the
# sphere (:func:`tutorial_helpers.visualisation.sphere_mesh`).


def quadratics(n):
    """The five λ = 2 polynomials q_m of directions ``n`` (p, 3), m = −2 … 2."""
    x, y, z = n.T
    r2 = np.sqrt(2)
    return np.stack(
        [r2 * x * y, r2 * y * z, (2 * z**2 - x**2 - y**2) / np.sqrt(6), r2 * x * z]
        + [(x**2 - y**2) / r2],
        axis=1,
    )


directions, triangles = sphere_mesh(300)
parts_nn = rank2_to_spherical(np.einsum("pi,pj->pij", directions, directions))
np.testing.assert_allclose(parts_nn[0], -1 / np.sqrt(3), atol=1e-15)
np.testing.assert_allclose(parts_nn[1], 0, atol=1e-15)
np.testing.assert_allclose(parts_nn[2], quadratics(directions), atol=1e-15)
harmonics = real_spherical_harmonics(2, directions)  # chapter 4.1's
np.testing.assert_allclose(quadratics(directions), np.sqrt(8 * np.pi / 15) * harmonics)


def surface_radii(tensor_parts, directions):
    """r(n̂) of the λ = 0 and λ = 2 parts (e²Å²) of each tensor (rows) in each
    direction (columns): the dot product of their parts with those of n̂n̂ᵀ."""
    nn = rank2_to_spherical(np.einsum("pi,pj->pij", directions, directions))
    return tensor_parts[0] @ nn[0].T, tensor_parts[2] @ nn[2].T


sphere, lobes = surface_radii(parts, directions)
trace = np.trace(Y, axis1=1, axis2=2)  # e²Å²
np.testing.assert_allclose(sphere, np.outer(trace / 3, np.ones(300)), rtol=1e-13)
np.testing.assert_allclose(
    sphere + lobes, np.einsum("pi,nij,pj->np", directions, Y, directions), atol=1e-14
)
print("n̂ᵀ Y n̂ = tr(Y)/3 + Σ y₂ₘ qₘ(n̂): checked for 121 molecules, 300 directions")

# %%
# Before turning anything, the three surfaces cut by the plane of one molecule,
# the symmetric molecule bent to 110° (number 60): going round the plane by an
# angle φ from the x axis, the λ = 0 part is the same in every direction, and
# the λ = 2 part peaks along the dipole (φ = 90°, the y axis, and 270°), where
# it adds to the sphere, and dips in between.

use_style()
phi = np.radians(np.arange(0, 361, 2))  # the plane's directions, every 2°
in_plane = np.stack([np.cos(phi), np.sin(phi), np.zeros_like(phi)], axis=1)
sphere_60, lobes_60 = surface_radii(
    {lam: part[60:61] for lam, part in parts.items()}, in_plane
)
dipole_60 = np.degrees(np.arctan2(*ps_dipole(positions[60:61])[0, [1, 0]]))  # °
peaks = np.degrees(phi[np.flatnonzero(np.isclose(lobes_60[0], lobes_60.max()))])
assert dipole_60 == 90.0 and set(peaks) == {90.0, 270.0}
spread = np.ptp(sphere_60)  # e²Å², from the smallest value to the largest
value = sphere_60[0, 0]  # e²Å²
print(
    f"λ = 0 part: {value:.4f} e²Å² in all {len(phi)} directions (spread {spread:.0e})"
)
assert spread < 1e-14, f"the λ = 0 part varies by {spread} e²Å²"

# the widget's colours: Y grey, the λ = 0 sphere pink, the λ = 2 part orange
fig, ax = plt.subplots(figsize=figure_size(3.8))
ax.plot(np.degrees(phi), (sphere_60 + lobes_60)[0], color="#7f7f7f", label="Y")
ax.plot(np.degrees(phi), sphere_60[0], color="#e7298a", label="λ = 0")
ax.plot(np.degrees(phi), lobes_60[0], color="#e66101", label="λ = 2")
ax.axhline(0, color="black", linewidth=0.8)
for angle in (dipole_60, dipole_60 + 180):
    ax.axvline(angle, color="black", linestyle=":", linewidth=1)
ax.set_xticks(range(0, 361, 90))
ax.set_xlabel("direction in the molecule's plane, φ / °")
ax.set_ylabel("r(n̂) / e²Å²")
ax.set_title("molecule 60: its tensor Y and its parts, round the plane")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=3)
plt.show()
# sphinx_gallery_thumbnail_number = 1

# %%
# We turn molecule 60 into 24 random orientations and draw the same surfaces
# for each copy, from its own tensor's parts, at 5 Å per e²Å² (the small λ = 2
# part three times larger), below the molecule as it was and its surfaces.
# What is drawn obeys the algebra of chapter 3.1. The λ = 2 part of each copy is
# :math:`D^2(R)` times that of the molecule as it was, so its surface is the
# original surface turned by :math:`R`:
# :math:`r_R(\hat{\mathbf{n}}) = r(R^\top\hat{\mathbf{n}})`, while the sphere
# does not change. And the vertices in the widget, rounded to 0.01 Å, are these
# surfaces; no two of the eight drawings overlap.

one = frames[60]
centre = one.positions.mean(axis=0)
original = (one.positions - centre)[None]  # the molecule before the turns, Å
turns = random_rotation_matrix(24, seed=11)
copies = np.einsum("kij,aj->kai", turns, original[0])  # Å
copy_dipoles = ps_dipole(copies)  # e·Å
Y_copies = dipole_tensor(copy_dipoles)
copy_parts = rank2_to_spherical(Y_copies)
original_parts = rank2_to_spherical(dipole_tensor(ps_dipole(original)))


def drawn_radii(tensor_parts):
    """r(n̂) in e²Å² of Y and of its two parts, for each tensor (rows) in each
    direction (columns)."""
    sphere, lobes = surface_radii(tensor_parts, directions)
    return {"Y": sphere + lobes, "λ=0": sphere, "λ=2": lobes}


radii = {"turned": drawn_radii(copy_parts), "as it was": drawn_radii(original_parts)}

SCALE = {"Y": 5.0, "λ=0": 5.0, "λ=2": 15.0}  # Å per e²Å² of each drawing
SPACING = 3.2  # Å between the centres of neighbouring drawings
# the copies' row at y = 0, the row as it was above it; in each, from left to
# right (x): the molecule, Y, λ = 0, λ = 2
place = {
    (row, name): np.array([SPACING * column, SPACING * level, 0.0])
    for row, level in (("turned", 0), ("as it was", 1))
    for column, name in enumerate(["molecule", "Y", "λ=0", "λ=2"])
}


def surface_meshes(radii, where):
    """Per copy, the mesh of the surface r(n̂) = radii (Å), centred at
    ``where`` (Å)."""
    return [(r[:, None] * directions + where, triangles) for r in radii]


def meshes(name, row, sign=1.0, color="#7f7f7f"):
    """The chemiscope meshes of one drawing for the 24 copies: the surface, or
    its positive part (``sign`` 1) or negative part (``sign`` −1)."""
    r = SCALE[name] * np.maximum(sign * radii[row][name], 0)
    if row == "as it was":  # the same drawing for every copy
        r = np.repeat(r, len(turns), axis=0)
    return structure_meshes(surface_meshes(r, place[row, name]), color=color)


def spheres(row):
    """The chemiscope spheres of the λ = 0 drawing of ``row`` for the 24 copies."""
    r = np.broadcast_to(SCALE["λ=0"] * radii[row]["λ=0"].mean(axis=1), len(turns))
    where = place[row, "λ=0"].tolist()
    return {
        "kind": "sphere",
        "parameters": {
            "global": {"color": "#e7298a"},
            "structure": [{"radius": float(x), "position": where} for x in r],
        },
    }


ROWS = ("turned", "as it was")
shapes = {
    "Y (grey)": {"kind": "combined", "shapes": [meshes("Y", row) for row in ROWS]},
    "λ=0 part (pink)": {"kind": "combined", "shapes": [spheres(r) for r in ROWS]},
    "λ=2 part (orange +; purple −)": {
        "kind": "combined",
        "shapes": [
            meshes("λ=2", row, sign, color)
            for row in ROWS
            for sign, color in ((1.0, "#e66101"), (-1.0, "#5e3c99"))
        ],
    },
}

D2 = wigner_d_real(2, *matrix_to_angles(turns))
np.testing.assert_allclose(copy_parts[2], D2 @ original_parts[2][0], atol=1e-13)
for R, copy_lobes in zip(turns, radii["turned"]["λ=2"], strict=True):
    _, original_lobes = surface_radii(original_parts, directions @ R)  # at Rᵀ n̂
    np.testing.assert_allclose(copy_lobes, original_lobes[0], atol=1e-13)
np.testing.assert_allclose(
    radii["turned"]["λ=0"], radii["as it was"]["λ=0"][0, 0], rtol=1e-13
)
drawn = np.array(
    [m["vertices"] for m in shapes["Y (grey)"]["shapes"][0]["parameters"]["structure"]]
)
expected = [
    v
    for v, _ in surface_meshes(SCALE["Y"] * radii["turned"]["Y"], place["turned", "Y"])
]
np.testing.assert_allclose(drawn, expected, atol=0.005)
print("for 24 copies: the λ = 2 surfaces turn with R, the λ = 0 sphere stays")

reach = {  # the largest distance from its centre of each drawing, in Å
    (row, name): SCALE[name] * np.abs(radii[row][name]).max()
    for row in ROWS
    for name in ("Y", "λ=0", "λ=2")
}
for row, atoms in (("turned", copies), ("as it was", original)):
    reach[row, "molecule"] = np.linalg.norm(atoms, axis=-1).max() + 0.3  # + a radius
for first, second in itertools.combinations(place, 2):
    gap = np.linalg.norm(place[first] - place[second])
    assert reach[first] + reach[second] < gap, f"{first} and {second} overlap"
print(
    f"no two of the {len(place)} drawings overlap (reach ≤ {max(reach.values()):.2f} Å)"
)

# the invariants are equal to round-off (1e-16 e²Å²); rounded to 1e-12 e²Å², they
# are equal exactly, and the map shows them as the flat lines they are
copy_trace = np.round(np.trace(Y_copies, axis1=1, axis2=2), 12)
lambda2_norm = np.round(np.linalg.norm(copy_parts[2], axis=1), 12)
assert np.ptp(copy_trace) == 0 and np.ptp(lambda2_norm) == 0

# the widget opens on the copy whose dipole is closest to the x axis: in the
# plane of the screen, across the dipole of the molecule as it was (along y)
opening = int(
    np.argmax(np.abs(copy_dipoles[:, 0]) / np.linalg.norm(copy_dipoles, axis=1))
)
# the camera looks down the z axis at the two rows, x to the right and y up
corners = [
    place[key] + sign * reach[key] * np.array(axis)
    for key in place
    for sign in (-1, 1)
    for axis in ([1, 0, 0], [0, 1, 0])
]
camera = viewer_camera(corners, towards_viewer=[0, 0, 1], up=[0, 1, 0], pad=0.3)
both_rows = bare_structures(
    one + one,
    positions=[
        np.concatenate([original[0] + place["as it was", "molecule"], copy])
        for copy in copies
    ],
)
properties = euler_angle_properties(*matrix_to_angles(turns)) | structure_properties(
    {
        "trace": (copy_trace, "e²Å²", "tr Y"),
        "lambda2_norm": (lambda2_norm, "e²Å²", "norm of the λ = 2 part of Y"),
        "Y_zz": (Y_copies[:, 2, 2], "e²Å²", "zz component of Y"),
    }
)
settings = chemiscope.quick_settings(
    x="Y_zz",
    y="trace",
    map_color="beta",
    map_settings={"size": {"factor": 70}},
    structure_settings={
        "keepOrientation": True,
        "shape": ",".join(shapes),
        "axes": "off",
        "camera": camera,
    },
) | {"pinned": [opening]}

# %%
# **How to read the widget.**
#
# - top row: molecule 60 as in the dataset; bottom row: the copy chosen on the map;
# - left to right: the molecule, :math:`Y` (grey), its λ = 0 part (pink sphere)
#   and its λ = 2 part (orange where positive, purple where negative).
#
# It opens on the copy whose dipole lies closest to the x axis, across that of
# the top row: :math:`Y` and its λ = 2 part turn with the molecule, the sphere
# stays. Click through the map, or press play, for the other copies. The map
# puts :math:`Y_{zz}` against :math:`\operatorname{tr} Y`, coloured by the Euler
# angle β: the trace is flat while :math:`Y_{zz}` changes. With ``lambda2_norm``
# on the y axis, the norm of the λ = 2 part is flat too.

chemiscope.show(
    both_rows,
    properties=properties,
    shapes=shapes,
    settings=settings,
    metadata={
        "name": "a rank-2 tensor and its parts on 24 rotated molecules",
        "description": (
            "Map of Y_zz against the trace of Y, one point per orientation, "
            "coloured by the Euler angle beta. The viewer: on top the molecule as "
            "it was, below the selected orientation; left to right, the molecule, "
            "Y (grey), its invariant lambda = 0 part (pink sphere) and its "
            "lambda = 2 part (orange positive, purple negative), which turns."
        ),
    },
)

# %%
# Parity
# ------
#
# Under the inversion :math:`\mathbf{r}\to-\mathbf{r}`, a spherical tensor of degree
# λ picks up a sign :math:`\sigma(-1)^\lambda`. Its label :math:`\sigma` is +1 for
# *proper* tensors, like positions and the parts of
# :math:`\hat{\mathbf{n}}\hat{\mathbf{n}}^\top` above, and −1
# for *improper* ones. metatensor stores σ in the ``o3_sigma`` key.
#
# Take a general, non-symmetric tensor built from the two O–H bond vectors of each
# molecule, :math:`T = \mathbf{b}_1\mathbf{b}_2^\top` (Å²). Both bonds are polar
# vectors (λ = 1, σ = +1), so they flip under inversion, and :math:`T` does not:
#
# - λ = 0, σ = +1: the trace :math:`\mathbf{b}_1\cdot\mathbf{b}_2`, even;
# - λ = 1, σ = −1: the antisymmetric part, which is
#   :math:`-(\mathbf{b}_1\times\mathbf{b}_2)/\sqrt{2}` (the sign is featomic's,
#   :ref:`chapter 5.1 <featomic-cg-sign>` says why): a **pseudo-vector**, even
#   under inversion, unlike a true vector;
# - λ = 2, σ = +1: the symmetric traceless part, even.

b1 = positions[:, 1] - positions[:, 0]
b2 = positions[:, 2] - positions[:, 0]
T = np.einsum("ni,nj->nij", b1, b2)
parts_T = rank2_to_spherical(T)

cross = np.cross(b1, b2)[:, [1, 2, 0]]  # (y, z, x) order
ratio = parts_T[1] / np.where(np.abs(cross) > 1e-12, cross, np.nan)
factor = np.nanmean(ratio)
np.testing.assert_allclose(parts_T[1], factor * cross, atol=1e-14)
print(
    f"λ = 1 part of T = {factor:.6f} (b₁ × b₂), (y, z, x) order: checked "
    f"(−1/√2 = {-1 / np.sqrt(2):.6f})"
)
assert abs(factor + 1 / np.sqrt(2)) < 1e-12, f"λ = 1 part: {factor} (b₁ × b₂)"

# %%
# Checking σ with improper rotations
# ----------------------------------
#
# Rotations alone cannot tell a vector from a pseudo-vector: both turn with
# :math:`D^1(R)`. Improper rotations :math:`P = -R` can. A spherical tensor with
# labels (λ, σ) turns under :math:`P` with :math:`\sigma(-1)^\lambda D^\lambda(R)`.
#
# For :math:`T` all three signs :math:`\sigma(-1)^\lambda` are +1, so we add a
# tensor where they are −1: :math:`U = \mathbf{p}\,\mathbf{a}^\top`, with a polar
# vector :math:`\mathbf{p}` and the axial vector
# :math:`\mathbf{a} = \mathbf{b}_1\times\mathbf{b}_2`, the normal of the molecule.
# Its parts have the opposite σ to those of :math:`T`: a pseudo-scalar (λ = 0,
# σ = −1), a true vector (λ = 1, σ = +1) and λ = 2 with σ = −1. In the plane of
# the molecule :math:`\mathbf{p}\cdot\mathbf{a}` would vanish, so we take for
# :math:`\mathbf{p}` the O–H1 bond of a second copy of the molecule, turned by a
# fixed rotation :math:`Q`; then no part of :math:`U` is zero and every sign is
# tested.
#
# We move every atom by :math:`P`, rebuild both tensors from the moved atoms and
# compare with :math:`\sigma(-1)^\lambda D^\lambda(R)` times the original parts:
# a wrong σ flips a sign and fails the check.

Q = random_rotation_matrix(1, seed=7)[0]
second_copy = positions @ Q.T  # the turned copy: its atoms move with the others


def tensors_from_atoms(first, second):
    """T = b1 b2ᵀ (Å²) of the first molecule and U = p (b1 × b2)ᵀ (Å³), with p
    the O–H1 bond of the second molecule."""
    bond1 = first[..., 1, :] - first[..., 0, :]
    bond2 = first[..., 2, :] - first[..., 0, :]
    p = second[..., 1, :] - second[..., 0, :]
    return (
        np.einsum("...i,...j->...ij", bond1, bond2),
        np.einsum("...i,...j->...ij", p, np.cross(bond1, bond2)),
    )


SIGMA_U = {lam: -sigma for lam, sigma in RANK2_SIGMA.items()}
rotations = random_rotation_matrix(50, seed=0)
P = -rotations  # 50 improper rotations, det = −1
angles = matrix_to_angles(rotations)
moved_positions = np.einsum("kij,naj->knai", P, positions)  # (50, 121, 3, 3), Å
moved_copy = np.einsum("kij,naj->knai", P, second_copy)


def check_parity(name, original, moved, sigmas):
    """Check that each part λ of the tensors ``moved`` (50, n, 3, 3), rebuilt from
    the atoms moved by P = −R, is σ(−1)^λ D^λ(R) times the part of ``original``
    (n, 3, 3), with σ from ``sigmas``."""
    parts_original = rank2_to_spherical(original)
    parts_moved = rank2_to_spherical(moved.reshape(-1, 3, 3))
    for lam in range(3):
        sign = sigmas[lam] * (-1) ** lam
        D_lam = wigner_d_real(lam, *angles)
        expected = sign * np.einsum("kmp,np->knm", D_lam, parts_original[lam])
        assert np.abs(parts_original[lam]).max() > 1e-2  # a zero part tests nothing
        np.testing.assert_allclose(
            parts_moved[lam].reshape(expected.shape), expected, atol=1e-13
        )
    labels = ", ".join(f"({lam}, {sigmas[lam]:+d})" for lam in range(3))
    print(f"  {name}: (λ, σ) = {labels}, each part turns with σ(−1)^λ D^λ(R)")


T_all, U_all = tensors_from_atoms(positions, second_copy)
T_moved, U_moved = tensors_from_atoms(moved_positions, moved_copy)
print("under 50 improper rotations P = −R, on all 121 molecules:")
check_parity("T = b₁b₂ᵀ", T_all, T_moved, RANK2_SIGMA)
check_parity("U = p aᵀ", U_all, U_moved, SIGMA_U)

# %%
# Key points
# ----------
#
# - A symmetric tensor's λ = 0 part is a sphere that never turns; its λ = 2 part, a
#   d-orbital shape, turns with the molecule.
# - Under inversion a part is multiplied by σ(−1)^λ, and the signs of two factors
#   multiply: for two polar vectors, σ = +1, −1, +1 for λ = 0, 1, 2.

# %%
# Exercises
# ---------
#
# 1. **Two axial vectors.** Build :math:`W = \mathbf{a}\,\tilde{\mathbf{a}}^\top`
#    (Å⁴) from the normal :math:`\mathbf{a} = \mathbf{b}_1\times\mathbf{b}_2` of
#    each molecule and the normal :math:`\tilde{\mathbf{a}}` of its turned copy.
#    Predict the σ of each of its three parts *before* you compute anything,
#    then check your prediction with the page's improper rotations.
# 2. **A part that is always zero.** Build :math:`V =
#    \boldsymbol{\mu}\,\mathbf{a}^\top` (e·Å³) from the dipole of each
#    molecule and its own normal. One of its parts is zero for every molecule,
#    however it is turned. Which one, and why? Answer from its σ alone, with
#    this hint: a water molecule is its own mirror image, and a mirror is an
#    improper rotation.
# 3. **How far the lobes reach.** From
#    :math:`Y = \boldsymbol{\mu}\boldsymbol{\mu}^\top +
#    |\boldsymbol{\mu}|^2\,\mathbb{1}`, predict in which directions the λ = 2
#    surface of the widget reaches furthest out, and how far (as a multiple of
#    :math:`|\boldsymbol{\mu}|^2`), and how deep its negative part goes. Check
#    on all 121 molecules.
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · Two axial vectors
#
# Each normal is a pseudo-vector: it does not flip under inversion, where a
# polar vector does. :math:`T` picks up two flips, :math:`W` none: both stay as
# they are, so :math:`W` has the labels of :math:`T`, σ = +1, −1, +1 for
# λ = 0, 1, 2.

SIGMA_W = {0: +1, 1: -1, 2: +1}  # the prediction


def normals(atoms):
    """b₁ × b₂ of each molecule (O, H, H; Å), in Å²."""
    return np.cross(
        atoms[..., 1, :] - atoms[..., 0, :], atoms[..., 2, :] - atoms[..., 0, :]
    )


def tensor_w(first, second):
    """W = a ãᵀ (Å⁴): the normals of the first and of the second molecule."""
    return np.einsum("...i,...j->...ij", normals(first), normals(second))


print("under the same 50 improper rotations:")
check_parity(
    "W = a ãᵀ",
    tensor_w(positions, second_copy),
    tensor_w(moved_positions, moved_copy),
    SIGMA_W,
)

# %%
# .. solution:: 2 · A part that is always zero
#
# The dipole is polar and the normal axial, so the parts of :math:`V` have the
# labels of those of :math:`U`: σ = −1, +1, −1. Its λ = 0 part, the
# pseudo-scalar :math:`\boldsymbol{\mu}\cdot\mathbf{a}` (up to a factor),
# changes sign under every mirror. The mirror through the plane of the molecule
# leaves the molecule as it is, so the pseudo-scalar equals minus itself: zero.
# The other parts have nothing that forces them to zero.

parts_V = rank2_to_spherical(
    np.einsum("ni,nj->nij", ps_dipole(positions), normals(positions))
)
largest = [np.abs(parts_V[lam]).max() for lam in range(3)]
print(
    "largest λ = 0, 1, 2 parts of V: "
    + ", ".join(f"{value:.1e}" for value in largest)
    + " e·Å³"
)
assert largest[0] < 1e-13 and min(largest[1:]) > 1e-2

unit_normals = normals(positions) / np.linalg.norm(normals(positions), axis=1)[:, None]
mirrors = np.eye(3) - 2 * np.einsum("ni,nj->nij", unit_normals, unit_normals)
assert np.allclose(np.linalg.det(mirrors), -1)  # improper rotations
about_oxygen = positions - positions[:, :1]
mirrored = np.einsum("nij,naj->nai", mirrors, about_oxygen)
np.testing.assert_allclose(mirrored, about_oxygen, atol=1e-12)
print("each molecule is its own mirror image in its plane: checked")

# %%
# .. solution:: 3 · How far the lobes reach
#
# :math:`\hat{\mathbf{n}}^\top Y \hat{\mathbf{n}} = (\boldsymbol{\mu}\cdot
# \hat{\mathbf{n}})^2 + |\boldsymbol{\mu}|^2`, and the sphere is
# :math:`\tfrac13\operatorname{tr} Y = \tfrac43|\boldsymbol{\mu}|^2`, so the
# λ = 2 surface is :math:`(\boldsymbol{\mu}\cdot\hat{\mathbf{n}})^2 -
# \tfrac13|\boldsymbol{\mu}|^2`: largest, :math:`\tfrac23|\boldsymbol{\mu}|^2`,
# along :math:`\pm\boldsymbol{\mu}`, and deepest,
# :math:`-\tfrac13|\boldsymbol{\mu}|^2`, in the whole plane perpendicular to it.

dipoles = ps_dipole(positions)  # e·Å
mu2 = np.sum(dipoles**2, axis=1)  # e²Å²
along = dipoles / np.sqrt(mu2)[:, None]
across = unit_normals  # perpendicular to the dipole (exercise 2)


def lobe(direction):
    """The λ = 2 surface of each molecule's Y in its own direction (e²Å²)."""
    return np.sum(parts[2] * quadratics(direction), axis=1)


_, lobes = surface_radii(parts, directions)  # on the 300 directions
print(
    f"λ = 2 surface along μ: {np.mean(lobe(along) / mu2):.4f} |μ|², across it: "
    f"{np.mean(lobe(across) / mu2):.4f} |μ|²"
)
print(
    f"on the 300 directions: from {np.min(lobes / mu2[:, None]):.4f} "
    f"to {np.max(lobes / mu2[:, None]):.4f} |μ|²"
)
np.testing.assert_allclose(lobe(along), 2 / 3 * mu2, rtol=1e-12)
np.testing.assert_allclose(lobe(across), -1 / 3 * mu2, rtol=1e-12)
assert np.all(lobes <= 2 / 3 * mu2[:, None] + 1e-14)
assert np.all(lobes >= -1 / 3 * mu2[:, None] - 1e-14)

# %%
# The positive lobes reach twice as far as the negative belt goes deep: in the
# widget, the orange lobes point along the dipole, and the purple belt circles
# it.
