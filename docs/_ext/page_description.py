"""A ``<meta name="description">`` on every page, from its opening paragraph.

Search engines and link previews show it; Lighthouse's SEO audit asks for it.
The first paragraph of body text is used (admonitions, sidebars and hidden
text are skipped), cut at a word boundary to about 160 characters. Pages
without one (the index of names, the search page, highlighted sources) get a
sentence naming the page and the site.
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


def setup(app):
    app.connect("html-page-context", _add_description)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
