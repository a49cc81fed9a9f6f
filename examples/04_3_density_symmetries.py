"""
4.3 · How the coefficients transform, and their gradients
=========================================================

A descriptor of atoms is useful to an equivariant model only if we know exactly
what it does when the structure moves. On this page we check, on the whole water
dataset, how the density expansion coefficients of :ref:`chapter 4.1
<sphx_glr_auto_examples_04_1_spherical_expansion.py>` transform: not at all
under translations, as spherical tensors under rotations, rotated by the real
Wigner D matrices of :ref:`chapter 3.1
<sphx_glr_auto_examples_03_1_wigner_d_blocks.py>`, and with the sign
:math:`(-1)^l` under inversion. At the end of this page you will be able to
predict the coefficients of a moved structure from those of the original, and
to check featomic's position gradients against finite differences.

.. note::

    Read :ref:`sphx_glr_auto_examples_04_1_spherical_expansion.py` and, for the
    parity of spherical tensors,
    :ref:`sphx_glr_auto_examples_03_2_parts_and_parity.py` first.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.density import density_by_degree
from tutorial_helpers.expansion import (
    expansion_hypers,
    radial_basis,
    shown_molecule,
    spherical_expansion,
)
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.rotations import (
    matrix_to_angles,
    random_rotation_matrix,
    rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.spherical import real_spherical_harmonics
from tutorial_helpers.symmetry_check import transform_frames

use_style()

# %%
# The coefficients of the whole dataset, with the chapter's hyper-parameters
# (:func:`tutorial_helpers.expansion.expansion_hypers`) and their position
# gradients, as on page 4.1:

frames = load_water_dataset()
expansion = spherical_expansion(frames, gradients=True)
print(f"{len(expansion.keys)} blocks for {len(frames)} molecules")

# %%
# Translations
# ------------
#
# The density is built from relative positions, so moving the whole molecule
# changes nothing.

rng = np.random.default_rng(0)
# transform_frames copies the frames and moves their atoms, r -> M r + t
translated = transform_frames(frames, shift=rng.normal(scale=5.0, size=3))
expansion_translated = spherical_expansion(translated)
largest = max(
    np.abs(expansion_translated.block(key).values - block.values).max()
    for key, block in expansion.items()
)
assert largest < 1e-12
print(f"translation: largest change of any coefficient {largest:.1e}")

# %%
# Rotations
# ---------
#
# Rotating the structure by :math:`R` rotates each density, and the coefficients of
# angular index :math:`l` are mixed by the real Wigner D matrix of degree
# :math:`\lambda = l`: :math:`c_{nl}(R\cdot A) = D^l(R)\, c_{nl}(A)`. Two lines show
# why. The rotated structure has the density
# :math:`\rho'(\mathbf{r}) = \rho(R^{-1}\mathbf{r})`; project it, and substitute
# :math:`\mathbf{r} = R\mathbf{r}'` (rotations keep :math:`r` and the volume):
#
# .. math::
#
#     c'_{nlm} = \int \mathrm{d}\mathbf{r}\, R_n(r)\,
#         Y_l^m(\hat{\mathbf{r}})\, \rho(R^{-1}\mathbf{r})
#     = \int \mathrm{d}\mathbf{r}'\, R_n(r')\,
#         Y_l^m(R\hat{\mathbf{r}}')\, \rho(\mathbf{r}').
#
# The real harmonics of a rotated direction are a rotation of the harmonics,
# :math:`Y_l(R\hat{\mathbf{r}}) = D^l(R)\, Y_l(\hat{\mathbf{r}})` for the vector of
# all :math:`2l + 1` of them, and :math:`D^l(R)` comes out of the integral. This
# is the general pattern of the :ref:`definition of equivariance
# <equivariance-definition>`, with :math:`D^l` as the representation. First the
# property of the harmonics, on random directions:

directions = np.random.default_rng(1).normal(size=(200, 3))
R0 = random_rotation_matrix(1, seed=2)[0]
for l in range(7):
    D = wigner_d_real(l, *matrix_to_angles(R0))
    np.testing.assert_allclose(
        real_spherical_harmonics(l, directions @ R0.T),
        real_spherical_harmonics(l, directions) @ D.T,
        atol=1e-12,
    )
print("Y_l(R r̂) = D^l(R) Y_l(r̂) for l = 0 ... 6: checked on 200 directions")

# %%
# Then the coefficients themselves, for every l up to ``max_angular`` and every
# block, on the whole dataset rotated by ten random rotations.


rotations = random_rotation_matrix(10, seed=4)
angles = matrix_to_angles(rotations)
largest = {l: 0.0 for l in range(7)}
for k, R in enumerate(rotations):
    expansion_rotated = spherical_expansion(transform_frames(frames, R))
    for key, block in expansion.items():
        l = int(key["o3_lambda"])  # the angular index of the density coefficients
        D = wigner_d_real(l, *[a[k] for a in angles])
        expected = np.einsum("mp,spn->smn", D, block.values)
        deviation = np.abs(expansion_rotated.block(key).values - expected).max()
        largest[l] = max(largest[l], deviation)
for l, deviation in largest.items():
    print(f"l = {l}: c(R·A) = D^l(R) c(A), largest deviation {deviation:.1e}")
assert max(largest.values()) < 1e-10

# %%
# What :math:`D^l` does, on one molecule: we turn the molecule of page 4.2 (O at
# the origin, in the xy plane, its hydrogens towards +y) about the x axis by an
# angle φ, and follow the coefficients of its hydrogen density around the
# oxygen for n = 0. The lines are :math:`D^l(R)\, c_{0l}` computed from the
# unturned molecule alone; the dots are featomic's coefficients of the turned
# molecule. For l = 1 the three components (y, z, x) turn like a vector: the
# hydrogen density points from +y to +z at 90°, and its x component stays zero.
# For l = 2 the components mix with twice the angle: they repeat after 180°
# (m = −2 and m = 1 stay zero, one line under the other).

molecule = shown_molecule(frames)
start = spherical_expansion(molecule)


def about_x(angle):
    """ZYZ Euler angles of a turn by ``angle`` (rad) about the x axis."""
    return -np.pi / 2, angle, np.pi / 2


def hydrogen_coefficients(tensor, l):
    """c_0lm of the hydrogens around the oxygen of a one-molecule expansion."""
    return tensor.block(o3_lambda=l, center_type=8, neighbor_type=1).values[0, :, 0]


quarter = [[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]]  # 90° about x
np.testing.assert_allclose(rotation_matrix(*about_x(np.pi / 2)), quarter, atol=1e-15)
phi = np.linspace(0.0, 2 * np.pi, 181)  # rad, for the lines
phi_dots = np.linspace(0.0, 2 * np.pi, 13)[:-1]  # rad, for featomic's dots
turned = [
    spherical_expansion(transform_frames([molecule], rotation_matrix(*about_x(a))))
    for a in phi_dots
]

fig, axes = plt.subplots(2, 1, figsize=figure_size(6.0), sharex=True)
for ax, l in zip(axes, (1, 2), strict=True):
    c_start = hydrogen_coefficients(start, l)
    lines = wigner_d_real(l, *about_x(phi)) @ c_start  # (φ, m)
    dots = np.array([hydrogen_coefficients(tensor, l) for tensor in turned])
    expected = wigner_d_real(l, *about_x(phi_dots)) @ c_start
    np.testing.assert_allclose(dots, expected, atol=1e-12)
    if l == 1:  # (y, z, x) = |c| (cos φ, sin φ, 0): a vector turning from y to z
        turning = np.stack([np.cos(phi), np.sin(phi), 0 * phi], axis=1)
        np.testing.assert_allclose(lines, np.linalg.norm(c_start) * turning, atol=1e-12)
    else:  # the same after 180°: twice the angle; m = −2 and 1 stay zero
        np.testing.assert_allclose(lines[:91], lines[90:], atol=1e-12)
        np.testing.assert_allclose(lines[:, [0, 3]], 0.0, atol=1e-12)
    names = {-1: " (y)", 0: " (z)", 1: " (x)"} if l == 1 else {}
    for m in range(-l, l + 1):
        label = f"m = {m}".replace("-", "−") + names.get(m, "")
        (line,) = ax.plot(np.degrees(phi), lines[:, m + l], label=label)
        ax.plot(np.degrees(phi_dots), dots[:, m + l], "o", color=line.get_color())
    ax.set(ylabel=f"c$_{{0{l}m}}$ (no unit)", title=f"l = {l}")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
axes[1].set(xlabel="turn about x, φ / °", xticks=[0, 90, 180, 270, 360])
plt.show()
print("featomic's coefficients of the turned molecule = D^l(R) c_0l at every dot")

# %%
# The density that the coefficients describe turns with them: the expansion of
# the turned molecule, summed at a turned point :math:`R\mathbf{r}`, equals that
# of the original one at :math:`\mathbf{r}`, for every truncation
# :math:`l_\mathrm{max}`, since each l turns on its own. We check it for the
# hydrogen density of the molecule above, at random points within 2 Å of the
# oxygen, with :func:`tutorial_helpers.density.density_by_degree`.


def density_by_truncation(atoms, points):
    """Row l_max: the H density around the O of ``atoms`` at ``points`` (Å),
    expanded up to l = l_max, in Å^-3/2."""
    parts = density_by_degree(
        spherical_expansion(atoms),
        points,
        radial_basis(expansion_hypers()),
        center=(0, 0),
        neighbor_types=[1],
    )
    return np.cumsum(parts, axis=0)


R = random_rotation_matrix(1, seed=9)[0]
points = np.random.default_rng(3).uniform(-2.0, 2.0, size=(500, 3))  # Å
original = density_by_truncation(molecule, points)
turned_density = density_by_truncation(transform_frames([molecule], R)[0], points @ R.T)
np.testing.assert_allclose(turned_density, original, atol=1e-10)
print(
    "ρ_rotated(R r) = ρ(r) for every l_max: largest deviation "
    f"{np.abs(turned_density - original).max():.1e} Å^-3/2"
)

# %%
# Inversion
# ---------
#
# Under inversion :math:`\mathbf{r}\to-\mathbf{r}`, the spherical harmonics pick up
# :math:`(-1)^l`, and so do the coefficients: ``o3_sigma = +1`` means proper
# spherical tensors.

inverted = transform_frames(frames, -np.eye(3))
expansion_inverted = spherical_expansion(inverted)
largest = 0.0
for key, block in expansion.items():
    sign = (-1) ** int(key["o3_lambda"])
    assert key["o3_sigma"] == 1
    largest = max(
        largest,
        np.abs(expansion_inverted.block(key).values - sign * block.values).max(),
    )
assert largest < 1e-12
print(f"inversion: c → (−1)^l c, largest deviation {largest:.1e}")

# %%
# Gradients
# ---------
#
# Finally, the position gradients featomic computed agree with finite differences.
# We move each atom along x, y and z by ±h and compare.
#
# Not on one molecule of the grid, though. Every one lies in the xy plane, so the
# mirror :math:`z \to -z` leaves it unchanged, and the mirror multiplies
# :math:`c_{nlm}` by :math:`(-1)^{l+m}` (exercise 1 derives it). Moving an atom
# along x or y keeps the molecule in its plane, so the coefficients with l + m odd
# stay zero; moving it along z gives the mirror image of moving it along −z, so
# the coefficients with l + m even do not change to first order. On a flat
# molecule these derivatives are exactly zero, so a wrong sign or scale in them
# cannot show.
# We check on two molecules together instead, one turned out of the plane of the
# other: a structure with no mirror.

one = frames[33]  # a stretched and bent molecule, in the xy plane
other = transform_frames(
    [frames[80]], random_rotation_matrix(1, seed=6)[0], shift=[0.5, 1.0, 2.5]
)[0]
pair = one + other  # six atoms, each within 3.5 Å of every other: all see all
assert pair.get_all_distances().max() < 3.5  # Å
centred = pair.positions - pair.positions.mean(axis=0)
assert np.linalg.svd(centred, compute_uv=False)[-1] > 0.5  # Å: not flat
mirror_even = {l: (l + np.arange(-l, l + 1)) % 2 == 0 for l in range(7)}  # l + m


def gradient_deviation(atoms, flip_z=False):
    """Largest |featomic's ∂c/∂r − finite differences| and largest |∂c/∂r|, in
    Å^-1; with ``flip_z``, the sign of featomic's ∂c/∂z for l + m even flipped."""
    reference = spherical_expansion(atoms, gradients=True)
    h = 1e-5  # Å
    largest, scale = 0.0, 0.0
    for atom in range(len(atoms)):
        for direction in range(3):
            plus, minus = atoms.copy(), atoms.copy()
            plus.positions[atom, direction] += h
            minus.positions[atom, direction] -= h
            c_plus, c_minus = spherical_expansion(plus), spherical_expansion(minus)
            for key, block in reference.items():
                change = c_plus.block(key).values - c_minus.block(key).values
                grad = block.gradient("positions")
                analytic = np.zeros_like(block.values)
                for row, (sample, _, moved_atom) in enumerate(grad.samples.values):
                    if moved_atom == atom:
                        analytic[sample] = grad.values[row, direction]
                if flip_z and direction == 2:
                    analytic[:, mirror_even[int(key["o3_lambda"])]] *= -1
                largest = max(largest, np.abs(change / (2 * h) - analytic).max())
                scale = max(scale, np.abs(analytic).max())
    return largest, scale


