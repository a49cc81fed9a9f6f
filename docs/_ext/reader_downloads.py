"""Everything a reader needs to run the chapters without a clone of the repository.

- ``downloads/`` in the site holds a wheel of ``tutorial_helpers`` (built from
  ``pyproject.toml`` by the standard ``build`` frontend; the dataset is inside)
  and a zip bundle: every chapter as ``.py`` and ``.ipynb``, the wheel, a
  ``requirements.txt`` for the scripts and a ``requirements-notebooks.txt`` that
  adds Jupyter, both pinned to the lock the site was built with
  (``requirements/scripts.txt`` and ``requirements/notebooks.txt``), and a short
  README.
- Each chapter's "Download zipped" button gives the same for that chapter
  alone: its script and notebook, the wheel, both requirements and a README.
  The script's first lines, and the notebook's first cell, say the one command
  that installs what they need.
- The directive ``.. run-locally::`` says how to run a chapter and links both.
  It replaces sphinx-gallery's "Go to the end to download" note above the
  title, and goes after each chapter's opening instead, before the first
  code; the home page uses it too.
- The generated notebooks lose their Sphinx roles (``:func:``, ``:ref:``,
  ``:cite:``), which Jupyter would show as raw text, and the generated scripts
  get a header saying where their page lives and lose sphinx-gallery's
  settings (the thumbnail's number), which mean nothing to a reader.

Every zip of the site is written with sorted entries and fixed timestamps
(``SOURCE_DATE_EPOCH``, or 2020-02-02), so that a build is reproducible.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import time
import tomllib
import zipfile
from html import escape
from pathlib import Path

import exercises
from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[2]
SCRIPT_REQUIREMENTS = ROOT / "requirements" / "scripts.txt"
NOTEBOOK_REQUIREMENTS = ROOT / "requirements" / "notebooks.txt"
DATASET = "water-ps-nuprime-theta-grid.xyz"
DOWNLOADS = "downloads"
BUNDLE_NAME = "equivariant-ml-tutorial"
BUNDLE = f"{BUNDLE_NAME}.zip"
GALLERY = "auto_examples"
#: the scripts as readers download them, with a header (the gallery's own copies
#: stay as sphinx-gallery wrote them, so that it does not copy them again)
READER_SCRIPTS = "reader-scripts"
#: the chapters' docnames start with this (00_conventions ... 06_...)
CHAPTER_PREFIX = f"{GALLERY}/0"

_PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
WHEEL = f"{_PROJECT['name'].replace('-', '_')}-{_PROJECT['version']}-py3-none-any.whl"
#: Unix time written into every zip entry; 2020-02-02 as hatchling uses for wheels
_DEFAULT_EPOCH = 1580601600

_DOWNLOAD_NOTE = re.compile(
    r"\.\. only:: html\n\n    \.\. note::\n"
    r"        :class: sphx-glr-download-link-note\n(?:\n|        .*\n)*"
)
#: sphinx-gallery's third button, whose zip this extension makes a runnable kit
_ZIP_BUTTON = re.compile(r"(:download:`)Download zipped:( \S+\.zip <)")
_FIRST_CODE = re.compile(r"^(\.\. GENERATED FROM PYTHON SOURCE LINES)", flags=re.M)
_SCRIPT_HEADER_MARK = "# This script is a chapter of"

INSTALL = "python -m pip install -r requirements.txt"
#: the chapter that the home page and the bundle's README name as the example
EXAMPLE_SCRIPT = "02_rotations_and_vectors.py"
INSTALL_NOTEBOOKS = "python -m pip install -r requirements-notebooks.txt"


def kit_readme(what: str, script: str) -> str:
    """The README of a zip that runs chapters: ``what`` it holds, and a
    ``script`` to run as the example."""
    return f"""\
# Equivariant ML models — a tutorial introduction: {what}

{what.capitalize()} as a Python script (`.py`) and a Jupyter notebook
(`.ipynb`), the helper package `tutorial_helpers` as a wheel (with the water
dataset inside), `requirements.txt`, which pins every library the scripts need
to the version the site was built and tested with, and
`requirements-notebooks.txt`, which adds Jupyter.

With Python 3.11 or newer, in this folder, for the scripts:

```bash
python3 -m venv .venv
. .venv/bin/activate
{INSTALL}
python {script}
```

For the notebooks, add Jupyter to the same environment:

```bash
. .venv/bin/activate
{INSTALL_NOTEBOOKS}
jupyter lab
```

