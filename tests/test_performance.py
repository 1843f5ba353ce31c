"""Scale: the fast segmenter gives jieba's tokens, the page cache, worker processes, progress.

Speed itself is never asserted here (machines are noisy): `make bench` prints the figures.
"""
import os
import subprocess
import sys
import re
import shutil
import sqlite3
from pathlib import Path

import jieba
import pandas as pd
import pytest

import helpers
from cnpress import config, items as loader, parallel, quotes, segment

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def items():
    return helpers.load_corpus(CORPUS, cache=False)


@pytest.fixture(scope="module")
def reference_jieba():
    """Pure-Python jieba.Tokenizer with the same user words and frequencies as segment()."""
    tok, _ = segment.build_jieba_tokenizer()
    return tok


def test_segment_gives_jiebas_tokens_on_every_item(items, reference_jieba):
    for text in items["text"]:
        assert helpers.segment(text) == reference_jieba.lcut(text, HMM=segment.SEGMENT_HMM)


def test_segment_gives_jiebas_tokens_on_whole_raw_pages(reference_jieba):
    for page in CORPUS.glob("*.txt"):
        text = page.read_text(encoding="utf-8")
        assert helpers.segment(text) == reference_jieba.lcut(text, HMM=True), page.name
        assert helpers.segment(text) != jieba.lcut(text)  # the user words do change things


def test_column_break_segmenter_is_jiebas_default_dictionary_without_hmm(items):
    default = jieba.Tokenizer()
    for text in items["text"]:
        assert segment.plain_segmenter().lcut(text, HMM=False) == default.lcut(text, HMM=False)


def test_characters_the_backends_disagree_on_go_to_jieba(reference_jieba):
    # U+9FD6..U+9FFF and CJK extension A are Chinese to jieba-rs but not to jieba 0.42.1.
    text = "鿏鿐党员㐀㐁在通辽市学习"
    assert helpers.segment(text) == reference_jieba.lcut(text, HMM=True)


def test_token_text_column_is_tokenize_of_text(items):
    assert list(items.columns[-3:]) == helpers.DERIVED_COLUMNS
    assert items["token_text"].tolist() == [" ".join(helpers.tokenize(t)) for t in items["text"]]
    expected = [helpers.tokenize(t) for t in items["text"]]
    assert helpers.tokens(items).tolist() == expected
    assert helpers.tokens(items.drop(columns="token_text")).tolist() == expected


# ---- the page cache ---------------------------------------------------------------------


@pytest.fixture
def corpus_copy(tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(CORPUS, folder)
    for p in folder.iterdir():
        p.chmod(0o644)
    return folder


def _snapshot(folder):
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in Path(folder).rglob("*")}


def test_second_load_is_served_from_the_cache(cache_dir, items):
    first = helpers.load_corpus(CORPUS)
    assert helpers.LOAD_STATS == {"parsed": 5, "cached": 0}
    written = _snapshot(cache_dir)
    # a store of parsed pages (reused when some pages change) and a file for the whole corpus
    (store,) = cache_dir.glob("*/pages.sqlite")
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 5
    assert len([n for n in written if n.startswith("corpus-")]) == 1
    second = helpers.load_corpus(CORPUS)
    assert helpers.LOAD_STATS == {"parsed": 0, "cached": 5}
    assert _snapshot(cache_dir) == written  # nothing re-parsed, nothing re-written
    pd.testing.assert_frame_equal(second, first)
    pd.testing.assert_frame_equal(second, items)


def test_an_edited_page_is_parsed_again_and_only_it(cache_dir, corpus_copy):
    helpers.load_corpus(corpus_copy)
    page = sorted(corpus_copy.glob("*.txt"))[2]
    page.write_text(page.read_text(encoding="utf-8").replace("党员", "群众"), encoding="utf-8")
    df = helpers.load_corpus(corpus_copy)
    assert helpers.LOAD_STATS == {"parsed": 1, "cached": 4}
    edited = df[df.page == page.stem]
    assert edited.text.str.contains("群众").any() and not edited.text.str.contains("党员").any()


