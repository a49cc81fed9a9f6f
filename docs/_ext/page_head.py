"""What each page gets beyond the theme's, in its ``<head>`` and its body.

- A ``<meta name="description">``, from the page's opening paragraph.
  Search engines and link previews show it; Lighthouse's SEO audit asks for it.
  The first paragraph of body text is used (admonitions, sidebars and hidden
  text are skipped), cut at a word boundary to about 160 characters. Pages
  without one (the index of names, the search page, highlighted sources) get a
  sentence naming the page and the site.
- Scripts that do not block the first paint. Sphinx and its extensions load
  theirs synchronously in ``<head>``; none of them writes into the page as it
  is parsed, so each file is deferred, and each inline script, which may use
  them, becomes an inline module: deferred too, in the same order (but on the
  search page, whose own search scripts need them at once). The
  theme's search-as-you-type scripts (``searchtools.js``, ``language_data.js``
  and the 45 kB ``searchindex.js``) are dropped from every page but the search
  page while that option is off, as it is here: the search box then just
  opens the search page. (``docs/_templates/layout.html`` applies the filter.)
- On pages with an "On this page" sidebar, the article's final width from the
  start. The sidebar comes after the article in the HTML, so the browser may
  paint the article once at full width before it has parsed the sidebar, and
  then narrow it: every line would move (a layout shift).
- The sizes of figures and thumbnails, as ``width`` and ``height`` on their
  ``<img>`` tags (sphinx-gallery writes none): the browser then keeps their
  space while they load, and nothing below them moves (``custom.css`` keeps
  them scaled). And
  ``loading="lazy"``: a figure further down the page is fetched as the reader
  nears it, not while the phone is still busy with the page's first screen.
- Code without the highlighting spans that style nothing. Pygments wraps every
  token in a span; names, punctuation and spaces are drawn in the text colour
  of the light and the dark style alike, so their spans only cost the phone
  time (half the elements of a chapter with much code). Their text stays, and
  spans inside links stay too.
"""

import html
import re
from pathlib import Path

from docutils import nodes

MAX_LENGTH = 160
#: pages that Sphinx makes without a document, and what they are
_GENERATED = {
    "genindex": "The index of every function, class and module documented",
    "search": "Search the chapters and the API reference",
    "py-modindex": "The modules of the helper package",
}
_SKIP = (nodes.Admonition, nodes.sidebar, nodes.topic, nodes.comment, nodes.raw)


def _opening_paragraph(doctree):
    for paragraph in doctree.findall(nodes.paragraph):
        if any(isinstance(parent, _SKIP) for parent in _ancestors(paragraph)):
            continue
        if "visually-hidden" in paragraph.get("classes", []):
            continue
        text = re.sub(r"\s+", " ", paragraph.astext()).strip()
        if len(text) > 40:
            return text
    return None


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def describe(text: str) -> str:
    """``text`` cut at a word boundary to at most MAX_LENGTH characters."""
    if len(text) <= MAX_LENGTH:
        return text
    cut = text[: MAX_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _add_description(app, pagename, templatename, context, doctree):
    text = _opening_paragraph(doctree) if doctree is not None else None
    if text is None:
        title = _GENERATED.get(pagename)
        if title is None:
            title = html.unescape(re.sub(r"<[^>]+>", "", context.get("title") or ""))
            title = title or pagename
        text = f"{title}: a page of {app.config.project}."
    description = html.escape(describe(text), quote=True)
    context["metatags"] = (
        context.get("metatags", "")
        + f'\n    <meta name="description" content="{description}" />'
    )


#: pydata-sphinx-theme shows the "On this page" sidebar, 17rem wide, from 1200 px
_RESERVE_SECONDARY_SIDEBAR = (
    "<style>@media (min-width: 1200px) { "
    ".bd-page-width .bd-main .bd-content { justify-content: flex-start; } "
    ".bd-page-width .bd-main .bd-content .bd-article-container "
    "{ max-width: min(60em, calc(100% - var(--pst-sidebar-secondary))); } }</style>"
)


def _reserve_secondary_sidebar(app, pagename, templatename, context, doctree):
    # the sidebar lists the page's sections: a page with subsections has one
    if doctree is not None and len(list(doctree.findall(nodes.section))) > 1:
        context["metatags"] = (
            context.get("metatags", "") + "\n    " + (_RESERVE_SECONDARY_SIDEBAR)
        )


def _deferred(script):
    attributes = dict(script.attributes)
    if {"defer", "async"} & set(attributes) or attributes.get("type") == "module":
        return script
    if script.filename:
        attributes["defer"] = "defer"
    else:  # an inline script: deferred as a module, after the files before it
        attributes["type"] = "module"
    return type(script)(script.filename, priority=script.priority, **attributes)


def _defer_scripts(app, pagename, templatename, context, doctree):
    if pagename == "search":  # its searchtools.js needs doctools.js at once
        return
    # in place: the list is the builder's, which the theme's handlers fill too
    context["script_files"][:] = [_deferred(s) for s in context["script_files"]]


_SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:searchtools|language_data|searchindex)\.js"></script>'
)


