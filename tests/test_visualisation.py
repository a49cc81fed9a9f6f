import ase
import numpy as np
import pytest

from tutorial_helpers.visualisation import (
    EULER_MAP_SETTINGS,
    atom_arrows,
    bare_structures,
    euler_angle_properties,
    euler_angle_settings,
    sphere_mesh,
    structure_arrows,
    structure_ellipsoids,
    structure_meshes,
    structure_properties,
    top_view_camera,
    viewer_camera,
)


def test_one_scaled_arrow_per_structure():
    shape = structure_arrows([[1.0, 0, 0], [0, 2.0, 0]], np.zeros((2, 3)), scale=0.5)
    assert shape["kind"] == "arrow"
    arrows = shape["parameters"]["structure"]
    assert [a["vector"] for a in arrows] == [[0.5, 0, 0], [0, 1.0, 0]]
    assert [a["position"] for a in arrows] == [[0, 0, 0], [0, 0, 0]]


@pytest.mark.parametrize(
    "vectors, origins, message",
    [
        (np.zeros(3), np.zeros(3), "vectors must have shape"),
        (np.zeros((2, 3)), np.zeros((3, 3)), "origins must have the shape"),
        (np.full((1, 3), np.nan), np.zeros((1, 3)), "finite"),
    ],
)
def test_bad_arrows_are_rejected(vectors, origins, message):
    with pytest.raises(ValueError, match=message):
        structure_arrows(vectors, origins)


def test_structure_properties_have_one_value_per_structure():
    properties = structure_properties(
        {"E": ([1.0, 2.0], "eV", "energy"), "n": (np.array([1, 2]), None, "count")}
    )
    assert properties["E"] == {
        "target": "structure",
        "values": properties["E"]["values"],
        "units": "eV",
        "description": "energy",
    }
    np.testing.assert_array_equal(properties["n"]["values"], [1.0, 2.0])
    assert "units" not in properties["n"]  # a pure number: no unit on the axes


@pytest.mark.parametrize(
    "columns, message",
    [
        ({"E": [1.0, 2.0]}, r"columns\['E'\] must be \(values, units, description\)"),
        ({"E": (np.ones((2, 2)), "eV", "")}, "one real number per structure"),
        ({"E": (["a", "b"], "eV", "")}, "one real number per structure"),
        ({"E": ([np.nan], "eV", "")}, "finite"),
        ({"a": ([1.0], None, ""), "b": ([1.0, 2.0], None, "")}, "different lengths"),
        ({"E": ([1.0], "", "")}, "units must be a non-empty string, or None"),
    ],
)
def test_bad_properties_are_rejected(columns, message):
    with pytest.raises(ValueError, match=message):
        structure_properties(columns)


def test_euler_angles_are_shown_in_degrees():
    properties = euler_angle_properties([np.pi], [np.pi / 2], [0.0])
    assert [properties[k]["values"][0] for k in ("alpha", "beta", "gamma")] == [
        180.0,
        90.0,
        0.0,
    ]
    assert properties["beta"]["units"] == "°"


def test_bare_structures_keep_atoms_and_drop_labels():
    water = ase.Atoms("OH2", positions=np.eye(3))
    water.info["energy"] = 1.0
    water.arrays["forces"] = np.ones((3, 3))
    (copy,) = bare_structures([water])
    assert copy.info == {} and "forces" not in copy.arrays
    np.testing.assert_array_equal(copy.positions, water.positions)
    moved = bare_structures(water, positions=2 * np.eye(3)[None].repeat(4, axis=0))
    assert len(moved) == 4 and moved[3].get_chemical_symbols() == ["O", "H", "H"]
    np.testing.assert_array_equal(moved[3].positions, 2 * np.eye(3))
    with pytest.raises(ValueError, match=r"positions must have shape \(n, 3, 3\)"):
        bare_structures(water, positions=np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match=r"frames\[1\] is a str"):
        bare_structures([water, "water"])


def test_ellipsoids_have_the_tensor_axes():
    R = np.array([[0.0, -1, 0], [1, 0, 0], [0, 0, 1]])  # 90° about z
    tensor = R @ np.diag([4.0, 1.0, 9.0]) @ R.T
    shape = structure_ellipsoids(tensor[None], np.ones((1, 3)), scale=0.5)
    (ellipsoid,) = shape["parameters"]["structure"]
    assert sorted(ellipsoid["semiaxes"]) == [0.5, 1.0, 1.5]
    assert ellipsoid["position"] == [1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="positive definite"):
        structure_ellipsoids(-np.eye(3)[None], np.zeros((1, 3)))
    with pytest.raises(ValueError, match="symmetric"):
        structure_ellipsoids(np.triu(np.ones((3, 3)))[None], np.zeros((1, 3)))


