"""
4.2 · The density, seen in 2D and 3D
====================================

The coefficients of :ref:`chapter 4.1
<sphx_glr_auto_examples_04_1_spherical_expansion.py>` are only useful if they
describe the density of neighbours. On this page we sum the expansion back into
a density, in the plane of a water molecule and in 3D, and compare it with the
sum of Gaussians it comes from. At the end of this page you will be able to
rebuild a density from its coefficients, tell which truncation, radial or
angular, limits it, and see it sharpen from a spherical shell into atoms as the
largest angular index grows.

.. note::

    Read :ref:`sphx_glr_auto_examples_04_1_spherical_expansion.py` first.
"""

# %%
import chemiscope
import matplotlib.pyplot as plt
import numpy as np

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.density import (
    cubic_grid,
    density_by_degree,
    expansion_density,
    gaussian_density,
    gaussian_integral,
    isosurface,
    spherical_quadrature,
)
from tutorial_helpers.expansion import (
    expansion_hypers,
    radial_basis,
    shown_molecule,
    spherical_expansion,
)
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.visualisation import (
    bare_structures,
    structure_meshes,
    structure_properties,
)

use_style()

# %%
# Seeing the density
# ------------------
#
# We rebuild the neighbour density around the oxygen of one molecule of the
# dataset (:func:`tutorial_helpers.expansion.shown_molecule`: both bonds 0.95 Å,
# 110° apart), in the plane of the molecule, from its coefficients computed with
# the chapter's hyper-parameters, using featomic's radial functions
# (:class:`featomic.basis.Gto`) and our real spherical harmonics
# (:func:`tutorial_helpers.spherical.real_spherical_harmonics`), summed by
# :func:`tutorial_helpers.density.expansion_density`, and compare it with the sum
# of Gaussians it comes from (:func:`tutorial_helpers.density.gaussian_density`).
# The truncated expansion converges to the exact density as the basis grows. Each
# panel's title gives the basis by the largest indices it keeps, n ≤
# ``max_radial`` and l ≤ ``max_angular``, and its error: the L2 distance to the
# sum of Gaussians on the slice, relative to the norm of the sum of Gaussians.

hypers = expansion_hypers()  # the chapter's, as on page 4.1
molecule = shown_molecule()  # O at the origin, the molecule in the xy plane
grid = np.linspace(-2.2, 2.2, 89)  # Å
gx, gy = np.meshgrid(grid, grid)
# just above the plane, so that no point is the oxygen itself (r̂ undefined)
points = np.stack([gx.ravel(), gy.ravel(), np.full(gx.size, 1e-9)], axis=1)
width = hypers["density"]["width"]  # w, in Å
neighbors = molecule.positions - molecule.positions[0]  # O (itself), H1, H2; Å
assert np.isclose(molecule.get_angle(1, 0, 2), 110.0)
np.testing.assert_allclose(np.linalg.norm(neighbors[1:], axis=1), 0.95)
exact = gaussian_density(neighbors, points, width)


