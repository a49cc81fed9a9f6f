import ase
import featomic
import numpy as np
import pytest

from tutorial_helpers.density import (
    cubic_grid,
    density_by_degree,
    expansion_density,
    gaussian_density,
    gaussian_integral,
    isosurface,
    spherical_quadrature,
)
from tutorial_helpers.rotations import random_rotation_matrix
from tutorial_helpers.spherical import real_spherical_harmonics

WIDTH = 0.3  # Å
CUTOFF = 4.0  # Å
MAX_RADIAL = 12
HYPERS = {
    "cutoff": {"radius": CUTOFF, "smoothing": {"type": "ShiftedCosine", "width": 0.5}},
    "density": {"type": "Gaussian", "width": WIDTH},
    "basis": {
        "type": "TensorProduct",
        "max_angular": 8,
        "radial": {"type": "Gto", "max_radial": MAX_RADIAL},
    },
}
RADIAL = featomic.basis.Gto(max_radial=MAX_RADIAL, radius=CUTOFF)
# a bent water molecule, and a fourth atom 6 Å away: outside the cutoff
WATER = ase.Atoms(
    "OHHO",
    positions=[[0, 0, 0], [0.76, 0.59, 0.0], [-0.76, 0.59, 0.0], [0.0, -6.0, 0.0]],
)
AXIS, POINTS = cubic_grid(2.6, 0.1)
VOXEL = 0.1**3  # Å³


@pytest.fixture(scope="module")
def water_expansion():
    return featomic.SphericalExpansion(**HYPERS).compute(WATER)


def test_the_gaussians_integrate_to_the_number_of_neighbours():
    neighbours = [[0, 0, 0], [0.5, 0.2, -0.3], [-0.4, 0.8, 0.1]]
    integral = gaussian_density(neighbours, POINTS, WIDTH).sum() * VOXEL
    assert integral / gaussian_integral(WIDTH) == pytest.approx(3, rel=1e-6)


def test_the_expansion_integrates_to_the_neighbours_within_the_cutoff(
    water_expansion,
):
    # around the first O: itself and two H inside the cutoff, the other O not
    density = expansion_density(water_expansion, POINTS, RADIAL, center=(0, 0))
    neighbours = density.sum() * VOXEL / gaussian_integral(WIDTH)
    assert neighbours == pytest.approx(3, abs=5e-3)
    hydrogens = expansion_density(
        water_expansion, POINTS, RADIAL, center=(0, 0), neighbor_types=[1]
    )
    assert hydrogens.sum() * VOXEL / gaussian_integral(WIDTH) == pytest.approx(
        2, abs=5e-3
    )


def test_the_truncations_converge_to_the_sum_of_gaussians(water_expansion):
    # over all space, where each truncation is an orthogonal projection
    ball = spherical_quadrature(12.0, 80, 16)
    parts = density_by_degree(
        water_expansion, ball, RADIAL, center=(0, 0), neighbor_types=[1]
    )
    assert parts.shape == (9, len(ball.weights))
    truncated = np.cumsum(parts, axis=0)
    target = gaussian_density(WATER.positions[1:3], ball.points, WIDTH)
    errors = np.sqrt(
        ball.integrate((truncated - target) ** 2) / ball.integrate(target**2)
    )
    assert np.all(np.diff(errors) < 0)
    assert errors[-1] < 0.05
    # Parseval: the squared error is the squared norm of what is left out
    kept = np.cumsum(
        [
            np.sum(
                water_expansion.block(
                    o3_lambda=l, center_type=8, neighbor_type=1
                ).values[0]
                ** 2
            )
            for l in range(9)
        ]
    )
    norm = ball.integrate(target**2)
    np.testing.assert_allclose(errors**2, 1 - kept / norm, atol=1e-6)
    np.testing.assert_allclose(
        expansion_density(
            water_expansion,
            ball,
            RADIAL,
            center=(0, 0),
            neighbor_types=[1],
            max_angular=4,
        ),
        truncated[4],
    )


def test_the_density_of_a_rotated_molecule_is_the_rotated_density(water_expansion):
    R = random_rotation_matrix(1, seed=3)[0]
    turned = WATER.copy()
    turned.positions = WATER.positions @ R.T
    expansion = featomic.SphericalExpansion(**HYPERS).compute(turned)
    points = POINTS[::37]
    np.testing.assert_allclose(
        expansion_density(expansion, points @ R.T, RADIAL, center=(0, 0)),
        expansion_density(water_expansion, points, RADIAL, center=(0, 0)),
        atol=1e-10,
    )


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"expansion": "coefficients"}, TypeError, "must be a TensorMap"),
        ({"center": (0, 7)}, ValueError, "no block of the expansion has the centre"),
        (
            {"radial_basis": featomic.basis.Gto(max_radial=3, radius=CUTOFF)},
            ValueError,
            "radial_basis gives 4 functions",
        ),
        ({"points": np.zeros((2, 3))}, ValueError, "must not include the centre"),
        ({"points": np.ones(3)}, ValueError, r"points must have shape \(n, 3\)"),
        ({"max_angular": 9}, ValueError, "from 0 to 8"),
        ({"max_angular": 2.0}, ValueError, "max_angular must be an integer"),
    ],
)
def test_bad_arguments_are_named(water_expansion, kwargs, error, message):
    arguments = {
        "expansion": water_expansion,
        "points": POINTS[:10],
        "radial_basis": RADIAL,
        "center": (0, 0),
    } | kwargs
    expansion = arguments.pop("expansion")
    points = arguments.pop("points")
    radial = arguments.pop("radial_basis")
    with pytest.raises(error, match=message):
        expansion_density(expansion, points, radial, **arguments)


