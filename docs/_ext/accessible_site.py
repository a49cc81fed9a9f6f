"""Fixes for accessibility problems that axe-core finds in the stock output.

- Sphinx writes citations as ``role="doc-biblioentry"`` items inside a
  ``role="list"`` container; axe (like assistive technology following ARIA 1.2,
  where doc-biblioentry is deprecated) expects list items: make them
  ``role="listitem"``.
- The styles in ``_static/custom.css`` keep gallery link text readable by screen
  readers and give the "[docs]" links of source pages enough contrast; the
  script ``_static/chemiscope-site.js`` names chemiscope's icon-only controls.
"""

from pathlib import Path

_OLD, _NEW = 'role="doc-biblioentry"', 'role="listitem"'


def _fix_citation_roles(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if _OLD in text:
            page.write_text(text.replace(_OLD, _NEW), encoding="utf-8")


def setup(app):
    app.connect("build-finished", _fix_citation_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
