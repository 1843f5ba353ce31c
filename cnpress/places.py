"""Places: Inner Mongolia's prefecture-, county- and township-level units named in a text.

Reads lexicon/places.csv (Inner Mongolia's 12 prefecture-level and 103 county-level units with
the forms the press uses), lexicon/townships.csv (its township-level units), and, to know
where a text is about somewhere else, lexicon/places_elsewhere.csv (every other province,
prefecture and county in China) and lexicon/places_foreign.csv (countries), see
lexicon/README.md. The rules that read the words around a name are in
:mod:`cnpress.place_rules`, township resolution in :mod:`cnpress.townships`. Analyses read the
``place_hits`` column the loader made; this module never imports the loader.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import lexicon, place_rules, townships
from .lexicon import load_places, load_places_elsewhere
from .parallel import each_text, gc_paused, map_chunks
from .townships import TOWNSHIPS, township_units

PLACES_FOREIGN = "places_foreign.csv"

# The region itself is not a prefecture or county; it is matched so that it is consumed, and
# it licenses the short names that need context (内蒙古阿尔山) and supports shared names.
KINDS = {"nmg": "Inner Mongolia unit", "township": "township", "other": "elsewhere in China",
         "foreign": "abroad", "region": "Inner Mongolia (the region)"}
# Names of places elsewhere that are one character plus a suffix (城区, 郊区, 矿区, 东区: county
# names in 山西, 广东, 香港…) are ordinary words: they are not evidence of a context elsewhere.
GENERIC_ELSEWHERE = re.compile(r"^.(区|县|市)$")


class Matcher:
    """Everything the place finder reads from the lexicon, built once per lexicon state:
    ``automaton`` (Aho-Corasick, leftmost-longest) over ``surfaces``; ``nmg`` {surface: row of
    places.csv}; ``townships`` {surface: [rows of townships.csv]}; ``other`` and ``foreign``
    (names of places elsewhere in China and abroad); ``regions`` (内蒙古 …)."""

    def __init__(self):
        import ahocorasick_rs

        places = load_places()
        nmg = places[places.use.isin(["yes", "context"])].set_index("surface")
        self.nmg = nmg.to_dict("index")
        for row in self.nmg.values():
            row.setdefault("licensed_by_next", "")
        self.townships = township_units()
        elsewhere = load_places_elsewhere()
        # Stems of counties elsewhere are left out: many are ordinary words (合作, 中山, 安达).
        other = set(elsewhere.name) | set(elsewhere.loc[elsewhere.level != "county", "stem"])
        # The genre's cue words (老城区: also a district of 洛阳) are read as cues, not places.
        cue_words = {w for words in place_rules.cues().values() for w in words}
        self.other = ({n for n in other if len(n) >= 2 and not GENERIC_ELSEWHERE.match(n)}
                      - set(places.surface) - cue_words)
        self.foreign = set(load_places_foreign().name) - set(places.surface) - self.other
        self.regions = set(place_rules.cues().get("region", ()))
        names = set(self.nmg) | set(self.townships) | self.other | self.foreign | self.regions
        self.surfaces = sorted(names, key=len, reverse=True)
        self.automaton = ahocorasick_rs.AhoCorasick(
            self.surfaces, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        # kind of each surface; an Inner Mongolia form wins over a township or a name elsewhere
        self.kind = {}
        for kind, group in [("foreign", self.foreign), ("other", self.other), ("region", self.regions),
                            ("township", self.townships), ("nmg", self.nmg)]:
            self.kind.update(dict.fromkeys(group, kind))


@lexicon.follows(lexicon.PLACES, lexicon.PLACES_ELSEWHERE, PLACES_FOREIGN, TOWNSHIPS,
                 place_rules.PLACE_CONTEXT)
def place_matcher():
    """The :class:`Matcher` of the current lexicon files (rebuilt when one changes).

    Leftmost-longest: at the first position where some name starts, the longest name there,
    then on after it: 包头市青山区 is read as 包头市 + 青山区, 杭锦后旗 is never read as 杭锦 +
    后旗, 西安市 is consumed as a place elsewhere and 科尔沁镇 as a township. These are the
    matches of a regex alternation sorted longest first, found in one pass over the text.
    """
    place_rules.dictionary_words()  # loaded here so forked workers inherit it
    return Matcher()


@lexicon.follows(PLACES_FOREIGN)
def load_places_foreign() -> pd.DataFrame:
    """lexicon/places_foreign.csv: country names in Chinese (name, iso, source)."""
    return pd.read_csv(lexicon.path(PLACES_FOREIGN), dtype=str).fillna("")


def _raw_hits(text):
    """Every leftmost-longest lexicon hit in text as dicts (before the rules)."""
    m = place_matcher()
    hits = []
    for k, start, end in m.automaton.find_matches_as_indexes(text):
        s = m.surfaces[k]
        kind = m.kind[s]
        hit = {"surface": s, "start": start, "end": end, "kind": kind, "row": m.nmg.get(s)}
        if kind == "nmg":
            row = hit["row"]
            hit["needs_context"] = row["use"] == "context" or bool(row["shared_with"])
        elif kind == "township":
            hit["units"] = m.townships[s]
        hits.append(hit)
    return hits


def find_places(text, explain=False):
    """Inner Mongolia place mentions in text, one row per mention, in text order.

    Returns a DataFrame with columns surface (the text span), prefecture (official name),
    county (official name, None for a prefecture-level mention), township (official name of a
    township-level unit, else None), start, end (offsets in text), code (the most specific
    unit's code: 6 digits for a prefecture or county, 9 for a township) and form (official /
    no_suffix / short). A township row carries its county and prefecture too.

    With ``explain=True`` every candidate the lexicon matched is a row, with ``kind``
    (Inner Mongolia unit, township, elsewhere in China, abroad, the region), ``kept`` and
    ``reason``: why it was kept or dropped.

    Rules (why in lexicon/README.md and lexicon/place_context.csv):
    - longest match first; a prefecture directly followed by one of its own counties is ONE
      county mention (包头市青山区, 呼伦贝尔满洲里市);
    - a short or suffix-less form is not a mention inside a longer word (依托县域, 趵突泉), at
      the head of an organisation's name (鄂尔多斯集团), before a natural feature (鄂尔多斯
      盆地, 科尔沁沙区) or a lower-level place (科尔沁镇); no form is a mention in a ship's or
      brand's name (包头舰);
    - forms marked use=context (青山, 科尔沁, 阿尔山, 二连…) count right after their prefecture
      or after 内蒙古/自治区 (内蒙古阿尔山, 内蒙古的乌达), before a licensing word (二连口岸),
      or once the text has named their unit that way (内蒙古阿尔山……阿尔山);
    - names shared with places elsewhere (新城区, 青山区, 红山区, 松山区) and 草原 after a name
      need context: not right after a place elsewhere (西安市新城区), not set against 老城区,
      not among places elsewhere or abroad without their prefecture (context_decision);
    - a township name is resolved from the county or prefecture the text names, else dropped;
    - places outside Inner Mongolia and the region itself are never returned.
    """
    decided = _decide(text)
    if explain:
        cols = ["surface", "kind", "kept", "reason", "prefecture", "county", "township",
                "start", "end", "code", "form"]
        rows = [{**_describe(c), "kind": KINDS[c["kind"]], "kept": c["kept"], "reason": c["reason"]}
                for c in decided]
        return _table(rows, cols).astype({"kept": bool})
    cols = ["surface", "prefecture", "county", "township", "start", "end", "code", "form"]
    return _table([_describe(c) for c in decided if c["kept"]], cols)


def _table(rows, cols):
    """A DataFrame of row dicts, column by column: None stays None (not NaN), offsets int64."""
    return pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype="int64" if c in ("start", "end")
                                      else object) for c in cols}, columns=cols)


def _describe(c):
    """The output row of a decided candidate (prefecture etc. None where unknown)."""
    unit, row = c.get("unit"), c.get("row")
    out = {"surface": c["text"], "start": c["start"], "end": c["end"], "prefecture": None,
           "county": None, "township": None, "code": None, "form": None}
    if unit is not None:
        out.update(prefecture=unit["prefecture"], county=unit["county"], township=unit["name"],
                   code=unit["code"], form="official")
    elif row is not None and c["kind"] == "nmg":
        out.update(prefecture=row["prefecture"], county=row["county"] or None,
                   code=row["code"], form=row["form"])
    return out


def place_hits(text):
    """The place mentions of find_places(text) as ``(start, end, key)`` tuples: ``key`` is the
    lexicon/places.csv surface that identifies a prefecture or county, or the 9-digit code of
    a township (load_corpus keeps them in its ``place_hits`` column: small to store and to
    send between processes)."""
    return [(c["start"], c["end"], c["key"]) for c in _decide(text) if c["kept"]]


def _decide(text):
    """Every candidate of text with ``kept``, ``reason``, ``text`` (its span), ``key`` and,
    for a kept township, ``unit``; a prefecture + county pair is one candidate."""
    hits = _raw_hits(text)
    ctx = place_rules.TextContext(text, hits)
    out = []
    kept_units = []  # kept prefecture/county mentions, for townships
    licensed_units = {}  # county code -> the first kept mention of it (licenses its short form)
    i = 0
    n = len(hits)
    while i < n:
        h = hits[i]
        lo = hits[i - 1]["end"] if i else 0
        hi = hits[i + 1]["start"] if i + 1 < n else len(text)
        i += 1
        c = {**h, "text": h["surface"], "key": h["surface"]}
        out.append(c)
        if h["kind"] != "nmg":
            c["kept"] = False
            c["reason"] = {"other": "a place elsewhere in China", "foreign": "a place abroad",
                           "region": "Inner Mongolia itself, not one of its units",
                           "township": "township: resolved below"}[h["kind"]]
            continue
        prev = hits[i - 2] if i >= 2 else None
        after_region = prev is not None and prev["kind"] == "region" and prev["end"] == h["start"]
        veto = place_rules.local_veto(text, h, lo, hi, after_region)
        if veto:
            c.update(kept=False, reason=veto)
            continue
        row = h["row"]
        nxt = hits[i] if i < n else None
        if (row["county"] == "" and nxt is not None and nxt["kind"] == "nmg"
                and nxt["start"] == h["end"] and nxt["row"]["county"] != ""
                and nxt["row"]["prefecture"] == row["prefecture"]):
            hi2 = hits[i + 1]["start"] if i + 1 < n else len(text)
            veto = place_rules.local_veto(text, nxt, h["end"], hi2)
            if veto is None:  # 包头市青山区: one mention of 青山区
                i += 1
                c.update(row=nxt["row"], key=nxt["surface"], end=nxt["end"],
                         text=text[h["start"]:nxt["end"]], kept=True,
                         reason=f"{h['surface']} + its own {nxt['surface']}: one county mention")
                kept_units.append(c)
                licensed_units.setdefault(nxt["row"]["code"], c["text"])
                continue
        if row["use"] == "context":
            why = place_rules.licensed(text, h, prev)
            if why is None and row["code"] in licensed_units:
                why = f"its unit was named with context earlier in the text ({licensed_units[row['code']]})"
            if why is None:
                c.update(kept=False, reason=f"needs its prefecture or 内蒙古 right before it ({row['guard']})")
                continue
            c.update(kept=True, reason=why)
        elif row["shared_with"]:
            keep, why = place_rules.context_decision(ctx, h)
            c.update(kept=keep, reason=f"shared name ({row['shared_with'][:40]}): {why}")
        elif place_rules.starts_with(text, h["end"], place_rules.cues().get("landform_genre", ())):
            keep, why = place_rules.context_decision(ctx, h)
            c.update(kept=keep, reason=f"before a landform word: {why}")
        else:
            c.update(kept=True, reason="a name of the unit")
        if c["kept"]:
            kept_units.append(c)
            if c["row"]["county"]:
                licensed_units.setdefault(c["row"]["code"], c["text"])
    _resolve_townships(out, kept_units)
    return out


def _resolve_townships(decided, kept_units):
    """Give each township candidate in ``decided`` a unit, or the reason it has none."""
    named = [{"start": c["start"], "end": c["end"], "surface": c["text"],
              "county_code": c["row"]["code"] if c["row"]["county"] else "",
              "prefecture": c["row"]["prefecture"]} for c in kept_units]
    by_end = {m["end"]: m for m in named}
    named = townships.NamedUnits(named)
    for c in decided:
        if c["kind"] != "township":
            continue
        unit, why = townships.resolve(c, named, by_end.get(c["start"]))
        c.update(kept=unit is not None, reason=why, unit=unit)
        if unit is not None:
            c["key"] = unit["code"]


@gc_paused
def place_mentions(df):
    """Long table of place mentions for a table with columns page, item, text.

    Returns columns page, item, surface, prefecture, county, township, start, end, code, form
    (as in :func:`find_places`), with start and end as offsets within the item's text; items
    without mentions contribute no rows. The mentions come from the ``place_hits`` column if
    ``df`` has it (load_corpus finds them in its worker processes and caches them; drop the
    column after editing ``text``); else they are searched here, on a large table in worker
    processes (:func:`cnpress.parallel.map_chunks`).
    """
    cols = ["page", "item", "surface", "prefecture", "county", "township", "start", "end", "code", "form"]
    texts = df["text"].astype(str).tolist()
    if "place_hits" in df.columns:  # found by load_corpus
        per_item = df["place_hits"].tolist()
    else:
        per_item = map_chunks(each_text, (place_hits, texts), len(df), "finding places")
    if not any(per_item):
        return pd.DataFrame(columns=cols)
    # Column by column (row dicts were most of the time on a large corpus).
    keep = [i for i, hits in enumerate(per_item) if hits]
    counts = [len(per_item[i]) for i in keep]
    hits = [hit for i in keep for hit in per_item[i]]
    found = _gazetteer().loc[[key for _, _, key in hits]]
    return pd.DataFrame({
        "page": np.repeat(df["page"].to_numpy()[keep], counts),
        "item": np.repeat(df["item"].to_numpy()[keep], counts),
        "surface": [texts[i][s:e] for i in keep for s, e, _ in per_item[i]],
        "prefecture": found["prefecture"].to_numpy(),
        "county": _none_for_empty(found["county"]),
        "township": _none_for_empty(found["township"]),
        "start": np.array([s for s, _, _ in hits], dtype="int64"),
        "end": np.array([e for _, e, _ in hits], dtype="int64"),
        "code": found["code"].to_numpy(),
        "form": found["form"].to_numpy(),
    })


def _none_for_empty(column):
    """A column of object dtype with None where ``column`` is '' (as find_places gives it)."""
    values = column.to_numpy(dtype=object)
    values[values == ""] = None
    return pd.Series(values, dtype=object)


@lexicon.follows(lexicon.PLACES, TOWNSHIPS)
def _gazetteer():
    """What a ``place_hits`` key stands for: places.csv surfaces and township codes -> their
    prefecture, county, township, code and form ('' where none)."""
    places = load_places().set_index("surface")
    units = places.assign(township="")[["prefecture", "county", "township", "code", "form"]]
    towns = townships.load_townships()
    towns = pd.DataFrame({"prefecture": towns.prefecture.to_numpy(), "county": towns.county.to_numpy(),
                          "township": towns.name.to_numpy(), "code": towns.code.to_numpy(),
                          "form": "official"}, index=towns.code.to_numpy())
    return pd.concat([units, towns])
