"""The cache of parsed pages: one SQLite store per version of the code and lexicon, and one
file per whole corpus once all its pages are known.

Everything read back is guarded: a damaged or foreign entry is discarded with a warning and
rebuilt, never raised. Versions of different code live side by side (two checkouts, or a
notebook kernel and a newer test run, do not delete each other's cache); versions unused for
CACHE_MAX_AGE_DAYS are removed.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sqlite3
import time
import warnings
from pathlib import Path

import pandas as pd

from . import config
from .lexicon import lexicon_version

# A cache version folder not used for this many days is deleted when a new one is made.
CACHE_MAX_AGE_DAYS = 30
# Pages written per SQLite transaction.
PAGES_PER_TRANSACTION = 256


def _package_version() -> str:
    """Hash of every source file of the package as it is when first imported: an edit to
    any module invalidates the cache at the next import, and a running kernel keeps the key
    of the code it runs."""
    h = hashlib.sha256()
    for f in sorted(config.PACKAGE_DIR.rglob("*.py")):
        h.update(f.relative_to(config.PACKAGE_DIR).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


CODE_VERSION = _package_version()


def cache_dir() -> Path:
    """The cache root in force (config.CACHE_DIR)."""
    return Path(config.CACHE_DIR)


def cache_version() -> str:
    """Cache sub-folder name: hash of the package's source and of every lexicon file."""
    return hashlib.sha256((CODE_VERSION + lexicon_version()).encode()).hexdigest()[:24]


def page_key(path: Path, name: str | None = None) -> str:
    """Cache key of a page: hash of its name in the table and its bytes."""
    name = path.name if name is None else name
    return hashlib.sha256(name.encode() + b"\0" + path.read_bytes()).hexdigest()[:32]


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames one under the other, renumbered from 0 (pandas keeps the text columns'
    Arrow chunks: nothing is copied)."""
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _evict_old_versions(root: Path, keep: Path) -> None:
    """Delete version folders under ``root`` unused for CACHE_MAX_AGE_DAYS (not ``keep``)."""
    limit = time.time() - CACHE_MAX_AGE_DAYS * 86400
    try:
        for folder in root.iterdir():
            if folder != keep and folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
    except OSError:
        pass


def _damaged(err: Exception) -> bool:
    """True for SQLite's "not a database" / "malformed" errors (the file is damaged), not
    for a locked, read-only or missing file (OperationalError)."""
    return isinstance(err, sqlite3.DatabaseError) and not isinstance(err, sqlite3.OperationalError)


class PageStore:
    """The parsed pages of one cache version: a SQLite table key -> pickled
    ``(item rows, page facts)`` in ``<version folder>/pages.sqlite``.

    One file rather than a file per page: on this project's machine writing a file per page
    cost the workers ~1 ms of system time per page (1.2 s of the 20 MB benchmark corpus);
    SQLite inserts PAGES_PER_TRANSACTION pages per transaction. A store that cannot be
    opened (read-only checkout) gives a warning and the corpus loads uncached; a damaged
    file (not a database, malformed) is deleted with a warning and started afresh;
    one that cannot be written to gives a warning and is only read; an entry that cannot be
    read back is dropped with a warning (:meth:`get` returns None) and re-parsed."""

    def __init__(self, folder: Path):
        self.path, self.db, self.pending, self.writable = folder / "pages.sqlite", None, [], True
        try:
            if not folder.exists():
                folder.mkdir(parents=True)
                _evict_old_versions(folder.parent, folder)
            os.utime(folder)  # last used: what eviction by age looks at
            self._open()
        except (OSError, sqlite3.Error) as err:
            if not _damaged(err):
                self._failed(err)
            else:  # not a database (garbage, a truncated copy): start it afresh
                warnings.warn(f"the page cache {self.path} was damaged ({err}); it is "
                              "started afresh", stacklevel=3)
                self._reset()

    def _open(self):
        self.db = sqlite3.connect(self.path, timeout=60)
        self.db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, value BLOB)")
        self.db.execute("SELECT count(*) FROM pages").fetchone()  # reads the file's pages

    def _reset(self):
        """Delete the damaged store and open an empty one (or go uncached, with a warning)."""
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None
        try:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._open()
        except (OSError, sqlite3.Error) as err:
            self._failed(err)

    def _failed(self, err):
        warnings.warn(f"could not use the page cache {self.path}: {err}; loading uncached "
                      "(delete the .cache folder to start it afresh)", stacklevel=4)
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
        self.db = None

    def keys(self) -> set:
        try:
            return {k for (k,) in self.db.execute("SELECT key FROM pages")} if self.db else set()
        except sqlite3.Error as err:
            if _damaged(err):
                warnings.warn(f"the page cache {self.path} was damaged ({err}); it is "
                              "started afresh", stacklevel=3)
                self._reset()
            else:
                self._failed(err)
            return set()

    def get(self, key: str):
        """The unpickled ``(rows, info)`` of ``key``, or None when the entry is missing,
        damaged or not what this code writes (it is deleted, with a warning)."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT value FROM pages WHERE key = ?", (key,)).fetchone()
            value = pickle.loads(row[0]) if row else None
            rows, info = value
            if isinstance(rows, list) and isinstance(info, dict) and "n_chars" in info:
                return rows, info
            raise TypeError(f"unexpected entry of type {type(rows).__name__}")
        except sqlite3.Error as err:
            self._failed(err)
            return None
        except Exception as err:  # noqa: BLE001 (any damage to a pickle: discard it)
            warnings.warn(f"discarded a damaged entry of the page cache {self.path} ({err!r}); "
                          "the page is parsed again", stacklevel=3)
            try:
                with self.db:
                    self.db.execute("DELETE FROM pages WHERE key = ?", (key,))
            except sqlite3.Error:
                pass
            return None

    def add(self, key: str, value: bytes) -> None:
        """Store a page (written in batches: a transaction per PAGES_PER_TRANSACTION)."""
        if self.writable and self.db is not None:
            self.pending.append((key, value))
        if len(self.pending) >= PAGES_PER_TRANSACTION:
            self._flush()

    def _flush(self) -> None:
        try:
            if self.db and self.pending:
                with self.db:  # one transaction
                    self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?)",
                                        self.pending)
        except sqlite3.Error as err:
            warnings.warn(f"could not write to the page cache {self.path}: {err}", stacklevel=4)
            self.writable = False  # keep reading, stop writing
        self.pending = []

    def close(self) -> None:
        self._flush()
        if self.db:
            self.db.close()


