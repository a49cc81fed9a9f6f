"""Unit conversions, from the exact SI constants and CODATA 2018.

The project works in eV, Angstrom and e (elementary charge):

- energies in eV, forces in eV/Angstrom;
- dipoles in e·Angstrom (1 e·Angstrom = 4.80320 D).
"""

__all__ = [
    "BOHR_ANGSTROM",
    "CM1_TO_EV",
    "DEBYE_TO_EA",
    "EA_TO_DEBYE",
    "HARTREE_EV",
]

_PLANCK = 6.62607015e-34  # J s, exact
_LIGHT = 299792458.0  # m/s, exact
_ELEMENTARY_CHARGE = 1.602176634e-19  # C, exact

#: 1 cm⁻¹ expressed in eV (h c / e times 100 m⁻¹).
CM1_TO_EV = _PLANCK * _LIGHT * 100.0 / _ELEMENTARY_CHARGE

#: 1 Hartree in eV (CODATA 2018).
HARTREE_EV = 27.211386245988

#: 1 bohr in Angstrom (CODATA 2018).
BOHR_ANGSTROM = 0.529177210903

#: 1 e·Angstrom in Debye (1 D = 10⁻²¹ C m²/s / c).
EA_TO_DEBYE = _ELEMENTARY_CHARGE * 1e-10 * _LIGHT * 1e21

#: 1 Debye in e·Angstrom.
DEBYE_TO_EA = 1.0 / EA_TO_DEBYE
