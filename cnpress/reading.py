"""Reading page files: which files of a corpus folder are pages, their names, and decoding
one page.

A corpus folder is untrusted input (scrapers, colleagues, the web): only regular ``.txt``
files inside it are pages, found at any depth (a subfolder's page is named by its path,
``2024/06/01``); everything else is reported with a warning, never silently dropped, and
the folder is only read.
"""
from __future__ import annotations

import os
import re
import stat
import warnings
from pathlib import Path

from . import config
from .config import CorpusError

# Tried in this order. UTF-8 first: a GB18030 page almost never decodes as valid UTF-8, while
# GB18030 accepts many byte sequences, so trying it first would mis-read UTF-8 pages.
ENCODINGS = ("utf-8", "gb18030")
# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be", "utf-16"), (b"\xff\xfe", "utf-16-le", "utf-16"),
)
# A GB18030 page must read as Chinese. Latin-1/Windows-1252 text (German, French) can
# decode as GB18030 when every accented letter is followed by a letter: each pair becomes
# one rare character (Bär -> B鋜). Such a decoding has few Chinese characters among its
# letters and most of its non-ASCII characters outside GB2312 (the 6,763 common simplified
# characters and the usual punctuation); real pages have ~99% Chinese letters and well under
# 1% outside GB2312. A page below MIN_CJK_SHARE with more than MAX_RARE_SHARE rare
# characters is refused.
MIN_CJK_SHARE = 0.5
MAX_RARE_SHARE = 0.5
# Files in a corpus folder that are not pages and are expected there (not reported).
SIDECAR_FILES = {"pages.csv"}
# Reported entries listed by name in one warning, at most this many (then "and N more").
MAX_LISTED = 12
PAGE_SUFFIX = ".txt"

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def _latin_reading(data: bytes) -> str | None:
    """A hint naming the likely encoding when ``data`` reads as Latin-1/Windows-1252
    text (mostly Latin letters, accented ones among them), else None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    accented = [m.start() for m in re.finditer(r"[À-ÖØ-öø-ÿŒœŠšŽžŸ]", text)]
    letters = sum(c.isalpha() for c in text)
    if not accented or letters < 0.5 * len(text.strip() or "x"):
        return None
    i = accented[0]
    return (f"probably Latin-1/Windows-1252 (it reads {text[max(0, i - 15):i + 15]!r} "
            "that way)")


def _utf16_reading(data: bytes) -> str | None:
    """``UTF-16-LE`` or ``UTF-16-BE`` when ``data`` decodes that way as text (mostly
    Chinese characters, letters, digits, punctuation and spaces), else None."""
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        plain = len(_CJK_RE.findall(text)) + sum(c.isascii() and (c.isprintable() or c in "\r\n\t")
                                                  for c in text)
        if plain >= 0.9 * len(text):
            return codec.upper()
    return None


def _check_chinese(path: Path, data: bytes, text: str) -> None:
    """Raise CorpusError when a GB18030 decoding does not read as Chinese (see
    MIN_CJK_SHARE). Fast path: a page whose bytes are mostly not ASCII letters."""
    ascii_letters = len(data) - len(data.translate(None, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                         b"abcdefghijklmnopqrstuvwxyz"))
    if ascii_letters < 0.3 * len(data):
        return
    letters = sum(c.isalpha() for c in text)
    cjk = len(_CJK_RE.findall(text))
    if cjk >= MIN_CJK_SHARE * letters:
        return
    rare = []
    for c in {c for c in text if ord(c) > 127}:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            rare.append(c)
    rare_set = set(rare)
    non_ascii = sum(1 for c in text if ord(c) > 127)
    n_rare = sum(1 for c in text if c in rare_set)
    if n_rare <= MAX_RARE_SHARE * non_ascii:
        return
    hint = _latin_reading(data) or "probably not Chinese text in a Chinese encoding"
    raise CorpusError(
        f"{path} decodes as GB18030 but does not read as Chinese: {cjk} Chinese characters "
        f"among {letters} letters, {n_rare} of {non_ascii} non-ASCII characters rare ones "
        f"such as {''.join(sorted(rare)[:5])}; it is {hint}. Re-save the page as UTF-8 "
        "(or remove it from the corpus folder)."
    )


def read_page(path) -> tuple[str, str]:
    """Read one page file and return ``(text, encoding)``.

    UTF-8 with or without BOM, UTF-16 and UTF-32 with a BOM, and GB18030/GBK are accepted;
    the BOM is dropped, line ends are kept as they are (offsets in the item table refer to
    this decoded text). Raises :class:`CorpusError` naming the file for: a symbolic link or
    anything but a regular file; NUL bytes without a BOM (binary, or UTF-16 without BOM);
    bytes that decode in neither encoding; a GB18030 decoding that is not Chinese text (a
    Latin-1 page); the message says which encoding the file probably has.
    """
    path = Path(path)
    try:
        # O_NOFOLLOW: a page swapped for a link after list_pages is not followed out of the
        # folder; O_NONBLOCK: a FIFO named x.txt does not hang the load (refused below).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        if path.is_symlink():
            raise CorpusError(f"{path} is a symbolic link: pages must be regular files in the "
                              "corpus folder (copy the file there instead)") from None
        raise
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise CorpusError(f"{path} is not a regular file: remove it from the corpus folder")
        data = f.read()
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), name
            except UnicodeDecodeError as err:
                raise CorpusError(
                    f"{path} starts with a {name.upper()} byte-order mark but is not valid "
                    f"{name.upper()} (byte {err.start + len(bom)}): re-save the page as UTF-8."
                ) from None
    if (nul := data.find(b"\x00")) >= 0:
        utf16 = _utf16_reading(data)
        raise CorpusError(
            f"{path} looks like a binary file (NUL byte at {nul})"
            + (f"; it is probably {utf16} without a byte-order mark" if utf16 else "")
            + ": the corpus folder should hold plain-text pages; remove or convert it "
            "(re-save as UTF-8)."
        )
    errors = []
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as err:
            errors.append(err)
            continue
        if enc == "gb18030":
            _check_chinese(path, data, text)
        return text, enc
    err = errors[0]
    hint = _latin_reading(data)
    raise CorpusError(
        f"{path} is not UTF-8 or GB18030 (byte 0x{data[err.start]:02x} at {err.start})"
        + (f"; it is {hint}" if hint else "") + ": re-save the page as UTF-8."
    )


def _scan(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """``(pages, reported)``: the regular .txt files under ``folder`` at any depth, and
    ``(relative path, reason)`` for every other entry (sidecar files aside). Links are not
    followed; hidden entries (.git, .ipynb_checkpoints) are reported, not entered."""
    pages, reported = [], []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as err:
            reported.append((os.path.relpath(current, folder), f"folder not readable ({err.strerror})"))
            continue
        for entry in entries:
            rel = Path(entry.path).relative_to(folder).as_posix()
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                inside = Path(target).is_relative_to(folder.resolve())
                reported.append((rel, f"symbolic link to {target}" + (
                    "" if inside else ", outside the corpus folder")))
            elif entry.name.startswith("."):
                reported.append((rel + ("/" if entry.is_dir() else ""), "hidden"))
            elif entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif not entry.is_file(follow_symlinks=False):
                reported.append((rel, "not a regular file"))
            elif entry.name.lower().endswith(PAGE_SUFFIX) and len(entry.name) > len(PAGE_SUFFIX):
                pages.append(Path(entry.path))
            elif not (current == folder and entry.name in SIDECAR_FILES):
                reported.append((rel, "not a .txt page"))
    pages.sort(key=lambda p: p.relative_to(folder).as_posix())
    return pages, sorted(reported)


def skipped_files(path=None) -> list[tuple[str, str]]:
    """The entries of a corpus folder that are not read as pages, as ``(relative path,
    reason)``: symbolic links (with their target), hidden entries, special files, files
    that are not ``.txt`` (the ``pages.csv`` sidecar aside). :func:`list_pages` warns about
    them; this lists them for a report."""
    folder = Path(path) if path is not None else Path(config.CORPUS_DIR)
    return _scan(folder)[1] if folder.is_dir() else []


def _listed(entries: list[tuple[str, str]]) -> str:
    shown = ", ".join(f"{name} ({reason})" for name, reason in entries[:MAX_LISTED])
    more = len(entries) - MAX_LISTED
    return shown + (f" and {more} more (helpers.skipped_files lists them)" if more > 0 else "")


def list_pages(path=None) -> list[Path]:
    """The page files of a corpus folder: regular files ending ``.txt`` (any case), in the
    folder or its subfolders, sorted by their path in the folder.

    Everything else is reported in a warning naming it (:func:`skipped_files`): symbolic
    links are skipped (a link out of the folder would read a file the corpus does not hold,
    ``/etc/passwd`` into a shared report; one inside it would count a page twice), and so
    are hidden entries (.git, .ipynb_checkpoints copies), special files and other files.
    They are warnings, not errors: one stray file should not stop a year of pages, and the
    warning says which file and why. Raises ``FileNotFoundError`` for a missing folder and
    :class:`CorpusError` for a folder without pages.
    """
    folder = Path(path) if path is not None else Path(config.CORPUS_DIR)
    if not folder.is_dir():
        raise FileNotFoundError(
            f"corpus folder {folder} does not exist: pass the folder holding the page .txt files"
        )
    pages, reported = _scan(folder)
    links = [(n, r) for n, r in reported if r.startswith("symbolic link")]
    others = [(n, r) for n, r in reported if not r.startswith("symbolic link")]
    if links:
        warnings.warn(f"{folder}: {len(links)} symbolic link(s) skipped (pages must be regular "
                      f"files in the corpus folder; copy them there to read them): "
                      f"{_listed(links)}", stacklevel=2)
    if others:
        warnings.warn(f"{folder}: {len(others)} entr{'y' if len(others) == 1 else 'ies'} "
                      f"not read as pages: {_listed(others)}", stacklevel=2)
    if not pages:
        raise CorpusError(f"corpus folder {folder} holds no .txt pages: nothing to load")
    return pages


def page_names(pages: list[Path], path=None) -> list[str]:
    """The ``page`` name of each page file: its path in the corpus folder without the
    ``.txt`` ending (``002``, ``2024/06/01``). Files whose names differ only in that
    ending's case (``x.txt``, ``x.TXT``) keep their endings (``x.txt``, ``x.TXT``): two
    files are always two pages."""
    folder = Path(path) if path is not None else Path(config.CORPUS_DIR)
    rel = [p.relative_to(folder).as_posix() if p.is_relative_to(folder) else p.name
           for p in pages]
    stems = [r[: -len(PAGE_SUFFIX)] if r.lower().endswith(PAGE_SUFFIX) else r for r in rel]
    seen: dict[str, int] = {}
    for s in stems:
        seen[s] = seen.get(s, 0) + 1
    return [r if seen[s] > 1 else s for r, s in zip(rel, stems)]
