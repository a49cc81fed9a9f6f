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

On a phone the figure's column is about :data:`PHONE_COLUMN_PX` CSS px wide,
and a figure drawn for a laptop's column shows its text at about 8.5 px there.
So the scraper also draws each figure again for the phone: the same Figure
with the same fonts on a narrower canvas (:func:`phone_width_in`); a single row
of panels stacked into a column (:func:`stack_row_of_panels`); a title longer
than the canvas broken at a space (:func:`wrap_texts_cut_off`); the room that
equal axes leave empty above and below them trimmed (:func:`trim_empty_height`);
a legend that comes to cover an annotation moved below the figure
(:func:`move_covering_legends_below`). It saves it as ``<image
stem>_phone.png`` at each density of ``image_srcset``; ``figure_sizes.py``
offers it to phones with a ``<picture>``. Its record is the ``phone`` entry of
the figure's record, with the texts still cut off, overlapping or covered
(:func:`crowded_texts`), which the browser suite requires to be none.

The scraper is a class of its own module, configured as an instance in
``conf.py``: Sphinx pickles sphinx-gallery's configuration with its
environment, and cannot pickle a class defined in ``conf.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

#: the width of a chapter's column on a 390 px wide phone (CSS px)
PHONE_COLUMN_PX = 358
#: the size a phone rendering's smallest text shows at in that column (CSS px)
PHONE_TEXT_PX = 11
#: the suffix of a phone rendering's name: ``sphx_glr_ch_001_phone.png``
PHONE_SUFFIX = "_phone"


def _drawn_texts(figure) -> list:
    """``(line, size_pt, box, text)`` for every non-empty line of text that
    drawing ``figure`` draws, with the box it covers in the canvas (pixels),
    rotated texts by the box around them, and its Text when it is the text's
    only line (see :func:`drawn_font_sizes`)."""
    import numpy as np
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.transforms import Bbox

    texts = []

    def skip(self, *args, **kwargs):
        pass

    class TextRecorder(RendererAgg):
        draw_path = draw_markers = draw_path_collection = skip
        draw_quad_mesh = draw_image = draw_gouraud_triangles = skip

        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if not s.strip():
                return
            if mtext is not None:  # a one-line text: its own box
                box = mtext.get_window_extent(self)
            else:  # a line of a text of several: from its baseline's start
                width, height, descent = self.get_text_width_height_descent(
                    s, prop, ismath
                )
                corners = np.array([[0, -descent], [width, height - descent]])
                turn = np.radians(angle)
                rotation = np.array(
                    [[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]]
                )
                square = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])
                points = (corners[0] + square * (corners[1] - corners[0])) @ rotation.T
                # Agg is given the baseline's start from the top of the canvas
                start = (x, self.height - y if self.flipy() else y)
                box = Bbox([points.min(axis=0) + start, points.max(axis=0) + start])
            texts.append((s, float(prop.get_size_in_points()), box, mtext))

        def draw_tex(self, gc, x, y, s, prop, angle, *, mtext=None):
            self.draw_text(gc, x, y, s, prop, angle, mtext=mtext)

    width, height = figure.bbox.size
    figure.draw(TextRecorder(int(width), int(height), figure.dpi))
    return texts


def drawn_font_sizes(figure) -> list[float]:
    """The font size (pt) of every non-empty text that drawing ``figure`` draws.

    Drawing tells which texts show, which their ``get_visible()`` alone does
    not: an axis turned off keeps its tick labels, a tick outside the view
    keeps its label, and neither is drawn. Nothing is rasterised: the renderer
    lays the figure out (Agg measures the texts) and only records the texts.
    """
    return [size for _, size, _, _ in _drawn_texts(figure)]


def crowded_texts(figure) -> list[str]:
    """The drawn texts of ``figure`` that stick out of its canvas (cut off in
    the image), overlap another drawn text or lie under a legend, one line
    each.

    A text's box is the one Agg measures for it, less a pixel on each side
    (glyph boxes of neighbouring tick labels touch without their ink doing so).
    """
    boxes = [(line, box.padded(-1)) for line, _, box, _ in _drawn_texts(figure)]
    problems = [
        f"{label!r} sticks out of the figure"
        for label, box in boxes
        if _sticks_out(figure, box)
    ]
    for i, (label, box) in enumerate(boxes):
        for other, other_box in boxes[i + 1 :]:
            if box.overlaps(other_box):
                problems.append(f"{label!r} overlaps {other!r}")
    for legend, label in legends_over_texts(figure):
        entry = legend.get_texts()[0].get_text()
        problems.append(f"a legend ({entry!r}, ...) covers {label!r}")
    return problems


