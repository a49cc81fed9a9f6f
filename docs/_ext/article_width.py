"""The article's width, and the page's contents where the sidebar is gone.

On pages with an "On this page" sidebar, the article's final width from the
first paint. The sidebar comes after the article in the HTML, so the browser
may paint the article once at full width before it has parsed the sidebar, and
then narrow it: every line would move (a layout shift). A style in the head
gives the article its final width from the start.

The chapters have no such sidebar (``secondary_sidebar_items`` in ``conf.py``):
their widgets and code take the page's full content width, so that 88 columns
of code fit beside the navigation at 1400 px. Their article is as wide from the
first paint as at the end, and needs no style. Their contents come instead at
the top of the article, under the title and reading time, folded (a closed
``<details>`` "On this page" with the page's sections and subsections, from
Sphinx's table of contents of the page): one line, as wide as the text, so that
it narrows nothing and a 12-screen chapter stays one.

A page whose "Section Navigation" (the primary sidebar's list of the pages under
its top-level section) would be empty, such as the API reference, a top-level
page with no pages under it, gets no primary sidebar: the theme leaves an empty
heading there otherwise.
"""

import re

#: pydata-sphinx-theme shows the "On this page" sidebar, 17rem wide, from 1200 px
_RESERVE_SECONDARY_SIDEBAR = (
    "<style>@media (min-width: 1200px) { "
    ".bd-page-width .bd-main .bd-content { justify-content: flex-start; } "
    ".bd-page-width .bd-main .bd-content .bd-article-container "
    "{ max-width: min(60em, calc(100% - var(--pst-sidebar-secondary))); } }</style>"
)
#: the page's own entry in Sphinx's local table of contents, around its sections
_PAGE_ENTRY = re.compile(
    r"^\s*<ul>\s*<li><a[^>]*>.*?</a>\s*(<ul>.*</ul>)\s*</li>\s*</ul>\s*$", re.DOTALL
)
#: where the folded contents go: after the reading time, or else after the title
_AFTER_READING_TIME = re.compile(r'<p class="reading-time">.*?</p>\n?', re.DOTALL)
_AFTER_TITLE = re.compile(r"</h1>\n?")
_SECTION_NAVIGATION = ("sidebar-nav-bs.html", "sidebar-collapse.html")


def shows_secondary_sidebar(context) -> bool:
    """Whether the theme draws the "On this page" sidebar on the page of
    ``context``: it has items that render to something (the theme drops those
    that render empty, such as the table of contents of a page without
    sections), and the page's metadata does not remove it."""
    meta = context.get("meta") or {}
    return bool(context.get("secondary_sidebar_items")) and (
        "html_theme.sidebar_secondary.remove" not in meta
    )


def folded_contents(toc: str) -> str:
    """The folded "On this page" block for a page whose local table of contents
    (Sphinx's ``toc``) is ``toc``; empty when the page has no sections."""
    sections = _PAGE_ENTRY.match(toc or "")
    if sections is None:
        return ""
    return (
        '<nav class="page-contents" aria-label="On this page">'
        "<details><summary>On this page</summary>\n"
        f"{sections.group(1)}\n</details></nav>\n"
    )


def with_contents(body: str, contents: str) -> str:
    """``body`` with ``contents`` after its reading time, or else its title."""
    for place in (_AFTER_READING_TIME, _AFTER_TITLE):
        found = place.search(body)
        if found:
            return body[: found.end()] + contents + body[found.end() :]
    return contents + body


def _reserve_secondary_sidebar(app, pagename, templatename, context, doctree):
    if shows_secondary_sidebar(context):
        context["metatags"] = (
            context.get("metatags", "") + "\n    " + (_RESERVE_SECONDARY_SIDEBAR)
        )
    elif doctree is not None and "body" in context:
        contents = folded_contents(context.get("toc", ""))
        if contents:
            context["body"] = with_contents(context["body"], contents)


def _no_empty_section_navigation(app, pagename, templatename, context, doctree):
    sidebars = context.get("sidebars") or []
    suppressed = context.get("suppress_sidebar_toctree")
    generate = context.get("generate_toctree_html")
    if None in (suppressed, generate) or "sidebar-nav-bs.html" not in sidebars:
        return
    includehidden = str(context.get("theme_sidebar_includehidden")).lower() != "false"
    if suppressed(includehidden=includehidden):
        return  # no ancestor to list the pages of: the theme drops it itself
    navigation = str(
        generate(
            "sidebar",
            show_nav_level=int(context.get("theme_show_nav_level", 1)),
            maxdepth=int(context.get("theme_navigation_depth", 4)),
            collapse=str(context.get("theme_collapse_navigation")).lower() == "true",
            includehidden=includehidden,
            titles_only=True,
        )
    )
    if "<li" not in navigation:
        context["sidebars"] = [s for s in sidebars if s not in _SECTION_NAVIGATION]


def setup(app):
    # after the theme's handlers, which choose the page's sidebar items
    app.connect("html-page-context", _reserve_secondary_sidebar, priority=600)
    app.connect("html-page-context", _no_empty_section_navigation, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
