"""intersphinx inventories with no network: compiled from small text files kept
in the repository (``docs/_inventories``), one line per object that the pages
link to, in the ``objects.inv`` text format. ``conf.py`` calls
:func:`build_inventories` and points intersphinx at the files it writes.
"""

from __future__ import annotations

import zlib
from pathlib import Path


def build_inventories(text_dir: Path, out_dir: Path) -> dict[str, Path]:
    """Compile ``name domain:role priority uri dispname`` text files into
    Sphinx ``objects.inv`` files (format version 2)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    inventories = {}
    for text in sorted(text_dir.glob("*.txt")):
        lines = [
            line
            for line in text.read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
        header = (
            "# Sphinx inventory version 2\n"
            f"# Project: {text.stem}\n# Version: \n"
            "# The remainder of this file is compressed using zlib.\n"
        )
        body = zlib.compress(("\n".join(lines) + "\n").encode())
        target = out_dir / f"{text.stem}.inv"
        content = header.encode() + body
        if not target.is_file() or target.read_bytes() != content:
            target.write_bytes(content)
        inventories[text.stem] = target
    return inventories
