"""Hostile and broken input (issue 16, the input side): what a corpus folder, a page's bytes
and the cache may hold, and what the loader promises for each. Pages are made up here, in the
genre's forms; no test needs the shared data."""
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import helpers
from cnpress import cleaning, config, parallel, reading, structure
from cnpress import items as items_module

ROOT = Path(__file__).resolve().parents[1]

PAGE = """初心如磐

学思践悟

通辽市党建引领基层治理见实效

□本报记者 王晓明 通讯员 李华

今年以来，通辽市坚持党建引领，推动治理力量下沉，群众满意度持续提升。

该市在鄂尔多斯市召开的交流会上介绍了经验，党建工作成效明显。
"""


def made_up_page(i: int) -> str:
    """A made-up page with what the page rules look for across items: a series of subheads
    continued in another article, an untitled piece of a story printed away from it. ``i``
    makes each copy's names its own."""
    tag = chr(0x5200 + i % 4000) + chr(0x6200 + i % 4000)
    return textwrap.dedent(f"""\
        初心如磐

        学思践悟

        三个抓手激活基层治理“一池春水”

        □本报记者 王{tag}明 通讯员 李晓

        今年以来，某旗坚持党建引领，把基层治理的难点当作工作的重点，推动治理力量向一线下沉，群众满意度持续提升。

        抓好班子、带好队伍，解决“谁来干”的问题

        该旗选派年轻干部到村任职，开展轮训，让每个村都有一支能干事的队伍。村党支部书记说：“队伍强了，事情就好办了。”

        建强阵地、用好平台，解决“在哪干”的问题

        各村整合闲置校舍建成党群服务中心，群众办事不出村，议事有了固定的地方。

        知行合一

        小小积分卡 兑出文明新风尚

        □本报记者 赵{tag}华

        走进某村的积分超市，村民正用积分兑换生活用品。积分来自参加志愿服务、维护环境卫生等日常表现，村民参与热情很高。

        完善机制、压实责任，解决“怎么干”的问题

        该旗建立问题清单、责任清单，每月调度一次，推动各项任务落地见效，基层治理的堡垒越筑越牢。

        掠影

        {tag}湾村的葡萄长廊里，合作社理事长孙{tag}兰正在给游客讲解嫁接技术。她说，今年{tag}湾村葡萄合作社的收益有望再翻一番。

        依托{tag}湾村葡萄合作社，村里还办起了采摘节，孙{tag}兰带着姐妹们直播带货。

        北疆党旗红

        {tag}湾村葡萄串起致富路

        □本报记者 周{tag}平

        盛夏时节，{tag}湾村的葡萄长廊游人如织。几年前，村里成立{tag}湾村葡萄合作社，由孙{tag}兰担任理事长，带动农户发展特色种植。

        如今合作社已有社员一百多户，孙{tag}兰说，下一步要把葡萄深加工做起来。
        """)


