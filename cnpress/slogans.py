"""Recurring slogans (提法) in party-press pages: mining, counting, locating.

Party-building pages are built from formulations that repeat: national ones (四个意识,
三会一课, 不忘初心、牢记使命) and local brands (“最强党支部”, “晓景计划”, “亮晒比”).
This module finds them in the item table (columns page, item, text; `text` is the
cleaned body with quotes normalised to “ ” and nested ‘ ’) and counts them.

Where candidates come from
--------------------------
1. quoted phrases “…” and ‘…’ that pass :func:`quote_verdict` (not direct speech,
   not the name of a shop, company or team, at least two characters);
2. numbered formulations found with or without quotes (:data:`REPEATED_NUMERAL_RE`
   三会一课 / 三亮三提三比三创 / 双报到双报告双考核, :data:`N_GE_YI_RE` 五个一批,
   :data:`DIGIT_METHOD_RE` “1447”党建工作法 / 12345工作法, :data:`PLUS_CODE_RE` 1+3+N);
3. entries of ``lexicon/slogans.csv`` present in the text.

Once a phrase is a candidate, ALL its occurrences are counted, quoted or not (page 003
prints 民情日记 without the quotes that page 000 gives it), except for scare quotes
(see :func:`is_scare_quote`), which are counted only where quoted: “技术”, “温度”,
“热心人” are ordinary words that happen to be quoted, and their unquoted uses are
just the word. Quote marks inside a surface are ignored when matching, so “五化”协同,
五化协同 and ‘五化’协同 are one slogan. Overlaps are resolved longest first, so a
candidate inside a longer one (一村一名 inside “一村一名大学生”) is not counted twice;
the one exception is an element of a quoted 、-list (亮晒比 in “活字典、亮晒比、零差错、
结对子”), which is counted both as itself and inside the list.

Formulation versus long tail
----------------------------
The output keeps one-off quoted phrases (the long tail) but says which rows recur:
``recurring`` is True when a slogan is used in at least :data:`MIN_ITEMS_RECURRING`
items. Ranking by ``n_items`` then ``count`` puts formulations first; a scare-quoted
word repeated inside one story (“热心人” ×9 in one article) stays behind them.

A phrase that is a candidate only because somebody quoted it (kind 'quoted') must be
MARKED as a formulation in that many items: quoted there (alone or inside a quoted list),
or named as a programme (推出民情日记, 万名专家人才服务基层行动, 红色物业等3个特色项目).
Its bare uses still count in ``count``, but they alone do not make it recur: “治理力量”
quoted once, then 推动治理力量下沉 elsewhere, is a noun phrase used twice, not a recurring
slogan; same for “作用发挥” against 作用发挥强 / 作用发挥好. Dictionary and numbered
formulations carry their status in their form and recur on ``n_items`` alone.
"""
from __future__ import annotations

import bisect
import itertools
import re

import pandas as pd

from .lexicon import load_slogan_lexicon
from .parallel import each_text, gc_paused, map_chunks
from .quotes import (
    CLOSE_QUOTES, NUMERAL_START_RE, OPEN_QUOTES, is_scare_quote, item_quotes,
    quoted_spans, without_quotes,
)


# A formulation used in at least this many items counts as recurring (two different
# articles picked it up); a phrase repeated within one story is still long tail.
MIN_ITEMS_RECURRING = 2


# A bare use marks a phrase as a formulation when the sentence names it as a programme: a
# launch verb right before it, or a programme head noun right after it (optionally after
# 等N个 + two characters: 红色物业等3个特色项目). Ordinary verbs (推动, 加强) are not cues.
PROGRAMME_BEFORE_RE = re.compile(r"(?:推出|推行|实施|开展|打造|启动|创建)$")
PROGRAMME_AFTER_RE = re.compile(
    r"^(?:等\d*个?[\u4e00-\u9fff]{0,2}?)?(?:行动|活动|项目|工程|计划|品牌|模式|制度|工作法)"
)




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


def _candidates(found):
    """Map canonical phrase -> (kind, quoted_only) from the quotes and numbered spans of
    every text (``found[i]`` is item_quotes of the i-th text), and the dictionary. Every
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
    """Where `text`'s quote marks sit in without_quotes(text): the k-th mark (from 0), at
    text position q, sits before plain character q - k. Sorted."""
    parts = _QUOTE_MARK_RE.split(text)  # the plain runs between the marks
    return list(itertools.accumulate(map(len, parts[:-1])))


def _plain_spans(canonical, quoted_only, text, plain, marks):
    """The spans (start, end) of ``_phrase_regex(canonical, quoted_only).finditer(text)``
    for a canonical form without separators or quote marks, found with str.find in
    ``plain = without_quotes(text)`` (``marks = _quote_marks(text)``): at most one quote mark
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
        plain = without_quotes(text)
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


@gc_paused
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
        found = map_chunks(each_text, (item_quotes, texts), len(texts),
                            "slogans: quotes and numbers")
    matcher = _OccurrenceMatcher(_candidates(found))
    quotes = [spans for spans, _, _, _ in found]
    del found
    shared = (matcher, df["page"].tolist(), df["item"].tolist(), texts, quotes)
    rows = map_chunks(_occurrence_chunk, shared, len(texts), "slogans: occurrences")
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


@gc_paused
def mine_slogans(df, occurrences=None, min_items=MIN_ITEMS_RECURRING):
    """One row per canonical slogan found in the item table `df` (page, item, text).

    ``occurrences``: ``slogan_occurrences(df)`` if the caller has it already (a notebook that
    shows both saves the second pass over the corpus); computed here otherwise.
    ``min_items``: how many items a slogan must be used in (marked, for quoted phrases) to
    count as recurring (default MIN_ITEMS_RECURRING = 2: two articles picked it up).

    Columns: slogan, count (occurrences in the cleaned text, quoted or not, no
    double counting), n_items, n_pages, kind (dictionary / numbered / quoted),
    variants (sorted list of printed surfaces merged into the slogan), first_page,
    first_item (first occurrence in page, item, offset order), n_quoted (how many
    occurrences carried quote marks), n_marked_items (items where at least one use
    is marked: quoted, inside a quote, or named as a programme, see
    :func:`is_marked_use`), scare_quote (an ordinary word in quotes), recurring
    (dictionary and numbered forms: used in at least ``min_items`` items;
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
    out["recurring"] = spread >= min_items
    out["level"] = out["slogan"].map(lex["level"]).fillna("local")
    out["expansion"] = out["slogan"].map(lex["expansion"]).fillna("")
    return (out[cols].sort_values(["recurring", "n_items", "count", "slogan"],
                                  ascending=[False, False, False, True])
            .reset_index(drop=True))


