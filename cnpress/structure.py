"""Page structure: the page rules that turn one page's paragraphs into items.

The rules stay together: they are one walk over one list of paragraphs (classify each
paragraph, rejoin column breaks, group photos, assemble items, put back pieces printed
elsewhere). See README "How a page is read".
"""
from __future__ import annotations

import bisect
import heapq
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from . import lexicon
from .openings import (
    column_label, is_title_line, looks_like_title, opens_item,
)
from .paragraphs import Para, raw_blocks, block_paragraphs, should_join
from .titlelines import (
    body_run, kicker_over_title, short_lines_ahead, short_lines_near, title_blocks,
)
from . import patterns as P
from .patterns import (
    AUTHOR_RE, CJK, LEAD_RE, MAX_HEADER_LEN, MAX_TITLE_LEN, SECTION_PREFIX_RE, STEAL_MARGIN,
    ends_sentence, has_credit_tail, parse_credit, section_series,
)

def _classify(p: Para, sections: dict[str, str]) -> None:
    """Set ``p.kind`` (and metadata) from the paragraph's own text."""
    s = p.text
    # Only a short line can be a header: skip the section lookup for body paragraphs.
    key = section_series(SECTION_PREFIX_RE.sub(r"\g<name>", s)) if len(s) <= MAX_HEADER_LEN + 8 else ""
    if has_credit_tail(s) and (m := P.CREDIT_TAIL_RE.search(s)) and m.start() == 0:
        p.kind, p.meta["credit"] = "credit", m.group("credit")  # "本报记者 X 摄" alone
    elif m := P.BYLINE_RE.match(s) or P.BARE_BYLINE_RE.match(s):
        p.kind, p.meta["credit"] = "byline", m.group("credit")
    elif key in sections and len(s) <= MAX_HEADER_LEN + 8:
        p.kind = "banner" if sections[key] == "banner" else "header"
        p.meta["name"] = SECTION_PREFIX_RE.sub(r"\g<name>", s).strip("◎■ ")
    elif m := AUTHOR_RE.match(s):
        p.kind, p.meta["credit"] = "author", m.group("credit")
    elif p.meta.get("signature"):
        p.kind, p.meta["credit"] = "author", re.sub(r"[ \u3000]", "", s)  # 尹双红, 商  旸
    elif (m := P.LABEL_LINE_RE.match(s)) and P.LABEL_KINDS.get(m.group("label")) == "furniture":
        p.kind = "banner"  # 本版责编：…, 核心阅读: page furniture, part of no item
    elif SECTION_PREFIX_RE.match(s) and len(s) <= MAX_HEADER_LEN + 8:
        p.kind, p.meta["name"] = "header", SECTION_PREFIX_RE.match(s).group("name")
    elif s.startswith("●"):
        p.kind = "brief"
    elif (c := P.closing_credit(s)) and c.start() == 0:
        p.kind = "body"  # （本报布鲁塞尔1月12日电） alone: the end of the item above
    elif not ends_sentence(s) and (len(s) <= MAX_TITLE_LEN or looks_like_title(s)):
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
    kicker: str | None = None
    subtitle: str | None = None
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
    P.refresh()
    sections = lexicon.known_sections()
    paras: list[Para] = []
    for block in raw_blocks(text):
        paras.extend(block_paragraphs(block))
    for i, p in enumerate(paras):
        _classify(p, sections)
        # "◎名字" is a commentary author only right under a title; otherwise it is a header.
        if p.kind == "author" and not (i > 0 and paras[i - 1].kind == "title"):
            p.kind, p.meta["name"] = "header", p.meta.pop("credit")

    # Unmarked headers not in the lexicon: a short unpunctuated line followed by a titled
    # article (title + byline), or, at the top of the page, by another header.
    for i, p in enumerate(paras):
        if (p.kind != "title" or len(p.text) > MAX_HEADER_LEN or re.search(rf"[^{CJK}]", p.text)
                or p.meta.get("title_block")):  # a kicker printed with its title and byline
            continue
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        nxt2 = paras[i + 2] if i + 2 < len(paras) else None
        if nxt is None:
            continue
        at_top = all(q.kind in ("header", "banner", "title") for q in itertools.islice(paras, i))
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
            and not (p.meta.get("title_block") or merged[-1].meta.get("title_block"))
            and not kicker_over_title(merged[-1], p)
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

    # A long unpunctuated line right over a dateline is a title (人民日报 prints titles of
    # 40 characters and more: 学习贯彻习近平总书记…重要讲话精神和习近平党建思想).
    for p, q in zip(paras, paras[1:]):
        if (p.kind == "body" and is_title_line(p.text) and q.kind == "body"
                and P.DATELINE_RE.match(q.text)):
            p.kind = "title"

    # Caption paragraphs that end with a photo credit ("……活动。蔡薇 摄").
    for p in paras:
        if (p.kind in ("body", "title") and has_credit_tail(p.text)
                and (m := P.CREDIT_TAIL_RE.search(p.text)) and m.start() > 0):
            p.meta["credit"] = m.group("credit")
            p.meta["credit_raw"] = p.text[m.start():].strip()
            p.text = p.text[: m.start()].rstrip()
            p.kind = "caption"

    return _assemble(_group_photos(title_blocks(paras)))


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
            j = i + 1  # an index walk: slicing the rest of the page per byline was quadratic
            while j < n and paras[j].kind == "body":
                following.append(paras[j])
                j += 1
            if titled and cur is not None and not orphans:
                orphans = _steal_tail(cur, prev.text, following)
            close()
            cur = Item(section=section, byline=p.text,
                       credits=parse_credit(p.meta["credit"], "contributors"))
            if p.kind == "author":
                # ◎李晗 signs a commentary; a bare name (尹双红) does when the title
                # carries a commentary column label (（人民时评）)
                signed = p.meta.get("signature")
                label = column_label(prev.text) if titled else None
                if not signed or P.LABEL_KINDS.get(label) == "commentary":
                    cur.kind = "commentary"
            if titled:
                cur.title = prev.text
                cur.kicker, cur.subtitle = prev.meta.get("kicker"), prev.meta.get("subtitle")
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
            elif (nxt is not None and nxt.kind == "body" and cur is not None and cur.kind != "brief"
                  and not opens_item(p.text, body_run(paras, i + 1),
                                     [q.text for q in cur.paras], cur.subheads, _same_series,
                                     short_lines_near(paras, i), short_lines_ahead(paras, i))):
                cur.paras.append(p)
                cur.subheads.append(p.text)
            elif nxt is not None and nxt.kind == "body":
                # A headline without byline: after a header, or opening a new item (a
                # dateline or news lead under it, a column label, a new subject).
                close()
                flush_orphans()
                cur = Item(section=section, title=p.text, extra_spans=list(p.spans),
                           kicker=p.meta.get("kicker"), subtitle=p.meta.get("subtitle"))
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
                if cur.kind != "brief" and P.closing_credit(p.text):
                    close()  # （本报记者孟祥夫、付文）, （新华社发）: the item ends here
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
    one titled article (page 002: the rest of the 民乐村 story).

    Near-linear in the page's size: only bigrams found in exactly two items count, so each
    of a fragment's such bigrams names its one candidate; no item is compared with every
    other (a page of 8 MB took 32 s that way)."""
    fragments = [it for it in items if it.fragment]
    if not fragments:
        return
    grams = {id(it): _bigrams(" ".join(p.text for p in it.paras) + (it.title or ""))
             for it in items}
    # in how many items of the page each bigram occurs: shared by exactly the fragment
    # and one candidate means the pair is found in no other item
    # (only the fragments' bigrams are counted: no other bigram is looked at)
    in_fragments = set().union(*(grams[id(frag)] for frag in fragments))
    spread = Counter(g for gs in grams.values() for g in gs & in_fragments)
    wanted = {g for g in in_fragments if spread[g] == 2}
    holder = {}  # bigram of a fragment -> the one titled article that also has it
    for cand in items:
        if cand.kind in ("article", "commentary") and not cand.fragment:
            for g in grams[id(cand)] & wanted:
                holder[g] = cand
    by_id, removed = {id(it): it for it in items}, set()
    for frag in fragments:
        scores = Counter(id(holder[g]) for g in grams[id(frag)] if g in holder)
        if not scores:
            continue
        (best, top), *rest = scores.most_common(2)
        # clear evidence: enough pairs, and twice as many as the runner-up
        if top < FRAGMENT_MIN_SHARED or (rest and top < 2 * rest[0][1]):
            continue
        home = by_id[best]
        home.paras.extend(frag.paras)
        home.note = "joined by a piece printed elsewhere on the page (shared names)"
        removed.add(id(frag))
    if removed:
        items[:] = [it for it in items if id(it) not in removed]


def _skeleton(s: str) -> str:
    """The punctuation shape of a subhead: runs of Chinese characters become X."""
    return re.sub(rf"[{CJK}]+", "X", s)


def _same_series(a: str, b: str) -> bool:
    """Two subheads of one parallel series (行业统筹、属地兜底，解决“谁负责”的问题 and
    双向奔赴、互利互促，解决“作用发挥”的问题): same punctuation shape with at least two marks,
    and a shared ending or opening of two or more characters."""
    return _traits_match(_series_trait(a), _series_trait(b))


def _series_trait(s: str) -> tuple:
    """What _same_series looks at in a subhead: (shape, first two characters, last two)."""
    return _skeleton(s), s[:2], s[-2:]


def _traits_match(a: tuple, b: tuple) -> bool:
    """_same_series on two subheads' :func:`_series_trait`."""
    shape, first, last = a
    return shape == b[0] and len(shape.replace("X", "")) >= 2 and (first == b[1] or last == b[2])


