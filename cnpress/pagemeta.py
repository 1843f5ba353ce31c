"""Dates, sources and printed page numbers of page files: from a sidecar ``pages.csv`` in
the corpus folder (columns file, date, source, page_no, page_name; any may be empty), else
from a date in the file name (2024-06-01_04.txt, 20240601-04.txt, rmrb_2024.06.01_4.txt)."""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from .config import CorpusError
from .records import parse_dates

SIDECAR = "pages.csv"
META_FIELDS = ["date", "source", "page_no", "page_name"]
# A date in a file name (years 1900-2099), optionally followed by the printed page number.
FILE_DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_.]?(?P<m>[01]\d)[-_.]?(?P<d>[0-3]\d)(?!\d)"
    r"(?:[-_ ]+(?:第|p|P|page)?(?P<page>[A-Za-z]?\d{1,3})(?:版)?(?![\d]))?")


def _from_names(pages: list[Path]) -> pd.DataFrame:
    rows = []
    for p in pages:
        m = FILE_DATE_RE.search(p.stem)
        rows.append({"date": f"{m['y']}-{m['m']}-{m['d']}" if m else "",
                     "source": "", "page_no": (m["page"] or "") if m else "", "page_name": ""})
    return pd.DataFrame(rows, columns=META_FIELDS)


def page_metadata(folder, pages: list[Path]) -> pd.DataFrame:
    """One row per page (in the order of ``pages``): date (datetime64, NaT when unknown),
    source, page_no, page_name (None when unknown), and meta_from ('pages.csv', 'file name'
    or None). A sidecar row overrides what the file name says; a sidecar naming files that
    are not in the folder, or lacking a ``file`` column, is an error naming it."""
    table = _from_names(pages)
    table["meta_from"] = ["file name" if d else None for d in table["date"]]
    sidecar = Path(folder) / SIDECAR
    if sidecar.is_file() and not sidecar.is_symlink():
        try:
            side = pd.read_csv(sidecar, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
            raise CorpusError(f"{sidecar} could not be read ({err}): it should be a UTF-8 CSV "
                              "with columns file, date, source, page_no, page_name") from None
        if "file" not in side.columns:
            raise CorpusError(f"{sidecar} has no 'file' column (columns: {list(side.columns)}); "
                              "expected file, date, source, page_no, page_name")
        names = {p.name: i for i, p in enumerate(pages)}
        unknown = sorted(set(side["file"]) - set(names))
        if unknown:
            warnings.warn(f"{sidecar} names {len(unknown)} file(s) not in the folder "
                          f"({', '.join(unknown[:5])}); those rows are ignored", stacklevel=3)
        for row in side.itertuples(index=False):
            i = names.get(row.file)
            if i is None:
                continue
            for field in META_FIELDS:
                value = str(getattr(row, field, "") or "").strip()
                if value:
                    table.at[i, field] = value
                    table.at[i, "meta_from"] = SIDECAR
    table["date"] = parse_dates(table["date"]).to_numpy()
    for field in ("source", "page_no", "page_name"):
        table[field] = table[field].replace("", None)
    return table
