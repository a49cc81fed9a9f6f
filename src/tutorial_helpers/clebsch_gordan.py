r"""Clebsch–Gordan coefficients, complex and real, computed from Racah's formula.

Coupling two spherical tensors ``a`` (degree ``l1``) and ``b`` (degree ``l2``)
gives a spherical tensor of degree ``lam`` for every ``|l1 - l2| <= lam <= l1 + l2``::

    coupled[m] = sum over m1, m2 of C[m1, m2, m] * a[m1] * b[m2]

Arrays are indexed ``[m1 + l1, m2 + l2, m + lam]``, with m = -l ... l in
featomic's order (see :mod:`tutorial_helpers.rotations`).

- :func:`complex_clebsch_gordan` gives
  :math:`\langle l_1 m_1; l_2 m_2 | \lambda m \rangle` for complex
  spherical harmonics with the Condon–Shortley phase. They are exact rationals
  under a square root: the sum in Racah's formula is done in exact fractions,
  then one square root is taken in float64, so each coefficient is correct to
  the last bit or two for any degree.
- :func:`complex_to_real` is the unitary change of basis ``U`` with
  ``Y_real = U @ Y_complex``, the :math:`\sqrt{2}\,(-1)^m` combinations of the
  project's
  real spherical harmonics.
- :func:`real_clebsch_gordan` carries the coefficients over to real
  spherical tensors. The result is real when ``l1 + l2 + lam`` is even and
  imaginary when it is odd; in that case it is multiplied by ``-i``. With this
  choice they equal, to round-off, the tables of
  :func:`featomic.clebsch_gordan.calculate_cg_coefficients`, and two vectors
  couple into :math:`(\boldsymbol{a} \times \boldsymbol{b}) / \sqrt{2}` at
  ``lam = 1``.
- :func:`coupled_product` couples two batches of real spherical tensors with
  them.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from numbers import Integral

import numpy as np

from .rotations import _complex_to_real

__all__ = [
    "complex_clebsch_gordan",
    "complex_to_real",
    "coupled_product",
    "real_clebsch_gordan",
]


def _check_l(value, name: str) -> int:
    """``value`` as an int, if it is a non-negative integer."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def _check_triangle(l1, l2, lam) -> tuple[int, int, int]:
    l1, l2, lam = _check_l(l1, "l1"), _check_l(l2, "l2"), _check_l(lam, "lam")
    if not abs(l1 - l2) <= lam <= l1 + l2:
        raise ValueError(
            f"lam must be between |l1 - l2| = {abs(l1 - l2)} and l1 + l2 = "
            f"{l1 + l2} for l1 = {l1} and l2 = {l2}, got {lam}"
        )
    return l1, l2, lam


def _racah(l1: int, m1: int, l2: int, m2: int, lam: int, m: int) -> float:
    """⟨l1 m1; l2 m2 | lam m⟩ from Racah's formula (all arguments valid)."""
    if m1 + m2 != m:
        return 0.0
    f = math.factorial
    # the square of the prefactor is rational: keep it exact
    square = Fraction(
        (2 * lam + 1) * f(lam + l1 - l2) * f(lam - l1 + l2) * f(l1 + l2 - lam),
        f(l1 + l2 + lam + 1),
    ) * (f(lam + m) * f(lam - m) * f(l1 - m1) * f(l1 + m1) * f(l2 - m2) * f(l2 + m2))
    total = Fraction(0)
    k_min = max(0, l2 - lam - m1, l1 - lam + m2)
    k_max = min(l1 + l2 - lam, l1 - m1, l2 + m2)
    for k in range(k_min, k_max + 1):
        denominator = (
            f(k)
            * f(l1 + l2 - lam - k)
            * f(l1 - m1 - k)
            * f(l2 + m2 - k)
            * f(lam - l2 + m1 + k)
            * f(lam - l1 - m2 + k)
        )
        total += Fraction((-1) ** k, denominator)
    if total == 0:
        return 0.0
    # one rounding: the square root of an exact rational
    return math.copysign(math.sqrt(square * total * total), total)


def complex_clebsch_gordan(l1: int, l2: int, lam: int) -> np.ndarray:
    """Clebsch–Gordan coefficients ⟨l1 m1; l2 m2 | lam m⟩ of complex spherical
    harmonics (Condon–Shortley phase), from Racah's formula.

    Parameters
    ----------
    l1, l2 : int
        Degrees of the two tensors coupled, non-negative.
    lam : int
        Degree of the result, ``|l1 - l2| <= lam <= l1 + l2``.

    Returns
    -------
    numpy.ndarray, shape (2 l1 + 1, 2 l2 + 1, 2 lam + 1)
        Real numbers, indexed ``[m1 + l1, m2 + l2, m + lam]``; zero unless
        ``m1 + m2 = m``. For each ``lam``, reshaped to
        ``((2 l1 + 1)(2 l2 + 1), 2 lam + 1)`` it has orthonormal columns.

    Raises
    ------
    ValueError
        If a degree is not a non-negative integer, or ``lam`` is outside
        ``|l1 - l2| ... l1 + l2``.
    """
    return _complex_cached(*_check_triangle(l1, l2, lam)).copy()


