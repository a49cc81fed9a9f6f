"""What the site's own Sphinx code relies on in chemiscope and sphinx-gallery.

Each test pins one behaviour beyond their documented use (listed, with the
reason, in ``docs/_ext/offline_widgets.py`` and ``docs/_ext/reader_downloads.py``)
and says what changed upstream when it fails. ``nox -s upstream`` runs them
against the newest releases.
"""

import re
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx_gallery", reason="needs the docs dependencies")

DOCS_EXT = Path(__file__).resolve().parents[1] / "docs" / "_ext"
sys.path.insert(0, str(DOCS_EXT))

import chemiscope.sphinx  # noqa: E402
from offline_widgets import WidgetScraper, offline_widget_html  # noqa: E402
from reader_downloads import (  # noqa: E402
    _DOWNLOAD_NOTE,
    _FIRST_CODE,
    NotebookText,
    relabel_buttons,
)


class _Builder:
    def __init__(self, outdir):
        self.outdir = str(outdir)
        self.current_docname = "auto_examples/00_page"

    def get_outfilename(self, docname):
        return str(Path(self.outdir) / f"{docname}.html")


class _Translator:
    def __init__(self, outdir):
        self.builder = _Builder(outdir)
        self.body = []


def _widget_html(tmp_path, include_headers=True):
    node = chemiscope.sphinx.chemiscope(
        filepath="_datasets/fig_00_page_001.json",
        mode="default",
        warning_timeout=2000,
        include_headers=include_headers,
    )
    translator = _Translator(tmp_path)
    chemiscope.sphinx.visit_chemiscope_html(translator, node)
    return "".join(translator.body)


def test_chemiscope_sphinx_exports_its_node_and_html_visitor(tmp_path):
    for name in ("chemiscope", "visit_chemiscope_html", "depart_chemiscope_html"):
        assert hasattr(chemiscope.sphinx, name), (
            f"chemiscope.sphinx no longer exports {name}: offline_widgets.py overrides "
            "the chemiscope node's HTML visitor with it"
        )
    assert "fig_00_page_001.json" in _widget_html(tmp_path), (
        "visit_chemiscope_html no longer appends the widget HTML to self.body"
    )


def test_the_widget_html_can_be_made_offline_lazy_and_reproducible(tmp_path):
    html = _widget_html(tmp_path)
    offline, arguments = offline_widget_html(html, "../_static", "chsp-page-7")
    assert "https://" not in offline, (
        "chemiscope.sphinx's widget HTML loads something remote in a way that "
        "offline_widgets._CDN_SCRIPT does not remove"
    )
    assert "<script" not in offline, (
        "a script is left in the widget HTML: chemiscope would load eagerly"
    )
    assert arguments == {
        "id": "chsp-page-7",
        "path": "_datasets/fig_00_page_001.json",
        "mode": "default",
        "timeout": "2000",
    }, "chemiscope.sphinx changed its call loadChemiscopeSphinx(id, path, mode, ...)"
    assert re.search(r"chsp-[0-9a-f]{8}-", offline) is None, (
        "a random widget id is left: builds would differ"
    )
    assert 'id="chsp-page-7"' in offline
    assert re.search(r"<div [^>]*/>", offline) is None


def test_a_second_widget_on_a_page_loads_no_scripts(tmp_path):
    second = _widget_html(tmp_path, include_headers=False)
    assert "<script src=" not in second, (
        "chemiscope.sphinx's widgets without headers now load scripts"
    )
    offline, arguments = offline_widget_html(second, "../_static", "chsp-page-9")
    assert arguments["id"] == "chsp-page-9" and 'id="chsp-page-9"' in offline


def test_the_loader_has_the_globals_that_the_site_script_wraps():
    script = (
        Path(chemiscope.sphinx.__file__).parent / "static" / "chemiscope-sphinx.js"
    ).read_text()
    for name in ("fetchDataset", "loadChemiscopeSphinx"):
        assert re.search(rf"^(async )?function {name}\(", script, flags=re.M), (
            f"chemiscope-sphinx.js no longer defines the global {name}, which "
            "_static/chemiscope-site.js wraps to read datasets embedded in the page"
        )
    assert re.search(r"await fetchDataset\(", script), (
        "loadChemiscopeSphinx no longer reads datasets through fetchDataset"
    )


