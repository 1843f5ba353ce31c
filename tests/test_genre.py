"""Pages of other papers of the genre: every credit form, label and title shape the loader
knows, each on a short made-up page written in that form (no real page text)."""
import pandas as pd
import pytest

import helpers
from cnpress import openings, patterns


def load_page(tmp_path, text, name="page.txt"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return helpers.load_corpus(tmp_path, cache=False)


BODY1 = "全市今年新建社区食堂四十家，老人在家门口就能吃上热乎饭。各街道还为独居老人提供送餐上门服务。"
BODY2 = "新学期开始后，各中小学推出课后托管服务，家长接孩子的时间更灵活了。学校还开设了体育和艺术兴趣班。"


def test_titles_without_bylines_open_items_at_datelines(tmp_path):
    page = (
        "社区食堂让老人吃得舒心\n\n"
        f"本报北京3月5日电（记者 张晓东、魏贺）{BODY1}\n\n"
        "课后托管服务全面铺开\n\n"
        f"新华社上海3月5日电 {BODY2}\n\n"
        "乡村道路通到家门口\n\n"
        f"本报讯（记者何平）{BODY1}\n"
    )
    df = load_page(tmp_path, page)
    assert df["title"].tolist() == ["社区食堂让老人吃得舒心", "课后托管服务全面铺开", "乡村道路通到家门口"]
    assert df["reporters"].tolist() == [["张晓东", "魏贺"], [], ["何平"]]
    assert df["agency"].tolist() == ["本报", "新华社", "本报"]


def test_a_parallel_series_of_subheads_stays_in_its_article(tmp_path):
    page = (
        "让群众办事更便捷\n\n本报记者  王  可\n\n" + BODY1 + "\n\n"
        "多做打基础、利长远的事情\n\n" + BODY2 + "\n\n"
        "多做暖人心、惠民生的事情\n\n" + BODY1 + "\n\n"
        "多做强基层、固根本的事情\n\n" + BODY2 + "\n"
    )
    df = load_page(tmp_path, page)
    assert len(df) == 1 and df.loc[0, "reporters"] == ["王可"]  # a name printed with spaces
    assert len(df.loc[0, "subheads"]) == 3


def test_closing_credits_name_the_reporters_and_end_the_item(tmp_path):
    page = (
        "菜市场里的新变化\n\n" + BODY1 + "（本报记者孟远、刘欣）\n\n"
        "托育服务进社区\n\n" + BODY2 + "\n\n（记者 周雨）\n\n"
        "老街区焕发新活力\n\n" + BODY1 + "（本报记者孙晓整理）\n"
    )
    df = load_page(tmp_path, page)
    assert df["reporters"].tolist() == [["孟远", "刘欣"], ["周雨"], ["孙晓"]]
    assert not df["text"].str.contains("本报记者|（记者").any()
    assert df.loc[0, "byline"] == "（本报记者孟远、刘欣）"


def test_a_label_is_not_a_name(tmp_path):
    page = (
        "草原上的新课堂\n\n本报记者  李  明\n\n" + BODY1 + "\n\n"
        "记者手记\n\n" + BODY2 + "\n"
    )
    df = load_page(tmp_path, page)
    assert ["李明"] in df["reporters"].tolist()
    assert not any("手记" in names for names in df["reporters"])
    assert patterns.parse_credit("记者手记", "reporters") == []
    assert patterns.parse_credit("本报记者  施  钰", "contributors") == [("施钰", "reporters")]


def test_page_furniture_belongs_to_no_item(tmp_path):
    page = ("社区食堂让老人吃得舒心\n\n本报记者 王可\n\n" + BODY1 + "\n\n"
            "本版责编：刘  洋  陈一鸣\n")
    df = load_page(tmp_path, page)
    assert len(df) == 1 and "责编" not in df.loc[0, "text"]


def test_kicker_title_and_subtitle(tmp_path):
    page = (
        "今冬城市供暖保障有力，多地气温将逐步回升，居民室温普遍达标\n"
        "多地供热稳定运行\n本报记者  张  涵\n\n" + BODY1 + "\n\n"
        "绘就乡村新图景\n——某省推进和美乡村建设纪实\n本报记者 刘一帆\n\n" + BODY2 + "\n\n"
        "浙江杭州——\n\n精细化，家政服务更规范\n\n本报记者  窦  瀚\n\n" + BODY1 + "\n"
    )
    df = load_page(tmp_path, page)
    rows = [[None if pd.isna(v) else v for v in row]
            for row in df[["kicker", "title", "subtitle"]].values.tolist()]
    assert rows[0] == ["今冬城市供暖保障有力，多地气温将逐步回升，居民室温普遍达标", "多地供热稳定运行", None]
    assert rows[1] == [None, "绘就乡村新图景", "——某省推进和美乡村建设纪实"]
    assert rows[2] == ["浙江杭州", "精细化，家政服务更规范", None]
    assert df["reporters"].tolist() == [["张涵"], ["刘一帆"], ["窦瀚"]]


def test_column_labels_make_commentaries_and_sign_them(tmp_path):
    page = (
        "让好政策落到实处（人民时评）\n李明远\n\n" + BODY1 + "\n\n"
        "小菜摊里的大民生（现场评论）\n\n" + BODY2 + "\n\n"
        "春来茶香满山坡（金台随笔）\n陈思雨\n\n" + BODY1 + "\n"
    )
    df = load_page(tmp_path, page)
    assert df["kind"].tolist() == ["commentary", "commentary", "commentary"]
    assert df["label"].tolist() == ["人民时评", "现场评论", "金台随笔"]
    assert df["contributors"].tolist() == [["李明远"], [], ["陈思雨"]]
    assert df["reporters"].map(len).sum() == 0


def test_photo_credits_in_their_printed_forms(tmp_path):
    page = (
        "春耕时节\n\n3月4日，农民在田间忙着播种。\n\n贺敬华摄（影像中国）\n\n"
        "港口夜色\n\n集装箱码头灯火通明。新华社记者 孙伟 摄\n"
    )
    df = load_page(tmp_path, page)
    photos = df[df["kind"] == "photo"]
    assert photos["title"].tolist() == ["春耕时节", "港口夜色"]
    assert photos["contributors"].tolist()[0] == ["贺敬华"]
    assert photos["reporters"].tolist()[1] == ["孙伟"]


def test_wire_items_carry_their_agency_not_a_reporter(tmp_path):
    page = ("外交部发言人答记者问\n\n新华社北京6月4日电 外交部发言人4日表示，中方愿同各方加强合作。"
            "（新华社发）\n\n市场活力持续释放\n\n" + BODY2 + "\n")
    df = load_page(tmp_path, page)
    assert df.loc[0, "agency"] == "新华社" and df.loc[0, "reporters"] == []
    assert df.loc[0, "text"].endswith("加强合作。") and len(df) == 2


def test_an_interview_keeps_its_subheads(tmp_path):
    page = ("加快建设现代化产业体系（权威访谈）\n\n本报记者  丁  怡\n\n" + BODY1 + "\n\n"
            "全面提升产业创新能力\n\n记者：下一步有哪些举措？\n\n" + BODY2 + "\n")
    df = load_page(tmp_path, page)
    assert len(df) == 1 and df.loc[0, "subheads"] == ["全面提升产业创新能力"]


def test_a_new_subject_opens_an_item_and_a_two_part_headline_too(tmp_path):
    page = (
        "社区食堂让老人吃得舒心\n\n" + BODY1 + "\n\n"
        "托管服务\n\n新学期，托管服务在各中小学全面铺开，家长更放心。" + BODY2 + "\n\n"
        "跑道向前延伸  脚步不曾停歇\n\n元旦后不久，他就来到高原训练场开始冬训。\n"
    )
    df = load_page(tmp_path, page)
    assert df["title"].tolist() == ["社区食堂让老人吃得舒心", "托管服务", "跑道向前延伸 脚步不曾停歇"]


def test_split_title_block():
    assert openings.split_title_block(["引题", "主题", "——副题"]) == ("引题", "主题", "——副题")
    assert openings.split_title_block(["主题", "——副题"]) == (None, "主题", "——副题")
    assert openings.split_title_block(["黑龙江哈尔滨——", "主题"]) == ("黑龙江哈尔滨", "主题", None)


@pytest.mark.parametrize("line, credit", [
    ("本报北京1月13日电（记者 张晓东、魏贺）", ["张晓东", "魏贺"]),
    ("本报杭州电 （记者孙晓）", ["孙晓"]),
    ("新华社北京3月9日电", []),
    ("央视网消息（新闻联播）：", []),  # a programme, not a person
])
def test_datelines(line, credit):
    m = patterns.dateline(line + "正文。")
    assert m is not None
    assert [n for n, _ in patterns.dateline_credits(m)] == credit
