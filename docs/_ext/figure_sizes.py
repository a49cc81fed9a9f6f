"""The sizes of figures and thumbnails, on their ``<img>`` tags, and a link from
each figure to its full-size image.

sphinx-gallery writes no ``width`` and ``height``: with them, the browser keeps
the space of a figure while it loads, and nothing below it moves
(``custom.css`` keeps them scaled). And ``loading="lazy"``: a figure further
down the page is fetched as the reader nears it, not while the phone is still
busy with the page's first screen.

A figure also carries what ``figure_text.py`` recorded when it was saved, its
width in inches and its smallest font size in points (``data-width-in``,
``data-smallest-text-pt``): with its displayed width, the browser suite
computes the size its smallest text shows at.

A figure shrunk to the column, or to a phone, may still be hard to read: it
opens full size, its sharpest image (the last of its ``srcset``), when clicked
or tapped. A plain link does it, with no script.
"""

import html
import re
from pathlib import Path

from figure_text import read_record

_IMAGE = re.compile(r'<img (?![^>]*\bwidth=)([^>]*?\bsrc="[^"]*_images/([^"/?]+)")')
#: sphinx-gallery's figures (thumbnails are images too, but link to their page)
_FIGURE = re.compile(r'<img [^>]*\bclass ?= ?"sphx-glr-(?:single|multi)-img"[^>]*>')
_SRCSET = re.compile(r'\bsrcset="([^"]*)"')


def _figure_files(app) -> dict:
    """The figures and thumbnails sphinx-gallery made, by their name in _images/."""
    if not hasattr(app, "_figure_files"):
        gallery = Path(app.srcdir) / "auto_examples" / "images"
        app._figure_files = {path.name: path for path in gallery.rglob("*.png")}
    return app._figure_files


def _text_attributes(source: Path) -> str:
    record = read_record(source)
    if record is None:
        return ""
    smallest = record["smallest_text_pt"]
    return (
        f'data-width-in="{record["width_in"]:g}" '
        f'data-smallest-text-pt="{"" if smallest is None else f"{smallest:g}"}" '
    )


def _size_images(app, pagename, templatename, context, doctree):
    from PIL import Image

    if "body" not in context:
        return
    files = _figure_files(app)

    def with_size(match):
        source = files.get(match.group(2))
        if source is None:
            return match.group(0)
        with Image.open(source) as image:
            width, height = image.size
        text = _text_attributes(source)
        return (
            f'<img width="{width}" height="{height}" loading="lazy" {text}'
            f"{match.group(1)}"
        )

    context["body"] = _IMAGE.sub(with_size, context["body"])


def sharpest_image(srcset: str) -> str:
    """The URL of the densest image of a ``srcset`` (``url, url 2.00x, ...``)."""
    candidates = []
    for entry in html.unescape(srcset).split(","):
        url, _, density = entry.strip().partition(" ")
        factor = float(density.strip().rstrip("x") or 1)
        candidates.append((factor, url))
    return max(candidates)[1]


def link_full_size(body: str) -> str:
    """``body`` with each gallery figure inside a link to its sharpest image."""

    def linked(match):
        srcset = _SRCSET.search(match.group(0))
        if srcset is None:
            return match.group(0)
        href = html.escape(sharpest_image(srcset.group(1)))
        return f'<a class="full-size-figure" href="{href}">{match.group(0)}</a>'

    return _FIGURE.sub(linked, body)


def _link_full_size(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = link_full_size(context["body"])


def setup(app):
    app.connect("html-page-context", _size_images)
    app.connect("html-page-context", _link_full_size)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
