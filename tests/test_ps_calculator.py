import ase
import numpy as np
import pytest
from ase.md.verlet import VelocityVerlet
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tutorial_helpers.ps_calculator import PartridgeSchwenkeCalculator
from tutorial_helpers.water_model import ps_dipole, ps_energy_forces

#: near the PS minimum, in Angstrom
WATER = np.array([[0.0, 0.0, 0.0], [0.7572, 0.5859, 0.0], [-0.7572, 0.5859, 0.0]])

# displacements of every atom up to 0.25 Angstrom: stretched and bent molecules
displacements = arrays(
    np.float64, (3, 3), elements=st.floats(-0.25, 0.25, allow_subnormal=False)
)


def _water(positions):
    atoms = ase.Atoms("OH2" * (len(positions) // 3), positions=positions)
    atoms.calc = PartridgeSchwenkeCalculator()
    return atoms


@given(displacements)
@settings(max_examples=25, deadline=None)
def test_energy_forces_and_dipole_are_the_ps_models(displacement):
    positions = WATER + displacement
    atoms = _water(positions)
    energy, forces = ps_energy_forces(positions)
    assert atoms.get_potential_energy() == energy[0]
    np.testing.assert_array_equal(atoms.get_forces(), forces[0])
    np.testing.assert_array_equal(atoms.get_dipole_moment(), ps_dipole(positions)[0])


@given(displacements)
@settings(max_examples=10, deadline=None)
def test_forces_are_minus_the_gradient_of_the_energy(displacement):
    atoms = _water(WATER + displacement)
    forces = atoms.get_forces()
    step = 1e-5  # Angstrom; central differences are good to ~step² here
    gradient = np.zeros((3, 3))
    for a in range(3):
        for i in range(3):
            energies = []
            for sign in (1, -1):
                moved = atoms.copy()
                moved.calc = PartridgeSchwenkeCalculator()
                moved.positions[a, i] += sign * step
                energies.append(moved.get_potential_energy())
            gradient[a, i] = (energies[0] - energies[1]) / (2 * step)
    np.testing.assert_allclose(forces, -gradient, atol=1e-6)


def test_several_molecules_do_not_interact():
    second = WATER @ np.array([[0, -1, 0], [1, 0, 0], [0, 0, 1]]).T + [0.1, 0.05, 0.2]
    second[1] *= 1.1
    atoms = _water(np.concatenate([WATER, second]))
    alone = [_water(WATER), _water(second)]
    assert atoms.get_potential_energy() == pytest.approx(
        sum(a.get_potential_energy() for a in alone), abs=1e-12
    )
    np.testing.assert_allclose(
        atoms.get_forces(), np.concatenate([a.get_forces() for a in alone]), atol=1e-12
    )
    np.testing.assert_allclose(
        atoms.get_dipole_moment(), sum(a.get_dipole_moment() for a in alone), atol=1e-12
    )


def _largest_energy_error(timestep_fs, duration_fs=50.0):
    from ase import units

    atoms = _water(WATER + [[0, 0, 0], [0.05, 0, 0], [0, -0.03, 0.01]])
    start = atoms.get_total_energy()
    dynamics = VelocityVerlet(atoms, timestep_fs * units.fs)
    errors = []
    for _ in range(round(duration_fs / timestep_fs)):
        dynamics.run(1)
        errors.append(abs(atoms.get_total_energy() - start))
    return max(errors)


def test_nve_energy_errors_shrink_as_the_timestep_squared():
    # velocity Verlet with forces that are -grad E keeps the total energy to
    # O(dt^2): halving the step divides the error by 4, with no drift
    coarse, fine = _largest_energy_error(0.25), _largest_energy_error(0.125)
    assert coarse < 1e-3  # eV, for a molecule holding ~0.06 eV of vibration
    assert coarse / fine == pytest.approx(4.0, rel=0.1)


@pytest.mark.parametrize(
    ("symbols", "expected"),
    [("HOH", "got HOH"), ("OH", "got OH"), ("OH2OH", "got OHHOH")],
)
def test_atoms_that_are_not_water_in_order_raise(symbols, expected):
    atoms = ase.Atoms(symbols, positions=np.arange(3 * len(symbols)).reshape(-1, 3))
    atoms.calc = PartridgeSchwenkeCalculator()
    with pytest.raises(ValueError, match=f"atoms must be water molecules.*{expected}"):
        atoms.get_potential_energy()
