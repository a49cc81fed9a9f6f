"""Helpers for the tutorial "Equivariant ML models — a tutorial introduction".

Modules
-------
rotations
    ZYZ Euler angles, random rotations, inversion, real Wigner D matrices.
water_model
    The Partridge–Schwenke potential energy and dipole surfaces of water.
dataset
    The water dataset on a (Δr = r2 − r1, θ) grid, and its loader.
tensormaps
    Energies, forces and dipoles as metatensor TensorMaps, and back.
units
    Unit conversions (eV, Angstrom, e).
"""

from .dataset import load_water_dataset
from .rotations import rotation_matrix, wigner_d_real

__all__ = ["load_water_dataset", "rotation_matrix", "wigner_d_real"]
__version__ = "0.1.0"
