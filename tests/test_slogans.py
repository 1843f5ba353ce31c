"""Tests for the slogan helpers: slogan (提法) mining on the five sample pages and on
synthetic sentences typical of the genre."""

import random
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import helpers  # noqa: E402
from cnpress import quotes, slogan_match, slogans  # noqa: E402
from helpers import (  # noqa: E402
    is_marked_use, load_corpus, load_slogan_lexicon, mine_slogans, quote_verdict,
    slogan_occurrences,
)

CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def items():
    """The real item table of the five pages (column breaks rejoined, 『』 -> “”)."""
    return load_corpus(CORPUS)


@pytest.fixture(scope="module")
def mined(items):
    return mine_slogans(items).set_index("slogan")


def _items(*texts, titles=None):
    """Synthetic item table: one item per text, all on page 'p' (with titles if given)."""
    df = pd.DataFrame(dict(page="p", item=range(len(texts)), text=list(texts)))
    if titles is not None:
        df["title"] = titles
    return df


# --- the dictionary -------------------------------------------------------------

def test_lexicon_has_slogan_expansion_level_and_a_source_on_every_row():
    lex = load_slogan_lexicon()
    assert {"slogan", "expansion", "level", "type", "variants", "use", "source"} <= set(lex.columns)
    assert lex["slogan"].is_unique
    assert set(lex["level"]) <= {"national", "regional", "local"}
    assert set(lex["use"]) <= {"yes", "match", "quoted", "no"}
    assert set(lex["type"]) <= set(slogans.TYPES)
    assert (lex["source"].str.len() > 0).all()
    assert lex.set_index("slogan").loc["四个意识", "expansion"] == "政治意识、大局意识、核心意识、看齐意识"


def test_dictionary_holds_150_national_formulations_and_inner_mongolias_own():
    lex = load_slogan_lexicon()
    national = lex[(lex["level"] == "national") & (lex["type"] == "formulation") & (lex["use"] != "no")]
    assert len(national) >= 150
    regional = set(lex.loc[lex["level"] == "regional", "slogan"])
    assert {"模范自治区", "两件大事", "五大任务", "祖国北疆亮丽风景线"} <= regional


def test_every_printed_form_belongs_to_one_slogan():
    lex = load_slogan_lexicon()
    forms = [re.sub(r"[、，,·\s]", "", f) for r in lex.itertuples()
             for f in [r.slogan, *filter(None, r.variants.split("|"))]]
    assert len(forms) == len(set(forms))


def test_a_variant_counts_for_its_slogan():
    got = mine_slogans(_items("践行两山理论,守护绿水青山。", "牢记绿水青山就是金山银山。"))
    row = got.set_index("slogan").loc["绿水青山就是金山银山"]
    assert row["count"] == 2 and row["variants"] == ["两山理论", "绿水青山就是金山银山"]
    assert "两山理论" not in set(got["slogan"])


def test_entries_prone_to_false_hits_are_restricted():
    # 一把手 (an ordinary word) is listed for reference only; 菜篮子 counts only where quoted;
    # 九个以 would hit 九个以上
    got = mine_slogans(_items("一把手要带头,稳住菜篮子。", "实施“菜篮子”工程,九个以上部门参与。"))
    found = got.set_index("slogan")
    assert "一把手" not in found.index and "九个以" not in found.index
    assert found.loc["菜篮子", "count"] == 1


# --- the quote rule on synthetic sentences typical of the genre -------------------

