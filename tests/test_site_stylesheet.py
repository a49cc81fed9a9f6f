"""The site's one stylesheet (``docs/_ext/site_stylesheet.py``): what it drops, what it
keeps, how it rebases URLs, cuts fonts and rewrites the pages.

The browser suite checks the result on the real site: every element computes
the same style with the bundle as with the original stylesheets.
"""

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

tinycss2 = pytest.importorskip("tinycss2", reason="needs the docs dependencies")
pytest.importorskip("fontTools", reason="needs the docs dependencies")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

import site_stylesheet  # noqa: E402
from sphinx.errors import ExtensionError  # noqa: E402


def _selector(text):
    return tinycss2.parse_component_value_list(text)


def _purged(css, names):
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return "".join(
        r.serialize() for r in site_stylesheet.purge(rules, set(names), "test.css")
    )


@pytest.mark.parametrize(
    ("selector", "names", "expected"),
    [
        (".a .b", {"a"}, False),
        (".a .b", {"a", "b"}, True),
        ("div.a", {"a"}, False),  # an element no page has
        ("div.a", {"a", "div"}, True),
        ("#main", {"a"}, False),
        ("#main > p", {"main", "p"}, True),
        # pseudo-classes, pseudo-elements, attributes and functions never drop
        (".a:hover::before", {"a"}, True),
        ('[data-theme="dark"] .a', {"a"}, True),
        (".a:not(.gone)", {"a"}, True),
        (":is(.gone, .a) .b", {"b"}, True),
        ("*", set(), True),
        (":root", set(), True),
    ],
)
def test_a_selector_is_dropped_only_when_it_names_something_absent(
    selector, names, expected
):
    assert site_stylesheet.may_match(_selector(selector), names) is expected


def test_purge_keeps_the_selectors_that_may_match_and_the_rules_that_are_not_styles():
    css = (
        ".a,.gone{color:red}"
        ".gone{color:blue}"
        "@media (min-width:1px){.gone{color:green}}"
        "@media (min-width:2px){.gone,.a{margin:0}}"
        "@keyframes spin{from{opacity:0}to{opacity:1}}"
        "@font-face{font-family:X;src:url(x.woff2)}"
        "@charset 'utf-8';"
    )
    assert _purged(css, {"a"}) == (
        ".a{color:red}"
        "@media (min-width:2px){.a{margin:0}}"
        "@keyframes spin{from{opacity:0}to{opacity:1}}"
        "@font-face{font-family:X;src:url(x.woff2)}"
    )


def test_purge_names_the_stylesheet_it_cannot_parse():
    with pytest.raises(ExtensionError, match="broken.css: cannot parse"):
        site_stylesheet.purge(tinycss2.parse_stylesheet("a{} .b"), set(), "broken.css")


def test_site_usage_reads_markup_inline_scripts_and_script_files(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<html><body><div id="main" class="x y">Å→'
        "<script>el.classList.add('shown')</script></div></body></html>"
    )
    script = tmp_path / "site.js"
    script.write_text("button.classList.toggle('is-open')")
    names, characters = site_stylesheet.site_usage([page.read_text()], [script])
    assert {"html", "div", "main", "x", "y", "shown", "is-open"} <= names
    assert characters == {"Å", "→"}  # the text's, not the script's


def _site(tmp_path, pages):
    """A built site: two stylesheets, one importing a third, and ``pages``
    (name: the stylesheets its head links)."""
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True, exist_ok=True)
    (static / "basic.css").write_text(".a{background:url(img/a.png)}")
    (static / "styles" / "theme.css").write_text('@import "../basic.css";')
    (static / "custom.css").write_text(
        ".b{background:url('data:image/png;base64,AA==')}"
        ".gone{color:red}"
        ".c{background:url(../_images/c.png)}"
    )
    for name, stylesheets in pages.items():
        links = "".join(
            f'  <link rel="stylesheet" href="{sheet}?v=1" />\n' for sheet in stylesheets
        )
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(
            f'<html><head>\n{links}</head><body class="a b c">text</body></html>'
        )
    return SimpleNamespace(
        outdir=str(tmp_path),
        doctreedir=str(tmp_path / ".doctrees"),
        builder=SimpleNamespace(format="html"),
    )


def test_the_pages_link_one_bundle_of_their_stylesheets_with_urls_rebased(tmp_path):
    app = _site(
        tmp_path,
        {
            "index.html": ["_static/styles/theme.css", "_static/custom.css"],
            "sub/page.html": ["../_static/styles/theme.css", "../_static/custom.css"],
        },
    )
    site_stylesheet._write_bundle(app, None)

    css = (tmp_path / "_static" / "site.css").read_text()
    assert css.startswith(
        "/* site.css, from: _static/styles/theme.css _static/custom.css */"
    )
    assert ".a{background:url(img/a.png)}" in css  # basic.css, imported
    assert 'url("data:image/png;base64,AA==")' in css  # not a file: unchanged
    assert ".c{background:url(../_images/c.png)}" in css
    assert ".gone" not in css
    index = (tmp_path / "index.html").read_text()
    page = (tmp_path / "sub" / "page.html").read_text()
    assert index.count("stylesheet") == page.count("stylesheet") == 1
    assert 'href="_static/site.css?v=' in index
    assert 'href="../_static/site.css?v=' in page

    # a build that rewrites no page still rebuilds the bundle from its note
    (tmp_path / "_static" / "custom.css").write_text(".b{color:blue}")
    site_stylesheet._write_bundle(app, None)
    css = (tmp_path / "_static" / "site.css").read_text()
    assert ".b{color:blue}" in css and ".c{" not in css
    assert (tmp_path / "index.html").read_text().count("stylesheet") == 1


