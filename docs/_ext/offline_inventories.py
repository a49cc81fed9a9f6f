"""intersphinx inventories with no network: compiled from small text files kept
in the repository (``docs/_inventories``), one line per object that the pages
link to, in the ``objects.inv`` text format, under a ``# base: URL`` line that
gives the address of the library's documentation (the entries' ``uri`` are
relative to it). ``conf.py`` sets ``intersphinx_mapping`` to what
:func:`offline_mapping` returns.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

_BASE = re.compile(r"^# base: (https://\S+/)$", flags=re.M)


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


def offline_mapping(text_dir: Path, out_dir: Path) -> dict[str, tuple[str, str]]:
    """``intersphinx_mapping``: each library's documentation address (its text
    file's ``# base:`` line) with the inventory compiled from that file."""
    mapping = {}
    for name, inventory in build_inventories(text_dir, out_dir).items():
        text = text_dir / f"{name}.txt"
        base = _BASE.search(text.read_text())
        if base is None:
            raise ValueError(
                f"{text} has no '# base: https://…/' line: expected the address "
                "of the library's documentation, which its entries are relative to"
            )
        mapping[name] = (base.group(1), str(inventory))
    return mapping
