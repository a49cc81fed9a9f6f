"""The Partridge–Schwenke (PS) potential energy and dipole moment surfaces of water.

H. Partridge and D. W. Schwenke, J. Chem. Phys. 106, 4618 (1997),
https://doi.org/10.1063/1.473987

Conventions used throughout:

- positions are a batch of shape ``(n, 3, 3)`` in Angstrom, atoms in the order
  O, H, H;
- energies are in eV, with the **zero of energy at the minimum of the PS surface**
  (:data:`PS_MINIMUM_CM1` is the value of the raw surface there);
- forces are in eV/Angstrom and are minus the gradient of the energy;
- dipoles are in e·Angstrom, computed from the PS position-dependent charges;
- every geometry with three distinct atoms is accepted, linear ones included:
  the surfaces are functions of r1, r2 and cos θ, defined (with their
  gradients) at θ = 180° and θ = 0° alike. Two atoms closer than
  :data:`COINCIDENT_ANGSTROM` raise a ``ValueError`` naming the geometry.

The surface is

.. math::

    V = {} & V_\\mathrm{M}(r_1) + V_\\mathrm{M}(r_2) \\\\
        & + A\\,e^{-b (r_{HH} - 1)} + V_\\mathrm{SR}(r_1, r_2, \\cos\\theta)

with Morse O–H terms, an exponential H–H repulsion and a damped polynomial
short-range term

.. math::

    V_\\mathrm{SR} = {} & 2 c_{000} + e^{-\\beta[(r_1-r_e)^2 + (r_2-r_e)^2]} \\\\
        & \\times \\sum_{abc} c_{abc}\\,(x_1^a x_2^b + x_1^b x_2^a)\\, x_3^c,

where :math:`x_i = (r_i - r_e)/r_e` and :math:`x_3 = \\cos\\theta - \\cos\\theta_e`.
The coefficients live in ``tutorial_helpers._partridge_schwenke_tables``.
"""

from __future__ import annotations

import math

import numpy as np

from . import _partridge_schwenke_tables as tables
from .units import CM1_TO_EV

__all__ = [
    "COINCIDENT_ANGSTROM",
    "PS_MINIMUM_CM1",
    "ps_charges",
    "ps_dipole",
    "ps_energy_forces",
    "ps_raw_energy_cm1",
    "water_internal_coordinates",
]

#: Value of the raw PS surface at its minimum, in cm⁻¹. Energies returned by
#: :func:`ps_energy_forces` are measured from here. It is checked by the tests,
#: which locate the minimum numerically.
PS_MINIMUM_CM1 = -0.41940199991

#: Two atoms closer than this (in Angstrom) coincide, and the H–O–H angle and
#: the forces are then undefined, so the PS functions raise a ValueError.
COINCIDENT_ANGSTROM = 1e-6

_MAX_POWER = 15
_ATOM_PAIRS = (("O", "H1", 0, 1), ("O", "H2", 0, 2), ("H1", "H2", 1, 2))


def _pes_terms():
    """Exponents (a, b, c) and coefficients of the short-range polynomial.

    The rule of the PS tables: for each total bond order n = 0 ... 8, the pairs
    (a, b) with a >= b and a + b = n, by increasing a; for each pair, the angular
    exponent c runs over 0 ... 14 - n.
    """
    exponents, coefficients = [], []
    for n in range(9):
        for a in range(math.ceil(n / 2), n + 1):
            b = n - a
            c5z = tables.PES_C5Z[(a, b)]
            if len(c5z) != 15 - n:
                raise RuntimeError(
                    f"PS table for (a, b) = {(a, b)} has {len(c5z)} terms"
                )
            for c in range(15 - n):
                value = tables.F_5Z * c5z[c]
                for weight, table in (
                    (tables.F_BASIS, tables.PES_CBASIS),
                    (tables.F_CORE, tables.PES_CCORE),
                    (tables.F_REST, tables.PES_CREST),
                ):
                    correction = table.get((a, b), ())
                    if c < len(correction):
                        value += weight * correction[c]
                exponents.append((a, b, c))
                coefficients.append(value)
    return np.array(exponents), np.array(coefficients)


