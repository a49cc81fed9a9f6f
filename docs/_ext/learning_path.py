"""The learning path: the pages in order, each with its idea and reading time.

- ``.. learning-path::`` on the home page lists every page of the gallery as a
  card: its number and title (from the script), its idea in one line (the
  directive's content, one ``stem: idea`` line per page) and the time to read
  it. The build fails if a page of the gallery is missing from the list, or
  listed twice, or if the list names a page that does not exist.
- The gallery's thumbnails and each chapter, under its title, show the same
  reading time.

The reading time is computed from the script's words: its prose at
:data:`PROSE_WORDS_PER_MINUTE`, and its code at :data:`CODE_LINES_PER_MINUTE`
(code is read more slowly than prose, and run). It is rounded up to the minute.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GALLERY = "auto_examples"
PROSE_WORDS_PER_MINUTE = 200
CODE_LINES_PER_MINUTE = 20

_TITLE = re.compile(r"^(?P<title>[^\n.][^\n]*)\n(?P<rule>=+)\n", re.M)
#: a text block of a sphinx-gallery script: the docstring, or ``# %%`` comments
_DOCSTRING = re.compile(r'\A\s*(?:r?""")(?P<text>.*?)"""', re.S)
_CELL_SEPARATOR = re.compile(r"^# %%.*$", re.M)
_WORD = re.compile(r"[A-Za-z0-9][\w'’·-]*")


def split_script(text: str) -> tuple[str, list[str]]:
    """The prose of a sphinx-gallery script and its lines of code.

    Prose is the docstring and the comment blocks that follow ``# %%``; code
    is every other non-blank line that is not a comment.
    """
    docstring = _DOCSTRING.match(text)
    if docstring is None:
        raise ValueError("a gallery script must open with a docstring")
    prose = [docstring["text"]]
    code = []
    rest = text[docstring.end() :]
    for cell in _CELL_SEPARATOR.split(rest):
        lines = cell.strip("\n").splitlines()
        comments = []
        while lines and lines[0].startswith("#"):
            comments.append(lines.pop(0).lstrip("#"))
        prose.append("\n".join(comments))
        code += [line for line in lines if line.strip() and line.lstrip()[0] != "#"]
    return "\n".join(prose), code


def reading_minutes(text: str) -> int:
    """Minutes to read a gallery script (see the module), at least one."""
    prose, code = split_script(text)
    words = len(_WORD.findall(prose))
    minutes = words / PROSE_WORDS_PER_MINUTE + len(code) / CODE_LINES_PER_MINUTE
    return max(1, math.ceil(minutes))


def page_title(text: str) -> str:
    """The title of a gallery script: the first heading of its docstring."""
    docstring = _DOCSTRING.match(text)
    match = _TITLE.search(docstring["text"]) if docstring else None
    if match is None:
        raise ValueError("a gallery script's docstring must have a title")
    return match["title"].strip()


def gallery_pages() -> list[str]:
    """The stems of the gallery's scripts."""
    return sorted(path.stem for path in EXAMPLES.glob("[0-9]*.py"))


def reading_label(stem: str) -> str:
    minutes = reading_minutes((EXAMPLES / f"{stem}.py").read_text(encoding="utf-8"))
    return f"{minutes} min read"


class LearningPath(SphinxDirective):
    """``.. learning-path::`` with one ``stem: idea`` line per page, in order."""

    has_content = True

    def run(self):
        listed = []
        for line in self.content:
            if not line.strip():
                continue
            stem, sep, idea = line.partition(":")
            if not sep or not idea.strip():
                raise self.error(f"learning-path: {line!r} is not 'stem: idea'")
            listed.append((stem.strip(), idea.strip()))
        stems = [stem for stem, _ in listed]
        pages = gallery_pages()
        missing = sorted(set(pages) - set(stems))
        unknown = sorted(set(stems) - set(pages))
        twice = sorted({stem for stem in stems if stems.count(stem) > 1})
        if missing or unknown or twice:
            raise self.error(
                "learning-path must list every page of the gallery once: "
                f"missing {missing}, not in examples/ {unknown}, twice {twice}"
            )
        for stem in stems:
            self.env.note_dependency(str(EXAMPLES / f"{stem}.py"))
        rst = [".. grid:: 1 2 2 3", "   :gutter: 3", ""]
        for stem, idea in listed:
            text = (EXAMPLES / f"{stem}.py").read_text(encoding="utf-8")
            rst += [
                f"   .. grid-item-card:: {page_title(text)}",
                f"      :link: sphx_glr_{GALLERY}_{stem}.py",
                "      :link-type: ref",
                "      :class-footer: reading-time",
                "",
                f"      {idea}",
                "",
                "      .. card-footer::",
                "",
                f"         {reading_label(stem)}",
                "",
            ]
        container = nodes.container(classes=["learning-path"])
        self.state.nested_parse(StringList(rst, source="learning-path"), 0, container)
        return [container]


#: sphinx-gallery's title of a thumbnail, in the gallery's index
_THUMB_TITLE = re.compile(
    r"(:doc:`/auto_examples/(?P<stem>[^`]+)`\n\n\.\. raw:: html\n\n"
    r'\s*<div class="sphx-glr-thumbnail-title">)(?P<title>[^<]*)(</div>)'
)


def _add_reading_times(app, docname, source):
    """The reading time on each thumbnail of the gallery, and under each
    chapter's title."""
    if docname == f"{GALLERY}/index":

        def with_time(match):
            label = reading_label(match["stem"])
            return (
                f"{match[1]}{match['title']}"
                f'<span class="reading-time">{label}</span>{match[4]}'
            )

        source[0], count = _THUMB_TITLE.subn(with_time, source[0])
        if count != len(gallery_pages()):
            raise ExtensionError(
                f"learning_path: found {count} thumbnail titles in the gallery's "
                f"index, for {len(gallery_pages())} pages; sphinx-gallery's markup "
                "changed"
            )
        return
    stem = docname.removeprefix(f"{GALLERY}/")
    if docname.startswith(f"{GALLERY}/") and stem in gallery_pages():
        match = _TITLE.search(source[0])
        if match is None:
            raise ExtensionError(f"learning_path: no title found in {docname}")
        source[0] = (
            source[0][: match.end()]
            + f"\n.. rst-class:: reading-time\n\n{reading_label(stem)}\n"
            + source[0][match.end() :]
        )


def setup(app):
    app.setup_extension("sphinx_design")
    app.add_directive("learning-path", LearningPath)
    app.connect("source-read", _add_reading_times)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
