"""What ``docs/_ext/figure_text.py`` records of a figure: its width, and the size
of the smallest text that it draws, whatever draws it (titles, labels, ticks,
legends, colorbars, annotations, 3D axes); and the scraper that records it as
sphinx-gallery saves the figure, at each density of ``image_srcset``."""

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
from sphinx_gallery.scrapers import ImagePathIterator  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _legible_axes(**figure_options):
    """A figure whose every text is at least 11 pt."""
    fig, ax = plt.subplots(figsize=(6.4, 4), **figure_options)
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
    assert figure_text.read_record(first) == {"width_in": 6.4, "smallest_text_pt": 11}
    assert figure_text.read_record(second) == {"width_in": 14, "smallest_text_pt": 8}
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
