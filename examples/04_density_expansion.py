"""
4 · Density expansion coefficients
==================================

To learn a property of a molecule we first need to describe the molecule with
numbers that behave predictably under rotations. The standard starting point is
the density of neighbours around each atom, expanded on radial functions times
real spherical harmonics. At the end of this page you will know how featomic
computes these *density expansion coefficients*, how they are stored in a
TensorMap, what they look like as a density in space, and how they transform
under translations, rotations and inversion: as spherical tensors, rotated by the
Wigner D matrices of :ref:`chapter 3 <sphx_glr_auto_examples_03_spherical_tensors.py>`.

.. note::

    Read :ref:`sphx_glr_auto_examples_03_spherical_tensors.py` and
    :ref:`sphx_glr_auto_examples_01_water_dataset.py` (TensorMaps) first.
"""

# %%
import ase
import chemiscope
import featomic
import matplotlib.pyplot as plt
import metatensor
import numpy as np

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.density import (
    cubic_grid,
    density_by_degree,
    expansion_density,
    gaussian_density,
    gaussian_integral,
    isosurface,
)
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.rotations import (
    matrix_to_angles,
    random_rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.spherical import real_spherical_harmonics
from tutorial_helpers.symmetry_check import transform_frames
from tutorial_helpers.visualisation import (
    bare_structures,
    structure_meshes,
    structure_properties,
)

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
# the same value gives one more function today.) We also ask for the gradients of
# the coefficients with respect to the atomic positions.

hypers = {
    "cutoff": {"radius": 4.0, "smoothing": {"type": "ShiftedCosine", "width": 0.5}},
    "density": {"type": "Gaussian", "width": 0.3},
    "basis": {
        "type": "TensorProduct",
        "max_angular": 6,
        "radial": {"type": "Gto", "max_radial": 5},
    },
}
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
distances = np.linspace(0.01, r_c + 0.2, 300)  # Å
radial_functions = featomic.basis.Gto(
    max_radial=hypers["basis"]["radial"]["max_radial"], radius=r_c
).compute(distances, derivative=False)  # (distances, n)
smoothing = featomic.cutoff.ShiftedCosine(width=hypers["cutoff"]["smoothing"]["width"])
f_c = smoothing.compute(r_c, distances, derivative=False)

far = np.linspace(0.0, 12.0, 40001)  # Å; the functions are negligible beyond
R_far = featomic.basis.Gto(
    max_radial=hypers["basis"]["radial"]["max_radial"], radius=r_c
).compute(far, derivative=False)
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
ax.axvspan(0.7, 1.2, color="0.85", label="O–H bonds")
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
# Seeing the density
# ------------------
#
# The expansion is only useful if it describes the density. We rebuild the
# neighbour density around the oxygen of one molecule, in the plane of the
# molecule, from its coefficients, using featomic's radial functions
# (:class:`featomic.basis.Gto`) and our real spherical harmonics
# (:func:`tutorial_helpers.spherical.real_spherical_harmonics`), summed by
# :func:`tutorial_helpers.density.expansion_density`, and compare it with the sum
# of Gaussians it comes from (:func:`tutorial_helpers.density.gaussian_density`).
# The truncated expansion converges to the exact density as the basis grows. Each
# panel's title gives the basis by the largest indices it keeps, n ≤
# ``max_radial`` and l ≤ ``max_angular``, and its error: the L2 distance to the
# sum of Gaussians on the slice, relative to the norm of the sum of Gaussians.

molecule = frames[60]
grid = np.linspace(-2.2, 2.2, 89)  # Å
gx, gy = np.meshgrid(grid, grid)
# just above the plane, so that no point is the oxygen itself (r̂ undefined)
points = np.stack([gx.ravel(), gy.ravel(), np.full(gx.size, 1e-9)], axis=1)
width = hypers["density"]["width"]  # w, in Å
neighbors = molecule.positions - molecule.positions[0]  # O (itself), H1, H2; Å
exact = gaussian_density(neighbors, points, width)


def reconstruct(max_radial, max_angular, neighbor_types=None):
    """Density around the O of ``molecule`` rebuilt from its coefficients (of the
    given neighbour types, default all) on the slice, in Å^-3/2."""
    basis = {
        "type": "TensorProduct",
        "max_angular": max_angular,
        "radial": {"type": "Gto", "max_radial": max_radial},
    }
    calc = featomic.SphericalExpansion(
        cutoff=hypers["cutoff"], density=hypers["density"], basis=basis
    )
    radial = featomic.basis.Gto(max_radial=max_radial, radius=r_c)
    return expansion_density(
        calc.compute(molecule),
        points,
        radial,
        center=(0, 0),
        neighbor_types=neighbor_types,
    )


def slice_error(rebuilt, target=exact):
    """L2 distance on the slice, relative to the norm of the whole density."""
    return np.linalg.norm(rebuilt - target) / np.linalg.norm(exact)


# (max_radial, max_angular); (5, 6) is this chapter's basis
basis_sizes = [(3, 4), (5, 6), (7, 8), (11, 12)]
shown = [(3, 4), (5, 6), (11, 12)]
errors = []
densities = {}
for n_max, l_max in basis_sizes:
    densities[n_max, l_max] = reconstruct(n_max, l_max)
    errors.append(slice_error(densities[n_max, l_max]))
    print(
        f"max_radial = {n_max:2d}, max_angular = {l_max:2d}: "
        f"relative error of the rebuilt density {errors[-1]:.3f}"
    )
assert all(a > b for a, b in zip(errors[:-1], errors[1:], strict=True))
assert errors[-1] < 0.03

vmax = exact.max()
chapter_basis = (
    hypers["basis"]["radial"]["max_radial"],
    hypers["basis"]["max_angular"],
)
fig, axes = plt.subplots(2, 2, figsize=figure_size(6.6), sharex=True, sharey=True)
panels = [
    (
        densities[k],
        f"n ≤ {k[0]}, l ≤ {k[1]}"
        + (" (this chapter)" if k == chapter_basis else "")
        + f"\nerror {errors[basis_sizes.index(k)]:.2f}",
    )
    for k in shown
] + [(exact, "sum of Gaussians\n(the target)")]
for ax, (values, title) in zip(axes.flat, panels, strict=True):
    image = ax.contourf(
        gx,
        gy,
        values.reshape(gx.shape),
        levels=np.linspace(-0.2, 1, 25) * vmax,
        cmap="viridis",
        extend="both",
    )
    ax.plot(*neighbors[:1, :2].T, "o", color="tab:red", markersize=9, label="O")
    ax.plot(
        *neighbors[1:, :2].T,
        "o",
        color="white",
        markeredgecolor="k",
        markersize=7,
        label="H",
    )
    ax.set_aspect("equal")
    ax.set_title(title)
    ax.set_xticks([-2, -1, 0, 1, 2])
    ax.set_yticks([-2, -1, 0, 1, 2])
for ax in axes[1]:
    ax.set_xlabel("x / Å")
for ax in axes[:, 0]:
    ax.set_ylabel("y / Å")
axes[1, 1].legend(loc="lower right")
fig.colorbar(image, ax=axes, ticks=[0, 1, 2], shrink=0.7, label="density / Å$^{-3/2}$")
plt.show()

# %%
# At this chapter's basis the rebuilt density is still far from the sum of
# Gaussians, and most of that error is **radial**: with ``max_radial = 5``, six
# radial functions scaled to the 4 Å cutoff cannot follow Gaussians 0.3 Å wide.
# Doubling ``max_angular`` alone leaves the error where it is; doubling the number
# of radial functions alone cuts it by more than half.
#
# Which atoms does it come from? The density is the sum of two blocks, which we
# rebuild apart: ``neighbor_type = 8``, the oxygen's own Gaussian at the centre
# (spherical, so all in l = 0 and truncated only radially), and
# ``neighbor_type = 1``, the two hydrogens. The oxygen's sharp peak is part of the
# error, but the hydrogens carry most of it: more than half of its square (the
# squares of the two parts add up to the total's, up to a cross term). All errors
# are relative to the norm of the whole density on the slice, as above.

n_c, l_c = chapter_basis
total = errors[basis_sizes.index(chapter_basis)]
more_angular = slice_error(reconstruct(n_c, 2 * l_c))
more_radial = slice_error(reconstruct(2 * n_c + 1, l_c))
own = gaussian_density(neighbors[:1], points, width)  # the O's Gaussian, Å^-3/2
oxygen_alone = reconstruct(n_c, l_c, neighbor_types=[8])
oxygen_part = slice_error(oxygen_alone, own)
hydrogen_part = slice_error(reconstruct(n_c, l_c, neighbor_types=[1]), exact - own)
print(f"max_radial = {n_c}, max_angular = {l_c} (this chapter): error {total:.3f}")
print(f"  with max_angular = {2 * l_c}: {more_angular:.3f}")
print(f"  with max_radial = {2 * n_c + 1}: {more_radial:.3f}")
print(
    f"  the oxygen's own Gaussian alone: {oxygen_part:.3f} "
    f"({oxygen_part * np.linalg.norm(exact) / np.linalg.norm(own):.3f} of its "
    f"own norm),\n    {oxygen_part**2 / total**2:.0%} of the squared error"
)
print(
    f"  the two hydrogens alone: {hydrogen_part:.3f},\n"
    f"    {hydrogen_part**2 / total**2:.0%} of the squared error"
)
# the oxygen's own Gaussian is all in l = 0: max_angular = 0 rebuilds the same part
np.testing.assert_allclose(
    reconstruct(n_c, 0, neighbor_types=[8]), oxygen_alone, atol=1e-12
)
assert more_angular > 0.9 * total, "the angular truncation is not what limits"
assert more_radial < 0.5 * total, "the radial truncation is what limits"
assert hydrogen_part**2 > total**2 / 2 > oxygen_part**2, "the H carry most error"

# %%
# The density in 3D
# -----------------
#
# A slice shows one plane. Let us look at the whole density of the **hydrogen**
# neighbours around the oxygen (the oxygen's own Gaussian, at the centre, is
# spherical and so all in l = 0), as the surface where it equals
# :math:`0.2\ \text{Å}^{-3/2}`. We take a larger radial basis, ``max_radial = 14``, so
# that the truncation in l is what limits the picture, and sum the expansion on a
# cubic grid of 0.2 Å with :func:`tutorial_helpers.density.density_by_degree`,
# which returns the part of each angular index l: the expansion truncated at
# :math:`l_\mathrm{max}` is the sum of the parts l ≤ :math:`l_\mathrm{max}`.
# :func:`tutorial_helpers.density.isosurface` triangulates each surface with
# scikit-image's marching cubes.
#
# The radial functions are orthonormal, and so are the harmonics, so each
# truncation is the orthogonal projection of the density on a smaller basis:
# its error can only shrink as :math:`l_\mathrm{max}` grows. And only l = 0
# has a non-zero integral, so every truncation holds the same amount of density,
# :math:`\int\rho = N \int g = N\,(4\pi w^2)^{3/4}` for :math:`N = 2`
# hydrogens.

L_3D, N_3D = 8, 14  # max_angular and max_radial of the 3D pictures
hypers_3d = hypers | {
    "basis": {
        "type": "TensorProduct",
        "max_angular": L_3D,
        "radial": {"type": "Gto", "max_radial": N_3D},
    }
}
calculator_3d = featomic.SphericalExpansion(**hypers_3d)
radial_3d = featomic.basis.Gto(max_radial=N_3D, radius=r_c)
spacing = 0.2  # Å
axis, grid_points = cubic_grid(half_width=1.8, spacing=spacing)
shape = (len(axis),) * 3


def hydrogen_density_by_truncation(atoms, points):
    """Row l_max: the H density around the O of ``atoms`` at ``points`` (Å),
    expanded up to l = l_max, in Å^-3/2."""
    parts = density_by_degree(
        calculator_3d.compute(atoms),
        points,
        radial_3d,
        center=(0, 0),
        neighbor_types=[1],
    )
    return np.cumsum(parts, axis=0)


truncated = hydrogen_density_by_truncation(molecule, grid_points)
target = gaussian_density(neighbors[1:], grid_points, width)
errors_3d = np.linalg.norm(truncated - target, axis=1) / np.linalg.norm(target)
for l_max, error in enumerate(errors_3d):
    print(f"l_max = {l_max}: relative error {error:.4f}")
assert np.all(np.diff(errors_3d) < 0), "the error must shrink as l_max grows"
assert errors_3d[-1] < 0.05

hydrogens = truncated.sum(axis=1) * spacing**3 / gaussian_integral(width)
np.testing.assert_allclose(hydrogens, 2.0, atol=1e-2)
print(f"∫ρ / ∫g for every truncation: {hydrogens.min():.4f} ... {hydrogens.max():.4f}")

# %%
# Rotating the molecule rotates this density: the expansion of the rotated
# molecule, evaluated at a rotated point :math:`R\mathbf{r}`, equals the
# expansion of the original one at :math:`\mathbf{r}`, for every truncation.

R = random_rotation_matrix(1, seed=9)[0]
turned = transform_frames([molecule], R)[0]
turned_density = hydrogen_density_by_truncation(turned, grid_points @ R.T)
np.testing.assert_allclose(turned_density, truncated, atol=1e-10)
print(
    "ρ_rotated(R r) = ρ(r) for every l_max: largest deviation "
    f"{np.abs(turned_density - truncated).max():.1e} Å^-3/2"
)

# %%
# The surfaces, for three truncations (orange, titled by the angular indices they
# keep), seen from above the plane of the molecule (O in red, H in white): with
# :math:`l_\mathrm{max} = 0` the two hydrogens are smeared over a spherical shell,
# :math:`l_\mathrm{max} = 1` shifts it towards the side where they are, and by
# :math:`l_\mathrm{max} = 8` they are two blobs around the atoms, close to the sum
# of Gaussians (grey, bottom right).

LEVEL = 0.2  # Å^-3/2
surfaces = [isosurface(values.reshape(shape), axis, LEVEL) for values in truncated]
exact_surface = isosurface(target.reshape(shape), axis, LEVEL)

fig = plt.figure(figsize=figure_size(6.0))
drawings = [
    (surfaces[l_max], f"l ≤ {l_max}, error {errors_3d[l_max]:.2f}")
    for l_max in [0, 1, L_3D]
] + [(exact_surface, "sum of Gaussians")]
# the same cube, around all that is drawn, in every panel
drawn = np.concatenate([vertices for (vertices, _), _ in drawings])
middle = (drawn.min(axis=0) + drawn.max(axis=0)) / 2  # Å
half = (drawn.max(axis=0) - drawn.min(axis=0)).max() / 2  # Å
for k, ((vertices, triangles), title) in enumerate(drawings):
    ax = fig.add_subplot(2, 2, k + 1, projection="3d", computed_zorder=False)
    ax.plot_trisurf(
        *vertices.T,
        triangles=triangles,
        color="0.45" if k == 3 else "#e66101",
        alpha=0.5,
        linewidth=0,
    )
    # drawn after the surfaces and over them, where the surface hides an atom
    ax.scatter(*neighbors[:1].T, s=160, color="tab:red", depthshade=False)
    ax.scatter(*neighbors[1:].T, s=90, color="white", edgecolor="k", depthshade=False)
    ax.set(
        xlim=middle[0] + [-half, half],
        ylim=middle[1] + [-half, half],
        zlim=middle[2] + [-half, half],
    )
    ax.set_box_aspect((1, 1, 1), zoom=1.5)
    ax.view_init(elev=60, azim=-90)  # from above the plane of the molecule (xy)
    ax.set_axis_off()
    ax.set_title(title)
fig.suptitle(f"where the hydrogen density equals {LEVEL} Å$^{{-3/2}}$")
plt.show()

# %%
# In the widget, each point of the map is one truncation. The viewer shows its
# surface (orange) around the molecule, and below it, at the same scale and
# without the atoms, the surface of the density itself (grey), the limit. Click
# through the map, or press play under the viewer, to watch the top surface take
# the shape of the bottom one. It opens on a truncation between the shell and the
# two blobs.

frame_positions = np.repeat(neighbors[None], L_3D + 1, axis=0)  # O at the origin
l_values = np.arange(L_3D + 1)
# the limit is drawn below the truncations, 0.4 Å clear of the lowest of them
lowest = min(vertices[:, 1].min() for vertices, _ in surfaces)  # Å
drop = exact_surface[0][:, 1].max() - lowest + 0.4  # Å
limit = (exact_surface[0] - [0.0, drop, 0.0], exact_surface[1])
everything = np.concatenate([vertices for vertices, _ in surfaces] + [limit[0]])

# the camera looks down the z axis at the plane of the molecule, x to the right
# and y up, from 7 Å away, aimed 0.2 Å above the middle of all the surfaces so
# that the viewer's buttons cover nothing. chemiscope's camera holds 3Dmol's
# view: "center" is minus the point looked at, "zoom" the depth of the scene,
# seen from a camera at z = 150.
aim = (everything.min(axis=0) + everything.max(axis=0)) / 2 + [0.0, 0.2, 0.0]
aim[2] = 0.0
depth = 150.0 - 7.0
camera = {
    "center": dict(zip("xyz", (-aim).tolist(), strict=True)),
    "eye": dict(zip("xyz", (-aim + [0, 0, depth]).tolist(), strict=True)),
    "up": {"x": 0.0, "y": 1.0, "z": 0.0},
    "zoom": depth,
}
opening = 2  # l_max of the first surface shown

chemiscope.show(
    bare_structures(molecule, positions=frame_positions),
    properties=structure_properties(
        {
            "l_max": (l_values, None, "largest angular index l kept"),
            "error": (
                errors_3d,
                None,
                "relative L2 distance between the expansion and the density",
            ),
            "coefficients": (
                (N_3D + 1) * (l_values + 1) ** 2,
                None,
                "number of coefficients per neighbour type",
            ),
        }
    ),
    shapes={
        "expansion": structure_meshes(surfaces, color="#e66101"),
        "sum of Gaussians": structure_meshes([limit] * (L_3D + 1), color="#737373"),
    },
    settings=chemiscope.quick_settings(
        x="l_max",
        y="error",
        map_color="coefficients",
        trajectory=True,
        map_settings={
            "y": {"property": "error", "scale": "log"},
            "size": {"factor": 70},
        },
        structure_settings={
            "shape": "expansion,sum of Gaussians",
            "keepOrientation": True,
            "axes": "off",
            "camera": camera,
        },
    )
    | {"pinned": [opening]},
    metadata={
        "name": (
            f"the hydrogen density around the oxygen, truncated at l_max = 0 to {L_3D}"
        ),
        "description": (
            "Map of the relative error of the expansion (logarithmic scale) "
            "against l_max, one point per truncation; the viewer shows the "
            "water molecule with the surface where the expanded hydrogen density "
            f"equals {LEVEL} per Angstrom to the 3/2 (orange), which sharpens from "
            "a shell at l_max = 0 into two blobs around the hydrogens, and below "
            "it the same surface of the density itself (grey), the limit."
        ),
    },
)

# %%
# Translations
# ------------
#
# The density is built from relative positions, so moving the whole molecule
# changes nothing.

rng = np.random.default_rng(0)
# transform_frames copies the frames and moves their atoms, r -> M r + t
translated = transform_frames(frames, shift=rng.normal(scale=5.0, size=3))
expansion_translated = calculator.compute(translated)
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
    expansion_rotated = calculator.compute(transform_frames(frames, R))
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
# Inversion
# ---------
#
# Under inversion :math:`\mathbf{r}\to-\mathbf{r}`, the spherical harmonics pick up
# :math:`(-1)^l`, and so do the coefficients: ``o3_sigma = +1`` means proper
# spherical tensors.

inverted = transform_frames(frames, -np.eye(3))
expansion_inverted = calculator.compute(inverted)
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
# We move each atom of one molecule along x, y and z by ±h and compare.

calculator_small = featomic.SphericalExpansion(**hypers)
one = frames[33]
reference = calculator_small.compute(one, gradients=["positions"])
h = 1e-5  # Å
largest, scale = 0.0, 0.0
for atom in range(3):
    for direction in range(3):
        plus, minus = one.copy(), one.copy()
        plus.positions[atom, direction] += h
        minus.positions[atom, direction] -= h
        c_plus, c_minus = (
            calculator_small.compute(plus),
            calculator_small.compute(minus),
        )
        for key, block in reference.items():
            numerical = (c_plus.block(key).values - c_minus.block(key).values) / (2 * h)
            grad = block.gradient("positions")
            analytic = np.zeros_like(block.values)
            for row, (sample, _, moved_atom) in enumerate(grad.samples.values):
                if moved_atom == atom:
                    analytic[sample] = grad.values[row, direction]
            largest = max(largest, np.abs(numerical - analytic).max())
            scale = max(scale, np.abs(analytic).max())
print(f"gradients vs finite differences: largest deviation {largest:.1e}")
print(f"largest |∂c/∂r|: {scale:.2f} coefficient units per Å")
assert largest < 1e-6 * scale