def _series_keys(s: str) -> tuple:
    """Where _reunite_series looks up the possible homes of subhead ``s``: its punctuation
    shape with its first two characters, with its last two, or with both."""
    shape, first, last = _series_trait(s)
    return (shape, "<", first), (shape, ">", last), (shape, first, last)


def _series_traits(subheads) -> set:
    """The distinct :func:`_series_trait` of ``subheads``."""
    return {_series_trait(s) for s in subheads}


def _home_keys(traits: set) -> set:
    """The keys an article whose subheads have ``traits`` is filed under in
    _reunite_series' index: a subhead ``s`` continues the series (``_same_series`` with
    every subhead) only if one of ``_series_keys(s)`` is among them. Empty when no subhead
    can (mixed shapes, fewer than two marks)."""
    shapes = {shape for shape, _, _ in traits}
    if len(shapes) != 1:
        return set()
    shape = next(iter(shapes))
    if len(shape.replace("X", "")) < 2:
        return set()
    ends = Counter(last for _, _, last in traits)
    by_start: dict[str, Counter] = {}
    for _, first, last in traits:
        by_start.setdefault(first, Counter())[last] += 1
    keys = set()
    if len(by_start) == 1:  # any subhead of the shape opening like them all
        keys.add((shape, "<", next(iter(by_start))))
    if len(ends) == 1:  # ... or ending like them all
        keys.add((shape, ">", next(iter(ends))))
    for first, own_ends in by_start.items():  # opening like some, ending like the others
        if len(ends) > len(own_ends) + 1:
            continue  # the others end in at least two ways
        others = [last for last, n in ends.items() if n > own_ends.get(last, 0)]
        if len(others) == 1:
            keys.add((shape, first, others[0]))
    return keys


