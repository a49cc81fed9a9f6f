"""Every chapter page ends with exercises whose solutions answer with an assert
(``docs/_ext/exercises.py``), and the learning path's reading times come from
the scripts' words (``docs/_ext/learning_path.py``).

The chapters are read as text here; that the solutions run, and that their
asserts hold, is what the docs build checks, since sphinx-gallery runs them.
"""

import re
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx_design", reason="needs the docs dependencies")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

import exercises  # noqa: E402
import learning_path  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
#: reference pages, which teach no one idea and have no exercises
REFERENCE = {"00_conventions"}
CHAPTERS = [
    path for path in sorted(EXAMPLES.glob("[0-9]*.py")) if path.stem not in REFERENCE
]
MIN_EXERCISES = 2

_HEADING = re.compile(r"^# (?P<title>[^\n]+)\n# (?P<rule>-+)$", re.M)
_SOLUTION = re.compile(r"^# \.\. solution:: (?P<title>.+)$", re.M)
_EXERCISE_ITEM = re.compile(r"^# (?P<number>\d+)\. \*\*", re.M)


def _sections(text):
    """(title, body) of each ``---`` section of a script, in order."""
    heads = list(_HEADING.finditer(text))
    return [
        (head["title"].strip(), text[head.end() : nxt.start() if nxt else len(text)])
        for head, nxt in zip(heads, [*heads[1:], None], strict=True)
    ]


def _solutions(text):
    """{title: code and text after it, up to the next solution}."""
    marks = list(_SOLUTION.finditer(text))
    return {
        mark["title"]: text[mark.end() : nxt.start() if nxt else len(text)]
        for mark, nxt in zip(marks, [*marks[1:], None], strict=True)
    }


def _code(block):
    return "\n".join(line for line in block.splitlines() if not line.startswith("#"))


_ASSERT = re.compile(r"^\s*(assert\b|np\.testing\.assert_)", re.M)
_FUNCTION = re.compile(r"^def (\w+)\(.*?(?=^\S)", re.M | re.S)


def _asserting_functions(text):
    """The functions that a script defines and that assert something."""
    return {m[1] for m in _FUNCTION.finditer(text + "\nend") if _ASSERT.search(m[0])}


def _asserts(code, checkers):
    """Whether ``code`` asserts, itself or by calling one of ``checkers``."""
    calls = re.compile(rf"\b(?:{'|'.join(map(re.escape, checkers)) or '(?!)'})\(")
    return bool(_ASSERT.search(code) or calls.search(code))


def test_the_gallery_has_chapters():
    assert len(CHAPTERS) >= 7, [path.name for path in CHAPTERS]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_each_chapter_ends_with_key_points_exercises_then_solutions(chapter):
    titles = [title for title, _ in _sections(chapter.read_text(encoding="utf-8"))]
    assert titles[-3:] == ["Key points", "Exercises", "Solutions"], titles


_BULLET = re.compile(r"^# - ", re.M)
KEY_POINTS = range(2, 5)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_the_key_points_are_two_to_four_lines(chapter):
    body = dict(_sections(chapter.read_text(encoding="utf-8")))["Key points"]
    points = len(_BULLET.findall(body))
    assert points in KEY_POINTS, f"{chapter.name}: {points} key points"
    # nothing but the bullets and their continuation lines
    prose = [line for line in body.splitlines() if line.startswith("#")]
    stray = [
        line
        for line in prose
        if line not in ("#", "# %%") and not line.startswith(("# - ", "#   "))
    ]
    assert not stray, f"{chapter.name}: {stray}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_each_exercise_has_a_solution_that_asserts_its_answer(chapter):
    text = chapter.read_text(encoding="utf-8")
    sections = dict(_sections(text))
    numbers = [m["number"] for m in _EXERCISE_ITEM.finditer(sections["Exercises"])]
    solutions = _solutions(sections["Solutions"])
    assert len(numbers) >= MIN_EXERCISES, f"{chapter.name}: exercises {numbers}"
    assert [title.split(" · ")[0] for title in solutions] == numbers, (
        f"{chapter.name}: one solution per exercise, numbered alike: "
        f"{list(solutions)} for exercises {numbers}"
    )
    checkers = _asserting_functions(text)
    for title, body in solutions.items():
        assert _asserts(_code(body), checkers), (
            f"{chapter.name}: solution {title!r} has no assert on its answer"
        )


def test_the_solution_checks_find_a_solution_without_an_assert():
    text = (
        "# Exercises\n# ---------\n#\n# 1. **A.** a\n# 2. **B.** b\n"
        "# Solutions\n# ---------\n#\n# .. solution:: 1 · A\n\nx = 1\nassert x\n"
        "\n# %%\n# .. solution:: 2 · B\n\nprint(2)\n"
    )
    solutions = _solutions(dict(_sections(text))["Solutions"])
    asserted = {
        title: _asserts(_code(body), set()) for title, body in solutions.items()
    }
    assert asserted == {"1 · A": True, "2 · B": False}


def test_a_solution_may_assert_through_a_checker_of_its_page():
    text = (
        "def check_sign(x):\n    assert x > 0\n\n\ndef show(x):\n    print(x)\n\n\n"
        "y = 1\n"
    )
    checkers = _asserting_functions(text)
    assert checkers == {"check_sign"}
    assert _asserts("check_sign(3)\n", checkers)
    assert not _asserts("show(3)\n", checkers)


def test_downloads_turn_the_directive_into_plain_text():
    notebook = exercises.notebook_text("Try first.\n\n.. solution:: 1 · Tilt\n")
    script = exercises.script_text("# Try first.\n#\n# .. solution:: 1 · Tilt\n")
    assert notebook == "Try first.\n\n**Solution 1 · Tilt**\n"
    assert script == "# Try first.\n#\n# Solution 1 · Tilt\n"


SCRIPT = '''"""
A title
=======

Four words of prose.
"""

import numpy as np

# %%
# A heading
# ---------
#
# Six more words of prose here.

x = np.ones(3)  # a comment does not count as code

# a comment line between code lines is not code either
y = x + 1
'''


def test_prose_and_code_are_told_apart():
    prose, code = learning_path.split_script(SCRIPT)
    assert "Four words of prose" in prose and "Six more words" in prose
    assert code == [
        "import numpy as np",
        "x = np.ones(3)  # a comment does not count as code",
        "y = x + 1",
    ]
    assert learning_path.page_title(SCRIPT) == "A title"


def test_reading_time_grows_with_prose_and_code():
    prose_only = '"""\nT\n=\n\n' + "word " * 999 + '\n"""\n'
    # 1000 words (the title is one) at 200 a minute
    assert learning_path.reading_minutes(prose_only) == 5
    with_code = prose_only + "x = 1\n" * 41  # and 41 lines at 20 a minute: 3
    assert learning_path.reading_minutes(with_code) == 8


def test_a_script_without_a_docstring_is_refused():
    with pytest.raises(ValueError, match="docstring"):
        learning_path.split_script("import numpy\n")
