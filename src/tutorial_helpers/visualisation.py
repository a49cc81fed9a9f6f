"""Properties, structures and shapes for chemiscope widgets.

The chapters call :func:`chemiscope.show` with what these return, so that each
page shows what is plotted rather than the dictionaries chemiscope expects.
"""

from __future__ import annotations

import copy

import ase
import numpy as np

__all__ = [
    "atom_arrows",
    "bare_structures",
    "euler_angle_properties",
    "euler_angle_settings",
    "structure_arrows",
    "structure_ellipsoids",
    "structure_meshes",
    "structure_properties",
    "sphere_mesh",
    "top_view_camera",
    "viewer_camera",
    "EULER_MAP_SETTINGS",
]

#: 3Dmol.js, which draws chemiscope's structures, puts its camera at z = 150 and
#: shows an orthographic view (150 - zoom) tan 20° Å wide on each side of the centre
_CAMERA_Z = 150.0
_HALF_WIDTH_PER_DEPTH = float(np.tan(np.radians(20.0)))


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


def top_view_camera(look_at, half_width):
    """chemiscope camera of the structure viewer, looking down the z axis.

    The viewer shows x to the right and y up, centred on ``look_at``, with
    ``half_width`` Angstrom from the centre to its left and right edges (and
    more above and below in a viewer taller than wide). Pass it as
    ``structure_settings={"camera": ..., "keepOrientation": True}``: without
    ``keepOrientation``, chemiscope refits the view to each new structure.

    Parameters
    ----------
    look_at : array_like, shape (3,)
        The point at the centre of the viewer, in Angstrom.
    half_width : float
        Half the width of the view, in Angstrom, below 54 Å.

    Returns
    -------
    dict
        ``{"center", "eye", "up", "zoom"}``, chemiscope's form of 3Dmol's view:
        ``center`` is minus the point looked at and ``zoom`` the depth of the
        scene, seen from the camera at z = 150.
    """
    look_at = np.asarray(look_at, dtype=np.float64)
    if look_at.shape != (3,) or not np.all(np.isfinite(look_at)):
        raise ValueError(f"look_at must be a finite 3-vector in Å, got {look_at!r}")
    largest = _CAMERA_Z * _HALF_WIDTH_PER_DEPTH
    if isinstance(half_width, bool) or not isinstance(
        half_width, (int, float, np.integer, np.floating)
    ):
        raise ValueError(f"half_width must be a number of Å, got {half_width!r}")
    if not 0 < half_width < largest:
        raise ValueError(
            f"half_width must be between 0 and {largest:.1f} Å, got {half_width!r}"
        )
    zoom = _CAMERA_Z - half_width / _HALF_WIDTH_PER_DEPTH

    def xyz(vector):
        return dict(zip("xyz", map(float, vector), strict=True))

    return {
        "center": xyz(-look_at),
        "eye": xyz(-look_at + [0.0, 0.0, zoom]),
        "up": {"x": 0.0, "y": 1.0, "z": 0.0},
        "zoom": float(zoom),
    }


def viewer_camera(points, towards_viewer, up, *, pad=0.3, aspect=1.0):
    """chemiscope camera of the structure viewer, looking at ``points`` from any
    direction: the oblique cousin of :func:`top_view_camera`.

    The viewer looks along ``-towards_viewer`` with ``up`` upwards (its part
    normal to the line of sight), centred on the points and zoomed so that
    they fill a viewer ``aspect`` times as high as it is wide, with ``pad``
    Angstrom to spare on each side. Pass it as ``structure_settings={"camera":
    ..., "keepOrientation": True}``.

    Parameters
    ----------
    points : array_like, shape (n, 3)
        What must be in view (atoms, tips of arrows, ...), in Angstrom.
    towards_viewer : array_like, shape (3,)
        Direction from the points to the viewer (any length).
    up : array_like, shape (3,)
        Direction that shows upwards; not along ``towards_viewer``.
    pad : float
        Margin around the points, in Angstrom, ``>= 0``.
    aspect : float
        Height of the viewer over its width, ``> 0``.

    Returns
    -------
    dict
        ``{"center", "eye", "up", "zoom"}``, as :func:`top_view_camera`:
        chemiscope 1.1 hands it to 3Dmol.js, which moves the structure by
        ``center``, turns it by the rotation whose last two columns are ``up``
        and the direction of ``eye - center``, and shows it in an orthographic
        view 2 (150 - ``zoom``) tan 20° Å wide.
    """
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 3 or len(points) == 0:
        raise ValueError(f"points must have shape (n >= 1, 3), got {points.shape}")
    if not np.all(np.isfinite(points)):
        raise ValueError("points must be finite")
    vectors = {}
    for name, value in (("towards_viewer", towards_viewer), ("up", up)):
        vector = np.asarray(value, dtype=np.float64)
        if vector.shape != (3,) or not np.all(np.isfinite(vector)):
            raise ValueError(f"{name} must be a finite 3-vector, got {value!r}")
        if not np.linalg.norm(vector) > 0:
            raise ValueError(f"{name} must not be zero")
        vectors[name] = vector / np.linalg.norm(vector)
    for name, value, low in (("pad", pad, 0.0), ("aspect", aspect, None)):
        if isinstance(value, bool) or not isinstance(
            value, (int, float, np.integer, np.floating)
        ):
            raise ValueError(f"{name} must be a number, got {value!r}")
        if not (np.isfinite(value) and (value >= 0 if low == 0.0 else value > 0)):
            raise ValueError(
                f"{name} must be {'>= 0' if low == 0.0 else '> 0'}, got {value!r}"
            )
    back = vectors["towards_viewer"]
    up = vectors["up"] - (vectors["up"] @ back) * back
    if np.linalg.norm(up) < 1e-6:
        raise ValueError("up must not be along towards_viewer")
    up = up / np.linalg.norm(up)
    screen = np.array([np.cross(up, back), up, back])  # rows: right, up, back
    flat = points @ screen[:2].T  # (n, 2): across and up the screen, Å
    low, high = flat.min(axis=0) - pad, flat.max(axis=0) + pad
    look_at = screen[:2].T @ ((low + high) / 2) + (points @ back).mean() * back
    width = max(high[0] - low[0], (high[1] - low[1]) / aspect)
    largest = 2 * _CAMERA_Z * _HALF_WIDTH_PER_DEPTH
    if not 0 < width < largest:
        raise ValueError(
            f"the view must be between 0 and {largest:.1f} Å wide, got {width:.1f} Å"
        )
    zoom = _CAMERA_Z - width / (2 * _HALF_WIDTH_PER_DEPTH)

    def xyz(vector):
        return dict(zip("xyz", map(float, vector), strict=True))

    return {
        "center": xyz(-look_at),
        "eye": xyz(zoom * screen[:, 2] - look_at),
        "up": xyz(screen[:, 1]),
        "zoom": float(zoom),
    }


