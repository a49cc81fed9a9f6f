"""Pages a learner finishes in one sitting, with exercises to practise on.

- No chapter page is longer than :data:`MAX_SCREENS` screens at 1400×1000.
- Every chapter page ends with at least two exercises, whose solutions are
  folded (closed ``<details>``) until the reader opens one, and then show code
  and its output.
- Every chapter opens with its contents, folded ("On this page", a closed
  ``<details>`` under the title) and linking every section: the chapters have
  no contents sidebar, which would narrow their widgets and code.
- The home page and the gallery show the pages in order, each with its reading
  time; each chapter shows its own under its title.
"""

import re

import pytest
from test_site import CHAPTERS

SCREEN = {"width": 1400, "height": 1000}
MAX_SCREENS = 12
#: reference pages: no one idea to practise, so no exercises
REFERENCE = ("auto_examples/00_conventions.html",)
PRACTISED = [page for page in CHAPTERS if page not in REFERENCE]
READING_TIME = re.compile(r"^\d+ min read$")


@pytest.fixture(scope="module")
def wide_page(browser):
    context = browser.new_context(viewport=SCREEN)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_no_chapter_is_longer_than_12_screens(wide_page, server, page_name):
    wide_page.goto(f"{server}/{page_name}", wait_until="load")
    height = wide_page.evaluate("document.documentElement.scrollHeight")
    screens = height / SCREEN["height"]
    assert screens <= MAX_SCREENS, (
        f"{page_name} is {screens:.1f} screens long at 1400×1000 "
        f"(at most {MAX_SCREENS}): split it into pages of one idea"
    )


@pytest.mark.parametrize("page_name", PRACTISED)
def test_each_chapter_ends_with_folded_solutions(wide_page, server, page_name):
    wide_page.goto(f"{server}/{page_name}", wait_until="load")
    solutions = wide_page.locator("details.solution")
    count = solutions.count()
    assert count >= 2, f"{page_name}: {count} solutions, at least 2 wanted"
    assert wide_page.locator("#exercises li").count() >= count
    for index in range(count):
        solution = solutions.nth(index)
        assert solution.get_attribute("open") is None, f"solution {index} is open"
        code = solution.locator("div.highlight-Python pre")
        assert not code.first.is_visible(), f"solution {index} shows its code folded"
    # the last solution, opened, shows its code and what it printed
    last = solutions.nth(count - 1)
    last.locator("summary").click()
    assert last.get_attribute("open") is not None
    assert last.locator("div.highlight-Python pre").first.is_visible()
    # the exercises come before the solutions, and the solutions end the page
    order = wide_page.evaluate(
        """() => {
            const exercises = document.querySelector("#exercises");
            const solutions = document.querySelector("#solutions");
            const sections = [...document.querySelectorAll("article section")];
            return [
                exercises.compareDocumentPosition(solutions)
                    & Node.DOCUMENT_POSITION_FOLLOWING,
                sections.filter(s => s.parentElement === solutions.parentElement)
                    .pop() === solutions,
            ];
        }"""
    )
    assert order[0] and order[1], f"{page_name}: exercises, then solutions, last"


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_every_chapter_opens_with_its_folded_contents(wide_page, server, page_name):
    wide_page.goto(f"{server}/{page_name}", wait_until="load")
    found = wide_page.evaluate(
        """() => {
            const contents = document.querySelector(
                "article nav.page-contents > details");
            const sections = [...document.querySelectorAll("article section")]
                .filter(s => s.querySelector(":scope > h2")).map(s => "#" + s.id);
            if (!contents) return {sections};
            const first = document.querySelector("article h2");
            return {
                sections,
                open: contents.open,
                links: [...contents.querySelectorAll("a")].map(
                    a => a.getAttribute("href")),
                first: !first || Boolean(contents.compareDocumentPosition(first)
                    & Node.DOCUMENT_POSITION_FOLLOWING),
                sidebar: Boolean(document.querySelector("#pst-secondary-sidebar")),
            };
        }"""
    )
    assert "links" in found, f"{page_name} has no contents (nav.page-contents)"
    assert not found["open"], f"{page_name}: its contents are not folded"
    missing = [s for s in found["sections"] if s not in found["links"]]
    assert missing == [], f"{page_name}: its contents miss the sections {missing}"
    assert found["first"], f"{page_name}: its contents come after its first section"
    assert not found["sidebar"], f"{page_name} has a contents sidebar"


def _times(page, selector):
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


def test_the_home_page_shows_the_path_with_reading_times(wide_page, server):
    wide_page.goto(f"{server}/index.html", wait_until="load")
    cards = wide_page.locator(".learning-path .sd-card")
    titles = [t.strip() for t in cards.locator(".sd-card-title").all_inner_texts()]
    times = _times(wide_page, ".learning-path .sd-card-footer")
    assert len(titles) == len(CHAPTERS) == len(times), (titles, times)
    assert all(READING_TIME.match(time) for time in times), times
    # in reading order: the numbered pages by number, then the reference
    numbers = [title.split(" · ")[0] for title in titles]
    assert numbers[-1] == "Reference"
    keys = [tuple(int(part) for part in number.split(".")) for number in numbers[:-1]]
    assert keys == sorted(keys) and keys[0] == (1,), numbers


def test_the_gallery_and_each_chapter_show_their_reading_time(wide_page, server):
    wide_page.goto(f"{server}/auto_examples/index.html", wait_until="load")
    times = _times(wide_page, ".sphx-glr-thumbnail-title .reading-time")
    assert len(times) == len(CHAPTERS) and all(READING_TIME.match(t) for t in times)
    for page_name in CHAPTERS:
        wide_page.goto(f"{server}/{page_name}", wait_until="load")
        (time,) = _times(wide_page, "p.reading-time")
        assert READING_TIME.match(time), (page_name, time)
