"""What load_corpus promises, checked against the five sample pages as a careful reader sees them.

Every expectation below was checked by reading the page text (`grep -n -v '^$' corpus/*.txt`).
"""
import hashlib
import random
import re
import warnings

import pandas as pd
import pytest

import helpers
from cnpress import cleaning, patterns, structure

CONTRACT = ["page", "item", "kind", "section", "title", "reporters", "correspondents",
            "text", "start", "end"]


@pytest.fixture(scope="module")
def corpus():
    return helpers.load_corpus()


def item(corpus, page_prefix, title):
    rows = corpus[corpus.page.str.startswith(page_prefix) & (corpus.title == title)]
    assert len(rows) == 1, f"{page_prefix}: no single item titled {title!r}"
    return rows.iloc[0]


def test_contract_columns_and_types(corpus):
    assert set(CONTRACT) <= set(corpus.columns) and list(corpus.columns[:2]) == ["page", "item"]
    assert set(corpus.kind) <= {"article", "commentary", "brief", "photo"}
    for col in ("reporters", "correspondents", "contributors"):
        assert corpus[col].map(lambda v: isinstance(v, list)).all()
    # item is the 0-based order within each page
    for _, g in corpus.groupby("page"):
        assert g.item.tolist() == list(range(len(g)))
        assert g.start.is_monotonic_increasing


def test_item_counts_per_page(corpus):
    kinds = corpus.groupby(["page", "kind"]).size().unstack(fill_value=0)
    kinds.index = kinds.index.str[:3]
    assert kinds.loc["000"].to_dict() == {"article": 7, "brief": 0, "commentary": 0, "photo": 1}
    assert kinds.loc["001"].to_dict() == {"article": 5, "brief": 3, "commentary": 1, "photo": 3}
    # page 002, the hardest: a story printed inside another's column, a title after its body,
    # a piece of an article further down the page, an untitled village story rejoined
    assert kinds.loc["002"].to_dict() == {"article": 6, "brief": 0, "commentary": 0, "photo": 1}
    assert kinds.loc["003"].to_dict() == {"article": 5, "brief": 0, "commentary": 1, "photo": 4}
    assert kinds.loc["004"].to_dict() == {"article": 4, "brief": 0, "commentary": 1, "photo": 3}


def test_bylines_reporters_and_correspondents(corpus):
    first = item(corpus, "000", "人大代表齐“充电” 解锁履职新思路")
    assert first.reporters == ["潘佳"] and first.correspondents == ["刘宏杰", "陈思羽"]
    assert first.section == "代表委员零距离"  # 初心如磐 is the page banner, not a section
    # □见习记者 counts as a reporter; 实习生 goes to contributors
    assert item(corpus, "001", "小变革撬动乡村善治").reporters == ["杨柳"]
    bee = item(corpus, "001", "“红蜂驿站”，温暖城市“小蜜蜂”")
    assert bee.reporters == ["王雅静"] and bee.contributors == ["金柯鑫"]
    # two reporters after one label
    assert item(corpus, "003", "抓实党建 强肌铸魂").reporters == ["潘佳", "陈春艳"]
    assert item(corpus, "003", "农民点菜 支部代购 专家下厨").correspondents == ["张雨", "赵楠"]


def test_commentaries_are_signed_with_a_ring(corpus):
    com = corpus[corpus.kind == "commentary"]
    assert set(com.contributors.map(tuple)) == {("李晗",), ("及庆玲",), ("陈春艳",)}
    assert set(com.section) == {"观潮"}
    assert (com.reporters.map(len) == 0).all()


def test_commentary_begun_before_its_header_is_one_item(corpus):
    # page 003: the piece starts before ◎观潮 and its title, and the sentence
    # "知之而后信之，" runs on to "信之而后行之" after the ◎陈春艳 line.
    relay = item(corpus, "003", "握紧 接力棒 跑出好成绩")
    assert relay.text.startswith("青春孕育无限希望")
    assert "知之而后信之，信之而后行之" in relay.text
    assert len(relay.spans) > 1 and relay.kind == "commentary"


