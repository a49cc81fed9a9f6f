"""Every page of the built site, opened in headless Chromium as a reader would.

For each page: no console error, no uncaught exception, no request leaving
loopback, every chemiscope widget drawn (3D viewer canvas, map, empty error
box), math typeset wherever the source has math, every image loaded. Internal
links and anchors are checked on the HTML files themselves.
"""

import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from conftest import SITE

PAGES = sorted(
    path.relative_to(SITE).as_posix()
    for path in SITE.rglob("*.html")
    if not path.relative_to(SITE).parts[0].startswith("_")
    or path.relative_to(SITE).parts[0] == "_modules"
)
CHAPTERS = [page for page in PAGES if page.startswith("auto_examples/0")]
WIDGET_TIMEOUT_MS = 30000  # a wait, not a speed target: the bench measures speed
# the chemiscope widgets of each page of the gallery; test_page sees each drawn
WIDGETS = {
    "00_conventions": 0,
    "01_water_dataset": 1,
    "02_rotations_and_vectors": 1,
    "03_1_wigner_d_blocks": 0,
    "03_2_parts_and_parity": 1,
    "04_1_spherical_expansion": 0,
    "04_2_seeing_the_density": 1,
    "04_3_density_symmetries": 0,
    "05_1_clebsch_gordan": 0,
    "05_2_lambda_soap": 0,
    "05_3_feature_space": 1,
    "06_1_dipole_model": 0,
    "06_2_learning_rotations": 1,
    "06_3_energy_and_forces": 0,
    "06_4_rank2_tensor": 1,
    "06_5_check_your_model": 0,
}
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def _is_external(url):
    scheme = urlparse(url).scheme
    if scheme in ("data", "blob", "about"):
        return False
    return urlparse(url).hostname not in LOOPBACK


def _open(browser, server, page_name):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    record = {"console": [], "errors": [], "external": [], "failed": []}
    page.on(
        "console",
        lambda m: record["console"].append(m.text) if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    page.on(
        "request",
        lambda r: record["external"].append(r.url) if _is_external(r.url) else None,
    )
    page.on(
        "requestfailed",
        lambda r: record["failed"].append(f"{r.url}: {r.failure}"),
    )
    page.on(
        "response",
        lambda r: (
            record["failed"].append(f"{r.url}: HTTP {r.status}")
            if r.status >= 400
            else None
        ),
    )
    page.goto(f"{server}/{page_name}", wait_until="load")
    return context, page, record


def _wait_for_widgets(page):
    widgets = page.locator(".chemiscope-embed")
    for i in range(widgets.count()):
        widget = widgets.nth(i)
        widget.scroll_into_view_if_needed()
        # chemiscope draws in a shadow DOM: Playwright's locators pierce it
        widget.locator("[id$='-structure'] canvas").first.wait_for(
            state="attached", timeout=WIDGET_TIMEOUT_MS
        )
        widget.locator("[id$='-map'] .main-svg").first.wait_for(
            state="attached", timeout=WIDGET_TIMEOUT_MS
        )
        # set by the site's script once chemiscope has drawn the widget
        page.wait_for_function(
            "embed => embed.dataset.chemiscopeState === 'drawn'",
            arg=widget.element_handle(),
            timeout=WIDGET_TIMEOUT_MS,
        )
    return widgets


def _math_elements(page):
    return page.locator("span.math, div.math").count()


@pytest.mark.parametrize("page_name", PAGES)
def test_page(browser, server, page_name, screenshots):
    context, page, record = _open(browser, server, page_name)
    try:
        widgets = _wait_for_widgets(page)
        for i in range(widgets.count()):
            error_box = widgets.nth(i).locator(".chemiscope-sphinx-error p")
            assert error_box.inner_text().strip() == "", error_box.inner_text()
            assert widgets.nth(i).get_attribute("aria-label")

        n_math = _math_elements(page)
        if n_math:
            page.wait_for_function(
                f"document.querySelectorAll('mjx-container').length >= {n_math}",
                timeout=WIDGET_TIMEOUT_MS,
            )
            raw = page.locator("span.math:not(:has(mjx-container))").count()
            assert raw == 0, f"{raw} math elements left untypeset"

        for src in page.eval_on_selector_all("img", "els => els.map(e => e.src)"):
            response = page.request.get(src)
            assert response.ok, f"image {src} answers HTTP {response.status}"

        page.wait_for_load_state("networkidle")
        if page_name in CHAPTERS:
            name = Path(page_name).stem
            page.screenshot(path=screenshots / f"{name}.png", full_page=True)
            for i in range(widgets.count()):
                widgets.nth(i).scroll_into_view_if_needed()
                page.wait_for_timeout(500)
                suffix = "" if i == 0 else f"-{i + 1}"
                widgets.nth(i).screenshot(
                    path=screenshots / f"{name}-widget{suffix}.png"
                )

        assert record["errors"] == [], record["errors"]
        assert record["console"] == [], record["console"]
        assert record["external"] == [], record["external"]
        assert record["failed"] == [], record["failed"]
    finally:
        context.close()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "img", "link", "script"):
                self.hrefs.append(attrs[key])


