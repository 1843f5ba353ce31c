"""Cleaning one text: quotes, full-width punctuation, stray English words, spaces."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .patterns import CJK

# Corner brackets and straight quotes become the curly quotes the press uses; all counts
# downstream see “…” only (nested quotes stay ‘…’).
QUOTE_MAP = str.maketrans({"『": "“", "』": "”", "「": "“", "」": "”", "﹃": "“", "﹄": "”"})
# ASCII punctuation next to Chinese text becomes its full-width form; between digits
# (1,000  3.5) it stays.
FULLWIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_ASCII_MARK_RE = re.compile(r"[,;:?!()]")
_FW_NEAR = re.compile(rf"[{CJK}“”‘’。，、（]")
# A mark that stays ASCII: the character right before it is not one that makes it full-width
# (a space there is looked at by _fullwidth's slow path), nor is the first one after it
# past spaces. Regexes here start with a character, not a lookbehind: a pattern that opens
# with a lookbehind is tried at every position of the text, several times slower.
_MARK_KEPT_RE = re.compile(rf"[,;:?!()](?<![{CJK}“”‘’。，、].)(?![ \t]*[{CJK}“‘（])")
_SPACES_AT_FULLWIDTH_RE = re.compile(r"[ \t]+(?=[，；：？！（）])|[ \t](?<=[，；：？！（）][ \t])[ \t]*")


def _fullwidth(s: str) -> str:
    """ASCII punctuation with a Chinese character or quote next to it (spaces skipped) in
    its full-width form, and the spaces around full-width punctuation dropped; elsewhere
    (1,000  3.5  A, B) unchanged.

    Fast path (almost every text): no mark stays ASCII, so str.replace converts them all.
    Otherwise each mark's neighbours in the original text are looked at in Python."""
    marks = [m for m in FULLWIDTH if m in s]
    if not marks:
        return s
    if _MARK_KEPT_RE.search(s):
        def convert(m):
            i, j = m.start() - 1, m.end()
            while i >= 0 and s[i] in " \t":
                i -= 1
            while j < len(s) and s[j] in " \t":
                j += 1
            before = s[i] if i >= 0 else ""
            after = s[j] if j < len(s) else ""
            near = (before and _FW_NEAR.match(before) and before != "（") or (
                after and _FW_NEAR.match(after) and after not in "”’。，、")
            return FULLWIDTH[m.group()] if near else m.group()

        s = _ASCII_MARK_RE.sub(convert, s)
    else:
        for mark in marks:
            s = s.replace(mark, FULLWIDTH[mark])
    return _SPACES_AT_FULLWIDTH_RE.sub("", s) if " " in s or "\t" in s else s


# A lowercase English word standing alone between Chinese text ("规定和 workflows,",
# "凝聚力 and 号召力") is extraction noise. Real Latin in Chinese press is written attached
# to the Chinese and mostly upper-case or mixed (AI算力, 5G, App, 12345), so it is kept.
STRAY_EN_RE = re.compile(rf"[ \t](?<=[{CJK}，、。“”][ \t])[ \t]*([a-z]{{2,}})[ \t]*(?=[{CJK}，、。,“”])")


@lru_cache(maxsize=1)
def nfkc_alnum_re():
    """A class holding the letters and digits NFKC changes (full-width Ａ１, circled ⑦, ...):
    the BMP ones as ranges, plus every character beyond the BMP (a class of scattered
    astral ranges is slow to test; _nfkc_alnum checks those). clean_text normalizes only
    what this matches (a per-character loop over all text was slow)."""
    ranges = []
    for i in range(0x10000):
        c = chr(i)
        if c.isalnum() and unicodedata.normalize("NFKC", c) != c:
            if ranges and ranges[-1][1] == i - 1:
                ranges[-1][1] = i
            else:
                ranges.append([i, i])
    bmp = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile(f"[{bmp}\U00010000-\U0010ffff]")


def _nfkc_alnum(m):
    """NFKC of a matched character if it is a letter or digit (else it is kept)."""
    c = m.group()
    return unicodedata.normalize("NFKC", c) if c.isalnum() else c


def _straight_quotes(s: str) -> str:
    """Turn straight double quotes into alternating curly ones."""
    if '"' not in s:
        return s
    out, opening = [], True
    for ch in s:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def clean_text(s: str) -> tuple[str, list[str]]:
    """Normalize one paragraph (already rejoined across column breaks).

    Returns ``(text, dropped)``: quotes normalized to “” (『』「」 and straight quotes),
    ASCII punctuation next to Chinese made full-width, stray lower-case English words
    dropped (listed in ``dropped``), NFKC for full-width Latin letters and digits, and runs
    of spaces collapsed. Spaces between Chinese phrases (“笃学奋进新征程 共抒民族团结情”)
    are kept: they separate the parts of a slogan.
    """
    dropped = STRAY_EN_RE.findall(s)
    if dropped:
        s = STRAY_EN_RE.sub("", s)
    # NFKC maps full-width Latin/digits to ASCII but would also turn full-width punctuation
    # into ASCII, so apply it to letters and digits only.
    s = nfkc_alnum_re().sub(_nfkc_alnum, s)
    if any(q in s for q in "『』「」﹃﹄"):
        s = s.translate(QUOTE_MAP)
    s = _straight_quotes(s)
    s = _fullwidth(s)
    if "\t" in s or "\u3000" in s or "  " in s:  # str tests: much faster than the regex
        s = re.sub(r"[ \t\u3000]+", " ", s)
    return s.strip(), dropped