def _dms_terms():
    """Exponents (a, b, c) and coefficients of the dipole-surface polynomial.

    The rule: for each total order n = 0 ... 6, all (a, b, c) with
    a + b + c = n, by increasing a then increasing b.
    """
    exponents, coefficients = [], []
    for n, values in tables.DMS_COEFFICIENTS.items():
        terms = [(a, b, n - a - b) for a in range(n + 1) for b in range(n + 1 - a)]
        if len(terms) != len(values):
            raise RuntimeError(f"PS dipole table for order {n} has {len(values)} terms")
        exponents.extend(terms)
        coefficients.extend(values)
    return np.array(exponents), np.array(coefficients)


_PES_EXPONENTS, _PES_COEFFICIENTS = _pes_terms()
_DMS_EXPONENTS, _DMS_COEFFICIENTS = _dms_terms()
_COS_THETA_E = math.cos(math.radians(tables.THETA_E))


def _check_positions(positions) -> np.ndarray:
    positions = np.asarray(positions)
    if positions.dtype.kind not in "iuf":
        raise ValueError(f"positions must be real numbers, got dtype {positions.dtype}")
    positions = positions.astype(np.float64)
    if positions.ndim == 2:
        positions = positions[None]
    if positions.ndim != 3 or positions.shape[1:] != (3, 3):
        raise ValueError(
            "positions must have shape (n, 3, 3) (or (3, 3)) with atoms in the "
            f"order O, H, H, got shape {positions.shape}"
        )
    finite = np.all(np.isfinite(positions), axis=(1, 2))
    if not np.all(finite):
        raise ValueError(
            f"positions[{np.flatnonzero(~finite)[0]}] contains non-finite values"
        )
    for first, second, i, j in _ATOM_PAIRS:
        distance = np.linalg.norm(positions[:, i] - positions[:, j], axis=-1)
        close = np.flatnonzero(distance < COINCIDENT_ANGSTROM)
        if close.size:
            k = close[0]
            raise ValueError(
                f"positions[{k}]: atoms {first} and {second} coincide (distance "
                f"{distance[k]:.1e} Angstrom); the PS surfaces need three distinct "
                "atoms"
            )
    return positions


def water_internal_coordinates(positions):
    """O–H bond lengths and H–O–H angle of a batch of water molecules.

    Parameters
    ----------
    positions : array_like, shape (n, 3, 3) or (3, 3)
        Cartesian positions in Angstrom, atoms in the order O, H, H.

    Returns
    -------
    r1, r2 : numpy.ndarray, shape (n,)
        The O–H1 and O–H2 distances, in Angstrom.
    theta : numpy.ndarray, shape (n,)
        The H–O–H angle, in degrees.
    """
    positions = _check_positions(positions)
    bond1 = positions[:, 1] - positions[:, 0]
    bond2 = positions[:, 2] - positions[:, 0]
    r1 = np.linalg.norm(bond1, axis=-1)
    r2 = np.linalg.norm(bond2, axis=-1)
    cos_theta = np.einsum("ni,ni->n", bond1, bond2) / (r1 * r2)
    return r1, r2, np.degrees(np.arccos(np.clip(cos_theta, -1.0, 1.0)))


def _powers(x):
    """``x**k`` for k = 0 ... _MAX_POWER - 1, shape (n, _MAX_POWER)."""
    return x[:, None] ** np.arange(_MAX_POWER)


def _expansion_powers(r1, r2, cos_theta):
    """Powers of the PS expansion variables x1, x2 (bond stretches relative to
    RE_OH) and x3 = cos(theta) - cos(THETA_E), each of shape (n, _MAX_POWER)."""
    re = tables.RE_OH
    return (
        _powers((r1 - re) / re),
        _powers((r2 - re) / re),
        _powers(cos_theta - _COS_THETA_E),
    )


