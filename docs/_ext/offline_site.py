"""Make the built site self-contained: no request leaves it, and the pages work
when opened from ``file://`` as well as over HTTP.

- chemiscope widgets: the stock template loads ``pako`` from a CDN and fetches
  the dataset over the network. We keep ``chemiscope.sphinx`` and its scraper
  (configured to write plain JSON, so ``pako`` is never needed), drop the CDN
  tag, and embed each dataset in the page, where a small script of ours reads it.
- MathJax is served from ``_static`` (copied from the ``django-static-mathjax``
  wheel, which packages MathJax 3 on PyPI).
- intersphinx inventories are built from small text files kept in the
  repository (``docs/_inventories``), since the build has no network.
- Widget ids come from the page and the widget's place in it, not from
  chemiscope's random uuid, so that two builds give the same bytes.

What this relies on in chemiscope.sphinx beyond its documented use (the
directive, the scraper), each pinned by ``tests/test_upstream_contracts.py``:

- ``visit_chemiscope_html`` (exported by ``chemiscope.sphinx``) appends the
  widget's HTML to ``self.body``: we post-process that HTML rather than write
  our own, so that chemiscope's loader and markup stay chemiscope's.
- That HTML loads external scripts only with ``<script src="https://...">``
  tags, loads ``chemiscope-sphinx.js`` with a plain script tag (in the first
  widget of a page only), names the
  widget ``chsp-<uuid>``, and writes some ``<div .../>`` as self-closing, which
  HTML does not allow.
- ``chemiscope-sphinx.js`` defines the globals ``fetchDataset(path)`` and
  ``loadChemiscopeSphinx(divId, ...)``, which ``_static/chemiscope-site.js``
  wraps; no option exists to give the loader a dataset or a base URL.
- ``ChemiscopeScraper().iterator.extension`` selects the dataset format; set
  to ``.json`` the scraper writes plain JSON, which needs no ``pako``.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import zlib
from pathlib import Path

from chemiscope.sphinx import chemiscope as chemiscope_node
from chemiscope.sphinx import depart_chemiscope_html, visit_chemiscope_html

MATHJAX_FILE = "tex-svg-full.js"
SITE_SCRIPT = "chemiscope-site.js"

_CDN_SCRIPT = re.compile(r'<script src="https://[^"]*"></script>\n?')
_SELF_CLOSING_DIV = re.compile(r"<div ([^>]*?)\s*/>")
_WIDGET_ID = re.compile(
    r"chsp-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)


def vendor_mathjax(vendor_dir: Path) -> str:
    """Copy MathJax into ``vendor_dir/vendor/mathjax``; return its path in _static."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "MathJax is missing: install the docs dependencies (`pip install .[docs]`)"
        )
    package = Path(next(iter(spec.submodule_search_locations)))
    source = package / "static" / "mathjax" / "es5" / MATHJAX_FILE
    target = vendor_dir / "vendor" / "mathjax" / MATHJAX_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        shutil.copyfile(source, target)
    return f"vendor/mathjax/{MATHJAX_FILE}"


def build_inventories(text_dir: Path, out_dir: Path) -> dict[str, Path]:
    """Compile ``name domain:role priority uri dispname`` text files into
    Sphinx ``objects.inv`` files (format version 2)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    inventories = {}
    for text in sorted(text_dir.glob("*.txt")):
        lines = [
            line
            for line in text.read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
        header = (
            "# Sphinx inventory version 2\n"
            f"# Project: {text.stem}\n# Version: \n"
            "# The remainder of this file is compressed using zlib.\n"
        )
        body = zlib.compress(("\n".join(lines) + "\n").encode())
        target = out_dir / f"{text.stem}.inv"
        target.write_bytes(header.encode() + body)
        inventories[text.stem] = target
    return inventories


def offline_widget_html(widget: str, static: str, widget_id: str) -> str:
    """chemiscope.sphinx's widget HTML without CDN tags, with our site script
    after chemiscope's loader, valid ``<div>`` tags, and the id ``widget_id``."""
    widget = _CDN_SCRIPT.sub("", widget)
    loader = f'<script src="{static}/chemiscope-sphinx.js"></script>'
    # only a page's first widget loads the scripts (chemiscope's include_headers)
    if "chemiscope-sphinx.js" in widget and loader not in widget:
        raise RuntimeError(
            f"chemiscope.sphinx no longer loads {loader} in its widget HTML: "
            "_static/chemiscope-site.js cannot adapt it (see offline_site.py)"
        )
    widget = widget.replace(
        loader, f'{loader}\n<script src="{static}/{SITE_SCRIPT}"></script>'
    )
    ids = set(_WIDGET_ID.findall(widget))
    if len(ids) != 1:
        raise RuntimeError(
            f"expected one chsp-<uuid> widget id in chemiscope.sphinx's HTML, "
            f"found {sorted(ids)}: the widget ids would not be reproducible"
        )
    widget = widget.replace(ids.pop(), widget_id)
    return _SELF_CLOSING_DIV.sub(r"<div \1></div>", widget)


def _visit_chemiscope(self, node):
    start = len(self.body)
    visit_chemiscope_html(self, node)
    widget = "".join(self.body[start:])
    del self.body[start:]

    docname = self.builder.current_docname
    static = Path(*[".."] * docname.count("/"), "_static").as_posix()
    # the page and the widget's position in it: the same in every build
    page_id = re.sub(r"[^A-Za-z0-9_-]", "-", docname)
    widget = offline_widget_html(widget, static, f"chsp-{page_id}-{start}")

    html_dir = Path(self.builder.get_outfilename(self.builder.current_docname)).parent
    text = (html_dir / node["filepath"]).read_text()
    # "</" cannot appear inside <script>: JSON allows the escaped form "<\\/"
    safe_text = text.replace("</", "<\\/")
    embedded = (
        '<script type="application/json" data-chemiscope-dataset='
        f'"{html.escape(node["filepath"])}">{safe_text}</script>\n'
    )
    # a name and a description for screen readers, from the dataset's metadata
    meta = json.loads(text).get("meta", {})
    label = "Interactive chemiscope viewer: " + (meta.get("name") or "structures")
    description_id = f"chemiscope-description-{page_id}-{start}"
    description = html.escape(meta.get("description") or "")
    self.body.append(
        '<div class="chemiscope-embed" role="region" '
        f'aria-label="{html.escape(label)}" aria-describedby="{description_id}">\n'
        f'<p class="visually-hidden" id="{description_id}">{description}</p>\n'
        f"{embedded}{widget}\n</div>\n"
    )


def setup(app):
    app.setup_extension("chemiscope.sphinx")
    app.add_node(
        chemiscope_node,
        override=True,
        html=(_visit_chemiscope, depart_chemiscope_html),
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
