"""Rotations, inversion and Wigner D matrices.

Conventions (see the "Conventions" page of the documentation):

- Euler angles are **ZYZ intrinsic**: ``rotation_matrix(alpha, beta, gamma)`` is
  ``Rz(alpha) @ Ry(beta) @ Rz(gamma)``; it rotates vectors actively,
  ``r' = R @ r``.
- Real spherical harmonics follow featomic: for each l the components are
  ordered m = -l ... l, and for l = 1 they are proportional to (y, z, x) with
  positive signs.
- ``wigner_d_real(l, alpha, beta, gamma) @ c`` are the coefficients of the
  rotated function, when ``c`` are those of the original one: the spherical
  expansion of a structure rotated by ``rotation_matrix(alpha, beta, gamma)``.

All functions are vectorised: angles of any shape broadcast together, and the
matrices get two trailing axes.

Wigner D matrices and real spherical harmonics are supported up to degree
:data:`L_MAX` = 20. Wigner's explicit formula, used here, sums terms of
alternating sign whose size grows factorially with l: at l = 20 the matrices
are orthogonal to 4e-11, at l = 24 only to 7e-10, so larger l raise a
``ValueError`` rather than return inaccurate matrices.
"""

from __future__ import annotations

import functools
import math

import numpy as np

__all__ = [
    "L_MAX",
    "cartesian_to_spherical_l1",
    "improper_rotation_matrix",
    "inversion_matrix",
    "matrix_to_angles",
    "random_angles",
    "random_rotation_matrix",
    "rotation_matrix",
    "spherical_to_cartesian_l1",
    "wigner_d_real",
]

#: Largest degree l of the Wigner D matrices and spherical harmonics here.
L_MAX = 20

#: Index that turns Cartesian (x, y, z) into the l = 1 spherical order (y, z, x).
XYZ_TO_SPHERICAL = np.array([1, 2, 0])
#: Index that turns the l = 1 spherical order (y, z, x) back into (x, y, z).
SPHERICAL_TO_XYZ = np.array([2, 0, 1])


def _check_degree(l, name="l") -> int:
    """``l`` as an int, if it is a degree this module supports (0 ... L_MAX)."""
    if not isinstance(l, (int, np.integer)) or isinstance(l, bool) or l < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {l!r}")
    if l > L_MAX:
        raise ValueError(
            f"{name} = {l} is larger than L_MAX = {L_MAX}, the largest degree that "
            "tutorial_helpers computes accurately (Wigner's formula loses precision "
            "beyond it)"
        )
    return int(l)


def _angles(alpha, beta, gamma):
    arrays = []
    for name, value in (("alpha", alpha), ("beta", beta), ("gamma", gamma)):
        value = np.asarray(value)
        if value.dtype.kind not in "iuf":
            raise ValueError(
                f"{name} must be real angles in radians, got {value.dtype}"
            )
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} contains non-finite values")
        arrays.append(value.astype(np.float64))
    return np.broadcast_arrays(*arrays)


def rotation_matrix(alpha, beta, gamma):
    """Rotation matrix from ZYZ intrinsic Euler angles.

    Parameters
    ----------
    alpha, beta, gamma : array_like
        Euler angles in radians; they broadcast together to a shape ``S``.

    Returns
    -------
    R : numpy.ndarray, shape ``S + (3, 3)``
        ``Rz(alpha) @ Ry(beta) @ Rz(gamma)``, a proper rotation (det = +1).
    """
    alpha, beta, gamma = _angles(alpha, beta, gamma)
    ca, sa = np.cos(alpha), np.sin(alpha)
    cb, sb = np.cos(beta), np.sin(beta)
    cg, sg = np.cos(gamma), np.sin(gamma)
    R = np.empty(alpha.shape + (3, 3))
    R[..., 0, 0] = ca * cb * cg - sa * sg
    R[..., 0, 1] = -ca * cb * sg - sa * cg
    R[..., 0, 2] = ca * sb
    R[..., 1, 0] = sa * cb * cg + ca * sg
    R[..., 1, 1] = -sa * cb * sg + ca * cg
    R[..., 1, 2] = sa * sb
    R[..., 2, 0] = -sb * cg
    R[..., 2, 1] = sb * sg
    R[..., 2, 2] = cb
    return R


def _check_rotation(R, name="R"):
    R = np.asarray(R, dtype=np.float64)
    if R.shape[-2:] != (3, 3):
        raise ValueError(f"{name} must have shape (..., 3, 3), got {R.shape}")
    identity = np.einsum("...ji,...jk->...ik", R, R)
    if not np.allclose(identity, np.eye(3), atol=1e-8):
        raise ValueError(f"{name} is not orthogonal: R.T @ R differs from 1")
    if not np.allclose(np.linalg.det(R), 1.0, atol=1e-8):
        raise ValueError(f"{name} is not a proper rotation: det(R) is not +1")
    return R


def matrix_to_angles(R):
    """ZYZ intrinsic Euler angles of a rotation matrix, the inverse of
    :func:`rotation_matrix`.

    Parameters
    ----------
    R : array_like, shape ``S + (3, 3)``
        Proper rotation matrices.

    Returns
    -------
    alpha, beta, gamma : numpy.ndarray, shape ``S``
        Angles with alpha, gamma in (-pi, pi] and beta in [0, pi]. At the gimbal
        lock (beta = 0 or pi) only alpha ± gamma is defined: gamma is set to 0.
    """
    R = _check_rotation(R)
    # atan2 rather than arccos(R_zz): accurate near the gimbal lock too
    sin_beta = np.hypot(R[..., 0, 2], R[..., 1, 2])
    beta = np.arctan2(sin_beta, R[..., 2, 2])
    locked = sin_beta < 1e-13
    alpha = np.where(
        locked,
        np.arctan2(-R[..., 0, 1], R[..., 1, 1]),
        np.arctan2(R[..., 1, 2], R[..., 0, 2]),
    )
    gamma = np.where(locked, 0.0, np.arctan2(R[..., 2, 1], -R[..., 2, 0]))
    return alpha, beta, gamma


