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
import itertools
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


# --- a symbol is used only after the page that introduces it ---
#
# A chapter may use a symbol that an earlier chapter introduces only if that
# chapter is among its prerequisites: listed in its ``.. note::``, or in the
# note of a page listed there, and so on. Anywhere else, the paragraph of the
# use must point to the page that introduces the symbol, with a :ref: to it or
# by its number ("chapter 3.2", or "chapter 3" for 3.1 and 3.2): a preview of a
# later chapter, or a reminder of one the reader may have skipped. "See the
# next chapter" is no pointer. The conventions page, a reference table of
# every symbol, is exempt, and a link to it is no pointer either: it defines,
# but does not teach. The text read is the reader's: the module docstring and
# the comment lines (the rst blocks and the comments of the code), not code.

#: symbol: (the page that introduces it, a pattern of its uses, a phrase of
#: that page that introduces it)
INTRODUCED = {
    "σ": (
        "03_2_parts_and_parity",
        r"σ|\\sigma(?![A-Za-z])|o3_sigma",
        r"parity label σ",
    ),
    "λ": (
        "03_1_wigner_d_blocks",
        r"λ|\\lambda(?![A-Za-z])|o3_lambda",
        r"Wigner D matrices of degree λ",
    ),
    "Wigner D": ("03_1_wigner_d_blocks", r"Wigner", r"real Wigner D matrices"),
    "spherical harmonics": (
        "04_1_spherical_expansion",
        r"spherical harmonic|\bY_\{?[l\d]",
        r"real spherical harmonics :math:`Y_l\^m",
    ),
    "Clebsch–Gordan coefficients": (
        "05_1_clebsch_gordan",
        r"Clebsch|coupling coefficient",
        r"\*\*Clebsch–Gordan coefficients\*\*",
    ),
    "ν": ("05_2_lambda_soap", r"ν(?!′)|\\nu(?![A-Za-z])", r"\*correlation order\* ν"),
}
REFERENCE_PAGE = CONVENTIONS.stem
NOTE_TARGET = re.compile(r"sphx_glr_auto_examples_(\w+)\.py")
CHAPTER_NUMBER = re.compile(r"\bchapters?\s+(\d+(?:\.\d+)?)")


def chapter_number(stem):
    """'03_2_parts_and_parity' → '3.2', '01_water_dataset' → '1'."""
    numbers = re.match(r"(\d+)(?:_(\d)(?=_))?", stem).groups()
    return ".".join(str(int(n)) for n in numbers if n is not None)


def reader_text(source):
    """The lines a reader reads as text, ``(line number, text)``: those of the
    module docstring, and the comment lines (``# %%`` and code aside), without
    their comment marker. Other lines are ``(line number, None)``."""
    lines = source.splitlines()
    text = []
    in_docstring = bool(lines) and lines[0].startswith('"""')
    for number, line in enumerate(lines, start=1):
        if in_docstring:
            closes = number > 1 and line.rstrip().endswith('"""')
            text.append((number, line.replace('"""', "")))
            in_docstring = not closes
        elif re.match(r"\s*#(?!\s*%%)( |$)", line):
            text.append((number, re.sub(r"^\s*# ?", "", line)))
        else:
            text.append((number, None))
    return text


def paragraphs(source):
    """The blocks of reader text separated by blank lines or code: lists of
    ``(line number, text)``."""
    blocks, block = [], []
    for number, line in reader_text(source):
        if line is None or not line.strip():
            if block:
                blocks.append(block)
            block = []
        else:
            block.append((number, line))
    return blocks + ([block] if block else [])


def prerequisites(source):
    """The pages (file stems) that the ``.. note::`` of a chapter's docstring
    lists with a :ref:."""
    lines = [line for _, line in reader_text(source) if line is not None]
    found, inside = [], False
    for line in lines:
        if line.strip().startswith(".. note::"):
            inside = True
        elif inside and line.strip() and not line.startswith(" "):
            break
        if inside:
            found += NOTE_TARGET.findall(line)
    return found