def test_briefs_and_their_closing_credits(corpus):
    briefs = corpus[corpus.kind == "brief"]
    assert briefs.section.unique().tolist() == ["信息集装箱"]
    assert briefs.reporters.tolist() == [[], ["郝佳丽"], []]
    assert briefs.contributors.tolist() == [[], [], ["雷雷"]]
    assert not briefs.text.str.contains("●|（本报记者|（雷雷）").any()


def test_photos_caption_and_credit(corpus):
    photos = corpus[corpus.kind == "photo"].set_index("title", drop=False)
    assert photos.loc["涵养清风正气"].reporters == ["郝佳丽"]
    assert photos.loc["共创文明城市"].contributors == ["梁兆峰"]  # "X 摄" without 本报记者
    assert photos.loc["学习训词精神"].contributors == ["崔现浦"]
    assert photos.loc["坚定理想信念"].reporters == ["陈春艳"]
    # the caption is the text; the credit is not part of it
    assert not corpus[corpus.kind == "photo"].text.str.contains(" 摄$|摄\n").any()
    untitled = corpus[(corpus.kind == "photo") & corpus.page.str.startswith("003")]
    assert untitled.title.isna().sum() == 3  # three captions on page 003 carry no headline


def test_titles_placed_after_their_body(corpus):
    # page 000: the 杭锦后旗 story is printed before its title and byline
    story = item(corpus, "000", "为民生幸福“加码”")
    assert story.text.startswith("“平常买菜不方便，太感谢了！”")
    assert story.reporters == ["杨柳"] and story.correspondents == ["吴影侠"]
    # page 002: the 五讲五比 story sits inside the previous article's column
    wujiang = item(corpus, "002", "“五讲五比”为党员干部铸魂赋能")  # 『』 normalized
    assert wujiang.text.startswith("日前，记者从内蒙古自治区人民政府办公厅获悉")
    village = item(corpus, "002", "一座小村庄的幸福蝶变")
    assert "五讲五比" not in village.text


def test_pieces_printed_elsewhere_rejoin_their_article(corpus):
    # page 002: 双向奔赴… continues the series of subheads 行业统筹…/因企施策… of the 青山区
    # story, though printed under 一座小村庄的幸福蝶变; the rest of the 民乐村 story follows
    # the 五讲五比 byline.
    qingshan = item(corpus, "002", "从治理对象到治理力量")
    assert qingshan.subheads[-1] == "双向奔赴、互利互促，解决“作用发挥”的问题"
    assert "红速小哥" in qingshan.text
    village = item(corpus, "002", "一座小村庄的幸福蝶变")
    assert "红速小哥" not in village.text
    assert village.text.endswith("党建强、乡村兴、群众富的美好愿景落地生根。")
    assert not corpus.fragment.any()


def test_same_series_of_subheads():
    assert structure._same_series("行业统筹、属地兜底，解决“谁负责”的问题",
                                "双向奔赴、互利互促，解决“作用发挥”的问题")
    assert not structure._same_series("架梯子——政策精通问不住", "领导带头压责任 驶入工作“快车道”")


def test_title_wrapped_over_two_lines_is_one_title(corpus):
    assert "专业社工与志愿服务同频共振" in corpus.title.tolist()


def test_subheads_are_kept_and_listed(corpus):
    baotou = item(corpus, "000", "包头市强基固本锻造“硬核”组工干部队伍")
    assert baotou.subheads == ["架梯子——政策精通问不住", "搭台子——登台比武争优先",
                               "结对子——助力干部快成长"]


def test_column_breaks_rejoined_without_false_joins(corpus):
    text = "\n".join(corpus.text)
    for joined in ["通辽市扎鲁特旗", "从工作熟手向业务精兵", "我很高兴", "老幼关怀",
                   "推动地缘相邻", "乌兰哈达镇", "为培养“站起来能说、坐下来能写、走出去能干”"]:
        assert joined in text, joined
    # headlines never swallow the paragraph under them
    assert corpus.title.dropna().str.len().max() <= patterns.MAX_TITLE_LEN


def test_cleaning_quotes_punctuation_and_stray_english(corpus):
    text = "\n".join(corpus.text)
    assert not re.search("[『』「」]", text)
    assert "workflows" not in text and " and " not in text
    assert "AI算力" in text  # real Latin in Chinese text stays
    assert "," not in text.replace("，", "")  # ASCII commas in Chinese text became ，
    assert corpus.dropped_words.explode().dropna().tolist() == ["workflows", "and"]


