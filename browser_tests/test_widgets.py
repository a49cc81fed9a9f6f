"""Every widget whole, at desktop and at phone width.

Each chapter's chemiscope widgets are drawn at 1400×1000 and on a 390×844
phone, and saved as ``screenshots/<page>-widget[-n]-<desktop|phone>.png``.
Their map must be whole: every text it draws (axis titles, ticks, the colour
bar's labels) lies inside the map's panel, and the panel inside the widget.
"""

from pathlib import Path

import pytest
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
            found = widget.locator("[id$='-map']").first.evaluate(_OUTSIDE, SLACK)
            assert found["texts"] == [], (
                f"{page_name} widget {i + 1} at {screen} width: these map texts "
                f"fall outside the map: {found['texts']}"
            )
            assert not found["panel"], f"widget {i + 1}: its map overflows it"
    finally:
        context.close()
