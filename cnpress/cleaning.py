"""Cleaning one text: invisible characters, quotes, full-width punctuation, stray English
words, spaces; and Traditional characters converted to Simplified."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .patterns import CJK
from .segment import segmenter

# Characters that show nothing but split words (a zero-width space inside 通辽市 hides the
# place from the matcher and cuts its tokens): zero-width space, non-joiner and joiner, word
# joiner, BOM / zero-width no-break space, soft hyphen, and the bidirectional controls
# (LRM, RLM, embeddings, overrides, isolates), which can also make a shared report show
# text in another order than it has. clean_text removes them.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]+")
# Wide and no-break spaces: the ideographic space U+3000, NBSP, narrow NBSP, the en/em/thin
# spaces. One of them between two Chinese characters where a word runs across it (通　辽市,
# 推 动) is an extraction artefact and is removed; elsewhere (笃学奋进新征程　共抒民族团结情,
# indentation) it becomes one ordinary space.
WIDE_SPACES = "\u3000\u00a0\u202f\u2002-\u200a"
_SPACE_IN_WORD_RE = re.compile(rf"[{WIDE_SPACES}](?<=[{CJK}].)(?=[{CJK}])")
_SPACE_RUN_RE = re.compile(f"[ \t{WIDE_SPACES}]+")
_UNUSUAL_RE = re.compile(f"[{INVISIBLE}{WIDE_SPACES}]")  # one search: none in most texts
# Characters looked at on each side when asking whether a word runs across a space.
WORD_CONTEXT = 6

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


def _space_in_word(m) -> str:
    """A wide space between two Chinese characters: removed when a word of the segmenter's
    dictionary (jieba's plus the lexicon's places and terms, no HMM guesses) runs across
    it, else kept (it becomes a plain space later)."""
    s, i = m.string, m.start()
    left = _SPACE_RUN_RE.split(s[max(0, i - WORD_CONTEXT):i])[-1]
    right = _SPACE_RUN_RE.split(s[i + 1:i + 1 + WORD_CONTEXT])[0]
    pos = 0
    for tok in segmenter().lcut(left + right, HMM=False):
        if pos < len(left) < pos + len(tok):
            return ""
        pos += len(tok)
    return m.group()


def clean_text(s: str) -> tuple[str, list[str]]:
    """Normalize one paragraph (already rejoined across column breaks).

    Returns ``(text, dropped)``: quotes normalized to “” (『』「」 and straight quotes),
    ASCII punctuation next to Chinese made full-width, stray lower-case English words
    dropped (listed in ``dropped``), NFKC for full-width Latin letters and digits, and runs
    of spaces collapsed. Invisible characters (INVISIBLE: zero-width spaces and joiners,
    BOM, soft hyphen, direction controls) are removed; a wide or no-break space (U+3000,
    NBSP) between two Chinese characters is removed where a word runs across it (通　辽市),
    else it becomes a space like any run of spaces. Spaces between Chinese phrases (“笃学奋进新征程 共抒民族团结情”)
    are kept: they separate the parts of a slogan.
    """
    unusual = _UNUSUAL_RE.search(s) is not None
    if unusual:
        s = _INVISIBLE_RE.sub("", s)
        s = _SPACE_IN_WORD_RE.sub(_space_in_word, s)
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
    if unusual or "\t" in s or "  " in s:  # str tests: much faster than the regex
        s = _SPACE_RUN_RE.sub(" ", s)
    return s.strip(), dropped


# Traditional characters: converted, not only reported. The lexicon (places, terms, slogans)
# and jieba's dictionary are Simplified, so a page in Traditional characters (a Hong Kong or
# Taiwan reprint, an older scan) would silently lose every place and term (鄂爾多斯, 黨建);
# a conversion keeps the analyses whole, and the item table's ``note`` says it was done.
# OpenCC (the ``opencc`` package: the converter most Chinese text tools use, with phrase
# tables for one-to-many characters such as 乾/干) converts a page that is mostly
# Traditional; elsewhere only characters that are Traditional for certain (changed by
# OpenCC and absent from GB2312, the Simplified standard set) are converted one by one, so
# Simplified text (著名, 乾隆, the surname 於) is never touched. Both keep the length, so
# ``start``/``end`` still point into the page as read.
# A page is "mostly Traditional" from this share of Traditional-only characters among its
# Chinese characters: ~0.4 on the sample pages converted to Traditional, 0 on the originals.
TRADITIONAL_MIN_SHARE = 0.1
_CJK_CHAR_RE = re.compile(f"[{CJK}]")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def traditional_chars() -> dict[str, str]:
    """{Traditional character: Simplified one} for every CJK character (BMP) that OpenCC's
    t2s changes into one character and that is not in GB2312 (so not Simplified)."""
    chars = [chr(i) for a, b in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
             for i in range(a, b + 1)]
    converted = _t2s().convert("\n".join(chars)).split("\n")  # one call: ~15 ms
    table = {}
    for c, s in zip(chars, converted):
        if s != c and len(s) == 1:
            try:
                c.encode("gb2312")
            except UnicodeEncodeError:
                table[c] = s
    return table


@lru_cache(maxsize=1)
def _traditional_re():
    return re.compile("[" + "".join(map(re.escape, traditional_chars())) + "]")


@lru_cache(maxsize=1)
def _traditional_table():
    return str.maketrans(traditional_chars())


def to_simplified(text: str) -> tuple[str, str | None]:
    """``(text, note)``: ``text`` with its Traditional characters converted to Simplified,
    of the same length, and a note saying what was done (None, and ``text`` unchanged,
    when it holds no Traditional-only character). A text at least TRADITIONAL_MIN_SHARE
    Traditional is converted by OpenCC t2s (phrases included); otherwise its
    Traditional-only characters one by one."""
    if not _traditional_re().search(text):  # almost every page: one fast pass
        return text, None
    n_traditional = len(_traditional_re().findall(text))
    share = n_traditional / max(1, len(_CJK_CHAR_RE.findall(text)))
    if share >= TRADITIONAL_MIN_SHARE:
        converted = _t2s().convert(text)
        if len(converted) == len(text):
            return converted, "Traditional characters converted to Simplified (OpenCC t2s)"
    converted = text.translate(_traditional_table())
    return converted, (f"{n_traditional} Traditional character(s) converted to Simplified "
                       "(OpenCC, character by character)")
