"""Everything a reader needs to run the chapters without a clone of the repository.

- ``downloads/`` in the site holds a wheel of ``tutorial_helpers`` (built from
  ``pyproject.toml`` by the standard ``build`` frontend; the dataset is inside)
  and a zip bundle: every chapter as ``.py`` and ``.ipynb``, the wheel, a
  ``requirements.txt`` pinned to the lock the site was built with
  (``requirements/bundle.txt``) and a short README.
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

import json
import os
import re
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[2]
BUNDLE_REQUIREMENTS = ROOT / "requirements" / "bundle.txt"
DATASET = "water-ps-nuprime-theta-grid.xyz"
DOWNLOADS = "downloads"
BUNDLE_NAME = "equivariant-ml-tutorial"
BUNDLE = f"{BUNDLE_NAME}.zip"
GALLERY = "auto_examples"
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
_FIRST_CODE = re.compile(r"^(\.\. GENERATED FROM PYTHON SOURCE LINES)", flags=re.M)
_SCRIPT_HEADER_MARK = "# This script is a chapter of"

BUNDLE_README = """\
# Equivariant ML models — a tutorial introduction: the chapters

Every chapter of the site as a Python script (`.py`) and a Jupyter notebook
(`.ipynb`), the helper package `tutorial_helpers` as a wheel (with the water
dataset inside), and `requirements.txt`, which pins every library to the
version the site was built and tested with.

With Python 3.11 or newer, in this folder:

```bash
python3 -m venv .venv
. .venv/bin/activate
python -m pip install -r requirements.txt
python 02_rotations_and_vectors.py
jupyter lab
```

