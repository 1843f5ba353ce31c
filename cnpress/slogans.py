"""Recurring slogans (提法) in party-press pages: mining, counting, typing, locating.

Party-building pages are built from formulations that repeat, national ones (四个意识,
三会一课, 不忘初心、牢记使命) and local ones (“最强党支部”, “亮晒比”), and they promote
local brands: named stations, schemes and volunteer teams (“红蜂驿站”, “道德银行”). This
module finds them in the item table (columns page, item, text and, when present, title;
both cleaned, quotes normalised to “ ” and nested ‘ ’) and counts them, in the titles and
in the bodies.

Where candidates come from
--------------------------
1. quoted phrases “…” and ‘…’ that :func:`quote_verdict` does not judge direct speech or
   too short (slogans, brands and names alike), in titles and bodies;
2. numbered formulations found with or without quotes (:data:`REPEATED_NUMERAL_RE`
   三会一课 / 三亮三提三比三创 / 双报到双报告双考核, :data:`N_GE_YI_RE` 五个一批,
   :data:`DIGIT_METHOD_RE` “1447”党建工作法 / 12345工作法, :data:`PLUS_CODE_RE` 1+3+N);
3. entries of ``lexicon/slogans.csv`` (national and regional formulations) whose ``use`` is
   not ``no``, each with its variants: 两山理论 counts for 绿水青山就是金山银山.

A quoted 、-list (“活字典、亮晒比、零差错、结对子”) is split: each element is a candidate of
its own, and the list as a whole only if it recurs (quoted in :data:`MIN_ITEMS_RECURRING`
items, or in the dictionary: 不忘初心、牢记使命).

Once a phrase is a candidate, ALL its occurrences are counted, quoted or not (page 003
prints 民情日记 without the quotes that page 000 gives it), except for scare quotes (see
:func:`is_scare_quote`) and dictionary entries with use = quoted, which are counted only
where quoted: “技术”, “温度”, “热心人” are ordinary words that happen to be quoted, and their
unquoted uses are just the word. An element of a quoted list counts as quoted. Quote marks
inside a surface are ignored when matching, so “五化”协同, 五化协同 and ‘五化’协同 are one
slogan. Overlaps are resolved longest first, so a candidate inside a longer one (一村一名
inside “一村一名大学生”) is not counted twice; the one exception is an element of a quoted
list that is itself a candidate (亮晒比 inside a recurring list), counted both ways.

Types: what kind of thing a candidate is
----------------------------------------
Every slogan gets a ``type``, decided in this order:

- the ``type`` column of the dictionary (slogans.csv: formulation, or name for 乌兰牧骑) or of
  ``lexicon/local_slogans.csv`` (the curated local formulations and brands), if listed;
- ``brand``: quoted at least once as a named local programme, station, team or scheme
  (quote_verdict 'brand': it ends in 驿站/服务站/之家/银行/超市/计划…, or a station or team
  head follows it, “陕坝大妈”帮帮团); a brand is what a party-building page promotes;
- ``name``: quoted at least once as the name of a firm, product, shop or honour (“安牧态”
  奶制品加工厂, “全国文明村”称号), or a numbered short form that names a body (两委, 两会:
  :data:`cnpress.quotes.NUMBERED_BODY_RE`);
- ``scare_quote``: a quoted phrase that is an ordinary word (:func:`is_scare_quote`);
- ``formulation`` (提法) otherwise: dictionary entries, numbered forms (五个一批), quoted
  phrases that are neither brands, names nor ordinary words (最强党支部, 亮晒比).

Direct speech never becomes a candidate. Headline figures use formulations; brands have
their own table.

Recurring or long tail
----------------------
``recurring`` is True when a slogan is used in at least ``min_items`` items. A phrase that
is a candidate only because somebody quoted it (kind 'quoted') must be MARKED in that many
items: quoted there (alone or inside a quoted list), or named as a programme (推出民情日记,
万名专家人才服务基层行动, 红色物业等3个特色项目). Its bare uses still count in ``count``, but
they alone do not make it recur: “治理力量” quoted once, then 推动治理力量下沉 elsewhere, is a
noun phrase used twice, not a recurring slogan. Dictionary and numbered formulations carry
their status in their form and recur on ``n_items`` alone.
"""
from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd

from . import lexicon
from .lexicon import follows, load_slogan_lexicon
from .parallel import each_text, gc_paused, map_chunks
from .quotes import (
    MIN_SLOGAN_LEN, NUMBERED_BODY_RE, NUMERAL_START_RE, OPEN_QUOTES, is_dictionary_word,
    is_number_phrase, is_scare_quote, item_quotes, quoted_spans, without_quotes,
)
from .slogan_match import (
    LIST_SEP, QUOTE_MARK_RE, OccurrenceMatcher, inside_quote, is_list_element, quote_marks,
    surface,
)

# A formulation used in at least this many items counts as recurring (two different
# articles picked it up); a phrase repeated within one story is still long tail. A quoted
# 、-list is a slogan of its own only when quoted in this many items.
MIN_ITEMS_RECURRING = 2

TYPES = ("formulation", "brand", "name", "scare_quote")

# A bare use marks a phrase as a formulation when the sentence names it as a programme: a
# launch verb right before it, or a programme head noun right after it (optionally after
# 等N个 + two characters: 红色物业等3个特色项目). Ordinary verbs (推动, 加强) are not cues.
PROGRAMME_BEFORE_RE = re.compile(r"(?:推出|推行|实施|开展|打造|启动|创建)$")
PROGRAMME_AFTER_RE = re.compile(
    r"^(?:等\d*个?[\u4e00-\u9fff]{0,2}?)?(?:行动|活动|项目|工程|计划|品牌|模式|制度|工作法)"
)

_SEP_RE = re.compile(r"[、，,·\s]")
_YES = {"yes", "y", "true", "1", ""}


def _sepless(form):
    """A form without list separators: two forms equal here are matched as one."""
    return _SEP_RE.sub("", form)


@follows(lexicon.SLOGANS)
def dictionary():
    """The slogan dictionary as the matcher uses it: ``(forms, info)``.

    forms: {form: (slogan, quoted_only)} for every entry whose ``use`` is not ``no`` (its
    canonical form and its ``variants``, |-separated; ``use`` = quoted: counted only where
    quoted). info: {slogan: (level, type, expansion)} for those entries. A variant that
    differs from its slogan only by list separators is left out (matched anyway)."""
    lex = load_slogan_lexicon()
    use = lex["use"].str.strip().str.lower() if "use" in lex.columns else pd.Series("", lex.index)
    forms, info = {}, {}
    for row, u in zip(lex.itertuples(index=False), use):
        if u == "no":
            continue
        slogan = row.slogan.strip()
        quoted_only = u == "quoted"
        info[slogan] = (row.level, getattr(row, "type", "") or "formulation", row.expansion)
        forms[slogan] = (slogan, quoted_only)
        for v in str(getattr(row, "variants", "") or "").split("|"):
            v = v.strip()
            if v and _sepless(v) != _sepless(slogan):
                forms.setdefault(v, (slogan, quoted_only))
    return forms, info


@follows(lexicon.LOCAL_SLOGANS)
def local_types() -> dict:
    """{slogan: type} from ``lexicon/local_slogans.csv`` (curated local formulations, brands
    and names: they join the segmenter's dictionary and their type overrides the rules).
    Empty if the file is absent; rows with use = no are skipped."""
    p = lexicon.path(lexicon.LOCAL_SLOGANS)
    if not p.exists():
        return {}
    table = pd.read_csv(p, dtype=str, comment="#").fillna("")
    missing = {"slogan", "type"} - set(table.columns)
    if missing:
        raise ValueError(f"{p} lacks columns {sorted(missing)}: add them (see lexicon/README.md)")
    bad = set(table["type"]) - set(TYPES)
    if bad:
        raise ValueError(f"{p}: unknown type {sorted(bad)}; use one of {list(TYPES)}")
    if "use" in table.columns:
        table = table[table["use"].str.strip().str.lower() != "no"]
    return dict(zip(table["slogan"].str.strip(), table["type"]))


