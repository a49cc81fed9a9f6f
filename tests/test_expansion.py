import ase
import featomic
import numpy as np
import pytest

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.expansion import (
    CUTOFF,
    DENSITY_WIDTH,
    MAX_ANGULAR,
    MAX_RADIAL,
    expansion_hypers,
    radial_basis,
    shown_molecule,
    spherical_expansion,
)

WATER = ase.Atoms("OH2", positions=[[0, 0, 0], [0.76, 0.59, 0.0], [-0.76, 0.59, 0]])


@pytest.fixture(scope="module")
def frames():
    return load_water_dataset()


def test_the_hypers_are_the_chapters_and_featomic_takes_them():
    hypers = expansion_hypers()
    assert hypers["cutoff"]["radius"] == CUTOFF == 4.0
    assert hypers["cutoff"]["smoothing"] == {"type": "ShiftedCosine", "width": 0.5}
    assert hypers["density"] == {"type": "Gaussian", "width": DENSITY_WIDTH}
    assert hypers["basis"]["max_angular"] == MAX_ANGULAR == 6
    assert hypers["basis"]["radial"] == {"type": "Gto", "max_radial": MAX_RADIAL}
    keys = featomic.SphericalExpansion(**hypers).compute(WATER).keys
    assert sorted(set(keys.column("o3_lambda").tolist())) == list(range(7))


def test_each_call_gives_a_new_dict():
    first = expansion_hypers()
    first["basis"]["radial"]["max_radial"] = 11
    first["cutoff"]["smoothing"]["width"] = 1.0
    assert expansion_hypers() == expansion_hypers(MAX_RADIAL, MAX_ANGULAR)
    assert expansion_hypers()["basis"]["radial"]["max_radial"] == MAX_RADIAL
    assert expansion_hypers()["cutoff"]["smoothing"]["width"] == 0.5


def test_other_basis_sizes():
    hypers = expansion_hypers(max_radial=14, max_angular=8)
    assert hypers["basis"]["radial"]["max_radial"] == 14
    assert hypers["basis"]["max_angular"] == 8
    assert hypers["cutoff"] == expansion_hypers()["cutoff"]


@pytest.mark.parametrize(
    "arguments, name",
    [({"max_radial": -1}, "max_radial"), ({"max_angular": 2.5}, "max_angular")],
)
def test_bad_basis_sizes_are_refused(arguments, name):
    with pytest.raises(ValueError, match=f"{name} must be a non-negative integer"):
        expansion_hypers(**arguments)


def test_the_radial_basis_has_max_radial_plus_one_orthonormal_functions():
    basis = radial_basis(expansion_hypers(max_radial=3))
    r = np.linspace(0.0, 12.0, 20001)  # Å
    values = basis.compute(r, derivative=False)
    assert values.shape == (len(r), 4)
    overlap = np.trapezoid(
        values[:, :, None] * values[:, None, :] * r[:, None, None] ** 2, r, axis=0
    )
    np.testing.assert_allclose(overlap, np.eye(4), atol=1e-8)


def test_the_radial_basis_refuses_other_hypers():
    hypers = expansion_hypers()
    hypers["basis"]["radial"]["type"] = "SphericalBessel"
    with pytest.raises(ValueError, match="must be 'Gto', got 'SphericalBessel'"):
        radial_basis(hypers)
    with pytest.raises(ValueError, match="nested like expansion_hypers"):
        radial_basis({"cutoff": 4.0})


def test_the_expansion_is_featomics_with_the_chapters_hypers():
    expected = featomic.SphericalExpansion(**expansion_hypers()).compute(WATER)
    tensor = spherical_expansion(WATER)
    assert tensor.keys == expected.keys
    for key, block in expected.items():
        np.testing.assert_array_equal(tensor.block(key).values, block.values)
        assert tensor.block(key).gradients_list() == []


def test_the_expansion_of_a_list_with_gradients():
    tensor = spherical_expansion([WATER, WATER.copy()], gradients=True)
    block = tensor.block(o3_lambda=1, center_type=8, neighbor_type=1)
    assert block.samples.names == ["system", "atom"]
    assert len(block.samples) == 2
    gradient = block.gradient("positions")
    assert gradient.samples.names == ["sample", "system", "atom"]
    assert [c.names for c in gradient.components] == [["xyz"], ["o3_mu"]]


def test_the_expansion_with_other_hypers_leaves_them_intact():
    hypers = expansion_hypers(max_radial=2, max_angular=1)
    tensor = spherical_expansion(WATER, hypers)
    assert tensor.block(o3_lambda=1, center_type=8, neighbor_type=1).values.shape == (
        1,
        3,
        3,
    )
    assert hypers == expansion_hypers(max_radial=2, max_angular=1)


@pytest.mark.parametrize(
    "frames, message",
    [
        ([], "non-empty list"),
        ([WATER, "water"], r"frames\[1\] must be an ase.Atoms, not str"),
    ],
)
def test_bad_frames_are_refused(frames, message):
    with pytest.raises(ValueError, match=message):
        spherical_expansion(frames)


def test_gradients_must_be_a_bool():
    with pytest.raises(ValueError, match="gradients must be True or False"):
        spherical_expansion(WATER, gradients=["positions"])


def test_the_shown_molecule_is_the_symmetric_one_at_110_degrees(frames):
    molecule = shown_molecule(frames)
    o, h1, h2 = molecule.positions
    np.testing.assert_allclose(o, 0.0)
    np.testing.assert_allclose(np.linalg.norm([h1, h2], axis=1), 0.95, atol=1e-8)
    angle = np.degrees(np.arccos(h1 @ h2 / np.linalg.norm(h1) / np.linalg.norm(h2)))
    assert angle == pytest.approx(110.0)
    assert molecule.get_chemical_symbols() == ["O", "H", "H"]
    assert shown_molecule().positions.tolist() == molecule.positions.tolist()


def test_the_shown_molecule_is_a_copy(frames):
    molecule = shown_molecule(frames)
    molecule.positions += 1.0
    np.testing.assert_allclose(shown_molecule(frames).positions[0], 0.0)


def test_frames_without_the_shown_molecule_are_refused(frames):
    with pytest.raises(ValueError, match="no molecule with nu_prime = 0"):
        shown_molecule(frames[:10])
