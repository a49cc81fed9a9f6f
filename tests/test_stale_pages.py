"""The gallery's output of a removed or renamed script goes, and nothing else
(``docs/_ext/stale_pages.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

from stale_pages import (  # noqa: E402
    forget_runs,
    stale_outputs,
    unloaded_datasets,
)

KEPT = "05_2_lambda_soap"
GONE = "05_lambda_soap"


def _touch(folder, *names):
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")


def _outputs(stem):
    return [
        f"{stem}.rst",
        f"{stem}.py",
        f"{stem}.ipynb",
        f"{stem}.zip",
        f"{stem}.codeobj.json",
        f"{stem}.py.md5",
        f"reader-scripts/{stem}.py",
        f"images/sphx_glr_{stem}_001.png",
        f"images/sphx_glr_{stem}_001_2_00x.png",
        f"images/sphx_glr_{stem}_001.png.text.json",
        f"images/thumb/sphx_glr_{stem}_thumb.png",
    ]


def test_only_the_outputs_of_removed_scripts_are_stale(tmp_path):
    gallery, examples = tmp_path / "auto_examples", tmp_path / "examples"
    _touch(examples, f"{KEPT}.py", f"fig_{KEPT}_001.json", f"fig_{GONE}_003.json")
    _touch(gallery, "index.rst", *_outputs(KEPT), *_outputs(GONE))
    site = tmp_path / "html"
    built = [
        "auto_examples/{}.html",
        "_images/sphx_glr_{}_001.png",
        "_downloads/ab12/{}.zip",
    ]
    _touch(site, *(name.format(stem) for stem in (KEPT, GONE) for name in built))
    found = stale_outputs(gallery, examples, site)
    stale = {path.relative_to(tmp_path).as_posix() for path in found}
    expected = {f"auto_examples/{name}" for name in _outputs(GONE)}
    expected |= {f"html/{name.format(GONE)}" for name in built}
    assert stale == expected | {f"examples/fig_{GONE}_003.json"}


def test_a_page_left_only_in_the_site_is_stale_too(tmp_path):
    gallery, examples, site = (
        tmp_path / "auto_examples",
        tmp_path / "ex",
        tmp_path / "html",
    )
    _touch(examples, f"{KEPT}.py")
    _touch(site, f"auto_examples/{GONE}.html", f"auto_examples/{KEPT}.html")
    assert stale_outputs(gallery, examples, site) == [
        site / f"auto_examples/{GONE}.html"
    ]


def test_nothing_is_stale_when_every_script_is_there(tmp_path):
    gallery, examples = tmp_path / "auto_examples", tmp_path / "examples"
    _touch(examples, f"{KEPT}.py")
    _touch(gallery, "index.rst", *_outputs(KEPT))
    assert stale_outputs(gallery, examples, tmp_path / "html") == []
    assert stale_outputs(tmp_path / "not-built", examples, tmp_path / "html") == []


def test_every_script_runs_again_when_what_it_runs_with_changed(tmp_path):
    gallery = tmp_path / "auto_examples"
    _touch(gallery, f"{KEPT}.py.md5", "06_2_learning_rotations.py.md5", "index.rst")
    assert forget_runs(gallery, "helpers v1") == 2  # no record yet: all run
    assert not list(gallery.glob("*.md5"))
    _touch(gallery, f"{KEPT}.py.md5")  # the script ran with helpers v1
    assert forget_runs(gallery, "helpers v1") == 0
    assert (gallery / f"{KEPT}.py.md5").is_file()
    assert forget_runs(gallery, "helpers v2") == 1  # a helper was edited
    assert not (gallery / f"{KEPT}.py.md5").exists()
    _touch(gallery, f"{KEPT}.py.md5")
    assert forget_runs(gallery, None) == 1  # no hash: run again, to be safe
    assert (gallery / "index.rst").is_file()


def test_datasets_no_page_loads_are_removed(tmp_path):
    old, new = "1a2b-fig_02_rotations_001", "3c4d-fig_02_rotations_001"
    names = [f"_datasets/{n}.{ext}" for n in (old, new) for ext in ("json", "js")]
    _touch(tmp_path, *names)
    (tmp_path / "auto_examples").mkdir()
    (tmp_path / "auto_examples" / "02.html").write_text(
        f'<div data-chemiscope-path="../_datasets/{new}.json" '
        f'data-chemiscope-script="../_datasets/{new}.js"></div>'
    )
    found = {path.name for path in unloaded_datasets(tmp_path)}
    assert found == {f"{old}.json", f"{old}.js"}
    assert unloaded_datasets(tmp_path / "no-site") == []
