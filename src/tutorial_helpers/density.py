r"""Neighbour densities in real space: the sum of Gaussians, its expansion, and
isosurfaces to draw them.

featomic's ``Gaussian`` density puts on each neighbour j a Gaussian normalised
in the L2 sense, :math:`g(r) = e^{-r^2/2w^2} / (\pi w^2)^{3/4}`, so densities
are in :math:`\mathrm{Å}^{-3/2}`. The coefficients of
:class:`featomic.SphericalExpansion` are the projections of that density on
:math:`R_n(r)\, Y_l^m(\hat{r})`, with orthonormal radial functions :math:`R_n`;
:func:`expansion_density` sums the expansion back on points. Truncating it at a
smaller :math:`l_\mathrm{max}` is the projection on a smaller basis, so its
distance to the density in the L2 norm *over all space* can only shrink as
:math:`l_\mathrm{max}` grows (on a slice or a finite grid it need not);
:func:`spherical_quadrature` gives the points and weights to compute such
integrals over all space.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .spherical import real_spherical_harmonics

__all__ = [
    "cubic_grid",
    "density_by_degree",
    "expansion_density",
    "gaussian_density",
    "gaussian_integral",
    "isosurface",
    "SphericalQuadrature",
    "spherical_quadrature",
]


def _check_points(points):
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 3:
        raise ValueError(f"points must have shape (n, 3), got {points.shape}")
    if not np.all(np.isfinite(points)):
        raise ValueError("points must be finite")
    return points


def _check_width(width):
    real = isinstance(width, (int, float, np.integer, np.floating))
    if not (real and np.isfinite(width) and width > 0):
        raise ValueError(f"width must be a positive number of Angstrom, got {width!r}")
    return float(width)


@dataclass(frozen=True)
class SphericalQuadrature:
    """A product quadrature over the ball r < r_max, from
    :func:`spherical_quadrature`: every radius times every direction.
    """

    #: The radial nodes, shape ``(n_radii,)``, in Angstrom.
    radii: np.ndarray
    #: The angular nodes, unit vectors, shape ``(n_directions, 3)``.
    directions: np.ndarray
    #: Shape ``(n_radii * n_directions,)``, in Å³:
    #: ∫ f d³r ≈ Σ_k weights[k] f(points[k]).
    weights: np.ndarray

    @property
    def points(self) -> np.ndarray:
        """The ``(n_radii * n_directions, 3)`` nodes in Angstrom, radius slowest."""
        return (self.radii[:, None, None] * self.directions[None]).reshape(-1, 3)

    def integrate(self, values) -> np.ndarray:
        """∫ f d³r from ``values`` of f at :attr:`points` (last axis), in the
        unit of f times Å³."""
        values = np.asarray(values, dtype=np.float64)
        if values.shape[-1:] != self.weights.shape:
            raise ValueError(
                f"values must have {len(self.weights)} points on their last axis, "
                f"one per point of the quadrature, got shape {values.shape}"
            )
        return values @ self.weights


def spherical_quadrature(r_max, n_radii, n_polar):
    """Points and weights to integrate a function over the ball r < ``r_max``.

    Gauss–Legendre nodes in r (with the weight r²) and in cos θ, and
    ``2 * n_polar`` evenly spaced angles φ. The angular part integrates every
    spherical harmonic of degree l < 2 ``n_polar`` exactly: to zero for l > 0.

    Parameters
    ----------
    r_max : float
        Radius of the ball, in Angstrom: beyond it the integrand must vanish.
    n_radii, n_polar : int
        Number of radial nodes, and of nodes in cos θ.

    Returns
    -------
    SphericalQuadrature
        Its ``points`` go to :func:`gaussian_density` or, faster,
        the quadrature itself to :func:`density_by_degree`; its ``integrate``
        sums values at the points with the weights.
    """
    real = isinstance(r_max, (int, float, np.integer, np.floating))
    if not (real and np.isfinite(r_max) and r_max > 0):
        raise ValueError(f"r_max must be a positive number of Angstrom, got {r_max!r}")
    for name, n in (("n_radii", n_radii), ("n_polar", n_polar)):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"{name} must be a positive integer, got {n!r}")
    x, wx = np.polynomial.legendre.leggauss(int(n_radii))
    radii = (x + 1) * r_max / 2
    radial_weights = wx * r_max / 2 * radii**2  # Å³ per steradian
    cos_theta, polar_weights = np.polynomial.legendre.leggauss(int(n_polar))
    phi = np.arange(2 * n_polar) * np.pi / n_polar
    sin_theta = np.sqrt(1 - cos_theta**2)
    directions = np.stack(
        np.broadcast_arrays(
            sin_theta[:, None] * np.cos(phi),
            sin_theta[:, None] * np.sin(phi),
            cos_theta[:, None],
        ),
        axis=-1,
    ).reshape(-1, 3)
    angular_weights = np.repeat(polar_weights * np.pi / n_polar, 2 * n_polar)
    weights = np.outer(radial_weights, angular_weights).ravel()
    return SphericalQuadrature(radii, directions, weights)


def gaussian_integral(width):
    r"""The integral :math:`\int g(r)\, d^3r = (4\pi w^2)^{3/4}`, in
    :math:`\mathrm{Å}^{3/2}`, of one neighbour's Gaussian of width
    :math:`w` = ``width`` (Å): the integral of a density over all space, divided by
    this, counts its neighbours."""
    return (4 * np.pi * _check_width(width) ** 2) ** 0.75


def gaussian_density(neighbours, points, width):
    r"""The density of Gaussians on ``neighbours``, at ``points``, in
    :math:`\mathrm{Å}^{-3/2}`.

    Parameters
    ----------
    neighbours : array_like, shape (n_neighbours, 3)
        Positions of the neighbours relative to the centre, in Angstrom; the
        centre itself, if it counts (featomic counts it), at the origin. They
        must be inside the cutoff, where featomic's cutoff function is 1.
    points : array_like, shape (n_points, 3)
        Where to evaluate the density, in Angstrom.
    width : float
        Width w of the Gaussians, in Angstrom (featomic's ``density.width``).
    """
    neighbours = np.asarray(neighbours, dtype=np.float64)
    if neighbours.ndim != 2 or neighbours.shape[1] != 3:
        raise ValueError(f"neighbours must have shape (n, 3), got {neighbours.shape}")
    points = _check_points(points)
    width = _check_width(width)
    density = np.zeros(len(points))
    for position in neighbours:
        squared = np.sum((points - position) ** 2, axis=1)
        density += np.exp(-squared / (2 * width**2))
    return density / (np.pi * width**2) ** 0.75


def density_by_degree(expansion, points, radial_basis, *, center, neighbor_types=None):
    r"""The parts of degree l = 0, 1, ... of the density around one centre, summed
    back from its expansion coefficients.

    Part :math:`l` is, in :math:`\mathrm{Å}^{-3/2}`, a sum over the neighbour
    types :math:`a`:

    .. math::

        \rho_l(\boldsymbol{r}) = \sum_{a} \sum_{n} \sum_{m=-l}^{l}
            c^{a}_{nlm}\, R_n(r)\, Y_l^m(\hat{\boldsymbol{r}}).

    The expansion truncated at :math:`l_\mathrm{max}` is the sum of the parts
    :math:`l = 0 \ldots l_\mathrm{max}` (see :func:`expansion_density`).

    Parameters
    ----------
    expansion : metatensor.TensorMap
        The output of :class:`featomic.SphericalExpansion`: keys ``o3_lambda``,
        ``o3_sigma``, ``center_type``, ``neighbor_type``; samples ``system``,
        ``atom``; properties ``n``.
    points : array_like, shape (n_points, 3), or SphericalQuadrature
        Where to evaluate the density, relative to the centre, in Angstrom;
        not the centre itself, where the directions r̂ are undefined. A
        :class:`SphericalQuadrature` stands for its ``points``, and is faster:
        the harmonics are computed once per direction.
    radial_basis : featomic.basis.RadialBasis
        The radial functions the expansion was computed with, e.g.
        ``featomic.basis.Gto(max_radial=..., radius=cutoff)``.
    center : tuple of int
        ``(system, atom)``: which centre's density.
    neighbor_types : list of int, optional
        Keep the neighbours of these atomic numbers only (default: all).

    Returns
    -------
    numpy.ndarray, shape (l_max + 1, n_points)
        Row l is the part of degree l; l_max is the expansion's largest degree.
    """
    from metatensor import TensorMap

    if not isinstance(expansion, TensorMap):
        raise TypeError(
            f"expansion must be a TensorMap, not {type(expansion).__name__}"
        )
    for name in ("o3_lambda", "o3_sigma", "neighbor_type"):
        if name not in expansion.keys.names:
            raise ValueError(
                f"expansion has no {name!r} key (keys: {expansion.keys.names}); "
                "is it a featomic.SphericalExpansion?"
            )
    if isinstance(points, SphericalQuadrature):  # every radius times every direction
        r, directions = points.radii, points.directions
        n_points = len(r) * len(directions)
    else:
        directions = _check_points(points)
        r = np.linalg.norm(directions, axis=1)
        n_points = len(r)
    if np.any(r < 1e-12):
        raise ValueError("points must not include the centre, where r̂ is undefined")

    radial = np.asarray(radial_basis.compute(r, derivative=False))  # (radii, n)
    l_max = int(expansion.keys.column("o3_lambda").max())
    parts = np.zeros((l_max + 1, n_points))
    harmonics = {}
    found = False
    for key, block in expansion.items():
        lam = int(key["o3_lambda"])
        if key["o3_sigma"] != 1:
            raise ValueError(f"block {key} is not a proper (o3_sigma = 1) density")
        row = block.samples.position(tuple(int(i) for i in center))
        if row is None:
            continue
        found = True
        if neighbor_types is not None and key["neighbor_type"] not in neighbor_types:
            continue
        if radial.shape[1] != len(block.properties):
            raise ValueError(
                f"radial_basis gives {radial.shape[1]} functions, but the block "
                f"{key} has {len(block.properties)} radial coefficients"
            )
        if lam not in harmonics:
            harmonics[lam] = real_spherical_harmonics(lam, directions)
        values = np.asarray(block.values[row])  # (2λ + 1, n)
        if isinstance(points, SphericalQuadrature):
            shells = np.einsum("dm,rn,mn->rd", harmonics[lam], radial, values)
            parts[lam] += shells.ravel()
        else:
            parts[lam] += np.einsum("pm,pn,mn->p", harmonics[lam], radial, values)
    if not found:
        raise ValueError(f"no block of the expansion has the centre {center}")
    return parts


def expansion_density(
    expansion, points, radial_basis, *, center, neighbor_types=None, max_angular=None
):
    r"""The density around one centre from its expansion, truncated at
    l ≤ ``max_angular`` (default: all the degrees it holds), in
    :math:`\mathrm{Å}^{-3/2}`.

    The arguments are those of :func:`density_by_degree`.
    """
    parts = density_by_degree(
        expansion, points, radial_basis, center=center, neighbor_types=neighbor_types
    )
    if max_angular is None:
        max_angular = len(parts) - 1
    if not isinstance(max_angular, (int, np.integer)) or not (
        0 <= max_angular < len(parts)
    ):
        raise ValueError(
            f"max_angular must be an integer from 0 to {len(parts) - 1}, the "
            f"largest degree in the expansion, got {max_angular!r}"
        )
    return parts[: max_angular + 1].sum(axis=0)


def cubic_grid(half_width, spacing):
    """A cubic grid centred on the origin, for densities and isosurfaces.

    Returns ``(axis, points)``: the coordinates along each axis (Å), an even
    number of them placed symmetrically so that the origin is not a grid point,
    and the ``(len(axis)**3, 3)`` points, x slowest and z fastest, so that
    ``values.reshape(len(axis), len(axis), len(axis))`` is indexed [x, y, z].
    """
    if not (half_width > 0 and spacing > 0 and np.isfinite(half_width / spacing)):
        raise ValueError(
            "half_width and spacing must be positive numbers of Angstrom, "
            f"got {half_width!r} and {spacing!r}"
        )
    n = 2 * max(1, int(round(half_width / spacing)))
    axis = (np.arange(n) - (n - 1) / 2) * spacing
    points = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1)
    return axis, points.reshape(-1, 3)


def isosurface(values, axis, level):
    """The surface where ``values`` on the grid of :func:`cubic_grid` cross
    ``level``, triangulated by :func:`skimage.measure.marching_cubes`.

    Returns ``(vertices, simplices)``: vertices in Angstrom, in the frame of the
    grid, and triangles as triples of vertex indices, oriented so that their
    normals point to where ``values`` are below ``level``: out of a density.
    """
    from skimage.measure import marching_cubes

    axis = np.asarray(axis, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    n = len(axis)
    if values.shape != (n, n, n):
        raise ValueError(
            f"values must have shape ({n}, {n}, {n}) to match the axis, "
            f"got {values.shape}"
        )
    spacing = np.diff(axis)
    if n < 2 or not np.allclose(spacing, spacing[0]) or spacing[0] <= 0:
        raise ValueError("axis must be evenly spaced and increasing")
    if not values.min() < level < values.max():
        raise ValueError(
            f"level {level} is outside the range of values "
            f"[{values.min():.3g}, {values.max():.3g}]: there is no surface"
        )
    vertices, simplices, _, _ = marching_cubes(
        values, level=level, spacing=(spacing[0],) * 3
    )
    # marching_cubes orients the triangles towards the larger values
    return vertices + axis[0], simplices[:, ::-1]
