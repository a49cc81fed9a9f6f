"""Check any model for invariance or equivariance under E(3) operations.

A *model* here is any callable that takes a list of :class:`ase.Atoms` and returns
its predictions for them, as a numpy array or as a one-block metatensor TensorMap.
:func:`check_symmetries` transforms the frames by random rotations, by the
inversion and by random translations, calls the model again, and reports the
largest deviation from what the symmetry requires.

Three atoms always lie in one plane, and the inversion of a planar structure is
a rotation of it by π about the plane's normal, followed by a translation along
that normal when the plane misses the origin. An invariant model that passes the
rotations and translations then passes the inversion on such structures whatever
its parity,
so :func:`check_symmetries` refuses an invariant check on frames that are all
planar: give it a non-planar frame, two molecules together for example.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .rotations import SPHERICAL_TO_XYZ, random_rotation_matrix

__all__ = ["SymmetryReport", "check_symmetries", "is_planar", "transform_frames"]

_KINDS = ("invariant", "vector")


@dataclass
class SymmetryReport:
    """Largest deviations found by :func:`check_symmetries`, in the units of the
    model's output, with the scale of the outputs for reference."""

    kind: str
    scale: float
    deviations: dict = field(default_factory=dict)

    def largest(self) -> float:
        return max(self.deviations.values())

    def passed(self, tolerance: float = 1e-8) -> bool:
        """True if every deviation is below ``tolerance`` times the output scale."""
        return self.largest() <= tolerance * max(self.scale, 1e-300)

    def __str__(self):
        lines = [f"{self.kind} model, outputs up to {self.scale:.3g} in magnitude"]
        for name, value in self.deviations.items():
            lines.append(f"  {name:<12s} largest deviation {value:.2e}")
        return "\n".join(lines)


def transform_frames(frames, matrix=None, shift=None):
    """Copies of ``frames`` with positions ``r -> matrix @ r + shift``.

    Cells are transformed by ``matrix`` too; ``info`` and ``arrays`` are kept
    as they are (they are not transformed).
    """
    out = []
    for atoms in frames:
        moved = atoms.copy()
        positions = atoms.positions
        if matrix is not None:
            positions = positions @ np.asarray(matrix).T
            if atoms.cell.rank > 0:
                moved.cell = atoms.cell.array @ np.asarray(matrix).T
        if shift is not None:
            positions = positions + np.asarray(shift)
        moved.positions = positions
        out.append(moved)
    return out


def is_planar(atoms, tolerance=1e-8):
    """True if the atoms of a non-periodic frame lie in one plane.

    The smallest singular value of the centred positions is compared with
    ``tolerance`` (Å). Periodic frames are never planar here: the inversion
    also turns their cell, which a rotation does not reproduce.
    """
    if np.any(atoms.pbc):
        return False
    positions = np.asarray(atoms.positions, dtype=np.float64)
    if len(positions) < 4:
        return True
    centred = positions - positions.mean(axis=0)
    return bool(np.linalg.svd(centred, compute_uv=False)[2] <= tolerance)


def _as_array(output, what):
    if hasattr(output, "keys") and hasattr(output, "block"):  # a TensorMap
        if len(output.keys) != 1:
            raise ValueError(f"{what} is a TensorMap with {len(output.keys)} blocks")
        block = output.block(0)
        values = np.asarray(block.values)
        names = [c.names[0] for c in block.components]
        if names and names[-1] == "o3_mu" and values.shape[-2] == 3:
            values = values[..., SPHERICAL_TO_XYZ, :]
        if values.shape[-1] == 1:
            values = values[..., 0]
        return values
    values = np.asarray(output, dtype=np.float64)
    if values.ndim == 0:
        raise ValueError(f"{what} is a scalar: expected one value per frame")
    return values


def check_symmetries(model, frames, *, kind, parity=-1, n_rotations=8, seed=0):
    """Test ``model`` under random rotations, inversion and translations.

    Parameters
    ----------
    model : callable
        ``model(frames)`` returns an array (or a one-block TensorMap) whose first
        axis runs over frames, or over the atoms of all frames.
    frames : list of ase.Atoms
        The structures to test on. For ``kind="invariant"`` at least one must
        be non-planar (:func:`is_planar`): on planar frames the inversion is a
        rotation, and the inversion rows could not fail.
    kind : {"invariant", "vector"}
        ``"invariant"``: outputs must not change (energies). ``"vector"``: the last
        axis has 3 Cartesian components (x, y, z) that must rotate with the
        structure (dipoles, forces). A TensorMap with an ``o3_mu`` component of
        size 3 is read in featomic's (y, z, x) order.
    parity : {-1, +1}
        Sign of a vector under inversion: -1 for polar vectors (dipoles,
        forces), +1 for axial ones.
    n_rotations : int
        Number of random rotations, drawn uniformly from SO(3).
    seed : int
        Seed of the random rotations and translations.

    Returns
    -------
    SymmetryReport
        Largest deviations under ``rotation``, ``inversion``,
        ``improper`` (inversion composed with rotations) and ``translation``.
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}")
    if parity not in (-1, 1):
        raise ValueError(f"parity must be -1 or +1, got {parity!r}")
    if not callable(model):
        raise ValueError(f"model must be callable, got {type(model).__name__}")
    frames = list(frames)
    if not frames:
        raise ValueError("frames is empty: expected a list of ase.Atoms")
    if kind == "invariant" and all(is_planar(atoms) for atoms in frames):
        raise ValueError(
            f"frames: all {len(frames)} frames are planar (their atoms lie in one "
            "plane), so the inversion of each is a rotation and translation of it, "
            "and the inversion "
            "and improper rows of an invariant check cannot fail; expected at least "
            "one non-planar frame (two molecules together, for example)"
        )
    reference = _as_array(model(frames), "the model's output")
    if kind == "vector" and reference.shape[-1] != 3:
        raise ValueError(
            "a vector model must return 3 Cartesian components on the last axis, "
            f"got shape {reference.shape}"
        )

    def expected(matrix):
        if kind == "invariant":
            return reference
        sign = parity if np.linalg.det(matrix) < 0 else 1
        proper = matrix * np.sign(np.linalg.det(matrix))
        return sign * reference @ proper.T

    def deviation(matrix=None, shift=None):
        moved = _as_array(model(transform_frames(frames, matrix, shift)), "output")
        target = reference if matrix is None else expected(matrix)
        if moved.shape != target.shape:
            raise ValueError(
                f"the model's output changed shape from {target.shape} to {moved.shape}"
            )
        return float(np.abs(moved - target).max())

    rng = np.random.default_rng(seed)
    rotations = random_rotation_matrix(n_rotations, rng)
    report = SymmetryReport(kind=kind, scale=float(np.abs(reference).max()))
    report.deviations["rotation"] = max(deviation(R) for R in rotations)
    report.deviations["inversion"] = deviation(-np.eye(3))
    report.deviations["improper"] = max(deviation(-R) for R in rotations[:2])
    report.deviations["translation"] = max(
        deviation(shift=rng.normal(scale=5.0, size=3)) for _ in range(2)
    )
    return report
