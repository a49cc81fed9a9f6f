import numpy as np
import pytest

from tutorial_helpers.visualisation import structure_arrows


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