def test_euler_angle_settings_map_the_angles_and_show_the_shapes():
    settings = euler_angle_settings("energy", ["a", "b"], axes="off")
    assert [settings["map"][k]["property"] for k in ("x", "y", "z")] == [
        "alpha",
        "beta",
        "gamma",
    ]
    assert settings["map"]["color"]["property"] == "energy"
    assert settings["map"]["camera"] == EULER_MAP_SETTINGS["camera"]
    assert settings["map"]["size"] == EULER_MAP_SETTINGS["size"]
    (structure,) = settings["structure"]
    assert structure["shape"] == "a,b" and structure["keepOrientation"] is True
    assert structure["axes"] == "off"
    assert structure["camera"] == top_view_camera([0, 0, 0], 2.5)


def test_euler_angle_settings_take_another_view_of_the_structures():
    closer = euler_angle_settings("energy", ["a"], half_width=1.5)
    assert closer["structure"][0]["camera"] == top_view_camera([0, 0, 0], 1.5)
    camera = {"eye": {}, "center": {}, "up": {}, "zoom": 1.0}
    given = euler_angle_settings("energy", ["a"], camera=camera)
    assert given["structure"][0]["camera"] == camera
    # each call has its own map settings: changing one changes no other
    given["map"]["camera"]["zoom"] = 2.0
    assert EULER_MAP_SETTINGS["camera"]["zoom"] != 2.0


def test_the_top_view_looks_down_z_at_the_point_from_the_right_depth():
    camera = top_view_camera([1.0, 2.0, 0.5], 3.0)
    # chemiscope's "center" is minus the point looked at
    assert camera["center"] == {"x": -1.0, "y": -2.0, "z": -0.5}
    assert camera["up"] == {"x": 0.0, "y": 1.0, "z": 0.0}
    # 3Dmol's orthographic view is (150 - zoom) tan 20° Å wide on each side
    assert (150 - camera["zoom"]) * np.tan(np.radians(20)) == pytest.approx(3.0)
    eye = np.array([camera["eye"][k] - camera["center"][k] for k in "xyz"])
    np.testing.assert_allclose(eye, [0.0, 0.0, camera["zoom"]])


@pytest.mark.parametrize(
    "look_at, half_width, message",
    [
        ([0.0, 0.0], 1.0, "look_at must be a finite 3-vector"),
        ([0.0, np.nan, 0.0], 1.0, "look_at must be a finite 3-vector"),
        ([0.0, 0.0, 0.0], 0.0, "half_width must be between 0 and 54.6 Å"),
        ([0.0, 0.0, 0.0], 60.0, "half_width must be between 0 and 54.6 Å"),
        ([0.0, 0.0, 0.0], "2", "half_width must be a number of Å"),
    ],
)
def test_bad_top_views_are_rejected(look_at, half_width, message):
    with pytest.raises(ValueError, match=message):
        top_view_camera(look_at, half_width)


def test_one_coloured_arrow_per_atom():
    forces = np.arange(18.0).reshape(2, 3, 3)  # 2 structures of 3 atoms
    shape = atom_arrows(forces, scale=0.5, color="black", radius=0.1)
    assert shape["kind"] == "arrow"
    assert shape["parameters"]["global"]["color"] == "black"
    assert shape["parameters"]["global"]["baseRadius"] == 0.1
    arrows = shape["parameters"]["atom"]
    assert len(arrows) == 6
    assert arrows[4] == {"vector": (0.5 * forces[1, 1]).tolist()}
    with pytest.raises(ValueError, match=r"shape \(n_structures, n_atoms, 3\)"):
        atom_arrows(forces[0])
    with pytest.raises(ValueError, match="finite"):
        atom_arrows(np.full((1, 1, 3), np.inf))


def test_one_rounded_mesh_per_structure():
    vertices = np.array([[0, 0, 0], [1.23456, 0, 0], [0, 1, 0], [0, 0, 1]])
    simplices = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])
    shape = structure_meshes([(vertices, simplices)] * 2, color="red")
    assert shape["kind"] == "custom"
    assert shape["parameters"]["global"]["color"] == "red"
    meshes = shape["parameters"]["structure"]
    # shared vertices and triangles are written once
    assert shape["parameters"]["global"]["simplices"] == simplices.tolist()
    assert "simplices" not in meshes[0]
    assert shape["parameters"]["global"]["vertices"][1] == [1.23, 0, 0]
    assert meshes == [{}, {}]
    other = structure_meshes([(vertices, simplices), (2 * vertices, simplices[:2])])
    assert set(other["parameters"]["global"]) == {"color"}
    assert other["parameters"]["structure"][1]["simplices"] == simplices[:2].tolist()
    assert other["parameters"]["structure"][1]["vertices"][1] == [2.47, 0, 0]


