"""One small stylesheet for the whole site, and its fonts cut to what they draw.

Every page links the same ten stylesheets in its ``<head>``: the theme's (with
Bootstrap and Font Awesome, 378 kB), Sphinx's, sphinx-gallery's, sphinx-design's,
the math's and ours. The browser paints nothing before it has them all, and
on a phone's network that wait was most of the time to the first paint, though
nine tenths of the theme's rules style things this site never shows. The fonts
were heavier still: Font Awesome's 115 kB for the dozen icons of the navigation
bar, and MathJax's for the hundred characters of the site's math.

After the build, this extension writes ``_static/site.css``: those stylesheets
in their order, ``@import`` inlined and relative ``url()`` rebased, without the
rules that cannot apply. A rule is dropped only when each of its selectors names
a class, an id or an element that occurs nowhere: neither in a page's markup nor
as a word of a script the site runs (scripts add classes, ``show`` and the
like, as the reader clicks). Pseudo-classes, attribute selectors and whatever
is inside ``:not()``, ``:is()`` and the like are never a reason to drop, and at-
rules other than ``@media``, ``@supports``, ``@container`` and ``@layer`` are
kept whole. Every page then links ``site.css`` once, instead of the ten.

Each font of a kept ``@font-face`` is cut to the characters it may have to
draw, as WOFF2 in ``_static/fonts``: those of the strings in the kept rules (an
icon is ``--fa: "\\f015"``, a math glyph ``content: "R"``) and those of the
pages' text.

chemiscope's bundle is not read for words: it draws its widgets in a shadow
root with its own styles, which the page's rules do not reach.

The browser suite reads ``site.css`` and the original stylesheets (they stay in
``_static``) with the browser's own CSS parser: the rules kept are the
originals', in their order, and no selector left out matches any element of any
page (``browser_tests/test_stylesheet.py``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import tinycss2
from sphinx.errors import ExtensionError

_THIS_FILE = Path(__file__)  # a change to it cuts the fonts again
BUNDLE = "_static/site.css"
FONTS = "_static/fonts"
#: at-rules whose block holds style rules, which are purged one by one
_GROUPING = {"media", "supports", "container", "layer"}
#: scripts read for no words (see the module's docstring)
_UNREAD_SCRIPTS = {"chemiscope.min.js"}
_FONT_FILES = (".woff2", ".woff", ".ttf", ".otf")
_WORD = re.compile(r"[A-Za-z0-9_-]+")
_HEAD = re.compile(r"<head>.*?</head>", re.DOTALL)
_STYLESHEET = re.compile(r'[ \t]*<link\b[^>]*\brel="stylesheet"[^>]*>\n?')
_HREF = re.compile(r'\bhref="([^"?#]*)[^"]*"')
_HEX_OR_SPACE = set("0123456789abcdefABCDEF \t\n\r\f")
_SOURCES_NOTE = re.compile(r"/\* site\.css, from: ([^*]*) \*/")


# ---- what the pages use ---------------------------------------------------------
class _PageParser(HTMLParser):
    """Collects the element names, classes and ids of a page, the words of its
    inline scripts, and the characters of its text."""

    def __init__(self, names: set[str], characters: set[str]):
        super().__init__(convert_charrefs=True)
        self.names, self.characters = names, characters
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.names.add(tag)
        for name, value in attrs:
            if name == "class" and value:
                self.names.update(value.split())
            elif name == "id" and value:
                self.names.add(value)
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.names.update(_WORD.findall(data))
        else:
            self.characters.update(data)


def site_usage(pages, scripts) -> tuple[set[str], set[str]]:
    """The names a selector may need (from the pages' HTML and the script
    files), and the characters of the pages' text."""
    names: set[str] = set()
    characters: set[str] = set()
    for page in pages:
        parser = _PageParser(names, characters)
        parser.feed(page)
        parser.close()
    for script in scripts:
        names.update(_WORD.findall(Path(script).read_text(encoding="utf-8")))
    return names | {name.lower() for name in names}, characters


