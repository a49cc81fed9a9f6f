"""Every figure legible at a desktop's width and at a phone's, and sharp.

The smallest text of a figure shows at font_pt / 72 × displayed_css_px /
figure_width_in pixels. The build records each figure's width in inches and
its smallest font size when it saves it (``docs/_ext/figure_text.py``) and puts
them on its ``<img>`` (``data-width-in``, ``data-smallest-text-pt``), and those
of its phone rendering, drawn narrower with the same fonts
(``data-phone-width-in``, ``data-phone-smallest-text-pt``), which a
``<picture>`` offers to phones (``docs/_ext/figure_sizes.py``). The browser
tells which of the two it shows (``currentSrc``) and how wide. The smallest
text must show at 11 px or more in a 1400 px wide window, and 10 px or more on
a 390 px wide phone. Phones get the phone rendering, desktops the laptop's,
each in a box of its own shape from the first paint.

Each figure also has an image at twice its density for dense screens, and opens
full size (that image) when clicked or tapped.
"""

import re
import sys

import pytest
from conftest import REPO
from test_site import CHAPTERS, PAGES, _parse

sys.path.insert(0, str(REPO / "docs" / "_ext"))
from figure_text import PHONE_SUFFIX, phone_width_in, read_record  # noqa: E402

#: where the build keeps each figure's record (docs/_ext/figure_text.py)
GALLERY_IMAGES = REPO / "docs" / "auto_examples" / "images"

#: the smallest legible text (CSS px) at each window width (CSS px)
SMALLEST_TEXT_PX = {1400: 11, 390: 10}
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

#: each figure, loaded at once (not lazily): the image the browser chose, the
#: record of that rendering, the width it is displayed at, and the shape of the
#: box its width and height attributes keep against the shape of the image
_MEASURE = """async selector => {
    const images = [...document.querySelectorAll(selector)];
    for (const img of images) img.loading = "eager";
    await Promise.all(images.map(img => img.decode().catch(() => null)));
    return images.map(img => {
        const shown = img.currentSrc.split("/").pop();
        const phone = /_phone(_[0-9_]+x)?[.]png$/.test(shown);
        const source = img.parentElement.querySelector("source");
        const box = phone ? source : img;
        return {
            image: img.getAttribute("src").split("/").pop(),
            shown: shown,
            phone: phone,
            hasPhoneRendering: source !== null,
            widthIn: phone ? img.dataset.phoneWidthIn : img.dataset.widthIn,
            smallestPt: phone
                ? img.dataset.phoneSmallestTextPt : img.dataset.smallestTextPt,
            displayedPx: img.getBoundingClientRect().width,
            boxShape: box.getAttribute("height") / box.getAttribute("width"),
            imageShape: img.naturalHeight / img.naturalWidth,
        };
    });
}"""


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
                f"{figure['shown']}: {pt:g} pt in a {inches:g} in wide figure shown "
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
}"""


@pytest.mark.parametrize("width", SCREENS)
def test_a_figure_drawn_to_the_style_guide_is_legible(browser, server, width):
    # the measure on the real page, with a figure as the chapters draw them
    chapter = next(c for c in CHAPTERS if "/06_" in c)
    figures = _figures(browser, server, chapter, width, prepare=_LEGIBLE_FIGURE)
    laptop = {**figures[0], "widthIn": "6.4", "smallestPt": "11"}
    phone = {**laptop, "widthIn": str(phone_width_in(6.4, 11))}
    # a desktop shows the laptop's figure legibly; a phone its phone rendering,
    # and would not the laptop's (8.5 px)
    assert _illegible([phone if width == 390 else laptop], width) == []
    assert len(_illegible([laptop], width)) == (width == 390)
    # and a figure as wide as chapter 4's was, 14 in with 8 pt text, is not
    wide = {**figures[0], "widthIn": "14", "smallestPt": "8"}
    assert len(_illegible([wide], width)) == 1


@pytest.mark.parametrize("width", SCREENS)
@pytest.mark.parametrize("page_name", CHAPTERS)
def test_phones_get_the_phone_rendering_in_a_box_of_its_shape(
    browser, server, page_name, width, screenshots
):
    figures = _figures(browser, server, page_name, width)
    offered = [f for f in figures if f["hasPhoneRendering"]]
    shown = [f["shown"] for f in offered if f["phone"] == (width == 390)]
    assert len(shown) == len(offered), (
        f"at {width} px {len(offered) - len(shown)} of {len(offered)} figures show "
        f"the {'laptop' if width == 390 else 'phone'}'s rendering"
    )
    if width == 390:
        # sharp on a phone's dense screen (device scale factor 2)
        assert all(name.endswith("_phone_2_00x.png") for name in shown), shown
    # the box kept while it loads has the shape of the image it gets
    misshaped = [
        f"{f['shown']}: box {f['boxShape']:.3f}, image {f['imageShape']:.3f}"
        for f in figures
        if abs(f["boxShape"] - f["imageShape"]) > 0.005
    ]
    assert misshaped == []
    if width == 390:
        _screenshot_figures(browser, server, page_name, screenshots)


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_phone_renderings_have_no_text_cut_off_overlapping_or_covered(site, page_name):
    html = (site / page_name).read_text(encoding="utf-8")
    phones = re.findall(rf"/([^/\"]+){PHONE_SUFFIX}\.png", html)
    crowded = {}
    for stem in phones:
        record = read_record(GALLERY_IMAGES / f"{stem}.png")
        assert record is not None and record["phone"], f"{stem}: no phone record"
        if record["phone"]["crowded_texts"]:
            crowded[stem] = record["phone"]["crowded_texts"]
    assert crowded == {}


def _screenshot_figures(browser, server, page_name, screenshots):
    """Each figure of ``page_name`` as a 390 px phone shows it, for a person to
    look at: ``screenshots/figures-390/<image>.png``."""
    folder = screenshots / "figures-390"
    folder.mkdir(exist_ok=True)
    context = browser.new_context(**SCREENS[390])
    page = context.new_page()
    try:
        page.goto(f"{server}/{page_name}", wait_until="load")
        figures = page.locator(FIGURES)
        for i in range(figures.count()):
            figure = figures.nth(i)
            figure.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete", arg=figure.element_handle())
            name = figure.get_attribute("src").split("/").pop()
            figure.screenshot(path=folder / name)
    finally:
        context.close()


def test_the_measure_is_the_style_guides_formula():
    # 10 pt in a 6.4 in figure drawn at 100 dpi, at its natural size: 13.9 px
    assert smallest_text_px(10, 640, 6.4) == pytest.approx(13.89, abs=0.01)
    assert smallest_text_px(8, 703, 14) == pytest.approx(5.58, abs=0.01)
    # the laptop's figure on a phone, and its phone rendering
    assert smallest_text_px(11, 358, 6.4) == pytest.approx(8.55, abs=0.01)
    assert smallest_text_px(11, 358, phone_width_in(6.4, 11)) >= 11


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
