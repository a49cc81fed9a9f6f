"""The downloads a reader gets: every chapter's .py and .ipynb, run alone.

Each file is copied from the built site into an empty temporary folder outside
the repository and run there, with the installed ``tutorial_helpers``: the
script with Python, the notebook with nbclient. For one chapter, the three
buttons at the end of its page are clicked, and what they give is followed to
the letter in a fresh virtual environment.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, SITE
from reader_steps import assert_no_jupyter, readme_setup, run
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


def _download(page, name):
    """Click the link named ``name`` and return the download."""
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    return info.value


def test_each_button_at_the_end_of_a_chapter_runs_alone(browser, server, tmp_path):
    """Chapter 2's three buttons, as a reader meets them: the script and the
    notebook say in their first lines where to get what they need, the zip
    ready to run, and the zip's README says how to install it."""
    chapter = next(c for c in CHAPTERS if "02_" in c)
    stem = Path(chapter).stem
    page = browser.new_page(accept_downloads=True)
    folder = tmp_path / "reader"
    folder.mkdir()
    assert REPO not in folder.resolve().parents
    try:
        page.goto(f"{server}/{chapter}", wait_until="load")
        files = {}
        for button in ("Download Python source code", "Download Jupyter notebook",
                       "Download zipped, ready to run"):  # fmt: skip
            download = _download(page, button)
            files[button] = folder / download.suggested_filename
            download.save_as(files[button])
    finally:
        page.close()

    script = files["Download Python source code"].read_text(encoding="utf-8")
    header = "\n".join(script.splitlines()[:6])
    zip_name = re.search(r"What it needs comes in (\S+\.zip)", header).group(1)
    assert zip_name == files["Download zipped, ready to run"].name
    install = re.search(r"^#     (python -m pip install .+)$", header, re.M).group(1)
    notebook = json.loads(files["Download Jupyter notebook"].read_text())
    first_cell = "".join(notebook["cells"][0]["source"])
    assert zip_name == f"{stem}.zip" and install in first_cell

    # the zip, unzipped where the reader saved it: the two files again, the
    # helpers' wheel, the requirements and the README
    with zipfile.ZipFile(files["Download zipped, ready to run"]) as archive:
        archive.extractall(folder)
    kit = folder / stem
    for button in ("Download Python source code", "Download Jupyter notebook"):
        assert (kit / files[button].name).read_bytes() == files[button].read_bytes()
    scripts_setup, notebooks_setup = readme_setup(kit)
    assert install in scripts_setup
    run("follow the README: venv, scripts' install", scripts_setup, kit, 1800)
    assert_no_jupyter(kit)
    activate = ". .venv/bin/activate"
    run(f"python {stem}.py", f"{activate} && python {stem}.py", kit, 900)
    run("follow the README: notebooks' install", notebooks_setup, kit, 1800)
    execute = f"jupyter execute --timeout=900 {stem}.ipynb"
    run(execute, f"{activate} && {execute}", kit, 1200)
