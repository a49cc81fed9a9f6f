"""Exercises whose solutions are folded away on the page, and run when it builds.

Each chapter ends with an "Exercises" section, then a "Solutions" section in
which every solution opens with the directive ``.. solution:: title``, in a
text block of the script. What follows it, up to the next solution or the end
of the page, is its body: the code cells (which sphinx-gallery runs, and which
end with an ``assert`` on the answer), their output and any text between them.
The directive makes a sphinx-design dropdown, closed, and
:class:`FoldSolutions` moves the body into it, so a reader sees the answer
only when they open it.

The downloads keep the solutions after the exercises, under their own heading:
the notebook shows each directive as a bold line (``notebook_text``), the
script as a comment (``script_text``).

``tests/test_exercises.py`` checks that every chapter has at least two
solutions, each with an assert; the browser suite checks they are folded.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

#: the class of a solution's dropdown
SOLUTION_CLASS = "solution"
#: the directive as it is written in a script or a notebook's text
_DIRECTIVE = re.compile(r"^(?P<indent>[ #]*)\.\. solution:: *(?P<title>.+)$", re.M)


class SolutionDirective(SphinxDirective):
    """``.. solution:: title``: a closed dropdown holding what follows it."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self):
        from sphinx_design.shared import create_component

        container = create_component(
            "dropdown",
            classes=[SOLUTION_CLASS],
            opened=False,
            type="dropdown",
            has_title=True,
            icon="light-bulb",
            chevron=None,
            container_classes=["sd-mb-3", SOLUTION_CLASS],
            title_classes=[],
            body_classes=[],
        )
        self.set_source_info(container)
        title = f"Solution {self.arguments[0]}"
        text_nodes, messages = self.state.inline_text(title, self.lineno)
        container += nodes.rubric(title, "", *text_nodes)
        container += messages
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


def _is_solution(node) -> bool:
    return isinstance(node, nodes.container) and SOLUTION_CLASS in node.get(
        "classes", []
    )


def _ends_a_solution(node) -> bool:
    """A node no solution swallows: the next solution, a new section, or what
    sphinx-gallery puts after the last cell (a target, then ``only`` blocks)."""
    return _is_solution(node) or isinstance(
        node, (nodes.section, nodes.target, addnodes.only)
    )


class FoldSolutions(SphinxTransform):
    """Move what follows each solution's dropdown into it."""

    default_priority = 500

    def apply(self, **kwargs):
        for solution in list(self.document.findall(_is_solution)):
            parent = solution.parent
            start = parent.index(solution) + 1
            body = []
            for sibling in parent.children[start:]:
                if _ends_a_solution(sibling):
                    break
                body.append(sibling)
            if not any(next(node.findall(nodes.literal_block), None) for node in body):
                logger.warning(
                    "a solution holds no code: its `.. solution::` must be "
                    "followed by the code cell that answers the exercise",
                    location=solution,
                )
            for node in body:
                parent.remove(node)
            solution.extend(body)


def notebook_text(text: str) -> str:
    """A notebook's markdown with each ``.. solution::`` as a bold line."""
    return _DIRECTIVE.sub(lambda m: f"{m['indent']}**Solution {m['title']}**", text)


def script_text(text: str) -> str:
    """A script's comments with each ``.. solution::`` as a plain comment."""
    return _DIRECTIVE.sub(lambda m: f"{m['indent']}Solution {m['title']}", text)


def setup(app):
    app.setup_extension("sphinx_design")
    app.add_directive("solution", SolutionDirective)
    app.add_transform(FoldSolutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
