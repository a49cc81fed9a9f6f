"""Code that reads without scrolling, copies in one click, and links to what
teaches.

- At 1400 px, a code block holds 88 columns (the project's line length), and
  no code block or printed output scrolls sideways.
- Every code block has a copy button (sphinx-copybutton), which copies the
  code: no prompt, no line number, no output.
- On a 390 px phone, no printed output scrolls sideways (it wraps), no inline
  name (inline code, an API signature) runs past the article's edge, and the
  copy buttons show: a touch screen has no hover to reveal them.
- Links from code go to what it calls: no page links numpy's ``ndarray`` page
  more than 10 times (sphinx-gallery linked every array variable to it;
  ``docs/_ext/code_links.py``).
"""

import re
from pathlib import Path

import pytest
from test_site import CHAPTERS, PAGES

WIDE = {"viewport": {"width": 1400, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,  # Chromium then matches (hover: none), as a phone does
}
#: the project's line length (ruff), in code and in what the code prints
COLUMNS = 88
NDARRAY_PAGE = re.compile(r'href="[^"#]*/numpy\.ndarray\.html["#]')
MAX_NDARRAY_LINKS = 10
#: the API reference links the type of every parameter (numpy.ndarray 29 times),
#: as API pages do: the limit is on links from code, which the other pages hold
TYPED_PAGES = {"api.html"}
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


@pytest.mark.parametrize("page_name", [p for p in PAGES if p not in TYPED_PAGES])
def test_no_page_links_numpy_ndarray_more_than_10_times(site, page_name):
    html = (Path(site) / page_name).read_text(encoding="utf-8")
    links = len(NDARRAY_PAGE.findall(html))
    assert links <= MAX_NDARRAY_LINKS, f"{links} links to numpy.ndarray"


@pytest.fixture(scope="module")
def phone_page(browser):
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("page_name", PAGES)
def test_no_printed_output_scrolls_sideways_at_390_px(phone_page, server, page_name):
    phone_page.goto(f"{server}/{page_name}", wait_until="load")
    blocks = phone_page.evaluate(_BLOCKS)
    scrolling = [
        f"output block {b['index']} ({b['columns']} columns, "
        f"{b['scrollWidth']} px in {b['clientWidth']} px): {b['first']!r}"
        for b in blocks
        if b["kind"] == "output" and b["scrollWidth"] > b["clientWidth"] + 1
    ]
    assert scrolling == [], (
        f"{len(scrolling)} printed outputs of {page_name} scroll sideways at 390 px:\n"
        + "\n".join(scrolling)
    )


#: inline names (inline code, the API's signatures) that reach past the
#: article's right edge, or scroll inside their own box
_NAMES_OFF_SCREEN = """() => {
    const article = (document.querySelector(".bd-article")
        ?? document.querySelector("main")).getBoundingClientRect();
    const right = Math.min(article.right, window.innerWidth) + 1;
    const names = [...document.querySelectorAll(
        "main :not(pre) > code, main dt.sig")];
    return names.filter(name => name.scrollWidth > name.clientWidth + 1
            || [...name.getClientRects()].some(r => r.width > 0 && r.right > right))
        .map(name => name.textContent.trim().slice(0, 60));
}"""


@pytest.mark.parametrize("page_name", PAGES)
def test_inline_names_break_at_390_px(phone_page, server, page_name):
    phone_page.goto(f"{server}/{page_name}", wait_until="load")
    off = phone_page.evaluate(_NAMES_OFF_SCREEN)
    assert off == [], f"{len(off)} inline names of {page_name} run off a phone: {off}"
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], f"{page_name} is {width} px wide"


@pytest.mark.parametrize("page_name", CHAPTERS)
def test_copy_buttons_show_on_a_touch_screen(phone_page, server, page_name):
    phone_page.goto(f"{server}/{page_name}", wait_until="load")
    assert phone_page.evaluate("matchMedia('(hover: none)').matches")
    opacities = phone_page.eval_on_selector_all(
        "button.copybtn", "buttons => buttons.map(b => getComputedStyle(b).opacity)"
    )
    assert opacities, f"{page_name} has no copy button"
    hidden = [float(o) for o in opacities if float(o) < 1]
    assert hidden == [], (
        f"{len(hidden)} of {len(opacities)} copy buttons of {page_name} are "
        f"transparent (opacity {sorted(set(hidden))}) with no hover to reveal them"
    )
