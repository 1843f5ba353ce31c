"""Article records (JSON Lines, JSON, CSV, Parquet) and dates/sources of page files: what
load_corpus promises for the corpora analysts hold. Made-up records in the genre's forms."""
import gzip
import json
import os
from pathlib import Path

import pandas as pd
import pytest

import helpers
from cnpress import pagemeta, records

XWLB = Path(__file__).resolve().parents[2] / "shared" / "data" / "xwlb" / "xwlb_2022-2026.jsonl.gz"

RECORDS = [
    {"id": "a1", "date": "2024-06-01", "page": "01", "title": "多地供热稳定运行",
     "content": "本报北京6月1日电（记者 张晓东、魏贺）近日，多地供热系统运行平稳。\n\n"
                "各地加强调度，保障群众温暖过冬。", "source": "人民日报"},
    {"id": "a2", "date": "2024/6/2", "page": "05", "title": "让好政策落到实处（人民时评）",
     "content": "政策的生命力在于执行。\n\n只有把政策落细落实，群众才有获得感。", "author": "李明远"},
    {"id": "a3", "date": "2024年6月3日", "page": "04", "title": "小菜摊里的大民生",
     "content": "早上六点，菜市场已经热闹起来。摊主们忙着整理货架。\n\n"
                "（本报记者孟远、刘欣）", "source": "人民日报"},
    {"id": "a4", "date": "20240604", "page": "03", "title": "外交部发言人答记者问",
     "content": "新华社北京6月4日电 外交部发言人4日表示，中方愿同各方加强合作。（新华社发）"},
    {"id": "a5", "date": "", "page": "02", "title": "记者手记：在草原深处",
     "content": "本报记者  施  钰\n\n草原的清晨格外宁静，牧民们开始一天的劳作。"},
]


def write_jsonl(path, rows, gz=False):
    opener = gzip.open if gz else open
    with opener(path, "wt", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def jsonl(tmp_path):
    return write_jsonl(tmp_path / "articles.jsonl", RECORDS)


def test_each_record_is_one_item_in_file_order(jsonl):
    df = helpers.load_corpus(jsonl, cache=False)
    assert df["page"].tolist() == ["a1", "a2", "a3", "a4", "a5"]
    assert (df["item"] == 0).all()
    assert set(helpers.ITEM_COLUMNS) <= set(df.columns)
    assert list(df.columns[-3:]) == helpers.DERIVED_COLUMNS
    assert df["title"].tolist()[0] == "多地供热稳定运行"
    assert df["page_no"].tolist() == ["01", "05", "04", "03", "02"]


def test_dates_in_the_usual_forms_and_nat_when_missing(jsonl):
    df = helpers.load_corpus(jsonl, cache=False)
    assert str(df["date"].dtype) == "datetime64[ns]"
    assert df["date"].dt.strftime("%Y-%m-%d").tolist()[:4] == [
        "2024-06-01", "2024-06-02", "2024-06-03", "2024-06-04"]
    assert pd.isna(df["date"].iloc[4])


def test_credits_from_datelines_closing_credits_and_author_fields(jsonl):
    df = helpers.load_corpus(jsonl, cache=False).set_index("page")
    assert df.loc["a1", "reporters"] == ["张晓东", "魏贺"] and df.loc["a1", "agency"] == "本报"
    # a commentary column label makes a commentary; its author is a contributor
    assert df.loc["a2", "kind"] == "commentary" and df.loc["a2", "label"] == "人民时评"
    assert df.loc["a2", "contributors"] == ["李明远"] and df.loc["a2", "reporters"] == []
    # a closing credit names the reporters and leaves the text
    assert df.loc["a3", "reporters"] == ["孟远", "刘欣"]
    assert "本报记者" not in df.loc["a3", "text"] and df.loc["a3", "byline"] == "（本报记者孟远、刘欣）"
    # a wire item: its agency, no reporter invented
    assert df.loc["a4", "agency"] == "新华社" and df.loc["a4", "reporters"] == []
    assert df.loc["a4", "text"].endswith("加强合作。")


def test_the_same_records_as_csv_parquet_json_and_gzip(tmp_path, jsonl):
    base = helpers.load_corpus(jsonl, cache=False).drop(columns=["end", "spans"])
    frame = pd.DataFrame(RECORDS).fillna("")
    frame.to_csv(tmp_path / "a.csv", index=False)
    frame.to_parquet(tmp_path / "a.parquet")
    (tmp_path / "a.json").write_text(json.dumps(RECORDS, ensure_ascii=False), encoding="utf-8")
    write_jsonl(tmp_path / "a.jsonl.gz", RECORDS, gz=True)
    for name in ("a.csv", "a.parquet", "a.json", "a.jsonl.gz"):
        got = helpers.load_corpus(tmp_path / name, cache=False).drop(columns=["end", "spans"])
        pd.testing.assert_frame_equal(got, base, obj=name)


def test_chinese_field_names_and_a_fields_mapping(tmp_path):
    rows = [{"标题": "春来茶香满山坡", "正文": "茶园里一片繁忙。", "日期": "2025-03-05", "版次": "12"}]
    df = helpers.load_corpus(write_jsonl(tmp_path / "zh.jsonl", rows), cache=False)
    assert df.loc[0, ["title", "text", "page_no"]].tolist() == ["春来茶香满山坡", "茶园里一片繁忙。", "12"]
    odd = [{"headline_text": "标题一", "story": "正文一。"}]
    path = write_jsonl(tmp_path / "odd.jsonl", odd)
    with pytest.raises(helpers.CorpusError, match="odd.jsonl.*no text field.*story"):
        helpers.load_corpus(path, cache=False)
    df = helpers.load_corpus(path, cache=False, fields={"text": "story", "title": "headline_text"})
    assert df.loc[0, ["title", "text"]].tolist() == ["标题一", "正文一。"]


def test_a_record_without_text_is_reported_not_dropped(tmp_path):
    path = write_jsonl(tmp_path / "gap.jsonl", [{"id": "x", "title": "有题无文", "text": ""},
                                                 {"id": "y", "title": "有文", "text": "内容。"}])
    with pytest.warns(UserWarning, match="1 record.*no text.*x"):
        df = helpers.load_corpus(path, cache=False)
    assert df["page"].tolist() == ["x", "y"] and df.loc[0, "note"] == "record without text"


def test_a_broken_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "好"}\n{"text": 不是JSON}\n', encoding="utf-8")
    with pytest.raises(helpers.CorpusError, match=r"bad.jsonl, line 2"):
        helpers.load_corpus(path, cache=False)


