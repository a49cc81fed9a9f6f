"""PySCF recomputes the MD dataset's polarizabilities (a few seconds)."""

import numpy as np
import pytest

from tutorial_helpers.rotations import random_rotation_matrix

from .conftest import polarizabilities_of, positions_of

pytest.importorskip(
    "pyscf",
    reason="PySCF is not installed (the `tests` and `data` extras bring it): "
    "the stored polarizabilities cannot be recomputed",
)


@pytest.fixture(scope="module")
def recomputed(md_frames):
    """PySCF's polarizabilities of a cold and a hot molecule, as computed."""
    from tutorial_helpers.polarizability import rhf_polarizability

    picked = [md_frames[3], md_frames[-7]]
    assert [a.info["temperature"] for a in picked] == [300.0, 3000.0]
    return picked, rhf_polarizability(positions_of(picked))


def test_pyscf_recomputes_the_stored_polarizabilities(recomputed):
    picked, alphas = recomputed
    # the CPHF residual and the SCF convergence: ~1e-7 Angstrom^3
    np.testing.assert_allclose(alphas, polarizabilities_of(picked), rtol=0, atol=1e-5)
    # as computed (before the file's symmetrisation), α is symmetric
    np.testing.assert_allclose(alphas, alphas.transpose(0, 2, 1), rtol=0, atol=1e-5)


def test_finite_fields_give_the_analytic_polarizability(md_frames):
    # an independent route: six SCF runs in fields of +-1e-3 a.u.; their central
    # difference is off by O(F^2), ~2e-5 Angstrom^3
    from tutorial_helpers.polarizability import rhf_polarizability_finite_field

    atoms = md_frames[-60]
    finite = rhf_polarizability_finite_field(atoms.positions)[0]
    np.testing.assert_allclose(finite, atoms.info["polarizability"], rtol=0, atol=1e-4)


def test_turning_a_molecule_turns_its_polarizability_as_r_alpha_rt(md_frames):
    from tutorial_helpers.polarizability import rhf_polarizability

    atoms = md_frames[500]
    R = random_rotation_matrix(1, seed=7)[0]
    turned = rhf_polarizability(atoms.positions @ R.T)[0]
    alpha = atoms.info["polarizability"]
    np.testing.assert_allclose(turned, R @ alpha @ R.T, rtol=0, atol=1e-5)
    # and the molecule is not one whose tensor any rotation leaves alone
    assert np.abs(turned - alpha).max() > 1e-2


def test_the_polarizability_helpers_reject_bad_input():
    from tutorial_helpers.polarizability import (
        rhf_polarizability,
        rhf_polarizability_finite_field,
    )

    with pytest.raises(ValueError, match="positions must have shape"):
        rhf_polarizability(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="field_step must be a positive field"):
        rhf_polarizability_finite_field(np.eye(3), field_step=-1e-3)
