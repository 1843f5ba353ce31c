"""The lexicon files under ``lexicon/`` and the one place that holds them in memory.

Every word list the code uses comes from a file here (stopwords, user dictionary, section
names, places, slogans); nothing is a Python literal. Anything built from those files (the
tables below, the tokenizer in :mod:`cnpress.segment`, the place matcher in
:mod:`cnpress.places`) is memoised with :func:`follows`, which rebuilds it when one of its
files changes on disk (name, size, modification time): an edited file takes effect in the
same process, with no restart. :func:`lexicon_version` hashes the files' bytes for the cache.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import os
import threading
import time
from pathlib import Path

import pandas as pd

from . import config

USERDICT = "userdict.txt"
STOPWORDS = "stopwords.txt"
SECTIONS = "sections.csv"
PLACES = "places.csv"
PLACES_ELSEWHERE = "places_elsewhere.csv"
POPULATION = "population_2020.csv"
SLOGANS = "slogans.csv"
LOCAL_SLOGANS = "local_slogans.csv"
# (file, column) pairs whose entries are added to the segmenter's dictionary. The CSVs
# are optional: a missing file is skipped. local_slogans.csv: the recurring local
# formulations and brands (亮晒比, 红蜂驿站), so topic words keep them whole.
SEGMENTER_CSV_COLUMNS = [(PLACES, "surface"), (SLOGANS, "slogan"), (LOCAL_SLOGANS, "slogan")]


def path(name: str) -> Path:
    """The lexicon file ``name`` in the lexicon folder in force (config.LEXICON_DIR)."""
    return Path(config.LEXICON_DIR) / name


def _signature(names) -> tuple:
    """What identifies the current state of the files: path, size, mtime (ns) and inode.
    (os.stat on joined strings: pathlib objects cost ~10x more, and this runs per page.)"""
    folder = os.fspath(config.LEXICON_DIR)
    out = []
    for name in names:
        p = os.path.join(folder, name)
        try:
            st = os.stat(p)
            out.append((p, st.st_size, st.st_mtime_ns, st.st_ino))
        except FileNotFoundError:
            out.append((p, None))
    return tuple(out)


# follows() looks at its files again at most this often (seconds) between two calls to
# check_now(): a stat per call of a per-item function cost a tenth of the loader's time.
# Entry points (load_corpus, the analyses) call check_now(), so an edit is always seen by
# the next one of them, and by anything else within a second.
RECHECK_SECONDS = 1.0
_CHECKS = [0]  # bumped by check_now(): every memo looks at its files at its next call


def check_now() -> None:
    """Make every memo of :func:`follows` compare its files at its next call (entry points
    call this, so an edited lexicon file is seen at once)."""
    _CHECKS[0] += 1


def follows(*names):
    """Decorator for a function of no arguments that builds something from the lexicon
    files ``names``: its result is kept until one of the files changes, then rebuilt.

    The files are looked at (os.stat: size, mtime, inode) after each :func:`check_now` and
    otherwise at most every RECHECK_SECONDS. ``func.cache_clear()`` forgets the result.
    """
    def decorate(func):
        memo: dict = {}
        lock = threading.Lock()

        @functools.wraps(func)
        def current():
            got = memo.get("value")
            now = time.monotonic()
            if (got is not None and got[2] == _CHECKS[0] and now - got[3] < RECHECK_SECONDS
                    and got[0][0][0].startswith(os.fspath(config.LEXICON_DIR))):
                return got[1]  # checked a moment ago, in the same lexicon folder
            sig = _signature(names)
            if got is not None and got[0] == sig:
                memo["value"] = (sig, got[1], _CHECKS[0], now)
                return got[1]
            with lock:
                got = memo.get("value")
                if got is None or got[0] != sig:
                    got = (sig, func(), _CHECKS[0], now)
                memo["value"] = (sig, got[1], _CHECKS[0], now)
            return got[1]

        current.cache_clear = memo.clear
        current.files = names
        return current
    return decorate


def lexicon_version() -> str:
    """Hash of every file in the lexicon folder (relative names and bytes)."""
    h = hashlib.sha256()
    folder = Path(config.LEXICON_DIR)
    for f in sorted(folder.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(f.relative_to(folder).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:24]


def read_list(name: str) -> list[str]:
    """The non-comment, non-blank lines of a one-entry-per-line lexicon file (first field)."""
    lines = path(name).read_text(encoding="utf-8").splitlines()
    return [ln.split()[0] for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


@follows(STOPWORDS)
def stopwords() -> frozenset:
    """The stopwords of lexicon/stopwords.txt."""
    return frozenset(read_list(STOPWORDS))


@follows(SECTIONS)
def known_sections() -> dict[str, str]:
    """Column names of the page from ``lexicon/sections.csv``: name -> role (section|banner)."""
    with path(SECTIONS).open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]
    return {r["name"]: r["role"] for r in rows}


@follows(USERDICT, *(name for name, _ in SEGMENTER_CSV_COLUMNS))
def lexicon_terms() -> pd.DataFrame:
    """All user-dictionary entries with where they come from.

    Out: DataFrame with columns term, source (file name: userdict.txt, places.csv,
    slogans.csv), in_segmenter (False for phrases with punctuation or spaces, which the
    segmenter cannot keep whole). A term listed in two files appears twice. Rows of a CSV
    with a `use` column are taken only where use is yes. Missing CSVs are skipped;
    a CSV without the expected column raises an error naming the file.
    """
    frames = [pd.DataFrame({"term": read_list(USERDICT), "source": USERDICT})]
    for name, column in SEGMENTER_CSV_COLUMNS:
        p = path(name)
        if not p.exists():
            continue
        table = pd.read_csv(p, dtype=str, comment="#")
        if column not in table.columns:
            raise ValueError(f"{p} has no column {column!r} (columns: {list(table.columns)})")
        if "use" in table.columns:
            # places.csv marks surface forms too ambiguous to match blindly (新城, 合作)
            # with use=no; boosting those in the segmenter would hurt ordinary words.
            table = table[table["use"].str.strip().str.lower().isin(["yes", "y", "true", "1"])]
        terms = table[column].dropna().str.strip()
        frames.append(pd.DataFrame({"term": terms[terms != ""], "source": name}))
    terms = pd.concat(frames, ignore_index=True).drop_duplicates().reset_index(drop=True)
    # jieba cuts text into blocks at punctuation and spaces before it looks words up, so
    # a phrase such as 不忘初心、牢记使命 can never be one token: it stays in the table
    # (for string matching) but is not given to the segmenter.
    return terms.assign(in_segmenter=terms["term"].str.fullmatch(r"\w+").fillna(False))


@follows(PLACES)
def load_places() -> pd.DataFrame:
    """lexicon/places.csv as a DataFrame (one row per surface form), strings, '' for empty."""
    return pd.read_csv(path(PLACES), dtype=str).fillna("")


@follows(PLACES_ELSEWHERE)
def load_places_elsewhere() -> pd.DataFrame:
    """lexicon/places_elsewhere.csv: every other province, prefecture and county of China."""
    return pd.read_csv(path(PLACES_ELSEWHERE), dtype=str).fillna("")


@follows(POPULATION)
def load_population() -> pd.Series:
    """Resident population of the 12 prefecture-level units (7th census, 2020-11-01) from
    lexicon/population_2020.csv: a Series indexed by official prefecture name, in persons."""
    pop = pd.read_csv(path(POPULATION), comment="#", dtype={"prefecture": str})
    return pop.set_index("prefecture")["population_2020"].astype("int64")


@follows(SLOGANS)
def load_slogan_lexicon() -> pd.DataFrame:
    """The curated slogan dictionary (CSV: slogan, expansion, level, source, …).

    Returns a DataFrame indexed 0..n-1. The `slogan` column is also read by the
    tokenizer as a user dictionary, so entries are written exactly as printed.
    """
    p = path(SLOGANS)
    if not p.exists():
        raise FileNotFoundError(f"{p} not found: the slogan dictionary lives in lexicon/slogans.csv")
    lex = pd.read_csv(p, dtype=str, comment="#").fillna("")
    missing = {"slogan", "expansion", "level", "source"} - set(lex.columns)
    if missing:
        raise ValueError(f"{p} lacks columns {sorted(missing)}")
    return lex


def segmenter_files() -> tuple[str, ...]:
    """The lexicon files the segmenter's user words come from."""
    return (USERDICT, *(name for name, _ in SEGMENTER_CSV_COLUMNS))
