"""Corpus text is data, never markup: the one place where strings from pages, records and file
names are made safe for Markdown and HTML.

- :func:`esc` a corpus string for a Markdown sentence (``helpers.md(f"… “{esc(title)}” …")``):
  every Markdown and HTML metacharacter is backslash-escaped, line breaks become spaces, so a
  title such as ``[x](javascript:…)`` or ``</table><script>`` shows as the characters it is.
- :func:`esc_html` a value for HTML text or a quoted attribute.
- :func:`render_markdown` turns Markdown written by the notebook's author into HTML with raw
  HTML shown as text (never passed through) and only http(s), mailto and relative links kept:
  ``helpers.md`` displays through it, so even an unescaped value cannot inject markup.
"""
from __future__ import annotations

import html
import math
import re

import mistune
from mistune.renderers.html import HTMLRenderer

# Every ASCII character Markdown (CommonMark + GFM tables, strikethrough) gives a meaning to.
# Backslash-escaping any ASCII punctuation is valid CommonMark, so over-escaping is harmless.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|&~^\"'=:$])")
# Schemes a link may have; any other (javascript:, data:, vbscript:, file:, …) becomes an
# inert '#'. Relative links (figures/x.png, #section) have no scheme and stay.
SAFE_SCHEMES = ("http", "https", "mailto")


def _text(value) -> str:
    """str(value); lists and tuples of names joined with '、'; None and NaN as ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(_text(v) for v in value)
    return str(value)


def esc(value) -> str:
    """A corpus string (title, name, file name, text) made literal for Markdown: every
    Markdown/HTML metacharacter gets a backslash, line breaks become spaces. Lists are joined
    with '、', None/NaN give ''. Use it on every corpus value put into ``md()``."""
    text = re.sub(r"[\r\n\u2028\u2029]+", " ", _text(value))
    return _MD_SPECIAL.sub(r"\\\1", text)


def esc_html(value) -> str:
    """A value made safe for HTML text and quoted attributes (& < > " ' escaped)."""
    return html.escape(_text(value), quote=True)


class SafeRenderer(HTMLRenderer):
    """mistune's HTML renderer with raw HTML escaped and links restricted to SAFE_URL."""

    def __init__(self):
        super().__init__(escape=True)

    def safe_url(self, url: str) -> str:
        url = html.unescape(url).strip()
        # Browsers drop control characters and whitespace ('java\tscript:') before reading
        # the scheme: judge the URL as a browser would.
        probe = re.sub(r"[\x00-\x20\x7f]", "", url).lower()
        scheme = re.match(r"([a-z][a-z0-9+.\-]*):", probe)
        if scheme and scheme.group(1) not in SAFE_SCHEMES:
            return "#"
        return self.escape_attribute(url)


_MARKDOWN = mistune.create_markdown(renderer=SafeRenderer(), plugins=["table", "strikethrough"])


def render_markdown(text: str) -> str:
    """HTML for Markdown ``text``: raw HTML in it is shown as text, unsafe links become '#'."""
    return _MARKDOWN(text or "")