def test_the_scraper_writes_plain_json_when_asked():
    scraper = chemiscope.sphinx.ChemiscopeScraper()
    scraper.iterator.extension = ".json"
    assert scraper.get_dataset_filename("00_page").endswith(".json"), (
        "ChemiscopeScraper().iterator.extension no longer picks the dataset format: "
        "datasets would be gzipped and need pako from a CDN"
    )


@pytest.mark.filterwarnings("ignore:chemiscope.show only displays")
def test_each_chapter_numbers_its_widgets_from_one(tmp_path):
    # chapters that run in one process, as sphinx-gallery's workers run them
    import ase
    import chemiscope

    water = ase.Atoms("OH2", positions=[[0, 0, 0], [0.96, 0, 0], [-0.24, 0.93, 0]])
    scraper = WidgetScraper()
    written = []
    for chapter, widgets in (("01_first", 2), ("02_second", 1)):
        source = tmp_path / "examples" / f"{chapter}.py"
        source.parent.mkdir(exist_ok=True)
        for _ in range(widgets):
            block_vars = {
                "example_globals": {"___": chemiscope.show([water], mode="structure")},
                "target_file": str(tmp_path / "gallery" / f"{chapter}.py"),
                "src_file": str(source),
            }
            rst = scraper(None, block_vars, {})
            written.append(rst.split()[2])  # .. chemiscope:: <dataset>
    assert written == [
        "_datasets/fig_01_first_001.json",
        "_datasets/fig_01_first_002.json",
        "_datasets/fig_02_second_001.json",
    ], "chemiscope's scraper no longer numbers datasets with iterator.counter"


def test_sphinx_gallery_pages_have_the_shape_reader_downloads_edits():
    from sphinx_gallery import gen_rst

    header = gen_rst.EXAMPLE_HEADER.format(
        "auto_examples/00_page.py", "auto_examples_00_page.py", "."
    )
    assert _DOWNLOAD_NOTE.search(header), (
        "sphinx-gallery's 'Go to the end to download' note changed shape: "
        "reader_downloads cannot replace it by the 'Run it yourself' tip"
    )
    assert _FIRST_CODE.match(gen_rst.RST_BLOCK_HEADER.format(1, 2)), (
        "sphinx-gallery no longer marks code blocks with 'GENERATED FROM PYTHON "
        "SOURCE LINES': reader_downloads cannot place the tip before the first code"
    )
    buttons = gen_rst.CODE_DOWNLOAD.format("00_page.py", "Python")
    buttons += gen_rst.ZIP_DOWNLOAD.format("00_page.zip")
    relabelled = relabel_buttons(buttons, "00_page")  # raises if it cannot
    assert "<reader-scripts/00_page.py>`" in relabelled
    assert "Download zipped, ready to run: 00_page.zip" in relabelled


def test_sphinx_gallery_notebooks_keep_roles_that_notebook_text_converts():
    from sphinx_gallery.gen_gallery import DEFAULT_GALLERY_CONF
    from sphinx_gallery.notebook import rst2md

    for key in ("first_notebook_cell", "write_computation_times", "min_reported_time"):
        assert key in DEFAULT_GALLERY_CONF, f"sphinx-gallery lost the option {key}"
    rst = (
        "See :ref:`the conventions <conventions-euler>`, :ref:`conventions` and "
        ":func:`~tutorial_helpers.rotations.rotation_matrix` :cite:p:`ps`."
    )
    markdown = rst2md(rst, dict(DEFAULT_GALLERY_CONF), ".", {})
    convert = NotebookText(
        labels={
            "conventions": ("auto_examples/00_conventions", "Conventions"),
            "conventions-euler": ("auto_examples/00_conventions", "Euler angles"),
        },
        citations={"ps": ("Partridge and Schwenke", "1997", "https://doi.org/x")},
    )
    assert convert(markdown) == (
        "See [the conventions](00_conventions.ipynb), "
        "[Conventions](00_conventions.ipynb) and `rotation_matrix` "
        "([Partridge and Schwenke 1997](https://doi.org/x))."
    ), f"sphinx-gallery's rst2md now writes {markdown!r}"
