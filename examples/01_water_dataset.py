"""
1 · The water dataset
=====================

Every chapter of this tutorial uses the same small dataset: one water molecule,
stretched and bent on a grid, with its energy, the forces on its atoms and its
dipole moment. At the end of this page you will know what each of these
quantities is, in which units, how they vary over the grid, and how to store
them in metatensor TensorMaps, the format that featomic's descriptors use too.

.. note::

    This is the first chapter: nothing to read before it. The units and the sign
    of gradients used here are fixed once on the :ref:`conventions` page, which
    the chapters link to where they need it.
"""

# %%
import chemiscope
import matplotlib.pyplot as plt
import numpy as np

from tutorial_helpers.dataset import dataset_path, load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.tensormaps import (
    dipole_tensormap,
    dipoles_from_tensormap,
    energies_from_tensormap,
    energy_tensormap,
    forces_from_tensormap,
)
from tutorial_helpers.units import EA_TO_DEBYE
from tutorial_helpers.visualisation import (
    atom_arrows,
    structure_properties,
    top_view_camera,
)

use_style()

# %%
# Loading the frames
# ------------------
#
# :func:`tutorial_helpers.dataset.load_water_dataset` returns a list of
# :class:`ase.Atoms`, one per geometry. It finds the data file wherever the helpers
# are installed, so this line works in a clone of the repository and in a
# downloaded copy of this script alike.

frames = load_water_dataset()
print(f"{len(frames)} frames of {frames[0].get_chemical_formula()}")
print("info of the first frame:", sorted(frames[0].info))
print("arrays of the first frame:", sorted(frames[0].arrays))

# %%
# The geometries
# --------------
#
# Each molecule lies in the xy plane with the oxygen at the origin and the bisector
# of the H–O–H angle along +y. Two internal coordinates vary:
#
# - the asymmetric stretch :math:`\Delta r = r_2 - r_1`, from +0.5 Å to −0.5 Å,
#   with :math:`r_1 + r_2 = 1.9` Å fixed (``OH1``, ``OH2`` and ``nu_prime`` in
#   ``info``: the data file keeps the name ν′ of the original dataset, which
#   would clash here with the correlation order ν of chapter 5);
# - the bending angle :math:`\theta` from 60° to 160° (``HOH``).
#
# The 11 × 11 grid is stored with θ varying fastest.

oh1 = np.array([atoms.info["OH1"] for atoms in frames])  # Å
oh2 = np.array([atoms.info["OH2"] for atoms in frames])  # Å
theta = np.array([atoms.info["HOH"] for atoms in frames])  # degrees
delta_r = np.array([atoms.info["nu_prime"] for atoms in frames])  # Å, r2 − r1
print("Δr values (Å):", np.unique(delta_r))
print("θ values (°):", np.unique(theta))

# %%
# What is learned: energy, forces, dipole
# ---------------------------------------
#
# - The **energy** :math:`E` (eV) is a number per molecule, computed with the
#   Partridge–Schwenke (PS) potential energy surface :cite:p:`partridge1997`. Zero
#   is the minimum of the PS surface, at :math:`r = 0.9578` Å and
#   :math:`\theta = 104.5°`.
# - The **forces** :math:`\mathbf{F}_i = -\partial E/\partial \mathbf{r}_i`
#   (eV/Å) are one 3-vector per atom. Since the energy does not change when the
#   whole molecule moves, they sum to zero.
# - The **dipole** :math:`\boldsymbol{\mu} = \sum_i q_i \mathbf{r}_i` (e·Å) is one
#   3-vector per molecule, built from the PS position-dependent charges
#   :math:`q_i`. 1 e·Å = 4.803 D; water's dipole at equilibrium is about 1.86 D.

energy = np.array([atoms.info["energy"] for atoms in frames])  # eV
forces = np.array([atoms.arrays["forces"] for atoms in frames])  # eV/Å
dipole = np.array([atoms.info["dipole"] for atoms in frames])  # e·Å

print(f"energy: {energy.min():.3f} ... {energy.max():.3f} eV")
print(f"largest force component: {np.abs(forces).max():.2f} eV/Å")
print(
    f"|μ|: {np.linalg.norm(dipole, axis=1).min() * EA_TO_DEBYE:.2f} ... "
    f"{np.linalg.norm(dipole, axis=1).max() * EA_TO_DEBYE:.2f} D"
)