def test_clean_text_rules():
    assert helpers.clean_text("『五讲五比』, 「四个意识」")[0] == "“五讲五比”，“四个意识”"
    assert helpers.clean_text("政策规定和 workflows,也要")[0] == "政策规定和，也要"
    assert helpers.clean_text("部署AI算力和5G")[0] == "部署AI算力和5G"
    assert helpers.clean_text("共1,000人")[0] == "共1,000人"  # digit grouping stays


def _fullwidth_reference(s):
    """The full-width rule stated plainly, mark by mark on the original text: a mark becomes
    full-width if the first non-space character before it is Chinese or “”‘’。，、 or the
    first after it is Chinese or “‘（; then spaces next to full-width marks go (a text
    without ASCII marks is left as it is)."""
    if not re.search(r"[,;:?!()]", s):
        return s
    near = re.compile(r"[\u3400-\u9fff“”‘’。，、（]")
    out = []
    for k, ch in enumerate(s):
        if ch in cleaning.FULLWIDTH:
            before = s[:k].rstrip(" \t")[-1:]
            after = s[k + 1:].lstrip(" \t")[:1]
            if (before and near.match(before) and before != "（") or (
                    after and near.match(after) and after not in "”’。，、"):
                ch = cleaning.FULLWIDTH[ch]
        out.append(ch)
    return re.sub(r"[ \t]+(?=[，；：？！（）])|(?<=[，；：？！（）])[ \t]+", "", "".join(out))


def test_fullwidth_fast_path_keeps_the_rule():
    # clean_text converts most texts with str.replace; the per-mark rule must still hold,
    # including marks next to each other (,,) and marks kept ASCII (1,000  A, B).
    rng = random.Random(7)
    alphabet = list(",;:?!() \t") + list("中文“”‘’。，、（）；1Ab")
    cases = ["1,000", "A, B", "中,,文", "中 , 文", "(中)", "中(1,2)", "“是”,他说", "3.5;中"]
    cases += ["".join(rng.choices(alphabet, k=rng.randint(1, 14))) for _ in range(20000)]
    for s in cases:
        assert cleaning._fullwidth(s) == _fullwidth_reference(s), s


def test_nothing_is_lost():
    """Every non-blank character of a page lies in exactly one item span or header line."""
    for path in helpers.list_pages():
        items, headers, text = helpers.parse_file(path)
        cover = [0] * len(text)
        segments = [s for spans in items.spans for s in spans]
        segments += [s for h in headers for s in h.spans]
        for s, e in segments:
            for k in range(s, e):
                cover[k] += 1
        bad = [k for k, ch in enumerate(text) if not ch.isspace() and cover[k] != 1]
        assert not bad, f"{path.name}: {len(bad)} characters lost or doubled near {bad[:3]}"


def test_offsets_reach_the_raw_text(corpus):
    path = helpers.CORPUS_DIR / "000_65ebb323e13e3678.txt"
    raw, _ = helpers.read_page(path)
    first = corpus.iloc[0]
    assert raw[first.start:first.end].startswith("人大代表齐“充电”")
    assert raw[first.start:first.end].endswith("刘文喜说。")


# ---- bad input ------------------------------------------------------------------------

PAGE = (helpers.CORPUS_DIR / "001_87b11788c16a13d5.txt").read_text(encoding="utf-8")


def table(folder):
    df = helpers.load_corpus(folder)
    return df[["kind", "title", "reporters", "text"]].reset_index(drop=True)


def test_bom_crlf_and_gb18030_pages_read_the_same(tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "p.txt").write_text(PAGE, encoding="utf-8")
    expected = table(plain)
    for name, data, enc in [
        ("bom", "\ufeff".encode("utf-8") + PAGE.encode("utf-8"), "utf-8-sig"),
        ("crlf", PAGE.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
        ("gb", PAGE.encode("gb18030"), "gb18030"),
    ]:
        d = tmp_path / name
        d.mkdir()
        (d / "p.txt").write_bytes(data)
        pd.testing.assert_frame_equal(table(d), expected)
        assert helpers.load_corpus(d).encoding.unique().tolist() == [enc]


def test_empty_page_is_reported_not_skipped_silently(tmp_path):
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n \n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"b\.txt is empty"):
        df = helpers.load_corpus(tmp_path)
    assert df.page.unique().tolist() == ["a"]
    pages = helpers.load_pages(tmp_path)
    assert pages.set_index("page").status.to_dict() == {"a": "ok", "b": "empty"}


