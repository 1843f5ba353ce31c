"""Helpers for the Inner Mongolia Daily party-building notebooks.

Everything a second notebook would otherwise copy lives here: reading and parsing the
pages into an item table, cleaning the text, tokenizing, places, slogans and chart style.
Reference data (section names, place names, stopwords, slogans) lives in plain files under
``lexicon/``, each with its source.

Reading order: corpus loading (``read_page``, ``parse_page``, ``load_corpus``), then text
cleaning (``clean_text``), then the analysis helpers.
"""
from __future__ import annotations

import csv
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

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

    Within a block a short unpunctuated line followed by a line that is a full sentence is a
    subhead over its paragraph (明确任务抓调度…\\n大伙坐好,…); otherwise the lines are one
    paragraph wrapped by the extraction (专业社工与\\n志愿服务同频共振) and are joined.
    """
    paras: list[Para] = []
    for s, e, line in block:
        if paras:
            prev = paras[-1]
            starts_new = (
                _is_structural(line)
                or _is_structural(prev.text)
                or ends_sentence(prev.text)
                or (len(prev.text) <= MAX_TITLE_LEN and len(line) > MAX_TITLE_LEN)
            )
            if not starts_new:
                prev.text += line
                prev.spans.append((s, e))
                continue
        paras.append(Para(line, [(s, e)]))
    return paras


_SEGMENTER = None


def _segment(text: str) -> list[str]:
    """Word segmentation used to judge column-break joins (jieba; see tokenize())."""
    global _SEGMENTER
    if _SEGMENTER is None:
        import jieba

        _SEGMENTER = jieba.Tokenizer()
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
    if CREDIT_TAIL_RE.search(left) or BRIEF_CREDIT_RE.search(left):
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
    key = _section_key(SECTION_PREFIX_RE.sub(r"\g<name>", s))
    if m := BYLINE_RE.match(s) or BARE_BYLINE_RE.match(s):
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
    elif (m := CREDIT_TAIL_RE.search(s)) and m.start() == 0:
        p.kind, p.meta["credit"] = "credit", m.group("credit")
    elif not ends_sentence(s) and len(s) <= MAX_TITLE_LEN:
        p.kind = "title"  # provisional: title, subhead, photo headline or unmarked header
    else:
        p.kind = "body"


@dataclass
class Item:
    kind: str = "article"
    section: str | None = None
    title: str | None = None
    title_para: Para | None = None
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
        if p.kind in ("body", "title") and (m := CREDIT_TAIL_RE.search(p.text)) and m.start() > 0:
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
    items.sort(key=lambda it: it.spans()[0][0])
    return items, headers


# --------------------------------------------------------------------------------------
# Cleaning
# --------------------------------------------------------------------------------------

# Corner brackets and straight quotes become the curly quotes the press uses; all counts
# downstream see “…” only (nested quotes stay ‘…’).
QUOTE_MAP = str.maketrans({"『": "“", "』": "”", "「": "“", "」": "”", "﹃": "“", "﹄": "”"})
# ASCII punctuation next to Chinese text becomes its full-width form; between digits
# (1,000  3.5) it stays.
FULLWIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_FW_RE = re.compile(rf"(?<=[{CJK}“”‘’。，、])[ \t]*([,;:?!()])[ \t]*|[ \t]*([,;:?!()])[ \t]*(?=[{CJK}“‘（])")
# A lowercase English word standing alone between Chinese text ("规定和 workflows,",
# "凝聚力 and 号召力") is extraction noise. Real Latin in Chinese press is written attached
# to the Chinese and mostly upper-case or mixed (AI算力, 5G, App, 12345), so it is kept.
STRAY_EN_RE = re.compile(rf"(?<=[{CJK}，、。“”])[ \t]+([a-z]{{2,}})[ \t]*(?=[{CJK}，、。,“”])")


def _straight_quotes(s: str) -> str:
    """Turn straight double quotes into alternating curly ones."""
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
    s = STRAY_EN_RE.sub("", s)
    # NFKC maps full-width Latin/digits to ASCII but would also turn full-width punctuation
    # into ASCII, so apply it to letters and digits only.
    s = "".join(unicodedata.normalize("NFKC", c) if c.isalnum() else c for c in s)
    s = s.translate(QUOTE_MAP)
    s = _straight_quotes(s)
    s = _FW_RE.sub(lambda m: FULLWIDTH[m.group(1) or m.group(2)], s)
    s = re.sub(r"[ \t\u3000]+", " ", s).strip()
    return s, dropped


# --------------------------------------------------------------------------------------
# The item table
# --------------------------------------------------------------------------------------

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
    cleaned, dropped = [], []
    for t, p in zip(texts, it.paras):
        c, d = clean_text(t)
        if c and cleaned and p.meta.get("join_prev"):
            cleaned[-1] += c
        elif c:
            cleaned.append(c)
        dropped += d
    text = "\n".join(cleaned)
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
        "n_paragraphs": len(cleaned),
        "subheads": [clean_text(s)[0] for s in it.subheads],
        "byline": byline,
        "photo_credit": it.photo_credit,
        "dropped_words": dropped,
        "fragment": it.fragment,
        "note": it.note,
        "spans": spans,
        "encoding": encoding,
    }


def parse_file(path) -> tuple[pd.DataFrame, list[Para], str]:
    """Read and parse one page: ``(items, header_lines, decoded_text)``."""
    path = Path(path)
    text, encoding = read_page(path)
    items, headers = parse_page(text)
    rows = [_item_row(it, path.stem, encoding) for it in items]
    df = pd.DataFrame(rows, columns=[c for c in ITEM_COLUMNS if c != "item"])
    df.insert(1, "item", range(len(df)))
    return df, headers, text


def load_pages(path=None) -> pd.DataFrame:
    """One row per page file: page, path, encoding, n_chars (non-blank), n_items, status.

    ``status`` is ``ok`` or ``empty``; unreadable files raise :class:`CorpusError`.
    """
    rows = []
    for p in list_pages(path):
        df, headers, text = parse_file(p)
        n_chars = len(re.sub(r"\s", "", text))
        rows.append({"page": p.stem, "path": str(p), "encoding": read_page(p)[1],
                     "n_chars": n_chars, "n_items": len(df), "n_headers": len(headers),
                     "status": "ok" if n_chars else "empty"})
    return pd.DataFrame(rows)


def load_corpus(path=None) -> pd.DataFrame:
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
    """
    frames = []
    for p in list_pages(path):
        df, _, text = parse_file(p)
        if not text.strip():
            warnings.warn(f"{p} is empty: it contributes no items", stacklevel=2)
            continue
        frames.append(df)
    if not frames:
        raise CorpusError(f"every page in {path or CORPUS_DIR} is empty: nothing to load")
    return pd.concat(frames, ignore_index=True)


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