@pytest.mark.parametrize(
    "mesh, message",
    [
        (np.zeros((4, 3)), "must be \\(vertices, simplices\\)"),
        ((np.zeros((4, 2)), np.zeros((1, 3), int)), "vertices must have shape"),
        ((np.zeros((4, 3)), np.array([[0, 1, 4]])), "indices of its 4 vertices"),
        ((np.zeros((4, 3)), np.array([[0.0, 1, 2]])), "indices of its 4 vertices"),
        ((np.full((4, 3), np.nan), np.array([[0, 1, 2]])), "finite"),
    ],
)
def test_bad_meshes_are_rejected(mesh, message):
    with pytest.raises(ValueError, match=message):
        structure_meshes([mesh])


def test_the_sphere_mesh_is_a_closed_surface_with_outward_normals():
    directions, simplices = sphere_mesh(200)
    np.testing.assert_allclose(np.linalg.norm(directions, axis=1), 1.0)
    # a closed triangulated sphere: every edge in two triangles, V - E + F = 2
    edges = np.sort(simplices[:, [0, 1, 1, 2, 2, 0]].reshape(-1, 2), axis=1)
    unique, counts = np.unique(edges, axis=0, return_counts=True)
    assert np.all(counts == 2)
    assert len(directions) - len(unique) + len(simplices) == 2
    a, b, c = (directions[simplices[:, i]] for i in range(3))
    assert np.all(np.einsum("ij,ij->i", np.cross(b - a, c - a), a + b + c) > 0)
    with pytest.raises(ValueError, match="n_points must be an integer >= 4"):
        sphere_mesh(3)


def test_the_viewer_camera_seen_from_above_is_the_top_view():
    points = np.array([[-2.0, 0.0, 0.0], [2.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    camera = viewer_camera(points, [0.0, 0.0, 1.0], [0.0, 1.0, 0.0], pad=0.5)
    # 2.5 Å either side of x = 0, centred on y = 0.5 Å
    expected = top_view_camera([0.0, 0.5, 0.0], 2.5)
    for key in ("center", "eye", "up"):
        assert camera[key] == pytest.approx(expected[key])
    assert camera["zoom"] == pytest.approx(expected["zoom"])


def test_the_viewer_camera_looks_from_the_viewer_with_up_upwards():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(5, 3))
    towards, up = np.array([1.0, 1.0, 0.0]), np.array([0.0, 0.3, 1.0])
    camera = viewer_camera(points, towards, up, aspect=1.5)
    # 3Dmol.js turns the scene by the rotation M whose last two columns are
    # "up" and the direction of eye - center: M @ r is (right, up, towards us)
    second = np.array([camera["up"][k] for k in "xyz"])
    third = np.array([camera["eye"][k] - camera["center"][k] for k in "xyz"])
    third /= np.linalg.norm(third)
    M = np.column_stack([np.cross(second, third), second, third])
    np.testing.assert_allclose(M @ M.T, np.eye(3), atol=1e-12)
    np.testing.assert_allclose(M @ towards, [0.0, 0.0, np.sqrt(2)], atol=1e-12)
    shown_up = M @ up
    assert shown_up[0] == pytest.approx(0.0, abs=1e-12) and shown_up[1] > 0
    # every point fits in the view, 2 (150 - zoom) tan 20° Å wide, 1.5 × as high,
    # with the pad (0.3 Å) to spare across or up
    half_width = (150 - camera["zoom"]) * np.tan(np.radians(20))
    look_at = -np.array([camera["center"][k] for k in "xyz"])
    on_screen = (points - look_at) @ M.T
    spare = [
        half_width - np.abs(on_screen[:, 0]).max(),
        1.5 * half_width - np.abs(on_screen[:, 1]).max(),
    ]
    assert min(spare) == pytest.approx(0.3)


@pytest.mark.parametrize(
    "points, towards, up, kwargs, message",
    [
        (
            np.zeros(3),
            [0, 0, 1],
            [0, 1, 0],
            {},
            r"points must have shape \(n >= 1, 3\)",
        ),
        (np.zeros((2, 3)), [0, 0, 0], [0, 1, 0], {}, "towards_viewer must not be zero"),
        (np.zeros((2, 3)), [0, 0, 1], [0, 0, 2], {}, "up must not be along"),
        (np.zeros((2, 3)), [0, 0, 1], [0, 1], {}, "up must be a finite 3-vector"),
        (np.zeros((2, 3)), [0, 0, 1], [0, 1, 0], {"pad": -1.0}, "pad must be >= 0"),
        (np.zeros((2, 3)), [0, 0, 1], [0, 1, 0], {"aspect": 0}, "aspect must be > 0"),
        (np.zeros((2, 3)), [0, 0, 1], [0, 1, 0], {"pad": 0}, "between 0 and"),
        ([[0, 0, 0], [200, 0, 0]], [0, 0, 1], [0, 1, 0], {}, "between 0 and 109.2"),
    ],
)
def test_bad_viewer_cameras_are_rejected(points, towards, up, kwargs, message):
    with pytest.raises(ValueError, match=message):
        viewer_camera(points, towards, up, **kwargs)
