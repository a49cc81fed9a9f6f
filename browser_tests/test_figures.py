"""Every figure legible at a desktop's width and at a phone's, and sharp.

The smallest text of a figure shows at font_pt / 72 × displayed_css_px /
figure_width_in pixels. The build records each figure's width in inches and
its smallest font size when it saves it (``docs/_ext/figure_text.py``) and puts
them on its ``<img>`` (``data-width-in``, ``data-smallest-text-pt``); the
browser gives the width the figure is displayed at. The smallest text must
show at 11 px or more in a 1400 px wide window, and 8 px or more on a 390 px
wide phone.

Each figure also has an image at twice its density for dense screens, and opens
full size (that image) when clicked or tapped.
"""

import pytest
from test_site import CHAPTERS, PAGES, _parse

#: the smallest legible text (CSS px) at each window width (CSS px)
SMALLEST_TEXT_PX = {1400: 11, 390: 8}
SCREENS = {
    1400: {"viewport": {"width": 1400, "height": 900}},
    390: {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
FIGURES = "img.sphx-glr-single-img, img.sphx-glr-multi-img"

#: each figure's recorded data and the width it is displayed at
_MEASURE = """selector => [...document.querySelectorAll(selector)].map(img => ({
    image: img.getAttribute("src").split("/").pop(),
    widthIn: img.dataset.widthIn,
    smallestPt: img.dataset.smallestTextPt,
    displayedPx: img.getBoundingClientRect().width,
}))"""


def smallest_text_px(smallest_pt: float, displayed_px: float, width_in: float):
    """The CSS size of a figure's smallest text, as the reader sees it."""
    return smallest_pt / 72 * displayed_px / width_in


def _illegible(figures, width):
    """A line for each of ``figures`` whose smallest text is below the limit at
    this window ``width``, or has no record."""
    problems = []
    for figure in figures:
        if figure["widthIn"] is None or figure["smallestPt"] is None:
            problems.append(f"{figure['image']}: no recorded width or text size")
            continue
        if figure["smallestPt"] == "":
            continue  # a figure without text
        pt, inches = float(figure["smallestPt"]), float(figure["widthIn"])
        shown = smallest_text_px(pt, figure["displayedPx"], inches)
        if shown < SMALLEST_TEXT_PX[width]:
            problems.append(
                f"{figure['image']}: {pt:g} pt in a {inches:g} in wide figure shown "
                f"{figure['displayedPx']:.0f} px wide: {shown:.1f} px "
                f"< {SMALLEST_TEXT_PX[width]} px"
            )
    return problems


def _figures(browser, server, page_name, width, prepare=None):
    context = browser.new_context(**SCREENS[width])
    page = context.new_page()
    try:
        page.goto(f"{server}/{page_name}", wait_until="load")
        if prepare is not None:
            page.evaluate(prepare, FIGURES)
        return page.evaluate(_MEASURE, FIGURES)
    finally:
        context.close()


@pytest.mark.parametrize("width", SCREENS)
@pytest.mark.parametrize("page_name", PAGES)
def test_every_figure_text_is_legible(browser, server, page_name, width):
    figures = _figures(browser, server, page_name, width)
    problems = _illegible(figures, width)
    assert problems == [], (
        f"{page_name} at {width} px: smallest text of {len(problems)} of "
        f"{len(figures)} figures too small:\n" + "\n".join(problems)
    )


#: makes a page's first figure one drawn to the style guide: 6.4 in wide at
#: 100 dpi, no text under 11 pt
_LEGIBLE_FIGURE = """selector => {
    const img = document.querySelector(selector);
    img.width = 640; img.height = 480;
    img.dataset.widthIn = "6.4"; img.dataset.smallestTextPt = "11";
}"""


@pytest.mark.parametrize("width", SCREENS)
def test_a_figure_drawn_to_the_style_guide_is_legible(browser, server, width):
    # the measure on the real page, with a figure as the chapters will draw them
    chapter = next(c for c in CHAPTERS if "/06_" in c)
    figures = _figures(browser, server, chapter, width, prepare=_LEGIBLE_FIGURE)
    assert _illegible(figures[:1], width) == []
    # and a figure as wide as chapter 4's, 14 in with 8 pt text, is not
    wide = {**figures[0], "widthIn": "14", "smallestPt": "8"}
    assert len(_illegible([wide], width)) == 1


def test_the_measure_is_the_style_guides_formula():
    # 10 pt in a 6.4 in figure drawn at 100 dpi, at its natural size: 13.9 px
    assert smallest_text_px(10, 640, 6.4) == pytest.approx(13.89, abs=0.01)
    assert smallest_text_px(8, 703, 14) == pytest.approx(5.58, abs=0.01)


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_every_figure_is_sharp_and_opens_full_size(site, page_name):
    html = (site / page_name).read_text(encoding="utf-8")
    parser = _parse(site / page_name)
    figures = html.count('class = "sphx-glr-single-img"') + html.count(
        'class = "sphx-glr-multi-img"'
    )
    dense = [h for h in parser.hrefs if h.endswith("_2_00x.png")]
    linked = html.count('<a class="full-size-figure" href="')
    assert html.count(" 2.00x") >= figures, "a figure has no 2x image in its srcset"
    assert linked == figures, f"{linked} of {figures} figures open full size"
    assert len([h for h in dense if h.startswith("../_images/")]) == figures