def read_before(stem, sources):
    """The pages a reader of ``stem`` has read, by its note: its
    prerequisites, theirs, and so on (``sources``: {stem: source})."""
    seen, todo = set(), prerequisites(sources[stem])
    while todo:
        page = todo.pop()
        if page not in seen and page in sources:
            seen.add(page)
            todo += prerequisites(sources[page])
    return seen


def points_to(paragraph, page):
    """Whether a paragraph links ``page`` or names it by its chapter number."""
    text = " ".join(line for _, line in paragraph)
    if f"sphx_glr_auto_examples_{page}.py" in text:
        return True
    number = chapter_number(page)
    return any(
        named == number or named == number.split(".")[0]
        for named in CHAPTER_NUMBER.findall(text)
    )


def symbols_out_of_order(sources, introduced=INTRODUCED):
    """``(page, line number, matched text, symbol)`` for each use of a symbol
    of ``introduced`` on a page ``sources`` holds ({stem: source}) that has
    not read the page introducing it and does not point to it there."""
    order = sorted(sources)
    found = []
    for stem in order:
        if stem == REFERENCE_PAGE:
            continue
        read = read_before(stem, sources)
        for symbol, (home, use, _) in introduced.items():
            if stem == home or (home in read and order.index(home) < order.index(stem)):
                continue
            for paragraph in paragraphs(sources[stem]):
                if points_to(paragraph, home):
                    continue
                numbers = [number for number, _ in paragraph]
                starts = list(
                    itertools.accumulate(
                        (len(line) + 1 for _, line in paragraph[:-1]), initial=0
                    )
                )
                text = " ".join(line for _, line in paragraph)
                for match in re.finditer(use, text):
                    line = numbers[bisect.bisect_right(starts, match.start()) - 1]
                    found.append((stem, line, match.group(0), symbol))
    return found


def pages(**sources):
    """Chapters for the checker's tests: {stem: source}, from keyword names
    without the leading digits' underscore (``p01_a`` → ``01_a``)."""
    return {stem.removeprefix("p"): text for stem, text in sources.items()}


PARITY_PAGE = '"""\nParity\n======\n\nA parity label σ.\n"""\n'
FAKE_SIGMA = {"σ": ("03_2_parity", r"σ|o3_sigma", r"parity label σ")}


def note(*stems):
    refs = " and ".join(f":ref:`sphx_glr_auto_examples_{s}.py`" for s in stems)
    return f'"""\nA page\n======\n\n.. note::\n\n    Read {refs} first.\n"""\n'


def test_checker_flags_a_symbol_before_the_page_that_introduces_it():
    """01 at 98c01a2: ``o3_sigma`` two chapters before 3.2, pointed to as "the
    next chapter"."""
    early = note() + (
        "# %%\n# the key says ``o3_lambda = 1`` (and ``o3_sigma = 1``, a polar\n"
        "# vector, see the next chapter), and the block has one component\n"
    )
    found = symbols_out_of_order(
        pages(p01_a=early, p03_2_parity=PARITY_PAGE), FAKE_SIGMA
    )
    assert found == [("01_a", 10, "o3_sigma", "σ")]


def test_checker_flags_a_symbol_whose_page_is_not_a_prerequisite():
    """4.1 at 98c01a2: σ after 3.2, but its note lists 3.1 and not 3.2."""
    later = note("03_1_blocks") + "# %%\n# - ``o3_sigma``: the parity label, +1\n"
    chapters = pages(p03_1_blocks=note(), p03_2_parity=PARITY_PAGE, p04_1_b=later)
    found = symbols_out_of_order(chapters, FAKE_SIGMA)
    assert found == [("04_1_b", 10, "o3_sigma", "σ")]


