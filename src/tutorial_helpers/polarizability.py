"""The static polarizability of water molecules from PySCF, RHF/aug-cc-pVDZ.

Level of theory: restricted Hartree–Fock (RHF) in the aug-cc-pVDZ basis. A
uniform electric field F adds F·r to the one-electron (core) Hamiltonian (the
electrons carry the charge −1), and the polarizability is the response of the
dipole, α_jk = ∂μ_j / ∂F_k at F = 0. Two ways to get it:

- :func:`rhf_polarizability`, analytic: one SCF, then the coupled-perturbed
  Hartree–Fock (CPHF) equations for the three field directions, solved with
  PySCF's ``scf.cphf.solve``; α_jk = −4 Σ_ai h^j_ai U^k_ai, with h^j the
  dipole integrals between virtual and occupied orbitals and U^k the orbitals'
  response. The MD dataset stores this one.
- :func:`rhf_polarizability_finite_field`: six SCF runs at fields ±F along
  each axis (F = :data:`FIELD_STEP_AU` atomic units = 0.0514 V/Angstrom, each
  started from the field-free density), and the central difference
  α_jk = (μ_j(+F e_k) − μ_j(−F e_k)) / 2F. It is four times slower, and
  differs from the analytic tensor by the O(F²) error of the difference
  (about 1e-4 bohr³); the tests use it as an independent check.

Both return the polarizability volume α / (4π ε0) in Angstrom³ (atomic units
give it in bohr³: 1 bohr³ = :data:`BOHR3_ANGSTROM3` Angstrom³).

PySCF is needed only here (``pip install "tutorial-helpers[data]"``); it is
imported when a function of this module is called.
"""

from __future__ import annotations

import numpy as np

from .units import BOHR_ANGSTROM
from .water_model import _check_positions

__all__ = [
    "BASIS",
    "BOHR3_ANGSTROM3",
    "FIELD_STEP_AU",
    "METHOD",
    "rhf_polarizability",
    "rhf_polarizability_finite_field",
]

#: The method and the basis of the polarizabilities.
METHOD = "RHF"
BASIS = "aug-cc-pVDZ"

#: The finite-field step, in atomic units of field (Hartree / (e bohr)).
FIELD_STEP_AU = 1e-3

#: 1 bohr³ in Angstrom³.
BOHR3_ANGSTROM3 = BOHR_ANGSTROM**3

# SCF convergence: an energy change below 1e-12 Hartree and an orbital gradient
# below 1e-8 make the dipole good to ~1e-9 e bohr, the tensor to ~1e-6 bohr³
_CONV_TOL = 1e-12
_CONV_TOL_GRAD = 1e-8


def _converged_rhf(mol, hcore=None, dm0=None):
    from pyscf import scf

    mf = scf.RHF(mol)
    mf.conv_tol = _CONV_TOL
    mf.conv_tol_grad = _CONV_TOL_GRAD
    if hcore is not None:
        mf.get_hcore = lambda *args: hcore
    mf.kernel(dm0)
    if not mf.converged:
        raise RuntimeError(f"the RHF calculation did not converge for {mol.atom}")
    return mf


def _molecule(positions):
    from pyscf import gto

    return gto.M(
        atom=list(zip(("O", "H", "H"), positions.tolist(), strict=True)),
        basis=BASIS,
        unit="Angstrom",
        verbose=0,
    )


def _dipole_integrals(mol):
    """<p|r|q> about the origin, shape (3, n_ao, n_ao), in bohr."""
    with mol.with_common_orig((0.0, 0.0, 0.0)):
        return mol.intor_symmetric("int1e_r", comp=3)


def rhf_polarizability(positions):
    """Static polarizability tensors of water molecules: RHF/aug-cc-pVDZ, CPHF.

    Parameters
    ----------
    positions : array_like, shape (n, 3, 3) or (3, 3)
        Cartesian positions in Angstrom, atoms in the order O, H, H.

    Returns
    -------
    alpha : numpy.ndarray, shape (n, 3, 3)
        Polarizability volumes α / (4π ε0) in Angstrom³, in the frame of the
        positions: ``alpha[i] @ F`` is the dipole induced by a field F. As
        computed, not symmetrised (symmetric to about 1e-6 Angstrom³, the
        residual of the CPHF solution).
    """
    positions = _check_positions(positions)
    alphas = np.empty((len(positions), 3, 3))
    for i, molecule in enumerate(positions):
        alphas[i] = _cphf_polarizability_au(molecule)
    return alphas * BOHR3_ANGSTROM3


def _cphf_polarizability_au(molecule):
    """The analytic RHF polarizability of one molecule, in bohr³."""
    from pyscf import lib
    from pyscf.scf import cphf

    mol = _molecule(molecule)
    mf = _converged_rhf(mol)
    occupied = mf.mo_occ > 0
    orbo, orbv = mf.mo_coeff[:, occupied], mf.mo_coeff[:, ~occupied]
    n_occ, n_vir = orbo.shape[1], orbv.shape[1]
    h1 = lib.einsum("xpq,pa,qi->xai", _dipole_integrals(mol), orbv, orbo)
    response = mf.gen_response(hermi=1)

    def induced_potential(u):
        u = u.reshape(-1, n_vir, n_occ)
        # first-order density of doubly occupied orbitals: 2 (C_v U C_o^T + h.c.)
        dm1 = lib.einsum("xai,pa,qi->xpq", u, orbv, orbo)
        v1 = response(2 * (dm1 + dm1.transpose(0, 2, 1)))
        return lib.einsum("xpq,pa,qi->xai", v1, orbv, orbo).reshape(len(u), -1)

    u, _ = cphf.solve(
        induced_potential, mf.mo_energy, mf.mo_occ, h1, None, max_cycle=100, tol=1e-10
    )
    return -4 * np.einsum("xai,yai->xy", h1, u)


def rhf_polarizability_finite_field(positions, *, field_step=FIELD_STEP_AU):
    """Static polarizability tensors by finite fields: RHF/aug-cc-pVDZ.

    Parameters
    ----------
    positions : array_like, shape (n, 3, 3) or (3, 3)
        Cartesian positions in Angstrom, atoms in the order O, H, H.
    field_step : float
        Field step F of the central difference, in atomic units.

    Returns
    -------
    alpha : numpy.ndarray, shape (n, 3, 3)
        Polarizability volumes α / (4π ε0) in Angstrom³, as computed, not
        symmetrised: α is symmetric to the finite-difference and SCF errors
        (about 1e-6 Angstrom³).
    """
    positions = _check_positions(positions)
    if not (isinstance(field_step, (int, float)) and 0 < field_step < 0.1):
        raise ValueError(
            "field_step must be a positive field below 0.1 atomic units, "
            f"got {field_step!r}"
        )
    alphas = np.empty((len(positions), 3, 3))
    for i, molecule in enumerate(positions):
        mol = _molecule(molecule)
        field_free = _converged_rhf(mol)
        dm0 = field_free.make_rdm1()
        hcore = field_free.get_hcore()
        r = _dipole_integrals(mol)
        for k in range(3):
            dipoles = []
            for sign in (1.0, -1.0):
                mf = _converged_rhf(mol, hcore + sign * field_step * r[k], dm0)
                dipoles.append(mf.dip_moment(unit="AU", verbose=0))
            alphas[i, :, k] = (dipoles[0] - dipoles[1]) / (2 * field_step)
    return alphas * BOHR3_ANGSTROM3