def load_quiet(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return helpers.load_corpus(path, **kwargs)


# --- the corpus folder --------------------------------------------------------------------

def test_a_symlink_out_of_the_folder_is_skipped_and_named(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密文件内容不应出现在报告里。", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.txt").write_text(PAGE, encoding="utf-8")
    (corpus / "link.txt").symlink_to(secret)
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    with pytest.warns(UserWarning, match=r"2 symbolic link\(s\) skipped.*link\.txt \(symbolic "
                                         r"link to .*secret\.txt, outside the corpus folder\)"):
        df = helpers.load_corpus(corpus, cache=False)
    assert df.page.unique().tolist() == ["page"]
    assert not df.text.str.contains("机密|root:").any()
    # a link is refused even when read_page is handed it directly
    with pytest.raises(helpers.CorpusError, match="link.txt is a symbolic link"):
        helpers.read_page(corpus / "link.txt")


def test_a_fifo_named_like_a_page_is_reported_not_read(tmp_path):
    (tmp_path / "page.txt").write_text(PAGE, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would hang the load
    with pytest.warns(UserWarning, match=r"pipe\.txt \(not a regular file\)"):
        assert helpers.list_pages(tmp_path) == [tmp_path / "page.txt"]


def test_subfolders_are_read_with_their_path_as_the_page_name(tmp_path):
    (tmp_path / "2024" / "06").mkdir(parents=True)
    (tmp_path / "2024" / "06" / "01.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "top.txt").write_text(PAGE.replace("通辽市", "赤峰市"), encoding="utf-8")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "top-checkpoint.txt").write_text(PAGE, encoding="utf-8")
    with pytest.warns(UserWarning, match=r"\.ipynb_checkpoints/ \(hidden\)"):
        df = helpers.load_corpus(tmp_path, cache=False)
    assert sorted(df.page.unique()) == ["2024/06/01", "top"]
    assert helpers.skipped_files(tmp_path) == [(".ipynb_checkpoints/", "hidden")]


def test_names_differing_only_in_case_are_two_pages(tmp_path):
    (tmp_path / "x.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "x.TXT").write_text(PAGE.replace("通辽市", "赤峰市"), encoding="utf-8")
    if len(list(tmp_path.iterdir())) < 2:
        pytest.skip("this file system does not tell x.txt from x.TXT")
    df = helpers.load_corpus(tmp_path, cache=False)
    assert sorted(df.page.unique()) == ["x.TXT", "x.txt"]
    assert df.set_index("page").loc["x.TXT", "title"] == "赤峰市党建引领基层治理见实效"
    assert helpers.load_pages(tmp_path, cache=False).page.tolist() == ["x.TXT", "x.txt"]


def test_the_corpus_folder_is_never_written(tmp_path, cache_dir):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(PAGE, encoding="utf-8")
    (corpus / "sub" / "b.txt").write_text(made_up_page(1), encoding="utf-8")
    (corpus / "notes.md").write_text("# 说明", encoding="utf-8")

    def snapshot():
        return {str(p): (p.stat().st_mtime_ns, p.stat().st_size, p.stat().st_mode)
                for p in [corpus, *corpus.rglob("*")]}
    before = snapshot()
    for _ in range(2):  # an empty cache, then from the cache
        load_quiet(corpus)
        helpers.load_pages(corpus)
    assert snapshot() == before
    assert cache_dir.exists() and not cache_dir.is_relative_to(corpus)


# --- decoding -----------------------------------------------------------------------------

def test_a_latin1_page_that_decodes_as_gb18030_is_refused(tmp_path):
    # every accented letter is followed by a letter, so GB18030 accepts the bytes (Bär -> B鋜)
    text = "Der Bär über die Straße läuft.\nÜberall grüßen Männer die Bären.\n"
    (tmp_path / "german.txt").write_bytes(text.encode("latin-1"))
    assert text.encode("latin-1").decode("gb18030")  # the trap is real
    with pytest.raises(helpers.CorpusError, match=r"german\.txt decodes as GB18030 but does not "
                                                  r"read as Chinese.*Latin-1/Windows-1252"):
        helpers.read_page(tmp_path / "german.txt")
    # one that GB18030 refuses outright names the likely encoding too
    (tmp_path / "french.txt").write_bytes("Le garçon a mangé à côté.".encode("cp1252"))
    with pytest.raises(helpers.CorpusError, match=r"french\.txt is not UTF-8 or GB18030.*Latin-1"):
        helpers.read_page(tmp_path / "french.txt")


def test_real_gb18030_and_utf8_pages_still_read(tmp_path):
    (tmp_path / "gb.txt").write_bytes(PAGE.encode("gb18030"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + PAGE.encode("utf-8"))
    assert helpers.read_page(tmp_path / "gb.txt") == (PAGE, "gb18030")
    assert helpers.read_page(tmp_path / "bom.txt") == (PAGE, "utf-8-sig")
    # a page in Traditional characters saved as GBK is Chinese, not Latin-1
    trad = "鄂爾多斯市黨建工作會議在東勝區召開，與會人員認真學習。"
    (tmp_path / "trad.txt").write_bytes(trad.encode("gb18030"))
    assert helpers.read_page(tmp_path / "trad.txt") == (trad, "gb18030")


def test_utf16_pages_with_a_bom_are_read_like_utf8(tmp_path):
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    ref = helpers.load_corpus(tmp_path, cache=False)
    for codec, name in [("utf-16", "utf-16"), ("utf-16-be", "utf-16"), ("utf-32", "utf-32")]:
        bom = {"utf-16-be": b"\xfe\xff"}.get(codec, b"")
        (tmp_path / "a.txt").write_bytes(bom + PAGE.encode(codec))
        assert helpers.read_page(tmp_path / "a.txt") == (PAGE, name)
        got = helpers.load_corpus(tmp_path, cache=False)
        assert_frame_equal(got.drop(columns="encoding"), ref.drop(columns="encoding"))
        assert set(got.encoding) == {name}
    (tmp_path / "a.txt").write_bytes(PAGE.encode("utf-16-le"))  # no BOM: refused, with a hint
    with pytest.raises(helpers.CorpusError, match="probably UTF-16-LE without a byte-order mark"):
        helpers.read_page(tmp_path / "a.txt")


# --- invisible characters -----------------------------------------------------------------

@pytest.mark.parametrize("mark", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad",
                                  "\u3000", "\u00a0"])
def test_invisible_characters_and_wide_spaces_inside_a_word(mark):
    assert cleaning.clean_text(f"会议在通{mark}辽市召开")[0] == "会议在通辽市召开"


def test_wide_spaces_between_phrases_stay_a_space():
    assert cleaning.clean_text("笃学奋进新征程\u3000共抒民族团结情")[0] == "笃学奋进新征程 共抒民族团结情"
    assert cleaning.clean_text("\u3000\u3000今年以来，全区推进工作。")[0] == "今年以来，全区推进工作。"


def test_a_page_with_zero_width_spaces_gives_the_places_and_tokens_of_a_clean_one(tmp_path):
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    clean = helpers.load_corpus(tmp_path, cache=False)
    dirty = (PAGE.replace("通辽市", "通\u200b辽市", 1).replace("通辽市", "通\u3000辽\ufeff市")
             .replace("鄂尔多斯", "鄂尔\u00a0多斯").replace("党建工作", "党\u2060建工作"))
    (tmp_path / "a.txt").write_text(dirty, encoding="utf-8")
    got = helpers.load_corpus(tmp_path, cache=False)
    assert got.text.tolist() == clean.text.tolist()
    assert got.token_text.tolist() == clean.token_text.tolist()
    places = helpers.place_mentions(got)
    assert {"通辽市", "鄂尔多斯市"} <= set(places.surface)
    assert_frame_equal(places, helpers.place_mentions(clean))
    raw = helpers.read_page(tmp_path / "a.txt")[0]  # offsets still point into the raw page
    assert all(raw[s:e].strip() for s, e in zip(got.start, got.end))


# --- Traditional characters ---------------------------------------------------------------

TRADITIONAL_PAGE = """初心如磐

學思踐悟

鄂爾多斯市黨建引領基層治理見實效

□本報記者 王曉明 通訊員 李華

今年以來，鄂爾多斯市堅持黨建引領，推動治理力量下沉，群眾滿意度持續提升。

該市在通遼市召開的交流會上介紹了經驗，黨建工作成效明顯。
"""


def test_a_traditional_page_is_converted_and_says_so(tmp_path):
    (tmp_path / "trad.txt").write_text(TRADITIONAL_PAGE, encoding="utf-8")
    df = helpers.load_corpus(tmp_path, cache=False)
    art = df[df.kind == "article"].iloc[0]
    assert art.title == "鄂尔多斯市党建引领基层治理见实效"
    assert art.reporters == ["王晓明"] and art.correspondents == ["李华"]
    assert "党建" in art.token_text.split()
    assert {"鄂尔多斯市", "通辽市"} <= set(helpers.place_mentions(df).surface)
    assert "converted to Simplified (OpenCC t2s)" in art.note
    raw = helpers.read_page(tmp_path / "trad.txt")[0]  # the raw page stays as it was written
    assert "鄂爾多斯市黨建" in raw[art.start:art.end]


def test_simplified_text_is_never_converted():
    # 著, 乾, 於 are Simplified too (著名, 乾隆, the surname 於): only Traditional-only
    # characters count
    text = "著名学者於先生在乾隆年间的史料中找到了通辽的记载。"
    assert cleaning.to_simplified(text) == (text, None)
    page = helpers.read_page(helpers.list_pages()[0])[0]
    assert cleaning.to_simplified(page) == (page, None)
    # a few Traditional characters in a Simplified page: those are converted, one by one
    out, note = cleaning.to_simplified("会议在通辽市召开，鄂爾多斯市代表发言。" * 3)
    assert out == "会议在通辽市召开，鄂尔多斯市代表发言。" * 3 and "character by character" in note


# --- the cache ----------------------------------------------------------------------------

def _garble_every_cache_file(cache_dir):
    files = [f for f in cache_dir.rglob("*") if f.is_file()]
    assert files
    for f in files:
        f.write_bytes(b"\x80garbage\x00\xff not a pickle nor a database " * 40)
    return files


def test_garbage_in_every_cache_file_twice_in_a_row(tmp_path, cache_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"{i}.txt").write_text(made_up_page(i), encoding="utf-8")
    records = tmp_path / "records.jsonl"
    records.write_text('{"title": "通辽市党建工作", "text": "通辽市推进党建工作。", '
                       '"date": "2024-06-01"}\n', encoding="utf-8")
    ref = load_quiet(corpus, cache=False)
    ref_records = load_quiet(records, cache=False)
    load_quiet(corpus)
    load_quiet(records)
    for round_ in range(2):
        files = _garble_every_cache_file(cache_dir)
        assert {f.suffix for f in files} >= {".sqlite", ".pkl"}
        with pytest.warns(UserWarning, match="damaged"):
            assert_frame_equal(helpers.load_corpus(corpus), ref)
        with pytest.warns(UserWarning, match="damaged"):
            assert_frame_equal(helpers.load_corpus(records), ref_records)
        with warnings.catch_warnings():  # rebuilt: the next load is from the cache, silent
            warnings.simplefilter("error")
            assert_frame_equal(helpers.load_corpus(corpus), ref)
            assert items_module.LOAD_STATS == {"parsed": 0, "cached": 3}
    # the page store itself was rebuilt, not only the whole-corpus file
    for whole in cache_dir.rglob("corpus-*.pkl"):
        whole.unlink()
    assert_frame_equal(load_quiet(corpus), ref)
    assert items_module.LOAD_STATS == {"parsed": 0, "cached": 3}


def test_a_damaged_entry_of_the_page_store_is_parsed_again(tmp_path, cache_dir):
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(made_up_page(2), encoding="utf-8")
    ref = load_quiet(tmp_path, cache=False)
    load_quiet(tmp_path)
    for whole in cache_dir.rglob("corpus-*.pkl"):
        whole.unlink()
    [store] = cache_dir.rglob("pages.sqlite")
    with sqlite3.connect(store) as db:
        keys = [k for (k,) in db.execute("SELECT key FROM pages")]
        db.execute("UPDATE pages SET value = ? WHERE key = ?", (b"\x80\x05garbage", keys[0]))
        db.execute("UPDATE pages SET value = ? WHERE key = ?",
                   (pickle.dumps(("a foreign", "value")), keys[1]))
    for _ in range(2):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert_frame_equal(helpers.load_corpus(tmp_path), ref)
    assert sum("discarded a damaged entry" in str(w.message) for w in caught) == 0  # 2nd: fixed


KILLED_LOAD = """
import os, sys, time
sys.path.insert(0, {root!r})
from cnpress import items

def slow(path, name=None):  # stands for a long parse; runs in the forked workers
    time.sleep(120)
slow.__module__, slow.__qualname__ = "cnpress.items", "_parse_tokenize"
items._parse_tokenize = slow
print("loading", flush=True)
items.load_corpus({corpus!r}, cache=False)
"""


def _children(pid):
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid):
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir() or not parallel.can_fork(),
                    reason="needs Linux /proc and fork")
def test_a_killed_load_leaves_no_worker_processes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(parallel.PARALLEL_MIN_PAGES + 2):  # enough pages for worker processes
        (corpus / f"{i:03}.txt").write_text(PAGE, encoding="utf-8")
    script = tmp_path / "load.py"
    script.write_text(KILLED_LOAD.format(root=str(ROOT), corpus=str(corpus)))
    env = {**os.environ, "NMG_WORKERS": "2", "NMG_PROGRESS": "0"}
    proc = subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    workers = []
    try:
        assert proc.stdout.readline().strip() == b"loading"
        deadline = time.time() + 60
        while len(workers := _children(proc.pid)) < 2 and time.time() < deadline:
            time.sleep(0.1)
        assert len(workers) >= 2, "the load did not start its worker processes"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.time() + 10
        while any(map(_alive, workers)) and time.time() < deadline:
            time.sleep(0.1)
        assert not any(map(_alive, workers)), f"workers {workers} outlived their killed parent"
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in workers:  # if the test failed: leave nothing running
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


# --- one large page -----------------------------------------------------------------------

N_COPIES = 300


def _parse_seconds(texts, repeat=3):
    """CPU seconds (best of ``repeat``) to run the page rules on each text."""
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        for text in texts:
            structure.parse_page(text)
        best = min(best, time.process_time() - t)
    return best


def test_one_large_page_costs_about_what_its_pages_cost_apart():
    pages = [made_up_page(i) for i in range(N_COPIES)]
    items, _ = structure.parse_page(pages[0])
    notes = {it.note for it in items}
    # the page exercises both reunions that used to compare every item with every other
    assert "continued further down the page (a subhead of its series)" in notes
    assert "joined by a piece printed elsewhere on the page (shared names)" in notes
    structure.parse_page("\n\n".join(pages[:5]))  # warm up (lexicon, regexes)
    apart = _parse_seconds(pages)
    together = _parse_seconds(["\n\n".join(pages)])
    # the same text as one page or as 300 pages: within 2x measured on this machine
    # (bench/page_size.py prints the figures); 3x here leaves room for a noisy neighbour.
    # With the all-pairs reunions the one page took ~11x.
    assert together < 3 * apart, f"one page {together:.2f} s, {N_COPIES} pages {apart:.2f} s"


def test_a_large_single_page_shows_progress(tmp_path, monkeypatch, capfd):
    (tmp_path / "big.txt").write_text("\n\n".join(made_up_page(i) for i in range(40)),
                                      encoding="utf-8")
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 50)  # "big" for this test
    monkeypatch.delenv("NMG_PROGRESS", raising=False)
    helpers.load_corpus(tmp_path, cache=False)
    assert "items of big" in capfd.readouterr().err
