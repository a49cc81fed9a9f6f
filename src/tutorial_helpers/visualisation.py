"""Properties, structures and shapes for chemiscope widgets.

The chapters call :func:`chemiscope.show` with what these return, so that each
page shows what is plotted rather than the dictionaries chemiscope expects.
"""

from __future__ import annotations

import ase
import numpy as np

__all__ = [
    "bare_structures",
    "euler_angle_properties",
    "euler_angle_settings",
    "structure_arrows",
    "structure_ellipsoids",
    "structure_meshes",
    "structure_properties",
    "sphere_mesh",
]


def structure_properties(columns):
    """chemiscope properties with one value per structure.

    Parameters
    ----------
    columns : dict
        ``{name: (values, units, description)}``; ``values`` has one number per
        structure; ``units`` is None for pure numbers (no unit on the axes).

    Returns
    -------
    dict
        ``{name: {"target": "structure", "values", "units", "description"}}``,
        without ``units`` for pure numbers.
    """
    properties = {}
    sizes = set()
    for name, column in columns.items():
        if not (isinstance(column, tuple) and len(column) == 3):
            raise ValueError(
                f"columns[{name!r}] must be (values, units, description), "
                f"got {column!r}"
            )
        values, units, description = column
        values = np.asarray(values)
        if values.ndim != 1 or values.dtype.kind not in "iuf":
            raise ValueError(
                f"columns[{name!r}] values must be one real number per structure, "
                f"got shape {values.shape} and dtype {values.dtype}"
            )
        if not np.all(np.isfinite(values)):
            raise ValueError(f"columns[{name!r}] values must be finite")
        if not (units is None or (isinstance(units, str) and units)):
            raise ValueError(
                f"columns[{name!r}] units must be a non-empty string, or None for "
                f"a pure number, got {units!r}"
            )
        sizes.add(len(values))
        properties[name] = {
            "target": "structure",
            "values": values.astype(np.float64),
            "description": description,
        }
        if units is not None:
            properties[name]["units"] = units
    if len(sizes) > 1:
        raise ValueError(f"columns have different lengths: {sorted(sizes)}")
    return properties


def euler_angle_properties(alpha, beta, gamma):
    """The ZYZ Euler angles (radians) as the properties alpha, beta, gamma in °."""
    return structure_properties(
        {
            name: (np.degrees(values), "°", f"Euler angle {symbol} (ZYZ)")
            for name, symbol, values in (
                ("alpha", "α", alpha),
                ("beta", "β", beta),
                ("gamma", "γ", gamma),
            )
        }
    )


def euler_angle_settings(map_color, shapes, **structure_settings):
    """chemiscope settings for rotated copies: the map's axes are the Euler angles
    of :func:`euler_angle_properties`, the viewer keeps each copy's orientation
    and draws ``shapes`` (a list of shape names)."""
    import chemiscope

    return chemiscope.quick_settings(
        x="alpha",
        y="beta",
        z="gamma",
        map_color=map_color,
        structure_settings={
            "keepOrientation": True,
            "shape": ",".join(shapes),
            **structure_settings,
        },
    )


def bare_structures(frames, positions=None):
    """Copies of ``frames`` without their ``info`` and forces, so that chemiscope
    shows only the properties that are passed to it.

    Parameters
    ----------
    frames : list of ase.Atoms
        The structures; with ``positions``, a single structure (or a list holding
        one) whose copies are moved.
    positions : array_like, shape (n, n_atoms, 3), optional
        Positions in Angstrom of ``n`` copies of the single structure.
    """
    if isinstance(frames, ase.Atoms):
        frames = [frames]
    if positions is not None:
        if len(frames) != 1:
            raise ValueError("with positions, give one structure to copy")
        positions = np.asarray(positions, dtype=np.float64)
        if positions.ndim != 3 or positions.shape[1:] != (len(frames[0]), 3):
            raise ValueError(
                f"positions must have shape (n, {len(frames[0])}, 3), "
                f"got {positions.shape}"
            )
        frames = [frames[0]] * len(positions)
    structures = []
    for k, atoms in enumerate(frames):
        if not isinstance(atoms, ase.Atoms):
            raise ValueError(f"frames[{k}] is a {type(atoms).__name__}, not ase.Atoms")
        copy = ase.Atoms(atoms.numbers, positions=atoms.positions, pbc=atoms.pbc)
        copy.cell = atoms.cell
        if positions is not None:
            copy.positions = positions[k]
        structures.append(copy)
    return structures