def test_checker_finds_a_phrase_broken_over_two_lines():
    """3.1 at 98c01a2: "the coupling coefficients" of 5.1, broken over lines,
    is reported at the line where it starts."""
    early = note() + "# %%\n# the sign comes from the coupling\n# coefficients of two\n"
    intro = {"CG": ("05_1_cg", r"coupling coefficient", "")}
    found = symbols_out_of_order(pages(p03_1_a=early, p05_1_cg=note()), intro)
    assert found == [("03_1_a", 10, "coupling coefficient", "CG")]


def test_checker_accepts_a_prerequisite_listed_or_inherited():
    """σ on a page whose note lists 3.2, or lists a page whose note does."""
    chapters = pages(
        p03_2_parity=PARITY_PAGE,
        p04_1_b=note("03_2_parity") + "# %%\n# the label σ = +1\n",
        p05_1_c=note("04_1_b") + "# %%\n# σ = −1\n",
    )
    assert symbols_out_of_order(chapters, FAKE_SIGMA) == []


def test_checker_accepts_a_use_that_points_to_its_page():
    """A forward mention that names the chapter or links it is a pointer."""
    link = ":ref:`sphx_glr_auto_examples_03_2_parity.py`"
    for pointer in ("see chapter 3.2", f"see {link}"):
        early = note() + f"# %%\n# ``o3_sigma = 1``, a polar\n# vector, {pointer}.\n"
        chapters = pages(p01_a=early, p03_2_parity=PARITY_PAGE)
        assert symbols_out_of_order(chapters, FAKE_SIGMA) == [], pointer


def test_checker_reads_no_code_and_skips_the_reference_page():
    """``o3_sigma=1`` in code, and the conventions page's table, are not uses."""
    code = note() + "block = tensor.block(o3_lambda=1, o3_sigma=1)\n"
    table = note() + "# %%\n#    * - :math:`\\sigma`\n#      - parity label\n"
    chapters = pages(p00_conventions=table, p01_a=code, p03_2_parity=PARITY_PAGE)
    assert symbols_out_of_order(chapters, FAKE_SIGMA) == []


def test_chapter_numbers_are_read_from_file_names():
    assert chapter_number("03_2_parts_and_parity") == "3.2"
    assert chapter_number("01_water_dataset") == "1"
    assert chapter_number("05_1_clebsch_gordan") == "5.1"


@pytest.mark.parametrize("symbol", INTRODUCED)
def test_each_symbol_is_introduced_on_its_page(symbol):
    """The page named for a symbol does introduce it, with the phrase given."""
    home, _, phrase = INTRODUCED[symbol]
    text = " ".join(
        line
        for _, line in reader_text(
            (EXAMPLES / f"{home}.py").read_text(encoding="utf-8")
        )
        if line is not None
    )
    assert re.search(phrase, " ".join(text.split())), f"{symbol}: not on {home}"


def chapter_sources():
    return {path.stem: path.read_text(encoding="utf-8") for path in CHAPTERS}


def test_notes_list_only_earlier_pages():
    """A chapter's prerequisites come before it in the order of the site."""
    sources = chapter_sources()
    later = {
        stem: [page for page in prerequisites(source) if page >= stem]
        for stem, source in sources.items()
        if stem != REFERENCE_PAGE  # it names the first chapter to read
    }
    assert {stem: pages for stem, pages in later.items() if pages} == {}


def test_no_chapter_uses_a_symbol_before_its_page():
    """σ, λ, the Wigner D matrices, the spherical harmonics, the Clebsch–Gordan
    coefficients and ν appear on a chapter only after the page that introduces
    them is among its prerequisites, or with a pointer to that page."""
    found = symbols_out_of_order(chapter_sources())
    assert found == [], "symbols used before their page:\n" + "\n".join(
        f"{stem}.py:{line}: {text!r} ({symbol}, introduced on "
        f"{INTRODUCED[symbol][0]}.py)"
        for stem, line, text, symbol in found
    )