On Windows, activate the environment with `.venv\\Scripts\\activate` instead.
`python NN_name.py` runs a chapter as a script; `jupyter lab` opens the
notebooks. Each notebook's first cell runs the same `pip install` when it
finds `requirements.txt` beside it, which does nothing once it is installed.
"""


def _epoch():
    return int(os.environ.get("SOURCE_DATE_EPOCH", _DEFAULT_EPOCH))


def write_zip(target: Path, members: dict[str, bytes]):
    """Write ``members`` (name in the zip → content) with fixed timestamps."""
    date_time = time.gmtime(max(_epoch(), 315532800))[:6]  # zip starts in 1980
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])


# ---- the admonition ---------------------------------------------------------------
class RunLocally(Directive):
    """A tip that says how to run the chapters, with links to the bundle and wheel."""

    has_content = False

    def run(self):
        docname = self.state.document.settings.env.docname
        up = "../" * docname.count("/")
        command = (
            f"python {Path(docname).name}.py"
            if docname.startswith(CHAPTER_PREFIX)
            else "jupyter lab"
        )
        text = nodes.paragraph()
        text += nodes.strong(text="Run it yourself: ")
        text += nodes.reference(
            "", "the bundle (zip)", refuri=f"{up}{DOWNLOADS}/{BUNDLE}"
        )
        text += nodes.Text(
            " has every chapter as a script and a notebook, the helpers' wheel ("
        )
        text += nodes.reference("", WHEEL, refuri=f"{up}{DOWNLOADS}/{WHEEL}")
        text += nodes.Text(
            ") and the library versions this site was built with. In its folder, "
            "in a fresh virtual environment with Python ≥ 3.11: "
        )
        text += nodes.literal(text="python -m pip install -r requirements.txt")
        text += nodes.Text(", then ")
        text += nodes.literal(text=command)
        text += nodes.Text(".")
        tip = nodes.tip()
        tip += text
        return [tip]


def _add_run_tip(app, docname, source):
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
    source[0] = text


# ---- notebooks and scripts as a reader gets them -----------------------------------
def _short_bibliography(bibfile: Path) -> dict[str, tuple[str, str, str]]:
    """key → (authors as 'Name et al.', year, URL) from the site's BibTeX file."""
    from pybtex.database import parse_file
    from pybtex.richtext import Text

    def last_name(person):
        return Text.from_latex(" ".join(person.last_names)).render_as("text")

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
    path.write_text(
        json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


#: a sphinx-gallery setting in a comment, e.g. ``# sphinx_gallery_thumbnail_number = 2``
_GALLERY_SETTING = re.compile(r"^[ \t]*# ?sphinx_gallery_\w+.*\n", flags=re.M)


def _script_header(docname: str, base_url: str) -> str:
    page = f"{docname}.html"
    where = f"{base_url.rstrip('/')}/{page}" if base_url else f"{page} in the site"
    return (
        f"{_SCRIPT_HEADER_MARK} 'Equivariant ML models — a tutorial introduction';\n"
        f"# its page: {where}.\n"
        "# Run it in an environment made from the site's bundle\n"
        f"# ({DOWNLOADS}/{BUNDLE}: `python -m pip install -r requirements.txt`).\n"
    )


def _prepare_downloads(app, env):
    """Clean the generated notebooks and scripts before Sphinx copies them."""
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
    for notebook in sorted(gallery.glob("0*.ipynb")):
        _clean_notebook(notebook, convert)
    for script in sorted(gallery.glob("0*.py")):
        text = script.read_text(encoding="utf-8")
        if text.startswith(_SCRIPT_HEADER_MARK):  # from an earlier build
            text = text[text.index('"""') :]
        text = _GALLERY_SETTING.sub("", text)  # as remove_config_comments does
        header = _script_header(f"{GALLERY}/{script.stem}", base_url)
        script.write_text(header + text, encoding="utf-8")
    # sphinx-gallery zipped each chapter before this cleaning, with the files'
    # modification times: zip the cleaned files again, with fixed times
    for archive in sorted(gallery.glob("0*.zip")):
        with zipfile.ZipFile(archive) as old:
            names = old.namelist()
        write_zip(archive, {name: (gallery / name).read_bytes() for name in names})
    return []


# ---- the wheel and the bundle ------------------------------------------------------
def _build_wheel(out_dir: Path) -> Path:
    for old in out_dir.glob("*.whl"):
        old.unlink()
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation"]
        + ["--outdir", str(out_dir), str(ROOT)],
        capture_output=True,
        text=True,
    )
    wheel = out_dir / WHEEL
    if result.returncode != 0 or not wheel.is_file():
        raise ExtensionError(
            f"building {WHEEL} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        if not any(name.endswith("/data/" + DATASET) for name in names):
            raise ExtensionError(f"{WHEEL} does not contain the water dataset")
    return wheel


def bundle_requirements() -> str:
    """requirements.txt of the bundle: the wheel, then the pinned runtime deps."""
    pins = [
        line
        for line in BUNDLE_REQUIREMENTS.read_text().splitlines()
        if line and not line.lstrip().startswith("#")
    ]
    return (
        "# Every library pinned to the version this site was built and tested with\n"
        "# (requirements/bundle.txt in the repository, written by `nox -s lock`).\n"
        f"./{WHEEL}\n" + "\n".join(pins) + "\n"
    )


def _write_bundle(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir) / DOWNLOADS
    out.mkdir(exist_ok=True)
    wheel = _build_wheel(out)
    gallery = Path(app.srcdir) / GALLERY
    chapters = sorted(gallery.glob("0*.py")) + sorted(gallery.glob("0*.ipynb"))
    members = {f"{BUNDLE_NAME}/{p.name}": p.read_bytes() for p in chapters}
    members[f"{BUNDLE_NAME}/{WHEEL}"] = wheel.read_bytes()
    members[f"{BUNDLE_NAME}/requirements.txt"] = bundle_requirements().encode()
    members[f"{BUNDLE_NAME}/README.md"] = BUNDLE_README.encode()
    write_zip(out / BUNDLE, members)


def setup(app):
    app.add_directive("run-locally", RunLocally)
    app.connect("source-read", _add_run_tip)
    app.connect("env-updated", _prepare_downloads)
    app.connect("build-finished", _write_bundle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
