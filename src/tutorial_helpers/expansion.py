"""The spherical expansion of chapter 4: its hyper-parameters, its radial basis,
the expansion of a set of frames, and the molecule whose density the pages show.

The three pages of chapter 4 compute featomic's
:class:`featomic.SphericalExpansion` with the same hyper-parameters, those of
:func:`expansion_hypers`: a cutoff of :data:`CUTOFF` = 4 Å smoothed by a shifted
cosine over the last :data:`SMOOTHING_WIDTH` = 0.5 Å, Gaussians of width
:data:`DENSITY_WIDTH` = 0.3 Å on the atoms, and a basis of Gaussian-type radial
functions ``n = 0 ... max_radial`` times real spherical harmonics
``l = 0 ... max_angular`` (5 and 6 by default). featomic's ``max_radial`` is the
largest radial index, not the number of radial functions.
"""

from __future__ import annotations

import functools
import json

import numpy as np

__all__ = [
    "CUTOFF",
    "DENSITY_WIDTH",
    "MAX_ANGULAR",
    "MAX_RADIAL",
    "SMOOTHING_WIDTH",
    "expansion_hypers",
    "radial_basis",
    "shown_molecule",
    "spherical_expansion",
]

#: Cutoff radius r_c of the chapter's expansion, in Angstrom.
CUTOFF = 4.0
#: Width of the shifted cosine that brings neighbours to zero at the cutoff, Å.
SMOOTHING_WIDTH = 0.5
#: Width w of the Gaussian on each atom, in Angstrom.
DENSITY_WIDTH = 0.3
#: Largest radial index n of the chapter's basis (six radial functions).
MAX_RADIAL = 5
#: Largest angular index l of the chapter's basis.
MAX_ANGULAR = 6

#: The molecule shown: both O–H bonds 0.95 Å (Δr = 0), H–O–H angle 110°.
_SHOWN = {"nu_prime": 0.0, "HOH": 110.0}


def _check_index(value, name):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def expansion_hypers(max_radial=MAX_RADIAL, max_angular=MAX_ANGULAR) -> dict:
    """The hyper-parameters of the chapter's spherical expansion, as a new dict.

    Parameters
    ----------
    max_radial : int
        Largest radial index n (``max_radial + 1`` Gaussian-type radial
        functions); the chapter's is :data:`MAX_RADIAL` = 5.
    max_angular : int
        Largest angular index l of the spherical harmonics; the chapter's is
        :data:`MAX_ANGULAR` = 6.

    Returns
    -------
    dict
        Nested hyper-parameters for ``featomic.SphericalExpansion(**hypers)``:
        ``cutoff`` (radius 4 Å, ``ShiftedCosine`` smoothing of width 0.5 Å),
        ``density`` (``Gaussian`` of width 0.3 Å) and ``basis``
        (``TensorProduct`` of ``Gto`` radial functions and harmonics). Each call
        returns a fresh dict, so changing it changes no other page's hypers.
    """
    max_radial = _check_index(max_radial, "max_radial")
    max_angular = _check_index(max_angular, "max_angular")
    return {
        "cutoff": {
            "radius": CUTOFF,
            "smoothing": {"type": "ShiftedCosine", "width": SMOOTHING_WIDTH},
        },
        "density": {"type": "Gaussian", "width": DENSITY_WIDTH},
        "basis": {
            "type": "TensorProduct",
            "max_angular": max_angular,
            "radial": {"type": "Gto", "max_radial": max_radial},
        },
    }


def _check_hypers(hypers):
    """The cutoff radius and largest radial index of ``hypers``, if it is a
    dict of the form of :func:`expansion_hypers`."""
    try:
        radius = hypers["cutoff"]["radius"]
        radial = hypers["basis"]["radial"]
        kind, max_radial = radial["type"], radial["max_radial"]
    except (KeyError, TypeError) as error:
        raise ValueError(
            "hypers must be nested like expansion_hypers(): "
            "hypers['cutoff']['radius'] and hypers['basis']['radial'] with "
            f"'type' and 'max_radial'; missing {error}"
        ) from None
    if kind != "Gto":
        raise ValueError(
            f"hypers['basis']['radial']['type'] must be 'Gto', got {kind!r}"
        )
    return float(radius), _check_index(max_radial, "hypers' max_radial")