# ---- purging --------------------------------------------------------------------
def _selectors(prelude):
    """A selector list's selectors, each a list of tokens without outer spaces."""
    selectors, current = [], []
    for token in [*prelude, None]:
        if token is None or (token.type == "literal" and token.value == ","):
            while current and current[0].type in ("whitespace", "comment"):
                current.pop(0)
            while current and current[-1].type in ("whitespace", "comment"):
                current.pop()
            if current:
                selectors.append(current)
            current = []
        else:
            current.append(token)
    return selectors


def may_match(selector, names: set[str]) -> bool:
    """False when the selector needs a class, id or element not in ``names``."""
    after = None  # the punctuation just before the token: ".", ":", ">", ...
    for token in selector:
        if token.type == "ident" and after == ".":
            if token.value not in names:
                return False
        elif token.type == "ident" and after not in (":", "|"):  # an element
            if token.lower_value not in names:
                return False
        elif token.type == "hash" and token.value not in names:
            return False
        after = token.value if token.type == "literal" else None
    return True


def purge(rules, names: set[str], origin: str) -> list:
    """The rules that may apply, with the selectors that may match (``origin``
    names the stylesheet in errors)."""
    kept = []
    for rule in rules:
        if rule.type in ("whitespace", "comment"):
            continue
        if rule.type == "error":
            raise ExtensionError(f"{origin}: cannot parse CSS: {rule.message}")
        if rule.type == "qualified-rule":
            selectors = [s for s in _selectors(rule.prelude) if may_match(s, names)]
            if selectors:
                rule.prelude = tinycss2.parse_component_value_list(
                    ",".join(tinycss2.serialize(s) for s in selectors)
                )
                kept.append(rule)
        elif rule.lower_at_keyword == "charset":
            continue
        elif rule.lower_at_keyword == "import":
            raise ExtensionError(f"{origin}: @import must come first, and alone")
        elif rule.lower_at_keyword in _GROUPING and rule.content is not None:
            inner = purge(tinycss2.parse_rule_list(rule.content), names, origin)
            if inner:
                rule.content = inner
                kept.append(rule)
        else:
            kept.append(rule)
    return kept


# ---- files and URLs -------------------------------------------------------------
def _is_relative(url: str) -> bool:
    return not re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", url, re.IGNORECASE)


def _walk(tokens):
    """Every node of ``tokens``, at any depth, each with the next one at its level
    (spaces and comments aside)."""
    tokens = [t for t in tokens if t.type not in ("whitespace", "comment")]
    for index, token in enumerate(tokens):
        yield token, tokens[index + 1] if index + 1 < len(tokens) else None
        for attribute in ("prelude", "content", "arguments"):
            children = getattr(token, attribute, None)
            if isinstance(children, list):
                yield from _walk(children)


def _urls(tokens):
    """The ``url()`` tokens in ``tokens``, at any depth, each with the token after
    it (a ``format()`` hint, maybe)."""
    for token, following in _walk(tokens):
        if token.type == "url" or (
            token.type == "function" and token.lower_name == "url"
        ):
            yield token, following


def _url_value(token):
    if token.type == "url":
        return token.value
    strings = [a for a in token.arguments if a.type == "string"]
    return strings[0].value if strings else None


def _set_url(token, url: str):
    if token.type == "url":
        token.value = url
        token.representation = f"url({tinycss2.serializer.serialize_url(url)})"
    else:
        for argument in token.arguments:
            if argument.type == "string":
                _set_string(argument, url)


def _set_string(token, value: str):
    token.value = value
    token.representation = f'"{tinycss2.serializer.serialize_string_value(value)}"'


