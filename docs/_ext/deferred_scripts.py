"""Scripts that do not block the first paint.

Sphinx and its extensions load their scripts synchronously in ``<head>``; none
of them writes into the page as it is parsed, so each file is deferred, and
each inline script, which may use them, becomes an inline module: deferred
too, in the same order (but on the search page, whose own search scripts need
them at once).

The theme's search-as-you-type scripts (``searchtools.js``, ``language_data.js``
and the 45 kB ``searchindex.js``) are dropped from every page but the search
page while that option is off, as it is here: the search box then just opens
the search page. (``docs/_templates/layout.html`` applies the filter.)
"""

import re


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


def setup(app):
    app.connect("builder-inited", _add_template_filter)
    # after every other handler, so that the scripts they add are deferred too
    app.connect("html-page-context", _defer_scripts, priority=1000)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
