"""From ASE frames to metatensor TensorMaps, and back to numpy arrays.

- :func:`energy_tensormap`: one invariant block of energies (eV), with their
  gradient with respect to positions (eV/Angstrom), which is **minus** the forces.
- :func:`dipole_tensormap`: one block of dipoles (e·Angstrom), either as an
  ``o3_lambda = 1`` spherical tensor with ``o3_mu`` components in featomic's
  (y, z, x) order, or with a Cartesian ``xyz`` component.
- :func:`energies_from_tensormap`, :func:`forces_from_tensormap`,
  :func:`dipoles_from_tensormap`: the way back.

Frames are checked first: a missing key, a wrong shape or a non-finite number
raises a ``ValueError`` that names the frame and the key.
"""

from __future__ import annotations

import ase
import numpy as np
from metatensor import Labels, TensorBlock, TensorMap

from .rotations import SPHERICAL_TO_XYZ, XYZ_TO_SPHERICAL

__all__ = [
    "dipole_tensormap",
    "dipoles_from_tensormap",
    "energies_from_tensormap",
    "energy_tensormap",
    "forces_from_tensormap",
    "stack_positions",
]


def _calculator_hint(atoms, key):
    hint = ""
    if atoms.calc is not None and key in getattr(atoms.calc, "results", {}):
        hint = (
            " (it is in the attached calculator's results; "
            "tutorial_helpers.load_water_dataset keeps it in info)"
        )
    return hint


def _check_frames(frames):
    if isinstance(frames, ase.Atoms):
        raise TypeError("frames must be a list of ase.Atoms, got one: use [atoms]")
    if isinstance(frames, (str, bytes)) or not hasattr(frames, "__iter__"):
        raise TypeError(
            f"frames must be a list of ase.Atoms, got {type(frames).__name__}"
        )
    frames = list(frames)
    if len(frames) == 0:
        raise ValueError("frames is empty: expected at least one ase.Atoms")
    for i, atoms in enumerate(frames):
        if not isinstance(atoms, ase.Atoms):
            raise ValueError(f"frames[{i}] is a {type(atoms).__name__}, not ase.Atoms")
    return frames


def _info_array(frames, key, shape, unit):
    """``frames[i].info[key]`` for every frame, checked, stacked."""
    values = []
    what = "a scalar" if shape == () else f"an array of shape {shape}"
    for i, atoms in enumerate(frames):
        if key not in atoms.info:
            raise ValueError(
                f"frames[{i}] has no {key!r} in info: expected {what} in {unit}"
                + _calculator_hint(atoms, key)
            )
        value = np.asarray(atoms.info[key])
        # bools, strings and objects would convert to numbers silently: refuse them
        if value.dtype.kind not in "iuf":
            raise ValueError(
                f"frames[{i}].info[{key!r}] is not a real number: expected {what} "
                f"in {unit}, got {atoms.info[key]!r}"
            )
        value = value.astype(np.float64)
        if value.shape != shape:
            raise ValueError(
                f"frames[{i}].info[{key!r}] has shape {value.shape}: expected {what} "
                f"in {unit}"
            )
        if not np.all(np.isfinite(value)):
            raise ValueError(f"frames[{i}].info[{key!r}] is not finite: {value}")
        values.append(value)
    return np.stack(values)


def _forces(frames, key):
    forces = []
    for i, atoms in enumerate(frames):
        if key not in atoms.arrays:
            raise ValueError(
                f"frames[{i}] has no {key!r} in arrays: expected per-atom forces of "
                f"shape ({len(atoms)}, 3) in eV/Angstrom" + _calculator_hint(atoms, key)
            )
        value = np.asarray(atoms.arrays[key])
        if value.dtype.kind not in "iuf":
            raise ValueError(
                f"frames[{i}].arrays[{key!r}] holds {value.dtype} values: expected "
                "real numbers in eV/Angstrom"
            )
        value = value.astype(np.float64)
        if value.shape != (len(atoms), 3):
            raise ValueError(
                f"frames[{i}].arrays[{key!r}] has shape {value.shape}: expected "
                f"({len(atoms)}, 3) in eV/Angstrom"
            )
        if not np.all(np.isfinite(value)):
            raise ValueError(f"frames[{i}].arrays[{key!r}] contains non-finite values")
        forces.append(value)
    return forces


