"""Links from code to what it calls, not to the type of every variable.

sphinx-gallery links each name of an example's code to its documentation. For
a variable it links the variable's type: every array to numpy's ``ndarray``
page (hundreds on a page), every structure to ``ase.Atoms``, every
TensorMap to its class. Among them the links that teach, to the helpers and to
the featomic, metatensor, ase, chemiscope and numpy functions and classes that
the code calls, were lost. sphinx-gallery marks a link that names a variable's
type with the class ``sphx-glr-backref-instance``; this post-transform, run
after sphinx-gallery's (priority 5), keeps the code of those links and drops
the link. Calls and classes keep theirs, and so do methods named through a
variable (``tensor.keys_to_properties``), which link to the method itself.

(sphinx-gallery's ``inspect_global_variables = False`` would drop the type
links too, but the links to methods with them.)
"""

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

#: the class sphinx-gallery gives a link from a variable to its type
INSTANCE_LINK = "sphx-glr-backref-instance"


def unlink_instances(document: nodes.Node) -> int:
    """Replace every link of ``document`` that names a variable's type by its
    content; return how many there were."""
    links = [
        reference
        for reference in document.findall(nodes.reference)
        if INSTANCE_LINK in reference["classes"]
    ]
    for reference in links:
        # not replace_self(), which gives a lone child the link's classes
        reference.parent.replace(reference, list(reference.children))
    return len(links)


class UnlinkVariableTypes(SphinxPostTransform):
    """Drop the links from variables to their types in the gallery's code."""

    default_priority = 6  # after sphinx-gallery's CodeLinksTransform (5)
    formats = ("html",)

    def run(self, **kwargs):
        unlink_instances(self.document)


def setup(app):
    app.add_post_transform(UnlinkVariableTypes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
