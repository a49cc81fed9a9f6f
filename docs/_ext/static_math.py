"""Math typeset when the site is built: pages carry HTML and CSS, no math engine.

MathJax 3, from the ``django-static-mathjax`` wheel on PyPI, runs once per build
in Node.js (its ``es5/node-main.js``) on every formula of the site and writes
CommonHTML: the same rendering the browser would have made, with the formula
also as MathML for screen readers (``assistive-mml``). The pages link one small
stylesheet and MathJax's own web fonts, served from ``_static/math``; they load
no script for math, so nothing blocks the reader and nothing moves.

It is Sphinx's HTML math renderer ``static_mathjax``, in place of
``sphinx.ext.mathjax``. Display math follows ``sphinx.ext.mathjax``: paragraphs
are aligned equations, and a part with ``\\\\`` is a ``split``.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util.math import get_node_equation_number

FONTS = "woff-v2"
STYLESHEET = "math/static-math.css"

_NODE_SCRIPT = r"""
const [es5, input, output] = process.argv.slice(2);
const fs = require("fs");
const MathJax = require(es5 + "/node-main.js");
MathJax.init({
    loader: {
        paths: { mathjax: es5 },
        load: ["input/tex-full", "output/chtml", "a11y/assistive-mml"],
    },
    chtml: { fontURL: "FONTS" },
    startup: { typeset: false },
}).then((MathJax) => {
    const adaptor = MathJax.startup.adaptor;
    const formulas = JSON.parse(fs.readFileSync(input, "utf8"));
    const rendered = formulas.map(([tex, display]) => {
        const node = MathJax.tex2chtml(tex, { display });
        const errors = adaptor.tags(node, "mjx-merror");
        if (errors.length) {
            throw new Error(`TeX error in ${tex}: ${adaptor.textContent(errors[0])}`);
        }
        return adaptor.outerHTML(node);
    });
    const css = adaptor.textContent(MathJax.chtmlStylesheet());
    fs.writeFileSync(output, JSON.stringify({ rendered, css }));
}).catch((error) => {
    console.error(error.message || error);
    process.exit(1);
});
""".replace("FONTS", FONTS)


def _mathjax_es5() -> Path:
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError(
            "MathJax is missing: install the docs dependencies (`pip install .[docs]`)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "static/mathjax/es5"


def _display_tex(node) -> str:
    """The TeX that sphinx.ext.mathjax would hand MathJax for a math block."""
    if node.get("no-wrap", node.get("nowrap", False)):
        return node.astext()
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    parts = [
        rf"\begin{{split}}{part}\end{{split}}" if r"\\" in part else part
        for part in parts
    ]
    if len(parts) > 1:
        joined = r"\\".join(parts)
        return rf"\begin{{align}}\begin{{aligned}}{joined}\end{{aligned}}\end{{align}}"
    return parts[0] if parts else ""


def _formulas_of(doctree) -> list:
    found = {(node.astext(), False) for node in doctree.findall(nodes.math)}
    found |= {(_display_tex(n), True) for n in doctree.findall(nodes.math_block)}
    return sorted(found)


def _record_formulas(app, doctree):
    """Keep each page's formulas in the environment, so that a build that reads
    no page need not load every doctree to find them."""
    if not hasattr(app.env, "static_math_formulas"):
        app.env.static_math_formulas = {}
    app.env.static_math_formulas[app.env.docname] = _formulas_of(doctree)


def _forget_formulas(app, env, docname):
    getattr(env, "static_math_formulas", {}).pop(docname, None)


def _merge_formulas(app, env, docnames, other):
    if not hasattr(env, "static_math_formulas"):
        env.static_math_formulas = {}
    theirs = getattr(other, "static_math_formulas", {})
    env.static_math_formulas.update({d: theirs[d] for d in docnames if d in theirs})


def _formulas(env):
    recorded = getattr(env, "static_math_formulas", {})
    found = set()
    for docname in sorted(env.found_docs):
        if docname in recorded:
            found.update(map(tuple, recorded[docname]))
            continue
        try:  # an environment from before this extension recorded formulas
            found.update(_formulas_of(env.get_doctree(docname)))
        except FileNotFoundError:
            continue
    return sorted(found)


def typeset(formulas, es5: Path):
    """The CommonHTML of each (tex, display) formula, in their order, and the
    stylesheet they need, from Node.js."""
    node = shutil.which("node")
    if node is None:
        raise ExtensionError(
            "Node.js is needed to typeset the math at build time: install it "
            "(Debian: `apt-get install nodejs`)"
        )
    with tempfile.TemporaryDirectory() as scratch:
        script, source, target = (Path(scratch) / n for n in ("t.js", "i", "o"))
        script.write_text(_NODE_SCRIPT)
        source.write_text(json.dumps(formulas))
        result = subprocess.run(
            [node, str(script), str(es5), str(source), str(target)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise ExtensionError(f"MathJax failed in Node.js: {result.stderr.strip()}")
        output = json.loads(target.read_text())
    return output["rendered"], output["css"]


def _typeset_site(app, env):
    formulas = _formulas(env)
    es5 = _mathjax_es5()
    # MathJax runs again only when a formula, MathJax or this file changed
    key = hashlib.sha256(
        json.dumps([formulas, str(es5), Path(__file__).read_text()]).encode()
    ).hexdigest()
    cache = Path(app.doctreedir) / "static_math.json"
    cached = json.loads(cache.read_text()) if cache.is_file() else {}
    if cached.get("key") == key:
        rendered, css = cached["rendered"], cached["css"]
    else:
        rendered, css = typeset(formulas, es5)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"key": key, "rendered": rendered, "css": css}))
    app.static_math = dict(zip(map(tuple, formulas), rendered, strict=True))
    static = Path(app.confdir) / "_build" / "_generated" / "static" / "math"
    fonts = static / FONTS
    if not fonts.is_dir():
        shutil.copytree(es5 / "output" / "chtml" / "fonts" / FONTS, fonts)
    stylesheet = static / Path(STYLESHEET).name
    if not stylesheet.is_file() or stylesheet.read_text() != css:
        stylesheet.write_text(css)
    return []


def _rendered(self, tex, display):
    try:
        return self.builder.app.static_math[tex, display]
    except (AttributeError, KeyError):
        raise ExtensionError(f"no typeset version of the formula {tex!r}") from None


def visit_math(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate"))
    self.body.append(_rendered(self, node.astext(), False) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node):
    self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({html.escape(str(number))})')
        self.add_permalink_ref(node, "Link to this equation")
        self.body.append("</span>")
    self.body.append(_rendered(self, _display_tex(node), True) + "</div>\n")
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer(
        "static_mathjax", (visit_math, None), (visit_displaymath, None)
    )
    app.add_css_file(STYLESHEET)
    app.connect("doctree-read", _record_formulas)
    app.connect("env-purge-doc", _forget_formulas)
    app.connect("env-merge-info", _merge_formulas)
    app.connect("env-updated", _typeset_site)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