def test_a_damaged_page_store_warns_and_the_corpus_still_loads(cache_dir, items):
    helpers.load_corpus(CORPUS)
    (store,) = cache_dir.glob("*/pages.sqlite")
    for whole in cache_dir.glob("*/corpus-*"):
        whole.unlink()
    store.write_bytes(b"not a database " * 100)
    with pytest.warns(UserWarning, match="page cache"):
        df = helpers.load_corpus(CORPUS)
    assert helpers.LOAD_STATS == {"parsed": 5, "cached": 0}
    pd.testing.assert_frame_equal(df, items)


def test_an_edited_stopword_list_takes_effect_in_the_same_process(cache_dir, lexicon_copy):
    before = helpers.tokens(helpers.load_corpus(CORPUS))
    assert sum(t.count("嘎查村") for t in before) == 9
    assert helpers.LOAD_STATS == {"parsed": 5, "cached": 0}
    with open(lexicon_copy / "stopwords.txt", "a", encoding="utf-8") as f:
        f.write("嘎查村\n")
    after = helpers.tokens(helpers.load_corpus(CORPUS))
    assert helpers.LOAD_STATS == {"parsed": 5, "cached": 0}  # a new cache version
    assert sum(t.count("嘎查村") for t in after) == 0
    assert "嘎查村" not in helpers.tokenize("嘎查村党支部书记")
    # both versions stay in the cache: another kernel still on the old lexicon keeps its own
    assert len(list(cache_dir.iterdir())) == 2
    # and a fresh process, with the cache warm, serves the edited lexicon's tokens
    code = ("import helpers, sys; from cnpress import config; "
            "config.LEXICON_DIR = config.Path(sys.argv[1]); config.CACHE_DIR = config.Path(sys.argv[2]); "
            "items = helpers.load_corpus(sys.argv[3]); "
            "print(helpers.LOAD_STATS['cached'], sum(t.count('嘎查村') for t in helpers.tokens(items)))")
    out = subprocess.run([sys.executable, "-c", code, str(lexicon_copy), str(cache_dir), str(CORPUS)],
                         capture_output=True, text=True, check=True, cwd=config.ROOT).stdout
    assert out.split() == ["5", "0"]


def test_the_corpus_folder_is_never_written(cache_dir):
    before = _snapshot(CORPUS)
    helpers.load_corpus(CORPUS)
    helpers.load_corpus(CORPUS)
    helpers.clear_cache()
    helpers.load_corpus(CORPUS, cache=False)
    assert _snapshot(CORPUS) == before


def test_cache_false_neither_reads_nor_writes(cache_dir):
    helpers.load_corpus(CORPUS, cache=False)
    assert not cache_dir.exists() and helpers.LOAD_STATS["parsed"] == 5


def test_clear_cache_empties_it(cache_dir):
    helpers.load_corpus(CORPUS)
    assert cache_dir.exists()
    helpers.clear_cache()
    assert not cache_dir.exists()
    helpers.load_corpus(CORPUS)
    assert helpers.LOAD_STATS["parsed"] == 5


# ---- worker processes and progress ------------------------------------------------------


def test_load_workers_is_one_per_core_above_the_threshold(monkeypatch):
    monkeypatch.delenv(parallel.WORKERS_ENV, raising=False)
    cores = len(os.sched_getaffinity(0))
    assert helpers.load_workers(parallel.PARALLEL_MIN_PAGES - 1) == 1
    assert helpers.load_workers(1000) == cores
    assert helpers.load_workers(5, min_pages=2) == min(cores, 5)
    monkeypatch.setenv(parallel.WORKERS_ENV, "3")
    assert helpers.load_workers(1000) == 3 and helpers.load_workers(2, min_pages=1) == 2