def _reunite_series(items: list[Item]) -> None:
    """A subhead that continues another article's parallel series of subheads, with the
    paragraphs under it, is a piece of that article printed further down the page (page 002:
    双向奔赴… under 一座小村庄的幸福蝶变 belongs to 从治理对象到治理力量): move it there.

    Near-linear in the page's size: the articles whose whole series a subhead matches are
    looked up in an index (:func:`_home_keys` -> items in page order), and a series is
    compared through its distinct traits, not by comparing every item with every other
    (a page of 8 MB took 32 s that way)."""
    order = {id(it): i for i, it in enumerate(items)}
    index: dict[tuple, list[int]] = {}  # key -> positions in items, ascending
    traits: dict[int, set] = {}  # id(item) -> _series_traits of its subheads as they are
    filed: dict[int, set] = {}

    def file(it: Item) -> None:  # under the keys of its subheads as they are now, only
        keys = _home_keys(traits[id(it)]) if len(it.subheads) >= 2 else set()
        before = filed.get(id(it), set())
        for key in before - keys:
            bucket = index[key]
            del bucket[bisect.bisect_left(bucket, order[id(it)])]
        for key in keys - before:
            bisect.insort(index.setdefault(key, []), order[id(it)])
        filed[id(it)] = keys

    for it in items:
        traits[id(it)] = _series_traits(it.subheads)
        file(it)
    starts: dict[int, int] = {}

    def start(it: Item) -> int:
        if id(it) not in starts:
            starts[id(it)] = it.spans()[0][0]
        return starts[id(it)]

    def candidates(s: str):  # in page order, once each: every one matches s's series
        last = None
        for i in heapq.merge(*(index.get(key, ()) for key in _series_keys(s))):
            if i != last:
                yield items[i]
            last = i

    def continues(s: str, y: Item) -> bool:  # _same_series(s, t) for every subhead t of y
        trait = _series_trait(s)
        return all(_traits_match(trait, t) for t in traits[id(y)])

    for x in items:
        if not x.subheads:
            continue
        # each subhead: is one listed before it (first occurrence) of its series?
        own, seen = {}, set()
        for s in x.subheads:
            keys = _series_keys(s)
            if s not in own:
                own[s] = any(key in seen for key in keys[:2])
            seen.update(keys[:2])
        for k, para in enumerate(x.paras):
            if k == 0 or para.text not in own or own[para.text]:
                continue
            home = next((y for y in candidates(para.text) if y is not x and len(y.subheads) >= 2
                         and start(y) < start(x) and continues(para.text, y)), None)
            if home is None:
                continue
            moved = x.paras[k:]
            del x.paras[k:]
            home.paras.extend(moved)
            subheads = set(x.subheads)
            gained = [q.text for q in moved if q.text in subheads]
            home.subheads += gained
            kept = {q.text for q in x.paras}
            x.subheads = [t for t in x.subheads if t in kept]
            home.note = "continued further down the page (a subhead of its series)"
            traits[id(home)] |= _series_traits(gained)
            traits[id(x)] = _series_traits(x.subheads)
            file(home)
            file(x)
            starts.pop(id(x), None)
            break


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