@pytest.mark.parametrize("content, before, after, verdict", [
    # sentence punctuation inside: somebody's words
    ("这次培训内容实在,回去我要好好消化。", "", "", "speech"),
    ("日子越过越红火了", "", "", "speech"),            # sentence-final particle 了
    ("多亏了党员干部", "老人高兴地说：", "", "speech"),  # speech verb + colon before
    ("服务就在家门口", "", "张书记说。", "speech"),     # "…说。" right after
    ("我们将持续深化改革", "", "", "speech"),           # pronoun + modal: a promise
    # formulations, even with a first-person pronoun
    ("我为群众办实事", "深化", "实践活动", "slogan"),
    ("三亮三比三评", "推行", "活动", "slogan"),
    ("支部建在产业链上", "推行", "模式", "slogan"),
    ("红色驿家", "打造", "品牌", "slogan"),
    # brands: a station, team or scheme named in the quote, or a team head after it
    ("老兵", "组建", "志愿服务队", "brand"),
    ("暖心驿站", "建起", "", "brand"),
    ("邻里银行", "开设", "", "brand"),
    ("春苗计划", "启动", "", "brand"),
    ("银发大姐", "", "帮帮团成员", "brand"),
    # names of other things: firms, products, shops, honours
    ("幸福里", "走进", "超市购物", "name"),      # a shop: 超市 after the quote
    ("草原红", "", "乳业公司", "name"),
    ("全国文明村", "荣获", "称号", "name"),
    # too short
    ("云", "工作在", "上", "too_short"),
])
def test_quote_verdict_separates_speech_brands_names_and_slogans(content, before, after, verdict):
    assert quote_verdict(content, before, after) == verdict


def test_variants_with_and_without_quotes_merge_into_one_slogan():
    got = mine_slogans(_items("落实“五化”协同、大抓基层的部署。",
                              "推进五化协同,全面开展“五讲五比”活动。",
                              "巩固‘五讲五比’成果,推广“红色驿家”。",
                              "目前红色驿家已覆盖全旗。")).set_index("slogan")
    assert got.loc["五化协同", "count"] == 2
    assert got.loc["五化协同", "variants"] == ["“五化”协同", "五化协同"]
    assert got.loc["五讲五比", "variants"] == ["‘五讲五比’", "“五讲五比”"]
    # once quoted somewhere, unquoted later uses count too
    assert got.loc["红色驿家", ["count", "n_quoted", "n_items"]].tolist() == [2, 1, 2]


def test_a_shorter_phrase_inside_a_longer_slogan_is_not_a_slogan():
    got = mine_slogans(_items("开展“最强党支部”创建,各党支部积极响应。",
                              "全旗建成“最强党支部”20个。"))
    assert "党支部" not in set(got["slogan"])
    assert got.set_index("slogan").loc["最强党支部", "count"] == 2


def test_elements_of_a_quoted_list_count_on_their_own_and_the_list_only_if_it_recurs():
    got = mine_slogans(_items("实施“学理论、强本领、优服务”三项工程。",
                              "通过“强本领”行动,干部素质明显提升。")).set_index("slogan")
    assert got.loc["强本领", "count"] == 2 and got.loc["学理论", "count"] == 1
    assert "学理论、强本领、优服务" not in got.index
    again = mine_slogans(_items("实施“学理论、强本领、优服务”三项工程。",
                                "深化“学理论、强本领、优服务”。")).set_index("slogan")
    assert again.loc["学理论、强本领、优服务", ["count", "recurring"]].tolist() == [2, True]


def test_a_scare_quoted_word_counts_as_an_element_of_a_quoted_list():
    got = mine_slogans(_items("争当“活字典”,实施“活字典、零差错”工程,他是活字典。",
                              "推行“零差错”,办事零差错。")).set_index("slogan")
    # quoted alone and inside the list; the bare 活字典 is just the word
    assert got.loc["活字典", ["count", "type"]].tolist() == [2, "scare_quote"]


def test_scare_quoted_word_counts_only_where_quoted():
    got = mine_slogans(_items("社区里有一群“热心人”。", "他是个热心人,大家都信任他。"))
    row = got.set_index("slogan").loc["热心人"]
    assert row["count"] == 1 and row["scare_quote"] and row["type"] == "scare_quote"


def test_every_candidate_has_a_type_and_direct_speech_is_none():
    got = mine_slogans(_items(
        "开展“红旗支部”创建,建起“暖心驿站”,组建“银发大姐”帮帮团。",
        "走进“幸福里”超市,村“两委”换届,大家都是“热心人”。",
        "老人说：“日子越过越好了。”“红旗支部”又添新成员。")).set_index("slogan")
    assert got.loc["红旗支部", "type"] == "formulation"
    assert got.loc["暖心驿站", "type"] == "brand" and got.loc["银发大姐", "type"] == "brand"
    assert got.loc["幸福里", "type"] == "name" and got.loc["两委", "type"] == "name"
    assert got.loc["热心人", "type"] == "scare_quote"
    assert not any("日子越过越好" in s for s in got.index)
    assert set(got["type"]) <= set(slogans.TYPES)


