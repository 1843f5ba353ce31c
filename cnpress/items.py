"""The item table: ``load_corpus`` reads a corpus folder into one row per item.

Each page is read (:mod:`cnpress.reading`), split into items (:mod:`cnpress.structure`),
cleaned (:mod:`cnpress.cleaning`), and each item's tokens, place hits and quotes are found
once (:mod:`cnpress.segment`, :mod:`cnpress.places`, :mod:`cnpress.quotes`), in worker
processes for many pages (:mod:`cnpress.parallel`), kept in the cache (:mod:`cnpress.cache`).
"""
from __future__ import annotations

import hashlib
import pickle
import re
import warnings
from pathlib import Path

import pandas as pd

from . import cache as _cache
from . import config, lexicon
from .cleaning import clean_text, nfkc_alnum_re, to_simplified
from .config import CorpusError
from .openings import column_label
from .paragraphs import Para
from .parallel import (
    PAGES_PER_TASK, gc_paused, load_workers, map_chunks, process_pool, progress,
)
from . import patterns as P
from .patterns import AUTHOR_RE, parse_credit
from .places import place_hits, place_matcher
from .quotes import item_quotes
from .pagemeta import page_metadata
from .reading import list_pages, page_names, read_page
from .records import is_record_file, read_records, record_files, record_item
from .segment import plain_segmenter, tokenizer
from .structure import Item, parse_page

# load_corpus turns the row dicts into a table this many rows at a time: the dicts of a
# large corpus and the table built from them (Arrow copies of the text) are never all in
# memory at once (at 100 MB that was ~500 MB more).
ROWS_PER_CHUNK = 2000
# Pages parsed / served from the cache by the last load_corpus call (tests and benchmark).
LOAD_STATS = {"parsed": 0, "cached": 0}
PAGE_COLUMNS = ["page", "encoding", "n_chars", "n_items", "n_headers", "status"]

# Columns load_corpus derives from each item's text in its worker processes (and caches),
# so that analyses do not redo per-item work: tokens, place mentions, quotes.
DERIVED_COLUMNS = ["token_text", "place_hits", "quote_facts"]
ITEM_COLUMNS = [
    "page", "item", "kind", "section", "title", "reporters", "correspondents", "contributors",
    "text", "start", "end", "length", "n_paragraphs", "subheads", "byline", "photo_credit",
    "dropped_words", "fragment", "note", "spans", "encoding",
]
# When and where each item was printed, and its title block: date (datetime64, NaT when
# unknown), source (paper or outlet), page_no (printed page, 版), page_name; kicker (引题),
# subtitle (副题), label (a column label such as 人民时评), agency (本报, 新华社… from a
# dateline or wire credit). Records carry them in their fields; pages get date, source,
# page_no and page_name from pages.csv or the file name (cnpress.pagemeta).
META_COLUMNS = ["date", "source", "page_no", "page_name", "kicker", "subtitle", "label", "agency"]


def _item_row(it: Item, page: str, encoding: str) -> dict:
    """One row of the item table from a parsed item."""
    credits = {"reporters": [], "correspondents": [], "contributors": []}
    texts = [p.text for p in it.paras]
    byline = it.byline
    if it.kind == "brief" and texts and (m := P.BRIEF_CREDIT_RE.search(texts[-1])):
        # (本报记者 X) names a reporter; a bare (X) is a contributor.
        it.credits = parse_credit(m.group("credit"), "contributors")
        byline = m.group(0).strip()
        texts[-1] = texts[-1][: m.start()].rstrip()
    if it.kind == "brief" and texts:
        texts[0] = texts[0].lstrip("●").lstrip()
    found, agency = list(it.credits), None
    if it.kind in ("article", "commentary") and texts:
        # the credits other papers print in the text: a dateline opening it (本报北京1月13日电
        # （记者 张晓东）, 新华社…电) and a closing credit ending it (（本报记者孟祥夫、付文）)
        in_text, agency, c = P.text_credits(texts[0], texts[-1])
        found += in_text
        if c:
            byline = f"{byline} {c.group(0).strip()}" if byline else c.group(0).strip()
            texts[-1] = texts[-1][: c.start()].rstrip()
    for name, role in found:
        if name not in credits[role]:
            credits[role].append(name)
    kind = it.kind
    if kind == "article" and it.byline and AUTHOR_RE.match(it.byline):
        kind = "commentary"
    label = column_label(it.title) if it.title else None
    if kind == "article" and P.LABEL_KINDS.get(label) in ("commentary", "photo"):
        kind = P.LABEL_KINDS[label]  # 让好政策落到实处（人民时评）, 图片报道
    # One clean_text call per item (its paragraphs joined by newlines; no rule crosses a
    # newline), not per paragraph: the regex passes dominate the loader's time.
    raw = ""
    for t, p in zip(texts, it.paras):
        if t.strip():
            raw += t if (raw and p.meta.get("join_prev")) else ("\n" if raw else "") + t
    text, dropped = clean_text(raw)
    text = re.sub(r" *\n *", "\n", text)
    title = clean_text(it.title)[0] if it.title else None
    spans = it.spans()
    return {
        "page": page,
        "kind": kind,
        "section": it.section,
        "title": title,
        **credits,
        "text": text,
        "start": spans[0][0],
        "end": spans[-1][1],
        "length": len(text),
        "n_paragraphs": text.count("\n") + 1 if text else 0,
        "subheads": [clean_text(s)[0] for s in it.subheads],
        "byline": byline,
        "photo_credit": it.photo_credit,
        "dropped_words": dropped,
        "fragment": it.fragment,
        "note": it.note,
        "spans": spans,
        "encoding": encoding,
        "kicker": clean_text(it.kicker)[0] if it.kicker else None,
        "subtitle": clean_text(it.subtitle)[0] if it.subtitle else None,
        "label": label,
        "agency": agency,
    }


