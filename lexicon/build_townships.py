"""One-off builder of lexicon/townships.csv (Inner Mongolia's township-level units).

The committed CSV is the source of truth: the code reads it, never this script, and nothing
runs it automatically. To rebuild (from the project root, diff before committing):

    .venv/bin/python lexicon/build_townships.py ../shared/data

Input: shared/data/nmg_townships_2023.csv (NBS 2023年统计用区划代码和城乡划分代码, as of
2023-06-30, from github.com/modood/Administrative-divisions-of-China dist/streets.csv, commit
57a0aa9c, WTFPL; columns code,name,county_code,county,prefecture). One output row per unit:
the official name, the surface matched in text, its 9-digit code, county and prefecture, and
whether it is matched (`use`) with the reason when not (`guard`).
"""
import argparse
import re
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
INPUT = "nmg_townships_2023.csv"
SOURCE = "NBS 2023 statistical division codes via shared/data/nmg_townships_2023.csv"
# Township-level units that are places people live in and the press names as places. The
# other rows of the NBS list (development zones, industrial parks, company-run farms, offices,
# a prison, a research centre) are units of account, not places a story is set in, and many
# carry a county's or prefecture's name inside (呼和浩特综合保税区, 托县工业园区): matching
# them would hide that unit's own mention.
KIND = re.compile(r"(街道|镇|苏木|乡|农场|牧场|林场|渔场|马场)$")
# The NBS name sometimes carries its county or an office word the press leaves out:
# 宁城县铁西街道 -> 铁西街道, 敖汉旗人民政府新州街道 -> 新州街道, 保康街道办事处 -> 保康街道,
# 松城街道筹备处 -> 松城街道.
OFFICE_SUFFIX = re.compile(r"(办事处|筹备处)$")


def surface_of(name, county):
    """The form the press prints for a township's NBS name."""
    s = OFFICE_SUFFIX.sub("", name)
    for prefix in (county + "人民政府", county):
        if s.startswith(prefix) and len(s) > len(prefix) + 1:
            s = s[len(prefix):]
    return s


def main(shared: Path):
    src = shared / INPUT
    if not src.exists():
        raise SystemExit(f"{src} not found: pass the reference-data folder (shared/data)")
    t = pd.read_csv(src, dtype=str)
    counties = pd.read_csv(HERE / "places.csv", dtype=str).fillna("")
    county_forms = set(counties.loc[(counties.use != "no") & (counties.form != "no_suffix"), "surface"])
    t["surface"] = [surface_of(n, c) for n, c in zip(t.name, t.county)]
    t["kind"] = t.surface.str.extract(KIND, expand=False).fillna("")
    t["use"] = "yes"
    t["guard"] = ""
    other = t.kind == ""
    t.loc[other, ["use", "guard"]] = ["no", "开发区/园区/机构, 不是乡级地名"]
    # A farm named with its county or prefecture (通辽市国有胜利农场) is a company's name.
    inside = t.surface.map(lambda s: next((f for f in county_forms if f in s), ""))
    farm = ~other & t.kind.str.endswith("场") & (inside != "")
    t.loc[farm, ["use", "guard"]] = ["no", "名称含旗县/盟市名的农牧场 (企业名)"]
    # Names that repeat inside Inner Mongolia (林荫街道: 海勃湾区 and 东胜区) are resolved from
    # the county or prefecture named nearby; n_units says how many units share the surface.
    used = t[t.use == "yes"]
    t["n_units"] = t.surface.map(used.surface.value_counts()).fillna(0).astype(int)
    t["source"] = SOURCE
    cols = ["surface", "name", "code", "kind", "county_code", "county", "prefecture", "use",
            "guard", "n_units", "source"]
    t[cols].sort_values("code").to_csv(HERE / "townships.csv", index=False)
    print(t.use.value_counts(), t[t.use == "yes"].kind.value_counts(), sep="\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help=f"folder with {INPUT}")
    main(parser.parse_args().data_dir)
