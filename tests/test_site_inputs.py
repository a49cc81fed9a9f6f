"""tools/site_inputs.py: the hash that lets `nox -s docs` skip a build."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tools"), str(ROOT / "docs" / "_ext")]

from site_inputs import inputs_key  # noqa: E402
from stale_pages import SCRIPT_INPUTS  # noqa: E402


@pytest.fixture
def checkout(tmp_path):
    """A git work tree with a page, a chapter and an ignored build folder."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("docs/_build/\n")
    (tmp_path / "docs" / "_build").mkdir(parents=True)
    (tmp_path / "docs" / "index.rst").write_text("Home\n====\n")
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "01_water.py").write_text("print('water')\n")
    return tmp_path


def test_the_key_follows_the_sources_and_nothing_else(checkout):
    key = inputs_key(checkout, ["env"])
    assert key is not None and inputs_key(checkout, ["env"]) == key
    # generated output and files outside the inputs leave it alone
    (checkout / "docs" / "_build" / "index.html").write_text("<html>")
    (checkout / "notes.txt").write_text("not an input")
    assert inputs_key(checkout, ["env"]) == key
    # an edit, a new page, another environment or option each change it
    chapter = checkout / "examples" / "01_water.py"
    chapter.write_text("print('ice')\n")
    edited = inputs_key(checkout, ["env"])
    assert edited != key
    chapter.write_text("print('water')\n")
    assert inputs_key(checkout, ["env"]) == key
    (checkout / "docs" / "new.rst").write_text("New\n===\n")
    assert inputs_key(checkout, ["env"]) not in (key, edited)
    assert inputs_key(checkout, ["env", "-q"]) != inputs_key(checkout, ["env"])


def test_a_renamed_file_changes_the_key(checkout):
    key = inputs_key(checkout, [])
    (checkout / "examples" / "01_water.py").rename(checkout / "examples" / "02.py")
    assert inputs_key(checkout, []) != key


def test_outside_a_git_checkout_there_is_no_key(tmp_path):
    # a folder unpacked from an archive: every build runs
    (tmp_path / "docs").mkdir()
    assert inputs_key(tmp_path, []) is None


def test_the_chapters_inputs_follow_the_helpers_not_the_chapters(checkout):
    """The key of docs/_ext/stale_pages.py's SCRIPT_INPUTS: a chapter's own edit
    leaves it alone (sphinx-gallery's md5 of the script tells), a helper's edit
    changes it (every chapter runs again)."""
    helper = checkout / "src" / "tutorial_helpers" / "visualisation.py"
    helper.parent.mkdir(parents=True)
    helper.write_text("ZOOM = 0.62\n")
    key = inputs_key(checkout, [], SCRIPT_INPUTS)
    (checkout / "examples" / "01_water.py").write_text("print('ice')\n")
    assert inputs_key(checkout, [], SCRIPT_INPUTS) == key
    helper.write_text("ZOOM = 0.46\n")
    assert inputs_key(checkout, [], SCRIPT_INPUTS) != key