def test_a_folder_of_record_files_is_read_in_name_order(tmp_path):
    write_jsonl(tmp_path / "b.jsonl", RECORDS[2:])
    write_jsonl(tmp_path / "a.jsonl", RECORDS[:2])
    df = helpers.load_corpus(tmp_path, cache=False)
    assert df["page"].tolist() == ["a1", "a2", "a3", "a4", "a5"]
    pages = helpers.load_pages(tmp_path, cache=False)
    assert pages["page"].tolist() == ["a.jsonl", "b.jsonl"] and pages["n_items"].tolist() == [2, 3]


def test_records_are_cached_and_served_from_the_cache(cache_dir, jsonl):
    first = helpers.load_corpus(jsonl)
    assert helpers.LOAD_STATS == {"parsed": 1, "cached": 0}
    second = helpers.load_corpus(jsonl)
    assert helpers.LOAD_STATS == {"parsed": 0, "cached": 1}
    pd.testing.assert_frame_equal(first, second)


# ---- dates and sources of page files ------------------------------------------------------

PAGE = "市场活力持续释放\n\n本报记者 王可\n\n近日，各地消费市场持续回暖，商场客流明显增加。\n"


def test_dates_from_file_names(tmp_path):
    for name in ("2024-06-01_04.txt", "20240602-05.txt", "rmrb_2024.06.03_1.txt"):
        (tmp_path / name).write_text(PAGE, encoding="utf-8")
    df = helpers.load_corpus(tmp_path, cache=False).set_index("page")
    assert df.loc["2024-06-01_04", "date"] == pd.Timestamp("2024-06-01")
    assert df.loc["2024-06-01_04", "page_no"] == "04"
    assert df.loc["20240602-05", "page_no"] == "05"
    assert df.loc["rmrb_2024.06.03_1", "date"] == pd.Timestamp("2024-06-03")


def test_a_pages_csv_sidecar_gives_date_source_and_page(tmp_path):
    (tmp_path / "p1.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "p2.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "pages.csv").write_text(
        "file,date,source,page_no,page_name\np1.txt,2023-01-13,人民日报,5,评论\n"
        "p2.txt,2023-01-14,,,\n", encoding="utf-8")
    df = helpers.load_corpus(tmp_path, cache=False).set_index("page")
    assert df.loc["p1", ["source", "page_no", "page_name"]].tolist() == ["人民日报", "5", "评论"]
    assert df.loc["p2", "date"] == pd.Timestamp("2023-01-14") and df.loc["p2", "source"] is None


def test_the_sample_pages_carry_no_dates_and_say_so():
    df = helpers.load_corpus(helpers.CORPUS_DIR)
    assert df["date"].isna().all() and df["source"].isna().all()
    meta = pagemeta.page_metadata(helpers.CORPUS_DIR, helpers.list_pages(helpers.CORPUS_DIR))
    assert meta["meta_from"].isna().all()


def test_parse_dates_reads_the_usual_forms():
    got = records.parse_dates(["2024-6-1", "2024年06月01日 08:00", "20240601", "June", "", None])
    assert got.iloc[:3].tolist() == [pd.Timestamp("2024-06-01")] * 3 and got.iloc[3:].isna().all()


@pytest.mark.skipif(not XWLB.exists(), reason=f"{XWLB} is absent (the shared 新闻联播 records)")
def test_the_xwlb_records_load_with_dates():
    df = helpers.load_corpus(XWLB)
    assert len(df) == 16827 and df["date"].notna().all()
    assert df["date"].min() == pd.Timestamp("2022-09-24") and (df["source"] == "新闻联播").all()
    assert (df["item"] == 0).all() and df["page"].is_unique


def test_a_traditional_record_is_converted_and_says_so(tmp_path):
    rows = [{"id": "t1", "title": "鄂爾多斯黨建工作", "text": "鄂爾多斯市加強基層黨組織建設。"}]
    df = helpers.load_corpus(write_jsonl(tmp_path / "tw.jsonl", rows), cache=False)
    assert df.loc[0, "title"] == "鄂尔多斯党建工作" and df.loc[0, "text"].startswith("鄂尔多斯市")
    assert "Traditional" in df.loc[0, "note"]
    assert helpers.place_mentions(df)["prefecture"].tolist() == ["鄂尔多斯市"]
