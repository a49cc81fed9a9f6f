"""What ``docs/_ext/figure_text.py`` records of a figure: its width, and the size
of the smallest text that it draws, whatever draws it (titles, labels, ticks,
legends, colorbars, annotations, 3D axes); and the scraper that records it as
sphinx-gallery saves the figure, at each density of ``image_srcset``; and the
figure drawn again for phones, narrower with the same fonts, a row of panels
stacked, and checked for texts cut off or overlapping."""

import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx_gallery", reason="needs the docs dependencies")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

import matplotlib  # noqa: E402

matplotlib.use("agg")

import figure_text  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402
from sphinx_gallery.scrapers import ImagePathIterator  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _legible_axes(**figure_options):
    """A figure whose every text is at least 11 pt, laid out as the site's."""
    fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained", **figure_options)
    ax.plot([0, 1], [0, 1], label="line")
    ax.set_title("title", fontsize=14)
    ax.set_xlabel("x (Å)", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.legend(fontsize=11)
    return fig, ax


def test_the_smallest_text_is_that_of_the_smallest_drawn_text():
    fig, ax = _legible_axes()
    assert min(figure_text.drawn_font_sizes(fig)) == 11
    ax.annotate("note", (0.5, 0.5), fontsize=9)
    assert min(figure_text.drawn_font_sizes(fig)) == 9


def test_tick_labels_legends_and_colorbars_count():
    fig, ax = _legible_axes()
    image = ax.imshow([[0, 1], [1, 0]])
    colorbar = fig.colorbar(image)
    colorbar.ax.tick_params(labelsize=7)
    assert min(figure_text.drawn_font_sizes(fig)) == 7


def test_hidden_and_empty_texts_do_not_count():
    fig, ax = _legible_axes()
    ax.text(0.5, 0.5, "hidden", fontsize=5, visible=False)
    ax.text(0.5, 0.5, "   ", fontsize=5)
    ax.set_ylabel("", fontsize=5)
    assert min(figure_text.drawn_font_sizes(fig)) == 11


def test_an_axis_turned_off_shows_no_tick_labels():
    fig, ax = _legible_axes()
    blank = fig.add_axes((0.7, 0.7, 0.2, 0.2))
    blank.tick_params(labelsize=6)
    blank.axis("off")
    assert min(figure_text.drawn_font_sizes(fig)) == 11


def test_3d_axes_tick_labels_count():
    fig = plt.figure(figsize=(6.4, 4))
    ax = fig.add_subplot(projection="3d")
    ax.set_title("surface", fontsize=12)
    ax.tick_params(labelsize=8)
    assert min(figure_text.drawn_font_sizes(fig)) == 8


def test_a_figure_without_text_has_no_smallest_text(tmp_path):
    fig = plt.figure(figsize=(3, 2))
    image = tmp_path / "blank.png"
    fig.savefig(image)
    assert figure_text.figure_record(fig, image) == {
        "width_in": 3.0,
        "smallest_text_pt": None,
    }


def _gallery_conf(tmp_path):
    """The part of sphinx-gallery's configuration that its matplotlib scraper
    reads, as ``conf.py`` sets it."""
    return {
        "image_srcset": [2.0],
        "matplotlib_animations": (False, None),
        "compress_images": (),
        "src_dir": str(tmp_path),
    }


def test_the_scraper_saves_each_figure_and_records_it_beside_its_image(tmp_path):
    _legible_axes()  # 6.4 in wide, 11 pt at the smallest
    wide, wide_ax = plt.subplots(figsize=(14, 3.8))
    wide_ax.set_title("a wide figure", fontsize=8)
    paths = ImagePathIterator(tmp_path / "sphx_glr_chapter_{0:03}.png")
    block_vars = {"image_path_iterator": paths, "example_globals": {}}

    rst = figure_text.FigureTextScraper()(None, block_vars, _gallery_conf(tmp_path))

    first, second = (Path(path) for path in paths.paths)
    assert first.with_name(f"{first.stem}_2_00x.png").is_file()  # image_srcset
    assert "2.00x" in rst and first.name in rst and second.name in rst
    first_record = figure_text.read_record(first)
    second_record = figure_text.read_record(second)
    assert {k: first_record[k] for k in ("width_in", "smallest_text_pt")} == {
        "width_in": 6.4,
        "smallest_text_pt": 11,
    }
    assert {k: second_record[k] for k in ("width_in", "smallest_text_pt")} == {
        "width_in": 14,
        "smallest_text_pt": 8,
    }
    # each drawn again for phones, at each density, with the same fonts
    for image, record in ((first, first_record), (second, second_record)):
        phone = figure_text.phone_image_path(image)
        assert phone.is_file() and figure_text.phone_image_path(image, 2.0).is_file()
        assert record["phone"]["smallest_text_pt"] == record["smallest_text_pt"]
        assert record["phone"]["width_in"] == figure_text.phone_width_in(
            record["width_in"], record["smallest_text_pt"]
        )
    saved = json.loads(figure_text.record_path(second).read_text())
    assert list(saved) == sorted(saved)  # the same bytes every build
    assert plt.get_fignums() == []  # closed, as sphinx-gallery's scraper does


def test_the_scraper_counts_from_the_images_already_taken(tmp_path):
    paths = ImagePathIterator(tmp_path / "sphx_glr_chapter_{0:03}.png")
    next(paths)  # an earlier cell's figure
    _legible_axes()
    block_vars = {"image_path_iterator": paths, "example_globals": {}}
    figure_text.FigureTextScraper()(None, block_vars, _gallery_conf(tmp_path))
    assert figure_text.read_record(Path(paths.paths[0])) is None
    assert figure_text.read_record(Path(paths.paths[1]))["smallest_text_pt"] == 11


def test_the_scraper_has_a_stable_repr():
    # sphinx-gallery compares configurations by the repr of their scrapers
    assert repr(figure_text.FigureTextScraper()) == "FigureTextScraper"


def test_a_phone_rendering_shows_its_smallest_text_at_the_phones_text_size():
    width = figure_text.phone_width_in(6.4, 11)
    shown = 11 / 72 * figure_text.PHONE_COLUMN_PX / width
    assert shown == pytest.approx(figure_text.PHONE_TEXT_PX, abs=0.01)
    # smaller text, a narrower rendering
    assert figure_text.phone_width_in(6.4, 8) < width
    # none for a figure without text, or one narrow enough already
    assert figure_text.phone_width_in(6.4, None) is None
    assert figure_text.phone_width_in(3.0, 11) is None


def test_phone_renderings_are_named_as_the_gallerys_densities():
    image = Path("images/sphx_glr_ch_001.png")
    assert figure_text.phone_image_path(image).name == "sphx_glr_ch_001_phone.png"
    assert (
        figure_text.phone_image_path(image, 2.0).name
        == "sphx_glr_ch_001_phone_2_00x.png"
    )


def test_a_figure_without_text_gets_no_phone_rendering(tmp_path):
    fig = plt.figure(figsize=(6.4, 2))
    image = tmp_path / "blank.png"
    fig.savefig(image)
    record = figure_text.figure_record(fig, image)
    assert figure_text.save_phone_rendering(fig, image, record, [2.0]) is None
    assert not figure_text.phone_image_path(image).exists()


def test_the_phone_rendering_keeps_the_fonts_and_height_and_is_saved_at_its_size(
    tmp_path,
):
    fig, _ = _legible_axes()
    image = tmp_path / "sphx_glr_ch_001.png"
    fig.savefig(image)
    record = figure_text.figure_record(fig, image)
    phone = figure_text.save_phone_rendering(fig, image, record, [2.0])
    width = figure_text.phone_width_in(6.4, 11)
    assert phone == {
        "width_in": width,
        "smallest_text_pt": 11,
        "stacked_rows": 1,
        "crowded_texts": [],
    }
    with Image.open(figure_text.phone_image_path(image)) as saved:
        assert saved.size == (round(width * 100), 400)
    with Image.open(figure_text.phone_image_path(image, 2.0)) as saved:
        assert saved.size == (round(width * 200), 800)


def test_a_row_of_panels_is_stacked_into_a_column_twice_as_tall():
    fig, axes = plt.subplots(1, 2, figsize=(6.4, 3), layout="constrained")
    image = fig.colorbar(axes[1].pcolormesh([[0, 1], [1, 0]]), ax=axes[1])
    assert figure_text.stack_row_of_panels(fig) == 2
    fig.set_size_inches(4.97, 6)
    fig.canvas.draw()
    top, bottom = (ax.get_position() for ax in axes)
    assert top.y0 > bottom.y1  # the first panel above the second
    assert abs(top.x0 - bottom.x0) < 0.05  # in one column
    assert image.ax.get_position().x0 > bottom.x1  # its colorbar beside it


def test_only_a_single_row_of_panels_is_stacked():
    fig, axes = plt.subplots(2, 2)
    assert figure_text.stack_row_of_panels(fig) == 1
    assert axes[0, 1].get_subplotspec().colspan.start == 1
    fig, _ = _legible_axes()
    assert figure_text.stack_row_of_panels(fig) == 1
    fig = plt.figure()
    fig.add_subplot(1, 3, 1, projection="3d")
    fig.add_subplot(1, 3, 2, projection="3d")
    fig.add_subplot(1, 3, 3, projection="3d")
    assert figure_text.stack_row_of_panels(fig) == 3


def test_texts_cut_off_or_overlapping_are_found():
    fig, ax = _legible_axes()
    assert figure_text.crowded_texts(fig) == []
    ax.set_xticks([0, 0.5, 1], ["a long label one", "a long label two", "three"])
    assert figure_text.crowded_texts(fig) == []
    fig.set_size_inches(3, 4)
    assert figure_text.crowded_texts(fig) == [
        "'a long label one' overlaps 'a long label two'"
    ]
    ax.set_xticks([0, 1], ["0", "1"])
    ax.set_title("a title far too long for a figure three inches wide", fontsize=14)
    assert figure_text.crowded_texts(fig) == [
        "'a title far too long for a figure three inches wide' sticks out of the figure"
    ]


def test_the_lines_of_a_text_of_several_lines_count():
    fig, ax = _legible_axes()
    ax.set_ylabel("energy\n(eV)", fontsize=9)
    assert min(figure_text.drawn_font_sizes(fig)) == 9
    ax.text(0.5, 0.5, "first line\nsecond line", fontsize=11)
    ax.text(0.52, 0.5, "over it\nand again", fontsize=11)
    assert len(figure_text.crowded_texts(fig)) >= 1


def test_a_title_too_long_for_the_phone_is_broken_at_a_space():
    fig, ax = _legible_axes()
    title = ax.set_title("a title far too long for a figure three inches wide")
    fig.set_size_inches(3, 4)
    assert figure_text.wrap_texts_cut_off(fig) >= 1
    assert title.get_text().replace("\n", " ") == (
        "a title far too long for a figure three inches wide"
    )
    assert figure_text.crowded_texts(fig) == []
    # a text that fits is left alone
    assert figure_text.wrap_texts_cut_off(fig) == 0


def test_equal_axes_lose_the_empty_room_above_and_below_them():
    fig, axes = plt.subplots(2, 2, figsize=(4.97, 6.6), layout="constrained")
    for ax in axes.flat:
        ax.pcolormesh([[0, 1], [1, 0]])
        ax.set_aspect("equal")
    fig.draw_without_rendering()
    widths = [ax.get_position(original=False).width for ax in axes.flat]
    figure_text.trim_empty_height(fig)
    assert fig.get_size_inches()[1] < 6.6 * 0.85
    fig.draw_without_rendering()
    for ax, width in zip(axes.flat, widths, strict=True):
        assert ax.get_position(original=False).width >= 0.99 * width
    # panels of free shape fill their room: nothing to trim
    fig, _ = _legible_axes()
    figure_text.trim_empty_height(fig)
    assert tuple(fig.get_size_inches()) == (6.4, 4)


def _annotated_under_a_legend():
    """A figure whose legend, upper centre, covers an annotation once the
    figure is 4.97 in wide (as chapter 6.2's capacity figure did)."""
    fig, ax = _legible_axes()
    ax.plot([0, 1], [0.9, 0.9], label="a long legend entry, long")
    ax.annotate("an annotation", (0.25, 0.93), fontsize=11)
    ax.legend(loc="upper center")
    fig.set_size_inches(4.97, 4)
    return fig, ax


def test_a_legend_over_a_text_is_found_and_moved_below_the_figure():
    fig, ax = _annotated_under_a_legend()
    covered = figure_text.legends_over_texts(fig)
    assert [line for _, line in covered] == ["an annotation"]
    assert any("covers 'an annotation'" in p for p in figure_text.crowded_texts(fig))
    entries = [text.get_text() for text in ax.get_legend().get_texts()]
    assert figure_text.move_covering_legends_below(fig) == 1
    assert ax.get_legend() is None
    assert [text.get_text() for text in fig.legends[0].get_texts()] == entries
    assert fig.get_size_inches()[1] > 4  # taller by the legend
    assert figure_text.crowded_texts(fig) == []


def test_a_legend_of_several_panels_stays_where_it_is():
    fig, ax = _annotated_under_a_legend()
    fig.add_subplot(2, 1, 2)
    ax.set_subplotspec(fig.add_gridspec(2, 1)[0])
    assert figure_text.move_covering_legends_below(fig) == 0
    assert ax.get_legend() is not None
