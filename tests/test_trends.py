"""What the trend helpers promise: terms counted in title and text with their variants, every
period on the time line (empty ones too), first uses per source with the lag between them,
temperature bands, what rose and fell between two periods, and corpora combined by source.

The small tables are made up in the forms the party press prints; the last tests read the
新闻联播 records in ../shared/data/xwlb/ and compare with a plain search."""
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import helpers
from cnpress import trends
from cnpress.topics import log_likelihood

XWLB = Path(__file__).resolve().parents[2] / "shared" / "data" / "xwlb" / "xwlb_2022-2026.jsonl.gz"


def items(*rows, source=None):
    """An item table from (date, title, text) tuples; page = p0, p1, …, item 0."""
    df = pd.DataFrame(rows, columns=["date", "title", "text"])
    df.insert(0, "page", [f"p{i}" for i in range(len(rows))])
    df.insert(1, "item", 0)
    df["date"] = pd.to_datetime(df["date"])
    if source is not None:
        df["source"] = source
    return df


def row(trend, period, term, **kw):
    sel = (trend["period"] == pd.Period(period)) & (trend["term"] == term)
    for k, v in kw.items():
        sel &= trend[k] == v
    assert sel.sum() == 1
    return trend[sel].iloc[0]


# ---- term_trend --------------------------------------------------------------------------------

MONTHS = items(
    ("2024-01-05", "坚决做到“两个维护”", "各级党组织要增强“四个意识”、做到两个维护。"),
    ("2024-01-20", "发展新质生产力", "因地制宜发展新质生产力。"),
    ("2024-01-28", "党建引领基层治理", "社区党支部开展主题党日活动。"),
    # February: no items at all
    ("2024-03-02", "嘎查村两委换届", "牢固树立“四个意识”，坚定“四个自信”，做到“两个维护”。"),
)


def test_term_trend_counts_uses_and_items_per_period_in_title_and_text():
    trend = helpers.term_trend(MONTHS, ["两个维护", "四个意识", "新质生产力"], freq="M")
    assert list(trend.columns) == ["period", "term", "count", "n_items", "share",
                                   "items_in_period"]
    jan = row(trend, "2024-01", "两个维护")
    assert (jan["count"], jan["n_items"], jan["items_in_period"]) == (2, 1, 3)  # title + text
    assert jan["share"] == pytest.approx(1 / 3)
    assert row(trend, "2024-01", "新质生产力")["count"] == 2
    mar = row(trend, "2024-03", "四个意识")
    assert (mar["count"], mar["n_items"], mar["share"]) == (1, 1, 1.0)


def test_term_trend_keeps_empty_periods_visible():
    trend = helpers.term_trend(MONTHS, ["两个维护"], freq="M")
    assert [str(p) for p in trend["period"]] == ["2024-01", "2024-02", "2024-03"]
    feb = row(trend, "2024-02", "两个维护")
    assert feb["items_in_period"] == 0 and feb["n_items"] == 0 and math.isnan(feb["share"])


def test_term_trend_by_source_shares_within_each_source():
    df = pd.concat([MONTHS.assign(source="日报"),
                    items(("2024-01-09", "两个维护", "做到两个维护。"),
                          ("2024-01-10", "天气", "晴。"), source="联播")], ignore_index=True)
    trend = helpers.term_trend(df, ["两个维护"], freq="M", by="source")
    assert list(trend.columns[:3]) == ["period", "source", "term"]
    assert row(trend, "2024-01", "两个维护", source="联播")["share"] == 0.5
    assert row(trend, "2024-01", "两个维护", source="日报")["share"] == pytest.approx(1 / 3)
    assert row(trend, "2024-03", "两个维护", source="联播")["items_in_period"] == 0


def test_a_term_is_counted_with_its_variants_and_without_quote_marks():
    df = items(("2024-05-01", "", "“五化”协同推进，五化协同见实效。"),
               ("2024-05-02", "", "争创“最强党支部”。最强党支部是品牌。"),
               ("2024-05-03", "", "不忘初心，牢记使命；不忘初心、牢记使命。"))
    slogan_table = pd.DataFrame({"slogan": ["五化协同", "最强党支部", "不忘初心、牢记使命"],
                                 "variants": [["“五化”协同", "五化协同"], ["“最强党支部”"], []]})
    trend = helpers.term_trend(df, slogan_table, freq="Y")
    counts = trend.set_index("term")["count"].to_dict()
    assert counts == {"五化协同": 2, "最强党支部": 2, "不忘初心、牢记使命": 2}
    # the dictionary's form: variants as one '|'-separated string
    lexicon_like = pd.DataFrame({"slogan": ["两山理论"], "variants": ["绿水青山就是金山银山|两山"]})
    assert helpers.term_forms(lexicon_like) == {"两山理论": ["两山理论", "绿水青山就是金山银山", "两山"]}
    # without the variants: the quote marks inside a use do not hide it
    bare = helpers.term_trend(df, ["五化协同", "不忘初心、牢记使命"], freq="Y")
    assert bare["count"].tolist() == [2, 2]


