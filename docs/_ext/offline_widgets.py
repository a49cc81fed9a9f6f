"""Make the built site self-contained: no request leaves it, and the pages work
when opened from ``file://`` as well as over HTTP.

- chemiscope widgets: the stock template loads ``pako`` from a CDN and fetches
  the dataset over the network. We keep ``chemiscope.sphinx`` and its scraper
  (configured to write plain JSON, so ``pako`` is never needed), drop the CDN
  tag, and write each dataset again as a small script (``<name>.js`` beside
  the JSON) that hands it to ``window.chemiscopeDatasets``. A script loads from
  ``file://`` where ``fetch`` cannot, and it loads with the widget: the page
  itself carries no dataset, so it is as light as a page without widgets.
- Widgets are lazy: the page holds a placeholder of the widget's final size;
  ``_static/chemiscope-site.js`` loads chemiscope's 3 MB bundle and draws a
  widget only when it nears the viewport or the reader asks for it.
- Math needs no script at all: ``static_math.py`` typesets it at build time.
- intersphinx inventories need no network either: see ``offline_inventories.py``.
- Widget ids come from the page and the widget's place in it, not from
  chemiscope's random uuid, so that two builds give the same bytes.

What this relies on in chemiscope.sphinx beyond its documented use (the
directive, the scraper), each pinned by ``tests/test_upstream_contracts.py``:

- ``visit_chemiscope_html`` (exported by ``chemiscope.sphinx``) appends the
  widget's HTML to ``self.body``: we post-process that HTML rather than write
  our own, so that chemiscope's loader and markup stay chemiscope's.
- That HTML loads external scripts only with ``<script src="https://...">``
  tags, loads ``chemiscope.min.js`` and ``chemiscope-sphinx.js`` with plain
  script tags (in the first widget of a page only), names the widget
  ``chsp-<uuid>``, draws it with one inline ``loadChemiscopeSphinx(...)`` call,
  and writes some ``<div .../>`` as self-closing, which HTML does not allow.
- ``chemiscope-sphinx.js`` defines the globals ``fetchDataset(path)`` and
  ``loadChemiscopeSphinx(divId, path, mode, timeout)``, which the HTML calls
  inline; ``_static/chemiscope-site.js`` makes that call itself, later, and
  replaces ``fetchDataset``: no option exists to give the loader a dataset or a
  base URL, or to defer it.
- ``ChemiscopeScraper().iterator.extension`` selects the dataset format; set
  to ``.json`` the scraper writes plain JSON, which needs no ``pako``. The
  scraper numbers datasets with ``iterator.counter`` and skips the widgets
  whose ``id()`` is in ``seen``: :class:`WidgetScraper` starts both afresh for
  each chapter.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from chemiscope.sphinx import (
    ChemiscopeScraper,
    depart_chemiscope_html,
    visit_chemiscope_html,
)
from chemiscope.sphinx import chemiscope as chemiscope_node

SITE_SCRIPT = "chemiscope-site.js"

_CDN_SCRIPT = re.compile(r'<script src="https://[^"]*"></script>\n?')
_SELF_CLOSING_DIV = re.compile(r"<div ([^>]*?)\s*/>")
_LOAD_CALL = re.compile(
    r"<script>\s*loadChemiscopeSphinx\('([^']*)', '([^']*)', '([^']*)', '([^']*)'\);"
    r"\s*</script>\n?"
)
_WIDGET_ID = re.compile(
    r"chsp-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)


class WidgetScraper(ChemiscopeScraper):
    """chemiscope's scraper, writing plain JSON, with each chapter's datasets
    numbered from 1 (``fig_<chapter>_001.json``, ...). chemiscope's own counts on
    across every chapter a process runs; sphinx-gallery runs the chapters in
    several processes, so the names, and the pages, would depend on which
    process ran which chapter. A class of its own module, as conf.py's
    scrapers must be (see figure_text.py)."""

    def __init__(self):
        super().__init__()
        self.iterator.extension = ".json"
        self._chapter = None

    def __call__(self, block, block_vars, gallery_conf):
        chapter = block_vars.get("target_file")
        if chapter != self._chapter:
            self._chapter = chapter
            self.iterator.counter = 0
            self.seen = set()  # ids of another chapter's widgets, maybe reused
        return super().__call__(block, block_vars, gallery_conf)


def offline_widget_html(widget: str, static: str, widget_id: str) -> tuple[str, dict]:
    """chemiscope.sphinx's widget HTML made offline, reproducible and lazy.

    Returns the HTML without CDN tags, without chemiscope's scripts and without
    the inline call that draws the widget, with valid ``<div>`` tags and the id
    ``widget_id``; and the arguments of that call, which ``chemiscope-site.js``
    makes itself when the widget nears the viewport (it loads the scripts then).
    """
    widget = _CDN_SCRIPT.sub("", widget)
    for script in ("chemiscope.min.js", "chemiscope-sphinx.js"):
        tag = f'<script src="{static}/{script}"></script>'
        # only a page's first widget loads the scripts (chemiscope's include_headers)
        if script in widget and tag not in widget:
            raise RuntimeError(
                f"chemiscope.sphinx no longer loads {script} with {tag} in its "
                "widget HTML: chemiscope-site.js cannot load it lazily "
                "(see offline_widgets.py)"
            )
        widget = widget.replace(tag + "\n", "").replace(tag, "")
    ids = set(_WIDGET_ID.findall(widget))
    if len(ids) != 1:
        raise RuntimeError(
            f"expected one chsp-<uuid> widget id in chemiscope.sphinx's HTML, "
            f"found {sorted(ids)}: the widget ids would not be reproducible"
        )
    widget = widget.replace(ids.pop(), widget_id)
    calls = _LOAD_CALL.findall(widget)
    if len(calls) != 1 or calls[0][0] != widget_id:
        raise RuntimeError(
            "expected one <script>loadChemiscopeSphinx('id', 'path', 'mode', "
            f"'timeout')</script> in chemiscope.sphinx's HTML, found {calls}"
        )
    widget = _LOAD_CALL.sub("", widget)
    _, path, mode, timeout = calls[0]
    arguments = {"id": widget_id, "path": path, "mode": mode, "timeout": timeout}
    return _SELF_CLOSING_DIV.sub(r"<div \1></div>", widget), arguments


def _visit_chemiscope(self, node):
    start = len(self.body)
    visit_chemiscope_html(self, node)
    widget = "".join(self.body[start:])
    del self.body[start:]

    docname = self.builder.current_docname
    static = Path(*[".."] * docname.count("/"), "_static").as_posix()
    # the page and the widget's position in it: the same in every build
    page_id = re.sub(r"[^A-Za-z0-9_-]", "-", docname)
    widget, arguments = offline_widget_html(widget, static, f"chsp-{page_id}-{start}")
    # the site script, once per page: it draws the widgets as they near the view
    if not getattr(self, "_chemiscope_site_script", False):
        self._chemiscope_site_script = True
        widget = f'<script defer src="{static}/{SITE_SCRIPT}"></script>\n' + widget

    html_dir = Path(self.builder.get_outfilename(self.builder.current_docname)).parent
    text = (html_dir / node["filepath"]).read_text()
    # JSON is JavaScript (NaN and Infinity included, which chemiscope may write)
    script = Path(node["filepath"]).with_suffix(".js").as_posix()
    (html_dir / script).write_text(
        "window.chemiscopeDatasets = window.chemiscopeDatasets || {};\n"
        f"window.chemiscopeDatasets[{json.dumps(node['filepath'])}] = {text};\n",
        encoding="utf-8",
    )
    arguments["script"] = script
    # a name and a description for screen readers, from the dataset's metadata
    meta = json.loads(text).get("meta", {})
    label = "Interactive chemiscope viewer: " + (meta.get("name") or "structures")
    description_id = f"chemiscope-description-{page_id}-{start}"
    description = html.escape(meta.get("description") or "")
    data = " ".join(
        f'data-chemiscope-{key}="{html.escape(value)}"'
        for key, value in arguments.items()
    )
    self.body.append(
        f'<div class="chemiscope-embed" role="region" {data} '
        f'aria-label="{html.escape(label)}" aria-describedby="{description_id}">\n'
        f'<p class="visually-hidden" id="{description_id}">{description}</p>\n'
        '<p class="chemiscope-placeholder">Interactive viewer: it loads when you '
        'scroll to it. <button type="button">Load it now</button></p>\n'
        f"{widget}\n</div>\n"
    )


def setup(app):
    app.setup_extension("chemiscope.sphinx")
    app.add_node(
        chemiscope_node,
        override=True,
        html=(_visit_chemiscope, depart_chemiscope_html),
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
