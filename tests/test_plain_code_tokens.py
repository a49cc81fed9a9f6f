"""What ``docs/_ext/plain_code_tokens.py`` changes in a page's body: code keeps its
text, without the highlighting spans that style nothing."""

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("sphinx", reason="needs the docs dependencies")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

import plain_code_tokens  # noqa: E402


def test_plain_tokens_are_those_every_style_draws_as_text():
    site = plain_code_tokens.plain_token_classes(
        "a11y-high-contrast-light", "a11y-high-contrast-dark"
    )
    assert {"n", "p", "w"} <= site
    assert not {"o", "k", "s2", "mi", "c1"} & site  # coloured
    # xcode colours names; zenburn punctuation: together, only spaces are plain
    together = plain_code_tokens.plain_token_classes("xcode", "zenburn")
    assert {"n", "p", "w"} & together == {"w"}


def test_code_loses_the_plain_spans_and_keeps_its_text():
    app = SimpleNamespace(
        builder=SimpleNamespace(
            theme=SimpleNamespace(
                get_options=lambda overrides: {
                    "pygments_light_style": "a11y-high-contrast-light",
                    "pygments_dark_style": "a11y-high-contrast-dark",
                }
            )
        ),
        config=SimpleNamespace(html_theme_options={}),
    )
    body = (
        '<p><span class="n">prose</span></p><div class="highlight"><pre>'
        '<span class="n">x</span><span class="w"> </span><span class="o">=</span>'
        '<span class="w"> </span><span class="n">f</span><span class="p">(</span>'
        '<span class="s2">"a"</span><span class="p">)</span>'
        '<a class="backref" href="f.html"><span class="n">g</span>'
        '<span class="p">.</span><span class="n">h</span></a></pre></div>'
    )
    context = {"body": body}
    plain_code_tokens._unwrap_plain_tokens(app, "page", "page.html", context, None)
    assert context["body"] == (
        '<p><span class="n">prose</span></p><div class="highlight"><pre>'
        'x <span class="o">=</span> f(<span class="s2">"a"</span>)'
        '<a class="backref" href="f.html"><span class="n">g</span>'
        '<span class="p">.</span><span class="n">h</span></a></pre></div>'
    )
