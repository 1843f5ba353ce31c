"""What the tokenizer and topic helpers promise: domain words stay whole, noise tokens go, and the topic
statistics (kwic, keyness, tf-idf, co-occurrence) give the numbers one can check by hand
or with grep on the five sample pages."""

import math
from pathlib import Path

import jieba
import pandas as pd
import pytest

import helpers as T
from cnpress import topics

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PAGE_XIAOJING = "001_87b11788c16a13d5"  # the 晓景计划 feature (广角)
PAGE_ZUIQIANG = "004_45c128563d279158"  # the 最强党支部 feature (视点)


@pytest.fixture(scope="module")
def items():
    """The real item table of the five sample pages: bodies only (no titles, bylines or
    headers), words broken by a column break rejoined (四级“晓 / 景”式, page 001)."""
    return T.load_corpus(CORPUS)


def synthetic(*texts, page="p"):
    return pd.DataFrame(
        {"page": page, "item": range(len(texts)), "kind": "article", "section": "",
         "text": list(texts)}
    )


# --- tokenizer ---------------------------------------------------------------------

def test_plain_jieba_splits_domain_words_ours_keeps_them_whole():
    plain = jieba.Tokenizer()
    assert plain.lcut("最强党支部") == ["最强", "党支部"]
    assert plain.lcut("嘎查村") == ["嘎查", "村"]
    tokens = T.segment("科右前旗满族屯满族乡特门嘎查村两委在主题党日活动中围绕“最强党支部”"
                       "目标任务进行探讨，落实三会一课，推进晓景计划和新就业群体党建。")
    for word in ["最强党支部", "嘎查村", "主题党日", "三会一课", "晓景计划", "新就业群体"]:
        assert word in tokens


def test_segment_keeps_every_character():
    text = "□本报记者 宋爽\n近日，科右前旗召开党建重点任务推进会。"
    assert "".join(T.segment(text)) == text


def test_tokenize_drops_bylines_time_words_numbers_punctuation_and_single_characters():
    tokens = T.tokenize("□本报记者 宋爽 通讯员 张雨 近日，今年以来，3名党员在2024年表示：“说干就干！”的")
    assert tokens  # something is left
    for gone in ["本报记者", "通讯员", "近日", "今年以来", "表示", "3", "2024", "名", "的",
                 "，", "“", " ", "□"]:
        assert gone not in tokens
    assert "党员" in tokens


def test_csv_lexicons_feed_the_segmenter(lexicon_copy):
    places = lexicon_copy / "places.csv"
    places.write_text("surface,use\n科右前旗,yes\n察右后旗,yes\n合作,no\n", encoding="utf-8")
    slogans = lexicon_copy / "slogans.csv"
    slogans.write_text("slogan,expansion,level,source\n四个意识,,national,test\n"
                       "不忘初心、牢记使命,,national,test\n", encoding="utf-8")
    # the tokenizer is rebuilt from the edited files, in this process

    terms = T.lexicon_terms()
    assert set(terms.loc[terms.source == "places.csv", "term"]) == {"科右前旗", "察右后旗"}
    assert "四个意识" in set(terms.loc[terms.source == "slogans.csv", "term"])
    # jieba always cuts at punctuation: such a phrase is listed but not given to it
    assert terms.set_index("term").loc["不忘初心、牢记使命", "in_segmenter"] == False  # noqa: E712
    assert jieba.Tokenizer().lcut("科右前旗") == ["科右", "前旗"]
    tokens = T.segment("科右前旗和察右后旗增强四个意识")
    assert {"科右前旗", "察右后旗", "四个意识"} <= set(tokens)


def test_missing_csv_lexicons_are_skipped(lexicon_copy):
    (lexicon_copy / "places.csv").unlink()
    (lexicon_copy / "slogans.csv").unlink()
    (lexicon_copy / "local_slogans.csv").unlink()
    terms = T.lexicon_terms()
    assert set(terms.source) == {"userdict.txt"} and terms.in_segmenter.all()


# grep -o TERM corpus/*.txt | wc -l; none of these terms is in a title, so the item bodies
# hold all of them (checked by reading the pages).
GREP_COUNTS = {"最强党支部": 19, "嘎查村": 9, "科右前旗": 10, "晓景计划": 2}


