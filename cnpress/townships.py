"""Townships: Inner Mongolia's township-level units (苏木, 乡, 镇, 街道, farms) named in a text.

Reads lexicon/townships.csv (1,225 units of the NBS 2023 list, 1,102 of them matched; built
by lexicon/build_townships.py, see lexicon/README.md). :mod:`cnpress.places` finds township
names with the same automaton as the prefecture and county names; this module says which
unit a name is. Township names repeat across counties (林荫街道 is in 海勃湾区 and in 东胜区)
and many are ordinary (城关镇, 胜利街道, 朝阳镇): a name is resolved only from a county or
prefecture the same text names, else left unresolved (not counted) rather than guessed.
"""
from __future__ import annotations

import bisect

import pandas as pd

from . import lexicon

TOWNSHIPS = "townships.csv"
# Township types that exist only in Inner Mongolia (苏木 is the Mongolian banner's township): a
# name of this type that only one unit has needs no county named to resolve.
ALONE_KINDS = ("苏木",)


@lexicon.follows(TOWNSHIPS)
def load_townships() -> pd.DataFrame:
    """lexicon/townships.csv: one row per township-level unit (surface, name, code, kind,
    county_code, county, prefecture, use, guard, n_units, source), strings, '' for empty."""
    p = lexicon.path(TOWNSHIPS)
    if not p.exists():
        raise FileNotFoundError(f"{p} not found: build it with lexicon/build_townships.py")
    table = pd.read_csv(p, dtype=str).fillna("")
    missing = {"surface", "name", "code", "county_code", "county", "prefecture", "use"} - set(table.columns)
    if missing:
        raise ValueError(f"{p} lacks columns {sorted(missing)}")
    return table


def township_units() -> dict[str, list[dict]]:
    """{surface: [unit rows]} for the matched units (use = yes)."""
    table = load_townships()
    used = table[table["use"] == "yes"]
    out: dict[str, list[dict]] = {}
    for row in used.to_dict("records"):
        out.setdefault(row["surface"], []).append(row)
    return out


class NamedUnits:
    """The county- and prefecture-level mentions a text keeps, indexed for township look-ups:
    positions by county code (sorted, for the nearest by binary search) and the prefectures
    named. Built once per text, so resolving stays linear in the number of mentions."""

    def __init__(self, named):
        self.by_county: dict[str, list[tuple[int, int]]] = {}
        for m in named:
            if m["county_code"]:
                self.by_county.setdefault(m["county_code"], []).append((m["start"], m["end"]))
        self.prefectures = {m["prefecture"] for m in named}

    def distance(self, county_code, start, end):
        """Characters from text[start:end] to the nearest mention of the county, or None."""
        spans = self.by_county.get(county_code)
        if not spans:
            return None
        i = bisect.bisect_left(spans, (start, end))
        near = spans[max(0, i - 1):i + 1]
        return min(min(abs(s - end), abs(start - e)) for s, e in near)


def resolve(hit, named, prev):
    """``(unit row or None, reason)`` for a township candidate.

    ``hit``: the candidate (start, end, surface, units = its possible rows); ``named``: the
    county-level and prefecture-level mentions the text keeps, as a :class:`NamedUnits`;
    ``prev``: the kept mention ending right where the name starts (dict with surface,
    county_code, prefecture), or None.

    The unit is the one whose county is written right before it (科右前旗科尔沁镇), else the
    one whose county the text names (the nearest mention if several units' counties are
    named), else the one whose prefecture the text names, if only one unit fits, else a 苏木
    that only one unit is called (苏木 exist only in Inner Mongolia). Any other name with none
    of its counties or prefectures named is left unresolved, even if it is unique in Inner
    Mongolia: ordinary names (朝阳镇, 胜利街道) exist all over China.
    """
    units = hit["units"]
    if prev is not None:
        fit = [u for u in units if u["county_code"] == prev["county_code"]
               or (not prev["county_code"] and u["prefecture"] == prev["prefecture"])]
        if len(fit) == 1:
            return fit[0], f"written right after {prev['surface']}"
    by_county = [(d, u) for u in units
                 if (d := named.distance(u["county_code"], hit["start"], hit["end"])) is not None]
    if by_county:
        d, unit = min(by_county, key=lambda x: x[0])
        if sum(1 for dd, _ in by_county if dd == d) == 1:
            return unit, f"its county {unit['county']} is named in the text"
    fit = [u for u in units if u["prefecture"] in named.prefectures]
    if len(fit) == 1:
        return fit[0], f"its prefecture {fit[0]['prefecture']} is named in the text"
    if len(units) == 1 and units[0]["kind"] in ALONE_KINDS:
        u = units[0]
        return u, f"the only {u['kind']} of this name, and {u['kind']} exist only in Inner Mongolia"
    if len(units) > 1 and fit:
        return None, (f"unresolved: {len(fit)} units of this name in "
                      f"{'、'.join(sorted({u['prefecture'] for u in fit}))}, their counties not named")
    where = "、".join(f"{u['county']} ({u['prefecture']})" for u in units)
    return None, f"unresolved: none of its counties or prefectures is named ({where})"
