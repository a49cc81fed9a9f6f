"""Tasks of the tutorial project. `nox -l` lists them; `nox -s NAME` runs one."""

from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests"]

ROOT = Path(__file__).parent
DATASET = ROOT / "data" / "water-ps-nuprime-theta-grid.xyz"


def _install(session, extra):
    """Install the helpers with an extra; skip when the environment is reused and
    nothing under src/ or pyproject.toml changed since the last install."""
    stamp = Path(session.virtualenv.location) / ".tutorial-helpers-stamp"
    sources = [ROOT / "pyproject.toml", DATASET, *sorted((ROOT / "src").rglob("*.py"))]
    newest = max(path.stat().st_mtime for path in sources)
    if stamp.exists() and stamp.stat().st_mtime >= newest:
        return
    session.install(f".[{extra}]")
    stamp.touch()


@nox.session
def tests(session):
    """Run the unit tests of the helper package (pytest)."""
    _install(session, "tests")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session):
    """Check style with ruff (lint rules and formatting)."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def data(session):
    """Regenerate data/water-ps-nuprime-theta-grid.xyz from the PS model."""
    session.install("-e", ".")
    session.run(
        "python",
        "-c",
        "from tutorial_helpers.dataset import write_water_dataset;"
        f"print('wrote', write_water_dataset({str(DATASET)!r}))",
    )