def _lowered(powers, exponent):
    """``exponent * x**(exponent - 1)``, the derivative of ``x**exponent``."""
    return exponent * powers[:, np.maximum(exponent - 1, 0)]


def ps_raw_energy_cm1(positions, *, gradient=False):
    """The PS surface as published, in cm⁻¹, with its gradient on request.

    Parameters
    ----------
    positions : array_like, shape (n, 3, 3) or (3, 3)
        Cartesian positions in Angstrom, atoms in the order O, H, H.
    gradient : bool
        Also return the gradient with respect to the positions.

    Returns
    -------
    energy : numpy.ndarray, shape (n,)
        The raw surface in cm⁻¹; its minimum is :data:`PS_MINIMUM_CM1`.
    gradient : numpy.ndarray, shape (n, 3, 3)
        dV/dpositions in cm⁻¹/Angstrom, only if ``gradient=True``.
    """
    positions = _check_positions(positions)
    bond1 = positions[:, 1] - positions[:, 0]
    bond2 = positions[:, 2] - positions[:, 0]
    hh = positions[:, 1] - positions[:, 2]
    r1 = np.linalg.norm(bond1, axis=-1)
    r2 = np.linalg.norm(bond2, axis=-1)
    r_hh = np.linalg.norm(hh, axis=-1)
    cos_theta = np.einsum("ni,ni->n", bond1, bond2) / (r1 * r2)

    # two-body terms
    de = tables.F_5Z * tables.MORSE_DE
    e1 = np.exp(-tables.MORSE_ALPHA * (r1 - tables.MORSE_R0))
    e2 = np.exp(-tables.MORSE_ALPHA * (r2 - tables.MORSE_R0))
    morse = de * (e1 * (e1 - 2.0) + e2 * (e2 - 2.0))
    repulsion = (
        tables.F_5Z * tables.HH_PREFACTOR * np.exp(-tables.HH_EXPONENT * (r_hh - 1.0))
    )

    # damped short-range polynomial
    re = tables.RE_OH
    p1, p2, p3 = _expansion_powers(r1, r2, cos_theta)
    a, b, c = _PES_EXPONENTS[1:].T
    coefficients = _PES_COEFFICIENTS[1:]
    symmetric = p1[:, a] * p2[:, b] + p1[:, b] * p2[:, a]
    polynomial = (symmetric * p3[:, c]) @ coefficients
    damping = np.exp(-tables.BETA * ((r1 - re) ** 2 + (r2 - re) ** 2))
    energy = morse + repulsion + 2.0 * _PES_COEFFICIENTS[0] + damping * polynomial
    if not gradient:
        return energy

    # derivatives with respect to r1, r2, r_HH and cos(theta)
    d_poly_dx1 = (
        (_lowered(p1, a) * p2[:, b] + _lowered(p1, b) * p2[:, a]) * p3[:, c]
    ) @ coefficients
    d_poly_dx2 = (
        (p1[:, a] * _lowered(p2, b) + p1[:, b] * _lowered(p2, a)) * p3[:, c]
    ) @ coefficients
    d_poly_dx3 = (symmetric * _lowered(p3, c)) @ coefficients
    dv_dr1 = 2.0 * de * tables.MORSE_ALPHA * e1 * (1.0 - e1) + damping * (
        d_poly_dx1 / re - 2.0 * tables.BETA * (r1 - re) * polynomial
    )
    dv_dr2 = 2.0 * de * tables.MORSE_ALPHA * e2 * (1.0 - e2) + damping * (
        d_poly_dx2 / re - 2.0 * tables.BETA * (r2 - re) * polynomial
    )
    dv_drhh = -tables.HH_EXPONENT * repulsion
    dv_dcos = damping * d_poly_dx3

    # chain rule to Cartesian coordinates
    u1, u2 = bond1 / r1[:, None], bond2 / r2[:, None]
    dcos_dh1 = (u2 - cos_theta[:, None] * u1) / r1[:, None]
    dcos_dh2 = (u1 - cos_theta[:, None] * u2) / r2[:, None]
    u_hh = hh / r_hh[:, None]
    grad_h1 = (
        dv_dr1[:, None] * u1 + dv_drhh[:, None] * u_hh + dv_dcos[:, None] * dcos_dh1
    )
    grad_h2 = (
        dv_dr2[:, None] * u2 - dv_drhh[:, None] * u_hh + dv_dcos[:, None] * dcos_dh2
    )
    grad = np.stack([-(grad_h1 + grad_h2), grad_h1, grad_h2], axis=1)
    return energy, grad


