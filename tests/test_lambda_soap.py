import ase
import numpy as np
import pytest
from metatensor import Labels, TensorBlock, TensorMap

from tutorial_helpers.clebsch_gordan import coupled_product
from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.lambda_soap import (
    center_block,
    density_coefficients,
    lambda_soap,
    water_hypers,
)
from tutorial_helpers.rotations import (
    matrix_to_angles,
    random_rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.symmetry_check import transform_frames

SMALL = {"max_angular": 2, "max_radial": 1}


@pytest.fixture(scope="module")
def frames():
    return load_water_dataset()[:3]


# water_hypers


def test_hypers_hold_the_cutoff_density_and_basis_asked_for():
    hypers = water_hypers(max_angular=3, max_radial=2)
    assert hypers["cutoff"]["radius"] == 4.0
    assert hypers["cutoff"]["smoothing"] == {"type": "ShiftedCosine", "width": 0.5}
    assert hypers["density"] == {"type": "Gaussian", "width": 0.3}
    assert hypers["basis"]["max_angular"] == 3
    assert hypers["basis"]["radial"] == {"type": "Gto", "max_radial": 2}


def test_hypers_are_a_new_dictionary_each_time():
    water_hypers()["cutoff"]["radius"] = 99.0
    assert water_hypers()["cutoff"]["radius"] == 4.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"max_angular": -1}, "max_angular must be a non-negative integer, got -1"),
        ({"max_radial": 1.5}, "max_radial must be a non-negative integer, got 1.5"),
        ({"max_angular": True}, "max_angular must be a non-negative integer"),
    ],
)
def test_hypers_reject_bad_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        water_hypers(**kwargs)


# density_coefficients


def test_density_coefficients_have_featomics_keys(frames):
    tensor = density_coefficients(frames, **SMALL)
    assert tensor.keys.names == [
        "o3_lambda",
        "o3_sigma",
        "center_type",
        "neighbor_type",
    ]
    block = tensor.block(o3_lambda=2, center_type=8, neighbor_type=1)
    assert block.values.shape == (len(frames), 5, 2)
    assert block.samples.names == ["system", "atom"]


def test_a_fragment_has_the_same_properties_as_the_molecule(frames):
    molecule = density_coefficients(frames[0], **SMALL, neighbors_to_properties=True)
    oxygen = density_coefficients(frames[0][[0]], **SMALL, neighbors_to_properties=True)
    for lam in range(3):
        whole, alone = (center_block(t, lam) for t in (molecule, oxygen))
        assert whole.properties == alone.properties
        assert whole.properties.names == ["neighbor_type", "n"]
        hydrogen = alone.properties.column("neighbor_type") == 1
        np.testing.assert_array_equal(alone.values[..., hydrogen], 0.0)


# lambda_soap


def test_lambda_soap_has_all_degrees_up_to_twice_max_angular(frames):
    tensor = lambda_soap(frames, **SMALL)
    assert tensor.keys.names == ["o3_lambda", "o3_sigma", "center_type"]
    assert sorted(set(tensor.keys.column("o3_lambda").tolist())) == list(range(5))
    assert tensor.block(0).properties.names == [
        "l_1",
        "l_2",
        "neighbor_1_type",
        "n_1",
        "neighbor_2_type",
        "n_2",
    ]


def test_selected_degrees_give_the_same_blocks(frames):
    full = lambda_soap(frames, **SMALL)
    some = lambda_soap(frames, **SMALL, o3_lambda=[1, 3])
    assert sorted(set(some.keys.column("o3_lambda").tolist())) == [1, 3]
    for key, block in some.items():
        np.testing.assert_array_equal(block.values, full.block(key).values)
    single = lambda_soap(frames, **SMALL, o3_lambda=np.int64(2))
    assert set(single.keys.column("o3_lambda").tolist()) == {2}


def test_lambda_soap_is_sigma_times_the_coupled_density_coefficients(frames):
    density = density_coefficients(frames, **SMALL)
    tensor = lambda_soap(frames, **SMALL, o3_lambda=3)
    for sigma in (1, -1):
        block = center_block(tensor, 3, sigma)
        for column, (l1, l2, a1, n1, a2, n2) in enumerate(block.properties.values):
            c1 = density.block(o3_lambda=l1, center_type=8, neighbor_type=a1).values
            c2 = density.block(o3_lambda=l2, center_type=8, neighbor_type=a2).values
            by_hand = coupled_product(c1[:, :, n1], c2[:, :, n2], 3)
            assert (-1) ** (l1 + l2 + 3) == sigma
            np.testing.assert_allclose(
                block.values[:, :, column], sigma * by_hand, atol=1e-14
            )