flat = spherical_expansion(one, gradients=True)
zero, other_entries = 0.0, 0.0
for key, block in flat.items():
    d = np.abs(block.gradient("positions").values)  # (sample, xyz, m, n)
    even = mirror_even[int(key["o3_lambda"])]
    zero = max(zero, d[:, 2][:, even].max(), d[:, :2][:, :, ~even].max(initial=0.0))
    other_entries = max(other_entries, d[:, 2][:, ~even].max(initial=0.0))
print(f"flat molecule: ∂c/∂z (l + m even), ∂c/∂x,y (l + m odd) at most {zero:.0e} Å^-1")
assert zero < 1e-12 < other_entries

largest, scale = gradient_deviation(pair)
print(
    f"two molecules: gradients vs finite differences, largest deviation {largest:.1e}"
)
print(f"largest |∂c/∂r|: {scale:.2f} Å^-1 (the coefficients have no unit)")
assert largest < 1e-6 * scale

# %%
# The same check, with an error planted on purpose: the sign of every ∂c/∂z with
# l + m even flipped. The flat molecule cannot see it; the two molecules do.

hidden = gradient_deviation(one, flip_z=True)[0]
seen = gradient_deviation(pair, flip_z=True)[0]
print(
    f"∂c/∂z (l + m even) flipped: deviation {hidden:.0e} Å^-1 (flat), "
    f"{seen:.2f} Å^-1 (pair)"
)
assert hidden < 1e-6 * scale < seen

