"""The sizes of figures and thumbnails, on their ``<img>`` tags.

sphinx-gallery writes no ``width`` and ``height``: with them, the browser keeps
the space of a figure while it loads, and nothing below it moves
(``custom.css`` keeps them scaled). And ``loading="lazy"``: a figure further
down the page is fetched as the reader nears it, not while the phone is still
busy with the page's first screen.
"""

import re
from pathlib import Path

_IMAGE = re.compile(r'<img (?![^>]*\bwidth=)([^>]*?\bsrc="[^"]*_images/([^"/?]+)")')


def _size_images(app, pagename, templatename, context, doctree):
    from PIL import Image

    if "body" not in context:
        return
    if not hasattr(app, "_figure_files"):
        # the figures and thumbnails sphinx-gallery made, by their name in _images/
        gallery = Path(app.srcdir) / "auto_examples" / "images"
        app._figure_files = {path.name: path for path in gallery.rglob("*.png")}

    def with_size(match):
        source = app._figure_files.get(match.group(2))
        if source is None:
            return match.group(0)
        with Image.open(source) as image:
            width, height = image.size
        return f'<img width="{width}" height="{height}" loading="lazy" {match.group(1)}'

    context["body"] = _IMAGE.sub(with_size, context["body"])


def setup(app):
    app.connect("html-page-context", _size_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