def test_overlapping_terms_are_counted_each_on_its_own_and_variants_not_twice():
    df = items(("2024-05-01", "", "做到两个维护，维护核心。"))
    trend = helpers.term_trend(df, {"两个维护": [], "维护": [], "党建": ["党建引领"]}, freq="Y")
    counts = trend.set_index("term")["count"].to_dict()
    assert counts == {"两个维护": 1, "维护": 2, "党建": 0}
    df2 = items(("2024-05-01", "", "党建引领发展。"))
    again = helpers.term_trend(df2, {"党建": ["党建引领"]}, freq="Y")
    assert again["count"].tolist() == [1]  # 党建 inside 党建引领 is the same use


def test_a_use_does_not_run_from_the_title_into_the_text():
    df = items(("2024-05-01", "奋进两个", "维护大局。"))
    assert helpers.term_trend(df, ["两个维护"], freq="Y")["count"].tolist() == [0]


def test_items_without_dates_are_left_out_with_a_warning_and_no_dates_is_an_error():
    df = MONTHS.copy()
    df.loc[0, "date"] = pd.NaT
    with pytest.warns(UserWarning, match="1 of 4 items have no date"):
        trend = helpers.term_trend(df, ["两个维护"], freq="M")
    assert row(trend, "2024-01", "两个维护")["items_in_period"] == 2
    with pytest.raises(ValueError, match="pages.csv"):
        helpers.term_trend(MONTHS.drop(columns="date"), ["两个维护"])
    assert not helpers.has_dates(MONTHS.assign(date=pd.NaT))


# ---- first_use ----------------------------------------------------------------------------------

