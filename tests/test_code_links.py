"""What ``docs/_ext/code_links.py`` does to the links sphinx-gallery puts in code:
a link from a variable to its type goes, its code stays; every other link stays.
"""

import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx_gallery", reason="needs the docs dependencies")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

import code_links  # noqa: E402
from docutils import nodes  # noqa: E402
from docutils.utils import new_document  # noqa: E402
from sphinx_gallery._doctree_links import CodeLinksTransform  # noqa: E402


def _link(text, title, *classes):
    reference = nodes.reference("", "", refuri=f"https://docs/{title}")
    reference["classes"] += [f"sphx-glr-backref-{c}" for c in classes]
    reference += nodes.inline(text, text, classes=["n"])
    return reference


def _code_block():
    """``D = wigner_d(R); D.shape; x = np.einsum(...)`` as sphinx-gallery links
    it: variables to their types, functions to themselves."""
    block = nodes.literal_block()
    block += _link("D", "numpy.ndarray", "type-py-class", "instance")
    block += nodes.Text(" = ")
    block += _link("wigner_d", "tutorial_helpers.wigner_d", "type-py-function")
    block += nodes.Text("(")
    block += _link("R", "numpy.ndarray", "type-py-class", "instance")
    block += nodes.Text(")\n")
    block += _link("tensor.block", "TensorMap.block", "type-py-method")
    block += nodes.Text("()\n")
    block += _link("np.einsum", "numpy.einsum", "type-py-function")
    return block


def test_links_from_variables_to_their_types_go_and_their_code_stays():
    document = new_document("chapter")
    block = _code_block()
    document += block
    text = block.astext()

    assert code_links.unlink_instances(document) == 2

    assert block.astext() == text
    titles = [ref["refuri"] for ref in block.findall(nodes.reference)]
    assert titles == [
        "https://docs/tutorial_helpers.wigner_d",
        "https://docs/TensorMap.block",
        "https://docs/numpy.einsum",
    ]
    # the variable's token keeps its highlighting class
    first = block.children[0]
    assert isinstance(first, nodes.inline) and first["classes"] == ["n"]
    assert first.astext() == "D"


def test_it_runs_after_sphinx_gallery_has_linked_the_code():
    priority = code_links.UnlinkVariableTypes.default_priority
    assert priority > CodeLinksTransform.default_priority


def test_sphinx_gallery_still_marks_links_from_variables_to_their_types():
    # the class this extension looks for is sphinx-gallery's own marker
    source = Path(sys.modules[CodeLinksTransform.__module__].__file__).read_text()
    assert f'"{code_links.INSTANCE_LINK}"' in source
