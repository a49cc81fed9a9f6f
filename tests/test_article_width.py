"""The chapters' folded contents (docs/_ext/article_width.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))
from article_width import folded_contents, with_contents  # noqa: E402

TOC = (
    '<ul>\n<li><a class="reference internal" href="#">2 · Rotations</a><ul>\n'
    '<li><a class="reference internal" href="#euler">Euler angles</a></li>\n'
    '<li><a class="reference internal" href="#exercises">Exercises</a></li>\n'
    "</ul>\n</li>\n</ul>\n"
)


def test_the_contents_list_the_sections_not_the_page_itself():
    contents = folded_contents(TOC)
    assert contents.startswith('<nav class="page-contents" aria-label="On this page">')
    assert "<details><summary>On this page</summary>" in contents
    assert 'href="#euler"' in contents and 'href="#exercises"' in contents
    assert 'href="#"' not in contents


def test_a_page_without_sections_gets_no_contents():
    assert folded_contents('<ul>\n<li><a href="#">Title</a></li>\n</ul>\n') == ""
    assert folded_contents("") == ""


def test_the_contents_go_after_the_reading_time_else_after_the_title():
    timed = '<h1>T</h1>\n<p class="reading-time">5 min read</p>\n<p>Text</p>'
    assert with_contents(timed, "[C]") == (
        '<h1>T</h1>\n<p class="reading-time">5 min read</p>\n[C]<p>Text</p>'
    )
    assert with_contents("<h1>T</h1>\n<p>Text</p>", "[C]") == (
        "<h1>T</h1>\n[C]<p>Text</p>"
    )