net_force = np.abs(forces.sum(axis=1)).max()
assert net_force < 1e-7
print(f"largest net force on a molecule: {net_force:.1e} eV/Å")

# %%
# The energy over the grid
# ------------------------
#
# Reshaped to the 11 × 11 grid, the energy has its valley along θ ≈ 104° at
# Δr = 0 and rises steeply as one bond is compressed. It is symmetric under
# :math:`\Delta r \to -\Delta r`: swapping the two hydrogens gives the same
# molecule. The dipole's x component (across the bisector) changes sign under the
# same swap, while its y component (along the bisector) does not.

grid_energy = energy.reshape(11, 11)  # rows: Δr from +0.5 to −0.5 Å; columns: θ
grid_dipole = dipole.reshape(11, 11, 3)

swap_energy = np.abs(grid_energy - grid_energy[::-1]).max()
swap_dipole = np.abs(grid_dipole - grid_dipole[::-1] * [-1, 1, 1]).max()
assert swap_energy < 1e-12 and swap_dipole < 1e-12
print(
    f"E(Δr) − E(−Δr): {swap_energy:.1e} eV; "
    f"μ(Δr) − mirrored μ(−Δr): {swap_dipole:.1e} e·Å"
)

delta_axis, theta_axis = delta_r.reshape(11, 11)[:, 0], theta.reshape(11, 11)[0]
fig, ax = plt.subplots(figsize=figure_size(3.8))
mesh = ax.pcolormesh(
    theta_axis, delta_axis, grid_energy, cmap="viridis", shading="nearest"
)
levels = ax.contour(
    theta_axis,
    delta_axis,
    grid_energy,
    levels=[0.25, 1, 3],
    colors="white",
    linewidths=1,
)
ax.clabel(levels, fmt="%g eV")
fig.colorbar(mesh, ax=ax, label="energy / eV")
ax.set_title("PS energy over the grid")
ax.set_xlabel("θ (H–O–H angle) / °")
ax.set_ylabel("Δr = r₂ − r₁ / Å")
plt.show()
# sphinx_gallery_thumbnail_number = 1

# %%
# The dipole's magnitude is the same at Δr and −Δr as well, and it decreases at every
# Δr as the angle opens: the two O–H bonds point more and more against each other.

grid_dipole_norm = np.linalg.norm(grid_dipole, axis=2) * EA_TO_DEBYE  # D
assert np.all(np.diff(grid_dipole_norm, axis=1) < 0)  # along θ, at every Δr

fig, ax = plt.subplots(figsize=figure_size(3.8))
mesh = ax.pcolormesh(
    theta_axis, delta_axis, grid_dipole_norm, cmap="magma", shading="nearest"
)
fig.colorbar(mesh, ax=ax, label="|μ| / D")
ax.set_title("PS dipole magnitude over the grid")
ax.set_xlabel("θ (H–O–H angle) / °")
ax.set_ylabel("Δr = r₂ − r₁ / Å")
plt.show()

# %%
# Exploring the structures
# ------------------------
#
# The chemiscope widget below shows the same data: each point of the map is a
# geometry, at its (θ, Δr) coordinates and coloured by its energy, as in the
# first figure. It opens on the symmetric molecule bent to
# θ = 70°, at a much smaller angle than the valley and high up its wall: 0.97 eV,
# against 0.019 eV at the grid's lowest point. The forces on its atoms are drawn
# as purple arrows (0.15 Å per eV/Å): they push the two hydrogens apart, to open
# the angle. Click another point to see its molecule and forces. The viewer
# looks down the z axis, x to the right and y up, and keeps that view for every
# molecule: they all lie flat in the xy plane.

