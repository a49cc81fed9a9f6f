"""The symbols of the chapters mean one thing on every page, as the table of
``examples/00_conventions.py`` states:

- ν is the correlation order, the number of density coefficients multiplied
  together; the body order is ν + 1, never ν;
- n and l are the radial and angular indices of the density expansion
  (c_{nlm}, Y_l^m); λ is the degree of a spherical tensor or coupled feature,
  never the density's angular index.

The checks read a chapter's whole text (prose, math, docstrings, printed
strings) with the comment markers removed and the lines joined, so that a
phrase broken over two lines is still found.
"""

import bisect
import re
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CHAPTERS = sorted(EXAMPLES.glob("*.py"))
CONVENTIONS = EXAMPLES / "00_conventions.py"

NU = r"(?:ν|\\nu(?![A-Za-z]))"
LAMBDA = r"(?:λ|\\lambda(?![A-Za-z]))"
BODY_ORDER = r"body[-\s]+orders?"
PLUS_ONE = r"\s*\+\s*1"

#: "body order ν", "body order of ν", "body order (ν", "body order :math:`\nu`";
#: not "body order ν + 1"
BODY_ORDER_IS_NU = re.compile(
    rf"{BODY_ORDER}\s+(?:of\s+)?\(?\s*(?::math:`)?\s*{NU}(?!{PLUS_ONE})",
    re.IGNORECASE,
)
#: "ν - body order" (a table row), "ν: body order", "ν, the body order",
#: "ν is the body order"; not "ν, body order ν + 1"
NU_IS_BODY_ORDER = re.compile(
    rf"{NU}`?\s*(?:[-–—:,(]|\bis\b)\s*(?:the\s+)?{BODY_ORDER}"
    rf"(?!\s*\(?\s*(?::math:`)?\s*{NU}{PLUS_ONE})",
    re.IGNORECASE,
)
#: "c_{n\lambda m}", "c^{i,a}_{n\lambda m}", "c_{nλ}", "Y_\lambda^m", "Y_{\lambda}",
#: "Y_λ(R r̂)": λ written as the angular index of the density or the harmonics
DENSITY_INDEX_IS_LAMBDA = re.compile(
    rf"\bc(?:\^\{{[^}}]*\}}|\^\w)?_\{{\s*n(?:_\d)?\s*{LAMBDA}"
    rf"|\bY_\{{?\s*{LAMBDA}"
)


def prose(source):
    """The text of a script with comment markers removed and lines joined by
    one space, and the offset in that text where each line starts."""
    lines = [re.sub(r"^\s*#?\s?", "", line) for line in source.splitlines()]
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return " ".join(lines), starts


def violations(pattern, source):
    """``(line number, matched text)`` for each match of ``pattern`` in the
    joined text of ``source``; the line is where the match starts."""
    text, starts = prose(source)
    return [
        (bisect.bisect_right(starts, match.start()), match.group(0))
        for match in pattern.finditer(text)
    ]


def nu_as_body_order(source):
    """Places where ``source`` says that ν is the body order."""
    found = violations(BODY_ORDER_IS_NU, source)
    found += violations(NU_IS_BODY_ORDER, source)
    return sorted(found)


def lambda_as_density_index(source):
    """Places where ``source`` writes λ as the density's angular index."""
    return violations(DENSITY_INDEX_IS_LAMBDA, source)


def symbols_table():
    """The rows of the symbols table of chapter 00, as {symbol: meaning}."""
    text, _ = prose(CONVENTIONS.read_text(encoding="utf-8"))
    start = text.index(".. list-table::", text.index("Symbols"))
    table = text[start : text.index(" %% ", start)]
    rows = {}
    for row in re.split(r"\s\* - ", table)[1:]:
        symbol, meaning = row.split(" - ", 1)
        rows[symbol.strip()] = " ".join(meaning.split())
    return rows


def where(found, path):
    return "\n".join(f"{path.name}:{line}: {text!r}" for line, text in found)


# --- the checkers catch what they are meant to catch ---

