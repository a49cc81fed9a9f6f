"""The order of the gallery: the chapters by their number, then the reference.

The conventions page (``00_conventions.py``) is a reference that every chapter
links to, not a first step: the gallery and the sidebar list it after the
chapters. sphinx-gallery imports this class by name
(``within_subsection_order``) and makes it with the gallery's folder.
"""

from pathlib import Path

#: the scripts that are reference pages rather than chapters
REFERENCE = {"00_conventions.py"}


class ChaptersThenReference:
    """Sort key of sphinx-gallery: chapters by file name, then reference pages."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename) -> tuple[bool, str]:
        return (Path(filename).name in REFERENCE, str(filename))

    def __repr__(self):
        return f"<{type(self).__name__}>"
