"""The figures' style: drawn at the column's width, text legible when shown."""

import matplotlib
import pytest

from tutorial_helpers.figures import (
    SMALLEST_PT,
    STYLE,
    WIDTH_IN,
    figure_size,
    use_style,
)

LAPTOP_PX, PHONE_PX = 700, 358  # the content column, in CSS pixels


def test_the_smallest_text_is_legible_on_a_laptop_and_on_a_phone():
    for column_px, legible_px in ((LAPTOP_PX, 11), (PHONE_PX, 8)):
        shown_px = min(column_px, WIDTH_IN * STYLE["figure.dpi"])
        assert SMALLEST_PT / 72 * shown_px / WIDTH_IN >= legible_px


def test_no_font_of_the_style_is_under_the_smallest():
    sizes = {key: value for key, value in STYLE.items() if "size" in key}
    sizes.pop("figure.figsize")
    assert min(sizes.values()) == SMALLEST_PT


def test_use_style_sets_matplotlib(monkeypatch):
    monkeypatch.setattr(
        matplotlib, "rcParams", matplotlib.RcParams(matplotlib.rcParams)
    )
    use_style()
    assert matplotlib.rcParams["figure.figsize"] == [WIDTH_IN, 4.0]
    assert matplotlib.rcParams["xtick.labelsize"] == SMALLEST_PT


def test_figure_size_is_the_column_width():
    assert figure_size(3) == (WIDTH_IN, 3.0)


@pytest.mark.parametrize("height", [0, -1.0, "4", True, None])
def test_figure_size_names_a_bad_height(height):
    with pytest.raises(ValueError, match="height_in"):
        figure_size(height)
