"""Sphinx configuration of "Equivariant ML models — a tutorial introduction"."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE / "_ext"), str(HERE.parent / "tools")]

from alt_text import AltTextScraper  # noqa: E402
from figure_text import FigureTextScraper  # noqa: E402
from offline_inventories import offline_mapping  # noqa: E402
from offline_widgets import WidgetScraper  # noqa: E402
from site_inputs import inputs_key  # noqa: E402
from stale_pages import SCRIPT_INPUTS, forget_runs  # noqa: E402

project = "Equivariant ML models — a tutorial introduction"
author = "the tutorial authors"
copyright = "2026, the tutorial authors"
html_title = "Equivariant ML models"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "static_math",  # math typeset at build time (MathJax in Node.js), no script
    "sphinx.ext.viewcode",
    "sphinx_design",
    "exercises",  # solutions folded away, their code run and asserted
    "learning_path",  # the pages in order, with their reading times
    "sphinx_copybutton",  # a copy button on code blocks (its script deferred)
    "stale_pages",  # the gallery's output forgets removed and renamed scripts
    "sphinx_gallery.gen_gallery",
    "code_links",  # links from code to what it calls, not to variables' types
    "sphinxcontrib.bibtex",
    "offline_widgets",  # loads chemiscope.sphinx; widgets offline and lazy
    "accessible_site",
    "reader_downloads",  # the helpers' wheel, the zips, clean notebooks
    "page_description",  # a meta description on every page
    "article_width",  # the article's final width from the first paint
    "figure_sizes",  # figures keep their space while they load, and load lazily
    "plain_code_tokens",  # code without the spans that style nothing
    "deferred_scripts",  # no script blocks the first paint (after the others)
    "site_stylesheet",  # one stylesheet without the rules no page uses; fonts cut
]

# sg_execution_times: left over from builds before the times were kept out
# The published address, from the deploy workflow: canonical links and a sitemap.
# Unset, the site links nothing absolute (and builds the same bytes anywhere).
html_baseurl = os.environ.get("SITE_URL", "")
if html_baseurl:
    extensions.append("sphinx_sitemap")
    sitemap_url_scheme = "{link}"

exclude_patterns = ["_build", "**/_datasets", "**sg_execution_times.rst"]
# Every cross-reference must resolve: with -W an unresolved one fails the build.
nitpicky = True
# Sphinx makes a reference of every word of a docstring's parameter type, and
# numpydoc's types are not all names: its vocabulary, an array's dimensions
# ("array_like, shape (n, 2 l + 1), optional") and sets of allowed values
# ("{1, 2}") name no object. Every other word must resolve.
nitpick_ignore_regex = [
    ("py:class", r"array_like|shape|optional|sequence|callable"),
    ("py:class", r"\d+|[A-Za-z]|n_[a-z]+|degree|.*\+.*"),
    ("py:class", r"\{.*|.*\}"),
]

# ---- everything is served from the site itself ---------------------------------
_generated = HERE / "_build" / "_generated"
(_generated / "static").mkdir(parents=True, exist_ok=True)
html_math_renderer = "static_mathjax"
html_static_path = ["_static", str(_generated / "static")]
templates_path = ["_templates"]
html_css_files = ["custom.css"]
html_favicon = "_static/favicon.svg"

# each library's documentation address and inventory, from docs/_inventories
intersphinx_mapping = offline_mapping(HERE / "_inventories", _generated / "inventories")

# ---- theme ------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
# The chapters' widgets and code use the page's full width: no "On this page"
# sidebar beside them (docs/_ext/article_width.py gives the article its width).
# Each chapter by name: the theme warns when a page matches two wildcards.
_FULL_WIDTH_PAGES = sorted(
    f"auto_examples/{script.stem}"
    for script in (HERE.parent / "examples").glob("[0-9]*.py")
)
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": {
        "**": ["page-toc", "edit-this-page", "sourcelink"],
        **{page: [] for page in _FULL_WIDTH_PAGES},
    },
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# an explicit default avoids "Got invalid theme mode" in a fresh browser profile
html_context = {"default_mode": "auto"}
html_sidebars = {"index": [], "conventions": [], "bibliography": []}
html_show_sourcelink = False

# ---- API reference ----------------------------------------------------------------
autodoc_default_options = {"members": True, "undoc-members": False}
autodoc_typehints = "description"
napoleon_numpy_docstring = True
napoleon_google_docstring = False

# ---- bibliography -----------------------------------------------------------------
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "unsrt"

# ---- code blocks ------------------------------------------------------------------
# The copy button copies code, never prompts, line numbers or output: it sits on
# code blocks only (not on the printed output under them); in a block with
# prompts (">>> ", "... ", "$ ") it copies the lines that have one, without it,
# and leaves out the others, which are output. Highlighted prompts (.gp) are
# not excluded: their lines would then look like output.
copybutton_selector = "div:not(.sphx-glr-script-out) > div.highlight > pre"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_exclude = ".linenos, .go"


# ---- the gallery ------------------------------------------------------------------
def _scripts_to_run(examples: Path, gallery: Path) -> int:
    """How many scripts sphinx-gallery will run: those that changed since it last
    ran them (it keeps the md5 of each one's last run beside its copy)."""
    from sphinx_gallery.utils import get_md5sum

    records = [
        (script, gallery / f"{script.name}.md5") for script in examples.glob("*.py")
    ]
    return sum(
        not record.is_file() or record.read_text() != get_md5sum(script, "t")
        for script, record in records
    )


# every script runs again after an edit of the helpers, data or packages
forget_runs(HERE / "auto_examples", inputs_key(HERE.parent, [], SCRIPT_INPUTS))
_TO_RUN = _scripts_to_run(HERE.parent / "examples", HERE / "auto_examples")

sphinx_gallery_conf = {
    "examples_dirs": ["../examples"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": "/",
    # the scripts to run run side by side, one per core (at most 4: each takes
    # memory); one runs alone, without the second that workers take to start
    "parallel": max(1, min(4, os.cpu_count() or 1, _TO_RUN)),
    # the chapters by number, then the conventions, a reference page
    "within_subsection_order": "gallery_order.ChaptersThenReference",
    # the matplotlib scraper, recording each figure's width and smallest text
    # (docs/_ext/figure_text.py), its images' alt texts describing the figures
    # (alt_text.py), then chemiscope's, writing plain JSON (no pako needed to
    # inflate it) under names numbered by chapter (offline_widgets.py)
    "image_scrapers": (AltTextScraper(FigureTextScraper()), WidgetScraper()),
    # each figure also at twice the density, for sharp text on dense screens
    "image_srcset": ["2x"],
    # chemiscope.show(...) ends its cell: the widget is its output, and its
    # empty HTML representation would leave a blank under it
    "ignore_repr_types": r"^<class 'chemiscope\.widget\.",
    "download_all_examples": False,
    "remove_config_comments": True,
    "doc_module": ("tutorial_helpers",),
    "backreferences_dir": None,
    "matplotlib_animations": False,
    "show_memory": False,
    # running times change from build to build: keep them out of the pages, so
    # that a build is reproducible (`nox -s bench` reports them instead)
    "min_reported_time": float("inf"),
    "write_computation_times": False,
    # the notebooks run from the zip's folder install what they need first
    "first_notebook_cell": (
        '# What this notebook needs comes in its chapter\'s zip ("Download zipped"\n'
        "# on its page) or in the bundle. Run from the unzipped folder, this cell\n"
        "# installs the helpers and every library at the version the site was\n"
        "# built with: python -m pip install -r requirements.txt. Elsewhere it\n"
        "# installs nothing.\n"
        "%matplotlib inline\n"
        "from pathlib import Path\n"
        "\n"
        "if Path('requirements.txt').is_file():\n"
        "    %pip install --quiet -r requirements.txt"
    ),
}