def stack_positions(frames):
    """Positions of frames that all have the same atoms, shape (n, n_atoms, 3).

    Raises
    ------
    ValueError
        If a frame has a different number of atoms, or different species, than
        ``frames[0]``, or non-finite positions.
    """
    frames = _check_frames(frames)
    reference = frames[0].get_chemical_symbols()
    for i, atoms in enumerate(frames):
        symbols = atoms.get_chemical_symbols()
        if len(symbols) != len(reference):
            raise ValueError(
                f"frames[{i}] has {len(symbols)} atoms but frames[0] has "
                f"{len(reference)}: frames of different sizes cannot be stacked"
            )
        if symbols != reference:
            raise ValueError(
                f"frames[{i}] has species {symbols} but frames[0] has {reference}"
            )
        if not np.all(np.isfinite(atoms.positions)):
            raise ValueError(f"frames[{i}] has non-finite positions")
    return np.stack([atoms.positions for atoms in frames])


def energy_tensormap(frames, *, energy="energy", forces="forces", gradients=True):
    """Energies of ``frames`` as a TensorMap, forces as a ``positions`` gradient.

    Parameters
    ----------
    frames : list of ase.Atoms
        Frames with ``info[energy]`` in eV and, if ``gradients``,
        ``arrays[forces]`` in eV/Angstrom. Frames may have different sizes.
    energy, forces : str
        Keys of the energy in ``info`` and of the forces in ``arrays``.
    gradients : bool
        Attach the ``positions`` gradient.

    Returns
    -------
    metatensor.TensorMap
        One block, key ``_ = 0``: samples ``system``, no components, property
        ``energy``; values of shape (n_frames, 1) in eV. Its ``positions``
        gradient has samples ``sample, system, atom`` (``sample`` indexes the
        rows of the values), component ``xyz`` and values of shape
        (n_atoms_total, 3, 1) equal to **minus** the forces, in eV/Angstrom.
    """
    frames = _check_frames(frames)
    energies = _info_array(frames, energy, (), "eV")
    block = TensorBlock(
        values=energies.reshape(-1, 1),
        samples=Labels.range("system", len(frames)),
        components=[],
        properties=Labels(["energy"], np.array([[0]])),
    )
    if gradients:
        all_forces = _forces(frames, forces)
        samples = np.concatenate(
            [
                np.stack([np.full(len(f), i), np.full(len(f), i), np.arange(len(f))], 1)
                for i, f in enumerate(all_forces)
            ]
        )
        block.add_gradient(
            "positions",
            TensorBlock(
                values=-np.concatenate(all_forces).reshape(-1, 3, 1),
                samples=Labels(["sample", "system", "atom"], samples),
                components=[Labels(["xyz"], np.arange(3).reshape(-1, 1))],
                properties=block.properties,
            ),
        )
    return TensorMap(Labels.single(), [block])


