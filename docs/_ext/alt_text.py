"""Alt texts that describe each figure, written when the gallery saves it.

sphinx-gallery's alt text for a figure is its titles joined, and the script's
name ("00 conventions") when it has none; matplotlib's math stays raw in it
("Å$^{-3/2}$"). :class:`AltTextScraper` wraps the gallery's matplotlib scraper
(``figure_text.FigureTextScraper``): while the figures still exist it describes
each one, from its titles and, panel by panel, what its axes show (their labels,
the colour bar's, the legend's entries), with the math as plain text
(:func:`plain_text`), and puts that in the ``:alt:`` of the figure's image. A
figure with no title and no labelled axis is named by its number and its page.

The scraper is a class of its own module, configured as an instance in
``conf.py``: Sphinx pickles sphinx-gallery's configuration with its
environment, and cannot pickle a class defined in ``conf.py``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

#: matplotlib's math commands that have a plain-text character
_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ",
    "epsilon": "ε", "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν", "pi": "π",
    "rho": "ρ", "sigma": "σ", "Sigma": "Σ", "tau": "τ", "phi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Omega": "Ω", "times": "×", "cdot": "·",
    "otimes": "⊗", "pm": "±", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥",
    "approx": "≈", "neq": "≠", "infty": "∞", "langle": "⟨", "rangle": "⟩",
    "to": "→", "rightarrow": "→", "AA": "Å", "circ": "°", "degree": "°",
    "prime": "′", "sum": "Σ", "partial": "∂", "nabla": "∇", "sqrt": "√",
    "hbar": "ħ", "ell": "ℓ", "perp": "⊥", "parallel": "∥", "quad": " ",
    "qquad": " ", ",": " ", ";": " ", "!": "", " ": " ",
}  # fmt: skip
_SUPER, _SUB = "0123456789+-−=()n/", "0123456789+-−=()"
_SUPERSCRIPT = str.maketrans(_SUPER, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿᐟ")
_SUBSCRIPT = str.maketrans(_SUB, "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")
#: a command, with the space between a named one and a letter (Δr from "\Delta r")
_COMMAND = re.compile(r"\\([A-Za-z]+)(?: (?=[A-Za-z]))?|\\([,;! ])")
_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]*)\}|(\\?[^\\{}\s]))")
_FONT = re.compile(r"\\(?:mathrm|mathbf|mathit|mathsf|mathcal|text|operatorname)\{")


def _script(kind: str, text: str) -> str:
    """``text`` as superscript (``kind`` "^") or subscript ("_") characters if
    each has one, else marked: ``^(…)``, ``_i``."""
    table, chars = (_SUPERSCRIPT, _SUPER) if kind == "^" else (_SUBSCRIPT, _SUB)
    if text and all(ch in chars for ch in text):
        return text.translate(table)
    return f"{kind}{text}" if len(text) == 1 else f"{kind}({text})"


def _symbol(match) -> str:
    name = match.group(1) or match.group(2)
    return _SYMBOLS.get(name, name)


def plain_text(text: str) -> str:
    """``text`` with its matplotlib math (``$...$``) written as plain text:
    ``"Å$^{-3/2}$"`` gives ``"Å⁻³ᐟ²"``, ``"$\\alpha$ (°)"`` gives ``"α (°)"``."""

    def math(match):
        inner = match.group(1)
        inner = _FONT.sub("{", inner)
        inner = _COMMAND.sub(_symbol, inner)
        inner = _SCRIPT.sub(
            lambda m: _script(m.group(1), m.group(2) or m.group(3)), inner
        )
        return inner.replace("{", "").replace("}", "")

    text = re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", math, text)
    text = text.replace(r"\$", "$")
    return " ".join(text.split())


def _axes_description(axes) -> str:
    """What one panel shows: its title, then its axes' labels and legend."""
    parts = []
    labels = [plain_text(axes.get_xlabel()), plain_text(axes.get_ylabel())]
    if hasattr(axes, "get_zlabel"):
        labels.append(plain_text(axes.get_zlabel()))
    x, y, *z = labels
    if x and y:
        shown = f"{y} against {x}"
        if z and z[0]:
            shown += f" and {z[0]}"
        parts.append(shown)
    elif x or y:
        parts.append(x or y)
    legend = axes.get_legend()
    if legend is not None:
        entries = [plain_text(t.get_text()) for t in legend.get_texts()]
        entries = [e for e in entries if e]
        if entries:
            parts.append("legend: " + ", ".join(entries))
    return "; ".join(parts)


def describe(figure, fallback: str) -> str:
    """One line that says what ``figure`` shows; ``fallback`` if it has no
    title and no labelled axis."""
    suptitle = getattr(figure, "_suptitle", None)
    head = plain_text(suptitle.get_text()) if suptitle is not None else ""
    panels, colours = [], []
    for axes in figure.axes:
        if axes.get_label() == "<colorbar>":
            label = plain_text(axes.get_ylabel() or axes.get_xlabel())
            if label:
                colours.append(label)
            continue
        title = ", ".join(
            plain_text(axes.get_title(loc=loc))
            for loc in ("left", "center", "right")
            if axes.get_title(loc=loc)
        )
        shown = _axes_description(axes)
        panel = f"{title} ({shown})" if title and shown else title or shown
        if panel and panel not in panels:
            panels.append(panel)
    # a colour bar is not a panel of its own: it tells what the colours mean
    count = f"{len(panels)} panels: " if len(panels) > 1 else ""
    if colours:
        panels.append("colour: " + ", ".join(dict.fromkeys(colours)))
    body = count + "; ".join(panels)
    if not head and not body:
        return fallback
    return f"{head}. {body}" if head and body else head or body


def page_title(script: Path) -> str:
    """The title of a gallery script: the first line of its docstring."""
    try:
        docstring = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")))
    except (OSError, SyntaxError):
        docstring = None
    lines = [line.strip() for line in (docstring or "").splitlines()]
    return next((line for line in lines if line and set(line) != {"="}), script.stem)


_ALT = re.compile(r"^(\s*:alt: ).*$", flags=re.M)


def set_alts(rst: str, alts: list[str]) -> str:
    """``rst`` with its ``:alt:`` options, in order, replaced by ``alts``."""
    found = _ALT.findall(rst)
    if len(found) != len(alts):
        return rst  # not one image per figure: leave sphinx-gallery's text
    replacements = iter(alts)
    return _ALT.sub(lambda m: m.group(1) + next(replacements), rst)


class AltTextScraper:
    """A matplotlib scraper (``inner``) whose images get alt texts that describe
    their figures (see the module)."""

    def __init__(self, inner):
        self.inner = inner

    def __repr__(self):
        # sphinx-gallery compares configurations by their repr
        return f"AltTextScraper({self.inner!r})"

    def __call__(self, block, block_vars, gallery_conf):
        import matplotlib.pyplot as plt

        figures = [plt.figure(number) for number in plt.get_fignums()]
        first = len(block_vars["image_path_iterator"])
        title = page_title(Path(block_vars["src_file"]))
        alts = [
            describe(figure, f"Figure {first + k + 1} of the page “{title}”")
            for k, figure in enumerate(figures)
        ]
        rst = self.inner(block, block_vars, gallery_conf)
        # the same one-line form as sphinx-gallery's own alt text
        return set_alts(rst, [" ".join(alt.split()) for alt in alts])
