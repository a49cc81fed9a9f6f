"""Real spherical harmonics, and rank-2 Cartesian tensors as spherical tensors.

Both follow featomic's conventions (see :mod:`tutorial_helpers.rotations`):
components ordered m = -l ... l, and for l = 1 proportional to (y, z, x).

A rank-2 Cartesian tensor has 9 components; it splits into parts that rotate
independently:

- λ = 0 (1 component): the trace, σ = +1;
- λ = 1 (3 components): the antisymmetric part, a pseudo-vector, σ = -1;
- λ = 2 (5 components): the symmetric traceless part, σ = +1.

The change of basis is a fixed orthogonal 9 × 9 matrix, taken from
:func:`featomic.clebsch_gordan.cartesian_to_spherical` once and cached.
"""

from __future__ import annotations

import functools

import numpy as np

from .rotations import _check_degree, _complex_to_real

__all__ = [
    "RANK2_SIGMA",
    "dipole_tensor",
    "rank2_change_of_basis",
    "rank2_to_spherical",
    "real_spherical_harmonics",
    "spherical_to_rank2",
]

#: Parity label σ of each part λ of a rank-2 tensor built from two polar vectors.
RANK2_SIGMA = {0: 1, 1: -1, 2: 1}
_SLICES = {0: slice(0, 1), 1: slice(1, 4), 2: slice(4, 9)}


def real_spherical_harmonics(l, vectors):
    """Real spherical harmonics of degree ``l`` at the directions of ``vectors``.

    Parameters
    ----------
    l : int
        Degree, 0 <= l <= :data:`~tutorial_helpers.rotations.L_MAX`.
    vectors : array_like, shape (n, 3)
        Directions (need not be normalised; must not be zero).

    Returns
    -------
    numpy.ndarray, shape (n, 2l + 1)
        Orthonormal on the unit sphere, m = -l ... l, in featomic's convention.
    """
    from scipy.special import sph_harm_y

    l = _check_degree(l)
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2 or vectors.shape[1] != 3:
        raise ValueError(f"vectors must have shape (n, 3), got {vectors.shape}")
    r = np.linalg.norm(vectors, axis=1)
    if np.any(r == 0) or not np.all(np.isfinite(r)):
        raise ValueError("vectors must be finite and non-zero")
    theta = np.arccos(np.clip(vectors[:, 2] / r, -1.0, 1.0))
    phi = np.arctan2(vectors[:, 1], vectors[:, 0])
    # m >= 0 from scipy; m < 0 from Y_l^(-m) = (-1)^m conj(Y_l^m), half the work
    m = np.arange(l + 1)
    positive = sph_harm_y(l, m[:, None], theta, phi)  # (l + 1, n)
    negative = ((-1.0) ** m[1:, None] * positive[1:].conj())[::-1]
    complex_harmonics = np.concatenate([negative, positive]).T  # m = -l ... l
    return (complex_harmonics @ _complex_to_real(l).T).real


@functools.cache
def rank2_change_of_basis() -> np.ndarray:
    """Orthogonal 9 × 9 matrix ``C`` from flattened (row-major) rank-2 Cartesian
    tensors to spherical components, stacked as λ = 0 (1), λ = 1 (3), λ = 2 (5).

    ``C @ T.reshape(9)`` are the spherical components of ``T``, and ``C.T``
    goes back.
    """
    from featomic.clebsch_gordan import cartesian_to_spherical
    from metatensor import Labels, TensorBlock, TensorMap

    xyz = np.arange(3).reshape(-1, 1)
    unit_tensors = np.eye(9).reshape(9, 3, 3, 1)
    block = TensorBlock(
        values=unit_tensors,
        samples=Labels.range("tensor", 9),
        components=[Labels(["xyz_1"], xyz), Labels(["xyz_2"], xyz)],
        properties=Labels.range("property", 1),
    )
    spherical = cartesian_to_spherical(
        TensorMap(Labels.single(), [block]),
        components=["xyz_1", "xyz_2"],
        remove_blocks_threshold=None,
    )
    rows = []
    for lam, sigma in RANK2_SIGMA.items():
        values = spherical.block(o3_lambda=lam, o3_sigma=sigma).values[:, :, 0]
        rows.append(np.asarray(values).T)
    C = np.concatenate(rows)
    if not np.allclose(C @ C.T, np.eye(9), atol=1e-12):
        raise RuntimeError("featomic's Cartesian to spherical map is not orthogonal")
    return C


def rank2_to_spherical(tensors):
    """Split rank-2 Cartesian tensors into their λ = 0, 1, 2 spherical parts.

    Parameters
    ----------
    tensors : array_like, shape (n, 3, 3)

    Returns
    -------
    dict
        ``{0: (n, 1), 1: (n, 3), 2: (n, 5)}`` arrays, in the units of ``tensors``.
    """
    tensors = np.asarray(tensors, dtype=np.float64)
    if tensors.ndim != 3 or tensors.shape[1:] != (3, 3):
        raise ValueError(f"tensors must have shape (n, 3, 3), got {tensors.shape}")
    flat = tensors.reshape(-1, 9) @ rank2_change_of_basis().T
    return {lam: flat[:, part] for lam, part in _SLICES.items()}


def spherical_to_rank2(parts):
    """Inverse of :func:`rank2_to_spherical`: (n, 3, 3) Cartesian tensors from
    the ``{0: (n, 1), 1: (n, 3), 2: (n, 5)}`` parts."""
    if set(parts) != set(_SLICES):
        raise ValueError(f"parts must have the keys 0, 1 and 2, got {sorted(parts)}")
    flat = np.concatenate([np.asarray(parts[lam]) for lam in range(3)], axis=1)
    if flat.ndim != 2 or flat.shape[1] != 9:
        raise ValueError(
            "parts must have shapes (n, 1), (n, 3) and (n, 5), "
            f"got {[np.shape(parts[lam]) for lam in range(3)]}"
        )
    return (flat @ rank2_change_of_basis()).reshape(-1, 3, 3)


def dipole_tensor(dipoles):
    r"""The symmetric rank-2 tensor
    :math:`Y = \boldsymbol{\mu}\boldsymbol{\mu}^\top + |\boldsymbol{\mu}|^2\,
    \mathbb{1}` of each dipole :math:`\boldsymbol{\mu}`.

    Chapter 3 uses it as a rank-2 tensor that belongs to each molecule: it
    rotates as :math:`R\,Y R^\top` when the dipole rotates as
    :math:`R\boldsymbol{\mu}`, its trace is :math:`4|\boldsymbol{\mu}|^2`, and,
    being symmetric, it has no λ = 1 part.

    Parameters
    ----------
    dipoles : array_like, shape (..., 3)
        Dipoles in e·Å (any leading batch axes).

    Returns
    -------
    numpy.ndarray, shape (..., 3, 3)
        Y for each dipole, in e²·Å².
    """
    dipoles = np.asarray(dipoles, dtype=np.float64)
    if dipoles.ndim == 0 or dipoles.shape[-1] != 3:
        raise ValueError(
            f"dipoles must have shape (..., 3) in e·Å, got {dipoles.shape}"
        )
    if not np.all(np.isfinite(dipoles)):
        raise ValueError("dipoles must be finite")
    outer = np.einsum("...i,...j->...ij", dipoles, dipoles)
    squared_norm = np.einsum("...i,...i->...", dipoles, dipoles)
    return outer + squared_norm[..., None, None] * np.eye(3)
