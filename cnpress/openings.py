"""Where an item starts on a page of any paper of the genre, and what its title block holds.

Inner Mongolia Daily opens every article with a title and a □本报记者 byline; most dailies
do not (人民日报 prints the title, often a kicker 引题 above it and a subtitle 副题 under it,
then the body, with the reporters in a dateline or a closing credit). These rules say when a
short unpunctuated line is the title of a new item rather than a subhead of the running one,
and split a title block into kicker, title and subtitle. structure.parse_page applies them.
"""
from __future__ import annotations

import re

from . import patterns as P
from .patterns import CJK, MAX_TITLE_LEN, ends_sentence

# A title block (kicker + title + subtitle printed over a byline) may hold lines longer than
# a title: 人民日报's kickers run to ~40 characters.
MAX_TITLE_BLOCK_LINE = 2 * MAX_TITLE_LEN
# A bare name under a title (尹双红, 商  旸): the signature of a commentary or feature.
BARE_NAME_RE = re.compile(rf"^(?:{P.SPACED_NAME}|[{CJK}·]{{2,4}})$")
# How a news story opens (a date, 日前/近日, 记者从…获悉): under a short line, evidence of a
# new item. Not 近年来/今年以来, which open paragraphs inside stories just as often.
NEWS_LEAD_RE = re.compile(r"^(?:日前|近日|\d{1,2}月\d{1,2}日|.{0,12}记者从.{1,30}(?:获悉|了解到))")
# An interview's questions and answers (记者：… 问：…): the line over them is a subhead.
QA_RE = re.compile(r"^(?:记者|本报记者|问|答|主持人)[：:]")
# A title that shares at least this many character pairs with the paragraphs under it, and
# none with the running item, has changed the subject: it opens a new item. (Three: two
# pairs are often shared by chance, as 发展 or 工作 are.)
SUBJECT_MIN_PAIRS = 3
SUBTITLE_MARK = ("——", "─", "－－", "--")


def is_title_line(s: str) -> bool:
    """A line that can be part of a title block: not a finished sentence, not too long."""
    return bool(s) and not ends_sentence(s) and len(s) <= MAX_TITLE_BLOCK_LINE


# Two parts of a title set apart by two spaces (以更高标准…从严治党  为实现…提供坚强保障,
# 跑道向前延伸  脚步不曾停歇): how 人民日报 and others print a two-part headline; body text
# wrapped by the extraction has no such gap.
TWO_PART_RE = re.compile(rf"[{CJK}”》）][ \u3000]{{2,}}[{CJK}“《（]")


def looks_like_title(s: str) -> bool:
    """A line longer than a title on the sample pages that is still a title: it ends with
    a bracketed column label (no list inside: （单元、联户） closes a clause), or it is a
    two-part headline (TWO_PART_RE); never with an open quotation or more than two commas."""
    if not is_title_line(s) or s.count("“") != s.count("”") or s.count("，") > 2:
        return False  # cut inside a quotation, or a clause of a sentence
    label = P.TITLE_LABEL_RE.search(s)
    return bool((label and not re.search("[、，,]", label.group("label")))
                or TWO_PART_RE.search(s))


def column_label(title: str) -> str | None:
    """The column label closing a title (让好政策落到实处（人民时评） -> 人民时评) when the
    lexicon lists it (lexicon/labels.csv), else None."""
    m = P.TITLE_LABEL_RE.search(title or "")
    return m.group("label") if m and m.group("label") in P.LABEL_KINDS else None


def split_title_block(lines: list[str]) -> tuple[str | None, str, str | None]:
    """``(kicker, title, subtitle)`` of the lines printed over a byline, top to bottom:
    a line opening with —— is the subtitle; of the rest, the last is the title and those
    above it are the kicker (引题)."""
    lines = [ln for ln in lines if ln]
    subtitle = None
    if len(lines) >= 2 and lines[-1].startswith(SUBTITLE_MARK):
        subtitle = lines.pop()
    title = lines.pop() if lines else ""
    kicker = " ".join(ln.rstrip("—─- ") for ln in lines) or None  # 黑龙江哈尔滨——
    return kicker, title, subtitle