# %%
# Key points
# ----------
#
# - The coefficients do not change under translations, turn with D^l(R) under rotations
#   and take the sign (−1)^l under inversion.
# - featomic's position gradients match finite differences, checked on a structure that
#   is not flat: a flat molecule hides some gradient errors.

# %%
# Exercises
# ---------
#
# 1. **A mirror that changes nothing.** Every molecule of the dataset lies in the
#    xy plane, so the mirror :math:`z \to -z` leaves it as it is. The mirror is
#    the inversion after a half turn about z. Derive, with the parity
#    :math:`(-1)^l` and the Wigner D matrix of the half turn, the factor
#    :math:`(-1)^{l+m}` that the gradient check used, and so which coefficients
#    :math:`c_{nlm}` must be zero for every molecule of the dataset. Then check.
# 2. **A turn about a hydrogen.** Turn the molecule ``one`` by the ZYZ angles
#    (30°, 60°, 90°) about its first hydrogen rather than about the origin,
#    :math:`\mathbf{r} \to R(\mathbf{r} - \mathbf{r}_\mathrm{H}) +
#    \mathbf{r}_\mathrm{H}`. Predict the coefficients of its three atoms from
#    those of ``one``, then compare with featomic's.
# 3. **The gradient of an invariant.** The squared length of an l = 1 block,
#    :math:`p_n = \sum_m c_{n1m}^2`, does not change under rotations. For the
#    first oxygen of ``pair`` and its hydrogen neighbours, compute the gradient of
#    :math:`p_n` with respect to the position of the first hydrogen from
#    featomic's gradients, by the chain rule, and check it against finite
#    differences.
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · A mirror that changes nothing

