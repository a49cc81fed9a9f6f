"""The bundle, as a reader without a clone meets it.

Click "the bundle (zip)" on a chapter page, unzip the download into an empty
folder outside the repository, make a fresh virtual environment and follow the
bundle's README to the letter: install what the scripts need and run every
chapter as a script (Agg backend), with no Jupyter installed; then add what the
notebooks need and run every chapter as a notebook (``jupyter execute``).
Installing from the package index is the one step that needs the network; it
takes about a minute.
"""

import re
import zipfile

import pytest
from conftest import REPO
from reader_steps import assert_no_jupyter, readme_setup, run
from test_site import CHAPTERS


@pytest.fixture(scope="module")
def bundle_folder(browser, server, tmp_path_factory):
    """Download the bundle by clicking its link on chapter 2, and unzip it."""
    chapter = next(c for c in CHAPTERS if "02_" in c)
    page = browser.new_page(accept_downloads=True)
    try:
        page.goto(f"{server}/{chapter}", wait_until="load")
        link = page.get_by_role("link", name="the bundle (zip)")
        with page.expect_download() as info:
            link.click()
        target = tmp_path_factory.mktemp("reader") / info.value.suggested_filename
        info.value.save_as(target)
    finally:
        page.close()
    assert REPO not in target.resolve().parents
    with zipfile.ZipFile(target) as archive:
        archive.extractall(target.parent)
        (top,) = {name.split("/")[0] for name in archive.namelist()}
    print(f"bundle: {target.stat().st_size / 1e3:.0f} kB")
    return target.parent / top


def test_the_bundle_holds_every_chapter(bundle_folder):
    names = {p.name for p in bundle_folder.iterdir()}
    for chapter in CHAPTERS:
        stem = chapter.rsplit("/", 1)[1].removesuffix(".html")
        assert {f"{stem}.py", f"{stem}.ipynb"} <= names
    assert {"README.md", "requirements.txt", "requirements-notebooks.txt"} <= names
    requirements = (bundle_folder / "requirements.txt").read_text()
    (wheel,) = [n for n in names if n.endswith(".whl")]
    assert f"./{wheel}" in requirements.splitlines()
    for tool in ("sphinx", "pytest", "playwright", "nox"):
        assert not re.search(rf"^{tool}[=-]", requirements, flags=re.M), tool


def test_a_fresh_venv_runs_every_chapter_from_the_bundle(bundle_folder):
    scripts_setup, notebooks_setup = readme_setup(bundle_folder)
    run("follow the README: venv, scripts' install", scripts_setup, bundle_folder, 1800)
    assert_no_jupyter(bundle_folder)
    activate = ". .venv/bin/activate"
    for script in sorted(bundle_folder.glob("0*.py")):
        run(f"python {script.name}", f"{activate} && python {script.name}",
            bundle_folder, 900)  # fmt: skip
    run("follow the README: notebooks' install", notebooks_setup, bundle_folder, 1800)
    for notebook in sorted(bundle_folder.glob("0*.ipynb")):
        run(f"jupyter execute {notebook.name}",
            f"{activate} && jupyter execute --timeout=900 {notebook.name}",
            bundle_folder, 1200)  # fmt: skip
