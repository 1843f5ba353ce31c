"""What the township level of find_places / place_mentions promises (issue 13)."""
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from cnpress.townships import load_townships  # noqa: E402
from helpers import find_places, load_corpus, place_mentions  # noqa: E402

TOWNS = load_townships()
SOURCE = ROOT.parent / "shared" / "data" / "nmg_townships_2023.csv"


def townships(text):
    found = find_places(text)
    return found[found.township.notna()]


def test_lexicon_holds_every_unit_of_the_nbs_list_once():
    assert len(TOWNS) == 1225 and TOWNS.code.is_unique
    assert TOWNS.code.str.fullmatch(r"15\d{7}").all()
    used = TOWNS[TOWNS.use == "yes"]
    assert set(used.kind) == {"镇", "乡", "苏木", "街道", "农场", "牧场", "林场", "渔场", "马场"}
    # development zones and company-run farms are kept for reference, not matched, with a reason
    assert (TOWNS.loc[TOWNS.use == "no", "guard"] != "").all()
    # the printed form drops the county and office words of the NBS name
    assert TOWNS.set_index("name").loc["宁城县铁西街道", "surface"] == "铁西街道"


@pytest.mark.skipif(not SOURCE.exists(), reason=f"{SOURCE} (the NBS township list) is not here")
def test_lexicon_matches_its_source():
    src = pd.read_csv(SOURCE, dtype=str)
    merged = src.merge(TOWNS, on="code", suffixes=("", "_lex"))
    assert len(merged) == len(src)
    assert (merged.name == merged.name_lex).all() and (merged.county == merged.county_lex).all()


def test_a_township_after_its_county_is_resolved():
    found = townships("兴安盟科右前旗科尔沁镇平安村")
    assert found[["township", "county", "prefecture"]].values.tolist() == [
        ["科尔沁镇", "科尔沁右翼前旗", "兴安盟"]]
    assert found.code.tolist() == ["152221100"]


@pytest.mark.parametrize("text, county", [
    ("乌海市海勃湾区林荫街道开展活动", "海勃湾区"),
    ("鄂尔多斯市东胜区林荫街道开展活动", "东胜区"),
    ("磴口县开展活动。巴彦高勒镇和平社区结对共建", "磴口县"),
    ("扎赉特旗开展活动。巴彦高勒镇举行培训", "扎赉特旗"),
])
def test_a_shared_township_name_is_resolved_from_the_county_named(text, county):
    assert townships(text).county.tolist() == [county]


def test_a_township_name_without_its_county_is_left_unresolved():
    # 林荫街道 is in two counties, 朝阳镇 and 城关镇 are ordinary names all over China
    for text in ["林荫街道开展活动", "朝阳镇党委书记说", "广西某县城关镇的李花盛放"]:
        e = find_places(text, explain=True)
        assert townships(text).empty
        assert e.reason.str.startswith("unresolved").any()
    # two units of the name, both in prefectures the text names: unresolved
    assert townships("兴安盟和巴彦淖尔市: 巴彦高勒镇举行培训").empty


def test_the_nearest_county_decides_between_two_units():
    text = "扎赉特旗干部到磴口县考察，在巴彦高勒镇交流"
    assert townships(text).county.tolist() == ["磴口县"]


def test_a_unique_sumu_needs_no_county():
    # 苏木 exist only in Inner Mongolia: a 苏木 name that one unit has is that unit
    name = TOWNS[(TOWNS.kind == "苏木") & (TOWNS.n_units == "1")].iloc[0]
    assert townships(f"在{name.surface}，牧民迎来丰收").code.tolist() == [name.code]


def test_county_results_do_not_change_with_townships():
    # a township is an extra row: the county mention before it stays one county mention
    found = find_places("通辽市科左后旗甘旗卡镇")
    assert found[["surface", "county", "township"]].values.tolist() == [
        ["通辽市科左后旗", "科尔沁左翼后旗", None], ["甘旗卡镇", "科尔沁左翼后旗", "甘旗卡镇"]]


def test_sample_pages_name_these_township_units():
    # Read on the items' cleaned text: 29 (page, unit) pairs; 朝阳镇 on page 002 (a seam in a
    # 包头 story, 朝阳 + 镇交通安全实训基地) is left unresolved: its only unit is in 化德县,
    # which the page does not name.
    m = place_mentions(load_corpus(ROOT / "corpus"))
    t = m[m.township.notna()].drop_duplicates(["page", "code"])
    assert len(t) == 29
    assert set(t.township) >= {"甘旗卡镇", "巴胡塔苏木", "哈拉道口镇", "科尔沁镇", "林荫街道",
                               "巴彦塔拉苏木", "巴彦高勒镇", "满族屯满族乡"}
    assert "朝阳镇" not in set(t.township)
    assert t.code.str.len().eq(9).all()