def drop_search_scripts(head: str) -> str:
    """``head`` without the theme's search-as-you-type scripts."""
    return _SEARCH_SCRIPTS.sub("", str(head))


def _add_template_filter(app):
    if hasattr(app.builder, "templates"):
        app.builder.templates.environment.filters["drop_search_scripts"] = (
            drop_search_scripts
        )


_IMAGE = re.compile(r'<img (?![^>]*\bwidth=)([^>]*?\bsrc="[^"]*_images/([^"/?]+)")')


def _size_images(app, pagename, templatename, context, doctree):
    from PIL import Image

    if "body" not in context:
        return
    if not hasattr(app, "_figure_files"):
        # the figures and thumbnails sphinx-gallery made, by their name in _images/
        gallery = Path(app.srcdir) / "auto_examples" / "images"
        app._figure_files = {path.name: path for path in gallery.rglob("*.png")}

    def with_size(match):
        source = app._figure_files.get(match.group(2))
        if source is None:
            return match.group(0)
        with Image.open(source) as image:
            width, height = image.size
        return f'<img width="{width}" height="{height}" loading="lazy" {match.group(1)}'

    context["body"] = _IMAGE.sub(with_size, context["body"])


def plain_token_classes(*styles) -> set[str]:
    """The CSS classes of the Pygments tokens that every one of ``styles`` draws
    exactly as plain text (a token without a colour takes the text's)."""
    from pygments.styles import get_style_by_name
    from pygments.token import STANDARD_TYPES, Text

    plain = set(STANDARD_TYPES)
    for name in styles:
        style = get_style_by_name(name)
        text = style.style_for_token(Text)
        for token in STANDARD_TYPES:
            drawn = style.style_for_token(token)
            if {**drawn, "color": drawn["color"] or text["color"]} != text:
                plain.discard(token)
    return {STANDARD_TYPES[token] for token in plain} - {""}


_PRE = re.compile(r"<pre\b[^>]*>.*?</pre>", re.DOTALL)


def _unwrap_plain_tokens(app, pagename, templatename, context, doctree):
    if "body" not in context:
        return
    if not hasattr(app, "_plain_token"):
        options = app.builder.theme.get_options(app.config.html_theme_options)
        styles = [options.get(f"pygments_{mode}_style") for mode in ("light", "dark")]
        # names, punctuation and spaces, the most frequent: no other stylesheet
        # styles these three (basic.css does style .gp, prompts, for instance)
        classes = "|".join(sorted({"n", "p", "w"} & plain_token_classes(*styles)))
        app._plain_token = re.compile(rf'<span class="(?:{classes})">([^<]*)</span>')

    def unwrapped(block):
        code = block.group(0)

        def plain(span):
            # in a link (sphinx-gallery links names to their documentation) a
            # span keeps the text colour: the link's is another
            start = span.start()
            if code.rfind("<a ", 0, start) > code.rfind("</a>", 0, start):
                return span.group(0)
            return span.group(1)

        return app._plain_token.sub(plain, code)

    context["body"] = _PRE.sub(unwrapped, context["body"])


def setup(app):
    app.connect("builder-inited", _add_template_filter)
    app.connect("html-page-context", _add_description)
    app.connect("html-page-context", _reserve_secondary_sidebar)
    app.connect("html-page-context", _size_images)
    app.connect("html-page-context", _unwrap_plain_tokens)
    # after every other handler, so that the scripts they add are deferred too
    app.connect("html-page-context", _defer_scripts, priority=1000)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