def test_no_lexicon_term_is_cut_into_pieces_on_the_sample_pages(items):
    check = T.split_check(items.text)
    assert list(check.columns) == ["term", "source", "occurrences", "split", "overlap", "example"]
    # one row per lexicon entry the segmenter knows, none of them ever cut into pieces
    known = T.lexicon_terms().query("in_segmenter")
    assert len(check) == len(known)
    assert (check["split"] == 0).all(), check[check.split > 0]
    counts = check.drop_duplicates("term").set_index("term")["occurrences"]
    for term, n in GREP_COUNTS.items():
        assert counts[term] == n, term


@pytest.mark.parametrize("term", list(GREP_COUNTS))
def test_domain_terms_come_out_of_tokenize_whole_as_often_as_grep_finds_them(items, term):
    tokens = items.text.map(T.tokenize).explode()
    assert (tokens == term).sum() == GREP_COUNTS[term]


def test_split_check_counts_a_place_inside_a_party_committee_as_overlap_not_split(items):
    # 包头市委组织部 is segmented 包头|市委|组织部: the place 包头市 loses to 市委 (a
    # competing word won), which is not the lexicon failing.
    check = T.split_check(items.text).drop_duplicates("term").set_index("term")
    assert check.loc["包头市", "split"] == 0 and check.loc["包头市", "overlap"] > 0
    assert "包头|市委" in check.loc["包头市", "example"]


def test_split_check_tells_a_cut_from_an_overlap(monkeypatch):
    # with a dictionary that does not know 最强党支部, the term is cut into pieces;
    # 嘎查村 inside 嘎查村民 loses to 村民 only if 村民 wins, which is an overlap.
    monkeypatch.setattr(topics, "segment", lambda text: jieba.Tokenizer().lcut(text))
    check = T.split_check(["创建最强党支部。"]).drop_duplicates("term").set_index("term")
    assert check.loc["最强党支部", ["occurrences", "split", "overlap"]].tolist() == [1, 1, 0]
    assert check.loc["最强党支部", "example"] == "创建|最强|党支部|。"


# --- topic statistics ----------------------------------------------------------------

def test_kwic_counts_match_grep(items):
    hits = T.kwic(items, "最强党支部", window=5)
    assert len(hits) == 19  # grep -o 最强党支部 corpus/*.txt | wc -l
    assert set(hits.page) == {PAGE_ZUIQIANG}
    assert list(hits.columns) == ["page", "item", "start", "left", "term", "right"]
    first = hits.iloc[0]
    row = items[(items.page == first.page) & (items["item"] == first["item"])].iloc[0]
    assert row.text[first.start - len(first.left):first.start + 5 + len(first.right)] == (
        first.left + "最强党支部" + first.right)
    assert (first.left, first.right) == ("全面开展“", "”创建工作")  # page 004, first paragraph


def test_kwic_sees_a_word_rejoined_across_a_column_break(items):
    # grep -o 晓景 corpus/*.txt | wc -l gives 12 on whole lines; a 13th is broken by a
    # column break (四级“晓 / 景”式, page 001, line 19-21) and load_corpus rejoins it.
    hits = T.kwic(items, "晓景", window=3)
    assert len(hits) == 13 and set(hits.page) == {PAGE_XIAOJING}
    assert ((hits.left == "四级“") & hits.right.str.startswith("”式")).sum() == 1


def test_log_likelihood_matches_a_hand_computed_two_by_two():
    # a=10 of c=100 target tokens, b=5 of d=200: E1 = 5, E2 = 10,
    # G2 = 2 (10 ln 2 + 5 ln 0.5) = 10 ln 2
    assert T.log_likelihood(10, 5, 100, 200) == pytest.approx(10 * math.log(2))
    assert T.log_likelihood(0, 0, 100, 200) == 0
    assert T.chi2_sf_1df(3.841459) == pytest.approx(0.05, abs=1e-6)


def test_keyness_on_a_synthetic_corpus():
    target = " ".join(["产业"] * 10 + ["治理"] * 90)
    ref = " ".join(["产业"] * 5 + ["治理"] * 195)
    df = synthetic(target, ref)
    key = T.keyness(df, df.item == 0, min_count=1).set_index("term")
    assert key.loc["产业", "freq_target"] == 10 and key.loc["产业", "freq_ref"] == 5
    assert key.loc["产业", "G2"] == pytest.approx(10 * math.log(2))
    assert key.loc["产业", "log_ratio"] == pytest.approx(math.log2((10.5 / 100) / (5.5 / 200)))
    assert key.loc["产业", "direction"] == "+" and key.loc["治理", "direction"] == "-"
    assert key.loc["产业", "p"] == pytest.approx(math.erfc(math.sqrt(5 * math.log(2))))


