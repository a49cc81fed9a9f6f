import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.rotations import rotation_matrix
from tutorial_helpers.symmetry_check import (
    check_symmetries,
    is_planar,
    transform_frames,
)
from tutorial_helpers.tensormaps import dipole_tensormap
from tutorial_helpers.water_model import ps_dipole, ps_energy_forces


@pytest.fixture
def frames():
    return load_water_dataset()[::20]


@pytest.fixture
def pairs(frames):
    """Two molecules together in each frame, the second turned and 3 Å away:
    six atoms that do not lie in one plane."""
    turn = rotation_matrix(0.3, 1.1, 0.5)
    others = transform_frames(frames[::-1], turn, [0.4, 0.8, 3.0])
    return [a + b for a, b in zip(frames, others, strict=True)]


def _positions(frames):
    return np.array([atoms.positions for atoms in frames])


def _pair_energy(frames):
    """The PS energies of the two molecules of each pair, summed: invariant."""
    p = _positions(frames)
    return ps_energy_forces(p[:, :3])[0] + ps_energy_forces(p[:, 3:])[0]


def _triple_product(frames):
    """(r1 − r0) · (r2 − r0) × (r3 − r0): unchanged by rotations, odd under
    the inversion."""
    p = _positions(frames)
    normal = np.cross(p[:, 2] - p[:, 0], p[:, 3] - p[:, 0])
    return np.einsum("ni,ni->n", p[:, 1] - p[:, 0], normal)


def test_the_ps_energy_passes_as_an_invariant(pairs):
    report = check_symmetries(_pair_energy, pairs, kind="invariant")
    assert report.passed(1e-10), str(report)
    assert set(report.deviations) == {
        "rotation",
        "inversion",
        "improper",
        "translation",
    }


def test_ps_forces_and_dipoles_pass_as_polar_vectors(frames):
    forces = check_symmetries(
        lambda f: ps_energy_forces(_positions(f))[1], frames, kind="vector"
    )
    dipoles = check_symmetries(
        lambda f: ps_dipole(_positions(f)), frames, kind="vector"
    )
    assert forces.passed(1e-10) and dipoles.passed(1e-10)


def test_a_spherical_tensormap_output_is_read_in_yzx_order(frames):
    def model(frames):
        for atoms in frames:
            atoms.info["dipole"] = ps_dipole(atoms.positions)[0]
        return dipole_tensormap(frames)

    assert check_symmetries(model, frames, kind="vector").passed(1e-10)


def test_an_axial_vector_needs_parity_plus_one(frames):
    def normal(frames):
        p = _positions(frames)
        return np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])

    assert check_symmetries(normal, frames, kind="vector", parity=1).passed(1e-12)
    report = check_symmetries(normal, frames, kind="vector", parity=-1)
    assert not report.passed(1e-3)
    assert (
        report.deviations["rotation"] < 1e-12 and report.deviations["inversion"] > 0.1
    )


def test_a_parity_odd_invariant_fails_only_the_inversion_rows(pairs):
    report = check_symmetries(_triple_product, pairs, kind="invariant")
    assert report.deviations["rotation"] < 1e-12
    assert report.deviations["translation"] < 1e-12
    assert report.deviations["inversion"] > 0.1 * report.scale
    assert report.deviations["improper"] > 0.1 * report.scale


def test_one_non_planar_frame_is_enough(frames, pairs):
    # two molecules side by side in the xy plane: six atoms in one plane
    flat_pairs = [
        a + b
        for a, b in zip(frames, transform_frames(frames, shift=[3, 0, 0]), strict=True)
    ]
    with pytest.raises(ValueError, match="are planar"):
        check_symmetries(_triple_product, flat_pairs, kind="invariant")
    mixed = [*flat_pairs, pairs[0]]
    report = check_symmetries(_triple_product, mixed, kind="invariant")
    assert report.deviations["inversion"] > 0.1 * report.scale


def test_an_invariant_check_refuses_frames_that_are_all_planar(frames):
    with pytest.raises(ValueError, match="frames: all 7 frames are planar"):
        check_symmetries(_pair_energy_of_one, frames, kind="invariant")


def _pair_energy_of_one(frames):
    return ps_energy_forces(_positions(frames))[0]


def test_a_vector_check_runs_on_planar_frames(frames):
    # a polar vector's inversion row can fail on a flat molecule (its normal)
    def normal(frames):
        p = _positions(frames)
        return np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])

    normal = check_symmetries(normal, frames, kind="vector")
    assert normal.deviations["inversion"] > 0.1


@settings(max_examples=25)
@given(st.tuples(*[st.floats(-np.pi, np.pi)] * 3), st.integers(0, 6))
def test_planarity_does_not_depend_on_the_orientation(angles, k):
    water = load_water_dataset()[20 * k]
    pair = water + transform_frames([water], rotation_matrix(*angles), [0, 0, 3])[0]
    turn = rotation_matrix(*angles[::-1])
    assert is_planar(transform_frames([water], turn)[0])
    assert not is_planar(transform_frames([pair], turn)[0])


def test_a_periodic_frame_is_never_planar(frames):
    periodic = frames[0].copy()
    periodic.cell, periodic.pbc = np.eye(3) * 10.0, True
    assert not is_planar(periodic)


def test_a_broken_model_fails(pairs):
    # the x coordinate of the first hydrogen is not invariant, and not a vector
    report = check_symmetries(lambda f: _positions(f)[:, 1, 0], pairs, kind="invariant")
    assert not report.passed(1e-3)
    assert (
        report.deviations["rotation"] > 0.1 and report.deviations["translation"] > 0.1
    )


def test_transform_frames_leaves_the_input_alone(frames):
    before = _positions(frames).copy()
    moved = transform_frames(frames, -np.eye(3), shift=[1.0, 0.0, 0.0])
    np.testing.assert_array_equal(_positions(frames), before)
    np.testing.assert_allclose(_positions(moved), -before + [1.0, 0.0, 0.0])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kind": "tensor"}, "kind must be one of"),
        ({"kind": "vector", "parity": 0}, "parity must be"),
    ],
)
def test_bad_arguments(frames, kwargs, message):
    with pytest.raises(ValueError, match=message):
        check_symmetries(lambda f: ps_dipole(_positions(f)), frames, **kwargs)


def test_a_vector_model_must_return_three_components(frames):
    with pytest.raises(ValueError, match="3 Cartesian components"):
        check_symmetries(lambda f: np.zeros((len(f), 2)), frames, kind="vector")


def test_the_model_must_be_callable(frames):
    with pytest.raises(ValueError, match="model must be callable"):
        check_symmetries("model", frames, kind="invariant")