def _bigrams(s: str) -> set[str]:
    s = re.sub(rf"[^{CJK}]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def shared_pairs(title: str, texts: list[str]) -> int:
    """How many of the title's character pairs occur in the texts."""
    text = "".join(texts)
    return sum(1 for g in _bigrams(title) if g in text)


def _shape(s: str) -> str:
    """The punctuation shape of a line: runs of Chinese characters become X."""
    return re.sub(rf"[{CJK}]+", "X", s.strip())


def parallel(a: str, b: str) -> bool:
    """Two short lines built alike, as the subheads of one story are (领导带头压责任
    驶入工作“快车道” / 破解难题赢民心 绘制工作“同心圆”): the same punctuation shape, with
    at least one mark or space, and lengths within a third of each other."""
    shape = _shape(a)
    return (shape == _shape(b) and shape != "X" and a != b
            and min(len(a), len(b)) >= 0.66 * max(len(a), len(b)))


def opens_item(title: str, following: list[str], running: list[str], subheads: list[str],
               same_series, nearby: list[str] = (), ahead: list[str] = ()) -> str | None:
    """Why the short line ``title`` opens a new item instead of being a subhead of the
    running one, or None when it is a subhead. ``following``: the body paragraphs under the
    line; ``running``: the running item's paragraphs so far; ``subheads``: its subheads so
    far; ``nearby``: the other short lines near it on the page; ``ahead``: the short lines
    after it in the same story (up to the next byline or dateline); ``same_series(a, b)``: whether
    two lines belong to one parallel series (structure._same_series).

    A new item: the paragraph under it opens with a dateline (本报北京1月13日电, 新华社…电,
    本报讯), or the line ends with a bracketed column label (（人民时评）, （探一线）). Otherwise a line is a subhead
    when it belongs to a parallel series with the item's subheads so far or with the
    short lines ahead in the same story (:func:`parallel`: 领导带头压责任 驶入工作“快车道” /
    破解难题赢民心 绘制工作“同心圆”), or, by ``same_series``, with a line further up or down
    the page (行业统筹、属地兜底，解决“谁负责”的问题 / 因企施策、清单定制，…: a piece printed
    away from its story), or when an interview's questions (记者：…) follow it. A two-part
    headline (跑道向前延伸  脚步不曾停歇) opens an item even among others of its shape. Otherwise the text under it decides:
    it opens with a news lead (NEWS_LEAD_RE: 日前, 7月1日, 记者从…获悉) and shares more of the line's character pairs than the
    running item does, or it shares at least SUBJECT_MIN_PAIRS (all of a short title's:
    铜锣湾) and more than twice as many as the running item.
    """
    if not following:
        return None
    lead = following[0]
    if P.DATELINE_RE.match(lead):
        return "a dateline opens the text under it"
    if P.TITLE_LABEL_RE.search(title):
        return "a column label"  # （人民时评）, （探一线）: only titles carry one
    if TWO_PART_RE.search(title) and running:
        return "a two-part headline"
    if not running or any(same_series(title, s) for s in [*subheads, *nearby]) or any(
            parallel(title, s) for s in [*subheads, *ahead]):
        return None  # a subhead of a series; an empty item takes its first paragraph
    if QA_RE.match(lead):
        return None  # 记者：… 答：… an interview goes on under its subhead
    own, run = shared_pairs(title, following[:3]), shared_pairs(title, running)
    if NEWS_LEAD_RE.match(lead) and own >= run:
        return "a news lead opens the text under it, on the title's subject"
    if own >= min(SUBJECT_MIN_PAIRS, len(_bigrams(title))) > 0 and own > 2 * run:
        return "a change of subject"
    return None