def read_tables(entry: Path):
    """``(item table, page table)`` from a file written by :func:`write_tables`, or None
    when it is damaged or foreign (it is deleted, with a warning)."""
    try:
        with open(entry, "rb") as f:
            table, n = pickle.load(f), pickle.load(f)
            items = concat_frames([pickle.load(f) for _ in range(n)])
        if not (isinstance(table, pd.DataFrame) and isinstance(items, pd.DataFrame)):
            raise TypeError("not a pair of tables")
        return items, table
    except Exception as err:  # noqa: BLE001 (any damage: discard and rebuild)
        warnings.warn(f"discarded a damaged corpus cache file {entry} ({err!r}); "
                      "the corpus is loaded again", stacklevel=3)
        try:
            entry.unlink()
        except OSError:
            pass
        return None


def write_tables(entry: Path, table: pd.DataFrame, chunks: list) -> None:
    """Write the page table and the item table's chunks to ``entry`` atomically, each
    pickled on its own: a pickler keeps every object it wrote until it ends, and a whole
    table of Arrow strings at once would hold a copy of all its text."""
    tmp = entry.with_suffix(f".{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            for part in [table, len(chunks), *chunks]:
                pickle.dump(part, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
    except OSError as err:  # a read-only checkout still loads, just uncached
        warnings.warn(f"could not write the corpus cache {entry}: {err}", stacklevel=3)
        try:
            tmp.unlink()
        except OSError:
            pass


def clear_cache() -> None:
    """Delete the page cache (.cache/corpus/); the next load_corpus re-parses every page."""
    shutil.rmtree(cache_dir(), ignore_errors=True)
