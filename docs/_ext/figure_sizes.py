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

On a phone, a figure drawn for a laptop's column would show its text at about
8.5 px. ``figure_text.py`` draws such a figure again for phones
(``<image>_phone.png``, at each density); the figure's ``<img>`` goes into a
``<picture>`` whose ``<source>`` offers it to windows at most
:data:`PHONE_MEDIA` wide, with the phone rendering's own ``width`` and
``height`` (so its room is kept while it loads) and its text record
(``data-phone-width-in``, ``data-phone-smallest-text-pt`` on the ``<img>``).
Sphinx copies only the images a page's source names, so the phone renderings
are copied into the site's ``_images/`` here.

A figure shrunk to the column, or to a phone, may still be hard to read: it
opens full size, its sharpest image (the last of its ``srcset``), when clicked
or tapped. A plain link does it, with no script.
"""

import html
import re
import shutil
from pathlib import Path

from figure_text import phone_image_path, read_record

#: the windows that get a figure's phone rendering: those where the laptop's
#: figure, 6.4 in wide with 11 pt text, would show its text under 11 px
PHONE_MEDIA = "(max-width: 500px)"

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
    attributes = _record_attributes(record, "")
    if record.get("phone") and phone_image_path(source).is_file():
        attributes += _record_attributes(record["phone"], "phone-")
    return attributes


def _record_attributes(record: dict, prefix: str) -> str:
    smallest = record["smallest_text_pt"]
    smallest = "" if smallest is None else f"{smallest:g}"
    return (
        f'data-{prefix}width-in="{record["width_in"]:g}" '
        f'data-{prefix}smallest-text-pt="{smallest}" '
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


_SRC = re.compile(r'\bsrc="([^"]*/)?([^"/?]+)"')


def offer_phone_renderings(body: str, renderings) -> tuple[str, list[Path]]:
    """``body`` with each gallery figure that has a phone rendering in a
    ``<picture>`` that offers it to phones, and the images it names.

    ``renderings(name)`` gives, for the figure image called ``name``, its phone
    rendering's images as ``[(path, density), ...]`` (the first at 1×) and its
    size in pixels, or None when it has none."""
    used = []

    def offered(match):
        tag = match.group(0)
        src = _SRC.search(tag)
        found = renderings(src.group(2)) if src else None
        if found is None:
            return tag
        images, (width, height) = found
        folder = html.escape(src.group(1) or "")
        srcset = ", ".join(
            folder + path.name + ("" if density == 1 else f" {density:g}x")
            for path, density in images
        )
        used.extend(path for path, _ in images)
        return (
            f'<picture><source media="{PHONE_MEDIA}" srcset="{srcset}" '
            f'width="{width}" height="{height}">{tag}</picture>'
        )

    return _FIGURE.sub(offered, body), used


def _offer_phone_renderings(app, pagename, templatename, context, doctree):
    from PIL import Image

    if "body" not in context:
        return
    files = _figure_files(app)

    def renderings(name):
        source = files.get(name)
        if source is None or not (read_record(source) or {}).get("phone"):
            return None
        phone = phone_image_path(source)
        if not phone.is_file():
            return None
        images = [(phone, 1.0)]
        for dense in sorted(phone.parent.glob(f"{phone.stem}_*x{phone.suffix}")):
            density = dense.stem[len(phone.stem) + 1 : -1].replace("_", ".")
            images.append((dense, float(density)))
        with Image.open(phone) as image:
            return images, image.size

    context["body"], used = offer_phone_renderings(context["body"], renderings)
    # Sphinx copies the images the page's source names; these it does not know
    target = Path(app.outdir) / "_images"
    if used:
        target.mkdir(parents=True, exist_ok=True)
    for path in used:
        copy = target / path.name
        if not copy.is_file() or copy.read_bytes() != path.read_bytes():
            shutil.copyfile(path, copy)


def setup(app):
    app.connect("html-page-context", _size_images)
    app.connect("html-page-context", _link_full_size)
    app.connect("html-page-context", _offer_phone_renderings)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
