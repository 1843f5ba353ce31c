"""Tests for the slogan helpers: slogan (提法) mining on the five sample pages and on
synthetic sentences typical of the genre."""

import re
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers import (  # noqa: E402
    load_slogan_lexicon, mine_slogans, quote_verdict, slogan_occurrences,
)

CORPUS = ROOT / "corpus"


def _stand_in_items():
    """STAND-IN for helpers.load_corpus (not written yet): crude item table.

    One row per paragraph; a paragraph that does not end a sentence is glued to the
    next one (column breaks: 通\\n\\n辽市, “晓\\n\\n景”式); short lines without sentence
    punctuation (headers, titles, bylines, credits) are dropped; 『』「」 -> “”.
    Replace with load_corpus() once it exists; item numbers here are paragraphs,
    so tests below check counts and pages, not n_items.
    """
    rows = []
    for path in sorted(CORPUS.glob("*.txt")):
        paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        merged, buf = [], ""
        for p in paras:
            p = p.replace("\n", "")
            buf += p
            if len(p) > 20 and not re.search(r"[。！？!?”…)）]$", p):
                continue  # broken by a column break: glue the next paragraph on
            merged.append(buf)
            buf = ""
        if buf:
            merged.append(buf)
        body = [m for m in merged if len(m) > 20 or re.search(r"[。，,！？]", m)]
        body = [m for m in body if not m.startswith(("□", "◎", "■"))]
        for i, text in enumerate(body):
            text = text.translate(str.maketrans("『』「」", "“”“”"))
            rows.append(dict(page=path.stem, item=i, text=text))
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def items():
    return _stand_in_items()


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


# --- the five sample pages (STAND-IN item table, see _stand_in_items) -------------

def test_zuiqiang_dangzhibu_counted_19_times_all_on_page_004(mined):
    # grep -o 最强党支部 corpus/*.txt | wc -l -> 19, none in a headline
    row = mined.loc["最强党支部"]
    assert row["count"] == 19 and row["n_pages"] == 1
    assert row["first_page"].startswith("004")
    assert row["recurring"]


def test_wugeyipi_found_though_page_003_prints_it_unquoted(mined):
    # 3 in the page, one of them in the headline 五个一批 谋长效 (not body text)
    row = mined.loc["五个一批"]
    assert row[["count", "n_quoted", "kind"]].tolist() == [2, 0, "numbered"]


def test_liangshaibi_counted_on_two_pages(mined):
    # 000: “亮晒比”实战练兵, ‘亮晒比’, and inside “活字典、亮晒比、零差错、结对子”; 001: 1
    row = mined.loc["亮晒比"]
    assert row[["count", "n_pages"]].tolist() == [4, 2]


def test_xiaojing_brand_and_programme(mined):
    # “晓景”式 ×7 (one split by a column break: “晓 / 景”式); 齐晓景 the person is not counted
    assert mined.loc["晓景", "count"] == 7
    assert mined.loc["晓景计划", "variants"] == ["‘晓景计划’", "“晓景计划”"]


def test_quotes_stripped_on_one_page_still_counted(mined):
    # quoted once on page 000, printed bare three times on page 003
    row = mined.loc["民情日记"]
    assert row[["count", "n_quoted", "n_pages"]].tolist() == [4, 1, 2]


def test_digit_method_merges_double_and_single_quoted_forms(mined):
    assert mined.loc["1447党建工作法", "variants"] == ["‘1447’党建工作法", "“1447”党建工作法"]
    assert "131工作方法" in mined.index and "12345工作法" in mined.index


def test_national_formulations_come_from_the_dictionary(mined):
    for s in ["四个意识", "四个自信", "两个维护", "三会一课", "不忘初心、牢记使命"]:
        assert mined.loc[s, "kind"] == "dictionary" and mined.loc[s, "level"] == "national"
    assert mined.loc["请党放心、强国有我", "variants"] == ["请党放心,强国有我"]


def test_direct_speech_and_names_are_not_listed(mined):
    listed = " ".join(mined.index)
    for phrase in ["干货满满", "咱们生豆芽", "平常买菜不方便", "路灯亮了"]:
        assert phrase not in listed
    for name in ["安牧态", "陕坝大妈", "瓜蔓蔓", "红速小哥", "12345"]:
        assert name not in mined.index


def test_occurrence_table_points_back_into_the_text(items):
    occ = slogan_occurrences(items)
    assert list(occ.columns[:6]) == ["page", "item", "slogan", "surface", "start", "end"]
    texts = items.set_index(["page", "item"])["text"]
    for r in occ.sample(40, random_state=0).itertuples():
        span = texts[(r.page, r.item)][r.start:r.end]
        assert span.replace("“", "").replace("”", "").replace("‘", "").replace("’", "") \
            .replace(",", "、") == r.slogan.replace(",", "、")
    assert (occ.groupby("slogan").size() == mine_slogans(items).set_index("slogan")["count"]
            .reindex(occ.groupby("slogan").size().index)).all()


# --- on the real item table, once helpers.load_corpus exists ----------------------

def _load_corpus_or_skip():
    helpers = pytest.importorskip("helpers")
    if not hasattr(helpers, "load_corpus"):
        pytest.skip("helpers.load_corpus not written yet")
    return helpers.load_corpus()


def test_on_load_corpus_a_formulation_recurs_across_items_a_scare_quote_does_not():
    got = mine_slogans(_load_corpus_or_skip()).set_index("slogan")
    # 最强党支部: the 科右前旗 article, the 观潮 commentary, the 9个专项行动 article
    assert got.loc["最强党支部", ["count", "n_items", "recurring"]].tolist() == [19, 3, True]
    # “热心人” ×10, all in the one 大庆社区 article: long tail, not a formulation
    assert got.loc["热心人", ["count", "n_items", "recurring"]].tolist() == [10, 1, False]
    assert got.loc["民情日记", ["count", "n_pages"]].tolist() == [4, 2]