@functools.cache
def _complex_cached(l1: int, l2: int, lam: int) -> np.ndarray:
    C = np.zeros((2 * l1 + 1, 2 * l2 + 1, 2 * lam + 1))
    for m1 in range(-l1, l1 + 1):
        for m2 in range(max(-l2, -lam - m1), min(l2, lam - m1) + 1):
            C[m1 + l1, m2 + l2, m1 + m2 + lam] = _racah(l1, m1, l2, m2, lam, m1 + m2)
    return C


def complex_to_real(l: int) -> np.ndarray:
    r"""Unitary change of basis from complex to real spherical harmonics.

    Parameters
    ----------
    l : int
        Degree, non-negative.

    Returns
    -------
    U : numpy.ndarray of complex, shape (2 l + 1, 2 l + 1)
        ``Y_real = U @ Y_complex``, rows and columns ordered m = -l ... l: for
        :math:`m > 0`,
        :math:`Y_{\mathrm{real}, m} = (Y_{-m} + (-1)^m Y_m) / \sqrt{2}` and
        :math:`Y_{\mathrm{real}, -m} = i\,(Y_{-m} - (-1)^m Y_m) / \sqrt{2}`;
        for l = 1 this is (y, z, x) with positive signs.

    Raises
    ------
    ValueError
        If ``l`` is not a non-negative integer.
    """
    return _complex_to_real(_check_l(l, "l")).copy()


def real_clebsch_gordan(l1: int, l2: int, lam: int) -> np.ndarray:
    r"""Clebsch–Gordan coefficients for real spherical tensors, in featomic's
    convention for the real spherical harmonics.

    If ``a`` (shape (2 l1 + 1,)) and ``b`` (shape (2 l2 + 1,)) are real spherical
    tensors that rotate with the real Wigner matrices :math:`D^{l_1}` and
    :math:`D^{l_2}`, then ``np.einsum("i,j,ijm->m", a, b, C)`` rotates with
    :math:`D^{\lambda}` (``lam`` = :math:`\lambda`).

    Parameters
    ----------
    l1, l2 : int
        Degrees of the two tensors coupled, non-negative.
    lam : int
        Degree of the result, ``|l1 - l2| <= lam <= l1 + l2``.

    Returns
    -------
    C : numpy.ndarray, shape (2 l1 + 1, 2 l2 + 1, 2 lam + 1)
        Real, indexed ``[m1 + l1, m2 + l2, m + lam]``::

            C[i, j, m] = sum over a, b, k of
                U_lam[m, k] * G[a, b, k] * conj(U_l1[i, a]) * conj(U_l2[j, b])

        with ``G`` from :func:`complex_clebsch_gordan` and the ``U`` from
        :func:`complex_to_real`, times ``-i`` when ``l1 + l2 + lam`` is odd
        (the sum is then imaginary). Reshaped to
        ``((2 l1 + 1)(2 l2 + 1), 2 lam + 1)`` it has orthonormal columns.

    Raises
    ------
    ValueError
        If a degree is not a non-negative integer, or ``lam`` is outside
        ``|l1 - l2| ... l1 + l2``.
    """
    return _real_cached(*_check_triangle(l1, l2, lam)).copy()


@functools.cache
def _real_cached(l1: int, l2: int, lam: int) -> np.ndarray:
    U1, U2, U = (_complex_to_real(l) for l in (l1, l2, lam))
    transformed = np.einsum(
        "mk,abk,ia,jb->ijm",
        U,
        _complex_cached(l1, l2, lam),
        U1.conj(),
        U2.conj(),
    )
    if (l1 + l2 + lam) % 2 == 1:
        transformed = -1j * transformed
    return np.ascontiguousarray(transformed.real)


def coupled_product(a, b, lam: int) -> np.ndarray:
    r"""The part of degree ``lam`` of the product of two real spherical tensors,
    ``a ⊗ b``, with the coefficients of :func:`real_clebsch_gordan`.

    Parameters
    ----------
    a : array_like, shape (..., 2 l1 + 1)
        Spherical tensors of degree l1, components m1 = -l1 ... l1 on the last
        axis; any leading (batch) axes.
    b : array_like, shape (..., 2 l2 + 1)
        Spherical tensors of degree l2, leading axes broadcastable with those
        of ``a``.
    lam : int
        Degree of the result, ``|l1 - l2| <= lam <= l1 + l2``.

    Returns
    -------
    numpy.ndarray, shape (..., 2 lam + 1)
        ``sum over m1, m2 of C[m1, m2, m] a[..., m1] b[..., m2]``, in the units
        of ``a`` times those of ``b``. It rotates with :math:`D^{\lambda}`
        (``lam`` = :math:`\lambda`) when ``a`` and ``b`` rotate with
        :math:`D^{l_1}` and :math:`D^{l_2}`. This is the plain product:
        featomic's couplings are :math:`(-1)^{l_1 + l_2 + \lambda}` times it.

    Raises
    ------
    ValueError
        If the last axis of ``a`` or ``b`` has an even length (it is not a
        spherical tensor), or ``lam`` is outside ``|l1 - l2| ... l1 + l2``.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    for name, x in (("a", a), ("b", b)):
        if x.ndim == 0 or x.shape[-1] % 2 == 0:
            raise ValueError(
                f"{name} must have 2 l + 1 components on its last axis, "
                f"got shape {x.shape}"
            )
    l1, l2 = (a.shape[-1] - 1) // 2, (b.shape[-1] - 1) // 2
    C = real_clebsch_gordan(l1, l2, lam)
    return np.einsum("...i,...j,ijm->...m", a, b, C)