def ps_energy_forces(positions):
    """PS energy and forces of a batch of water molecules.

    Parameters
    ----------
    positions : array_like, shape (n, 3, 3) or (3, 3)
        Cartesian positions in Angstrom, atoms in the order O, H, H.

    Returns
    -------
    energy : numpy.ndarray, shape (n,)
        Energy in eV, zero at the minimum of the PS surface.
    forces : numpy.ndarray, shape (n, 3, 3)
        Forces in eV/Angstrom: **minus** the gradient of the energy.
    """
    raw, grad = ps_raw_energy_cm1(positions, gradient=True)
    return (raw - PS_MINIMUM_CM1) * CM1_TO_EV, -grad * CM1_TO_EV


def ps_charges(positions):
    """PS position-dependent partial charges on O, H1 and H2, in units of e.

    Parameters
    ----------
    positions : array_like, shape (n, 3, 3) or (3, 3)
        Cartesian positions in Angstrom, atoms in the order O, H, H.

    Returns
    -------
    charges : numpy.ndarray, shape (n, 3)
        Charges on O, H1, H2; they sum to zero.
    """
    positions = _check_positions(positions)
    r1, r2, theta = water_internal_coordinates(positions)
    cos_theta = np.cos(np.radians(theta))
    re = tables.RE_OH
    p1, p2, p3 = _expansion_powers(r1, r2, cos_theta)
    a, b, c = _DMS_EXPONENTS[1:].T
    coefficients = _DMS_COEFFICIENTS[1:]
    damping = np.exp(-tables.DMS_BETA * ((r1 - re) ** 2 + (r2 - re) ** 2))
    c0, c1, c2 = tables.DMS_LONG_RANGE_C
    legendre2 = 0.5 * (3.0 * cos_theta**2 - 1.0)
    long_range = (
        tables.DMS_BOHR
        * tables.DMS_LONG_RANGE_A
        * (r1**tables.DMS_LONG_RANGE_B + r2**tables.DMS_LONG_RANGE_B)
        * (c0 + c1 * cos_theta + c2 * legendre2)
    )
    constant = _DMS_COEFFICIENTS[0]
    q_h1 = constant + damping * ((p1[:, a] * p2[:, b] * p3[:, c]) @ coefficients)
    q_h2 = constant + damping * ((p2[:, a] * p1[:, b] * p3[:, c]) @ coefficients)
    q_h1 = q_h1 + long_range
    q_h2 = q_h2 + long_range
    return np.stack([-(q_h1 + q_h2), q_h1, q_h2], axis=1)


def ps_dipole(positions):
    """PS dipole moment, the sum of charge times position, in e·Angstrom.

    Parameters
    ----------
    positions : array_like, shape (n, 3, 3) or (3, 3)
        Cartesian positions in Angstrom, atoms in the order O, H, H.

    Returns
    -------
    dipole : numpy.ndarray, shape (n, 3)
        Dipole in e·Angstrom. The charges sum to zero, so it does not depend on
        the origin. Multiply by :data:`tutorial_helpers.units.EA_TO_DEBYE` for
        Debye.
    """
    positions = _check_positions(positions)
    charges = ps_charges(positions)
    return np.einsum("na,nai->ni", charges, positions)