def structure_ellipsoids(tensors, origins, *, scale=1.0, color="#1f77b4"):
    """One chemiscope ellipsoid per structure, for symmetric positive tensors.

    Parameters
    ----------
    tensors : array_like, shape (n_structures, 3, 3)
        Symmetric positive-definite tensors, in their own unit.
    origins : array_like, shape (n_structures, 3)
        Centres of the ellipsoids, in Angstrom.
    scale : float
        Angstrom of semi-axis per square root of the tensor's unit: the
        semi-axes lie along the eigenvectors, ``scale`` times the square roots
        of the eigenvalues long.
    color : str
        Colour of the ellipsoids (any CSS colour).
    """
    import chemiscope

    tensors = np.asarray(tensors, dtype=np.float64)
    origins = np.asarray(origins, dtype=np.float64)
    if tensors.ndim != 3 or tensors.shape[1:] != (3, 3):
        raise ValueError(f"tensors must have shape (n, 3, 3), got {tensors.shape}")
    if origins.shape != (len(tensors), 3):
        raise ValueError(
            f"origins must have shape ({len(tensors)}, 3), got {origins.shape}"
        )
    if not np.allclose(tensors, np.swapaxes(tensors, 1, 2), atol=1e-10):
        raise ValueError("tensors must be symmetric")
    if np.linalg.eigvalsh(tensors).min() <= 0:
        raise ValueError("tensors must be positive definite to draw an ellipsoid")
    parameters = []
    for tensor, origin in zip(tensors, origins, strict=True):
        ellipsoid = chemiscope.ellipsoid_from_tensor(tensor, scale=scale)
        parameters.append(
            {
                "semiaxes": [float(a) for a in ellipsoid["semiaxes"]],
                "orientation": [float(q) for q in ellipsoid["orientation"]],
                "position": origin.tolist(),
            }
        )
    return {
        "kind": "ellipsoid",
        "parameters": {"global": {"color": color}, "structure": parameters},
    }


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


def structure_meshes(meshes, *, color="#1f77b4", decimals=2):
    """One chemiscope ``custom`` shape per structure: a triangle mesh.

    Parameters
    ----------
    meshes : list of (vertices, simplices)
        For each structure, the vertices (n, 3) in Angstrom, in the frame of
        the structure, and the triangles (m, 3) as indices of vertices (e.g.
        from :func:`tutorial_helpers.density.isosurface`).
    color : str
        Colour of the meshes (any CSS colour).
    decimals : int
        Vertices are rounded to this many decimals of an Angstrom, which keeps
        the page light (2: 0.01 Å, far below what the eye sees).

    Vertices or triangles that all the meshes share are written once, in the
    shape's global parameters.
    """
    parameters = []
    for k, mesh in enumerate(meshes):
        if not (isinstance(mesh, tuple) and len(mesh) == 2):
            raise ValueError(f"meshes[{k}] must be (vertices, simplices)")
        vertices = np.asarray(mesh[0], dtype=np.float64)
        simplices = np.asarray(mesh[1])
        if vertices.ndim != 2 or vertices.shape[1] != 3 or len(vertices) < 3:
            raise ValueError(
                f"meshes[{k}] vertices must have shape (n >= 3, 3), "
                f"got {vertices.shape}"
            )
        if not np.all(np.isfinite(vertices)):
            raise ValueError(f"meshes[{k}] vertices must be finite")
        if (
            simplices.ndim != 2
            or simplices.shape[1] != 3
            or simplices.dtype.kind not in "iu"
            or simplices.min() < 0
            or simplices.max() >= len(vertices)
        ):
            raise ValueError(
                f"meshes[{k}] simplices must be (m, 3) integer indices of "
                f"its {len(vertices)} vertices"
            )
        parameters.append(
            {
                "vertices": np.round(vertices, decimals).tolist(),
                "simplices": simplices.tolist(),
            }
        )
    shared = {"color": color}
    for key in ("vertices", "simplices"):
        if all(p[key] == parameters[0][key] for p in parameters):
            # the same for every structure: write them once
            shared[key] = parameters[0][key]
            for p in parameters:
                del p[key]
    return {
        "kind": "custom",
        "parameters": {"global": shared, "structure": parameters},
    }


def sphere_mesh(n_points):
    """A triangulated unit sphere, for surfaces r(n̂) drawn over directions.

    Returns ``(directions, simplices)``: ``n_points`` unit vectors spread
    evenly (a Fibonacci lattice), and the triangles of their convex hull
    (:class:`scipy.spatial.ConvexHull`), oriented with outward normals. A
    surface r(n̂) is the mesh ``(r[:, None] * directions, simplices)``.
    """
    from scipy.spatial import ConvexHull

    if not isinstance(n_points, (int, np.integer)) or n_points < 4:
        raise ValueError(f"n_points must be an integer >= 4, got {n_points!r}")
    k = np.arange(n_points) + 0.5
    z = 1 - 2 * k / n_points
    phi = np.pi * (1 + np.sqrt(5)) * k
    rho = np.sqrt(1 - z**2)
    directions = np.stack([rho * np.cos(phi), rho * np.sin(phi), z], axis=1)
    simplices = ConvexHull(directions).simplices
    a, b, c = (directions[simplices[:, i]] for i in range(3))
    inward = np.einsum("ij,ij->i", np.cross(b - a, c - a), a + b + c) < 0
    simplices[inward] = simplices[inward][:, ::-1]
    return directions, simplices