def _facts(facts):
    """item_quotes' tuple, padded: tables cached before brands were told apart have four."""
    return facts if len(facts) > 4 else (*facts, [])


def _candidates(found, keys=None, min_items=MIN_ITEMS_RECURRING):
    """``(cands, types)`` from the quotes and numbered spans of every text (``found[i]`` is
    item_quotes of the i-th text, ``keys[i]`` the item it belongs to) and the dictionary.

    cands: {form: (kind, quoted_only, slogan)}, kind dictionary / numbered / quoted;
    types: {slogan: type} (see the module docstring). Every dictionary form is a candidate:
    one that occurs nowhere adds no occurrence."""
    forms, info = dictionary()
    known = {_sepless(f) for f in forms}
    keys = range(len(found)) if keys is None else keys
    found = [_facts(f) for f in found]
    names = {c for f in found for c in f[2]}
    brands = {c for f in found for c in f[4]}
    list_items = defaultdict(set)  # a quoted 、-list -> the items quoting it
    for key, f in zip(keys, found):
        for canon in f[1]:
            if LIST_SEP in canon:
                list_items[canon].add(key)

    cands = {}

    def add(canon):  # a quoted phrase
        if len(canon) < MIN_SLOGAN_LEN or canon in cands or _sepless(canon) in known \
                or is_number_phrase(canon):
            return
        if NUMERAL_START_RE.match(canon):  # quoted, and starting with a numeral
            # two characters (“两委”, “三天”) or a plain word (“两位数”): counted where quoted
            cands[canon] = ("numbered", len(canon) <= 2 or is_dictionary_word(canon), canon)
        else:
            cands[canon] = ("quoted", is_scare_quote(canon), canon)

    for f in found:
        for canon in (*f[1], *f[2], *f[4]):
            if LIST_SEP in canon and len(list_items.get(canon, ())) < min_items:
                for element in canon.split(LIST_SEP):
                    add(element.strip())
            else:
                add(canon)
        for canon in f[3]:  # found by their pattern, quoted or not: formulations by form
            if canon not in cands and _sepless(canon) not in known:
                cands[canon] = ("numbered", False, canon)
    cands.update({form: ("dictionary", q, slogan) for form, (slogan, q) in forms.items()})

    local = local_types()
    types = {}
    for kind, quoted_only, slogan in cands.values():
        if slogan in local:
            types[slogan] = local[slogan]
        elif kind == "dictionary":
            types[slogan] = info[slogan][1]
        elif slogan in brands and kind == "quoted":  # numbered forms (“五个三”) are standards
            types[slogan] = "brand"
        elif slogan in names or (kind == "numbered" and NUMBERED_BODY_RE.match(slogan)):
            types[slogan] = "name"
        elif quoted_only:
            types[slogan] = "scare_quote"
        else:
            types[slogan] = "formulation"
    return cands, types


def _occurrence_rows(matcher, pages, items, fields, texts, quotes):
    """slogan_occurrences' rows as tuples, texts in order, each text's forms longest first;
    ``quotes[i]``: the (start, end) of texts[i]'s quotes judged 'slogan'."""
    rows = []
    for page, item, field, text, spans in zip(pages, items, fields, texts, quotes):
        plain = without_quotes(text)
        marks = quote_marks(text) if len(plain) < len(text) else []
        taken = []  # (start, end, is_list) of accepted spans
        for i in matcher.present(plain):
            form = matcher.order[i]
            kind, quoted_only, slogan = matcher.cands[form]
            for s, e in matcher.spans(i, text, plain, marks):
                if quoted_only and (text[s - 1] == LIST_SEP or text[e] == LIST_SEP) \
                        and not inside_quote(s, e, spans):
                    continue  # between two 、 but not in a quoted list: a bare use
                clash = [t for t in taken if s < t[1] and t[0] < e]
                if clash and not all(is_list_element(text, s, e, t) for t in clash):
                    continue
                taken.append((s, e, LIST_SEP in form))
                rows.append((page, item, slogan, surface(text, s, e), s, e, kind,
                             _is_marked(text, s, e, spans), field))
    return rows


