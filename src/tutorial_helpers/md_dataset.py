"""The water MD dataset: molecules sampled by molecular dynamics on the PS surface.

Each frame is one water molecule (O, H, H), taken from Langevin dynamics (ASE)
on the Partridge–Schwenke surface
(:class:`~tutorial_helpers.ps_calculator.PartridgeSchwenkeCalculator`) at one of
:data:`TEMPERATURES_K`, centred on its centre of mass and turned by its own
random rotation. Its labels are
computed in that orientation: the PS energy, forces and dipole
(:mod:`tutorial_helpers.water_model`), and the static polarizability tensor
from PySCF, RHF/aug-cc-pVDZ by analytic (coupled-perturbed) response
(:func:`tutorial_helpers.polarizability.rhf_polarizability`).

The last :data:`TEST_FRAMES_PER_TEMPERATURE` frames of every temperature form
the held-out test set (``info["split"] == "test"``), the others the training
set. ``data/README.md`` tells why these temperatures and how long generation
takes; :func:`load_water_md_dataset` reads the file.
"""

from __future__ import annotations

import gzip
import io
import re
import time
from pathlib import Path

import ase
import numpy as np

from .dataset import data_file
from .rotations import random_rotation_matrix
from .water_model import ps_dipole, ps_energy_forces, water_internal_coordinates

__all__ = [
    "EQUILIBRATION_FS",
    "FRAMES_PER_TEMPERATURE",
    "FRICTION_PER_FS",
    "MD_DATASET_NAME",
    "SEED",
    "SPLITS",
    "TEMPERATURES_K",
    "TEST_FRAMES_PER_TEMPERATURE",
    "TIMESTEP_FS",
    "load_water_md_dataset",
    "make_water_md_dataset",
    "md_dataset_path",
    "md_positions",
    "sample_md_geometries",
    "write_water_md_dataset",
]

#: File name of the dataset, in ``data/`` of the repository and in the package.
MD_DATASET_NAME = "water-ps-md-rhf-polarizability.xyz.gz"

#: Thermostat temperatures, in K. A classical molecule at 300 K stays close to
#: the minimum; the zero-point motion of the stretches (about 1850 cm^-1 each
#: in a real molecule) is the average energy of a classical mode near 2700 K,
#: that of the bend (about 800 cm^-1) near 1150 K.
TEMPERATURES_K = (300.0, 1000.0, 2000.0, 3000.0)
#: Time step of the dynamics, in fs; about 1/18 of the O–H stretch period (9 fs).
TIMESTEP_FS = 0.5
#: Langevin friction, in 1/fs; the thermostat forgets velocities in 1/0.02 = 50 fs.
FRICTION_PER_FS = 0.02
#: How long each molecule is run, from near the PS minimum, before its frame is
#: taken: 20 times the thermostat's memory.
EQUILIBRATION_FS = 1000.0
#: Molecules at each temperature, each from its own trajectory.
FRAMES_PER_TEMPERATURE = 300
#: Of these, the last ones form the held-out test set.
TEST_FRAMES_PER_TEMPERATURE = 50
#: The seed of everything random (initial velocities, thermostat noise, rotations).
SEED = 20260
#: The values of ``info["split"]``, and what :func:`load_water_md_dataset` takes.
SPLITS = ("train", "test")

# near the PS minimum (r = 0.957 Angstrom, θ = 104.5°), where every trajectory
# starts (Angstrom)
_START = np.array([[0.0, 0.0, 0.0], [0.75720, 0.58588, 0.0], [-0.75720, 0.58588, 0.0]])


def _steps(duration_fs):
    steps = round(duration_fs / TIMESTEP_FS)
    if abs(steps * TIMESTEP_FS - duration_fs) > 1e-9:
        raise ValueError(
            f"{duration_fs} fs is not a whole number of {TIMESTEP_FS} fs steps"
        )
    return steps


