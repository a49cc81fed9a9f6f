"""What ``docs/_ext/figure_sizes.py`` writes on a figure's tag: its size, what
``figure_text.py`` recorded of its text and of its phone rendering, a link to
its sharpest image, and a ``<picture>`` that offers phones the phone rendering
with its own size; and the phone rendering copied into the site."""

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("PIL", reason="needs the docs dependencies")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

import figure_sizes  # noqa: E402
import figure_text  # noqa: E402
from PIL import Image  # noqa: E402

#: sphinx-gallery's tag for a figure saved at 1x and 2x (spaces around its "=")
FIGURE = (
    '<img src="../_images/sphx_glr_ch_001.png" srcset="../_images/sphx_glr_ch_001.png'
    ', ../_images/sphx_glr_ch_001_2_00x.png 2.00x" alt="a title" '
    'class = "sphx-glr-single-img"/>'
)
THUMBNAIL = '<img alt="" src="../_images/sphx_glr_ch_thumb.png" />'


def test_the_sharpest_image_is_the_densest_of_the_srcset():
    srcset = "a.png, a_2_00x.png 2.00x, a_1_50x.png 1.50x"
    assert figure_sizes.sharpest_image(srcset) == "a_2_00x.png"
    assert figure_sizes.sharpest_image("a.png") == "a.png"


def test_a_figure_links_to_its_sharpest_image_and_a_thumbnail_does_not():
    body = f"<p>{FIGURE}</p>{THUMBNAIL}"
    assert figure_sizes.link_full_size(body) == (
        '<p><a class="full-size-figure" href="../_images/sphx_glr_ch_001_2_00x.png">'
        f"{FIGURE}</a></p>{THUMBNAIL}"
    )


def _app(tmp_path):
    images = tmp_path / "auto_examples" / "images"
    images.mkdir(parents=True)
    Image.new("RGB", (640, 400)).save(images / "sphx_glr_ch_001.png")
    Image.new("RGB", (400, 280)).save(images / "sphx_glr_ch_thumb.png")
    record = {"smallest_text_pt": 11.0, "width_in": 6.4}
    figure_text.record_path(images / "sphx_glr_ch_001.png").write_text(
        json.dumps(record)
    )
    return SimpleNamespace(srcdir=tmp_path)


def test_figures_carry_their_size_and_text_record_and_thumbnails_their_size(
    tmp_path,
):
    context = {"body": FIGURE + THUMBNAIL}
    figure_sizes._size_images(_app(tmp_path), "ch", "page.html", context, None)
    assert context["body"] == (
        '<img width="640" height="400" loading="lazy" data-width-in="6.4" '
        'data-smallest-text-pt="11" src="../_images/sphx_glr_ch_001.png"'
        + FIGURE.split('sphx_glr_ch_001.png"', 1)[1]
        + '<img width="400" height="280" loading="lazy" alt="" '
        'src="../_images/sphx_glr_ch_thumb.png" />'
    )


def _phone_rendering(images, record):
    """A phone rendering of ``sphx_glr_ch_001.png``, 497 × 460 and twice that."""
    figure = images / "sphx_glr_ch_001.png"
    Image.new("RGB", (497, 460)).save(figure_text.phone_image_path(figure))
    Image.new("RGB", (994, 920)).save(figure_text.phone_image_path(figure, 2.0))
    phone = {"smallest_text_pt": 11.0, "width_in": 4.97}
    figure_text.record_path(figure).write_text(json.dumps({**record, "phone": phone}))


def test_a_figure_with_a_phone_rendering_carries_its_record_too(tmp_path):
    app = _app(tmp_path)
    images = tmp_path / "auto_examples" / "images"
    _phone_rendering(images, {"smallest_text_pt": 11.0, "width_in": 6.4})
    context = {"body": FIGURE}
    figure_sizes._size_images(app, "ch", "page.html", context, None)
    assert context["body"].startswith(
        '<img width="640" height="400" loading="lazy" data-width-in="6.4" '
        'data-smallest-text-pt="11" data-phone-width-in="4.97" '
        'data-phone-smallest-text-pt="11" src="../_images/sphx_glr_ch_001.png"'
    )


def test_phones_are_offered_the_phone_rendering_with_its_own_size(tmp_path):
    app = _app(tmp_path)
    app.outdir = tmp_path / "html"
    images = tmp_path / "auto_examples" / "images"
    _phone_rendering(images, {"smallest_text_pt": 11.0, "width_in": 6.4})
    linked = figure_sizes.link_full_size(FIGURE)
    context = {"body": f"<p>{linked}</p>{THUMBNAIL}"}
    figure_sizes._offer_phone_renderings(app, "ch", "page.html", context, None)
    assert context["body"] == (
        '<p><a class="full-size-figure" href="../_images/sphx_glr_ch_001_2_00x.png">'
        '<picture><source media="(max-width: 500px)" '
        'srcset="../_images/sphx_glr_ch_001_phone.png, '
        '../_images/sphx_glr_ch_001_phone_2_00x.png 2x" width="497" height="460">'
        f"{FIGURE}</picture></a></p>{THUMBNAIL}"
    )
    # Sphinx does not know these images: they are copied into the site
    for name in ("sphx_glr_ch_001_phone.png", "sphx_glr_ch_001_phone_2_00x.png"):
        copy = app.outdir / "_images" / name
        assert copy.read_bytes() == (images / name).read_bytes()


def test_a_figure_without_a_phone_rendering_stays_a_plain_image(tmp_path):
    app = _app(tmp_path)
    app.outdir = tmp_path / "html"
    context = {"body": FIGURE + THUMBNAIL}
    figure_sizes._offer_phone_renderings(app, "ch", "page.html", context, None)
    assert context["body"] == FIGURE + THUMBNAIL
    assert not (app.outdir / "_images").exists()