def _legends(figure) -> list:
    legends = [ax.get_legend() for ax in figure.axes] + list(figure.legends)
    return [legend for legend in legends if legend is not None and legend.get_visible()]


def legends_over_texts(figure) -> list[tuple]:
    """``(legend, line)`` for each text line of ``figure`` that a legend's frame
    covers, besides its own entries and title."""
    texts = _drawn_texts(figure)
    covered = []
    for legend in _legends(figure):
        frame = legend.get_window_extent()
        own = {id(text) for text in [*legend.get_texts(), legend.get_title()]}
        for line, _, box, text in texts:
            box = box.padded(-1)
            if text is None:  # a line of a text of several: its own if inside
                foreign = not (frame.containsx(box.x0) and frame.containsx(box.x1))
            else:
                foreign = id(text) not in own
            if foreign and frame.overlaps(box):
                covered.append((legend, line))
    return covered


def move_covering_legends_below(figure) -> int:
    """Move each legend of ``figure`` that covers a text (an annotation that a
    narrower canvas put under it) below the figure, with the same entries, and
    make the figure taller by its height; returns how many moved. Only the
    legend of a figure of one panel laid out by constrained layout moves: of
    several panels, a legend below would not say whose it is."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    panels = [ax for ax in figure.axes if ax.get_subplotspec() is not None]
    if len(panels) != 1 or not isinstance(
        figure.get_layout_engine(), ConstrainedLayoutEngine
    ):
        return 0
    moved = {id(legend): legend for legend, _ in legends_over_texts(figure)}
    for legend in moved.values():
        labels = [text.get_text() for text in legend.get_texts()]
        title = legend.get_title().get_text() or None
        handles, columns = legend.legend_handles, legend._ncols
        legend.remove()
        below = figure.legend(
            handles, labels, title=title, ncols=columns, loc="outside lower center"
        )
        figure.draw_without_rendering()
        width, height = figure.get_size_inches()
        extra = below.get_window_extent().height / figure.dpi
        figure.set_size_inches(width, height + extra, forward=False)
    return len(moved)


def _sticks_out(figure, box) -> bool:
    from matplotlib.transforms import Bbox

    # a glyph's box has room around its ink: 3 px of it may fall off the edge
    canvas = Bbox.from_bounds(0, 0, *figure.bbox.size).padded(3)
    inside_x = canvas.containsx(box.x0) and canvas.containsx(box.x1)
    return not (inside_x and canvas.containsy(box.y0) and canvas.containsy(box.y1))


def wrap_texts_cut_off(figure, passes: int = 3) -> int:
    """Break each one-line text of ``figure`` that sticks out of its canvas
    (a title longer than a phone's figure is wide) into two lines, at the
    space nearest its middle, and again while it sticks out; returns how many
    breaks it made. The words and fonts stay the same."""
    breaks = 0
    for _ in range(passes):
        cut = [
            text
            for _, _, box, text in _drawn_texts(figure)
            if text is not None and _sticks_out(figure, box.padded(-1))
        ]
        wrapped = 0
        for text in cut:
            lines = text.get_text().split("\n")
            longest = max(range(len(lines)), key=lambda i: len(lines[i]))
            line = lines[longest]
            spaces = [i for i, c in enumerate(line) if c == " "]
            if not spaces:
                continue
            at = min(spaces, key=lambda i: abs(i - len(line) / 2))
            lines[longest : longest + 1] = [line[:at], line[at + 1 :]]
            text.set_text("\n".join(lines))
            wrapped += 1
        breaks += wrapped
        if not wrapped:
            break
    return breaks


def trim_empty_height(figure, steps: int = 8) -> None:
    """Make ``figure`` less tall by the room its panels of fixed shape (equal
    axes) leave empty above and below them once it is narrower: the least
    height, to 1/256 of the range searched, at which every panel is still as
    wide as at the figure's height."""
    width, height = figure.get_size_inches()
    panels = [ax for ax in figure.axes if ax.get_subplotspec() is not None]

    def positions(at_height):
        figure.set_size_inches(width, at_height, forward=False)
        figure.draw_without_rendering()
        return [
            (ax.get_position(original=True), ax.get_position(original=False))
            for ax in panels
        ]

    full = positions(height)
    if not any((given.height - drawn.height) * height > 0.05 for given, drawn in full):
        figure.set_size_inches(width, height, forward=False)
        return
    widths = [drawn.width for _, drawn in full]
    low, high = 0.5 * height, height
    for _ in range(steps):
        middle = (low + high) / 2
        drawn_widths = [drawn.width for _, drawn in positions(middle)]
        if all(d >= 0.995 * w for d, w in zip(drawn_widths, widths, strict=True)):
            high = middle
        else:
            low = middle
    figure.set_size_inches(width, round(high, 2), forward=False)


def phone_width_in(width_in: float, smallest_pt: float | None) -> float | None:
    """The width (in) to draw a phone rendering of a figure ``width_in`` wide
    whose smallest text is ``smallest_pt``: its smallest text then shows at
    :data:`PHONE_TEXT_PX` in a :data:`PHONE_COLUMN_PX` wide column. None when
    the figure needs none: it has no text, or is that narrow already."""
    if smallest_pt is None:
        return None
    width = round(smallest_pt / 72 * PHONE_COLUMN_PX / PHONE_TEXT_PX, 2)
    return width if width < width_in else None


def stack_row_of_panels(figure) -> int:
    """Put the panels of ``figure`` that sit side by side in one row of a grid
    (``plt.subplots(1, n)``, ``add_subplot(1, n, k)``) one under the other, in
    the same order, and return how many rows there are now; 1, changing
    nothing, for any other figure. Colorbars follow their panels."""
    panels = [ax for ax in figure.axes if ax.get_subplotspec() is not None]
    grids = {ax.get_subplotspec().get_gridspec() for ax in panels}
    if len(grids) != 1:
        return 1
    rows, columns = grids.pop().get_geometry()
    spans = [ax.get_subplotspec().colspan for ax in panels]
    if rows != 1 or columns < 2 or any(len(span) != 1 for span in spans):
        return 1
    column = figure.add_gridspec(columns, 1)
    for ax, span in zip(panels, spans, strict=True):
        ax.set_subplotspec(column[span.start, 0])
    return columns


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


def phone_image_path(image: Path, density: float = 1) -> Path:
    """Where the phone rendering of ``image`` is saved, at ``density`` times
    its dots per inch (named as sphinx-gallery names ``image_srcset``'s)."""
    density_suffix = "" if density == 1 else "_" + f"{density:.2f}".replace(".", "_")
    stem = f"{image.stem}{PHONE_SUFFIX}{density_suffix}"
    return image.with_name(stem + ("x" if density_suffix else "") + image.suffix)


def _savefig_options(figure) -> dict:
    """The colours sphinx-gallery's scraper saves ``figure`` with: its own,
    where they are not matplotlib's defaults."""
    import matplotlib
    from matplotlib.colors import to_rgba

    options = {}
    for attr in ("facecolor", "edgecolor"):
        colour = getattr(figure, f"get_{attr}")()
        if to_rgba(colour) != to_rgba(matplotlib.rcParams[f"figure.{attr}"]):
            options[attr] = colour
    return options


def save_phone_rendering(figure, image: Path, record: dict, densities) -> dict | None:
    """Draw ``figure``, saved as ``image`` with ``record``, again for a phone
    (see the module), save it beside ``image`` at 1× and at each of
    ``densities``, and return its record; None when it needs none. The figure
    keeps the phone's size and layout."""
    import matplotlib

    width = phone_width_in(record["width_in"], record["smallest_text_pt"])
    if width is None:
        return None
    dpi = matplotlib.rcParams["savefig.dpi"]
    if dpi == "figure":
        dpi = figure.dpi
    _, height = figure.get_size_inches()
    rows = stack_row_of_panels(figure)
    # a panel stacked gets the whole width, so a little less than its height
    figure.set_size_inches(
        width, height * (1 if rows == 1 else 0.8 * rows), forward=False
    )
    wrap_texts_cut_off(figure)
    trim_empty_height(figure)
    move_covering_legends_below(figure)
    # trimming and moving a legend lay the figure out again, which can move a
    # title (centred on its panel) past the canvas's edge: break it once more
    wrap_texts_cut_off(figure)
    options = _savefig_options(figure)
    phone = phone_image_path(image)
    figure.savefig(phone, dpi=dpi, **options)
    for density in densities:
        figure.savefig(phone_image_path(image, density), dpi=density * dpi, **options)
    return {
        **figure_record(figure, phone),
        "stacked_rows": rows,
        "crowded_texts": crowded_texts(figure),
    }


class FigureTextScraper:
    """sphinx-gallery's matplotlib scraper, which also records, for each figure
    it saves, the figure's width and its smallest text, and draws it again for
    phones (see the module)."""

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
        densities = [float(d) for d in gallery_conf["image_srcset"]]
        for figure, saved in zip(figures, paths.paths[first:], strict=False):
            image = Path(saved)
            record = figure_record(figure, image)
            record["phone"] = save_phone_rendering(figure, image, record, densities)
            record_path(image).write_text(
                json.dumps(record, sort_keys=True) + "\n", encoding="utf-8"
            )
        return rst