def test_lambda_soap_blocks_rotate_with_the_wigner_matrix(frames):
    R = random_rotation_matrix(1, seed=4)[0]
    original = lambda_soap(frames, **SMALL)
    rotated = lambda_soap(transform_frames(frames, R), **SMALL)
    angles = matrix_to_angles(R)
    for key, block in original.items():
        D = wigner_d_real(int(key["o3_lambda"]), *angles)
        np.testing.assert_allclose(
            rotated.block(key).values,
            np.einsum("mp,spn->smn", D, block.values),
            atol=1e-12,
        )


def test_a_single_atoms_is_a_list_of_one(frames):
    one = lambda_soap(frames[1], **SMALL, o3_lambda=1)
    listed = lambda_soap([frames[1]], **SMALL, o3_lambda=1)
    for key, block in one.items():
        np.testing.assert_array_equal(block.values, listed.block(key).values)


@pytest.mark.parametrize("o3_lambda", [5, -1, 1.0, [], "1", [0, 9]])
def test_lambda_soap_rejects_degrees_it_cannot_have(frames, o3_lambda):
    with pytest.raises(ValueError, match="o3_lambda must be a degree or a list"):
        lambda_soap(frames, **SMALL, o3_lambda=o3_lambda)


@pytest.mark.parametrize(
    "bad, message",
    [
        ([], "frames is empty"),
        ("water", "frames must be an ase.Atoms or a list of them, got str"),
        ([ase.Atoms("H2O"), 3], r"frames\[1\] is a int, not ase.Atoms"),
    ],
)
@pytest.mark.parametrize("function", [density_coefficients, lambda_soap])
def test_bad_frames_raise_a_value_error(function, bad, message):
    with pytest.raises(ValueError, match=message):
        function(bad, **SMALL)


@pytest.mark.parametrize("types", [[], [1, 1], [0, 8], "HO"])
def test_bad_neighbor_types_raise_a_value_error(frames, types):
    with pytest.raises(ValueError, match="neighbor_types"):
        lambda_soap(frames, **SMALL, neighbor_types=types)


# center_block


def _unsorted_tensor():
    samples = Labels(["system", "atom"], np.array([[2, 0], [0, 0], [1, 0]]))
    block = TensorBlock(
        values=np.arange(9.0).reshape(3, 3, 1),
        samples=samples,
        components=[_mu(1)],
        properties=Labels.range("n", 1),
    )
    keys = Labels(["o3_lambda", "o3_sigma", "center_type"], np.array([[1, -1, 8]]))
    return TensorMap(keys, [block])


def _mu(lam):
    return Labels(["o3_mu"], np.arange(-lam, lam + 1).reshape(-1, 1))


def test_center_block_sorts_samples_in_the_order_of_the_frames():
    block = center_block(_unsorted_tensor(), 1, -1, center_type=8)
    assert block.samples.column("system").tolist() == [0, 1, 2]
    np.testing.assert_array_equal(block.values[:, 0, 0], [3.0, 6.0, 0.0])


def test_center_block_names_the_blocks_there_are():
    with pytest.raises(
        ValueError, match=r"no block .* \(1, 1, 8\); it has \(1, -1, 8\)"
    ):
        center_block(_unsorted_tensor(), 1, 1, center_type=8)


def test_center_block_asks_for_neighbor_types_in_the_properties(frames):
    tensor = density_coefficients(frames, **SMALL)
    with pytest.raises(ValueError, match="move neighbor_type to the properties"):
        center_block(tensor, 0)


@pytest.mark.parametrize("sigma", [0, 2, True])
def test_center_block_rejects_a_parity_that_is_not_plus_or_minus_one(sigma):
    with pytest.raises(ValueError, match="o3_sigma must be"):
        center_block(_unsorted_tensor(), 1, sigma)


def test_center_block_rejects_what_is_not_a_tensormap():
    with pytest.raises(ValueError, match="tensor must be a metatensor TensorMap"):
        center_block(np.zeros(3), 1)
