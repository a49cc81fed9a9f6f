"""An ASE calculator for the Partridge–Schwenke (PS) surfaces of water molecules.

With it, ASE's molecular dynamics, optimisers and vibrational analysis run on the
PS potential energy surface (:mod:`tutorial_helpers.water_model`):

>>> import ase
>>> from tutorial_helpers.ps_calculator import PartridgeSchwenkeCalculator
>>> atoms = ase.Atoms("OH2", positions=[[0, 0, 0], [0.96, 0, 0], [-0.24, 0.93, 0]])
>>> atoms.calc = PartridgeSchwenkeCalculator()
>>> energy = atoms.get_potential_energy()  # eV, zero at the PS minimum

Units are ASE's: energy in eV, forces in eV/Angstrom (minus the gradient of the
energy), dipole in e·Angstrom.
"""

from __future__ import annotations

from ase.calculators.calculator import Calculator, all_changes

from .water_model import ps_dipole, ps_energy_forces

__all__ = ["PartridgeSchwenkeCalculator"]


class PartridgeSchwenkeCalculator(Calculator):
    """PS energy, forces and dipole of water molecules that do not interact.

    The atoms are one molecule, O, H, H, or several in a row (O, H, H, O, H,
    H, ...), each on its own PS surface with no interaction between them: a
    batch of independent molecules moved by one ASE dynamics. The molecules may
    be anywhere and in any orientation; periodic boundaries are ignored (the
    PS surfaces describe an isolated molecule). Properties:

    - ``energy`` and ``free_energy``: eV, the sum of the molecules' energies,
      each zero at the minimum of the PS surface;
    - ``forces``: eV/Angstrom, shape (n_atoms, 3), minus the gradient of the
      energy;
    - ``dipole``: e·Angstrom, shape (3,), the sum of the molecules' PS dipoles
      (origin-free: each molecule's charges sum to zero).
    """

    implemented_properties = ["energy", "free_energy", "forces", "dipole"]

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        symbols = self.atoms.get_chemical_symbols()
        n_molecules = len(symbols) // 3
        if not symbols or symbols != ["O", "H", "H"] * n_molecules:
            raise ValueError(
                "atoms must be water molecules with their atoms in the order O, H, "
                f"H (O, H, H, O, H, H, ... for several), got "
                f"{self.atoms.get_chemical_formula(mode='all') or 'no atoms'}"
            )
        positions = self.atoms.get_positions().reshape(n_molecules, 3, 3)
        energy, forces = ps_energy_forces(positions)
        self.results = {
            "energy": float(energy.sum()),
            "free_energy": float(energy.sum()),
            "forces": forces.reshape(-1, 3),
        }
        if "dipole" in properties:
            self.results["dipole"] = ps_dipole(positions).sum(axis=0)
