"""What ``docs/_ext/alt_text.py`` writes as a figure's alt text: what the figure
shows, in plain text, never the script's name nor matplotlib's raw math."""

import re
import sys
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib", reason="needs the docs dependencies")
matplotlib.use("Agg")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

import alt_text  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

#: what raw math looks like in text: a $, a backslash command, ^{ or _{
RAW_MATH = re.compile(r"\$|\\[A-Za-z]|[\^_]\{")


@pytest.mark.parametrize(
    ("math", "plain"),
    [
        ("0.2 Å$^{-3/2}$", "0.2 Å⁻³ᐟ²"),
        (r"$\alpha$ (°)", "α (°)"),
        (r"$\Delta r$ (Å)", "Δr (Å)"),
        (r"$\langle l_1 m_1 | \lambda m \rangle$", "⟨l₁ m₁ | λm ⟩"),
        (r"$\mathrm{MSE}_c$", "MSE_c"),
        (r"$e^{-r^2/2w^2}$", "e^(-r^2/2w^2)"),
        ("no math, 5 $", "no math, 5 $"),
    ],
)
def test_plain_text_writes_math_without_tex(math, plain):
    assert alt_text.plain_text(math) == plain


def test_a_figure_without_titles_is_described_by_its_axes():
    fig, ax = plt.subplots()
    image = ax.matshow([[0, 1], [1, 0]])
    ax.set_xlabel("component m")
    ax.set_ylabel("direction of the O–H bond")
    fig.colorbar(image, label="coefficient / largest")
    try:
        alt = alt_text.describe(fig, "fallback")
    finally:
        plt.close(fig)
    assert alt == (
        "direction of the O–H bond against component m; colour: coefficient / largest"
    )


def test_titles_and_legends_come_in_plain_text():
    fig, (left, right) = plt.subplots(1, 2)
    fig.suptitle(r"Densities in Å$^{-3/2}$")
    left.plot([0, 1], label=r"$l \leq 1$")
    left.legend()
    left.set_title("truncated")
    right.set_title(r"$\rho$ itself")
    try:
        alt = alt_text.describe(fig, "fallback")
    finally:
        plt.close(fig)
    assert alt == ("Densities in Å⁻³ᐟ². 2 panels: truncated (legend: l ≤ 1); ρ itself")
    assert not RAW_MATH.search(alt)


def test_a_figure_with_nothing_to_say_gets_its_number_and_page():
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    try:
        assert alt_text.describe(fig, "Figure 3 of “Conventions”") == (
            "Figure 3 of “Conventions”"
        )
    finally:
        plt.close(fig)


def test_set_alts_replaces_each_alt_in_order_and_only_when_they_match():
    rst = (
        ".. image-sg:: /a_001.png\n   :alt: 00 conventions\n"
        ".. image-sg:: /a_002.png\n   :alt: Å$^{-3/2}$\n"
    )
    assert alt_text.set_alts(rst, ["one", "two"]) == (
        ".. image-sg:: /a_001.png\n   :alt: one\n"
        ".. image-sg:: /a_002.png\n   :alt: two\n"
    )
    assert alt_text.set_alts(rst, ["one"]) == rst


def test_page_title_is_the_docstring_title(tmp_path):
    script = tmp_path / "00_conventions.py"
    script.write_text('"""\nConventions\n===========\n\nText.\n"""\nx = 1\n')
    assert alt_text.page_title(script) == "Conventions"
