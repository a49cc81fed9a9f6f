"""The size of each figure's text, recorded when the gallery saves the figure.

On screen, a figure's smallest text shows at font_pt / 72 × displayed_css_px /
figure_width_in pixels. The browser knows the displayed width; the figure's
width in inches and its smallest font size are known only while the figure
exists, when sphinx-gallery saves it. :class:`FigureTextScraper` wraps
sphinx-gallery's matplotlib scraper and writes both beside each image it saves
(``<image>.text.json``); ``figure_sizes.py`` puts them on the figure's
``<img>`` tag, where the browser suite reads them (``browser_tests/
test_figures.py``). The records sit beside the images in the gallery's
folder, so they outlive builds that skip unchanged chapters, as the images do.

The scraper is a class of its own module, configured as an instance in
``conf.py``: Sphinx pickles sphinx-gallery's configuration with its
environment, and cannot pickle a class defined in ``conf.py``.
"""

from __future__ import annotations

import json
from pathlib import Path


def drawn_font_sizes(figure) -> list[float]:
    """The font size (pt) of every non-empty text that drawing ``figure`` draws.

    Drawing tells which texts show, which their ``get_visible()`` alone does
    not: an axis turned off keeps its tick labels, a tick outside the view
    keeps its label, and neither is drawn. Nothing is rasterised: the renderer
    lays the figure out (Agg measures the texts) and only records the texts.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    sizes = []

    def skip(self, *args, **kwargs):
        pass

    class TextRecorder(RendererAgg):
        draw_path = draw_markers = draw_path_collection = skip
        draw_quad_mesh = draw_image = draw_gouraud_triangles = skip

        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if s.strip():
                sizes.append(float(prop.get_size_in_points()))

        def draw_tex(self, gc, x, y, s, prop, angle, *, mtext=None):
            self.draw_text(gc, x, y, s, prop, angle)

    width, height = figure.bbox.size
    figure.draw(TextRecorder(int(width), int(height), figure.dpi))
    return sizes


def record_path(image: Path) -> Path:
    """Where the text record of ``image`` is kept."""
    return image.with_name(image.name + ".text.json")


def read_record(image: Path) -> dict | None:
    """The text record of ``image``, or None when it has none (a thumbnail)."""
    path = record_path(image)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def figure_record(figure, image: Path) -> dict:
    """The width (in) of the saved ``image`` of ``figure``, and its smallest
    text (pt, None when it has no text)."""
    import matplotlib
    from PIL import Image

    dpi = matplotlib.rcParams["savefig.dpi"]
    if dpi == "figure":
        dpi = figure.dpi
    with Image.open(image) as saved:
        width_px = saved.width  # what was saved, cropped or not
    sizes = drawn_font_sizes(figure)
    return {
        "width_in": round(width_px / dpi, 3),
        "smallest_text_pt": round(min(sizes), 2) if sizes else None,
    }


class FigureTextScraper:
    """sphinx-gallery's matplotlib scraper, which also records, for each figure
    it saves, the figure's width and its smallest text (see the module)."""

    def __repr__(self):
        # sphinx-gallery compares configurations by their repr
        return "FigureTextScraper"

    def __call__(self, block, block_vars, gallery_conf):
        import matplotlib.pyplot as plt
        from sphinx_gallery.scrapers import matplotlib_scraper

        # the scraper closes the figures; the objects stay usable for the record
        figures = [plt.figure(number) for number in plt.get_fignums()]
        paths = block_vars["image_path_iterator"]
        first = len(paths)
        rst = matplotlib_scraper(block, block_vars, gallery_conf)
        # it takes a path per figure, in the order of their numbers
        for figure, saved in zip(figures, paths.paths[first:], strict=False):
            image = Path(saved)
            record = figure_record(figure, image)
            record_path(image).write_text(
                json.dumps(record, sort_keys=True) + "\n", encoding="utf-8"
            )
        return rst
