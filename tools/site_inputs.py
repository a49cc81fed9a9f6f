"""A hash of what the site is built from, so that ``nox -s docs`` can skip a
build when none of it changed (Sphinx alone takes 3 s to find that out).

The files are those git lists under :data:`SITE_INPUTS`: tracked files and new
ones it does not ignore, so generated output (``docs/_build``, the gallery) is
left out. The noxfile adds the settings a build depends on besides them: the
environment it runs in, the output folder, sphinx-build's options.
"""

import hashlib
import subprocess
from pathlib import Path

SITE_INPUTS = (
    "docs", "examples", "src", "data", "pyproject.toml", "requirements",
    "README.md",  # the long description of the helpers' wheel, which the site ships
    "noxfile.py", "tools/site_inputs.py",
)  # fmt: skip


def record_path(site: Path) -> Path:
    """Where the key of the last successful build of ``site`` is kept: beside
    the site, so that it is not published with it."""
    return site.parent / f".{site.name}.inputs.sha256"


def inputs_key(
    root: Path, settings: list[str], paths: tuple[str, ...] = SITE_INPUTS
) -> str | None:
    """sha256 of the files git lists under ``paths`` of ``root`` (by default
    those the site is built from; names and contents) and of ``settings``; None
    if git cannot list the files."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard",
             "--", *paths],
            cwd=root, capture_output=True, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    digest = hashlib.sha256()
    for name in sorted(set(filter(None, listed.split(b"\0")))):
        path = root / name.decode()
        if path.is_file():  # git still lists a tracked file that was deleted
            digest.update(name + b"\0" + path.read_bytes() + b"\0")
    digest.update("\0".join(settings).encode())
    return digest.hexdigest()
