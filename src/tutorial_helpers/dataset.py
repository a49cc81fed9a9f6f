"""The water dataset: a grid of stretched and bent molecules with PS labels.

Each frame is one water molecule (O, H, H) in the xy plane, with the oxygen at
the origin and the bisector of the H–O–H angle along +y:

- H1 = r1 (cos(90° + θ/2), sin(90° + θ/2), 0),
- H2 = r2 (cos(90° − θ/2), sin(90° − θ/2), 0).

The grid has r1 = 0.70 ... 1.20 Angstrom in steps of 0.05 Angstrom with
r2 = 1.9 Angstrom − r1, so that Δr = r2 − r1 (``nu_prime``) runs from +0.5 to
−0.5 Angstrom, and θ = 60° ... 160° in steps of 10° (inner loop): 121 geometries.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import ase
import numpy as np

from .water_model import ps_dipole, ps_energy_forces

__all__ = [
    "DATASET_NAME",
    "dataset_path",
    "data_file",
    "grid_positions",
    "load_water_dataset",
    "make_water_dataset",
    "write_water_dataset",
]

#: File name of the dataset, in ``data/`` of the repository and in the package.
DATASET_NAME = "water-ps-nuprime-theta-grid.xyz"

_R1_GRID = np.round(np.arange(0.70, 1.2001, 0.05), 10)
_THETA_GRID = np.arange(60.0, 160.1, 10.0)
_R_SUM = 1.9


def grid_positions(r1, r2, theta):
    """Positions of water molecules in the dataset's frame of reference.

    Parameters
    ----------
    r1, r2 : array_like, shape (n,)
        O–H1 and O–H2 lengths, in Angstrom.
    theta : array_like, shape (n,)
        H–O–H angle, in degrees.

    Returns
    -------
    positions : numpy.ndarray, shape (n, 3, 3)
        O at the origin, molecule in the xy plane, bisector along +y, in Angstrom.
    """
    r1, r2, theta = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(x, dtype=np.float64)) for x in (r1, r2, theta))
    )
    half = np.radians(theta) / 2
    positions = np.zeros(r1.shape + (3, 3))
    positions[:, 1, 0] = r1 * np.cos(np.pi / 2 + half)
    positions[:, 1, 1] = r1 * np.sin(np.pi / 2 + half)
    positions[:, 2, 0] = r2 * np.cos(np.pi / 2 - half)
    positions[:, 2, 1] = r2 * np.sin(np.pi / 2 - half)
    return positions


def make_water_dataset() -> list[ase.Atoms]:
    """Compute the 121 frames of the dataset with the PS model.

    Returns
    -------
    frames : list of ase.Atoms
        Non-periodic molecules (O, H, H) with ``info`` keys ``energy`` (eV, zero
        at the PS minimum), ``dipole`` (e·Angstrom), ``OH1``, ``OH2`` (Angstrom),
        ``HOH`` (degrees) and ``nu_prime`` = OH2 − OH1 (Angstrom), and the array
        ``forces`` (eV/Angstrom).
    """
    r1 = np.repeat(_R1_GRID, len(_THETA_GRID))
    r2 = np.round(_R_SUM - r1, 10)
    theta = np.tile(_THETA_GRID, len(_R1_GRID))
    positions = grid_positions(r1, r2, theta)
    energies, forces = ps_energy_forces(positions)
    dipoles = ps_dipole(positions)
    frames = []
    for i in range(len(positions)):
        atoms = ase.Atoms("OH2", positions=positions[i], pbc=False)
        atoms.info["energy"] = float(energies[i])
        atoms.info["dipole"] = dipoles[i].copy()
        atoms.info["OH1"] = float(r1[i])
        atoms.info["OH2"] = float(r2[i])
        atoms.info["HOH"] = float(theta[i])
        atoms.info["nu_prime"] = float(np.round(r2[i] - r1[i], 10))
        atoms.arrays["forces"] = forces[i].copy()
        frames.append(atoms)
    return frames


def write_water_dataset(path) -> Path:
    """Regenerate the dataset and write it as extended XYZ to ``path``."""
    import ase.io

    path = Path(path)
    ase.io.write(path, make_water_dataset(), format="extxyz")
    return path


def dataset_path() -> Path:
    """Where the dataset file is: inside the installed package, or in ``data/``.

    Raises
    ------
    FileNotFoundError
        If neither the packaged copy nor a repository checkout is found.
    """
    return data_file(DATASET_NAME)


def data_file(name: str) -> Path:
    """Where the data file ``name`` is: inside the installed package, or in the
    ``data/`` folder of a repository checkout.

    Raises
    ------
    FileNotFoundError
        If neither the packaged copy nor a repository checkout is found.
    """
    packaged = importlib.resources.files("tutorial_helpers") / "data" / name
    if packaged.is_file():
        return Path(str(packaged))
    in_checkout = Path(__file__).resolve().parents[2] / "data" / name
    if in_checkout.is_file():
        return in_checkout
    raise FileNotFoundError(
        f"{name} is neither in the installed tutorial_helpers package "
        f"nor at {in_checkout}; install the package with `pip install .` from "
        "the repository, or regenerate the file with `nox -s data`"
    )


def load_water_dataset() -> list[ase.Atoms]:
    """Load the 121 water frames, wherever this package is installed.

    Returns
    -------
    frames : list of ase.Atoms
        See :func:`make_water_dataset` for the keys and their units. The
        ``energy`` and ``dipole`` are in ``atoms.info`` and the forces in
        ``atoms.arrays["forces"]``; no ASE calculator is attached.
    """
    import ase.io

    frames = ase.io.read(dataset_path(), index=":", format="extxyz")
    for atoms in frames:
        # ASE moves energy/forces/dipole into a SinglePointCalculator on reading:
        # put them back where the writer left them, so frames have one layout.
        if atoms.calc is not None:
            results = atoms.calc.results
            for key in ("energy", "dipole"):
                if key in results:
                    atoms.info[key] = results[key]
            if "forces" in results:
                atoms.arrays["forces"] = results["forces"]
            atoms.calc = None
        atoms.pbc = False
    return frames