def test_worker_processes_give_the_same_table_in_page_order(items, monkeypatch, capfd):
    # two workers even on a one-core machine: the parallel path really runs
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    monkeypatch.setattr(loader, "load_workers", lambda n: parallel.load_workers(n, min_pages=2))
    monkeypatch.setattr(loader, "PAGES_PER_TASK", 1)
    started = []
    real_pool = parallel.process_pool
    monkeypatch.setattr(loader, "process_pool", lambda n: started.append(n) or real_pool(n))
    in_workers = helpers.load_corpus(CORPUS, cache=False)
    assert started == [2]
    pd.testing.assert_frame_equal(in_workers, items)
    # NMG_PROGRESS=0 (set in conftest.py, as scripts/render.py does): no progress bar
    assert capfd.readouterr().err == ""


def test_progress_bar_shows_only_when_asked(monkeypatch, capfd):
    monkeypatch.setenv("NMG_PROGRESS", "1")
    list(helpers.progress(range(100), 100, "pages"))
    assert "pages" in capfd.readouterr().err
    list(helpers.progress(range(5), 5, "pages"))  # a short loop stays quiet
    monkeypatch.setenv("NMG_PROGRESS", "0")
    list(helpers.progress(range(100), 100, "pages"))
    assert capfd.readouterr().err == ""


def _pids(shared, start, stop):
    """A map_chunks task: which process ran each item."""
    return [os.getpid()] * (stop - start)


def test_analyses_in_worker_processes_give_the_same_tables(items, monkeypatch):
    serial = (helpers.place_mentions(items), helpers.slogan_occurrences(items),
              helpers.mine_slogans(items))
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")  # workers even on a one-core machine
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 2)
    monkeypatch.setattr(parallel, "ITEMS_PER_TASK", 4)
    pids = parallel.map_chunks(_pids, None, 20, "test")
    # every chunk ran in a worker (which of the two takes which chunk is up to the pool)
    assert len(pids) == 20 and os.getpid() not in pids
    bare = items.drop(columns=["place_hits", "quote_facts"])  # every pass in the workers
    occ = helpers.slogan_occurrences(bare)
    pd.testing.assert_frame_equal(helpers.place_mentions(bare), serial[0])
    pd.testing.assert_frame_equal(occ, serial[1])
    pd.testing.assert_frame_equal(helpers.mine_slogans(bare), serial[2])
    pd.testing.assert_frame_equal(helpers.mine_slogans(items, occ), serial[2])


def test_place_and_quote_columns_are_what_the_analyses_find(items):
    texts = items["text"].tolist()
    assert items["place_hits"].tolist() == [helpers.place_hits(t) for t in texts]
    assert items["quote_facts"].tolist() == [quotes.item_quotes(t) for t in texts]
    bare = items.drop(columns=["place_hits", "quote_facts"])  # found again, in this process
    pd.testing.assert_frame_equal(helpers.place_mentions(items), helpers.place_mentions(bare))
    pd.testing.assert_frame_equal(helpers.slogan_occurrences(items),
                                  helpers.slogan_occurrences(bare))
    found = helpers.place_mentions(items)
    assert len(found) == sum(map(len, items["place_hits"])) > 100
    assert (found["surface"] == [t[s:e] for t, s, e in zip(
        items.set_index(["page", "item"]).loc[list(zip(found.page, found.item)), "text"],
        found.start, found.end)]).all()


def test_load_pages_comes_from_the_same_pass_and_cache(cache_dir):
    items = helpers.load_corpus(CORPUS)
    pages = helpers.load_pages(CORPUS)
    assert helpers.LOAD_STATS == {"parsed": 0, "cached": 5}  # nothing parsed a second time
    assert pages["n_items"].tolist() == items.groupby("page").size()[pages["page"]].tolist()
    for row in pages.itertuples():
        text, encoding = helpers.read_page(row.path)
        assert row.n_chars == len(re.sub(r"\s", "", text)) and row.encoding == encoding
        assert row.status == "ok" and row.n_headers > 0
    pd.testing.assert_frame_equal(helpers.load_pages(CORPUS, cache=False), pages)
