"""One style for every figure of the chapters, drawn at the size it is shown.

The site shows a figure at most as wide as its content column, about 700 CSS
pixels on a laptop and 360 on a phone. The text of a figure drawn
``width_in`` inches wide with fonts of ``size_pt`` points then shows at
``size_pt / 72 * displayed_px / width_in`` CSS pixels: drawn at
:data:`WIDTH_IN` = 6.4 inches with no text under :data:`SMALLEST_PT` = 11
points, it shows at 15 px on a laptop and 8.6 px on a phone. A wider figure
shrinks its text, so panels that do not fit side by side are stacked.
"""

from __future__ import annotations

__all__ = ["SMALLEST_PT", "STYLE", "WIDTH_IN", "figure_size", "use_style"]

#: the width every figure is drawn at, in inches (at 100 dots per inch)
WIDTH_IN = 6.4
#: the smallest font of any text in a figure, in points
SMALLEST_PT = 11

#: matplotlib settings of every figure of the site
STYLE = {
    "figure.figsize": (WIDTH_IN, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "font.size": SMALLEST_PT,
    "axes.titlesize": SMALLEST_PT + 1,
    "axes.labelsize": SMALLEST_PT,
    "xtick.labelsize": SMALLEST_PT,
    "ytick.labelsize": SMALLEST_PT,
    "legend.fontsize": SMALLEST_PT,
    "legend.title_fontsize": SMALLEST_PT,
    "figure.titlesize": SMALLEST_PT + 1,
}


def use_style():
    """Apply :data:`STYLE` to every figure made from now on."""
    import matplotlib

    matplotlib.rcParams.update(STYLE)


def figure_size(height_in: float) -> tuple[float, float]:
    """``(WIDTH_IN, height_in)``: a figure as wide as the column, in inches.

    Raises
    ------
    ValueError
        If ``height_in`` is not a positive number of inches.
    """
    if isinstance(height_in, bool) or not isinstance(height_in, (int, float)):
        raise ValueError(f"height_in must be a number of inches, got {height_in!r}")
    if not height_in > 0:
        raise ValueError(f"height_in must be positive, got {height_in!r}")
    return (WIDTH_IN, float(height_in))