def _occurrence_chunk(shared, start, stop):
    """_occurrence_rows of texts start..stop-1 (a task of slogan_occurrences' workers);
    ``shared`` is (matcher, pages, items, fields, texts, quotes)."""
    matcher, *columns = shared
    return _occurrence_rows(matcher, *(c[start:stop] for c in columns))


@gc_paused
def slogan_occurrences(df):
    """Long table of slogan occurrences: one row per use in a title or a cleaned text.

    df: item table with columns page, item, text and optionally title. Returns columns
    page, item, slogan (canonical form), surface (as printed, with its quotes), start, end
    (offsets in the field, end exclusive, quotes excluded), kind (dictionary / numbered /
    quoted), marked (the use is quoted, sits inside a quoted phrase, or is named as a
    programme: see :func:`is_marked_use`), field ('title' or 'text': where start/end
    point), type (formulation / brand / name / scare_quote, see the module docstring).
    Overlapping matches are resolved longest first. Sorted by page, item, field (title
    first), start.

    Two passes: candidates from every title and text, then each one's occurrences of the
    candidates that can occur in it (see :class:`OccurrenceMatcher`), so the time grows
    with the text, not with text x candidates. The bodies' first pass is the
    ``quote_facts`` column if ``df`` has it (load_corpus makes it in its worker processes
    and caches it; drop the column after editing ``text``); titles are short and done here.
    On a large table the passes run in worker processes (:func:`map_chunks`).
    """
    lexicon.check_now()  # an edited lexicon file takes effect here
    texts = df["text"].fillna("").astype(str).tolist()
    if "quote_facts" in df.columns:  # found by load_corpus
        found = df["quote_facts"].tolist()
    else:
        found = map_chunks(each_text, (item_quotes, texts), len(texts),
                           "slogans: quotes and numbers")
    pages, items = df["page"].tolist(), df["item"].tolist()
    fields = ["text"] * len(texts)
    if "title" in df.columns:
        titles = df["title"].fillna("").astype(str).tolist()
        has = [i for i, t in enumerate(titles) if t.strip()]
        title_found = [item_quotes(titles[i]) for i in has]
        # titles first: an item's title comes before its body
        pages = [pages[i] for i in has] + pages
        items = [items[i] for i in has] + items
        fields = ["title"] * len(has) + fields
        texts = [titles[i] for i in has] + texts
        found = title_found + list(found)
    keys = list(zip(pages, items))
    cands, types = _candidates(found, keys)
    matcher = OccurrenceMatcher(cands)
    quotes = [f[0] for f in found]
    del found
    shared = (matcher, pages, items, fields, texts, quotes)
    rows = map_chunks(_occurrence_chunk, shared, len(texts), "slogans: occurrences")
    cols = ["page", "item", "slogan", "surface", "start", "end", "kind", "marked", "field"]
    occ = pd.DataFrame(rows, columns=cols)
    occ["type"] = occ["slogan"].map(types)
    order = occ["field"].map({"title": 0, "text": 1})
    return (occ.assign(_order=order)
            .sort_values(["page", "item", "_order", "start"], kind="stable")
            .drop(columns="_order").reset_index(drop=True))


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
    if 0 < start and end < len(text) and text[start - 1] in OPEN_QUOTES \
            and text[end] in "”’":  # quoted (a brand or name: not among the 'slogan' spans)
        return True
    for s, e in spans:  # inside a quoted phrase
        if s < start and end < e:
            return True
    if QUOTE_MARK_RE.search(text, start, end):  # a quote mark inside the use
        return True
    return bool(PROGRAMME_BEFORE_RE.search(text[max(0, start - 4):start])
                or PROGRAMME_AFTER_RE.match(text[end:end + 10]))


