"""
3.1 · A rank-2 tensor in blocks: real Wigner D matrices
=======================================================

A vector rotates with a 3 × 3 matrix. A rank-2 tensor, like a polarizability,
rotates with a 9 × 9 matrix that mixes all nine of its components. On this page
we find the change of basis that breaks this matrix into independent blocks, the
real Wigner D matrices of degree λ = 0, 1 and 2, and we see what each block
means. At the end of this page you will be able to turn any rank-2 Cartesian
tensor into spherical tensors, rotate each of them with its own Wigner D matrix,
and go back.

.. note::

    Read :ref:`sphx_glr_auto_examples_02_rotations_and_vectors.py` first, and keep
    the :ref:`conventions <conventions-spherical>` at hand for the order of the
    spherical components.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from scipy.linalg import block_diag
from scipy.spatial.transform import Rotation

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.rotations import (
    matrix_to_angles,
    random_rotation_matrix,
    rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.spherical import (
    dipole_tensor,
    rank2_change_of_basis,
    rank2_to_spherical,
    spherical_to_rank2,
)
from tutorial_helpers.water_model import ps_charges, ps_dipole

use_style()

# %%
# A tensor built from the dipole
# ------------------------------
#
# To have a rank-2 tensor that belongs to each molecule, we build one from its
# dipole :math:`\boldsymbol{\mu}` (e·Å):
#
# .. math::
#
#     Y = \boldsymbol{\mu}\boldsymbol{\mu}^\top + |\boldsymbol{\mu}|^2\, \mathbb{1}
#     \qquad (\text{e}^2\text{Å}^2).
#
# Since :math:`\boldsymbol{\mu}` rotates as :math:`R\boldsymbol{\mu}`, :math:`Y`
# rotates as :math:`R\, Y R^\top`. We check it on 50 randomly rotated copies of
# every molecule of the dataset, recomputing the dipole on the rotated geometries
# (:func:`tutorial_helpers.spherical.dipole_tensor` builds :math:`Y`).


frames = load_water_dataset()
positions = np.array([atoms.positions for atoms in frames])  # (121, 3, 3), Å
dipoles = ps_dipole(positions)  # (121, 3), e·Å
Y = dipole_tensor(dipoles)

rotations = random_rotation_matrix(50, seed=0)
rotated_positions = np.einsum("kij,naj->knai", rotations, positions)
Y_rotated = dipole_tensor(ps_dipole(rotated_positions.reshape(-1, 3, 3))).reshape(
    50, len(frames), 3, 3
)
expected = np.einsum("kij,njl,kml->knim", rotations, Y, rotations)
np.testing.assert_allclose(Y_rotated, expected, atol=1e-13)
print(
    f"Y(R·r) = R Y Rᵀ for 50 × 121 rotated molecules: "
    f"largest deviation {np.abs(Y_rotated - expected).max():.1e} e²Å²"
)

# %%
# The 9 × 9 rotation matrix
# -------------------------
#
# Flatten :math:`Y` row by row into a 9-vector. Then :math:`R Y R^\top` is a linear
# map on that vector, with matrix :math:`R \otimes R` (the Kronecker product):
# :math:`\operatorname{vec}(R Y R^\top) = (R\otimes R)\operatorname{vec}(Y)`. In
# the words of the :ref:`definition of equivariance <equivariance-definition>`,
# :math:`Y` is equivariant with the representation :math:`D(R) = R\otimes R`.

R = rotations[0]
R_kron_R = np.kron(R, R)
np.testing.assert_allclose(
    R_kron_R @ Y[0].reshape(9), (R @ Y[0] @ R.T).reshape(9), atol=1e-15
)
print("vec(R Y Rᵀ) = (R ⊗ R) vec(Y): checked")
nonzero = np.count_nonzero(np.abs(R_kron_R) > 1e-12)
assert nonzero == 81
print(f"non-zero entries of R ⊗ R for this rotation: {nonzero} of {R_kron_R.size}")


def draw_matrix(matrix, title, ticks, labels, axis_label):
    """One 9 × 9 matrix of rotation coefficients (no unit), on the RdBu scale
    from −1 to 1, with ``labels`` at the ``ticks`` of both axes."""
    fig, ax = plt.subplots(figsize=figure_size(4.8))
    image = ax.matshow(matrix, cmap="RdBu", vmin=-1, vmax=1)
    ax.set_title(title)
    ax.set_xticks(ticks, labels)
    ax.set_yticks(ticks, labels)
    ax.tick_params(length=0)
    ax.set_xlabel(f"input: {axis_label}")
    ax.set_ylabel(f"output: {axis_label}")
    ax.xaxis.set_label_position("top")
    fig.colorbar(
        image, ax=ax, ticks=[-1, -0.5, 0, 0.5, 1], label="matrix element (no unit)"
    )
    return ax


draw_matrix(
    R_kron_R,
    "R ⊗ R in the Cartesian basis",
    range(9),
    [a + b for a in "xyz" for b in "xyz"],
    "component of vec(Y)",
)
plt.show()

# %%
# All 81 entries of :math:`R\otimes R` are in general non-zero: every component of
# :math:`Y` mixes with every other one when the molecule turns.
#
# Irreducible parts
# -----------------
#
# There is a fixed orthogonal change of basis :math:`C` that makes the matrix
# block-diagonal for **every** rotation:
#
# .. math::
#
#     C\,(R\otimes R)\,C^\top = D^0(R) \oplus D^1(R) \oplus D^2(R),
#
# with blocks of size 1, 3 and 5: the real Wigner D matrices of degree
# λ = 0, 1, 2. We take :math:`C` from
# :func:`featomic.clebsch_gordan.cartesian_to_spherical`, applied to the nine unit
# tensors (:func:`tutorial_helpers.spherical.rank2_change_of_basis`), and compare
# with our own Wigner D matrices. The figure labels each block by its λ; inside a
# block, m runs from −λ to λ.

C = rank2_change_of_basis()
alpha, beta, gamma = matrix_to_angles(R)
D = [wigner_d_real(lam, alpha, beta, gamma) for lam in range(3)]
block_diagonal = C @ R_kron_R @ C.T
np.testing.assert_allclose(block_diagonal, block_diag(*D), atol=1e-13)
print(
    f"C (R ⊗ R) Cᵀ = D⁰ ⊕ D¹ ⊕ D²: largest deviation "
    f"{np.abs(block_diagonal - block_diag(*D)).max():.1e}"
)

sizes = [2 * lam + 1 for lam in range(3)]
ends = np.cumsum(sizes)  # 1, 4, 9
ax = draw_matrix(
    block_diagonal,
    "C (R ⊗ R) Cᵀ in the spherical basis",
    ends - np.array(sizes) / 2 - 0.5,  # the centre of each block
    [f"λ = {lam}" for lam in range(3)],
    "spherical component",
)
for edge in ends[:-1] - 0.5:  # the borders of the blocks
    ax.axhline(edge, color="0.3", linewidth=1)
    ax.axvline(edge, color="0.3", linewidth=1)
plt.show()
# sphinx_gallery_thumbnail_number = 2

# %%
# Each block rotates on its own
# -----------------------------
#
# In the spherical basis, the λ part of the rotated tensor is :math:`D^\lambda(R)`
# times the λ part of the original one, for each λ separately. We check it on all
# the rotated molecules.

parts = rank2_to_spherical(Y)
parts_rotated = rank2_to_spherical(Y_rotated.reshape(-1, 3, 3))
angles = matrix_to_angles(rotations)
for lam in range(3):
    D_lam = wigner_d_real(lam, *angles)  # (50, 2λ+1, 2λ+1)
    expected = np.einsum("kmp,np->knm", D_lam, parts[lam]).reshape(-1, 2 * lam + 1)
    got = parts_rotated[lam]
    np.testing.assert_allclose(got, expected, atol=1e-13)
    print(
        f"λ = {lam}: part(R·Y) = D^λ(R) part(Y), largest deviation "
        f"{np.abs(got - expected).max():.1e}"
    )

# %%
# And the transformation loses nothing: going back to Cartesian components gives
# the original tensors.

back = spherical_to_rank2(parts)
np.testing.assert_allclose(back, Y, atol=1e-15)
print(f"round trip Cartesian → spherical → Cartesian: {np.abs(back - Y).max():.1e}")

# %%
# What the parts are
# ------------------
#
# The λ = 0 part is a single number that does not change under rotations:
# :math:`D^0 = 1`. In featomic's convention it is exactly
# :math:`-\operatorname{tr} Y / \sqrt{3}`. For :math:`Y`, the trace is
# :math:`4|\boldsymbol{\mu}|^2`.
#
# The minus sign is a choice. Flip the sign of every row of one block of
# :math:`C`: the new :math:`C` is still orthogonal, and the sign appears twice in
# :math:`C\,(R\otimes R)\,C^\top`, so every block :math:`D^\lambda` stays as
# it is. Any choice of signs, one per block, splits the tensor equally well (a
# sign flipped on one row only would change :math:`D^\lambda`);
# :ref:`chapter 5.1 <sphx_glr_auto_examples_05_1_clebsch_gordan.py>` finds this
# minus sign in the coefficients that couple two vectors into λ = 0.

trace = np.trace(Y, axis1=1, axis2=2)
np.testing.assert_allclose(trace, 4 * np.sum(dipoles**2, axis=1), rtol=1e-13)
np.testing.assert_allclose(parts[0][:, 0], -trace / np.sqrt(3), rtol=1e-13)
np.testing.assert_allclose(
    parts_rotated[0].reshape(50, -1), np.tile(parts[0][:, 0], (50, 1)), atol=1e-13
)
rows = np.arange(9)  # row 0 is λ = 0, rows 1-3 λ = 1, rows 4-8 λ = 2
blocks_flipped = np.where((rows == 0) | (rows >= 4), -1.0, 1.0)  # λ = 0 and 2
flipped = C * blocks_flipped[:, None]
np.testing.assert_allclose(flipped @ flipped.T, np.eye(9), atol=1e-15)
np.testing.assert_allclose(flipped @ R_kron_R @ flipped.T, block_diag(*D), atol=1e-13)
one_row = C * np.where(rows == 4, -1.0, 1.0)[:, None]  # half of the λ = 2 block
changed = np.abs(one_row @ R_kron_R @ one_row.T - block_diag(*D)).max()
assert changed > 0.1
print(
    "λ = 0 part = −tr(Y)/√3, invariant\n"
    "whole blocks' signs flipped: the same D blocks; "
    f"one row's: D² changes by {changed:.2f}"
)

# %%
# :math:`Y` is symmetric, so its λ = 1 part vanishes: only the λ = 0 and λ = 2
# parts carry information. The λ = 1 part belongs to the antisymmetric part of a
# tensor, which :ref:`chapter 3.2 <sphx_glr_auto_examples_03_2_parts_and_parity.py>`
# explores, after drawing the λ = 0 and λ = 2 parts of :math:`Y` in 3D.

assert np.abs(parts[1]).max() < 1e-15
print(f"λ = 1 part of the symmetric Y: largest {np.abs(parts[1]).max():.0e} e²Å²")


# %%
# So of the nine numbers of :math:`Y` in the spherical basis, one (λ = 0) never
# changes, three (λ = 1) are zero, and five (λ = 2) turn together, with
# :math:`D^2`. A general tensor, not symmetric, has no zero part: one number
# never changes and eight turn, in two separate blocks of three and five, each
# of which keeps its length. We count them on the 50 rotations, for :math:`Y`
# and for a tensor :math:`G` with nine random entries (no unit).


def count_numbers(before, after):
    """How many of the nine spherical numbers are zero, never change, and
    turn, from the parts ``before`` (n, ...) and ``after`` (50, n, ...) the
    rotations."""
    before = np.concatenate([before[lam] for lam in range(3)], axis=-1)
    after = np.concatenate([after[lam] for lam in range(3)], axis=-1)
    after = after.reshape(-1, *before.shape)
    zero = np.abs(after).max(axis=(0, 1)) < 1e-12  # in every orientation
    still = np.abs(after - before).max(axis=(0, 1)) < 1e-12
    return {
        "zero": int(zero.sum()),
        "never change": int((still & ~zero).sum()),
        "turn": int((~still).sum()),
    }


G = np.random.default_rng(0).normal(size=(1, 3, 3))
G_rotated = rotations @ G @ np.swapaxes(rotations, 1, 2)  # R G Rᵀ, (50, 3, 3)
G_parts, G_parts_rotated = rank2_to_spherical(G), rank2_to_spherical(G_rotated)
counts = {
    "Y": count_numbers(parts, parts_rotated),
    "G": count_numbers(G_parts, G_parts_rotated),
}
assert counts["Y"] == {"zero": 3, "never change": 1, "turn": 5}, counts["Y"]
assert counts["G"] == {"zero": 0, "never change": 1, "turn": 8}, counts["G"]
for lam in (1, 2):  # no number leaves its block
    np.testing.assert_allclose(
        np.linalg.norm(G_parts_rotated[lam], axis=1),
        np.linalg.norm(G_parts[lam]),
        rtol=1e-13,
    )
print(
    "of 9 numbers, zero / never change / turn: "
    + "; ".join(f"{k} {' / '.join(map(str, c.values()))}" for k, c in counts.items())
)

# %%
# :ref:`Chapter 3.2 <sphx_glr_auto_examples_03_2_parts_and_parity.py>`
# draws these parts in 3D, on rotated copies of a molecule, and tells a
# vector from a pseudo-vector by their parity.

# %%
# Key points
# ----------
#
# - A rank-2 tensor turns with the 9 × 9 matrix R ⊗ R, which one fixed change of basis
#   splits into blocks of degree λ = 0, 1 and 2: the real Wigner D matrices.
# - The λ = 0 part is proportional to the trace (−tr/√3 here) and never changes; the λ =
#   1 and λ = 2 parts turn, each on its own.
# - A symmetric tensor has no λ = 1 part: one number never changes, five turn.

# %%
# Exercises
# ---------
#
# 1. **Rotate a quadrupole.** The quadrupole moment of a molecule about its
#    oxygen atom, :math:`\Theta = \tfrac12 \sum_a q_a (3\,\mathbf{r}_a
#    \mathbf{r}_a^\top - r_a^2\, \mathbb{1})` (e·Å², with the PS charges
#    :func:`~tutorial_helpers.water_model.ps_charges`), is symmetric and
#    traceless. Which of its spherical parts are non-zero, so how many numbers
#    must you turn? Turn molecule 60 of the dataset by the ZYZ angles
#    (α, β, γ) = (30°, 60°, 90°), and predict its new quadrupole with this
#    page's Wigner D matrices alone; then check against the quadrupole of the
#    turned atoms.
# 2. **A rotation's angle and axis, from its parts.** A rotation matrix is
#    itself a rank-2 tensor (with no unit). Split the page's first rotation
#    ``R`` into its parts and read its angle ω from the λ = 0 part
#    (:math:`\operatorname{tr} R = 1 + 2\cos\omega`) and its axis from the
#    λ = 1 part. Hint: :math:`C` is orthogonal, so the λ = 1 part has the
#    Frobenius norm of the antisymmetric part :math:`(R - R^\top)/2`, which is
#    :math:`\sqrt{2}\sin\omega`.
# 3. **What each block knows of a rotation.** The trace of a block,
#    :math:`\chi^\lambda(R) = \operatorname{tr} D^\lambda(R)`, does not change
#    with the basis. Show, on the page's 50 rotations, that it depends only on
#    the angle ω of the rotation and not on its axis, as
#    :math:`\chi^\lambda = \sum_{m=-\lambda}^{\lambda} \cos m\omega`, and
#    that the three traces add up to :math:`\operatorname{tr}(R\otimes R)`.
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · Rotate a quadrupole


def quadrupole(atoms):
    """Θ = ½ Σ q (3 r rᵀ − r² 1) of one molecule (O, H, H; Å) about the origin,
    with the PS charges, in e·Å²."""
    charges = ps_charges(atoms)[0]  # e
    r_r = np.einsum("ai,aj->aij", atoms, atoms)
    r2 = np.einsum("ai,ai->a", atoms, atoms)
    return 0.5 * np.einsum(
        "a,aij->ij", charges, 3 * r_r - r2[:, None, None] * np.eye(3)
    )


molecule = positions[60] - positions[60, 0]  # the oxygen atom at the origin, Å
quadrupole_parts = rank2_to_spherical(quadrupole(molecule)[None])
nonzero = [lam for lam in range(3) if np.abs(quadrupole_parts[lam]).max() > 1e-12]
print(f"non-zero parts of Θ: λ = {nonzero}, so {2 * nonzero[0] + 1} numbers turn")
assert nonzero == [2]

turn = np.radians([30.0, 60.0, 90.0])  # α, β, γ
predicted = wigner_d_real(2, *turn) @ quadrupole_parts[2][0]  # e·Å²
rebuilt = spherical_to_rank2({**quadrupole_parts, 2: predicted[None]})[0]  # Θ, e·Å²
turned = quadrupole(molecule @ rotation_matrix(*turn).T)  # of the turned atoms
computed = rank2_to_spherical(turned[None])[2][0]
print(f"the turned Θ, rebuilt from D² alone (e·Å²):\n{np.round(rebuilt, 4)}")
print(f"deviation from the turned atoms' Θ: {np.abs(turned - rebuilt).max():.0e}")
np.testing.assert_allclose(computed, predicted, atol=1e-13)
np.testing.assert_allclose(turned, rebuilt, atol=1e-13)

# %%
# A symmetric traceless tensor is a pure λ = 2 object: five numbers that turn
# with :math:`D^2(R)`, instead of nine that turn with :math:`R \otimes R`.
#
# .. solution:: 2 · A rotation's angle and axis, from its parts

R_parts = rank2_to_spherical(R[None])
cos_omega = (-np.sqrt(3) * R_parts[0][0, 0] - 1) / 2  # from tr R = −√3 λ₀
sin_omega = np.linalg.norm(R_parts[1][0]) / np.sqrt(2)
omega = np.arctan2(sin_omega, cos_omega)  # rad, in [0, π]
axis = R_parts[1][0][[2, 0, 1]] / np.linalg.norm(R_parts[1][0])  # (y, z, x) → xyz
print(f"ω = {np.degrees(omega):.2f}°, axis ±{np.round(axis, 4)}")

reference = Rotation.from_matrix(R).as_rotvec()  # axis × angle, from scipy
np.testing.assert_allclose(omega, np.linalg.norm(reference), atol=1e-12)
np.testing.assert_allclose(abs(axis @ reference), np.linalg.norm(reference), atol=1e-12)
np.testing.assert_allclose(R @ axis, axis, atol=1e-12)  # R leaves its axis alone
print(f"scipy: ω = {np.degrees(np.linalg.norm(reference)):.2f}°, same axis")

# %%
# The axis comes out up to its sign: fixing the sign needs featomic's sign
# convention for the λ = 1 part of an antisymmetric tensor, which chapter 3.2
# measures. The angle is invariant: turning :math:`R` as a tensor,
# :math:`Q R Q^\top`, gives a rotation by the same angle about the turned
# axis, and the λ = 0 part stays as it is.

conjugated = rank2_to_spherical(rotations @ R @ np.swapaxes(rotations, 1, 2))
np.testing.assert_allclose(conjugated[0], R_parts[0][0, 0], atol=1e-14)
np.testing.assert_allclose(
    conjugated[1],
    np.einsum("kmp,p->km", wigner_d_real(1, *angles), R_parts[1][0]),
    atol=1e-14,
)
print("the parts of Q R Qᵀ for 50 rotations Q: λ = 0 unchanged, λ = 1 turned by D¹")

# %%
# .. solution:: 3 · What each block knows of a rotation

omegas = Rotation.from_matrix(rotations).magnitude()  # rad, one per rotation
traces = []
for lam in range(3):
    chi = np.trace(wigner_d_real(lam, *angles), axis1=1, axis2=2)
    expected = sum(np.cos(m * omegas) for m in range(-lam, lam + 1))
    np.testing.assert_allclose(chi, expected, atol=1e-13)
    traces.append(chi)
    print(f"tr D^{lam} = Σ cos mω over |m| ≤ {lam}: checked on 50 rotations")
kron_traces = np.trace([np.kron(Rk, Rk) for Rk in rotations], axis1=1, axis2=2)
np.testing.assert_allclose(sum(traces), kron_traces, atol=1e-13)
np.testing.assert_allclose(kron_traces, np.trace(rotations, axis1=1, axis2=2) ** 2)
print("tr D⁰ + tr D¹ + tr D² = tr(R ⊗ R) = (tr R)²: checked")

# %%
# A trace does not change under a change of basis, so the traces of the
# blocks add up to that of :math:`R\otimes R`. Each of them depends on ω
# alone: two rotations by the same angle about different axes are the same
# rotation seen from another frame, :math:`Q R Q^\top`, and the trace does not
# see the frame.
