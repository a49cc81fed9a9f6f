"""Every figure of every chapter has an alt text that says what it shows: not
empty, not the script's name (sphinx-gallery's text for a figure without a
title, "00 conventions"), and without matplotlib's raw math ("Å$^{-3/2}$").
The alt texts are written by ``docs/_ext/alt_text.py``; checked on the HTML
files themselves, as a screen reader gets them.
"""

import re
from html.parser import HTMLParser

import pytest
from conftest import SITE
from test_site import CHAPTERS

#: raw math in text: a $, a backslash command, ^{ or _{
RAW_MATH = re.compile(r"\$|\\[A-Za-z]|[\^_]\{")
FIGURE_CLASSES = {"sphx-glr-single-img", "sphx-glr-multi-img"}


class _FigureAlts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img" and FIGURE_CLASSES & set((attrs.get("class") or "").split()):
            self.alts.append(attrs.get("alt") or "")


def figure_alts(page: str) -> list[str]:
    parser = _FigureAlts()
    parser.feed((SITE / page).read_text(encoding="utf-8"))
    return parser.alts


def script_name_alt(page: str) -> str:
    """What sphinx-gallery writes for a figure of ``page`` with no title."""
    stem = page.rsplit("/", 1)[-1].removesuffix(".html")
    return re.sub(r"[-,_]", " ", stem)


def alt_problems(page: str, alts: list[str]) -> list[str]:
    problems = []
    for k, alt in enumerate(alts, start=1):
        if not alt.strip():
            problems.append(f"figure {k} has no alt text")
        elif alt.strip() == script_name_alt(page):
            problems.append(f"figure {k}'s alt text is the script's name: {alt!r}")
        elif RAW_MATH.search(alt):
            problems.append(f"figure {k}'s alt text has raw math: {alt!r}")
    return problems


def test_the_check_sees_a_name_and_raw_math():
    page = "auto_examples/00_conventions.html"
    assert alt_problems(page, ["00 conventions", "0.2 Å$^{-3/2}$", "ok"]) == [
        "figure 1's alt text is the script's name: '00 conventions'",
        "figure 2's alt text has raw math: '0.2 Å$^{-3/2}$'",
    ]


@pytest.mark.parametrize("page", CHAPTERS)
def test_figures_alt_texts_describe_them(page):
    assert alt_problems(page, figure_alts(page)) == []