@gc_paused
def mine_slogans(df, occurrences=None, min_items=MIN_ITEMS_RECURRING):
    """One row per canonical slogan found in the item table `df` (page, item, text, title).

    ``occurrences``: ``slogan_occurrences(df)`` if the caller has it already (a notebook that
    shows both saves the second pass over the corpus); computed here otherwise.
    ``min_items``: how many items a slogan must be used in (marked, for quoted phrases) to
    count as recurring (default MIN_ITEMS_RECURRING = 2: two articles picked it up).

    Columns: slogan, count (uses in titles and cleaned texts, quoted or not, no double
    counting), n_items, n_pages, kind (dictionary / numbered / quoted), variants (sorted
    list of printed surfaces merged into the slogan), first_page, first_item (first
    occurrence in page, item, title-then-text, offset order), n_quoted (how many uses
    carried quote marks), n_marked_items (items where at least one use is marked: quoted,
    inside a quote, or named as a programme, see :func:`is_marked_use`), scare_quote (type
    is scare_quote), recurring (dictionary and numbered forms: used in at least
    ``min_items`` items; quoted phrases: MARKED in at least that many items, see module
    docstring), level (national / regional from the dictionary, else local), expansion
    (from the dictionary), type (formulation / brand / name / scare_quote, see the module
    docstring), n_in_titles (how many of the uses are in titles). Sorted recurring first,
    then by n_items, count (descending), then slogan.
    """
    occ = slogan_occurrences(df) if occurrences is None else occurrences
    cols = ["slogan", "count", "n_items", "n_pages", "kind", "variants", "first_page",
            "first_item", "n_quoted", "n_marked_items", "scare_quote", "recurring", "level",
            "expansion", "type", "n_in_titles"]
    if occ.empty:
        return pd.DataFrame(columns=cols)
    field = occ["field"] if "field" in occ.columns else pd.Series("text", occ.index)
    occ = occ.assign(item_key=occ["page"].astype(str) + "#" + occ["item"].astype(str),
                     quoted=occ["surface"].str[0].isin(list(OPEN_QUOTES)),
                     in_title=field.eq("title"))
    occ["marked_item"] = occ["item_key"].where(occ["marked"])
    if "type" not in occ.columns:
        occ["type"] = "formulation"
    _, info = dictionary()
    out = (occ.groupby("slogan", sort=False)
              .agg(count=("start", "size"), n_items=("item_key", "nunique"),
                   n_pages=("page", "nunique"), kind=("kind", "first"),
                   variants=("surface", lambda s: sorted(s.unique())),
                   first_page=("page", "first"), first_item=("item", "first"),
                   n_quoted=("quoted", "sum"), n_marked_items=("marked_item", "nunique"),
                   type=("type", "first"), n_in_titles=("in_title", "sum"))
              .reset_index())
    out["scare_quote"] = out["type"].eq("scare_quote")
    # A quoted phrase's bare uses do not make it recur (“治理力量” vs 推动治理力量下沉).
    spread = out["n_items"].where(out["kind"] != "quoted", out["n_marked_items"])
    out["recurring"] = spread >= min_items
    out["level"] = out["slogan"].map(lambda s: info[s][0] if s in info else "local")
    out["expansion"] = out["slogan"].map(lambda s: info[s][2] if s in info else "")
    return (out[cols].sort_values(["recurring", "n_items", "count", "slogan"],
                                  ascending=[False, False, False, True])
            .reset_index(drop=True))


def missing_from_segmenter(mined, types=("formulation", "brand")):
    """The recurring slogans of ``mined`` (mine_slogans' table) of the given types that the
    segmenter cannot keep whole because no lexicon file lists them: candidates for
    ``lexicon/local_slogans.csv``. Phrases with punctuation (、-lists, 1+3+N) are left out:
    jieba cuts text at punctuation before it looks words up. Columns as in ``mined``."""
    terms = lexicon.lexicon_terms()
    known = set(terms.loc[terms["in_segmenter"], "term"])
    rows = mined[mined["recurring"] & mined["type"].isin(types)]
    return rows[~rows["slogan"].isin(known) & rows["slogan"].str.fullmatch(r"\w+")]