def test_the_quadrature_integrates_gaussians_and_harmonics_over_the_ball():
    ball = spherical_quadrature(6.0, 60, 16)
    assert ball.points.shape == (60 * 2 * 16**2, 3)
    assert ball.integrate(np.ones(len(ball.weights))) == pytest.approx(
        4 / 3 * np.pi * 6.0**3
    )
    neighbours = [[0.5, 0.2, -0.3], [-0.4, 0.8, 0.1]]
    integral = ball.integrate(gaussian_density(neighbours, ball.points, WIDTH))
    assert integral / gaussian_integral(WIDTH) == pytest.approx(2, rel=1e-7)
    # on each sphere, every harmonic of degree 1 <= l < 2 n_polar integrates to 0
    weights = ball.weights.reshape(60, -1)[0] / ball.weights.reshape(60, -1)[0].sum()
    for l in range(1, 21):
        harmonics = real_spherical_harmonics(l, ball.directions)
        np.testing.assert_allclose(weights @ harmonics, 0.0, atol=1e-14)
    assert weights @ real_spherical_harmonics(0, ball.directions)[:, 0] == (
        pytest.approx(1 / np.sqrt(4 * np.pi))
    )


def test_the_quadrature_gives_the_density_at_its_points(water_expansion):
    ball = spherical_quadrature(3.0, 5, 3)
    np.testing.assert_allclose(
        density_by_degree(water_expansion, ball, RADIAL, center=(0, 0)),
        density_by_degree(water_expansion, ball.points, RADIAL, center=(0, 0)),
        atol=1e-13,
    )


@pytest.mark.parametrize(
    "arguments, message",
    [
        ((0.0, 10, 4), "r_max must be a positive number"),
        ((5.0, 0, 4), "n_radii must be a positive integer"),
        ((5.0, 10, 2.5), "n_polar must be a positive integer"),
    ],
)
def test_bad_quadratures_are_named(arguments, message):
    with pytest.raises(ValueError, match=message):
        spherical_quadrature(*arguments)


def test_integrate_needs_one_value_per_point():
    with pytest.raises(ValueError, match="one per point of the quadrature"):
        spherical_quadrature(2.0, 3, 2).integrate(np.ones(5))


def test_a_density_needs_a_positive_width():
    for width in (0.0, -1.0, np.nan, "0.3"):
        with pytest.raises(ValueError, match="width must be a positive number"):
            gaussian_density([[0, 0, 0]], POINTS[:3], width)


def test_the_cubic_grid_is_symmetric_and_misses_the_origin():
    axis, points = cubic_grid(1.0, 0.25)
    assert len(axis) == 8
    np.testing.assert_allclose(axis, -axis[::-1])
    np.testing.assert_allclose(np.diff(axis), 0.25)
    assert np.linalg.norm(points, axis=1).min() > 0.1
    # values.reshape(n, n, n) is indexed [x, y, z]
    grid = points.reshape(8, 8, 8, 3)
    assert tuple(grid[1, 2, 3]) == (axis[1], axis[2], axis[3])
    with pytest.raises(ValueError, match="positive numbers"):
        cubic_grid(1.0, 0.0)


def test_an_isosurface_of_a_sphere_is_that_sphere_with_outward_normals():
    axis, points = cubic_grid(1.0, 0.05)
    n = len(axis)
    # a density that falls off from (0.1, 0, -0.2): the surface is a sphere
    centre = np.array([0.1, 0.0, -0.2])
    values = -np.linalg.norm(points - centre, axis=1).reshape(n, n, n)
    vertices, simplices = isosurface(values, axis, level=-0.5)
    radii = np.linalg.norm(vertices - centre, axis=1)
    np.testing.assert_allclose(radii, 0.5, atol=2e-3)
    a, b, c = (vertices[simplices[:, i]] for i in range(3))
    normals = np.cross(b - a, c - a)
    outward = np.einsum("ij,ij->i", normals, (a + b + c) / 3 - centre)
    assert np.all(outward > 0)


def test_isosurface_rejects_a_level_without_surface_and_a_wrong_grid():
    axis, points = cubic_grid(1.0, 0.25)
    values = np.linalg.norm(points, axis=1).reshape(8, 8, 8)
    with pytest.raises(ValueError, match="outside the range of values"):
        isosurface(values, axis, level=5.0)
    with pytest.raises(ValueError, match=r"shape \(7, 7, 7\)"):
        isosurface(values, axis[:7], level=0.5)
