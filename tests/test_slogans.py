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
from cnpress import quotes, slogans  # noqa: E402
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


def _items(*texts):
    """Synthetic item table: one item per text, all on page 'p'."""
    return pd.DataFrame(dict(page="p", item=range(len(texts)), text=list(texts)))


# --- the dictionary -------------------------------------------------------------

def test_lexicon_has_slogan_expansion_level_and_a_source_on_every_row():
    lex = load_slogan_lexicon()
    assert {"slogan", "expansion", "level", "source"} <= set(lex.columns)
    assert lex["slogan"].is_unique
    assert set(lex["level"]) <= {"national", "regional", "local"}
    assert (lex["source"].str.len() > 0).all()
    assert lex.set_index("slogan").loc["四个意识", "expansion"] == "政治意识、大局意识、核心意识、看齐意识"


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
    # names of things: head noun after the quote, or inside it
    ("幸福里", "走进", "超市购物", "name"),
    ("老兵", "组建", "志愿服务队", "name"),
    ("草原红", "", "乳业公司", "name"),
    ("暖心驿站", "建起", "", "name"),
    # too short
    ("云", "工作在", "上", "too_short"),
])
def test_quote_verdict_separates_speech_names_and_slogans(content, before, after, verdict):
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


def test_list_elements_count_both_alone_and_inside_the_quoted_list():
    got = mine_slogans(_items("实施“学理论、强本领、优服务”三项工程。",
                              "通过“强本领”行动,干部素质明显提升。")).set_index("slogan")
    assert got.loc["强本领", "count"] == 2
    assert got.loc["学理论、强本领、优服务", "count"] == 1


def test_scare_quoted_word_counts_only_where_quoted():
    got = mine_slogans(_items("社区里有一群“热心人”。", "他是个热心人,大家都信任他。"))
    row = got.set_index("slogan").loc["热心人"]
    assert row["count"] == 1 and row["scare_quote"]


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
# Expected counts come from reading the pages; headlines are not body text.

def test_zuiqiang_dangzhibu_19_times_in_3_items_all_on_page_004(mined):
    # grep -o 最强党支部 corpus/*.txt | wc -l -> 19, none in a headline: the 科右前旗
    # article (16), the 观潮 commentary (1), the 9个专项行动 article (1), all quoted
    row = mined.loc["最强党支部"]
    assert row[["count", "n_items", "n_pages", "n_quoted", "recurring"]].tolist() \
        == [19, 3, 1, 19, True]
    assert row["first_page"].startswith("004")


def test_wugeyipi_found_though_page_003_prints_it_unquoted(items, mined):
    # 3 on the page: the headline 五个一批 谋长效 (a title, not body text) and 2 in the body
    row = mined.loc["五个一批"]
    assert row[["count", "n_items", "n_quoted", "kind"]].tolist() == [2, 1, 0, "numbered"]
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


def test_wujiangwubi_once_in_the_body_its_corner_bracket_title_normalised(items, mined):
    # page 002 prints the title after the body as 『五讲五比』为党员干部铸魂赋能;
    # the body has “五讲五比” once (巩固提升“五讲五比”政治机关建设)
    row = mined.loc["五讲五比"]
    assert row[["count", "n_items", "kind"]].tolist() == [1, 1, "numbered"]
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
    # “治理力量” once (治理对象 -> 治理力量); 推动治理力量下沉 in the 观潮 commentary
    assert mined.loc["治理力量", ["count", "n_items", "recurring"]].tolist() == [2, 2, False]
    # bare uses named as programmes do count: 红色物业等3个特色项目, …服务基层行动
    assert mined.loc["红色物业", "recurring"] and mined.loc["万名专家人才服务基层", "recurring"]


def test_a_scare_quote_repeated_in_one_article_does_not_recur(mined):
    # “热心人” ×10 in the body of the 大庆社区 article (the 11th is its headline)
    assert mined.loc["热心人", ["count", "n_items", "scare_quote", "recurring"]].tolist() \
        == [10, 1, True, False]


def test_digit_method_merges_double_and_single_quoted_forms(mined):
    assert mined.loc["1447党建工作法", "variants"] == ["‘1447’党建工作法", "“1447”党建工作法"]
    assert "131工作方法" in mined.index and "12345工作法" in mined.index


def test_national_formulations_come_from_the_dictionary(mined):
    for s in ["四个意识", "四个自信", "两个维护", "三会一课", "不忘初心、牢记使命"]:
        assert mined.loc[s, "kind"] == "dictionary" and mined.loc[s, "level"] == "national"
    # printed with a full-width comma on the page: a variant of the dictionary form
    assert mined.loc["请党放心、强国有我", "variants"] == ["请党放心，强国有我"]


def test_direct_speech_and_names_are_not_listed(items, mined):
    assert items["text"].str.contains("这是一场干货满满的知识盛宴").any()
    listed = " ".join(mined.index)
    for phrase in ["干货满满", "知识盛宴", "咱们生豆芽", "平常买菜不方便", "路灯亮了"]:
        assert phrase not in listed
    for name in ["安牧态", "陕坝大妈", "瓜蔓蔓", "红速小哥", "12345"]:
        assert name not in mined.index


def test_recurring_slogans_come_first(mined):
    flags = mined["recurring"].tolist()
    assert flags == sorted(flags, reverse=True)


def test_occurrence_table_points_back_into_the_text(items):
    occ = slogan_occurrences(items)
    assert list(occ.columns[:6]) == ["page", "item", "slogan", "surface", "start", "end"]
    texts = items.set_index(["page", "item"])["text"]
    for r in occ.sample(40, random_state=0).itertuples():
        span = texts[(r.page, r.item)][r.start:r.end]
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
    for text in _random_texts("甲乙丙丁“”‘’ 甲乙"):
        canon = "".join(rng.choice("甲乙丙") for _ in range(rng.randint(1, 4)))
        plain, marks = quotes.without_quotes(text), slogans._quote_marks(text)
        for quoted_only in (False, True):
            expected = [m.span() for m in slogans._phrase_regex(canon, quoted_only).finditer(text)]
            assert list(slogans._plain_spans(canon, quoted_only, text, plain, marks)) == expected


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
    matcher = slogans._OccurrenceMatcher(slogans._candidates([quotes.item_quotes(t) for t in texts]))
    for text in texts:
        plain = quotes.without_quotes(text)
        assert matcher.present(plain) == [
            i for i, c in enumerate(matcher.order) if slogans._anchor(c) in plain]
