"""Density coefficients and λ-SOAP features of water, with one set of
hyperparameters.

Chapter 5 computes, on several pages, the density coefficients of featomic's
spherical expansion (correlation order ν = 1) and their Clebsch–Gordan
products, the λ-SOAP features (ν = 2), of the dataset and of rotated copies of
it. These functions compute them the same way everywhere:

- :func:`water_hypers`: the hyperparameters, a 4 Å cutoff smoothed over its
  last 0.5 Å, Gaussian densities 0.3 Å wide and GTO radial functions.
- :func:`density_coefficients`: the ν = 1 TensorMap of
  :class:`featomic.SphericalExpansion`.
- :func:`lambda_soap`: the ν = 2 TensorMap of
  :class:`featomic.clebsch_gordan.EquivariantPowerSpectrum`, with the neighbour
  species in the properties; all degrees λ, or only those asked for.
- :func:`center_block`: the block of one (λ, σ, centre species), its samples in
  the order of the frames.

The neighbour species are fixed (H and O by default), so that a fragment of a
molecule (a lone oxygen, an O–H pair) has the same properties as the whole
molecule, with zeros where a species is missing. Inputs are checked first: a
wrong argument raises a ``ValueError`` that names it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from numbers import Integral

import ase
import metatensor
import numpy as np
from metatensor import Labels, TensorBlock, TensorMap

__all__ = ["center_block", "density_coefficients", "lambda_soap", "water_hypers"]

#: the species of water: hydrogen and oxygen
WATER_TYPES = (1, 8)


def _check_count(value, name: str) -> int:
    """``value`` as an int, if it is a non-negative integer."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def _check_frames(frames) -> list[ase.Atoms]:
    """``frames`` as a non-empty list of ase.Atoms (one Atoms is a list of one)."""
    if isinstance(frames, ase.Atoms):
        return [frames]
    if isinstance(frames, (str, bytes)) or not isinstance(frames, Sequence):
        raise ValueError(
            "frames must be an ase.Atoms or a list of them, "
            f"got {type(frames).__name__}"
        )
    if len(frames) == 0:
        raise ValueError("frames is empty: expected at least one ase.Atoms")
    for i, atoms in enumerate(frames):
        if not isinstance(atoms, ase.Atoms):
            raise ValueError(f"frames[{i}] is a {type(atoms).__name__}, not ase.Atoms")
    return list(frames)


def _check_types(neighbor_types) -> list[int]:
    types = list(neighbor_types) if isinstance(neighbor_types, Sequence) else None
    if not types or any(
        isinstance(t, bool) or not isinstance(t, Integral) or t < 1 for t in types
    ):
        raise ValueError(
            "neighbor_types must be a non-empty list of atomic numbers, "
            f"got {neighbor_types!r}"
        )
    if len(set(types)) != len(types):
        raise ValueError(f"neighbor_types lists a species twice: {neighbor_types!r}")
    return sorted(int(t) for t in types)


def water_hypers(max_angular: int = 4, max_radial: int = 4) -> dict:
    """Hyperparameters of :class:`featomic.SphericalExpansion` for the water
    molecules.

    Parameters
    ----------
    max_angular : int
        Largest degree l of the spherical harmonics, non-negative.
    max_radial : int
        Largest index n of the GTO radial functions, non-negative: there are
        ``max_radial + 1`` of them.

    Returns
    -------
    dict
        A new nested dictionary, featomic 0.6's format: a cutoff of 4 Å whose
        last 0.5 Å are smoothed by a shifted cosine, a Gaussian density 0.3 Å
        wide on each neighbour, and a tensor-product basis.

    Raises
    ------
    ValueError
        If ``max_angular`` or ``max_radial`` is not a non-negative integer.
    """
    max_angular = _check_count(max_angular, "max_angular")
    max_radial = _check_count(max_radial, "max_radial")
    return {
        "cutoff": {"radius": 4.0, "smoothing": {"type": "ShiftedCosine", "width": 0.5}},
        "density": {"type": "Gaussian", "width": 0.3},
        "basis": {
            "type": "TensorProduct",
            "max_angular": max_angular,
            "radial": {"type": "Gto", "max_radial": max_radial},
        },
    }


def density_coefficients(
    frames,
    max_angular: int = 4,
    max_radial: int = 4,
    *,
    neighbors_to_properties: bool = False,
    neighbor_types: Sequence[int] = WATER_TYPES,
) -> TensorMap:
    """The density coefficients :math:`c_{nlm}` (ν = 1) of every atom of
    ``frames``, with the hyperparameters of :func:`water_hypers`.

    Parameters
    ----------
    frames : ase.Atoms or list of ase.Atoms
        The structures; positions in Å.
    max_angular, max_radial : int
        As in :func:`water_hypers`.
    neighbors_to_properties : bool
        If False, featomic's keys ``o3_lambda, o3_sigma, center_type,
        neighbor_type``. If True, ``neighbor_type`` moves to the properties,
        with one entry for each of ``neighbor_types`` (zeros for a species a
        frame does not have).
    neighbor_types : sequence of int
        The neighbour species kept in the properties, by atomic number; only
        used when ``neighbors_to_properties`` is True.

    Returns
    -------
    metatensor.TensorMap
        Components ``o3_mu``; samples ``system, atom``; properties ``n`` (and
        ``neighbor_type`` first if ``neighbors_to_properties``).

    Raises
    ------
    ValueError
        If ``frames`` is not an ase.Atoms or a non-empty list of them, or a
        degree, index or species is not valid.
    """
    frames = _check_frames(frames)
    types = _check_types(neighbor_types)
    max_angular = _check_count(max_angular, "max_angular")
    max_radial = _check_count(max_radial, "max_radial")
    tensor = _expansion(max_angular, max_radial).compute(frames)
    if neighbors_to_properties:
        tensor = tensor.keys_to_properties(
            Labels(["neighbor_type"], np.array(types).reshape(-1, 1))
        )
    return tensor