def test_titles_count_and_point_back_into_the_title():
    df = _items("开展“红旗支部”创建。", "全面推进。", titles=["“红旗支部”引领发展", "“红旗支部”建设新篇"])
    occ = slogan_occurrences(df)
    in_titles = occ[occ["field"] == "title"]
    assert len(in_titles) == 2
    for r in in_titles.itertuples():
        assert df.loc[r.item, "title"][r.start:r.end] == "红旗支部"
    row = mine_slogans(df, occ).set_index("slogan").loc["红旗支部"]
    assert row[["count", "n_in_titles", "n_items", "recurring"]].tolist() == [3, 2, 2, True]


def test_numbered_formulations_are_found_unquoted_but_not_idioms_or_hotlines():
    got = mine_slogans(_items("认真落实三会一课制度,推行1+2+N联系模式。",
                              "深化5432工作法,党员一心一意为群众,拨打12345热线反映问题,一步一个脚印。"))
    slogans = set(got["slogan"])
    assert {"三会一课", "1+2+N", "5432工作法"} <= slogans
    assert not slogans & {"一心一意", "12345", "12345热线", "一步一个"}



# --- when a quoted phrase recurs: bare uses alone do not make it recur ---------------

def test_a_phrase_quoted_once_and_used_bare_elsewhere_as_a_noun_phrase_does_not_recur():
    got = mine_slogans(_items("实现“治理对象”向“治理力量”的转变。",
                              "推动治理力量下沉,汇集众智。")).set_index("slogan")
    # both uses are counted, but only one item marks it as a formulation
    assert got.loc["治理力量", ["count", "n_items", "n_marked_items", "recurring"]] \
        .tolist() == [2, 2, 1, False]


def test_a_phrase_quoted_in_two_items_recurs():
    got = mine_slogans(_items("以“精准滴灌”提高培训质效。",
                              "从“大水漫灌”到“精准滴灌”。")).set_index("slogan")
    assert got.loc["精准滴灌", ["n_marked_items", "recurring"]].tolist() == [2, True]


def test_a_bare_use_named_as_a_programme_marks_the_phrase():
    got = mine_slogans(_items("以“民情日记”记录百姓冷暖。",
                              "宝日勿苏镇推出民情日记,让党员干部身入群众。",
                              "借助万名专家人才服务基层行动契机。",
                              "开展“万名专家人才服务基层”活动。")).set_index("slogan")
    assert got.loc["民情日记", "recurring"] and got.loc["万名专家人才服务基层", "recurring"]


@pytest.mark.parametrize("text, span, marked", [
    # span: the occurrence as slogan_occurrences delimits it (enclosing quotes excluded)
    ("以“民情日记”记录", "民情日记", True),              # quoted
    ("落实“五化”协同、大抓基层", "五化”协同", True),       # quotes inside the phrase
    ("实施“活字典、亮晒比、零差错”工程", "亮晒比", True),  # inside a quoted list
    ("推出民情日记", "民情日记", True),                    # launch verb before
    ("创新实施网格化治理、红色物业等3个特色项目", "红色物业", True),  # head noun after
    ("推动治理力量下沉", "治理力量", False),               # ordinary verb: a noun phrase
    ("组织生活强、作用发挥强的标准", "作用发挥", False),
])
def test_marked_use(text, span, marked):
    start = text.index(span)
    assert is_marked_use(text, start, start + len(span)) is marked


def test_dictionary_formulations_recur_on_bare_use():
    got = mine_slogans(_items("解决群众急难愁盼问题。", "聚焦急难愁盼。")).set_index("slogan")
    assert got.loc["急难愁盼", ["n_marked_items", "recurring"]].tolist() == [0, True]


# --- the five sample pages, on the real item table (helpers.load_corpus) -------------
# Expected counts come from reading the pages, headlines included.

def _printed(items, phrase):
    """How often `phrase` is printed in the titles and texts of the item table."""
    return sum(str(t).count(phrase) for col in ("title", "text") for t in items[col].fillna(""))