def random_angles(n, seed=None):
    """Euler angles of ``n`` rotations drawn uniformly (Haar measure) from SO(3).

    Parameters
    ----------
    n : int
        Number of rotations.
    seed : int or numpy.random.Generator, optional
        Seed, for reproducible rotations.

    Returns
    -------
    alpha, beta, gamma : numpy.ndarray, shape (n,)
        alpha and gamma uniform in [0, 2 pi), cos(beta) uniform in [-1, 1].
    """
    if not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    rng = np.random.default_rng(seed)
    alpha = rng.uniform(0.0, 2 * np.pi, n)
    beta = np.arccos(rng.uniform(-1.0, 1.0, n))
    gamma = rng.uniform(0.0, 2 * np.pi, n)
    return alpha, beta, gamma


def random_rotation_matrix(n, seed=None):
    """``n`` rotation matrices drawn uniformly from SO(3), shape (n, 3, 3)."""
    return rotation_matrix(*random_angles(n, seed))


def inversion_matrix():
    """The inversion through the origin, ``-1``, as a 3 × 3 matrix."""
    return -np.eye(3)


def improper_rotation_matrix(alpha, beta, gamma):
    """Inversion composed with the ZYZ rotation: ``-rotation_matrix(...)``.

    Improper rotations have det = -1; with the proper rotations they form O(3).
    """
    return -rotation_matrix(alpha, beta, gamma)


def cartesian_to_spherical_l1(vectors):
    """Reorder Cartesian (x, y, z) components into the l = 1 order (y, z, x).

    With featomic's real spherical harmonics the l = 1 components are
    proportional to (y, z, x) with positive signs, so this is only a permutation
    of the last axis.
    """
    vectors = np.asarray(vectors)
    if vectors.shape[-1:] != (3,):
        raise ValueError(
            f"vectors must have a last axis of size 3, got {vectors.shape}"
        )
    return vectors[..., XYZ_TO_SPHERICAL]


def spherical_to_cartesian_l1(vectors):
    """Reorder l = 1 components (y, z, x) back into Cartesian (x, y, z)."""
    vectors = np.asarray(vectors)
    if vectors.shape[-1:] != (3,):
        raise ValueError(
            f"vectors must have a last axis of size 3, got {vectors.shape}"
        )
    return vectors[..., SPHERICAL_TO_XYZ]


@functools.cache
def _small_d_coefficients(l: int) -> np.ndarray:
    """Coefficients C[m', m, k] with d^l_{m'm}(beta) = sum_k C cos^(2l-k) sin^k
    of beta/2, from Wigner's formula."""
    size = 2 * l + 1
    C = np.zeros((size, size, size))
    f = math.factorial
    for mp in range(-l, l + 1):
        for m in range(-l, l + 1):
            norm = math.sqrt(f(l + mp) * f(l - mp) * f(l + m) * f(l - m))
            for s in range(max(0, m - mp), min(l + m, l - mp) + 1):
                sign = (-1) ** (mp - m + s)
                denominator = f(l + m - s) * f(s) * f(mp - m + s) * f(l - mp - s)
                C[mp + l, m + l, mp - m + 2 * s] += sign * norm / denominator
    return C


@functools.cache
def _complex_to_real(l: int) -> np.ndarray:
    """Unitary U with Y_real = U @ Y_complex (Condon–Shortley complex harmonics)."""
    size = 2 * l + 1
    U = np.zeros((size, size), dtype=np.complex128)
    U[l, l] = 1.0
    for m in range(1, l + 1):
        U[l + m, l + m] = (-1) ** m / np.sqrt(2)
        U[l + m, l - m] = 1 / np.sqrt(2)
        U[l - m, l + m] = (-1) ** m / (1j * np.sqrt(2))
        U[l - m, l - m] = -1 / (1j * np.sqrt(2))
    return U


def wigner_d_real(l, alpha, beta, gamma):
    """Real Wigner D matrix of degree ``l`` for ZYZ Euler angles.

    Parameters
    ----------
    l : int
        Angular degree, 0 <= l <= :data:`L_MAX`.
    alpha, beta, gamma : array_like
        ZYZ intrinsic Euler angles in radians, broadcast to a shape ``S``.

    Returns
    -------
    D : numpy.ndarray, shape ``S + (2l + 1, 2l + 1)``
        Rows and columns ordered m = -l ... l, in featomic's real spherical
        harmonics. If ``c`` are the coefficients of a function on the sphere
        (or the ``o3_mu`` components of a featomic block), ``D @ c`` are those of
        the function rotated by ``rotation_matrix(alpha, beta, gamma)``.
    """
    l = _check_degree(l)
    alpha, beta, gamma = _angles(alpha, beta, gamma)
    m = np.arange(-l, l + 1)
    k = np.arange(2 * l + 1)
    half = beta[..., None] / 2
    powers = np.cos(half) ** (2 * l - k) * np.sin(half) ** k
    small_d = np.einsum("abk,...k->...ab", _small_d_coefficients(l), powers)
    phase_left = np.exp(-1j * m * alpha[..., None])
    phase_right = np.exp(-1j * m * gamma[..., None])
    D = phase_left[..., :, None] * small_d * phase_right[..., None, :]
    U = _complex_to_real(l)
    return (U.conj() @ D @ U.T).real