#: the 3D map of the Euler angles, seen from the side where orientation 0
#: (α = γ = 0, the smallest β) is the front corner; zoomed as far as a 390 px
#: phone allows (its 3D scene is 211 px wide): the α and γ axis titles keep 5 px
#: from the scene's edges, the centre nudged to balance them (the widget test
#: fails if anything is cut off). Small markers keep the 256 points apart.
EULER_MAP_SETTINGS = {
    "size": {"factor": 30},
    "camera": {
        "eye": {"x": -1.25, "y": -1.25, "z": 1.25},
        "center": {"x": -0.05, "y": 0.05, "z": 0.0},
        "up": {"x": 0.0, "y": 0.0, "z": 1.0},
        "zoom": 0.62,
    },
}


def euler_angle_settings(map_color, shapes, *, half_width=2.5, **structure_settings):
    """chemiscope settings for copies of a structure rotated about the origin.

    The map is 3D, its axes the Euler angles of :func:`euler_angle_properties`
    (:data:`EULER_MAP_SETTINGS`), coloured by the property ``map_color``. The
    viewer keeps each copy's orientation, draws ``shapes`` (a list of shape
    names) and looks down the z axis at the origin, ``half_width`` Angstrom to
    each side (:func:`top_view_camera`); ``structure_settings`` (e.g. another
    ``camera``) override these.
    """
    import chemiscope

    return chemiscope.quick_settings(
        x="alpha",
        y="beta",
        z="gamma",
        map_color=map_color,
        map_settings=copy.deepcopy(EULER_MAP_SETTINGS),
        structure_settings={
            "keepOrientation": True,
            "shape": ",".join(shapes),
            "camera": top_view_camera([0.0, 0.0, 0.0], half_width),
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
            "global": _arrow_style(radius, color),
            "structure": [
                {"vector": (scale * v).tolist(), "position": o.tolist()}
                for v, o in zip(vectors, origins, strict=True)
            ],
        },
    }


def _arrow_style(radius, color):
    """chemiscope's style of every arrow of a shape: stem ``radius`` (Å), head
    2.5 times as wide and 4 radii long, ``color``."""
    return {
        "baseRadius": radius,
        "headRadius": 2.5 * radius,
        "headLength": 4 * radius,
        "color": color,
    }


def atom_arrows(vectors, *, scale=1.0, color="#7b3294", radius=0.06):
    """One chemiscope arrow per atom, e.g. to draw forces.

    Parameters
    ----------
    vectors : array_like, shape (n_structures, n_atoms, 3)
        One vector per atom of each structure, in its own unit (e.g. eV/Å);
        every structure has ``n_atoms`` atoms.
    scale : float
        Angstrom of arrow per unit of ``vectors``.
    color : str
        Colour of the arrows (any CSS colour). Without one, chemiscope paints
        each arrow in its atom's colour: white hydrogens vanish on white.
    radius : float
        Radius of the arrow stem, in Angstrom.

    Returns
    -------
    dict
        A chemiscope ``arrow`` shape with atom target, each arrow starting at
        its atom, to pass in ``shapes={name: ...}`` of :func:`chemiscope.show`.
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 3 or vectors.shape[2] != 3:
        raise ValueError(
            f"vectors must have shape (n_structures, n_atoms, 3), got {vectors.shape}"
        )
    if not np.all(np.isfinite(vectors)):
        raise ValueError("vectors must be finite")
    return {
        "kind": "arrow",
        "parameters": {
            "global": _arrow_style(radius, color),
            "atom": [{"vector": v.tolist()} for v in scale * vectors.reshape(-1, 3)],
        },
    }


def structure_meshes(meshes, *, color="#1f77b4", decimals=2):
    """One chemiscope ``custom`` shape per structure: a triangle mesh.

    Vertices or triangles that all the meshes share are written once, in the
    shape's global parameters.

    Parameters
    ----------
    meshes : list of tuple
        For each structure, a pair ``(vertices, simplices)``: the vertices
        (n, 3) in Angstrom, in the frame of the structure, and the triangles
        (m, 3) as indices of vertices (e.g. from
        :func:`tutorial_helpers.density.isosurface`).
    color : str
        Colour of the meshes (any CSS colour).
    decimals : int
        Vertices are rounded to this many decimals of an Angstrom, which keeps
        the page light (2: 0.01 Å, far below what the eye sees).
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
