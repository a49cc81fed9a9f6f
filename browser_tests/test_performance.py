"""What makes pages fast, checked without timing anything.

- Nothing moves: the cumulative layout shift, from a PerformanceObserver, stays
  at most 0.02 on every page, on a desktop and on a phone screen, with every
  widget scrolled into view and drawn.
- Widgets are lazy: chemiscope's 3 MB bundle is not requested while no widget
  is near the viewport, and is once one is.
- Every page has a meta description.

The speed itself (Lighthouse, time to widget) is measured by ``nox -s bench``.
"""

import re

import pytest
from test_site import CHAPTERS, PAGES, _open, _wait_for_widgets

CLS_LIMIT = 0.02
BUNDLE = "chemiscope.min.js"

#: sums every layout shift from the start of the page. The tests click and type
#: nothing (scrolling is not input), so none is excused by ``hadRecentInput``,
#: which Chromium sets in phone emulation without any input (as Lighthouse, which
#: counted them, saw)
_RECORD_LAYOUT_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
        window.__layoutShift += entry.value;
    }
}).observe({ type: "layout-shift", buffered: true });
"""


#: a desktop window, and a phone (Lighthouse's mobile: 412 px wide, touch)
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 412, "height": 823},
        "device_scale_factor": 1.75,
        "is_mobile": True,
        "has_touch": True,
    },
}


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("page_name", PAGES)
def test_nothing_moves_while_the_page_and_its_widgets_load(
    browser, server, page_name, screen
):
    context = browser.new_context(**SCREENS[screen])
    context.add_init_script(_RECORD_LAYOUT_SHIFTS)
    page = context.new_page()
    try:
        page.goto(f"{server}/{page_name}", wait_until="load")
        _wait_for_widgets(page)
        page.wait_for_timeout(500)
        shift = page.evaluate("window.__layoutShift")
    finally:
        context.close()
    assert shift <= CLS_LIMIT, f"cumulative layout shift {shift:.3f}"


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_chemiscope_loads_only_when_a_widget_nears_the_viewport(
    browser, server, page_name
):
    context, page, record = _open(browser, server, page_name)
    requested = []
    page.on("request", lambda r: requested.append(r.url) if BUNDLE in r.url else None)
    try:
        widgets = page.locator(".chemiscope-embed")
        if widgets.count() == 0:
            pytest.skip("no widget on this page")
        top = widgets.first.bounding_box()["y"]
        page.wait_for_timeout(1000)
        if top > 2 * 900:  # beyond one screen below the viewport, the margin
            assert requested == [], f"{BUNDLE} loaded before any widget was near"
        _wait_for_widgets(page)
        assert len(requested) <= 1, "chemiscope's bundle was requested twice"
        state = widgets.first.get_attribute("data-chemiscope-state")
        assert state == "drawn"
    finally:
        context.close()


@pytest.mark.parametrize("page_name", PAGES)
def test_every_page_has_a_meta_description(site, page_name):
    text = (site / page_name).read_text(encoding="utf-8")
    found = re.findall(r'<meta name="description" content="([^"]*)"', text)
    assert len(found) == 1, f"{len(found)} meta descriptions"
    assert 20 <= len(found[0]) <= 200, found[0]


def _drawn_widget(context, server, page_name):
    page = context.new_page()
    page.goto(f"{server}/{page_name}", wait_until="load")
    widget = _wait_for_widgets(page).first
    widget.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    return page, widget


def test_chapter_2_on_a_phone_stacks_map_and_viewer(browser, server, screenshots):
    """On a 390 px wide phone the map sits above the viewer, both full width."""
    (chapter,) = [c for c in CHAPTERS if "02_" in c]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    try:
        page, widget = _drawn_widget(context, server, chapter)
        map_box = widget.locator("[id$='-map']").first.bounding_box()
        viewer_box = widget.locator("[id$='-structure']").first.bounding_box()
        page.screenshot(path=screenshots / "02_rotations_and_vectors-phone.png")
    finally:
        context.close()
    assert map_box["y"] + map_box["height"] <= viewer_box["y"] + 1
    assert map_box["width"] > 300 and viewer_box["width"] > 300
    assert map_box["height"] > 300


def test_chapter_2_in_dark_mode_frames_widgets_and_figures(
    browser, server, screenshots
):
    (chapter,) = [c for c in CHAPTERS if "02_" in c]
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme="dark"
    )
    try:
        page, widget = _drawn_widget(context, server, chapter)
        theme = page.evaluate("document.documentElement.dataset.theme")
        frame = widget.locator(".chemiscope-sphinx").first.evaluate(
            "el => getComputedStyle(el).borderRadius"
        )
        page.screenshot(path=screenshots / "02_rotations_and_vectors-dark.png")
    finally:
        context.close()
    assert theme == "dark"
    assert frame == "8px", "the widget has no light frame in dark mode"