class _MoleculeNoise:
    """A ``standard_normal`` that draws each molecule's numbers from its own
    stream, so that a molecule's trajectory does not depend on how many run
    beside it (ASE's dynamics and velocities draw shape (n_atoms, 3) at once)."""

    def __init__(self, seeds):
        self.streams = [np.random.default_rng(seed) for seed in seeds]

    def standard_normal(self, size):
        n_atoms, n_axes = size
        if n_atoms != 3 * len(self.streams):
            raise RuntimeError(f"{n_atoms} atoms drawn for {len(self.streams)} waters")
        return np.concatenate([s.standard_normal((3, n_axes)) for s in self.streams])


def md_positions(temperature_k, n_molecules, *, seed=SEED, index=0):
    """Water molecules after Langevin dynamics on the PS surface, one run each.

    Every molecule starts near the PS minimum with Maxwell–Boltzmann velocities
    and runs for :data:`EQUILIBRATION_FS` (time step :data:`TIMESTEP_FS`,
    friction :data:`FRICTION_PER_FS`), translating and tumbling freely. The
    molecules run side by side in one ASE dynamics, but they do not interact
    and each has its own random numbers: molecule j is the same whatever
    ``n_molecules`` is, and no two frames are correlated.

    Parameters
    ----------
    temperature_k : float
        Thermostat temperature, in K.
    n_molecules : int
        Number of molecules (of independent trajectories).
    seed : int
        Seed of the velocities and of the thermostat's noise.
    index : int
        Which set of trajectories of this seed: each temperature of the dataset
        has its own (its position in :data:`TEMPERATURES_K`).

    Returns
    -------
    positions : numpy.ndarray, shape (n_molecules, 3, 3)
        Final positions in Angstrom, atoms O, H, H, as the dynamics left them.
    """
    from ase import units
    from ase.md.langevin import Langevin

    try:  # ase >= 3.29; the same draws as MaxwellBoltzmannDistribution before it
        from ase.md.velocitydistribution import thermalize_momenta
    except ImportError:  # pragma: no cover
        from ase.md.velocitydistribution import (
            MaxwellBoltzmannDistribution as thermalize_momenta,
        )

    from .ps_calculator import PartridgeSchwenkeCalculator

    if not (isinstance(temperature_k, (int, float)) and 0 < temperature_k <= 10_000):
        raise ValueError(
            f"temperature_k must be a temperature in K in (0, 10000], got "
            f"{temperature_k!r}"
        )
    if not isinstance(n_molecules, (int, np.integer)) or n_molecules < 1:
        raise ValueError(f"n_molecules must be a positive integer, got {n_molecules!r}")
    noise = _MoleculeNoise([(seed, index, j) for j in range(n_molecules)])
    atoms = ase.Atoms("OH2" * n_molecules, positions=np.tile(_START, (n_molecules, 1)))
    atoms.calc = PartridgeSchwenkeCalculator()
    thermalize_momenta(atoms, temperature_K=temperature_k, rng=noise)
    dynamics = Langevin(
        atoms,
        TIMESTEP_FS * units.fs,
        temperature_K=temperature_k,
        friction=FRICTION_PER_FS / units.fs,
        fixcm=False,
        rng=noise,
    )
    dynamics.run(_steps(EQUILIBRATION_FS))
    return atoms.positions.reshape(n_molecules, 3, 3)


def sample_md_geometries(frames_per_temperature=FRAMES_PER_TEMPERATURE, *, seed=SEED):
    """The dataset's geometries: MD frames, centred and turned at random.

    Parameters
    ----------
    frames_per_temperature : int
        Molecules at each of :data:`TEMPERATURES_K`. The dataset has
        :data:`FRAMES_PER_TEMPERATURE`; fewer give the first ones of each.
    seed : int
        Seed of the dynamics and of the rotations.

    Returns
    -------
    positions : numpy.ndarray, shape (n, 3, 3)
        Centre of mass at the origin, each molecule in its random orientation,
        rounded to 1e-8 Angstrom (what the file stores), temperature by
        temperature.
    temperatures : numpy.ndarray, shape (n,)
        The thermostat temperature of each frame, in K.
    """
    masses = ase.Atoms("OH2").get_masses()
    positions, temperatures = [], []
    for index, temperature in enumerate(TEMPERATURES_K):
        frames = md_positions(
            temperature, frames_per_temperature, seed=seed, index=index
        )
        frames = frames - np.einsum("a,nai->ni", masses, frames)[:, None] / masses.sum()
        # each molecule's rotation comes from a stream of its own, as its
        # dynamics does: the first frames do not depend on how many follow
        rotations = np.concatenate(
            [
                random_rotation_matrix(1, seed=(seed, len(TEMPERATURES_K) + index, j))
                for j in range(frames_per_temperature)
            ]
        )
        positions.append(np.einsum("nij,naj->nai", rotations, frames))
        temperatures.append(np.full(frames_per_temperature, temperature))
    return np.round(np.concatenate(positions), 8), np.concatenate(temperatures)


