"""What each page's ``<head>`` gets beyond the theme's.

- A ``<meta name="description">``, from the page's opening paragraph.
  Search engines and link previews show it; Lighthouse's SEO audit asks for it.
  The first paragraph of body text is used (admonitions, sidebars and hidden
  text are skipped), cut at a word boundary to about 160 characters. Pages
  without one (the index of names, the search page, highlighted sources) get a
  sentence naming the page and the site.
- On pages with an "On this page" sidebar, the article's final width from the
  start. The sidebar comes after the article in the HTML, so the browser may
  paint the article once at full width before it has parsed the sidebar, and
  then narrow it: every line would move (a layout shift).
"""

import html
import re

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


def setup(app):
    app.connect("html-page-context", _add_description)
    app.connect("html-page-context", _reserve_secondary_sidebar)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