def _load(outdir: Path, source: str) -> list:
    """The rules of ``source`` (a path in ``outdir``), each with the file it comes
    from, its imports inlined and its URLs relative to the bundle."""
    path = outdir / source
    if not path.is_file():
        raise ExtensionError(f"a page links the stylesheet {source}, not in the build")
    rules = tinycss2.parse_stylesheet(
        path.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True
    )
    folder = posixpath.dirname(source)
    loaded = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            parts = [t for t in rule.prelude if t.type not in ("whitespace", "comment")]
            if len(parts) != 1 or parts[0].type not in ("string", "url"):
                raise ExtensionError(f"{source}: only a plain @import is supported")
            target = posixpath.normpath(posixpath.join(folder, parts[0].value))
            loaded.extend(_load(outdir, target))
            continue
        for token, _ in _urls([rule]):
            url = _url_value(token)
            if url is not None and _is_relative(url):
                target = posixpath.normpath(posixpath.join(folder, url))
                _set_url(token, posixpath.relpath(target, posixpath.dirname(BUNDLE)))
        loaded.append((source, rule))
    return loaded


# ---- fonts ----------------------------------------------------------------------
def _strings(tokens):
    return (token.value for token, _ in _walk(tokens) if token.type == "string")


def subset_font(source: Path, characters: set[str]) -> bytes:
    """``source`` as WOFF2, keeping only the glyphs of ``characters``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # tables it drops
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(source, recalcTimestamp=False)  # the same bytes every build
    font.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    drawn = set(font.getBestCmap())
    # a font with none of them keeps one: browsers reject an empty character map
    kept = drawn.intersection(map(ord, characters)) or {min(drawn)}
    subsetter.populate(unicodes=sorted(kept))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cut_fonts(outdir: Path, rules: list, characters: set[str]):
    """Point every ``@font-face`` of ``rules`` at its font cut to ``characters``,
    written to ``FONTS`` (a cut of the same font, characters and code is not
    redone)."""
    digest = hashlib.sha256(
        "".join(sorted(characters)).encode() + _THIS_FILE.read_bytes()
    ).digest()
    bundle_dir = posixpath.dirname(BUNDLE)
    written = set()
    for rule in rules:
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face":
            continue
        for token, following in _urls([rule]):
            url = _url_value(token)
            if url is None or not _is_relative(url) or not url.endswith(_FONT_FILES):
                continue
            source = outdir / posixpath.normpath(posixpath.join(bundle_dir, url))
            if not source.is_file():
                raise ExtensionError(f"the font {url} of {BUNDLE} is not in the build")
            key = hashlib.sha256(source.read_bytes() + digest).hexdigest()
            name = f"{source.stem}.{key[:10]}.woff2"
            target = outdir / FONTS / name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(subset_font(source, characters))
            written.add(name)
            _set_url(token, posixpath.relpath(f"{FONTS}/{name}", bundle_dir))
            if following is not None and following.type == "function":
                if following.lower_name == "format":
                    for argument in following.arguments:
                        if argument.type == "string":
                            _set_string(argument, "woff2")
    for old in (outdir / FONTS).glob("*.woff2"):
        if old.name not in written:  # a cut of an earlier build
            old.unlink()


def _ascii(css: str) -> str:
    """``css`` with every character beyond ASCII written as a CSS escape (as the
    sources had them: tinycss2 unescapes strings), so that no reader's browser
    can decode it wrongly."""

    def escaped(match):
        following = css[match.end() : match.end() + 1]
        space = " " if following and following in _HEX_OR_SPACE else ""
        return f"\\{ord(match.group()):x}{space}"

    return re.sub(r"[^\x00-\x7f]", escaped, css)


# ---- the build step -------------------------------------------------------------
def _linked_stylesheets(page: Path, outdir: Path, text: str) -> list[str]:
    """The stylesheets linked in the page's head, as paths in ``outdir``."""
    head = _HEAD.search(text)
    links = _STYLESHEET.findall(head.group(0)) if head else []
    folder = page.parent.relative_to(outdir).as_posix()
    return [
        posixpath.normpath(posixpath.join(folder, _HREF.search(link).group(1)))
        for link in links
    ]