def test_first_use_gives_the_first_and_last_dated_use_and_unused_terms():
    df = pd.concat([MONTHS, items((None, "", "新质生产力在此。"))], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # first_use needs no period: no warning
        out = helpers.first_use(df, ["四个意识", "新质生产力", "四风"])
    assert list(out.columns) == ["term", "first_date", "first_page", "first_item",
                                 "last_date", "n_items"]
    four = out.set_index("term").loc["四个意识"]
    assert (four["first_date"], four["first_page"], four["last_date"], four["n_items"]) == (
        pd.Timestamp("2024-01-05"), "p0", pd.Timestamp("2024-03-02"), 2)
    # the undated use counts but comes after the dated ones
    assert out.set_index("term").loc["新质生产力", "first_page"] == "p1"
    assert out.set_index("term").loc["新质生产力", "n_items"] == 2
    unused = out.set_index("term").loc["四风"]
    assert unused["n_items"] == 0 and pd.isna(unused["first_date"])


def test_first_use_with_two_sources_gives_the_lag_behind_the_first():
    national = items(("2023-09-28", "", "发展新质生产力。"), ("2024-01-02", "", "两个维护。"),
                     source="联播")
    provincial = items(("2023-10-08", "", "加快形成新质生产力。"), source="日报")
    df = helpers.combine_corpora([national, provincial])
    out = helpers.first_use(df, ["新质生产力", "两个维护"]).set_index(["term", "source"])
    assert out.loc[("新质生产力", "联播"), "lag_days"] == 0
    assert out.loc[("新质生产力", "日报"), "lag_days"] == 10
    assert out.loc[("新质生产力", "日报"), "first_source"] == "联播"
    assert pd.isna(out.loc[("两个维护", "日报"), "lag_days"])
    assert out.loc[("两个维护", "日报"), "n_items"] == 0


# ---- temperature and keyness --------------------------------------------------------------------

def test_temperature_puts_each_share_in_its_band_and_skips_thin_periods():
    trend = pd.DataFrame({"period": pd.period_range("2024-01", periods=6, freq="M"),
                          "term": "t",
                          "share": [0.0, 0.001, 0.005, 0.05, 0.2, 0.5],
                          "items_in_period": [100, 100, 100, 100, 100, 5]})
    out = helpers.temperature(trend)
    assert out["temperature"].tolist()[:5] == ["absent", "cold", "warm", "scalding", "boiling"]
    assert pd.isna(out["temperature"].iloc[5])  # 5 items: too few to say
    assert out["temperature"].cat.ordered
    custom = helpers.temperature(trend, bands=((0.0, "low"), (0.1, "high")), min_items=1)
    assert custom["temperature"].tolist() == ["absent", "low", "low", "low", "high", "high"]
    with pytest.raises(ValueError, match="rise"):
        helpers.temperature(trend, bands=((0.1, "a"), (0.0, "b")))


def test_period_keyness_over_terms_counts_items_and_gives_direction_and_g2():
    rows = ([("2023-06-01", "", "两个维护。")] * 8 + [("2023-06-02", "", "其他。")] * 12
            + [("2024-06-01", "", "新质生产力，两个维护。")] * 10
            + [("2024-06-02", "", "其他。")] * 10)
    df = items(*rows)
    out = helpers.period_keyness(df, "2023", "2024", freq="Y", terms=["新质生产力", "两个维护"],
                                 min_count=1).set_index("term")
    new = out.loc["新质生产力"]
    assert (new["freq_before"], new["freq_after"], new["direction"]) == (0, 10, "rose")
    assert new["G2"] == pytest.approx(float(log_likelihood(10, 0, 20, 20)))
    assert new["log_ratio"] == pytest.approx(math.log2((10.5 / 20) / (0.5 / 20)))
    assert out.loc["两个维护", "direction"] == "rose" and out.index[0] == "新质生产力"
    with pytest.raises(ValueError, match="2030"):
        helpers.period_keyness(df, "2023", "2030", terms=["两个维护"])


def test_period_keyness_over_words_uses_the_token_column():
    df = items(*[("2023-06-01", "", "x")] * 3, *[("2024-06-01", "", "x")] * 3)
    df["token_text"] = ["脱贫 攻坚", "脱贫 攻坚", "乡村"] + ["乡村 振兴", "乡村 振兴", "振兴"]
    out = helpers.period_keyness(df, 2023, 2024, min_count=2).set_index("term")
    assert out.loc["振兴", "direction"] == "rose" and out.loc["振兴", "freq_after"] == 3
    assert out.loc["脱贫", "direction"] == "fell" and out.loc["脱贫", "freq_before"] == 2


# ---- places and several corpora -------------------------------------------------------------------

def test_place_trend_counts_items_naming_each_prefecture_per_period():
    mentions = pd.DataFrame({"page": ["p0", "p0", "p3"], "item": [0, 0, 0],
                             "prefecture": ["包头市", "包头市", "通辽市"]})
    out = helpers.place_trend(MONTHS, mentions, freq="M")
    got = out.set_index(["period", "prefecture"])
    assert got.loc[(pd.Period("2024-01"), "包头市"), "n_items"] == 1  # two mentions, one item
    assert got.loc[(pd.Period("2024-01"), "包头市"), "share"] == pytest.approx(1 / 3)
    assert got.loc[(pd.Period("2024-03"), "通辽市"), "n_items"] == 1
    assert len(out) == 3 * 2  # every month x every prefecture named


def test_combine_corpora_labels_sources_and_keeps_page_ids_apart():
    a = MONTHS.assign(token_text="两个 维护")
    b = items(("2024-02-01", "", "两个维护。"))  # same page id p0, no token_text
    with pytest.warns(UserWarning, match="prefixed"):
        both = helpers.combine_corpora({"日报": a, "联播": b})
    assert both["source"].tolist() == ["日报"] * 4 + ["联播"]
    assert "token_text" not in both.columns  # one table lacks it: recomputed for all
    assert both.loc[4, "page"] == "联播/p0" and both.loc[0, "page"] == "日报/p0"
    assert not both.duplicated(["page", "item"]).any()
    with pytest.raises(ValueError, match="source"):
        helpers.combine_corpora([MONTHS])


# ---- the 新闻联播 baseline --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def xwlb():
    if not XWLB.exists():
        pytest.skip(f"{XWLB} is absent: the 新闻联播 records live outside the repository "
                    "(../shared/data/xwlb/)")
    df = pd.read_json(XWLB, lines=True, dtype={"id": str, "date": str})
    return (df.rename(columns={"id": "page"})
              .assign(item=0, date=lambda d: pd.to_datetime(d["date"]))
              [["page", "item", "date", "source", "title", "text"]])


def test_xwlb_first_use_of_new_quality_productive_forces(xwlb):
    out = helpers.first_use(xwlb, ["新质生产力"]).iloc[0]
    assert out["first_date"] == pd.Timestamp("2023-09-28")


@pytest.mark.parametrize("term", ["新质生产力", "两个维护"])
def test_xwlb_yearly_items_agree_with_a_plain_search(xwlb, term):
    full = xwlb["title"] + "\n" + xwlb["text"]
    year = xwlb["date"].dt.year
    expected_items = full.str.contains(term, regex=False).groupby(year).sum()
    expected_uses = full.str.count(term).groupby(year).sum()
    trend = helpers.term_trend(xwlb, [term], freq="Y")
    got = trend.set_index(trend["period"].dt.year)
    assert got["n_items"].to_dict() == expected_items.to_dict()
    assert got["count"].to_dict() == expected_uses.to_dict()
    assert (got["items_in_period"] == year.value_counts().sort_index()).all()