@pytest.mark.parametrize("slogan, uses, kind", [
    ("五个一批", 3, "formulation"),    # 003: headline 五个一批 谋长效… and two in the body
    ("五讲五比", 2, "formulation"),    # 002: headline 『五讲五比』为… and once in the body
    ("热心人", 11, "scare_quote"),     # 000: headline 社区里有了一群“热心人” and 10 in the body
    ("活字典", 5, "scare_quote"),      # 000: quoted 3x, ‘活字典’ once, and in the quoted list
    ("精准滴灌", 3, "formulation"),    # 001 headline and body, 002 body
    ("红蜂驿站", 3, "brand"),          # 001: headline and twice in the body
    ("道德银行", 3, "brand"),          # 001: once in someone's words (‘道德银行’), twice quoted
    ("陕坝大妈", 4, "brand"),          # 000: “陕坝大妈”帮帮团 and three more
    ("最强党支部", 19, "formulation"), # 004, never in a headline
])
def test_sample_counts_with_titles_and_list_elements(items, mined, slogan, uses, kind):
    assert mined.loc[slogan, ["count", "type"]].tolist() == [uses, kind]
    assert _printed(items, slogan) == uses  # every printed use, each counted once

def test_zuiqiang_dangzhibu_19_times_in_3_items_all_on_page_004(mined):
    # grep -o 最强党支部 corpus/*.txt | wc -l -> 19, none in a headline: the 科右前旗
    # article (16), the 观潮 commentary (1), the 9个专项行动 article (1), all quoted
    row = mined.loc["最强党支部"]
    assert row[["count", "n_items", "n_pages", "n_quoted", "recurring"]].tolist() \
        == [19, 3, 1, 19, True]
    assert row["first_page"].startswith("004")


def test_wugeyipi_found_though_page_003_prints_it_unquoted(items, mined):
    # 3 on the page: the headline 五个一批 谋长效 and 2 in the body, none quoted
    row = mined.loc["五个一批"]
    assert row[["count", "n_in_titles", "n_items", "n_quoted", "kind", "level"]].tolist() \
        == [3, 1, 1, 0, "dictionary", "national"]
    assert items.set_index(["page", "item"]).loc[(row["first_page"], row["first_item"]),
                                                 "title"].startswith("五个一批")


def test_liangshaibi_in_two_items_on_two_pages(mined):
    # 000 (包头 组工干部 article): “亮晒比”实战练兵, ‘亮晒比’, and inside the list
    # “活字典、亮晒比、零差错、结对子”; 001 (brief): “亮晒比”创先争优行动擂台赛
    row = mined.loc["亮晒比"]
    assert row[["count", "n_items", "n_pages", "recurring"]].tolist() == [4, 2, 2, True]


def test_xiaojing_brand_and_programme_in_one_article(mined):
    # “晓景”式 ×6 and “晓景”特色 ×1 (one split by a column break: “晓 / 景”式);
    # the person 齐晓景 (4 times) is not counted: two-character quotes match only quoted
    assert mined.loc["晓景", ["count", "n_items", "recurring"]].tolist() == [7, 1, False]
    assert mined.loc["晓景计划", "variants"] == ["‘晓景计划’", "“晓景计划”"]
    assert mined.loc["晓景计划", ["count", "n_items"]].tolist() == [2, 1]


def test_wujiangwubi_in_its_corner_bracket_title_and_once_in_the_body(items, mined):
    # page 002 prints the title after the body as 『五讲五比』为党员干部铸魂赋能;
    # the body has “五讲五比” once (巩固提升“五讲五比”政治机关建设)
    row = mined.loc["五讲五比"]
    assert row[["count", "n_in_titles", "n_quoted", "n_items", "kind"]].tolist() \
        == [2, 1, 2, 1, "numbered"]
    title = items.set_index(["page", "item"]).loc[(row["first_page"], row["first_item"]), "title"]
    assert title == "“五讲五比”为党员干部铸魂赋能"
    assert not items["text"].str.contains("[『』]").any()