half_turn = rotation_matrix(np.pi, 0.0, 0.0)  # 180° about z
np.testing.assert_allclose(-half_turn, np.diag([1.0, 1.0, -1.0]), atol=1e-15)
sign = {}  # the mirror's factor on each c_nlm, m = −l ... l
for l in range(7):
    D = wigner_d_real(l, np.pi, 0.0, 0.0)
    np.testing.assert_allclose(D, np.diag(np.diag(D)), atol=1e-12)  # diagonal
    sign[l] = (-1) ** l * np.round(np.diag(D))  # inversion, then the half turn
    np.testing.assert_array_equal(sign[l], (-1.0) ** (l + np.arange(-l, l + 1)))
    np.testing.assert_array_equal(sign[l] > 0, mirror_even[l])  # as the check used
largest_flipped, largest_kept = 0.0, 0.0
for key, block in expansion.items():
    flipped = sign[int(key["o3_lambda"])] < 0
    values = np.abs(block.values)
    largest_flipped = max(largest_flipped, values[:, flipped].max(initial=0.0))
    largest_kept = max(largest_kept, values[:, ~flipped].max(initial=0.0))
print(f"c_nlm with l + m odd, largest: {largest_flipped:.1e}")
print(f"c_nlm with l + m even, largest: {largest_kept:.2f}")
assert largest_flipped < 1e-12 and largest_kept > 0.1