def _sources(outdir: Path, texts: dict) -> list[str]:
    """The stylesheets to bundle: those that the pages written by this build
    link, or, when there are none (only a static file changed), the last
    bundle's."""
    sources = first = None
    for page, text in texts.items():
        linked = _linked_stylesheets(page, outdir, text)
        if linked in ([], [BUNDLE]):
            continue
        if sources is None:
            sources, first = linked, page
        elif linked != sources:
            raise ExtensionError(
                f"{page.relative_to(outdir)} links the stylesheets {linked}, but "
                f"{first.relative_to(outdir)} links {sources}: one site.css "
                "cannot serve both"
            )
    if sources is None:
        note = _SOURCES_NOTE.match((outdir / BUNDLE).read_text(encoding="utf-8"))
        sources = note.group(1).split()
    return sources


def _link_bundle(page: Path, outdir: Path, text: str, version: str):
    head = _HEAD.search(text)
    if head is None:
        return
    href = posixpath.relpath(BUNDLE, page.parent.relative_to(outdir).as_posix())
    link = f'    <link rel="stylesheet" type="text/css" href="{href}?v={version}" />\n'
    links = iter([link])  # the first stylesheet becomes the bundle, the others go
    new_head = _STYLESHEET.sub(lambda match: next(links, ""), head.group(0))
    if new_head != head.group(0):
        text = text[: head.start()] + new_head + text[head.end() :]
        page.write_text(text, encoding="utf-8")


def _inputs_key(outdir: Path, texts: dict, scripts: list, sources: list) -> str:
    """A hash of everything the bundle is made from: the pages (whichever
    stylesheets they link), the stylesheets, the scripts and this extension."""
    digest = hashlib.sha256(_THIS_FILE.read_bytes())
    digest.update(" ".join(sources).encode())
    stylesheets = sorted(
        p for p in (outdir / "_static").rglob("*.css") if p != outdir / BUNDLE
    )
    for path in sorted(texts):
        page = _STYLESHEET.sub("", texts[path])
        digest.update(f"{path.relative_to(outdir)}\0{page}\0".encode())
    for path in [*scripts, *stylesheets]:
        digest.update(f"{path.relative_to(outdir)}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def _write_bundle(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = sorted(p for p in outdir.rglob("*.html") if "_static" not in p.parts)
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    sources = _sources(outdir, texts)
    scripts = sorted(
        s for s in (outdir / "_static").rglob("*.js") if s.name not in _UNREAD_SCRIPTS
    )
    # the bundle is made again only when what it is made from changed; the
    # pages that this build wrote link it in any case
    stamp = Path(app.doctreedir) / "site_stylesheet.key"
    key = _inputs_key(outdir, texts, scripts, sources)
    last = stamp.read_text().split() if stamp.is_file() else []
    if (outdir / BUNDLE).is_file() and last[:1] == [key]:
        version = last[1]
    else:
        version = _make_bundle(outdir, texts, scripts, sources)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(f"{key} {version}")
    for page, text in texts.items():
        _link_bundle(page, outdir, text, version)


def _make_bundle(outdir: Path, texts: dict, scripts: list, sources: list) -> str:
    """Write the bundle and its cut fonts; return its version (a hash)."""
    names, characters = site_usage(texts.values(), scripts)
    rules = []
    for source in sources:
        for origin, rule in _load(outdir, source):
            rules.extend(purge([rule], names, origin))
    _cut_fonts(outdir, rules, characters | set("".join(_strings(rules))))

    css = _ascii(
        "\n".join(
            [f"/* site.css, from: {' '.join(sources)} */"]
            + [rule.serialize() for rule in rules]
        )
    )
    (outdir / BUNDLE).write_text(css + "\n", encoding="utf-8")
    return hashlib.sha256(css.encode()).hexdigest()[:8]


def setup(app):
    # late: pydata-sphinx-theme rewrites pygments.css when the build finishes
    app.connect("build-finished", _write_bundle, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