def reconstruct(max_radial, max_angular, neighbor_types=None):
    """Density around the O of ``molecule`` rebuilt from its coefficients (of the
    given neighbour types, default all) on the slice, in Å^-3/2."""
    resized = expansion_hypers(max_radial, max_angular)  # the chapter's, resized
    return expansion_density(
        spherical_expansion(molecule, resized),
        points,
        radial_basis(resized),
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
# Over all space the radial functions are orthonormal (with the weight
# :math:`r^2`), and so are the harmonics, so each truncation is the orthogonal
# projection of the density on a smaller basis: its squared L2 error **over all
# space** is the squared norm of the density minus the sum of the squares of the
# coefficients it keeps (Parseval), and can only shrink as :math:`l_\mathrm{max}`
# grows. On a slice or a finite grid it need not: on the slice above,
# ``max_angular = 12`` was slightly worse than 6. So we compute the errors over
# all space, with a quadrature over a ball of 12 Å
# (:func:`tutorial_helpers.density.spherical_quadrature`; the radial functions
# vanish beyond it), relative to the norm of the two hydrogens' sum of Gaussians
# (the slice's errors above were relative to the whole density).
#
# Only l = 0 has a non-zero integral, so every truncation in l holds the same
# amount of density. The radial basis sets that amount: it is close to
# :math:`N \int g = N\,(4\pi w^2)^{3/4}` for :math:`N = 2` hydrogens, but with
# fifteen radial functions it is 2.010 :math:`\int g`, not 2.

L_3D, N_3D = 8, 14  # max_angular and max_radial of the 3D pictures
hypers_3d = expansion_hypers(max_radial=N_3D, max_angular=L_3D)
spacing = 0.2  # Å
axis, grid_points = cubic_grid(half_width=1.8, spacing=spacing)  # for the pictures
shape = (len(axis),) * 3
ball = spherical_quadrature(r_max=12.0, n_radii=80, n_polar=16)  # all space


def hydrogen_density_by_truncation(atoms, points, hypers=hypers_3d):
    """Row l_max: the H density around the O of ``atoms`` at ``points`` (Å),
    expanded with ``hypers`` up to l = l_max, in Å^-3/2."""
    parts = density_by_degree(
        spherical_expansion(atoms, hypers),
        points,
        radial_basis(hypers),
        center=(0, 0),
        neighbor_types=[1],
    )
    return np.cumsum(parts, axis=0)


def over_all_space(atoms, hypers=hypers_3d):
    """For l_max = 0, 1, ...: the relative L2 error over all space of the H
    density around the O of ``atoms`` truncated at l_max, and its ∫ρ / ∫g."""
    truncated = hydrogen_density_by_truncation(atoms, ball, hypers)
    target = gaussian_density(
        atoms.positions[1:] - atoms.positions[0], ball.points, width
    )
    norm = ball.integrate(target**2)  # no unit: Å^-3 × Å³
    errors = np.sqrt(ball.integrate((truncated - target) ** 2) / norm)
    # Parseval: squared error = squared norm − Σ of the kept coefficients squared
    c = spherical_expansion(atoms, hypers)
    squares = [
        c.block(o3_lambda=l, center_type=8, neighbor_type=1).values[0] ** 2
        for l in range(len(errors))
    ]
    np.testing.assert_allclose(
        errors**2, 1 - np.cumsum([np.sum(s) for s in squares]) / norm, atol=1e-6
    )
    return errors, ball.integrate(truncated) / gaussian_integral(width)


errors_3d, hydrogens = over_all_space(molecule)
print("relative error over all space, l_max = 0 ... 8:")
print("  ", np.round(errors_3d, 3).tolist())
assert np.all(np.diff(errors_3d) < 0), "over all space the error shrinks with l_max"
assert errors_3d[-1] < 0.05
assert more_angular > total, "on the slice, l ≤ 12 is worse than l ≤ 6"
print(
    f"∫ρ / ∫g over all space: {hydrogens[0]:.5f} for every l_max "
    f"(spread {np.ptp(hydrogens):.0e})"
)
assert np.ptp(hydrogens) < 1e-10, "every truncation in l holds the same density"
assert round(hydrogens[0], 3) == 2.010, "the amount the radial basis allows"

truncated = hydrogen_density_by_truncation(molecule, grid_points)  # for the pictures
target = gaussian_density(neighbors[1:], grid_points, width)

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
                "L2 distance between the expansion and the hydrogens' density, "
                "over all space, relative to that density's norm",
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
# Key points
# ----------
#
# - Summing the coefficients times the basis functions rebuilds the density; with this
#   chapter's basis, most of the error is radial.
# - Over all space, the error can only fall as l_max grows; on one slice it need not.
# - How much density the expansion holds is set by its l = 0 part and the radial basis,
#   whatever l_max.

# %%
# Exercises
# ---------
#
# 1. **Counting hydrogens without a grid.** Only l = 0 has an integral, and
#    :math:`Y_0^0 = 1/\sqrt{4\pi}`, so the expansion integrates to
#    :math:`\int\rho = \sqrt{4\pi}\,\sum_n c_{n00} \int R_n(r)\, r^2\,
#    \mathrm{d}r`. Count the hydrogens around the oxygen of ``molecule`` this
#    way, from its l = 0 coefficients alone, with the chapter's basis and with
#    the basis of the 3D pictures. Which count is close to 2, and why is the
#    other not?
# 2. **A longer bond needs more harmonics.** Which hydrogens need the larger
#    :math:`l_\mathrm{max}` to be drawn well: those of the most bent molecule of
#    the dataset (θ = 60°, both bonds as in ``molecule``), or those of the most
#    stretched one (bonds of 0.7 and 1.2 Å, θ as in ``molecule``)? Predict, then
#    compare their errors over all space at :math:`l_\mathrm{max} = 8`.
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · Counting hydrogens without a grid

r = np.linspace(0.0, 12.0, 40001)  # Å; the radial functions vanish long before
counts = {}
for n_max in (chapter_basis[0], N_3D):
    l0_hypers = expansion_hypers(max_radial=n_max, max_angular=0)
    block = spherical_expansion(molecule, l0_hypers).block(
        o3_lambda=0, center_type=8, neighbor_type=1
    )
    c_n00 = block.values[0, 0]  # the oxygen's l = 0 coefficients, no unit
    R_n = radial_basis(l0_hypers).compute(r, derivative=False)  # Å^-3/2
    integrals = np.trapezoid(R_n * r[:, None] ** 2, r, axis=0)  # Å^3/2
    counts[n_max] = np.sqrt(4 * np.pi) * c_n00 @ integrals / gaussian_integral(width)
    print(f"max_radial = {n_max:2d}: {counts[n_max]:.3f} hydrogens")
assert abs(counts[N_3D] - 2) < 0.02 and counts[chapter_basis[0]] > 2.2
assert abs(counts[N_3D] - hydrogens[0]) < 1e-5  # the quadrature's 2.010, above

# %%
# Truncating in l keeps the integral, since only l = 0 has one; truncating in n
# does not. The integral of the expansion is that of the density's projection on
# the radial functions, and six functions spread over 4 Å project Gaussians
# 0.3 Å wide onto a function that holds more than 2.2 hydrogens. With
# fifteen the count is within 0.02 of 2 (the 2.010 of the quadrature over all
# space above): the radial truncation, not the angular one, is again what limits
# the chapter's basis.
#
# .. solution:: 2 · A longer bond needs more harmonics

frames = load_water_dataset()
# the most bent angle and the largest Δr = r2 − r1 of the dataset
assert min(a.info["HOH"] for a in frames) == 60.0
assert max(abs(a.info["nu_prime"]) for a in frames) == 0.5
info = {"bent": (0.95, 60.0), "stretched": (0.7, 110.0)}  # (O–H1 / Å, θ / °)
more_l = expansion_hypers(max_radial=N_3D, max_angular=12)  # the same n, l ≤ 12
errors_l = {}  # relative error against l_max = 0 ... 12
for name, (bond, angle) in info.items():
    atoms = next(a for a in frames if a.info["OH1"] == bond and a.info["HOH"] == angle)
    around = atoms.positions[1:] - atoms.positions[0]  # the two H, Å
    bonds = np.linalg.norm(around, axis=1)  # Å
    assert np.allclose(sorted(bonds), [0.95, 0.95] if name == "bent" else [0.7, 1.2])
    errors_l[name] = over_all_space(atoms, more_l)[0]
    print(
        f"{name}: bonds {np.round(bonds, 2).tolist()} Å, θ = {angle:.0f}°, error at "
        f"l_max = {L_3D}: {errors_l[name][L_3D]:.3f}, at 12: {errors_l[name][12]:.3f}"
    )
print(f"the molecule shown, for comparison: {errors_3d[L_3D]:.3f}")
assert errors_l["stretched"][L_3D] > 2 * max(errors_l["bent"][L_3D], errors_3d[L_3D])
assert abs(errors_l["bent"][L_3D] - errors_3d[L_3D]) < 0.01
assert errors_l["stretched"][12] < errors_l["stretched"][L_3D] / 2  # l limits it

# %%
# The stretched one. A Gaussian of width :math:`w` at a distance :math:`r` from the
# centre spans an angle of about :math:`w / r`, and harmonics of degree l resolve
# angles of about :math:`\pi / l`: the farther the atom, the more harmonics it needs.
# With l ≤ 12 and the same radial functions, its error falls by more than half: the
# angular truncation is what limits it. The bent molecule, whose hydrogens are as far
# as those of the molecule shown, is drawn as well as it, to 0.01.
