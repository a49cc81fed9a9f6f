"""Helpers for the tutorial "Equivariant ML models — a tutorial introduction".

Modules
-------
rotations
    ZYZ Euler angles, random rotations, inversion, real Wigner D matrices.
water_model
    The Partridge–Schwenke potential energy and dipole surfaces of water.
dataset
    The water dataset on a (Δr = r2 − r1, θ) grid, and its loader.
md_dataset
    The water dataset sampled by molecular dynamics, with PS labels and RHF
    polarizabilities, and its loader.
ps_calculator
    An ASE calculator for the PS surfaces.
polarizability
    Static polarizabilities from PySCF (RHF/aug-cc-pVDZ, finite field).
tensormaps
    Energies, forces and dipoles as metatensor TensorMaps, and back.
units
    Unit conversions (eV, Angstrom, e).
spherical
    Real spherical harmonics; rank-2 tensors as spherical tensors.
clebsch_gordan
    Clebsch–Gordan coefficients, complex (Racah's formula) and real.
expansion
    The density expansion of the chapter 4 pages: featomic's hypers, the
    radial basis, the spherical expansion of frames, the molecule shown.
lambda_soap
    Density coefficients and λ-SOAP features of water, with one set of
    hyperparameters.
density
    Neighbour densities on grids, from Gaussians or expansion coefficients,
    and their isosurfaces.
models
    Features, linear fits and errors shared by the model pages of chapter 6.
symmetry_check
    Checks that a model is invariant or equivariant.
visualisation
    Properties, structures and shapes for chemiscope widgets.
figures
    One style for every matplotlib figure, drawn at the size it is shown.

Importing the package, or one of its modules, is quick: featomic and ase's file
formats, which take most of a second to import, are imported by the functions
that use them.
"""

import importlib

__all__ = [
    "load_water_dataset",
    "load_water_md_dataset",
    "rotation_matrix",
    "wigner_d_real",
]
__version__ = "0.1.0"

#: the shortcuts above, and the module each comes from: imported on first use,
#: so that importing one module (say ``rotations``) does not import ase's I/O
_SHORTCUTS = {
    "load_water_dataset": "dataset",
    "load_water_md_dataset": "md_dataset",
    "rotation_matrix": "rotations",
    "wigner_d_real": "rotations",
}


def __getattr__(name):
    if name in _SHORTCUTS:
        module = importlib.import_module(f".{_SHORTCUTS[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
