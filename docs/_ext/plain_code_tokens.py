"""Code without the highlighting spans that style nothing.

Pygments wraps every token in a span; names, punctuation and spaces are drawn
in the text colour of the light and the dark style alike, so their spans only
cost the phone time (half the elements of a chapter with much code). Their
text stays, and spans inside links stay too.
"""

import re


def plain_token_classes(*styles) -> set[str]:
    """The CSS classes of the Pygments tokens that every one of ``styles`` draws
    exactly as plain text (a token without a colour takes the text's)."""
    from pygments.styles import get_style_by_name
    from pygments.token import STANDARD_TYPES, Text

    plain = set(STANDARD_TYPES)
    for name in styles:
        style = get_style_by_name(name)
        text = style.style_for_token(Text)
        for token in STANDARD_TYPES:
            drawn = style.style_for_token(token)
            if {**drawn, "color": drawn["color"] or text["color"]} != text:
                plain.discard(token)
    return {STANDARD_TYPES[token] for token in plain} - {""}


_PRE = re.compile(r"<pre\b[^>]*>.*?</pre>", re.DOTALL)


def _unwrap_plain_tokens(app, pagename, templatename, context, doctree):
    if "body" not in context:
        return
    if not hasattr(app, "_plain_token"):
        options = app.builder.theme.get_options(app.config.html_theme_options)
        styles = [options.get(f"pygments_{mode}_style") for mode in ("light", "dark")]
        # names, punctuation and spaces, the most frequent: no other stylesheet
        # styles these three (basic.css does style .gp, prompts, for instance)
        classes = "|".join(sorted({"n", "p", "w"} & plain_token_classes(*styles)))
        app._plain_token = re.compile(rf'<span class="(?:{classes})">([^<]*)</span>')

    def unwrapped(block):
        code = block.group(0)

        def plain(span):
            # in a link (sphinx-gallery links names to their documentation) a
            # span keeps the text colour: the link's is another
            start = span.start()
            if code.rfind("<a ", 0, start) > code.rfind("</a>", 0, start):
                return span.group(0)
            return span.group(1)

        return app._plain_token.sub(plain, code)

    context["body"] = _PRE.sub(unwrapped, context["body"])


def setup(app):
    app.connect("html-page-context", _unwrap_plain_tokens)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
