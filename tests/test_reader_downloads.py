"""Parts of docs/_ext/reader_downloads.py that need no Sphinx build."""

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

from reader_downloads import _short_bibliography, _written_after_reading  # noqa: E402

BIB = r"""
@article{three,
  author = {Bart{\'o}k, Albert P. and Kondor, Risi and Cs{\'a}nyi, G{\'a}bor},
  year = {2013}, doi = {10.1103/PhysRevB.87.184115},
}
@article{two,
  author = {Partridge, Harry and Schwenke, David W.},
  year = {1997}, url = {https://example.org/ps},
}
@book{one,
  author = {Musil, F{\'e}lix}, year = {2021},
}
"""


def test_short_bibliography_names_years_and_links(tmp_path):
    bibfile = tmp_path / "references.bib"
    bibfile.write_text(BIB, encoding="utf-8")
    assert _short_bibliography(bibfile) == {
        "three": (
            "Bartók et al.",
            "2013",
            "https://doi.org/10.1103/PhysRevB.87.184115",
        ),
        "two": ("Partridge and Schwenke", "1997", "https://example.org/ps"),
        "one": ("Musil", "2021", ""),
    }


def test_pages_linking_to_files_written_now_count_as_read_now(tmp_path):
    notebook, other = tmp_path / "a.ipynb", tmp_path / "b.zip"
    env = SimpleNamespace(
        all_docs={"a": 10, "b": 20, "index": 30},
        dependencies={"a": {str(notebook)}, "b": {str(other)}, "index": set()},
    )
    _written_after_reading(env, {notebook})
    assert env.all_docs["a"] > 10**15  # now, in microseconds since 1970
    assert env.all_docs["b"] == 20 and env.all_docs["index"] == 30