BAD_NU = [
    "# the body order ν of chapter 5",
    "# features of body order ν = 1 (the density coefficients)",
    "# the body order of :math:`\\nu` densities",
    "# features of body\n# order (ν = 2)",
    "#    * - :math:`\\nu`\n#      - body order of a density correlation",
    "# where ν is the body order",
]
GOOD_NU = [
    "# ν: correlation order; body order ν + 1",
    "#    * - :math:`\\nu`\n#      - correlation order; body order :math:`\\nu + 1`",
    "# the *ν = 1* features (one density, body order 2)",
    "# Higher body orders\n# ------------------\n# a feature of order ν",
    'print(f"ν = {nu}: test RMSE")',
]
BAD_LAMBDA = [
    "#     c^{i,a}_{n\\lambda m} = \\int R_n(r) Y_\\lambda^m(\\hat{r})",
    "# :math:`c_{n\\lambda}(R\\cdot A) = D^\\lambda(R)\\, c_{n\\lambda}(A)`",
    'print("Y_λ(R r̂) = D^λ(R) Y_λ(r̂)")',
    "# the coefficients :math:`c_{n \\lambda m}`",
    "# :math:`Y_{\\lambda}^m(\\hat{\\mathbf{r}})`",
]
GOOD_LAMBDA = [
    "#     c^{i,a}_{nlm} = \\int R_n(r) Y_l^m(\\hat{r})",
    "# :math:`c_{nl}(R\\cdot A) = D^l(R)\\, c_{nl}(A)`",
    "# \\langle l_1 m_1; l_2 m_2 | \\lambda m\\rangle c_{n_1 l_1 m_1}",
    "# \\rho^{\\otimes 2}_{\\lambda m}(n_1 l_1 a_1; n_2 l_2 a_2)",
    "block = expansion.block(o3_lambda=2, o3_sigma=1)",
    "Y_rotated = dipole_tensor(positions)",
]


@pytest.mark.parametrize("snippet", BAD_NU)
def test_checker_flags_nu_called_the_body_order(snippet):
    """Each way of saying "ν is the body order" is found, across line breaks."""
    assert nu_as_body_order(snippet)


@pytest.mark.parametrize("snippet", GOOD_NU)
def test_checker_accepts_body_order_nu_plus_one(snippet):
    """Body order ν + 1, a body order by number, and ν alone are not flagged."""
    assert nu_as_body_order(snippet) == []


@pytest.mark.parametrize("snippet", BAD_LAMBDA)
def test_checker_flags_lambda_as_the_density_index(snippet):
    """c_{nλm}, c_{nλ} and Y_λ^m are found, in math and in printed text."""
    assert lambda_as_density_index(snippet)


@pytest.mark.parametrize("snippet", GOOD_LAMBDA)
def test_checker_accepts_l_as_the_density_index(snippet):
    """c_{nlm}, Y_l^m, λ as a coupled degree and ``o3_lambda`` are not flagged."""
    assert lambda_as_density_index(snippet) == []


def test_checker_reports_the_line_where_the_phrase_starts():
    """A phrase broken over two lines is reported at its first line."""
    source = "x = 1\n# features of body\n# order ν = 1\n"
    assert nu_as_body_order(source) == [(2, "body order ν")]


# --- the chapters follow the rules ---


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.name)
def test_no_chapter_calls_nu_the_body_order(path):
    """ν is the correlation order: a chapter says body order ν + 1, never ν."""
    found = nu_as_body_order(path.read_text(encoding="utf-8"))
    assert found == [], "ν called the body order:\n" + where(found, path)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.name)
def test_no_chapter_writes_lambda_as_the_density_index(path):
    """The density's angular index is l (c_{nlm}, Y_l^m), never λ."""
    found = lambda_as_density_index(path.read_text(encoding="utf-8"))
    assert found == [], "λ as the density's index:\n" + where(found, path)


def test_symbols_table_defines_nu_as_the_correlation_order():
    """The ν row: correlation order, the number of density factors, body order
    ν + 1."""
    meaning = symbols_table()[r":math:`\nu`"]
    assert "correlation order" in meaning
    assert "number of density factors" in meaning
    assert re.search(rf"body order (?::math:`)?{NU}{PLUS_ONE}", meaning)


def test_symbols_table_defines_l_as_the_density_angular_index():
    """The n, l row: radial and angular index of the density expansion
    c_{nlm}, stored by featomic in the key ``o3_lambda``."""
    meaning = symbols_table()[":math:`n, l`"]
    assert "radial and angular index of the density expansion" in meaning
    assert "c_{nlm}" in meaning
    assert "o3_lambda" in meaning


def test_symbols_table_reserves_lambda_for_spherical_tensors():
    """The λ, m row: degree of a spherical tensor, never the density's index."""
    meaning = symbols_table()[r":math:`\lambda, m`"]
    assert "degree and component of a spherical tensor" in meaning
    assert "never the density's angular index" in meaning
