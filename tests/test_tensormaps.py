import functools
from functools import partial

import ase
import metatensor
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
            r"frames\[3\].info\['energy'\] is not a real number",
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


# ---- malformed frames, thrown at every function that takes frames ----------------
FRAME_FUNCTIONS = {
    "stack_positions": stack_positions,
    "energy_tensormap": energy_tensormap,
    "energy_tensormap(gradients=False)": partial(energy_tensormap, gradients=False),
    "dipole_tensormap": dipole_tensormap,
    "dipole_tensormap(cartesian)": partial(
        dipole_tensormap, representation="cartesian"
    ),
}
_ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(max_magnitude=2),
    st.text(max_size=3),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=4),
    st.builds(np.zeros, st.sampled_from([(2,), (3,), (2, 2), (3, 3), (4, 3)])),
)


@functools.cache
def _four_frames():
    return tuple(load_water_dataset()[:4])


@st.composite
def _malformed(draw):
    """(frames, index of the damaged frame) with one frame damaged at random."""
    frames = [atoms.copy() for atoms in _four_frames()]
    index = draw(st.integers(0, len(frames) - 1))
    atoms = frames[index]
    damage = draw(
        st.sampled_from(
            ["replace", "info", "delete", "forces", "positions", "species", "size"]
        )
    )
    if damage == "replace":
        frames[index] = draw(st.one_of(_ANYTHING, st.just({"info": {}})))
    elif damage == "info":
        atoms.info[draw(st.sampled_from(["energy", "dipole"]))] = draw(_ANYTHING)
    elif damage == "delete":
        key = draw(st.sampled_from(["energy", "dipole", "forces"]))
        (atoms.arrays if key == "forces" else atoms.info).pop(key)
    elif damage == "forces":
        atoms.arrays["forces"] = np.asarray(draw(_ANYTHING))
    elif damage == "positions":
        atoms.positions[draw(st.integers(0, 2)), 0] = draw(
            st.sampled_from([np.nan, np.inf])
        )
    elif damage == "species":
        atoms.numbers[0] = 9
    else:
        frames[index] = atoms + ase.Atoms("H", positions=[[0.0, 0.0, 2.0]])
    return frames, index


def _check_valid_result(name, result, frames):
    if name == "stack_positions":
        positions = np.stack([atoms.positions for atoms in frames])
        np.testing.assert_array_equal(result, positions)
        return
    assert isinstance(result, metatensor.TensorMap)
    assert len(result) == 1 and len(result.block().samples) == len(frames)
    assert np.all(np.isfinite(result.block().values))
    key = "energy" if name.startswith("energy") else "dipole"
    for atoms in frames:  # nothing was coerced: bools and strings are not numbers
        assert np.asarray(atoms.info[key]).dtype.kind in "iuf", atoms.info[key]
    if name.startswith("energy"):
        expected = [float(atoms.info["energy"]) for atoms in frames]
        np.testing.assert_array_equal(energies_from_tensormap(result), expected)
        if "gradients=False" not in name:
            forces = [atoms.arrays["forces"] for atoms in frames]
            assert all(f.dtype.kind in "iuf" for f in forces)
            forces = np.concatenate(forces)
            gradient = result.block().gradient("positions").values[:, :, 0]
            np.testing.assert_array_equal(gradient, -forces)
    else:
        expected = [np.asarray(atoms.info["dipole"], float) for atoms in frames]
        np.testing.assert_array_equal(dipoles_from_tensormap(result), expected)


@pytest.mark.parametrize("name", FRAME_FUNCTIONS)
@settings(max_examples=150)
@given(case=_malformed())
def test_malformed_frames_raise_naming_the_frame_or_give_a_valid_tensormap(name, case):
    frames, index = case
    try:
        result = FRAME_FUNCTIONS[name](frames)
    except (ValueError, TypeError) as error:
        assert f"frames[{index}]" in str(error), str(error)
    else:
        _check_valid_result(name, result, frames)


@pytest.mark.parametrize(
    "function",
    [energies_from_tensormap, forces_from_tensormap, dipoles_from_tensormap],
)
@pytest.mark.parametrize("bad", [None, [1.0, 2.0], "tensor", np.zeros((3, 1))])
def test_functions_of_tensormaps_refuse_anything_else(function, bad):
    with pytest.raises(TypeError, match="TensorMap, got"):
        function(bad)


def test_a_single_atoms_is_not_taken_for_a_list(frames):
    with pytest.raises(TypeError, match=r"use \[atoms\]"):
        energy_tensormap(frames[0])