On Windows, activate the environment with `.venv\\Scripts\\activate` instead.
Each notebook's first cell runs `{INSTALL}` when it finds
`requirements.txt` beside it, which does nothing once it is installed.
"""


def _epoch():
    return int(os.environ.get("SOURCE_DATE_EPOCH", _DEFAULT_EPOCH))


def write_if_changed(target: Path, content: bytes) -> bool:
    """Write ``content`` unless ``target`` holds it already: Sphinx reads a page
    again when a file it links to is newer than its last reading. True if written."""
    if target.is_file() and target.read_bytes() == content:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return True


def write_zip(target: Path, members: dict[str, bytes]):
    """Write ``members`` (name in the zip → content) with fixed timestamps."""
    date_time = time.gmtime(max(_epoch(), 315532800))[:6]  # zip starts in 1980
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])
    return write_if_changed(target, buffer.getvalue())


# ---- the admonition ---------------------------------------------------------------
#: The tip folds to its first line on a phone, where the whole of it filled the
#: first screen; on a wider screen it shows whole (``::details-content`` shows a
#: closed ``<details>``' content; a browser without it folds it there too).
RUN_LOCALLY_CSS = """\
details.run-locally { padding-bottom: 0.4rem; }
details.run-locally > summary { cursor: pointer; padding: 0.4rem 0 0 0.2rem; }
details.run-locally > p { margin-top: 0.4rem; }
@media (min-width: 960px) {
  @supports selector(::details-content) {
    details.run-locally::details-content { content-visibility: visible; }
    details.run-locally > summary { cursor: auto; pointer-events: none; }
    details.run-locally > summary::marker { content: ""; }
  }
}
"""
RUN_LOCALLY_CSS_FILE = "run-locally.css"


def _link(href: str, text: str) -> str:
    return f'<a class="reference external" href="{escape(href)}">{escape(text)}</a>'


def _code(text: str) -> str:
    return f'<code class="docutils literal notranslate">{escape(text)}</code>'


def run_locally_html(docname: str) -> str:
    """The tip of page ``docname``: a one-line summary, then the downloads (this
    chapter's zip at the end of a chapter page, and the bundle), what they hold
    and the commands that run them."""
    up = "../" * docname.count("/")
    chapter = docname.startswith(CHAPTER_PREFIX)
    stem = Path(docname).name
    script = f"{stem}.py" if chapter else EXAMPLE_SCRIPT
    bundle = _link(f"{up}{DOWNLOADS}/{BUNDLE}", "the bundle (zip)")
    if chapter:
        anchor = "sphx-glr-download-" + re.sub(r"[/_.]", "-", docname) + "-py"
        downloads = f"{_link(f'#{anchor}', 'this chapter (zip)')} or {bundle}"
    else:
        downloads = bundle
    details = (
        f"Download {downloads}. The bundle has every chapter as a script and a "
        "notebook, the helpers' "
        f"wheel ({_link(f'{up}{DOWNLOADS}/{WHEEL}', WHEEL)}) and the library "
        "versions this site was built with"
        + ("; the zip at the end of this page, this chapter alone" if chapter else "")
        + ". In its folder, in a fresh virtual environment with Python ≥ 3.11: "
        f"{_code(INSTALL)}, then {_code(f'python {script}')}. For the notebooks, "
        f"add {_code(INSTALL_NOTEBOOKS)}, then {_code('jupyter lab')}."
    )
    return (
        '<details class="run-locally admonition tip">\n'
        # the links go below it: a link inside <summary> is a control in a control
        "<summary><strong>Run it yourself</strong> on your computer</summary>\n"
        f"<p>{details}</p>\n</details>\n"
    )


class RunLocally(Directive):
    """A tip that says how to run the chapters, with links to the bundle and wheel."""

    has_content = False

    def run(self):
        docname = self.state.document.settings.env.docname
        return [nodes.raw("", run_locally_html(docname), format="html")]


def _write_run_locally_css(app):
    if app.builder.format == "html":
        write_if_changed(
            Path(app.outdir) / "_static" / RUN_LOCALLY_CSS_FILE,
            RUN_LOCALLY_CSS.encode(),
        )


def relabel_buttons(text: str, stem: str) -> str:
    """The buttons at the end of chapter ``stem``'s page: the script's gives the
    reader's copy, and the zip's says that its zip is ready to run."""
    text, zips = _ZIP_BUTTON.subn(r"\1Download zipped, ready to run:\2", text, count=1)
    text, scripts = re.subn(
        rf"(:download:`[^`<]*<){re.escape(stem)}\.py>`",
        rf"\g<1>{READER_SCRIPTS}/{stem}.py>`",
        text,
    )
    if zips != 1 or scripts != 1:
        raise ExtensionError(
            f"{stem}: the page that sphinx-gallery generated has no 'Download "
            "zipped' or no 'Download Python source code' button: update "
            "_ZIP_BUTTON or relabel_buttons in reader_downloads"
        )
    return text


def _edit_chapter_page(app, docname, source):
    """The run tip after the opening, the reader's script behind its button,
    and the zip button saying what its zip is."""
    if not docname.startswith(CHAPTER_PREFIX):
        return
    text, notes = _DOWNLOAD_NOTE.subn("", source[0], count=1)
    text, tips = _FIRST_CODE.subn(".. run-locally::\n\n\\1", text, count=1)
    if notes != 1 or tips != 1:
        raise ExtensionError(
            f"{docname}: the page that sphinx-gallery generated has changed shape "
            "(no 'Go to the end' note, or no 'GENERATED FROM PYTHON SOURCE LINES' "
            "comment): update _DOWNLOAD_NOTE and _FIRST_CODE in reader_downloads"
        )
    stem = Path(docname).name
    text = relabel_buttons(text, stem)
    gallery = Path(app.srcdir) / GALLERY
    script = reader_script(
        (gallery / f"{stem}.py").read_text(encoding="utf-8"),
        docname,
        app.config.html_baseurl or "",
    )
    write_if_changed(gallery / READER_SCRIPTS / f"{stem}.py", script.encode("utf-8"))
    source[0] = text


# ---- notebooks and scripts as a reader gets them -----------------------------------
def _short_bibliography(bibfile: Path) -> dict[str, tuple[str, str, str]]:
    """key → (authors as 'Name et al.', year, URL) from the site's BibTeX file."""
    from pybtex.database import parse_file
    from pybtex.richtext import Text

    def last_name(person):
        # str() is the plain text: render_as("text") gives the same after a
        # search of every installed package's plugins, a quarter of a second
        return str(Text.from_latex(" ".join(person.last_names)))

    entries = {}
    for key, entry in parse_file(str(bibfile)).entries.items():
        people = entry.persons.get("author", [])
        authors = last_name(people[0]) + (" et al." if len(people) > 2 else "")
        if len(people) == 2:
            authors += f" and {last_name(people[1])}"
        url = entry.fields.get("url") or (
            f"https://doi.org/{entry.fields['doi']}" if "doi" in entry.fields else ""
        )
        entries[key] = (authors, entry.fields.get("year", ""), url)
    return entries


class NotebookText:
    """Turns the Sphinx roles that sphinx-gallery leaves in markdown into markdown.

    ``labels`` maps a Sphinx label to (docname, title); ``base_url`` is the
    site's address if it is known, else links to non-chapter pages become text.
    """

    _ROLE = re.compile(r":(?:py:)?(func|class|meth|mod|attr|data|obj):`(~?)([^`]+)`")
    _CITE = re.compile(r":cite:([pt]):`([^`]+)`")
    # sphinx-gallery already turned :ref:`x` into `x`: find those whose content
    # is a label, with or without an explicit title
    _REF = re.compile(r"`(?:([^`<]+?)\s*<([^`>]+)>|([^`<>\s]+))`")
    _ANY_ROLE = re.compile(r":[a-z]+(?::[a-z]+)?:`")

    def __init__(self, labels, citations, base_url=""):
        self.labels = labels
        self.citations = citations
        self.base_url = base_url.rstrip("/")

    def _page_link(self, title, docname, anchor=""):
        if docname.startswith(CHAPTER_PREFIX):
            return f"[{title}]({Path(docname).name}.ipynb)"
        if self.base_url:
            return f"[{title}]({self.base_url}/{docname}.html{anchor})"
        return title

    def _ref(self, match):
        title, label = match.group(1), match.group(2) or match.group(3)
        if label not in self.labels:
            return match.group(0)
        docname, section = self.labels[label]
        return self._page_link(title or section, docname)

    def _role(self, match):
        _, short, target = match.groups()
        name = target.rsplit(".", 1)[-1] if short else target
        code = f"`{name}`"
        if self.base_url and target.startswith("tutorial_helpers."):
            return f"[{code}]({self.base_url}/api.html#{target})"
        return code

    def _cite(self, match):
        kind, keys = match.groups()
        parts = []
        for key in (k.strip() for k in keys.split(",")):
            if key not in self.citations:
                raise ExtensionError(f"citation {key!r} is not in references.bib")
            authors, year, url = self.citations[key]
            text = f"{authors} {year}" if kind == "p" else f"{authors} ({year})"
            parts.append(f"[{text}]({url})" if url else text)
        joined = "; ".join(parts)
        return f"({joined})" if kind == "p" else joined

    def __call__(self, markdown: str) -> str:
        markdown = exercises.notebook_text(markdown)
        markdown = self._CITE.sub(self._cite, markdown)
        markdown = self._ROLE.sub(self._role, markdown)
        return self._REF.sub(self._ref, markdown)

    def leftover_role(self, markdown: str):
        match = self._ANY_ROLE.search(markdown)
        return None if match is None else markdown[match.start() : match.start() + 60]


def _clean_notebook(path: Path, convert: NotebookText):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        source = cell["source"]
        text = convert(source if isinstance(source, str) else "".join(source))
        cell["source"] = text
        leftover = convert.leftover_role(text)
        if leftover:
            raise ExtensionError(
                f"{path.name}: a Sphinx role is left in a notebook cell "
                f"({leftover!r}); teach reader_downloads.NotebookText to convert it"
            )
    text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    return write_if_changed(path, text.encode("utf-8"))


#: a sphinx-gallery setting in a comment, e.g. ``# sphinx_gallery_thumbnail_number = 2``
_GALLERY_SETTING = re.compile(r"^[ \t]*# ?sphinx_gallery_\w+.*\n", flags=re.M)


def reader_script(text: str, docname: str, base_url: str) -> str:
    """A chapter's script as a reader downloads it: without sphinx-gallery's
    settings (as ``remove_config_comments`` does for the page), under a header
    that says where its page is and how to install what it needs."""
    page = f"{docname}.html"
    where = f"{base_url.rstrip('/')}/{page}" if base_url else f"{page} in the site"
    header = (
        f"{_SCRIPT_HEADER_MARK} 'Equivariant ML models — a tutorial introduction';\n"
        f"# its page: {where}.\n"
        f'# What it needs comes in {Path(docname).name}.zip ("Download zipped" on\n'
        "# its page): in the unzipped folder, in a fresh virtual environment, run\n"
        f"#     {INSTALL}\n"
    )
    return header + exercises.script_text(_GALLERY_SETTING.sub("", text))


def chapter_kit(gallery: Path, stem: str, wheel: Path) -> dict[str, bytes]:
    """The members of a chapter's zip: what runs it alone, in a folder ``stem``."""
    members = {
        f"{stem}/{stem}.py": (gallery / READER_SCRIPTS / f"{stem}.py").read_bytes(),
        f"{stem}/{stem}.ipynb": (gallery / f"{stem}.ipynb").read_bytes(),
    }
    return (
        members
        | _requirements_and_wheel(stem, wheel)
        | {f"{stem}/README.md": kit_readme(f"chapter {stem}", f"{stem}.py").encode()}
    )


def _prepare_downloads(app, env):
    """Clean the generated notebooks, and make each chapter's zip, before
    Sphinx copies them."""
    std = env.get_domain("std")
    labels = {name: (doc, title) for name, (doc, _, title) in std.labels.items()}
    labels.update(
        {
            name: (doc, name)
            for name, (doc, _) in std.anonlabels.items()
            if name not in labels
        }
    )
    citations = _short_bibliography(Path(app.srcdir) / "references.bib")
    base_url = app.config.html_baseurl or ""
    convert = NotebookText(labels, citations, base_url)
    gallery = Path(app.srcdir) / GALLERY
    written = set()
    for notebook in sorted(gallery.glob("0*.ipynb")):
        if _clean_notebook(notebook, convert):
            written.add(notebook)
    # sphinx-gallery zipped each chapter's two files, before this cleaning:
    # each zip is instead all that runs the chapter alone, with fixed times
    wheel = _wheel(Path(app.doctreedir) / "wheel")
    for archive in sorted(gallery.glob("0*.zip")):
        if write_zip(archive, chapter_kit(gallery, archive.stem, wheel)):
            written.add(archive)
    _written_after_reading(env, written)
    return []


def _written_after_reading(env, written: set[Path]):
    """The pages that link to files written just now were read knowing them (the
    files come from those pages' sources): without this, Sphinx would find the
    files newer than the pages and read every chapter again on the next build."""
    if not written:
        return
    now = time.time_ns() // 1_000  # Sphinx's reading times are in microseconds
    for docname, dependencies in env.dependencies.items():
        if docname in env.all_docs and any(
            Path(path) in written for path in dependencies
        ):
            env.all_docs[docname] = now


# ---- the wheel and the bundle ------------------------------------------------------
def _wheel_inputs_key() -> str:
    digest = hashlib.sha256()
    # README.md is the wheel's long description (pyproject.toml's readme)
    sources = [ROOT / "pyproject.toml", ROOT / "README.md", ROOT / "data" / DATASET]
    for path in sources + sorted((ROOT / "src").rglob("*.py")):
        digest.update(f"{path.relative_to(ROOT)}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def _wheel(cache: Path) -> Path:
    """The helpers' wheel, built into ``cache`` unless its sources are those of
    the wheel already there."""
    wheel, stamp = cache / WHEEL, cache / "sources.sha256"
    key = _wheel_inputs_key()
    if wheel.is_file() and stamp.is_file() and stamp.read_text() == key:
        return wheel
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("*.whl"):
        old.unlink()
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation"]
        + ["--outdir", str(cache), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not wheel.is_file():
        raise ExtensionError(
            f"building {WHEEL} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        if not any(name.endswith("/data/" + DATASET) for name in names):
            raise ExtensionError(f"{WHEEL} does not contain the water dataset")
    stamp.write_text(key)
    return wheel


def _pins(path: Path) -> dict[str, str]:
    """name → requirement line, of a requirements file written by uv."""
    pins = {}
    for line in path.read_text().splitlines():
        if line and not line.lstrip().startswith("#"):
            pins[re.split(r"[=<>!~;\[ ]", line, maxsplit=1)[0].lower()] = line
    return pins


def script_requirements() -> str:
    """requirements.txt of the zips: the wheel, then what the scripts need."""
    return (
        "# Every library the scripts need, pinned to the version this site was\n"
        "# built and tested with (requirements/scripts.txt in the repository).\n"
        f"./{WHEEL}\n" + "\n".join(_pins(SCRIPT_REQUIREMENTS).values()) + "\n"
    )


def notebook_requirements() -> str:
    """requirements-notebooks.txt of the zips: requirements.txt and Jupyter."""
    scripts = _pins(SCRIPT_REQUIREMENTS)
    notebooks = _pins(NOTEBOOK_REQUIREMENTS)
    extra = [line for name, line in notebooks.items() if name not in scripts]
    return (
        "# What the scripts need, and Jupyter to open the notebooks, pinned to the\n"
        "# versions this site was built and tested with\n"
        "# (requirements/notebooks.txt in the repository).\n"
        "-r requirements.txt\n" + "\n".join(extra) + "\n"
    )


def _requirements_and_wheel(folder: str, wheel: Path) -> dict[str, bytes]:
    return {
        f"{folder}/{WHEEL}": wheel.read_bytes(),
        f"{folder}/requirements.txt": script_requirements().encode(),
        f"{folder}/requirements-notebooks.txt": notebook_requirements().encode(),
    }


def _write_bundle(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir) / DOWNLOADS
    wheel = _wheel(Path(app.doctreedir) / "wheel")
    write_if_changed(out / WHEEL, wheel.read_bytes())
    gallery = Path(app.srcdir) / GALLERY
    chapters = sorted((gallery / READER_SCRIPTS).glob("0*.py"))
    chapters += sorted(gallery.glob("0*.ipynb"))
    members = {f"{BUNDLE_NAME}/{p.name}": p.read_bytes() for p in chapters}
    members |= _requirements_and_wheel(BUNDLE_NAME, wheel)
    readme = kit_readme("every chapter", EXAMPLE_SCRIPT)
    members[f"{BUNDLE_NAME}/README.md"] = readme.encode()
    write_zip(out / BUNDLE, members)


def setup(app):
    app.add_directive("run-locally", RunLocally)
    app.add_css_file(RUN_LOCALLY_CSS_FILE)
    app.connect("builder-inited", _write_run_locally_css)
    app.connect("source-read", _edit_chapter_page)
    app.connect("env-updated", _prepare_downloads)
    app.connect("build-finished", _write_bundle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
