"""On pages with an "On this page" sidebar, the article's final width from the
first paint.

The sidebar comes after the article in the HTML, so the browser may paint the
article once at full width before it has parsed the sidebar, and then narrow
it: every line would move (a layout shift). A style in the head gives the
article its final width from the start.

The chapters have no such sidebar (``secondary_sidebar_items`` in ``conf.py``):
their widgets and code take the page's full content width, so that 88 columns
of code fit beside the navigation at 1400 px. Their article is as wide from the
first paint as at the end, and needs no style.
"""

#: pydata-sphinx-theme shows the "On this page" sidebar, 17rem wide, from 1200 px
_RESERVE_SECONDARY_SIDEBAR = (
    "<style>@media (min-width: 1200px) { "
    ".bd-page-width .bd-main .bd-content { justify-content: flex-start; } "
    ".bd-page-width .bd-main .bd-content .bd-article-container "
    "{ max-width: min(60em, calc(100% - var(--pst-sidebar-secondary))); } }</style>"
)


def shows_secondary_sidebar(context) -> bool:
    """Whether the theme draws the "On this page" sidebar on the page of
    ``context``: it has items that render to something (the theme drops those
    that render empty, such as the table of contents of a page without
    sections), and the page's metadata does not remove it."""
    meta = context.get("meta") or {}
    return bool(context.get("secondary_sidebar_items")) and (
        "html_theme.sidebar_secondary.remove" not in meta
    )


def _reserve_secondary_sidebar(app, pagename, templatename, context, doctree):
    if shows_secondary_sidebar(context):
        context["metatags"] = (
            context.get("metatags", "") + "\n    " + (_RESERVE_SECONDARY_SIDEBAR)
        )


def setup(app):
    # after the theme's handler, which chooses the page's sidebar items
    app.connect("html-page-context", _reserve_secondary_sidebar, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