def _polarizabilities(positions, workers, log):
    """RHF polarizabilities of every molecule, in ``workers`` processes."""
    from .polarizability import rhf_polarizability

    chunks = np.array_split(positions, max(1, len(positions) // 25))
    results, start = [], time.perf_counter()
    if workers == 1:
        mapped = map(rhf_polarizability, chunks)
        pool = None
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"))
        mapped = pool.map(rhf_polarizability, chunks)
    try:
        for chunk in mapped:
            results.append(chunk)
            done = sum(len(r) for r in results)
            log(
                f"polarizabilities: {done}/{len(positions)} molecules, "
                f"{time.perf_counter() - start:.0f} s"
            )
    finally:
        if pool is not None:
            pool.shutdown()
    return np.concatenate(results)


def make_water_md_dataset(
    frames_per_temperature=FRAMES_PER_TEMPERATURE, *, seed=SEED, workers=1, log=None
) -> list[ase.Atoms]:
    """Sample the geometries and compute every label (needs PySCF).

    Parameters
    ----------
    frames_per_temperature : int
        Frames at each temperature (the dataset has :data:`FRAMES_PER_TEMPERATURE`).
    seed : int
        Seed of the dynamics and of the rotations.
    workers : int
        Processes computing the polarizabilities (each single-threaded).
    log : callable, optional
        Called with a line of progress now and then (e.g. ``print``).

    Returns
    -------
    frames : list of ase.Atoms
        See :func:`load_water_md_dataset` for the keys and their units.
    """
    log = log or (lambda line: None)
    start = time.perf_counter()
    positions, temperatures = sample_md_geometries(frames_per_temperature, seed=seed)
    log(f"dynamics: {len(positions)} frames in {time.perf_counter() - start:.0f} s")
    energies, forces = ps_energy_forces(positions)
    dipoles = ps_dipole(positions)
    alphas = _polarizabilities(positions, workers, log)
    alphas = (alphas + alphas.transpose(0, 2, 1)) / 2
    r1, r2, theta = water_internal_coordinates(positions)
    n_test = TEST_FRAMES_PER_TEMPERATURE
    frames = []
    for i in range(len(positions)):
        atoms = ase.Atoms("OH2", positions=positions[i], pbc=False)
        atoms.info["energy"] = float(energies[i])
        atoms.info["dipole"] = dipoles[i].copy()
        atoms.info["polarizability"] = alphas[i].reshape(9)
        atoms.info["temperature"] = float(temperatures[i])
        test = i % frames_per_temperature >= frames_per_temperature - n_test
        atoms.info["split"] = "test" if test else "train"
        atoms.info["OH1"] = float(r1[i])
        atoms.info["OH2"] = float(r2[i])
        atoms.info["HOH"] = float(theta[i])
        atoms.arrays["forces"] = forces[i].copy()
        frames.append(atoms)
    return frames


def write_water_md_dataset(path, **kwargs) -> Path:
    """Regenerate the dataset and write it as gzip-compressed extended XYZ.

    Keyword arguments go to :func:`make_water_md_dataset`. The gzip header
    carries no date nor file name, so the same frames give the same bytes.
    """
    import ase.io

    path = Path(path)
    text = io.StringIO()
    ase.io.write(text, make_water_md_dataset(**kwargs), format="extxyz")
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as zipped:
            zipped.write(text.getvalue().encode())
    return path


def md_dataset_path() -> Path:
    """Where the dataset file is: inside the installed package, or in ``data/``.

    Raises
    ------
    FileNotFoundError
        If neither the packaged copy nor a repository checkout is found.
    """
    return data_file(MD_DATASET_NAME)


#: What each atom line of the file holds, as extended XYZ says it
_PROPERTIES = "species:S:1:pos:R:3:forces:R:3"
_HEADER_FIELD = re.compile(r'(\w+)=("[^"]*"|\S+)')
_VECTOR_KEYS = {"dipole": 3, "polarizability": 9}
_NUMBER_KEYS = ("energy", "temperature", "OH1", "OH2", "HOH")


def _read_frames(path):
    """The frames of a file that :func:`write_water_md_dataset` wrote.

    A reader for this one layout of extended XYZ, ten times faster than
    ``ase.io.read`` (which parses any layout); a test checks that both agree.
    """
    with gzip.open(path, "rt") as text:
        lines = text.read().splitlines()
    frames, start = [], 0
    while start < len(lines):
        i = len(frames)
        header = dict(_HEADER_FIELD.findall(lines[start + 1]))
        header = {key: value.strip('"') for key, value in header.items()}
        missing = sorted({*_VECTOR_KEYS, *_NUMBER_KEYS, "split"} - set(header))
        if lines[start].strip() != "3" or header.get("Properties") != _PROPERTIES:
            missing.append(f"the layout 3 atoms with Properties={_PROPERTIES}")
        if missing:
            raise ValueError(
                f"{path} frame {i} lacks {missing}: expected a file written by "
                "write_water_md_dataset"
            )
        rows = [line.split() for line in lines[start + 2 : start + 5]]
        symbols = [row[0] for row in rows]
        values = np.array([row[1:] for row in rows], dtype=np.float64)
        atoms = ase.Atoms(symbols, positions=values[:, :3], pbc=False)
        atoms.arrays["forces"] = values[:, 3:]
        for key, size in _VECTOR_KEYS.items():
            atoms.info[key] = np.array(header[key].split(), dtype=np.float64)
            if atoms.info[key].shape != (size,):
                raise ValueError(f"{path} frame {i}: {key} has not {size} numbers")
        atoms.info["polarizability"] = atoms.info["polarizability"].reshape(3, 3)
        for key in _NUMBER_KEYS:
            atoms.info[key] = float(header[key])
        atoms.info["split"] = header["split"]
        frames.append(atoms)
        start += 5
    return frames


def load_water_md_dataset(split=None, *, path=None) -> list[ase.Atoms]:
    """Load the MD water frames, wherever this package is installed.

    Parameters
    ----------
    split : str or None
        Which frames: all of them (None), the training set or the held-out
        test set.
    path : str or pathlib.Path, optional
        Another copy of the file (by default, :func:`md_dataset_path`).

    Returns
    -------
    frames : list of ase.Atoms
        Non-periodic molecules (O, H, H), no calculator attached, with

        - ``info["energy"]``: PS energy, eV, zero at the PS minimum;
        - ``arrays["forces"]``: PS forces, eV/Angstrom, shape (3, 3);
        - ``info["dipole"]``: PS dipole, e·Angstrom, shape (3,);
        - ``info["polarizability"]``: RHF/aug-cc-pVDZ static polarizability
          volume α / (4π ε0) (analytic CPHF), Angstrom³, shape (3, 3),
          symmetrised;
        - ``info["temperature"]``: the thermostat's temperature, K;
        - ``info["split"]``: ``"train"`` or ``"test"``;
        - ``info["OH1"]``, ``info["OH2"]`` (Angstrom), ``info["HOH"]`` (degree).
    """
    if split is not None and split not in SPLITS:
        raise ValueError(
            f"split must be None (every frame), 'train' or 'test', got {split!r}"
        )
    path = md_dataset_path() if path is None else Path(path)
    if not path.is_file():
        raise ValueError(f"path must be an existing file, got {str(path)!r}")
    frames = _read_frames(path)
    if split is not None:
        frames = [atoms for atoms in frames if atoms.info["split"] == split]
    return frames
