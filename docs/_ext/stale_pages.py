"""The gallery's output forgets the scripts that were removed or renamed.

sphinx-gallery writes each script's page, images, notebook and zip into
``docs/auto_examples`` and never removes them: after a chapter is split or
renamed, its old page stays, Sphinx warns that no toctree includes it, its
labels clash with the new page's, and the build fails. Before sphinx-gallery
runs, this removes every output of a script that ``examples/`` no longer has,
the widgets' datasets it left in ``examples/``, and the pages and files that
earlier builds made of it in the site. After a build, it removes the widgets'
datasets that no page of the site loads any more: chemiscope names each copy
after its content, so every changed dataset leaves its old copy behind.

sphinx-gallery also runs a script again only when the script itself changed, so
after an edit of the helpers (or of the data, the locked packages, the gallery's
settings or scrapers) its pages would show what the old code drew.
:func:`forget_runs` makes it run every script again when any of
:data:`SCRIPT_INPUTS` changed since the scripts last ran.
"""

import re
from pathlib import Path

#: an output file of the script ``stem``: its page, copy, notebook, zip, records
#: (``stem.*``), its figures and thumbnail (``sphx_glr_stem_001.png``,
#: ``sphx_glr_stem_thumb.png``) and its widgets' datasets (``fig_stem_001.json``)
_OUTPUT = r"^(?:sphx_glr_|fig_)?{stem}(?:\.|_\d{{3}}(?!\d)|_thumb\.)"


def stale_outputs(gallery: Path, examples: Path, site: Path) -> list[Path]:
    """The files under ``gallery``, ``examples`` and the built ``site`` made
    from scripts that are no longer in ``examples``."""
    scripts = {path.stem for path in examples.glob("*.py")}
    pages = [*gallery.glob("*.rst"), *(site / gallery.name).glob("*.html")]
    gone = {page.stem for page in pages} - scripts - {"index"}
    if not gone:
        return []
    pattern = re.compile("|".join(_OUTPUT.format(stem=re.escape(s)) for s in gone))
    candidates = [*gallery.rglob("*"), *examples.glob("fig_*.json*"), *site.rglob("*")]
    return sorted(p for p in candidates if p.is_file() and pattern.match(p.name))


#: what a script's output depends on besides the script itself (paths from the
#: repository's root): the helpers, the data, the packages, the gallery's
#: settings and its scrapers
SCRIPT_INPUTS = (
    "src", "data", "requirements", "pyproject.toml", "docs/conf.py",
    "docs/_ext/figure_text.py", "docs/_ext/offline_widgets.py",
    "docs/_ext/alt_text.py",
)  # fmt: skip


def forget_runs(gallery: Path, key: str | None) -> int:
    """Make sphinx-gallery run every script again unless ``key`` (a hash of
    :data:`SCRIPT_INPUTS`) is the one recorded when they last ran: removes the
    md5 of each script's last run, which it keeps beside the script's copy.
    With ``key`` None (the inputs could not be hashed) they all run again.
    Returns how many records were removed."""
    record = gallery / ".script-inputs.sha256"
    if key is not None and record.is_file() and record.read_text() == key:
        return 0
    runs = sorted(gallery.glob("*.py.md5"))
    for path in runs:
        path.unlink()
    if key is not None:
        # removed records stay removed until their script has run: writing the
        # key now is safe even if this build stops before they all ran
        gallery.mkdir(parents=True, exist_ok=True)
        record.write_text(key)
    return len(runs)


def unloaded_datasets(site: Path) -> list[Path]:
    """The widgets' datasets in ``site/_datasets`` (``name.json`` and the script
    ``name.js`` made from it) that no page of ``site`` names."""
    datasets = sorted(path for path in (site / "_datasets").glob("*") if path.is_file())
    if not datasets:
        return []
    pages = "\n".join(page.read_text(encoding="utf-8") for page in site.rglob("*.html"))
    return [path for path in datasets if f"_datasets/{path.stem}." not in pages]


def _remove_unloaded_datasets(app, exception):
    if exception is None and app.builder.format == "html":
        for path in unloaded_datasets(Path(app.outdir)):
            path.unlink()


def _remove_stale_outputs(app):
    gallery = Path(app.srcdir) / "auto_examples"
    examples = Path(app.srcdir).parent / "examples"
    for path in stale_outputs(gallery, examples, Path(app.outdir)):
        path.unlink()


def setup(app):
    # before sphinx-gallery's builder-inited handler (priority 500)
    app.connect("builder-inited", _remove_stale_outputs, priority=400)
    app.connect("build-finished", _remove_unloaded_datasets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