properties = structure_properties(
    {
        "θ": (theta, "°", "H–O–H angle"),
        "Δr": (delta_r, "Å", "asymmetric stretch r2 − r1"),
        "OH1": (oh1, "Å", "O–H1 bond length"),
        "OH2": (oh2, "Å", "O–H2 bond length"),
        "energy": (energy, "eV", "PS energy, zero at the minimum"),
        "dipole_norm": (
            np.linalg.norm(dipole, axis=1) * EA_TO_DEBYE,
            "D",
            "magnitude of the PS dipole",
        ),
    }
)
shapes = {"forces": atom_arrows(forces, scale=0.15, color="#7b3294", radius=0.05)}
opening = int(np.flatnonzero(np.isclose(delta_r, 0.0) & np.isclose(theta, 70.0))[0])
print(
    f"opening molecule: {energy[opening]:.2f} eV; "
    f"lowest of the grid: {energy.min():.3f} eV"
)
assert round(energy[opening], 2) == 0.97 and round(energy.min(), 3) == 0.019
hydrogens_x = frames[opening].positions[1:, 0]  # Å, H1 on the −x side, H2 on the +x
assert np.all(np.sign(forces[opening, 1:, 0]) == np.sign(hydrogens_x))  # apart
assert all(np.all(atoms.positions[:, 2] == 0.0) for atoms in frames)  # flat in xy
settings = chemiscope.quick_settings(
    x="θ",
    y="Δr",
    map_settings={"color": {"property": "energy", "palette": "viridis"}},
    structure_settings={
        "axes": "off",
        "keepOrientation": True,
        "shape": "forces",
        # the oxygen at the origin, the hydrogens above it, up to 1.2 Å to the sides
        "camera": top_view_camera([0.0, 0.4, 0.0], half_width=1.9),
    },
) | {"pinned": [opening]}
metadata = {
    "name": "the 121 water molecules of the dataset",
    "description": (
        "Map of the asymmetric stretch (Angstrom) against the H-O-H angle "
        "(degrees), one point per molecule, coloured by the PS energy (eV), lowest "
        "near 104 degrees and zero stretch; the viewer shows the selected molecule "
        "in the xy plane with the forces on its atoms as purple arrows."
    ),
}
chemiscope.show(
    frames, properties=properties, shapes=shapes, settings=settings, metadata=metadata
)

# %%
# Energies and forces as a TensorMap
# ----------------------------------
#
# metatensor stores data in *blocks*: a 2D-or-more array of values whose every
# axis is described by metadata (:class:`metatensor.Labels`). A TensorMap is a
# set of blocks, each identified by a *key*. An energy has a single block:
#
# - **samples** (rows): one per ``system``;
# - **components**: none, the energy is a scalar;
# - **properties** (columns): one, ``energy``.
#
# The forces are attached to this block as its ``positions`` **gradient**. The
# gradient's samples are ``(sample, system, atom)``, where ``sample`` is the row of
# the energy it differentiates, and its component ``xyz`` is the Cartesian
# direction. A gradient is :math:`\partial E/\partial \mathbf{r}`, so it holds
# **minus** the forces.

energy_tensor = energy_tensormap(frames)
print(energy_tensor)
block = energy_tensor.block()
print(block)
gradient = block.gradient("positions")
print("gradient samples:", gradient.samples.names)
print("first four:", gradient.samples.values[:4].tolist(), "...")
print("gradient components:", [c.names for c in gradient.components])

gradient_values = gradient.values[:, :, 0].reshape(len(frames), 3, 3)
np.testing.assert_array_equal(gradient_values, -forces)
print("positions gradient = −forces: checked exactly")

# %%
# The helpers convert back to arrays, so nothing is lost on the way:

np.testing.assert_array_equal(energies_from_tensormap(energy_tensor), energy)
np.testing.assert_array_equal(forces_from_tensormap(energy_tensor), forces)

# %%
# The dipole as a spherical tensor
# --------------------------------
#
# A dipole rotates like a position, so it is stored as a spherical tensor of degree
# λ = 1 (:ref:`chapter 3.1 <sphx_glr_auto_examples_03_1_wigner_d_blocks.py>`
# explains the degree): the key says ``o3_lambda = 1`` (and ``o3_sigma = 1``, a
# polar vector; :ref:`chapter 3.2 <sphx_glr_auto_examples_03_2_parts_and_parity.py>`
# defines σ), and the block has one *component* axis ``o3_mu`` with values −1, 0, 1.
# Following :ref:`featomic's order <conventions-spherical>` these are the
# (y, z, x) Cartesian components.

