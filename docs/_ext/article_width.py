"""On pages with an "On this page" sidebar, the article's final width from the
first paint.

The sidebar comes after the article in the HTML, so the browser may paint the
article once at full width before it has parsed the sidebar, and then narrow
it: every line would move (a layout shift). A style in the head gives the
article its final width from the start.
"""

from docutils import nodes

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
    app.connect("html-page-context", _reserve_secondary_sidebar)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