def _page_rows(path, name=None) -> tuple[list[dict], list[Para], str, str]:
    """Read and parse one page: ``(item rows, header_lines, decoded_text, encoding)``;
    ``name`` is its ``page`` (default: the file name without .txt)."""
    path = Path(path)
    text, encoding = read_page(path)
    simplified, converted = to_simplified(text)  # same length: offsets hold
    items, headers = parse_page(simplified)
    rows = [_item_row(it, path.stem if name is None else name, encoding) for it in items]
    for i, row in enumerate(rows):
        row["item"] = i
        if converted and any(text[a:b] != simplified[a:b] for a, b in row["spans"]):
            row["note"] = f"{row['note']}; {converted}" if row["note"] else converted
    return rows, headers, text, encoding


def _items_frame(rows: list[dict], extra=()) -> pd.DataFrame:
    """The item table (ITEM_COLUMNS order, plus ``extra`` columns) from row dicts; one
    DataFrame for many pages is much cheaper than one per page."""
    columns = ITEM_COLUMNS + META_COLUMNS + list(extra)
    if not rows:
        return pd.DataFrame(rows, columns=columns).astype({"date": "datetime64[ns]"})
    frame = pd.DataFrame({c: [row.get(c) for row in rows] for c in columns})  # faster than dicts
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def parse_file(path) -> tuple[pd.DataFrame, list[Para], str]:
    """Read and parse one page: ``(items, header_lines, decoded_text)``."""
    rows, headers, text, _ = _page_rows(path)
    return _items_frame(rows), headers, text



def load_pages(path=None, cache=True) -> pd.DataFrame:
    """One row per page file (or records file): page, path, encoding, n_chars (non-blank),
    n_items, n_headers (header lines), status (``ok`` or ``empty``).

    Made by the same pass as :func:`load_corpus` and kept in the same cache, so calling both
    parses each page once. Unreadable files raise :class:`CorpusError`.
    """
    lexicon.check_now()
    records = _record_target(path)
    if records:
        pages, table = records, _load_records(records, None, cache)[1]
    else:
        pages = list_pages(path)
        table = _load(pages, path, cache)[1]
    return table.assign(path=[str(p) for p in pages])[
        ["page", "path", "encoding", "n_chars", "n_items", "n_headers", "status"]]


def load_corpus(path=None, cache=True, fields=None) -> pd.DataFrame:
    """Load a corpus into one row per item (article, commentary, brief, photo): a folder of
    page ``.txt`` files, or article records (a ``.jsonl``/``.jsonl.gz``/``.json``/``.csv``/
    ``.parquet`` file, or a folder of such files; ``fields`` maps item fields to a records
    file's own column names, see :func:`cnpress.records.read_records`). A record is one
    item: ``page`` is its id (or ``<file>#<row>``) and ``item`` is 0.

    Columns: page (file name without .txt), item (0-based order within the page), kind,
    section (column header in force, without ◎/■), title, reporters, correspondents,
    contributors (lists of names), text (cleaned body), start, end (character offsets of the
    item's span in the decoded page, see :func:`read_page`), plus length, n_paragraphs,
    subheads, byline, photo_credit, dropped_words, fragment, note, spans (the exact raw
    segments, when an item is split around a header) and encoding; then META_COLUMNS: date,
    source, page_no, page_name (pages: from ``pages.csv`` or a date in the file name, see
    :mod:`cnpress.pagemeta`; NaT/None when unknown), kicker, subtitle, label, agency.

    ``path`` defaults to the project's ``corpus/`` folder. An empty page is reported with a
    warning naming the file and contributes no rows; files that are not ``.txt`` are ignored.

    The last columns (DERIVED_COLUMNS) are found in each item's text once, here, so that no
    analysis redoes it: ``token_text``, the content words, space-separated (:func:`tokenize`;
    :func:`tokens` gives them as lists); ``place_hits``, the place mentions as (start, end,
    form) tuples (:func:`place_hits`; :func:`place_mentions` makes the table); and
    ``quote_facts``, the quotes and numbered phrases that :func:`slogan_occurrences` starts
    from. A table whose ``text`` was edited after loading should drop them first.

    With ``cache=True`` each parsed page is kept in ``.cache/corpus/`` (git-ignored;
    :func:`clear_cache` empties it) under a key made of the file's name and bytes, the
    lexicon files and the package's source, so an unchanged page is never parsed or
    tokenized twice and any change to the page, a lexicon file or the code re-parses it. The
    corpus folder is only read. Many pages are parsed in worker processes
    (:func:`load_workers`), in page order; a progress bar shows on stderr unless the
    environment sets NMG_PROGRESS=0.
    """
    lexicon.check_now()  # an edited lexicon file takes effect from this call on
    records = _record_target(path)
    if records:
        return _load_records(records, fields, cache)[0]
    pages = list_pages(path)
    items, table = _load(pages, path, cache)
    for p, status in zip(pages, table["status"]):
        if status == "empty":
            warnings.warn(f"{p} is empty: it contributes no items", stacklevel=2)
    return _with_page_metadata(items, path, pages)


