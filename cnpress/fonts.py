"""Chinese in HTML without a system font: a subset of the project's Noto Sans SC (only the
characters a page uses) embedded as a WOFF2 data: URL in an ``@font-face``.

The font file is the one the charts use (:func:`cnpress.style.cjk_font_path`: the OFL Noto
Sans SC of the ``pylopdf-fonts-zh-cn`` wheel). WOFF2 needs the ``brotli`` package.
"""
from __future__ import annotations

import base64
import functools
import io
import re

from fontTools import subset
from fontTools.ttLib import TTFont

from .style import cjk_font_path

# The family name the report CSS puts first in its font stacks.
FONT_FAMILY = "Report Noto Sans SC"
# Unicode blocks a reader's system may lack: CJK ideographs and their punctuation, full-width
# forms, and the symbols Chinese text uses (① …, ◎ ■ ● □).
CJK_RE = re.compile(
    "[\u2460-\u24ff\u25a0-\u25ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f"
    "\u31c0-\u31ef\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003134f]")


def cjk_chars(text: str) -> set[str]:
    """The characters of ``text`` that need a Chinese font (see CJK_RE)."""
    return set(CJK_RE.findall(text))


def subset_woff2(text: str, font_path=None) -> bytes:
    """WOFF2 bytes of the font at ``font_path`` (default: the project's Noto Sans SC) cut
    down to the glyphs for the characters of ``text`` (plus the font's own fallbacks)."""
    return _subset(frozenset(text) | {" "}, str(font_path or cjk_font_path()))


@functools.lru_cache(maxsize=16)
def _subset(chars: frozenset, font_path: str) -> bytes:
    """subset_woff2 for a set of characters, remembered: the index is written after every
    notebook with nearly the same text."""
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]   # keep vertical forms, ligatures, proportional digits
    options.hinting = False           # browsers hint CFF outlines themselves
    options.name_IDs = ["*"]          # keep the OFL licence and the names in the subset
    options.notdef_outline = True
    font = TTFont(font_path, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


# The characters the embedded face draws: CJK ideographs, CJK and full-width punctuation. The
# face is first in every font stack, code included, and the browser takes Latin text from the
# next font (a monospace one in code): without a range, a code font earlier in the stack that
# the system maps to a Latin face drew Chinese as boxes in headless Chromium with no CJK font.
CJK_UNICODE_RANGE = ("U+2E80-2FFF, U+3000-303F, U+3100-312F, U+31C0-31EF, U+3200-32FF, "
                     "U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF, "
                     "U+20000-2FA1F")


def font_face_css(text: str, font_path=None) -> str:
    """An ``@font-face`` rule for FONT_FAMILY holding the subset for ``text`` as a data: URL,
    limited to CJK_UNICODE_RANGE."""
    data = base64.b64encode(subset_woff2(text, font_path)).decode("ascii")
    return (f'@font-face {{font-family: "{FONT_FAMILY}"; font-style: normal; '
            f"font-weight: 400; font-display: block; unicode-range: {CJK_UNICODE_RANGE}; "
            f'src: url(data:font/woff2;base64,{data}) format("woff2");}}')


def embedded_font_chars(html_text: str) -> set[str]:
    """The characters covered by the WOFF2 font embedded in ``html_text`` (the first
    ``data:font/woff2`` URL); empty when there is none. For tests and checks."""
    m = re.search(r"data:font/woff2;base64,([A-Za-z0-9+/=]+)", html_text)
    if not m:
        return set()
    font = TTFont(io.BytesIO(base64.b64decode(m.group(1))))
    return {chr(cp) for cp in font.getBestCmap()}