def test_keyness_xiaojing_page_against_the_rest(items):
    key = T.keyness(items, items.page == PAGE_XIAOJING)
    assert key["G2"].is_monotonic_decreasing
    key = key.set_index("term")
    assert key.loc["晓景", "direction"] == "+" and key.loc["晓景", "freq_ref"] == 0
    # 最强党支部 occurs 19 times, all on page 004: negatively key for page 001
    assert key.loc["最强党支部", ["freq_target", "freq_ref", "direction"]].tolist() == [0, 19, "-"]


def test_keyness_of_a_section_against_the_rest(items):
    # 知行合一 (pages 000, 002, 004) runs the community stories (社区里有了一群“热心人”,
    # 专业社工与志愿服务同频共振, 明星社区养成记): 社区 is its strongest key term.
    # grep -o 社工 corpus/*.txt: 17, all on page 002 under 知行合一, one of them in the
    # title 专业社工与 / 志愿服务同频共振, so 16 in the bodies and none elsewhere.
    key = T.keyness(items, items.section == "知行合一")
    assert key.iloc[0]["term"] == "社区" and key.iloc[0]["direction"] == "+"
    key = key.set_index("term")
    assert key.loc["社工", ["freq_target", "freq_ref", "direction"]].tolist() == [16, 0, "+"]
    assert key.loc["社区", "freq_target"] > key.loc["社区", "freq_ref"]
    # cadres (干部), the page's other staple, appear there only as 党员干部 (6 times, by
    # reading the six items), a word of its own: the token 干部 never does
    assert key.loc["干部", "freq_target"] == 0 and key.loc["干部", "direction"] == "-"


def test_tfidf_picks_the_word_only_one_item_repeats():
    df = synthetic("党建 党建 党建 治理", "治理 乡村", "治理 社区")
    kw = T.tfidf_keywords(df, k=2)
    first = kw[kw["item"] == 0].iloc[0]
    assert first.term == "党建" and first["count"] == 3
    # tf = 3/4, idf = ln((1+3)/(1+1)) + 1
    assert first.tfidf == pytest.approx(0.75 * (math.log(2) + 1))
    # 治理 is in every item: idf = ln(4/4) + 1 = 1, tf = 1/4
    zhili = kw[(kw["item"] == 0) & (kw.term == "治理")].iloc[0]
    assert zhili.tfidf == pytest.approx(0.25) and zhili["rank"] == 2


def test_doc_term_keeps_every_item_and_filters_rare_terms():
    df = synthetic("党建 党建 治理", "，。", "治理 社区")
    counts = T.doc_term(df)
    assert counts.index.names == ["page", "item"] and len(counts) == 3
    assert counts.loc[("p", 0), "党建"] == 2 and counts.loc[("p", 1)].sum() == 0
    assert list(T.doc_term(df, min_count=2).columns) == ["党建", "治理"]


def test_top_terms_cooccurrence_and_wordcloud_agree():
    df = synthetic("党建 治理 党建", "治理 社区", "党建 社区 社区")
    top = T.top_terms(df).set_index("term")
    assert top.loc["党建"].tolist() == [3, 2] and top.loc["社区"].tolist() == [3, 2]
    co = T.cooccurrence(df, terms=["党建", "治理", "社区"])
    assert co.loc["党建", "治理"] == co.loc["治理", "党建"] == 1
    assert co.loc["党建", "党建"] == 2
    assert T.wordcloud_frequencies(df) == {"党建": 3, "社区": 3, "治理": 2}


def test_term_counts_is_the_sparse_doc_term(items):
    df = items
    long = T.term_counts(df)
    assert list(long.columns) == ["page", "item", "term", "count"] and (long["count"] > 0).all()
    dense = T.doc_term(df)
    stacked = dense.stack()
    stacked = stacked[stacked > 0].sort_index()
    pd.testing.assert_series_equal(
        long.set_index(["page", "item", "term"])["count"].sort_index(), stacked,
        check_names=False, check_index_type=False)
