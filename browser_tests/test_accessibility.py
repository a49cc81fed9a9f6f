"""axe-core on every page: no serious or critical violation.

axe-core comes with the ``axe-playwright-python`` package and is injected into
each page by Playwright; nothing is fetched. Exceptions, if any, are listed in
``ALLOWED`` with the reason.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_site import PAGES, _wait_for_widgets

#: (page, rule id) pairs that are knowingly allowed, with the reason. Empty now.
ALLOWED = {}


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("page_name", PAGES)
def test_no_serious_or_critical_violations(browser, server, axe, page_name):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{server}/{page_name}", wait_until="load")
        _wait_for_widgets(page)
        results = axe.run(page)
    finally:
        page.close()
    problems = [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes, e.g. "
        f"{v['nodes'][0]['target']} {v['nodes'][0]['html'][:120]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
        and (page_name, v["id"]) not in ALLOWED
    ]
    assert problems == []


@pytest.mark.parametrize(
    "page_name", [p for p in PAGES if p.startswith("auto_examples/0")]
)
def test_widgets_and_figures_have_text_alternatives(browser, server, page_name):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{server}/{page_name}", wait_until="load")
        widgets = _wait_for_widgets(page)
        for i in range(widgets.count()):
            widget = widgets.nth(i)
            label = widget.get_attribute("aria-label")
            assert (
                label.startswith("Interactive chemiscope viewer: ") and len(label) > 40
            )
            described = widget.get_attribute("aria-describedby")
            assert len(page.locator(f"#{described}").inner_text().strip()) > 40
        for alt in page.eval_on_selector_all(
            "img.sphx-glr-single-img, img.sphx-glr-multi-img",
            "els => els.map(e => e.alt)",
        ):
            assert alt.strip(), f"a figure on {page_name} has no alt text"
    finally:
        page.close()