# %%
# The half turn about z multiplies :math:`Y_l^m` by :math:`(-1)^m` (its D matrix
# is diagonal), the inversion by :math:`(-1)^l`: the mirror changes the sign of
# the coefficients with l + m odd. A molecule that the mirror leaves unchanged
# has coefficients equal to their own negatives: zero. Symmetries of a structure
# show up as zeros in its descriptor.
#
# .. solution:: 2 · A turn about a hydrogen

angles = np.radians([30.0, 60.0, 90.0])  # ZYZ, rad
R = rotation_matrix(*angles)
pivot = one.positions[1]  # the first hydrogen, Å
moved = transform_frames([one], R, shift=pivot - R @ pivot)[0]
np.testing.assert_allclose(moved.positions[1], pivot, atol=1e-12)  # H1 stays
before, after = spherical_expansion(one), spherical_expansion(moved)
largest = 0.0
for key, block in before.items():
    D = wigner_d_real(int(key["o3_lambda"]), *angles)
    predicted = np.einsum("mp,spn->smn", D, block.values)  # D^l(R) c, every atom
    largest = max(largest, np.abs(after.block(key).values - predicted).max())
print(f"c(turned about H1) = D^l(R) c: largest deviation {largest:.1e}")
assert largest < 1e-10

# %%
# The turn about the hydrogen is the turn about the origin followed by a
# translation, which changes nothing: the coefficients are those of the turn
# about the origin, :math:`D^l(R)\, c`, for every atom as the centre.
#
# .. solution:: 3 · The gradient of an invariant

selection = {"o3_lambda": 1, "center_type": 8, "neighbor_type": 1}


def squared_lengths(atoms):
    """p_n = Σ_m c_n1m² of the oxygen (atom 0) of ``atoms``, for every n."""
    block = spherical_expansion(atoms).block(**selection)
    return (block.values[0] ** 2).sum(axis=0)


h = 1e-5  # Å
block = spherical_expansion(pair, gradients=True).block(**selection)
gradient = block.gradient("positions")
row = gradient.samples.position((0, 0, 1))  # centre 0 (the O), moved atom 1 (H1)
# chain rule: ∂p_n/∂r = 2 Σ_m c_n1m ∂c_n1m/∂r, for x, y, z
analytic = 2 * np.einsum("mn,xmn->xn", block.values[0], gradient.values[row])
numerical = np.zeros_like(analytic)  # Å^-1
for direction in range(3):
    plus, minus = pair.copy(), pair.copy()
    plus.positions[1, direction] += h
    minus.positions[1, direction] -= h
    numerical[direction] = (squared_lengths(plus) - squared_lengths(minus)) / (2 * h)
deviation = np.abs(numerical - analytic).max()
print(
    f"∂p_n/∂r_H1, chain rule vs finite differences: largest deviation {deviation:.1e}"
)
print(f"largest |∂p_n/∂r_H1|: {np.abs(analytic).max():.3f} Å^-1")
turned_pair = transform_frames([pair], random_rotation_matrix(1, seed=5)[0])[0]
np.testing.assert_allclose(
    squared_lengths(turned_pair), squared_lengths(pair), atol=1e-14
)
assert deviation < 1e-6 * np.abs(analytic).max()

# %%
# The chain rule carries featomic's gradients through any function of the
# coefficients. This is how a model built on invariant features of the
# coefficients gets its forces, as the energy model of :ref:`chapter 6.3
# <sphx_glr_auto_examples_06_3_energy_and_forces.py>` does.
