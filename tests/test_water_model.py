import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from tutorial_helpers.dataset import grid_positions
from tutorial_helpers.rotations import random_rotation_matrix
from tutorial_helpers.units import EA_TO_DEBYE
from tutorial_helpers.water_model import (
    PS_MINIMUM_CM1,
    ps_charges,
    ps_dipole,
    ps_energy_forces,
    ps_raw_energy_cm1,
    water_internal_coordinates,
)

# geometries spread over the region of the dataset, and beyond it
RNG = np.random.default_rng(7)
GEOMETRIES = grid_positions(
    RNG.uniform(0.75, 1.25, 20), RNG.uniform(0.75, 1.25, 20), RNG.uniform(70, 150, 20)
) + RNG.normal(scale=0.02, size=(20, 3, 3))


def test_forces_match_finite_differences():
    _, forces = ps_energy_forces(GEOMETRIES)
    h = 1e-5
    numerical = np.zeros_like(forces)
    for atom in range(3):
        for axis in range(3):
            shift = np.zeros((3, 3))
            shift[atom, axis] = h
            plus, _ = ps_energy_forces(GEOMETRIES + shift)
            minus, _ = ps_energy_forces(GEOMETRIES - shift)
            numerical[:, atom, axis] = -(plus - minus) / (2 * h)
    relative = np.abs(numerical - forces).max() / np.abs(forces).max()
    assert relative <= 1e-6


def test_forces_sum_to_zero():
    _, forces = ps_energy_forces(GEOMETRIES)
    np.testing.assert_allclose(forces.sum(axis=1), 0.0, atol=1e-10)


def test_swapping_the_bonds_keeps_the_energy_and_mirrors_the_dipole():
    r1, r2, theta = RNG.uniform(0.8, 1.2, 10), RNG.uniform(0.8, 1.2, 10), 104.0
    energy, _ = ps_energy_forces(grid_positions(r1, r2, theta))
    swapped_energy, _ = ps_energy_forces(grid_positions(r2, r1, theta))
    np.testing.assert_allclose(energy, swapped_energy, rtol=1e-12, atol=1e-12)
    # the molecule mirrored through the yz plane (x -> -x) swaps H1 and H2
    dipole = ps_dipole(grid_positions(r1, r2, theta))
    mirrored = ps_dipole(grid_positions(r2, r1, theta))
    np.testing.assert_allclose(mirrored, dipole * [-1, 1, 1], atol=1e-12)


def test_minimum_geometry_energy_and_dipole():
    def energy(p):
        return ps_raw_energy_cm1(grid_positions(p[0], p[1], p[2]))[0]

    result = minimize(
        energy,
        [0.96, 0.95, 104.0],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000},
    )
    r1, r2, theta = result.x
    assert r1 == pytest.approx(0.9578, abs=1e-4)
    assert r2 == pytest.approx(0.9578, abs=1e-4)
    assert theta == pytest.approx(104.5, abs=0.05)
    # the zero of energy is the minimum
    assert result.fun == pytest.approx(PS_MINIMUM_CM1, abs=1e-8)
    e_min, forces = ps_energy_forces(grid_positions(r1, r2, theta))
    assert abs(e_min[0]) < 1e-10
    assert np.abs(forces).max() < 1e-6
    dipole = np.linalg.norm(ps_dipole(grid_positions(r1, r2, theta)))
    assert dipole == pytest.approx(0.388, abs=1e-3)
    assert dipole * EA_TO_DEBYE == pytest.approx(1.86, abs=0.01)


def test_the_energy_is_never_below_the_minimum():
    energy, _ = ps_energy_forces(GEOMETRIES)
    assert np.all(energy > 0)


def test_charges_are_neutral_and_hydrogens_positive():
    charges = ps_charges(GEOMETRIES)
    np.testing.assert_allclose(charges.sum(axis=1), 0.0, atol=1e-14)
    assert np.all(charges[:, 1:] > 0)