def _record_target(path) -> list[Path]:
    """The record files ``path`` names (a records file, or a folder holding record files
    and no .txt page), else [] (a folder of pages)."""
    target = Path(path) if path is not None else Path(config.CORPUS_DIR)
    if target.is_file():
        if not is_record_file(target):
            raise CorpusError(f"{target} is a file but not a records file (.jsonl, .jsonl.gz, "
                              ".json, .csv, .parquet) nor a folder of .txt pages: pass the "
                              "folder that holds the pages, or a records file")
        return [target]
    if target.is_dir() and not any(p.suffix.lower() == ".txt" for p in target.iterdir()):
        return record_files(target)
    return []


def _with_page_metadata(items: pd.DataFrame, path, pages: list[Path]) -> pd.DataFrame:
    """Fill date, source, page_no, page_name of page items from pages.csv or file names."""
    folder = Path(path) if path is not None else Path(config.CORPUS_DIR)
    meta = page_metadata(folder, pages)
    if meta["meta_from"].isna().all():
        return items
    meta.index = page_names(pages, folder)
    for field in ("date", "source", "page_no", "page_name"):
        values = items["page"].map(meta[field])
        items[field] = values if field == "date" else values.astype(object).where(values.notna(), None)
    return items


def _parse_tokenize(path, name=None):
    """One page parsed, cleaned and tokenized: ``(item rows with tokens, page facts)``,
    pickled (what the page cache stores, and what travels back from a worker process); page
    facts are its encoding, non-blank characters and header lines (see load_pages)."""
    rows, headers, text, encoding = _page_rows(path, name)
    tokenize = tokenizer()  # the lexicon in force, fetched once per page
    # a page of PARALLEL_MIN_ITEMS items or more (a large single page) shows its own bar
    for row in progress(rows, len(rows), f"items of {name or Path(path).name}", unit="item"):
        # one space-separated string per item, not a list of 200 str objects: a tenth of
        # the memory and of the pickling between processes (tokens never hold a space)
        row["token_text"] = " ".join(tokenize(row["text"]))
        # what place_mentions and slogan_occurrences find in one item, found once here
        row["place_hits"] = place_hits(row["text"])
        row["quote_facts"] = item_quotes(row["text"])
    info = {"encoding": encoding, "n_chars": len(re.sub(r"\s", "", text)), "n_headers": len(headers)}
    return pickle.dumps((rows, info), protocol=pickle.HIGHEST_PROTOCOL)


def _parse_pages(paths, names):
    """_parse_tokenize over page paths, in order, in worker processes when there are many."""
    workers = load_workers(len(paths))
    if workers == 1:
        yield from progress(map(_parse_tokenize, paths, names), len(paths), "parsing pages")
        return
    # Build the segmenters, the place matcher and clean_text's table once here: forked
    # workers inherit them instead of each rebuilding jieba's dictionary (~3 s).
    tokenizer(), plain_segmenter(), place_matcher(), nfkc_alnum_re()
    with process_pool(workers) as pool:
        results = pool.map(_parse_tokenize, paths, names, chunksize=PAGES_PER_TASK)
        yield from progress(results, len(paths), f"parsing pages ({workers} processes)")