def test_a_build_that_changed_nothing_does_not_make_the_bundle_again(
    tmp_path, monkeypatch
):
    pages = {"index.html": ["_static/styles/theme.css", "_static/custom.css"]}
    app = _site(tmp_path, pages)
    site_stylesheet._write_bundle(app, None)
    css = (tmp_path / "_static" / "site.css").read_text()

    def no_parsing(*args):
        raise AssertionError("the pages were parsed again")

    monkeypatch.setattr(site_stylesheet, "site_usage", no_parsing)
    page = tmp_path / "index.html"
    linked = page.read_text()
    site_stylesheet._write_bundle(app, None)  # nothing changed: nothing parsed
    assert (tmp_path / "_static" / "site.css").read_text() == css
    # a page that Sphinx writes again as it was (with the ten stylesheets, as
    # it writes the index pages at every build) still gets the bundle
    _site(tmp_path, pages)
    site_stylesheet._write_bundle(app, None)
    assert page.read_text() == linked

    monkeypatch.undo()
    page.write_text(page.read_text().replace("text", "more text"))
    (tmp_path / "_static" / "custom.css").write_text(".gone{color:red}")
    site_stylesheet._write_bundle(app, None)  # a page and a stylesheet changed
    assert ".gone" not in (tmp_path / "_static" / "site.css").read_text()
    assert ".b{" not in (tmp_path / "_static" / "site.css").read_text()


def test_pages_with_different_stylesheets_are_an_error_naming_them(tmp_path):
    app = _site(
        tmp_path,
        {
            "a.html": ["_static/custom.css"],
            "b.html": ["_static/styles/theme.css"],
        },
    )
    with pytest.raises(ExtensionError, match=r"b\.html links .*a\.html links"):
        site_stylesheet._write_bundle(app, None)


def test_a_missing_stylesheet_or_an_import_with_media_is_an_error(tmp_path):
    app = _site(tmp_path, {"a.html": ["_static/missing.css"]})
    with pytest.raises(ExtensionError, match="_static/missing.css, not in the build"):
        site_stylesheet._write_bundle(app, None)
    app = _site(tmp_path, {"a.html": ["_static/custom.css"]})
    (tmp_path / "_static" / "custom.css").write_text('@import "basic.css" print;')
    with pytest.raises(ExtensionError, match="custom.css: only a plain @import"):
        site_stylesheet._write_bundle(app, None)


def _dejavu():
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def test_a_cut_font_has_the_characters_asked_for_and_the_same_bytes_every_time():
    from io import BytesIO

    from fontTools.ttLib import TTFont

    cut = site_stylesheet.subset_font(_dejavu(), {"A", "→"})
    assert cut[:4] == b"wOF2"
    assert cut == site_stylesheet.subset_font(_dejavu(), {"A", "→"})
    cmap = TTFont(BytesIO(cut)).getBestCmap()
    assert set(cmap) == {ord("A"), ord("→")}
    assert len(cut) < _dejavu().stat().st_size / 50
    # none of its characters: one stays, for the font to be valid
    (only,) = TTFont(
        BytesIO(site_stylesheet.subset_font(_dejavu(), {"\uefff"}))
    ).getBestCmap()


def test_font_faces_point_at_their_cut_fonts_and_old_cuts_are_removed(tmp_path):
    fonts = tmp_path / "_static" / "vendor"
    fonts.mkdir(parents=True)
    (fonts / "dejavu.ttf").write_bytes(_dejavu().read_bytes())
    stale = tmp_path / "_static" / "fonts" / "dejavu.0000000000.woff2"
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    rules = tinycss2.parse_stylesheet(
        '@font-face{font-family:D;src:url("vendor/dejavu.ttf") format("truetype")}',
        skip_whitespace=True,
    )
    site_stylesheet._cut_fonts(tmp_path, rules, {"A"})
    css = rules[0].serialize()
    (cut,) = (tmp_path / "_static" / "fonts").glob("*.woff2")
    assert f'src:url("fonts/{cut.name}") format("woff2")' in css
    assert not stale.exists()


def test_characters_beyond_ascii_are_written_as_css_escapes():
    # as Font Awesome writes its icons; a hex digit or a space after an escape
    # needs the space that ends it
    assert site_stylesheet._ascii('.i{--fa:"\uf062"}') == '.i{--fa:"\\f062"}'
    assert site_stylesheet._ascii('"\u00e9a \u00e9 \u2192"') == '"\\e9 a \\e9  \\2192"'