def dipole_tensormap(frames, *, dipole="dipole", representation="spherical"):
    """Dipoles of ``frames`` as a TensorMap.

    Parameters
    ----------
    frames : list of ase.Atoms
        Frames with a 3-vector ``info[dipole]`` in e·Angstrom.
    dipole : str
        Key of the dipole in ``info``.
    representation : {"spherical", "cartesian"}
        ``"spherical"``: key ``o3_lambda = 1, o3_sigma = 1`` and component
        ``o3_mu`` = -1, 0, 1, i.e. (y, z, x), as featomic orders λ = 1.
        ``"cartesian"``: key ``_ = 0`` and component ``xyz`` = 0, 1, 2.

    Returns
    -------
    metatensor.TensorMap
        One block with samples ``system`` and property ``dipole``; values of
        shape (n_frames, 3, 1) in e·Angstrom.
    """
    if representation not in ("spherical", "cartesian"):
        raise ValueError(
            f"representation must be 'spherical' or 'cartesian', got {representation!r}"
        )
    frames = _check_frames(frames)
    dipoles = _info_array(frames, dipole, (3,), "e·Angstrom")
    if representation == "spherical":
        keys = Labels(["o3_lambda", "o3_sigma"], np.array([[1, 1]]))
        component = Labels(["o3_mu"], np.arange(-1, 2).reshape(-1, 1))
        dipoles = dipoles[:, XYZ_TO_SPHERICAL]
    else:
        keys = Labels.single()
        component = Labels(["xyz"], np.arange(3).reshape(-1, 1))
    block = TensorBlock(
        values=dipoles.reshape(-1, 3, 1),
        samples=Labels.range("system", len(frames)),
        components=[component],
        properties=Labels(["dipole"], np.array([[0]])),
    )
    return TensorMap(keys, [block])


def _single_block(tensor, what):
    if not isinstance(tensor, TensorMap):
        raise TypeError(
            f"expected a {what} TensorMap, got {type(tensor).__name__}: make one "
            f"with tutorial_helpers.tensormaps.{what}_tensormap(frames)"
        )
    if len(tensor.keys) != 1:
        raise ValueError(
            f"expected a {what} TensorMap with one block, got {len(tensor)}"
        )
    return tensor.block(0)


def energies_from_tensormap(tensor):
    """Energies, shape (n_systems,), from a TensorMap made like
    :func:`energy_tensormap` (one block, one property)."""
    block = _single_block(tensor, "energy")
    if block.values.shape[1:] != (1,):
        raise ValueError(
            "expected energy values of shape (n_systems, 1), "
            f"got {tuple(block.values.shape)}"
        )
    return np.asarray(block.values)[:, 0].copy()


def forces_from_tensormap(tensor):
    """Forces, shape (n_systems, n_atoms, 3), from the ``positions`` gradient.

    The forces are **minus** the gradient. All systems must have the same number
    of atoms for the result to be one array.
    """
    block = _single_block(tensor, "energy")
    if "positions" not in block.gradients_list():
        raise ValueError("the energy TensorMap has no 'positions' gradient")
    gradient = block.gradient("positions")
    if gradient.components[0].names != ["xyz"]:
        raise ValueError(
            f"expected an 'xyz' gradient component, got {gradient.components[0].names}"
        )
    samples = gradient.samples.values
    system = np.asarray(block.samples.column("system"))[samples[:, 0]]
    counts = np.bincount(system, minlength=len(block.samples))
    if len(set(counts.tolist())) != 1:
        raise ValueError(
            f"systems have different numbers of atoms ({sorted(set(counts.tolist()))}):"
            " forces cannot be stacked into one array"
        )
    order = np.lexsort((samples[:, 2], system))
    forces = -np.asarray(gradient.values)[order, :, 0]
    return forces.reshape(len(block.samples), counts[0], 3)


def dipoles_from_tensormap(tensor):
    """Cartesian dipoles (x, y, z), shape (n_systems, 3), from a TensorMap made
    like :func:`dipole_tensormap`, in either representation."""
    block = _single_block(tensor, "dipole")
    if len(block.components) != 1 or block.values.shape[1:] != (3, 1):
        raise ValueError(
            "expected dipole values of shape (n_systems, 3, 1), "
            f"got {tuple(block.values.shape)}"
        )
    values = np.asarray(block.values)[:, :, 0]
    names = block.components[0].names
    if names == ["o3_mu"]:
        mu = np.asarray(block.components[0].column("o3_mu"))
        return values[:, np.argsort(mu)][:, SPHERICAL_TO_XYZ]
    if names == ["xyz"]:
        xyz = np.asarray(block.components[0].column("xyz"))
        return values[:, np.argsort(xyz)]
    raise ValueError(f"expected an 'o3_mu' or 'xyz' component, got {names}")
