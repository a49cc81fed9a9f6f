"""The bundle, as a reader without a clone meets it.

Click "the bundle (zip)" on a chapter page, unzip the download into an empty
folder outside the repository, make a fresh virtual environment and follow the
bundle's README to the letter; then run every chapter as a script (Agg
backend) and as a notebook (``jupyter execute``, which the README's install
brings, in that environment). Installing from the package index is the one
step that needs the network; it takes about a minute.
"""

import os
import re
import subprocess
import time
import zipfile

import pytest
from conftest import REPO
from test_site import CHAPTERS

#: the README's commands that open the chapters; the rest is the setup to follow
RUN_COMMANDS = re.compile(r"^(python 0\d_\w+\.py|jupyter lab)$")


def _run(step, command, cwd, timeout):
    """Run a bash command; fail with the step and the output if it fails."""
    start = time.perf_counter()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env["PATH"] = os.pathsep.join(
        p for p in env["PATH"].split(os.pathsep) if ".nox" not in p
    )
    env["MPLBACKEND"] = "Agg"
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        pytest.fail(
            f"step '{step}' failed (exit {result.returncode}) after {seconds:.0f} s:\n"
            f"$ {command}\n--- stdout\n{result.stdout[-3000:]}\n"
            f"--- stderr\n{result.stderr[-3000:]}"
        )
    print(f"{step}: {seconds:.1f} s")
    return result


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


def _readme_steps(folder):
    text = (folder / "README.md").read_text()
    (block,) = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    setup = [line for line in lines if not RUN_COMMANDS.match(line)]
    assert len(setup) < len(lines), "the README names no command that runs a chapter"
    return setup


def test_the_bundle_holds_every_chapter(bundle_folder):
    names = {p.name for p in bundle_folder.iterdir()}
    for chapter in CHAPTERS:
        stem = chapter.rsplit("/", 1)[1].removesuffix(".html")
        assert {f"{stem}.py", f"{stem}.ipynb"} <= names
    assert {"README.md", "requirements.txt"} <= names
    requirements = (bundle_folder / "requirements.txt").read_text()
    (wheel,) = [n for n in names if n.endswith(".whl")]
    assert f"./{wheel}" in requirements.splitlines()
    for tool in ("sphinx", "pytest", "playwright", "nox"):
        assert not re.search(rf"^{tool}[=-]", requirements, flags=re.M), tool


def test_a_fresh_venv_runs_every_chapter_from_the_bundle(bundle_folder):
    setup = " && ".join(_readme_steps(bundle_folder))
    _run("follow the README: venv and pip install", setup, bundle_folder, 1800)
    activate = ". .venv/bin/activate"
    for script in sorted(bundle_folder.glob("0*.py")):
        _run(f"python {script.name}", f"{activate} && python {script.name}",
             bundle_folder, 900)  # fmt: skip
    for notebook in sorted(bundle_folder.glob("0*.ipynb")):
        _run(f"jupyter execute {notebook.name}",
             f"{activate} && jupyter execute --timeout=900 {notebook.name}",
             bundle_folder, 1200)  # fmt: skip
