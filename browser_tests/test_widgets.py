"""Every widget whole, at desktop and at phone width.

Each chapter's chemiscope widgets are drawn at 1400×1000 and on a 390×844
phone, and saved as ``screenshots/<page>-widget[-n]-<desktop|phone>.png``.
Their map must be whole: every text it draws (axis titles, ticks, the colour
bar's labels) lies inside the map's panel, and the panel inside the widget. A
3D map draws its axes, ticks and titles into a WebGL canvas inside the panel's
margins, where they are not text: it is whole when nothing drawn touches the
edge of that canvas (whatever crosses it is cut off).

On the phone, each widget fits on the screen below the sticky header: scrolled
to (from below, as a reader scrolling back up, which brings out the theme's
"Back to top" button), its map, its viewer and its play control are on screen
together, and nothing (header, button) lies over them.
"""

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_site import CHAPTERS, WIDGETS, _wait_for_widgets

SCREENS = {
    "desktop": {"viewport": {"width": 1400, "height": 1000}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
WITH_WIDGETS = [c for c in CHAPTERS if WIDGETS.get(Path(c).stem, 0) > 0]
#: how far (CSS px) a text may stick out of its panel: antialiasing, rounding
SLACK = 1.5

#: the texts of a map drawn outside its panel, and the panel outside the widget
_OUTSIDE = """(map, slack) => {
    const box = map.getBoundingClientRect();
    const widget = map.closest(".chemiscope-embed") ?? map.getRootNode().host;
    const outer = widget.getBoundingClientRect();
    const out = (r, b) => r.width > 0 && (r.left < b.left - slack
        || r.right > b.right + slack || r.top < b.top - slack
        || r.bottom > b.bottom + slack);
    const texts = [...map.querySelectorAll("svg text")]
        .filter(t => t.textContent.trim())
        .filter(t => out(t.getBoundingClientRect(), box))
        .map(t => t.textContent.trim());
    return {texts, panel: out(box, outer), width: box.width};
}"""


#: the WebGL canvas of a map's 3D scene, or null for a 2D map
_SCENE_CANVAS = """map => {
    const all = root => [...root.querySelectorAll("*")].flatMap(
        e => e.shadowRoot ? [e, ...all(e.shadowRoot)] : [e]);
    const plot = all(map).find(e => e._fullLayout);
    if (!plot || !plot._fullLayout.scene) return null;
    return all(plot).find(e => e.tagName === "CANVAS") ?? null;
}"""
#: the band (CSS px) along a 3D scene's edges that must stay blank
EDGE = 2


def _ink_at_edges(png: bytes, css_width: float) -> dict[str, int]:
    """Dark pixels (axis lines, ticks, titles, points) in the EDGE-wide bands
    along each side of a screenshot of a light-mode canvas."""
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    ink = grey < 160
    band = max(1, round(EDGE * grey.shape[1] / css_width))
    return {
        "left": int(ink[:, :band].sum()),
        "right": int(ink[:, -band:].sum()),
        "top": int(ink[:band].sum()),
        "bottom": int(ink[-band:].sum()),
    }


def _cut_off_in_scene(map_locator) -> dict[str, int]:
    canvas = map_locator.evaluate_handle(_SCENE_CANVAS).as_element()
    if canvas is None:
        return {}
    width = canvas.evaluate("c => c.getBoundingClientRect().width")
    ink = _ink_at_edges(canvas.screenshot(), width)
    return {side: n for side, n in ink.items() if n}


def test_ink_at_edges_finds_a_cut_title():
    blank = Image.new("L", (100, 50), 255)
    cut = blank.copy()
    cut.paste(0, (0, 20, 6, 30))  # a dark glyph cut by the left edge
    png = {}
    for name, image in {"blank": blank, "cut": cut}.items():
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        png[name] = buffer.getvalue()
    assert _ink_at_edges(png["blank"], 50) == dict.fromkeys(
        ("left", "right", "top", "bottom"), 0
    )
    assert _ink_at_edges(png["cut"], 50)["left"] == 40  # 4 px band at 2x, 10 rows


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("page_name", WITH_WIDGETS)
def test_every_map_is_whole(browser, server, screenshots, page_name, screen):
    context = browser.new_context(**SCREENS[screen])
    try:
        page = context.new_page()
        page.goto(f"{server}/{page_name}", wait_until="load")
        widgets = _wait_for_widgets(page)
        name = Path(page_name).stem
        for i in range(widgets.count()):
            widget = widgets.nth(i)
            widget.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            suffix = "" if i == 0 else f"-{i + 1}"
            widget.screenshot(path=screenshots / f"{name}-widget{suffix}-{screen}.png")
            map_panel = widget.locator("[id$='-map']").first
            found = map_panel.evaluate(_OUTSIDE, SLACK)
            assert found["texts"] == [], (
                f"{page_name} widget {i + 1} at {screen} width: these map texts "
                f"fall outside the map: {found['texts']}"
            )
            assert not found["panel"], f"widget {i + 1}: its map overflows it"
            cut = _cut_off_in_scene(map_panel)
            assert not cut, (
                f"{page_name} widget {i + 1} at {screen} width: the 3D map is cut "
                f"off at its edges (dark pixels on each side: {cut})"
            )
    finally:
        context.close()


#: a widget scrolled to from below: its box, the header's, the screen's, where
#: its parts are, and what floats over it (fixed or sticky, outside it)
_ON_SCREEN = """embed => {
    const all = root => [...root.querySelectorAll("*")].flatMap(
        e => e.shadowRoot ? [e, ...all(e.shadowRoot)] : [e]);
    const header = document.querySelector("#pst-header").getBoundingClientRect();
    const box = embed.getBoundingClientRect();
    const parts = {
        map: all(embed).find(e => e.id?.endsWith("-map")),
        viewer: all(embed).find(e => e.id?.endsWith("-structure")),
        "play control": all(embed).find(e => e.classList?.contains("chsp-play-button")),
    };
    const unseen = {};
    for (const [name, part] of Object.entries(parts)) {
        const r = part?.getBoundingClientRect();
        if (!r || r.height === 0) {
            unseen[name] = "missing";
        } else if (r.top < header.bottom - 1 || r.bottom > innerHeight + 1) {
            unseen[name] = `at ${Math.round(r.top)}-${Math.round(r.bottom)} px`;
        }
    }
    const overlaps = r => r.width > 0 && r.height > 0 && r.left < box.right
        && r.right > box.left && r.top < box.bottom && r.bottom > box.top;
    const floating = [...document.body.querySelectorAll("*")]
        .filter(e => !embed.contains(e) && !e.contains(embed))
        .filter(e => ["fixed", "sticky"].includes(getComputedStyle(e).position))
        .filter(e => getComputedStyle(e).visibility !== "hidden")
        .filter(e => overlaps(e.getBoundingClientRect()))
        .map(e => e.id || e.className || e.tagName);
    return {top: box.top, height: box.height, header: header.bottom,
            screen: innerHeight, unseen, floating};
}"""


@pytest.mark.parametrize("page_name", WITH_WIDGETS)
def test_each_widget_fits_a_phone_screen_below_the_header(browser, server, page_name):
    context = browser.new_context(**SCREENS["phone"])
    try:
        page = context.new_page()
        page.goto(f"{server}/{page_name}", wait_until="load")
        widgets = _wait_for_widgets(page)
        for i in range(widgets.count()):
            widget = widgets.nth(i)
            widget.evaluate(
                "e => window.scrollTo({top: scrollY + e.getBoundingClientRect()"
                ".bottom + 600, behavior: 'instant'})"
            )
            page.wait_for_timeout(300)
            widget.evaluate(
                "e => e.scrollIntoView({block: 'start', behavior: 'instant'})"
            )
            page.wait_for_timeout(500)
            found = widget.evaluate(_ON_SCREEN)
            room = found["screen"] - found["header"]
            assert found["height"] <= room + 1, (
                f"{page_name} widget {i + 1} is {found['height']:.0f} px tall on "
                f"the phone: {room:.0f} px of the screen lie below the header"
            )
            assert found["top"] >= found["header"] - 1, (
                f"{page_name} widget {i + 1}: scrolled to, its top "
                f"({found['top']:.0f} px) is under the header "
                f"({found['header']:.0f} px)"
            )
            assert found["unseen"] == {}, (
                f"{page_name} widget {i + 1} on the phone: parts not on screen "
                f"below the header: {found['unseen']}"
            )
            assert found["floating"] == [], (
                f"{page_name} widget {i + 1} on the phone: these float over it: "
                f"{found['floating']}"
            )
    finally:
        context.close()
