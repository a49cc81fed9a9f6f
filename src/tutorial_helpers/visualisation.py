"""Shapes for chemiscope widgets."""

from __future__ import annotations

import numpy as np

__all__ = ["structure_arrows"]


def structure_arrows(vectors, origins, *, scale=1.0, color="#ff7f0e", radius=0.06):
    """One chemiscope arrow per structure, e.g. to draw a dipole.

    Parameters
    ----------
    vectors : array_like, shape (n_structures, 3)
        The vectors to draw, in their own unit (e.g. e·Angstrom).
    origins : array_like, shape (n_structures, 3)
        Where each arrow starts, in Angstrom.
    scale : float
        Angstrom of arrow per unit of ``vectors``.
    color : str
        Colour of the arrows (any CSS colour).
    radius : float
        Radius of the arrow stem, in Angstrom.

    Returns
    -------
    dict
        A chemiscope ``arrow`` shape with structure target, to pass in
        ``shapes={name: ...}`` of :func:`chemiscope.show`.
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    origins = np.asarray(origins, dtype=np.float64)
    if vectors.ndim != 2 or vectors.shape[1] != 3:
        raise ValueError(f"vectors must have shape (n, 3), got {vectors.shape}")
    if origins.shape != vectors.shape:
        raise ValueError(
            f"origins must have the shape {vectors.shape} of vectors, "
            f"got {origins.shape}"
        )
    if not (np.all(np.isfinite(vectors)) and np.all(np.isfinite(origins))):
        raise ValueError("vectors and origins must be finite")
    return {
        "kind": "arrow",
        "parameters": {
            "global": {
                "baseRadius": radius,
                "headRadius": 2.5 * radius,
                "headLength": 4 * radius,
                "color": color,
            },
            "structure": [
                {"vector": (scale * v).tolist(), "position": o.tolist()}
                for v, o in zip(vectors, origins, strict=True)
            ],
        },
    }
