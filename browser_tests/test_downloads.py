"""The downloads a reader gets: every chapter's .py and .ipynb, run alone.

Each file is copied from the built site into an empty temporary folder outside
the repository and run there, with the installed ``tutorial_helpers``: the
script with Python, the notebook with nbclient.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SITE
from test_site import CHAPTERS, _parse

DOWNLOADS = {
    chapter: sorted(
        SITE / "auto_examples" / href
        for href in _parse(SITE / chapter).hrefs
        if href.startswith("../_downloads/") and href.endswith((".py", ".ipynb"))
    )
    for chapter in CHAPTERS
}


def _alone(path, tmp_path):
    folder = tmp_path / "reader"
    folder.mkdir()
    assert REPO not in folder.resolve().parents
    return shutil.copy(path, folder / path.name), folder


def _environment():
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("PYTHONPATH", None)
    return env


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_downloaded_script_runs_alone(chapter, tmp_path):
    (script,) = [p for p in DOWNLOADS[chapter] if p.suffix == ".py"]
    copy, folder = _alone(script.resolve(), tmp_path)
    result = subprocess.run(
        [sys.executable, copy.name],
        cwd=folder,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_downloaded_notebook_runs_alone(chapter, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    (notebook,) = [p for p in DOWNLOADS[chapter] if p.suffix == ".ipynb"]
    copy, folder = _alone(notebook.resolve(), tmp_path)
    nb = nbformat.read(copy, as_version=4)
    old_env = dict(os.environ)
    os.environ.update(_environment())
    try:
        NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": folder}},
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(old_env)
    errors = [
        output
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_downloads_read_cleanly(chapter):
    """Scripts say where their page is and keep no sphinx-gallery settings;
    notebooks show no raw Sphinx roles and start by installing the bundle."""
    (script,) = [p for p in DOWNLOADS[chapter] if p.suffix == ".py"]
    text = script.read_text(encoding="utf-8")
    assert text.startswith("# This script is a chapter of"), text[:200]
    assert Path(chapter).name in text.splitlines()[1]
    assert "sphinx_gallery_" not in text

    (notebook,) = [p for p in DOWNLOADS[chapter] if p.suffix == ".ipynb"]
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    assert "pip install --quiet -r requirements.txt" in "".join(cells[0]["source"])
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            assert not re.search(r":[a-z]+(:[a-z]+)?:`", source), source[:300]
            assert "sphx_glr" not in source, source[:300]