dipole_tensor = dipole_tensormap(frames)
print(dipole_tensor)
dipole_block = dipole_tensor.block(o3_lambda=1, o3_sigma=1)
print("components:", dipole_block.components[0])
np.testing.assert_array_equal(dipole_block.values[:, :, 0], dipole[:, [1, 2, 0]])
np.testing.assert_array_equal(dipoles_from_tensormap(dipole_tensor), dipole)
print("o3_mu = −1, 0, 1 holds μ_y, μ_z, μ_x: checked exactly")

# %%
# All the molecules lie in the xy plane, so :math:`\mu_z`, the ``o3_mu = 0``
# component, is zero everywhere. The next chapter rotates them out of the plane.

assert np.abs(dipole_block.values[:, 1, 0]).max() == 0.0

# %%
# Key points
# ----------
#
# - The dataset is one water molecule in 121 geometries in the xy plane, each with its
#   PS energy (eV), the forces on its atoms (eV/Å) and its dipole (e·Å).
# - The forces are minus the gradient of the energy, so a TensorMap's ``positions``
#   gradient of the energy holds −F.
# - Swapping the two hydrogens leaves the energy as it is and flips the dipole's x
#   component.
# - A dipole is stored as a spherical tensor whose three components come in featomic's
#   order (y, z, x).

# %%
# Exercises
# ---------
#
# 1. **The bottom of the grid.** Which molecule of the grid has the lowest
#    energy? Give its Δr and θ, and the largest force component on its atoms.
#    Is it zero, and should it be?
# 2. **No torque either.** The forces on each molecule sum to zero because the
#    energy does not change when the molecule moves. The energy does not change
#    when it turns either (:ref:`the next chapter
#    <sphx_glr_auto_examples_02_rotations_and_vectors.py>` checks it): compute
#    the torque :math:`\sum_i \mathbf{r}_i \times \mathbf{F}_i` (eV) on every
#    molecule and check how large it gets. Since the forces sum to zero, the
#    torque is the same about any point; take it about the origin.
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · The bottom of the grid

lowest = int(np.argmin(energy))
largest_force = np.abs(forces[lowest]).max()  # eV/Å
print(
    f"lowest energy: {energy[lowest]:.4f} eV at Δr = {delta_r[lowest]:.1f} Å, "
    f"θ = {theta[lowest]:.0f}°; largest force component {largest_force:.2f} eV/Å"
)
assert delta_r[lowest] == 0.0 and theta[lowest] == 100.0
assert oh1[lowest] == oh2[lowest] == 0.95 and largest_force > 0.1
second = int(np.argsort(energy)[1])
gap = energy[second] - energy[lowest]  # eV
print(f"next: θ = {theta[second]:.0f}° at Δr = 0, {gap * 1000:.1f} meV higher")
assert delta_r[second] == 0.0 and theta[second] == 110.0 and 1e-3 < gap < 1.5e-3

# %%
# The forces are not zero, and should not be: the grid's θ = 100° is not the
# minimum's 104.5°, and its bonds (0.95 Å each) are not at 0.9578 Å. Forces
# vanish only at the minimum of the surface itself, which lies between grid
# points (θ = 110° comes second, about 1 meV higher).
#
# .. solution:: 2 · No torque either

positions = np.array([atoms.positions for atoms in frames])  # Å
torque = np.cross(positions, forces).sum(axis=1)  # eV, one 3-vector per molecule
print(f"largest torque component: {np.abs(torque).max():.1e} eV")
assert np.abs(torque).max() < 1e-6
lines = dataset_path().read_text().splitlines()  # the raw data file
words = [w for line in lines if line[:2] in ("O ", "H ") for w in line.split()[1:]]
decimals = {len(word.split(".")[1]) for word in words}  # of positions and forces
print(f"decimals in the file: {decimals}; forces up to {np.abs(forces).max():.0f} eV/Å")
assert decimals == {8} and round(np.abs(forces).max()) == 43

# %%
# It vanishes: an energy that does not change under rotations exerts no torque.
# What is left, below 10⁻⁶ eV, is the rounding of the data file, which keeps
# positions and forces to eight decimals (forces up to 43 eV/Å). The molecules
# are flat in xy, so only the z component could have been non-zero.
