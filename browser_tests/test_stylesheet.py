"""The site's one stylesheet styles the pages as the ten it replaces did.

``docs/_ext/site_stylesheet.py`` bundles the stylesheets each page linked into
``_static/site.css``, leaving out the rules it judged unused (the originals
stay in ``_static``). Read with the browser's own CSS parser:

- what the bundle keeps is the originals' rules, in their order, word for word
  (URLs compared as the addresses they resolve to; each ``@font-face`` points
  at a cut of the same font);
- what it leaves out are style rules, and on every page, on a desktop and on a
  phone screen, none of their selectors matches any element, with the widgets
  drawn. A selector is tried without its pseudo-classes, pseudo-elements and
  attribute selectors, which can only make it match more.

Together: every element computes the same style with the bundle as with the
originals. (States that scripts reach only later, a menu opened, rely on the
extension keeping every class a script names.)
"""

import pytest
from test_performance import SCREENS
from test_site import PAGES, _wait_for_widgets

#: each rule of the bundle and of the originals as [context, selector, text]:
#: one entry per selector of a style rule, inside the conditions of its
#: @media/@supports/@layer; other rules whole (a @font-face naming its font
#: file without the cut's version)
_RULES = r"""
async (sources) => {
    const root = document.documentElement.dataset.content_root;
    const load = (href) => new Promise((resolve, reject) => {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.media = "not all";  // parsed, never applied
        link.href = href;
        link.onload = () => resolve(link.sheet);
        link.onerror = () => reject(new Error("cannot load " + href));
        document.head.append(link);
    });
    const selectors = (list) => {  // split at the commas outside brackets
        const parts = [];
        let depth = 0, start = 0;
        for (let i = 0; i < list.length; i++) {
            if ("([".includes(list[i])) depth++;
            else if (")]".includes(list[i])) depth--;
            else if (list[i] === "," && depth === 0) {
                parts.push(list.slice(start, i).trim());
                start = i + 1;
            }
        }
        return [...parts, list.slice(start).trim()];
    };
    // URLs as addresses; escapes as the characters they stand for (custom
    // properties keep their text as written: "\f062" or the character itself)
    const character = (_, hex) => String.fromCodePoint(parseInt(hex, 16));
    const resolved = (text, base) => text
        .replace(/url\("([^"]*)"\)/g, (_, url) => `url("${new URL(url, base)}")`)
        .replace(/\\([0-9a-fA-F]{1,6}) ?/g, character);
    // a font as its name: url(".../MathJax_Zero.627683190d.woff2") format("woff2")
    // and url(".../MathJax_Zero.woff") format("woff") are both font(MathJax_Zero)
    const font = new RegExp(
        'url\\("[^"]*/([\\w-]+?)(\\.[0-9a-f]{10})?\\.(woff2?|ttf|otf)"\\)'
        + '( format\\("\\w+"\\))?', "g");
    const flatten = (rules, context, base, out) => {
        for (const rule of rules) {
            if (rule instanceof CSSImportRule) {
                flatten(rule.styleSheet.cssRules, context, rule.styleSheet.href, out);
            } else if (rule instanceof CSSStyleRule) {
                for (const selector of selectors(rule.selectorText)) {
                    out.push([context, selector, resolved(rule.style.cssText, base)]);
                }
            } else if (rule.cssRules && !(rule instanceof CSSKeyframesRule)) {
                const condition = rule.conditionText ?? rule.name ?? "";
                const inner = `${context} @${rule.constructor.name} ${condition}`;
                flatten(rule.cssRules, inner, base, out);
            } else {
                const text = resolved(rule.cssText, base).replace(font, "font($1)");
                out.push([context, "", text]);
            }
        }
    };
    const bundle = [], originals = [];
    const sheet = await load(root + "_static/site.css");
    flatten(sheet.cssRules, "", sheet.href, bundle);
    for (const source of sources) {
        const sheet = await load(root + source);
        flatten(sheet.cssRules, "", sheet.href, originals);
    }
    return { bundle, originals };
}
"""

#: the selectors that match an element of the page, tried without pseudo-classes
#: and pseudo-elements (those of CSS 4 that a browser may not know included)
_MATCHING = r"""
(selectors) => selectors.filter((selector) => {
    let bare = selector.replace(/\[[^\]]*\]/g, "");  // attributes
    for (let before = null; before !== bare; ) {  // :not(...), innermost first
        before = bare;
        bare = bare.replace(/::?[\w-]+\([^()]*\)/g, "");
    }
    bare = bare.replace(/::?[\w-]+/g, "");  // :hover, ::before
    // a compound left empty is any element
    bare = bare.replace(/([>+~])\s*(?=[>+~]|$)/g, "$1 * ").trim() || "*";
    try {
        return document.querySelector(bare) !== null;
    } catch {
        return true;  // not a selector this browser knows: counted as matching
    }
})
"""


def _sources(site):
    first_line = (site / "_static" / "site.css").read_text().split("\n", 1)[0]
    prefix = "/* site.css, from: "
    assert first_line.startswith(prefix), "site.css does not name its sources"
    return first_line.removeprefix(prefix).removesuffix(" */").split()


@pytest.fixture(scope="module")
def left_out(browser, server, site):
    """The selectors of the originals' style rules that the bundle leaves out,
    after checking that it keeps the others, word for word and in order."""
    page = browser.new_page()
    try:
        page.goto(f"{server}/index.html", wait_until="load")
        rules = page.evaluate(_RULES, _sources(site))
    finally:
        page.close()
    bundle, originals = rules["bundle"], rules["originals"]
    assert bundle, "the bundle has no rules"
    dropped, position = [], 0
    for rule in originals:
        if position < len(bundle) and bundle[position] == rule:
            position += 1
        else:
            assert rule[1], f"the bundle leaves out a rule that is not a style: {rule}"
            dropped.append(rule[1])
    assert position == len(bundle), (
        f"the bundle's rule {bundle[position]} is not, in that place, an original one"
    )
    return sorted(set(dropped))


def test_the_bundle_is_the_originals_less_some_style_rules(left_out):
    # the fixture checked the rules it keeps; it does leave some out
    assert len(left_out) > 1000, "the bundle is (almost) the original stylesheets"


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("page_name", PAGES)
def test_no_rule_left_out_of_the_bundle_applies_to_the_page(
    browser, server, left_out, page_name, screen
):
    context = browser.new_context(**SCREENS[screen])
    page = context.new_page()
    try:
        page.goto(f"{server}/{page_name}", wait_until="load")
        _wait_for_widgets(page)
        matching = page.evaluate(_MATCHING, left_out)
    finally:
        context.close()
    assert matching == [], f"rules left out of site.css apply here: {matching[:10]}"