def test_quotes_stripped_on_one_page_still_counted(mined):
    # quoted once on page 000, printed bare three times on page 003 (宝日勿苏镇推出民情日记)
    row = mined.loc["民情日记"]
    assert row[["count", "n_quoted", "n_items", "n_pages", "recurring"]].tolist() \
        == [4, 1, 2, 2, True]


def test_quoted_noun_phrases_with_plain_bare_uses_do_not_recur(mined):
    # “作用发挥” quoted once in a subhead; elsewhere 作用发挥等方面 / 作用发挥好 / 作用发挥强
    assert mined.loc["作用发挥", ["count", "n_items", "n_marked_items", "recurring"]] \
        .tolist() == [4, 4, 1, False]
    # “治理力量” once (治理对象 -> 治理力量), bare in that article's headline 从治理对象到治理力量
    # and in 推动治理力量下沉 (the 观潮 commentary)
    assert mined.loc["治理力量", ["count", "n_in_titles", "n_items", "recurring"]].tolist() \
        == [3, 1, 2, False]
    # bare uses named as programmes do count: 红色物业等3个特色项目, …服务基层行动
    assert mined.loc["红色物业", "recurring"] and mined.loc["万名专家人才服务基层", "recurring"]


def test_a_scare_quote_repeated_in_one_article_does_not_recur(mined):
    # “热心人” ×10 in the body of the 大庆社区 article and once in its headline
    assert mined.loc["热心人", ["count", "n_in_titles", "n_items", "scare_quote", "recurring"]] \
        .tolist() == [11, 1, 1, True, False]


def test_digit_method_merges_double_and_single_quoted_forms(mined):
    assert mined.loc["1447党建工作法", "variants"] == ["‘1447’党建工作法", "“1447”党建工作法"]
    assert "131工作方法" in mined.index and "12345工作法" in mined.index


def test_national_formulations_come_from_the_dictionary(mined):
    for s in ["四个意识", "四个自信", "两个维护", "三会一课", "不忘初心、牢记使命", "最后一公里",
              "精准滴灌"]:
        assert mined.loc[s, "kind"] == "dictionary" and mined.loc[s, "level"] == "national"
    # printed with a full-width comma on the page: a variant of the dictionary form
    assert mined.loc["请党放心、强国有我", "variants"] == ["请党放心，强国有我"]


def test_direct_speech_is_not_listed_and_names_are_typed(items, mined):
    assert items["text"].str.contains("这是一场干货满满的知识盛宴").any()
    listed = " ".join(mined.index)
    for phrase in ["干货满满", "知识盛宴", "咱们生豆芽", "平常买菜不方便", "路灯亮了"]:
        assert phrase not in listed
    # “安牧态”奶制品加工厂 is a firm; “瓜蔓蔓”志愿服务队, “红速小哥”志愿先锋队 are brands
    assert mined.loc["安牧态", "type"] == "name"
    assert mined.loc[["瓜蔓蔓", "红速小哥"], "type"].tolist() == ["brand", "brand"]
    assert mined.loc["两委", "type"] == "name"  # 村“两委”: a body, not a formulation
    assert "12345" not in mined.index


def test_recurring_slogans_come_first(mined):
    flags = mined["recurring"].tolist()
    assert flags == sorted(flags, reverse=True)


def test_occurrence_table_points_back_into_the_text(items):
    occ = slogan_occurrences(items)
    assert list(occ.columns[:6]) == ["page", "item", "slogan", "surface", "start", "end"]
    assert set(occ["field"]) == {"title", "text"}
    fields = items.set_index(["page", "item"])[["title", "text"]]
    for r in occ.sample(60, random_state=0).itertuples():
        span = fields.loc[(r.page, r.item), r.field][r.start:r.end]
        assert span.replace("“", "").replace("”", "").replace("‘", "").replace("’", "") \
            .replace("，", "、") == r.slogan.replace("，", "、")
    # count is what a reader finds in the pages: 最强党支部 is printed 19 times (grep -o on
    # the raw pages; never in a title), each use found once
    raw = "".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    mined = mine_slogans(items, occ).set_index("slogan")
    assert raw.count("最强党支部") == 19 == mined.loc["最强党支部", "count"]


# --- speed-ups that must not change a result ------------------------------------
# The fast paths replace regexes written for clarity; each is checked against the plain
# form on random strings over the characters that matter (fixed seed).