def lambda_soap(
    frames,
    max_angular: int = 4,
    max_radial: int = 4,
    *,
    o3_lambda: int | Sequence[int] | None = None,
    neighbor_types: Sequence[int] = WATER_TYPES,
) -> TensorMap:
    """The λ-SOAP features (ν = 2) of every atom of ``frames``: the
    Clebsch–Gordan products of two sets of :func:`density_coefficients`.

    Parameters
    ----------
    frames : ase.Atoms or list of ase.Atoms
        The structures; positions in Å.
    max_angular, max_radial : int
        As in :func:`water_hypers`: the degrees λ go up to ``2 max_angular``.
    o3_lambda : int or sequence of int, optional
        Compute only the blocks of these degrees (all if None): much faster
        when one degree is needed.
    neighbor_types : sequence of int
        The neighbour species in the properties, by atomic number (zeros for a
        species a frame does not have).

    Returns
    -------
    metatensor.TensorMap
        Keys ``o3_lambda, o3_sigma, center_type``; components ``o3_mu``;
        samples ``system, atom``; properties ``l_1, l_2, neighbor_1_type, n_1,
        neighbor_2_type, n_2``, with l_1 ≤ l_2. featomic's
        sign convention applies: each block is σ times the plain
        Clebsch–Gordan product.

    Raises
    ------
    ValueError
        If ``frames`` is not an ase.Atoms or a non-empty list of them, or a
        degree, index or species is not valid (``o3_lambda`` must be between
        0 and ``2 max_angular``).
    """
    frames = _check_frames(frames)
    types = _check_types(neighbor_types)
    max_angular = _check_count(max_angular, "max_angular")
    max_radial = _check_count(max_radial, "max_radial")
    selected = None
    if o3_lambda is not None:
        degrees = [o3_lambda] if isinstance(o3_lambda, Integral) else o3_lambda
        if isinstance(degrees, np.ndarray):
            degrees = degrees.tolist()
        if isinstance(degrees, (str, bytes)) or not isinstance(degrees, Sequence):
            degrees = None
        if not degrees or any(
            isinstance(lam, bool)
            or not isinstance(lam, Integral)
            or not 0 <= lam <= 2 * max_angular
            for lam in degrees
        ):
            raise ValueError(
                "o3_lambda must be a degree or a list of degrees between 0 and "
                f"2 max_angular = {2 * max_angular}, got {o3_lambda!r}"
            )
        selected = Labels(["o3_lambda"], np.unique(degrees).reshape(-1, 1))
    calculator = _power_spectrum(max_angular, max_radial, tuple(types))
    return calculator.compute(
        frames, selected_keys=selected, neighbors_to_properties=True
    )


# One calculator per set of hyperparameters, made once: the λ-SOAP calculator
# computes its Clebsch–Gordan coefficients when it is made (a quarter of a
# second), and the pages call these functions tens of times.
@functools.cache
def _expansion(max_angular: int, max_radial: int):
    import featomic

    return featomic.SphericalExpansion(**water_hypers(max_angular, max_radial))


@functools.cache
def _power_spectrum(max_angular: int, max_radial: int, types: tuple[int, ...]):
    from featomic.clebsch_gordan import EquivariantPowerSpectrum

    return EquivariantPowerSpectrum(
        _expansion(max_angular, max_radial), neighbor_types=list(types)
    )


def center_block(
    tensor: TensorMap, o3_lambda: int, o3_sigma: int = 1, center_type: int = 8
) -> TensorBlock:
    """The block of ``tensor`` for one degree, parity and centre species, with
    its samples sorted by (system, atom): in the order of the frames.

    Parameters
    ----------
    tensor : metatensor.TensorMap
        Keys ``o3_lambda, o3_sigma, center_type`` (from :func:`lambda_soap`, or
        :func:`density_coefficients` with ``neighbors_to_properties=True``).
    o3_lambda : int
        Degree λ of the block.
    o3_sigma : int
        Parity label σ, +1 or −1.
    center_type : int
        Atomic number of the central atoms (8: the oxygens).

    Returns
    -------
    metatensor.TensorBlock
        A copy of the block, shape (samples, 2λ + 1, properties).

    Raises
    ------
    ValueError
        If the keys are not ``o3_lambda, o3_sigma, center_type``, if
        ``o3_sigma`` is not ±1, or if there is no such block (the message
        lists those there are).
    """
    if not isinstance(tensor, TensorMap):
        raise ValueError(f"tensor must be a metatensor TensorMap, got {tensor!r}")
    names = list(tensor.keys.names)
    expected = ["o3_lambda", "o3_sigma", "center_type"]
    if names != expected:
        hint = ""
        if "neighbor_type" in names:
            hint = " (move neighbor_type to the properties first)"
        raise ValueError(f"tensor must have the keys {expected}, got {names}{hint}")
    lam = _check_count(o3_lambda, "o3_lambda")
    if o3_sigma not in (1, -1) or isinstance(o3_sigma, bool):
        raise ValueError(f"o3_sigma must be +1 or -1, got {o3_sigma!r}")
    center = _check_count(center_type, "center_type")
    key = {"o3_lambda": lam, "o3_sigma": int(o3_sigma), "center_type": center}
    if tensor.keys.position(list(key.values())) is None:
        there = ", ".join(str(tuple(k)) for k in tensor.keys.values.tolist())
        raise ValueError(
            f"tensor has no block with (o3_lambda, o3_sigma, center_type) = "
            f"({lam}, {int(o3_sigma)}, {center}); it has {there}"
        )
    return metatensor.sort_block(tensor.block(key), axes="samples")