def test_binary_or_undecodable_file_names_the_file(tmp_path):
    (tmp_path / "x.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(helpers.CorpusError, match=r"x\.txt looks like a binary file"):
        helpers.load_corpus(tmp_path)
    (tmp_path / "x.txt").write_bytes("党建".encode("utf-8") + b"\xff\xfe\x80")
    with pytest.raises(helpers.CorpusError, match=r"x\.txt is not UTF-8 or GB18030 \(byte 0x"):
        helpers.load_corpus(tmp_path)


def test_missing_or_empty_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        helpers.load_corpus(tmp_path / "nope")
    (tmp_path / "notes.md").write_text("不是页面", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"notes\.md \(not a \.txt page\)"), \
            pytest.raises(helpers.CorpusError, match="holds no .txt pages"):
        helpers.load_corpus(tmp_path)


def test_non_txt_files_are_skipped_and_named_in_a_warning(tmp_path):
    (tmp_path / "p.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "README.md").write_text("# notes", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\x00")
    (tmp_path / "pages.csv").write_text("file,date\np.txt,2024-06-01\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"2 entries not read as pages: README\.md "
                                         r"\(not a \.txt page\), scan\.pdf") as caught:
        assert helpers.load_corpus(tmp_path).page.unique().tolist() == ["p"]
    assert not any("pages.csv" in str(w.message) for w in caught)  # the sidecar is expected


def test_loading_never_writes_into_the_corpus_folder():
    def snapshot():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in helpers.CORPUS_DIR.iterdir()}
    before = snapshot()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        helpers.load_corpus()
        helpers.load_pages()
    assert snapshot() == before


# ---- the genre beyond these five pages -------------------------------------------------

SYNTHETIC = """
初心如磐

◎基层观察

某旗党建引领乡村振兴见实效
□本报记者 张三 李四 本报通讯员 王五

近日,某旗召开推进会,部署“三个一批”工作。

“我们将持续发力。”该旗负责人说。

■红色印记

重温入党誓词
近日,某社区党员重温入党誓词。本报记者 赵六摄

●某市开展“四个一”活动,取得实效。(本报记者 张三)

◎观潮

以实干践行初心
◎钱七

实干是最好的传承。
"""


def test_genre_variants_parse(tmp_path):
    (tmp_path / "s.txt").write_text(SYNTHETIC, encoding="utf-8")
    df = helpers.load_corpus(tmp_path).set_index("item")
    art, photo, brief, com = (df.loc[i] for i in range(4))
    assert (art.kind, art.section, art.title) == ("article", "基层观察", "某旗党建引领乡村振兴见实效")
    assert art.reporters == ["张三", "李四"] and art.correspondents == ["王五"]  # 本报通讯员
    assert art.text.endswith("该旗负责人说。") and art.n_paragraphs == 2
    assert (photo.kind, photo.section, photo.title) == ("photo", "红色印记", "重温入党誓词")
    assert photo.reporters == ["赵六"] and photo.text == "近日，某社区党员重温入党誓词。"
    assert brief.kind == "brief" and brief.reporters == ["张三"]
    assert brief.text == "某市开展“四个一”活动，取得实效。"
    assert (com.kind, com.section, com.contributors) == ("commentary", "观潮", ["钱七"])
    assert len(df) == 4


def test_one_rule_for_numbered_instalments_of_a_column():
    assert helpers.section_series("五化协同 大抓基层⑦") == "五化协同 大抓基层"
    assert helpers.section_series("五化协同 大抓基层⑭") == "五化协同 大抓基层"
    assert helpers.section_series("走基层（3）") == "走基层"
    assert helpers.section_series("系列报道之二") == "系列报道"
    assert helpers.section_series("观潮") == "观潮"
    assert helpers.section_series(None) is None
