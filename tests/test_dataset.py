import re

import ase.io
import numpy as np
import pytest

from tutorial_helpers.dataset import (
    DATASET_NAME,
    dataset_path,
    load_water_dataset,
    write_water_dataset,
)
from tutorial_helpers.units import BOHR_ANGSTROM, CM1_TO_EV, HARTREE_EV
from tutorial_helpers.water_model import PS_MINIMUM_CM1, ps_dipole, ps_energy_forces

from .conftest import REPO


def _tokens(path):
    """The words of a text file, split at blanks, quotes and '=' signs."""
    return re.split(r"[\s\"=]+", path.read_text().strip())


def test_committed_file_equals_a_fresh_regeneration(tmp_path):
    # the last digit of a float can differ between CPUs (numpy picks its
    # vectorised sin, cos and exp for the processor), so numbers are compared to
    # round-off and every other word exactly
    fresh = _tokens(write_water_dataset(tmp_path / DATASET_NAME))
    committed = _tokens(REPO / "data" / DATASET_NAME)
    assert len(fresh) == len(committed), "run `nox -s data`"
    for new, old in zip(fresh, committed, strict=True):
        try:
            new_value, old_value = float(new), float(old)
        except ValueError:
            assert new == old, "run `nox -s data`"
        else:
            assert new_value == pytest.approx(old_value, rel=1e-12, abs=1e-14), (
                f"{new} != {old}: run `nox -s data`"
            )


def test_the_loader_finds_the_file_and_keeps_units_in_info():
    frames = load_water_dataset()
    assert dataset_path().name == DATASET_NAME
    assert len(frames) == 121
    for atoms in frames:
        assert atoms.get_chemical_symbols() == ["O", "H", "H"]
        assert not atoms.pbc.any() and atoms.cell.rank == 0
        assert atoms.calc is None
        assert set(atoms.info) >= {"energy", "dipole", "OH1", "OH2", "HOH", "nu_prime"}
        assert atoms.arrays["forces"].shape == (3, 3)


def test_the_grid_order_and_labels():
    frames = load_water_dataset()
    oh1 = np.array([f.info["OH1"] for f in frames])
    oh2 = np.array([f.info["OH2"] for f in frames])
    hoh = np.array([f.info["HOH"] for f in frames])
    np.testing.assert_allclose(oh1[::11], np.linspace(0.7, 1.2, 11))
    np.testing.assert_allclose(oh1 + oh2, 1.9)
    np.testing.assert_allclose(hoh[:11], np.arange(60, 161, 10))
    np.testing.assert_allclose(
        [f.info["nu_prime"] for f in frames], oh2 - oh1, atol=1e-12
    )
    positions = np.array([f.positions for f in frames])
    np.testing.assert_allclose(np.linalg.norm(positions[:, 1], axis=1), oh1, atol=1e-8)
    # the bisector is along +y and the molecule lies in the xy plane
    bisector = positions[:, 1] / oh1[:, None] + positions[:, 2] / oh2[:, None]
    np.testing.assert_allclose(bisector[:, [0, 2]], 0.0, atol=1e-8)
    assert np.all(bisector[:, 1] > 0)


def test_the_labels_are_the_ps_model_of_the_stored_positions():
    frames = load_water_dataset()
    positions = np.array([f.positions for f in frames])
    energy, forces = ps_energy_forces(positions)
    # positions are stored with 1e-8 Angstrom precision
    np.testing.assert_allclose([f.info["energy"] for f in frames], energy, atol=1e-6)
    np.testing.assert_allclose([f.arrays["forces"] for f in frames], forces, atol=1e-5)
    np.testing.assert_allclose(
        [f.info["dipole"] for f in frames], ps_dipole(positions), atol=1e-8
    )


def test_swapped_bonds_have_the_same_energy():
    frames = load_water_dataset()
    energy = np.array([f.info["energy"] for f in frames]).reshape(11, 11)
    np.testing.assert_allclose(energy, energy[::-1], rtol=1e-12)


def _reference(reference_dir):
    frames = ase.io.read(reference_dir / "chemrev_nuprime-theta-grid_computed.xyz", ":")
    energies = np.loadtxt(reference_dir / "pswater-ipi.out")[1:, 0]
    return frames, energies


def test_agreement_with_the_reference_dataset(reference_dir):
    reference, reference_energy = _reference(reference_dir)
    frames = load_water_dataset()
    assert len(reference) == len(frames) == len(reference_energy)
    for ours, theirs in zip(frames, reference, strict=True):
        np.testing.assert_allclose(ours.positions, theirs.positions - 50.0, atol=1e-7)
        for key in ("OH1", "OH2", "HOH"):
            assert ours.info[key] == pytest.approx(theirs.info[key], abs=1e-12)
    # forces: the reference is in Hartree/bohr, printed to 6 significant digits
    forces = np.array([f.arrays["forces"] for f in frames]) * BOHR_ANGSTROM / HARTREE_EV
    reference_forces = np.array([f.arrays["force"] for f in reference])
    assert np.abs(forces - reference_forces).max() < 1e-6
    # dipoles, in e·Angstrom
    dipoles = np.array([f.info["dipole"] for f in frames])
    reference_dipoles = np.array([f.calc.results["dipole"] for f in reference])
    assert np.abs(dipoles - reference_dipoles).max() < 1e-8
    # energies: undo i-PI's shift (+0.44739574 cm^-1) and its unit chain
    # cm^-1 -> kcal/mol -> Hartree (0.0015946679 Hartree per kcal/mol, 0.067 % too big)
    raw_reference = (
        reference_energy / (0.00285914375100642899 * 0.0015946679) - 0.44739574026257
    )
    energy_eV = (raw_reference - PS_MINIMUM_CM1) * CM1_TO_EV
    ours = np.array([f.info["energy"] for f in frames])
    # what is left (at most 0.0034 cm^-1, 4e-7 eV, or 7e-8 of the energy) is
    # below the reference's own precision: its positions are printed to 1e-8 Å
    assert np.abs(ours - energy_eV).max() < 5e-7