@functools.cache
def _parse(path):
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("page_name", PAGES)
def test_internal_links_and_anchors_resolve(site, page_name):
    page = site / page_name
    broken = []
    for href in _parse(page).hrefs:
        url = urlparse(href)
        if url.scheme or href.startswith("//") or href.startswith("mailto:"):
            continue
        target = page if not url.path else Path(unquote(urljoin(str(page), url.path)))
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            broken.append(f"{href}: no file {target.relative_to(site)}")
            continue
        if url.fragment and target.suffix == ".html":
            if unquote(url.fragment) not in _parse(target).ids:
                broken.append(f"{href}: no anchor #{url.fragment}")
    assert broken == []


def test_the_search_page_finds_the_chapters(browser, server):
    # content pages do not load the search index (docs/_ext/deferred_scripts.py):
    # the search box leads here, and this page must still find things
    context, page, record = _open(browser, server, "search.html?q=Wigner")
    try:
        # results appear one by one; the heading changes once all are there
        page.wait_for_function(
            "document.querySelector('#search-results h2')?.innerText"
            " === 'Search Results'",
            timeout=WIDGET_TIMEOUT_MS,
        )
        results = page.locator("#search-results li a")
        hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert any("/03_" in href for href in hrefs), hrefs
        assert record["errors"] == [] and record["console"] == []
    finally:
        context.close()


def test_content_pages_do_not_block_on_scripts(site):
    head = (site / "auto_examples/02_rotations_and_vectors.html").read_text()
    head = head.split("</head>")[0]
    assert "searchindex.js" not in head
    blocking = re.findall(r"<script(?![^>]*(?:defer|type=))[^>]*\bsrc=", head)
    assert blocking == []


def test_every_chapter_has_its_widgets(site):
    assert sorted(Path(c).stem for c in CHAPTERS) == sorted(WIDGETS)
    for chapter in CHAPTERS:
        html = (site / chapter).read_text(encoding="utf-8")
        count = html.count('<div class="chemiscope-embed"')
        assert count == WIDGETS[Path(chapter).stem], f"{chapter}: {count}"


def test_every_chapter_offers_its_downloads(site):
    assert CHAPTERS, "no chapter pages were built"
    for chapter in CHAPTERS:
        hrefs = _parse(site / chapter).hrefs
        stem = Path(chapter).stem
        assert any(h.endswith(f"{stem}.py") for h in hrefs), f"{chapter}: no .py link"
        assert any(h.endswith(f"{stem}.ipynb") for h in hrefs), f"{chapter}: no .ipynb"


_SECTION_NAVIGATION = re.compile(
    r'<nav class="bd-docs-nav bd-links"\s+aria-label="Section Navigation">(.*?)</nav>',
    re.DOTALL,
)


@pytest.mark.parametrize("page_name", PAGES)
def test_no_page_shows_an_empty_section_navigation(site, page_name):
    html = (site / page_name).read_text(encoding="utf-8")
    empty = [nav for nav in _SECTION_NAVIGATION.findall(html) if "<li" not in nav]
    assert empty == [], f'{page_name} shows a "Section Navigation" with no link'


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_chapters_also_work_from_file_urls(browser, site, page_name):
    """Opened straight from disk (file://), widgets and math still render."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((site / page_name).resolve().as_uri(), wait_until="load")
        widgets = _wait_for_widgets(page)
        for i in range(widgets.count()):
            error_box = widgets.nth(i).locator(".chemiscope-sphinx-error p")
            assert error_box.inner_text().strip() == ""
        n_math = _math_elements(page)
        if n_math:
            page.wait_for_function(
                f"document.querySelectorAll('mjx-container').length >= {n_math}",
                timeout=WIDGET_TIMEOUT_MS,
            )
        assert errors == []
    finally:
        context.close()
