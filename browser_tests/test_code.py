"""Code that reads without scrolling, copies in one click, and links to what
teaches.

- At 1400 px, a code block holds 88 columns (the project's line length), and
  no code block or printed output scrolls sideways.
- Every code block has a copy button (sphinx-copybutton), which copies the
  code: no prompt, no line number, no output.
- Links from code go to what it calls: no page links numpy's ``ndarray`` page
  more than 10 times (sphinx-gallery linked every array variable to it;
  ``docs/_ext/code_links.py``).
"""

import re
from pathlib import Path

import pytest
from test_site import CHAPTERS, PAGES

WIDE = {"viewport": {"width": 1400, "height": 900}}
#: the project's line length (ruff), in code and in what the code prints
COLUMNS = 88
NDARRAY_PAGE = re.compile(r'href="[^"#]*/numpy\.ndarray\.html["#]')
MAX_NDARRAY_LINKS = 10
#: code blocks, not the output printed under them (sphinx-gallery's script-out)
CODE = "div:not(.sphx-glr-script-out) > div.highlight > pre"

#: every <pre> of the page: what it is, its longest line, and whether it scrolls
_BLOCKS = """() => [...document.querySelectorAll("pre")].map((pre, index) => ({
    index,
    kind: pre.closest(".sphx-glr-script-out") ? "output" : "code",
    columns: Math.max(...pre.textContent.split("\\n").map(line => line.length)),
    scrollWidth: pre.scrollWidth,
    clientWidth: pre.clientWidth,
    first: pre.textContent.trim().split("\\n")[0].slice(0, 60),
}))"""

#: how many characters of the code font fit on a line of a code block
_COLUMNS_THAT_FIT = """selector => {
    const pre = document.querySelector(selector);
    const style = getComputedStyle(pre);
    const probe = document.createElement("span");
    probe.textContent = "x".repeat(100);
    pre.appendChild(probe);
    const character = probe.getBoundingClientRect().width / 100;
    probe.remove();
    const room = pre.clientWidth - parseFloat(style.paddingLeft)
        - parseFloat(style.paddingRight);
    return room / character;
}"""


def _open_wide(browser, server, page_name):
    context = browser.new_context(**WIDE)
    page = context.new_page()
    page.goto(f"{server}/{page_name}", wait_until="load")
    return context, page


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_88_columns_fit_in_a_code_block_at_1400_px(browser, server, page_name):
    context, page = _open_wide(browser, server, page_name)
    try:
        fit = page.evaluate(_COLUMNS_THAT_FIT, CODE)
    finally:
        context.close()
    assert fit >= COLUMNS, f"{fit:.1f} columns fit in a code block"


@pytest.mark.parametrize("page_name", PAGES)
def test_no_code_block_scrolls_sideways_at_1400_px(browser, server, page_name):
    context, page = _open_wide(browser, server, page_name)
    try:
        blocks = page.evaluate(_BLOCKS)
    finally:
        context.close()
    scrolling = [
        f"{b['kind']} block {b['index']} ({b['columns']} columns, "
        f"{b['scrollWidth']} px in {b['clientWidth']} px): {b['first']!r}"
        for b in blocks
        if b["scrollWidth"] > b["clientWidth"] + 1
    ]
    assert scrolling == [], (
        f"{len(scrolling)} blocks of {page_name} scroll sideways at 1400 px:\n"
        + "\n".join(scrolling)
    )


@pytest.mark.parametrize("page_name", PAGES)
def test_every_code_block_has_a_copy_button(browser, server, page_name):
    context, page = _open_wide(browser, server, page_name)
    try:
        # the buttons are added by a deferred script, before DOMContentLoaded
        without = page.eval_on_selector_all(
            CODE,
            "blocks => blocks.filter(pre => !pre.parentElement"
            ".querySelector(':scope > button.copybtn')).map(pre => pre.textContent"
            ".trim().slice(0, 60))",
        )
        on_output = page.locator(".sphx-glr-script-out button.copybtn").count()
    finally:
        context.close()
    assert without == [], f"code blocks without a copy button: {without}"
    assert on_output == 0, "printed output has a copy button"


#: code blocks as consoles and docstrings have them: line numbers, prompts
#: (highlighted or not), and output (highlighted or not)
_WITH_PROMPTS = {
    '<span class="linenos">1</span><span class="gp">&gt;&gt;&gt; </span>x = [1,'
    '\n<span class="linenos">2</span><span class="gp">... </span>     2]'
    '\n<span class="linenos">3</span><span class="gp">&gt;&gt;&gt; </span>sum(x)'
    '\n<span class="linenos">4</span><span class="go">3</span>\n': "x = [1,\n"
    "     2]\nsum(x)",
    "$ python chapter.py\nlargest deviation 1e-15\n": "python chapter.py",
    "import numpy as np\nprint(np.pi)\n": "import numpy as np\nprint(np.pi)",
}


@pytest.mark.parametrize("block", _WITH_PROMPTS)
def test_the_copy_button_copies_the_code_only(browser, server, block):
    (chapter,) = [c for c in CHAPTERS if "02_" in c]
    context = browser.new_context(**WIDE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    try:
        page.goto(f"{server}/{chapter}", wait_until="load")
        code = page.locator("div.highlight > pre[id]").first
        code.evaluate("(pre, html) => { pre.innerHTML = html; }", block)
        code.hover()
        code.locator("xpath=following-sibling::button[1]").click()
        copied = page.evaluate("navigator.clipboard.readText()")
    finally:
        context.close()
    assert copied.strip() == _WITH_PROMPTS[block]


@pytest.mark.parametrize("page_name", PAGES)
def test_no_page_links_numpy_ndarray_more_than_10_times(site, page_name):
    html = (Path(site) / page_name).read_text(encoding="utf-8")
    links = len(NDARRAY_PAGE.findall(html))
    assert links <= MAX_NDARRAY_LINKS, f"{links} links to numpy.ndarray"
