import ase
import metatensor
import numpy as np
import pytest

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.tensormaps import (
    dipole_tensormap,
    dipoles_from_tensormap,
    energies_from_tensormap,
    energy_tensormap,
    forces_from_tensormap,
    stack_positions,
)


@pytest.fixture
def frames():
    return load_water_dataset()[:7]


def test_energy_round_trip_and_gradient_is_minus_the_forces(frames):
    tensor = energy_tensormap(frames)
    block = tensor.block()
    assert block.samples.names == ["system"]
    assert block.properties.names == ["energy"]
    gradient = block.gradient("positions")
    assert gradient.samples.names == ["sample", "system", "atom"]
    assert gradient.components[0].names == ["xyz"]
    forces = np.array([f.arrays["forces"] for f in frames])
    np.testing.assert_array_equal(gradient.values[:, :, 0], -forces.reshape(-1, 3))
    np.testing.assert_array_equal(
        energies_from_tensormap(tensor), [f.info["energy"] for f in frames]
    )
    np.testing.assert_array_equal(forces_from_tensormap(tensor), forces)


def test_energy_without_gradients(frames):
    for atoms in frames:
        del atoms.arrays["forces"]
    tensor = energy_tensormap(frames, gradients=False)
    assert tensor.block().gradients_list() == []
    with pytest.raises(ValueError, match="no 'positions' gradient"):
        forces_from_tensormap(tensor)


def test_energy_of_frames_with_different_sizes(frames):
    big = ase.Atoms(
        "OH2OH2", positions=np.vstack([frames[0].positions, frames[1].positions + 5])
    )
    big.info["energy"] = 1.0
    big.arrays["forces"] = np.ones((6, 3))
    tensor = energy_tensormap([frames[0], big])
    assert tensor.block().gradient("positions").values.shape == (9, 3, 1)
    with pytest.raises(ValueError, match="different numbers of atoms"):
        forces_from_tensormap(tensor)


def test_gradient_sums_match_metatensor_operations(frames):
    # summing the gradient over atoms of a translation-invariant energy gives zero
    tensor = energy_tensormap(frames)
    summed = metatensor.sum_over_samples(tensor, "system")
    np.testing.assert_allclose(
        summed.block().gradient("positions").values.sum(axis=0), 0, atol=1e-7
    )


@pytest.mark.parametrize("representation", ["spherical", "cartesian"])
def test_dipole_round_trip(frames, representation):
    tensor = dipole_tensormap(frames, representation=representation)
    dipoles = np.array([f.info["dipole"] for f in frames])
    np.testing.assert_array_equal(dipoles_from_tensormap(tensor), dipoles)


def test_spherical_dipole_is_in_yzx_order(frames):
    tensor = dipole_tensormap(frames)
    block = tensor.block(o3_lambda=1, o3_sigma=1)
    assert block.components[0].names == ["o3_mu"]
    np.testing.assert_array_equal(block.components[0].column("o3_mu"), [-1, 0, 1])
    dipoles = np.array([f.info["dipole"] for f in frames])
    np.testing.assert_array_equal(block.values[:, :, 0], dipoles[:, [1, 2, 0]])


def test_cartesian_dipole_has_an_xyz_component(frames):
    block = dipole_tensormap(frames, representation="cartesian").block()
    assert block.components[0].names == ["xyz"]


def test_stack_positions(frames):
    assert stack_positions(frames).shape == (7, 3, 3)


# ---- every error message names the frame and the key --------------------------


def _broken(frames, index, change):
    change(frames[index])
    return frames


@pytest.mark.parametrize(
    "function, change, message",
    [
        (
            energy_tensormap,
            lambda a: a.info.pop("energy"),
            r"frames\[3\] has no 'energy' in info: expected a scalar in eV",
        ),
        (
            energy_tensormap,
            lambda a: a.arrays.pop("forces"),
            r"frames\[3\] has no 'forces' in arrays",
        ),
        (
            dipole_tensormap,
            lambda a: a.info.pop("dipole"),
            r"frames\[3\] has no .dipole. in info: expected an array of shape \(3,\)",
        ),
        (
            energy_tensormap,
            lambda a: a.info.update(energy=[1.0, 2.0]),
            r"frames\[3\].info\['energy'\] has shape \(2,\)",
        ),
        (
            dipole_tensormap,
            lambda a: a.info.update(dipole=[1.0, 2.0]),
            r"frames\[3\].info\['dipole'\] has shape \(2,\)",
        ),
        (
            energy_tensormap,
            lambda a: (
                a.set_array("forces", None) or a.new_array("forces", np.ones((3, 2)))
            ),
            r"frames\[3\].arrays\['forces'\] has shape \(3, 2\): expected \(3, 3\)",
        ),
        (
            energy_tensormap,
            lambda a: a.info.update(energy=np.nan),
            r"frames\[3\].info\['energy'\] is not finite",
        ),
        (
            dipole_tensormap,
            lambda a: a.info.update(dipole=[0.0, np.inf, 0.0]),
            r"frames\[3\].info\['dipole'\] is not finite",
        ),
        (
            energy_tensormap,
            lambda a: a.arrays["forces"].__setitem__((0, 0), np.nan),
            r"frames\[3\].arrays\['forces'\] contains non-finite values",
        ),
        (
            energy_tensormap,
            lambda a: a.info.update(energy="high"),
            r"frames\[3\].info\['energy'\] is not numeric",
        ),
    ],
)
def test_bad_frames_raise_a_clear_error(frames, function, change, message):
    with pytest.raises(ValueError, match=message):
        function(_broken(frames, 3, change))


def test_a_value_left_in_the_calculator_is_pointed_out(frames):
    from ase.calculators.singlepoint import SinglePointCalculator

    atoms = frames[2]
    atoms.calc = SinglePointCalculator(atoms, energy=atoms.info.pop("energy"))
    with pytest.raises(ValueError, match=r"frames\[2\] has no 'energy'.*calculator"):
        energy_tensormap(frames)


def test_different_sizes_cannot_be_stacked(frames):
    frames[4] = ase.Atoms("OH", positions=[[0, 0, 0], [1, 0, 0]])
    with pytest.raises(
        ValueError, match=r"frames\[4\] has 2 atoms but frames\[0\] has 3"
    ):
        stack_positions(frames)


def test_different_species_cannot_be_stacked(frames):
    frames[1] = ase.Atoms("OHF", positions=frames[1].positions)
    with pytest.raises(ValueError, match=r"frames\[1\] has species"):
        stack_positions(frames)


def test_empty_frames_and_bad_representation(frames):
    with pytest.raises(ValueError, match="frames is empty"):
        energy_tensormap([])
    with pytest.raises(ValueError, match="representation must be"):
        dipole_tensormap(frames, representation="polar")
    with pytest.raises(ValueError, match=r"frames\[0\] is a str"):
        dipole_tensormap(["water"])
