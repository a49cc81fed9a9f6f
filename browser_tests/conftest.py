"""Fixtures for the browser tests: the built site, a loopback HTTP server, and
Debian's Chromium driven by Playwright."""

import os
import sys
from pathlib import Path

import pytest
from chromium import CHROMIUM_ARGS, find_chromium

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import serve_site  # noqa: E402

SITE = Path(os.environ.get("TUTORIAL_SITE", REPO / "docs" / "_build" / "html"))
SCREENSHOTS = REPO / "screenshots"


@pytest.fixture(scope="session")
def site():
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `nox -s docs` first")
    return SITE


@pytest.fixture(scope="session")
def server(site):
    """The site on loopback, text gzip-compressed as a static host sends it."""
    url, httpd = serve_site.start(site)
    yield url
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if executable is None:
        pytest.fail("Debian's chromium is not installed: `apt-get install chromium`")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