def test_internal_coordinates_of_the_grid():
    r1, r2, theta = water_internal_coordinates(grid_positions(0.9, 1.0, 104.5))
    np.testing.assert_allclose([r1[0], r2[0], theta[0]], [0.9, 1.0, 104.5])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_rotation_and_translation_symmetries(seed):
    rng = np.random.default_rng(seed)
    R = random_rotation_matrix(1, rng)[0]
    shift = rng.normal(scale=5.0, size=3)
    moved = GEOMETRIES @ R.T + shift
    energy, forces = ps_energy_forces(GEOMETRIES)
    energy_moved, forces_moved = ps_energy_forces(moved)
    # energy invariant, forces and dipole equivariant
    np.testing.assert_allclose(energy_moved, energy, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(forces_moved, forces @ R.T, atol=1e-9)
    np.testing.assert_allclose(
        ps_dipole(moved), ps_dipole(GEOMETRIES) @ R.T, atol=1e-12
    )


def test_inversion_flips_the_dipole_and_the_forces():
    energy, forces = ps_energy_forces(GEOMETRIES)
    inverted_energy, inverted_forces = ps_energy_forces(-GEOMETRIES)
    np.testing.assert_allclose(inverted_energy, energy, rtol=1e-12)
    np.testing.assert_allclose(inverted_forces, -forces, atol=1e-10)
    np.testing.assert_allclose(
        ps_dipole(-GEOMETRIES), -ps_dipole(GEOMETRIES), atol=1e-14
    )


@pytest.mark.parametrize(
    "positions, message",
    [
        (np.zeros((2, 4, 3)), "shape"),
        (np.full((3, 3), np.nan), "non-finite"),
        (np.array([["a"] * 3] * 3), "real numbers"),
    ],
)
def test_bad_positions_are_rejected(positions, message):
    with pytest.raises(ValueError, match=message):
        ps_energy_forces(positions)


@pytest.mark.parametrize(
    "atoms, move",
    [("O and H1", (1, 0)), ("O and H2", (2, 0)), ("H1 and H2", (2, 1))],
)
@pytest.mark.parametrize("function", [ps_energy_forces, ps_dipole, ps_charges])
def test_coincident_atoms_are_named_with_the_geometry(function, atoms, move):
    positions = grid_positions([0.95, 0.97, 1.0], [0.95, 0.96, 1.1], [100.0] * 3)
    moved, onto = move
    positions[2, moved] = positions[2, onto]
    with pytest.raises(ValueError, match=rf"positions\[2\]: atoms {atoms} coincide"):
        function(positions)


def test_a_linear_molecule_is_accepted_and_symmetric():
    """At θ = 180° the surfaces are defined: finite, continuous, and the forces
    and dipole of a symmetric linear molecule lie along its axis (here x)."""
    linear = grid_positions([0.96, 0.96], [0.96, 1.10], [180.0, 180.0])
    near = grid_positions([0.96, 0.96], [0.96, 1.10], [179.999, 179.999])
    energy, forces = ps_energy_forces(linear)
    dipole = ps_dipole(linear)
    assert np.all(np.isfinite(energy)) and np.all(np.isfinite(forces))
    np.testing.assert_allclose(energy, ps_energy_forces(near)[0], atol=1e-8)
    np.testing.assert_allclose(forces[..., 1:], 0.0, atol=1e-12)
    np.testing.assert_allclose(dipole[:, 1:], 0.0, atol=1e-12)
    # symmetric: no dipole at all, and the forces on the two H mirror each other
    np.testing.assert_allclose(dipole[0], 0.0, atol=1e-12)
    np.testing.assert_allclose(forces[0, 1], -forces[0, 2], atol=1e-10)
    # asymmetric: a dipole along the axis
    assert abs(dipole[1, 0]) > 1e-3


def test_a_folded_molecule_is_accepted():
    """θ = 0° with distinct bond lengths (both H on one side) is far from any
    minimum but defined: the surfaces depend on cos θ only."""
    energy, forces = ps_energy_forces(grid_positions(0.96, 1.5, 0.0))
    assert np.all(np.isfinite(energy)) and energy[0] > 5.0  # eV
    assert np.all(np.isfinite(forces))