def _random_texts(alphabet, n=20000, longest=25, seed=2024):
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))
            for _ in range(n)]


def test_plain_spans_are_the_spans_of_the_phrase_regex():
    rng = random.Random(1)
    for text in _random_texts("甲乙丙丁“”‘’、 甲乙"):
        canon = "".join(rng.choice("甲乙丙") for _ in range(rng.randint(1, 4)))
        plain, marks = quotes.without_quotes(text), slogan_match.quote_marks(text)
        for quoted_only in (False, True):
            expected = [m.span() for m in slogan_match.phrase_regex(canon, quoted_only).finditer(text)]
            assert list(slogan_match.plain_spans(canon, quoted_only, text, plain, marks)) == expected


def test_rewritten_numbered_patterns_match_as_written_plainly():
    unit1, unit2 = quotes._UNIT1, quotes._UNIT2
    repeated = re.compile(r"(?:%s){2,}|(?:%s){2,}" % (unit2, unit1))
    plus_code = re.compile(r"(?<![\d+])[\dN](?:\+[\dN]+)+(?![\d+>=<])")
    for text in _random_texts("一二三两双个会课学做亮提12345N+>=<，、“”‘’ 工作法党建机制模式A"):
        for plain, fast in ((repeated, quotes.REPEATED_NUMERAL_RE),
                            (plus_code, quotes.PLUS_CODE_RE)):
            assert [m.span() for m in fast.finditer(text)] == \
                [m.span() for m in plain.finditer(text)], text


def test_digit_method_hint_holds_whenever_the_pattern_matches():
    # strings built from the pattern's own parts (digits, quotes, method words and near
    # misses), so that many of them match: the cheap hint must hold for every match
    rng = random.Random(7)
    parts = ["1", "23", "447", "12345", "“", "”", "‘", "’", "党建", "工作", "工作法", "机制",
             "模式", "方法", "热线", "号", "党建工作法", "工作机制", "。", "的", "N"]
    texts = ["".join(rng.choice(parts) for _ in range(rng.randint(1, 8))) for _ in range(20000)]
    matched = [t for t in texts if quotes.DIGIT_METHOD_RE.search(t)]
    assert len(matched) > 1000
    assert all(quotes._DIGIT_METHOD_HINT_RE.search(t) for t in matched)


def test_only_candidates_absent_from_an_item_are_skipped(items):
    texts = items["text"].tolist()
    cands, _ = slogans._candidates([quotes.item_quotes(t) for t in texts])
    matcher = slogan_match.OccurrenceMatcher(cands)
    for text in texts:
        plain = quotes.without_quotes(text)
        assert matcher.present(plain) == [
            i for i, c in enumerate(matcher.order) if slogan_match.anchor(c) in plain]


# --- the segmenter keeps the recurring slogans whole ------------------------------

def test_a_local_formulation_stays_one_word():
    assert "亮晒比" in helpers.tokenize("开展亮晒比活动")


def test_the_segmenter_never_splits_a_recurring_formulation_or_brand_of_the_sample(items, mined):
    rec = mined[mined["recurring"] & mined["type"].isin(["formulation", "brand"])].reset_index()
    assert slogans.missing_from_segmenter(rec).empty
    check = helpers.split_check(pd.concat([items["title"].fillna(""), items["text"]]))
    rows = check[check["term"].isin(rec["slogan"])]
    assert len(set(rows["term"])) == rec["slogan"].str.fullmatch(r"\w+").sum() > 10
    assert rows["split"].sum() == 0


def test_an_edit_of_the_local_lexicon_takes_effect(lexicon_copy):
    df = _items("推行“邻里议事”,邻里议事见成效。", "深化“邻里议事”。")
    assert mine_slogans(df).set_index("slogan").loc["邻里议事", "type"] == "formulation"
    with (lexicon_copy / "local_slogans.csv").open("a", encoding="utf-8") as f:
        f.write("邻里议事,brand,yes,test,\n")
    assert mine_slogans(df).set_index("slogan").loc["邻里议事", "type"] == "brand"
    assert "邻里议事" in helpers.tokenize("推行邻里议事制度")

