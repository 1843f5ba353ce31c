"""The title lines of a page: title blocks (kicker, title, subtitle) gathered into one
title paragraph, and the short lines around a candidate title that tell a subhead of a
series from the title of a new item (used by structure.parse_page and _assemble with
cnpress.openings)."""
from __future__ import annotations

from . import patterns as P
from .openings import split_title_block
from .paragraphs import Para


def kicker_over_title(left: Para, right: Para) -> bool:
    """A kicker closed by a dash over its title (黑龙江哈尔滨—— / 出新招，…): two title lines,
    kept apart for title_blocks."""
    return left.kind == "title" and right.kind == "title" and left.text.endswith(("——", "─"))


def title_blocks(paras: list[Para]) -> list[Para]:
    """Each run of title lines over a byline or signature (kicker, title, subtitle: 山西举办
    老年人体育健身大会 / “我们不看重输赢，很享受运动快乐” / 本报记者  郑洋洋), and each title
    block of cnpress.paragraphs.block_paragraphs, as one title paragraph with meta kicker
    and subtitle."""
    out: list[Para] = []
    i = 0
    while i < len(paras):
        j = i
        while j < len(paras) and paras[j].kind == "title" and (
                paras[j].meta.get("title_block") or paras[i].kind == "title"):
            j += 1
        signed = j < len(paras) and paras[j].kind in ("byline", "author")
        if j - i >= 2 and (signed or all(q.meta.get("title_block") for q in paras[i:j])):
            kicker, title, subtitle = split_title_block([q.text for q in paras[i:j]])
            head = Para(title, [sp for q in paras[i:j] for sp in q.spans], kind="title")
            head.meta.update(kicker=kicker, subtitle=subtitle)
            out.append(head)
            i = j
        else:
            out.append(paras[i])
            i += 1
    return out


def short_lines_near(paras: list[Para], i: int, reach: int = 60) -> list[str]:
    """The other short lines (titles, subheads) within ``reach`` paragraphs of paras[i]:
    where a parallel series of subheads is looked for (one printed further up or down the
    page belongs to the same story, see _reunite_series)."""
    return [q.text for q in paras[max(0, i - reach):i + reach]
            if q.kind == "title" and q is not paras[i]]


def short_lines_ahead(paras: list[Para], i: int, reach: int = 30) -> list[str]:
    """The short lines after paras[i] in the same story: up to the next byline, signature,
    header or dateline (where another item surely starts)."""
    out = []
    for q in paras[i + 1:i + reach]:
        if q.kind in ("byline", "author", "header", "banner", "brief") or (
                q.kind == "body" and P.DATELINE_RE.match(q.text)):
            break
        if q.kind == "title":
            out.append(q.text)
    return out


def body_run(paras: list[Para], start: int) -> list[str]:
    """The texts of the body paragraphs from ``start`` up to the next non-body one."""
    out, j = [], start
    while j < len(paras) and paras[j].kind == "body":
        out.append(paras[j].text)
        j += 1
    return out