@gc_paused
def _load(pages, path, cache):
    """``(item table, page table)`` of the page files ``pages`` (of folder ``path``), from
    the cache or parsed (see :func:`load_corpus`). Damaged cache entries are dropped with a
    warning and their pages parsed again."""
    folder = _cache.cache_dir() / _cache.cache_version() if cache else None
    names = page_names(pages, path if path is not None else config.CORPUS_DIR)
    keys = [_cache.page_key(p, n) for p, n in zip(pages, names)] if folder else [None] * len(pages)
    whole = folder / ("corpus-" + hashlib.sha256("".join(keys).encode()).hexdigest()[:32]
                      + ".pkl") if folder else None
    if whole is not None and whole.exists():  # the same pages as a previous call: one read
        tables = _cache.read_tables(whole)
        if tables is not None:
            LOAD_STATS.update(parsed=0, cached=len(pages))
            return tables
    store = _cache.PageStore(folder) if folder else None
    stored = store.keys() if store else set()
    todo = [p for p, key in zip(pages, keys) if key not in stored]
    todo_names = [n for n, key in zip(names, keys) if key not in stored]
    LOAD_STATS.update(parsed=len(todo), cached=len(pages) - len(todo))
    parsed = _parse_pages(todo, todo_names)  # in page order; the workers start at the first next()
    to_parse = set(todo)
    chunks, rows, page_rows = [], [], []
    for p, name, key in zip(pages, names, keys):
        if p in to_parse:
            blob = next(parsed)
            if store:
                store.add(key, blob)
            items, info = pickle.loads(blob)
        else:
            got = store.get(key)
            if got is None:  # damaged: parse it here
                blob = _parse_tokenize(p, name)
                store.add(key, blob)
                got = pickle.loads(blob)
                LOAD_STATS["parsed"] += 1
                LOAD_STATS["cached"] -= 1
            items, info = got
        rows += items
        page_rows.append({"page": name, **info, "n_items": len(items),
                          "status": "ok" if info["n_chars"] else "empty"})
        if len(rows) >= ROWS_PER_CHUNK:  # memory: row dicts of one chunk at a time
            chunks.append(_items_frame(rows, extra=DERIVED_COLUMNS))
            rows = []
    if store:
        store.close()
    table = pd.DataFrame(page_rows, columns=PAGE_COLUMNS)
    if (table["status"] == "empty").all():
        raise CorpusError(f"every page in {path or config.CORPUS_DIR} is empty: nothing to load")
    if rows or not chunks:
        chunks.append(_items_frame(rows, extra=DERIVED_COLUMNS))
    corpus = (_cache.concat_frames(chunks), table)
    if whole is not None:
        _cache.write_tables(whole, table, chunks)
    return corpus


def _derive(row: dict, tokenize) -> dict:
    """Add the DERIVED_COLUMNS of one item row."""
    row["token_text"] = " ".join(tokenize(row["text"]))
    row["place_hits"] = place_hits(row["text"])
    row["quote_facts"] = item_quotes(row["text"])
    return row


def _record_chunk(records: list[dict], start: int, stop: int) -> list[dict]:
    """Item rows (with derived columns) of records[start:stop]: a map_chunks task."""
    tokenize = tokenizer()
    return [_derive(record_item(rec), tokenize) for rec in records[start:stop]]


@gc_paused
def _load_records(files: list[Path], fields, cache):
    """``(item table, file table)`` of record files, from the cache or read."""
    folder = _cache.cache_dir() / _cache.cache_version() if cache else None
    key = hashlib.sha256(repr(sorted((fields or {}).items())).encode())
    for f in files:
        key.update(f.name.encode() + b"\0" + f.read_bytes())
    whole = folder / f"records-{key.hexdigest()[:32]}.pkl" if folder else None
    if whole is not None and whole.exists():
        tables = _cache.read_tables(whole)
        if tables is not None:
            LOAD_STATS.update(parsed=0, cached=len(files))
            return tables
    LOAD_STATS.update(parsed=len(files), cached=0)
    chunks, file_rows = [], []
    for f in files:
        records = read_records(f, fields).to_dict("records")
        tokenizer(), place_matcher(), nfkc_alnum_re()  # built once; forked workers inherit
        rows = map_chunks(_record_chunk, records, len(records), f"reading {f.name}")
        for i in range(0, len(rows), ROWS_PER_CHUNK):
            chunks.append(_items_frame(rows[i:i + ROWS_PER_CHUNK], extra=DERIVED_COLUMNS))
        n_chars = sum(len(re.sub(r"\s", "", r["text"])) for r in rows)
        file_rows.append({"page": f.name, "encoding": "utf-8", "n_chars": n_chars,
                          "n_items": len(rows), "n_headers": 0,
                          "status": "ok" if rows else "empty"})
    table = pd.DataFrame(file_rows, columns=PAGE_COLUMNS)
    if not chunks:
        chunks.append(_items_frame([], extra=DERIVED_COLUMNS))
    corpus = (_cache.concat_frames(chunks), table)
    if whole is not None:
        folder.mkdir(parents=True, exist_ok=True)
        _cache.write_tables(whole, table, chunks)
    return corpus
