import numpy as np
import pytest

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.symmetry_check import check_symmetries, transform_frames
from tutorial_helpers.tensormaps import dipole_tensormap
from tutorial_helpers.water_model import ps_dipole, ps_energy_forces


@pytest.fixture
def frames():
    return load_water_dataset()[::20]


def _positions(frames):
    return np.array([atoms.positions for atoms in frames])


def test_the_ps_energy_passes_as_an_invariant(frames):
    report = check_symmetries(
        lambda f: ps_energy_forces(_positions(f))[0], frames, kind="invariant"
    )
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


def test_a_broken_model_fails(frames):
    # the x coordinate of the first hydrogen is not invariant, and not a vector
    report = check_symmetries(
        lambda f: _positions(f)[:, 1, 0], frames, kind="invariant"
    )
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
