"""Where things are: the project's folders, and the one error type of the loader.

Every module reads these names from here at call time (``config.LEXICON_DIR``), so a test
or a user can point the package at another lexicon or corpus folder by setting them here.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
CORPUS_DIR = ROOT / "corpus"
LEXICON_DIR = ROOT / "lexicon"
CACHE_DIR = ROOT / ".cache" / "corpus"
FIGURE_DIR = ROOT / "reports" / "figures"


# Files that hold article records rather than pages (cnpress.records reads them); kept here,
# beside the folders, so that scripts can tell a records file without importing pandas.
RECORD_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json", ".json.gz",
                   ".csv", ".csv.gz", ".tsv", ".parquet")


def record_suffix(path) -> str:
    """The record suffix of ``path`` ('.jsonl.gz', '.csv', …), or '' when it is not one."""
    name = Path(path).name.lower()
    return next((s for s in sorted(RECORD_SUFFIXES, key=len, reverse=True) if name.endswith(s)), "")


class CorpusError(ValueError):
    """A page, record file or corpus folder that cannot be read; the message names the file
    and what to do."""