def radial_basis(hypers):
    r"""The radial functions :math:`R_n(r)` of an expansion computed with ``hypers``.

    Parameters
    ----------
    hypers : dict
        Hyper-parameters of the form of :func:`expansion_hypers`, with ``Gto``
        radial functions.

    Returns
    -------
    featomic.basis.Gto
        Its ``compute(r, derivative=False)`` gives, for distances ``r`` of
        shape ``(n_r,)`` in Angstrom, the ``(n_r, max_radial + 1)`` values of
        :math:`R_n(r)` in :math:`\mathrm{Å}^{-3/2}`, orthonormal with the
        weight :math:`r^2` over all :math:`r`; the
        functions that :func:`tutorial_helpers.density.expansion_density` needs
        to sum the expansion back into a density.
    """
    radius, max_radial = _check_hypers(hypers)
    return _gto(radius, max_radial)


# featomic's calculators and radial bases are made once for each set of
# hyper-parameters: a new one sets up its radial integrals (a twentieth of a
# second) where a made one computes a molecule's expansion in a millisecond.
@functools.cache
def _gto(radius: float, max_radial: int):
    import featomic

    return featomic.basis.Gto(max_radial=max_radial, radius=radius)


@functools.cache
def _calculator(hypers_json: str):
    import featomic

    return featomic.SphericalExpansion(**json.loads(hypers_json))


def spherical_expansion(frames, hypers=None, *, gradients=False):
    """featomic's spherical expansion of ``frames``.

    Parameters
    ----------
    frames : ase.Atoms or list of ase.Atoms
        The structures, positions in Angstrom.
    hypers : dict, optional
        Hyper-parameters (default: :func:`expansion_hypers`, the chapter's).
    gradients : bool
        Also compute the gradients with respect to the atomic positions.

    Returns
    -------
    metatensor.TensorMap
        Keys ``o3_lambda, o3_sigma, center_type, neighbor_type``; samples
        ``system, atom``; components ``o3_mu``; properties ``n``; with
        ``gradients``, a ``positions`` gradient per block (samples
        ``sample, system, atom``, components ``xyz, o3_mu``), in coefficient
        units per Angstrom.
    """
    import ase

    single = isinstance(frames, ase.Atoms)
    checked = [frames] if single else list(frames) if frames is not None else []
    if not checked:
        raise ValueError("frames must be an ase.Atoms or a non-empty list of them")
    for k, atoms in enumerate(checked):
        if not isinstance(atoms, ase.Atoms):
            raise ValueError(
                f"frames[{k}] must be an ase.Atoms, not {type(atoms).__name__}"
            )
    if not isinstance(gradients, bool):
        raise ValueError(f"gradients must be True or False, got {gradients!r}")
    if hypers is None:
        hypers = expansion_hypers()
    _check_hypers(hypers)
    calculator = _calculator(json.dumps(hypers, sort_keys=True))
    return calculator.compute(checked, gradients=["positions"] if gradients else None)


def shown_molecule(frames=None):
    """The water molecule whose density chapter 4 shows: a copy of the frame of
    the dataset with both O–H bonds 0.95 Å long (Δr = 0) and an H–O–H angle of
    110°, in the xy plane with the oxygen at the origin.

    Parameters
    ----------
    frames : list of ase.Atoms, optional
        Where to look for it (default: the water dataset,
        :func:`tutorial_helpers.dataset.load_water_dataset`); its frames need
        the ``info`` keys ``nu_prime`` (Å) and ``HOH`` (degrees).

    Returns
    -------
    ase.Atoms
        A copy: moving its atoms leaves ``frames`` as they are.
    """
    if frames is None:
        from .dataset import load_water_dataset

        frames = load_water_dataset()
    for atoms in frames:
        info = getattr(atoms, "info", {})
        if all(
            name in info and np.isclose(info[name], value)
            for name, value in _SHOWN.items()
        ):
            return atoms.copy()
    raise ValueError(
        "frames has no molecule with nu_prime = 0 Å and HOH = 110° in its info: "
        "expected the water dataset (tutorial_helpers.dataset.load_water_dataset)"
    )
