"""Reading page files: which files a corpus folder holds, and decoding one page."""
from __future__ import annotations

from pathlib import Path

from . import config
from .config import CorpusError


# Tried in this order. UTF-8 first: a GB18030 page almost never decodes as valid UTF-8, while
# GB18030 accepts many byte sequences, so trying it first would mis-read UTF-8 pages.
ENCODINGS = ("utf-8", "gb18030")


def read_page(path) -> tuple[str, str]:
    """Read one page file and return ``(text, encoding)``.

    UTF-8 with or without BOM and GB18030/GBK are accepted; the BOM is dropped, line ends are
    kept as they are (offsets in the item table refer to this decoded text). A file with NUL
    bytes or bytes that decode in neither encoding raises :class:`CorpusError` naming the file.
    """
    path = Path(path)
    data = path.read_bytes()
    if (nul := data.find(b"\x00")) >= 0:
        raise CorpusError(
            f"{path} looks like a binary file (NUL byte at {nul}): "
            "the corpus folder should hold plain-text pages; remove or convert it."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    errors = []
    for enc in ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as err:
            errors.append(err)
    err = errors[0]
    raise CorpusError(
        f"{path} is not UTF-8 or GB18030 (byte 0x{data[err.start]:02x} at {err.start}): "
        "re-save the page as UTF-8."
    )


def list_pages(path=None) -> list[Path]:
    """The ``.txt`` page files of a corpus folder, sorted by name; other files are ignored.

    Raises ``FileNotFoundError`` for a missing folder and :class:`CorpusError` for a folder
    with no ``.txt`` file.
    """
    folder = Path(path) if path is not None else config.CORPUS_DIR
    if not folder.is_dir():
        raise FileNotFoundError(
            f"corpus folder {folder} does not exist: pass the folder holding the page .txt files"
        )
    pages = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
    if not pages:
        raise CorpusError(f"corpus folder {folder} holds no .txt pages: nothing to load")
    return pages
