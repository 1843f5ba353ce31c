"""Article records: corpora exported by scrapers and databases as JSON Lines (.jsonl,
.jsonl.gz, .ndjson), JSON (a list of objects), CSV or Parquet, one record per article.

:func:`read_records` maps the file's fields to the item table's (lexicon/record_fields.csv
lists the common names: title/标题, text/content/正文, date/pubdate/日期, page/版次 …; anything
else through ``fields={...}``) and returns one row per record in file order. The loader
(:mod:`cnpress.items`) turns each into an item: credits from the author field or the text's
own datelines and closing credits, the text cleaned like a page's.
"""
from __future__ import annotations

import gzip
import json
import re
import warnings
from pathlib import Path

import pandas as pd

from . import lexicon
from . import patterns as P
from .cleaning import clean_text, to_simplified
from .config import RECORD_SUFFIXES, CorpusError, record_suffix  # noqa: F401
from .patterns import parse_credit

FIELDS = ("id", "title", "kicker", "subtitle", "text", "date", "page_no", "section", "author",
          "source", "url")
RECORD_FIELDS = "record_fields.csv"
suffix_of = record_suffix


def is_record_file(path) -> bool:
    return bool(suffix_of(path))


@lexicon.follows(RECORD_FIELDS)
def field_aliases() -> dict[str, list[str]]:
    """{item-table field: its aliases, in order} from lexicon/record_fields.csv."""
    table = pd.read_csv(lexicon.path(RECORD_FIELDS), dtype=str, comment="#")
    out: dict[str, list[str]] = {}
    for field, alias in zip(table["field"], table["alias"]):
        out.setdefault(field.strip(), []).append(alias.strip())
    return out


def _open_text(path: Path):
    return (gzip.open(path, "rt", encoding="utf-8-sig") if path.name.lower().endswith(".gz")
            else open(path, encoding="utf-8-sig"))


def _read_json_lines(path: Path) -> list[dict]:
    rows = []
    with _open_text(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                raise CorpusError(f"{path}, line {n}: not valid JSON ({err.msg}); a JSON Lines "
                                  "file holds one JSON object per line") from None
            if not isinstance(rec, dict):
                raise CorpusError(f"{path}, line {n}: a JSON {type(rec).__name__}, not an object "
                                  "with fields such as title and text")
            rows.append(rec)
    return rows


def _read_json(path: Path) -> list[dict]:
    try:
        with _open_text(path) as f:
            data = json.load(f)
    except json.JSONDecodeError as err:
        raise CorpusError(f"{path}: not valid JSON ({err.msg} at line {err.lineno}); expected "
                          "a list of records, or use JSON Lines (.jsonl)") from None
    if isinstance(data, dict):  # {"articles": [...]} and the like
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise CorpusError(f"{path}: a JSON object, not a list of records; expected [{{...}}, …]")
        data = lists[0]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise CorpusError(f"{path}: expected a JSON list of objects (records)")
    return data


def _raw_table(path: Path) -> pd.DataFrame:
    """The file as a table of strings, columns as in the file."""
    suffix = suffix_of(path)
    try:
        if suffix in (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz"):
            return pd.DataFrame(_read_json_lines(path))
        if suffix in (".json", ".json.gz"):
            return pd.DataFrame(_read_json(path))
        if suffix == ".parquet":
            return pd.read_parquet(path)
        sep = "\t" if suffix == ".tsv" else ","
        return pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep,
                           encoding="utf-8-sig")
    except CorpusError:
        raise
    except (UnicodeDecodeError, OSError, ValueError, pd.errors.ParserError) as err:
        raise CorpusError(f"{path} could not be read as {suffix} records ({err}); check the "
                          "file's format and that it is UTF-8") from None


def _mapping(path: Path, columns, fields: dict | None) -> dict[str, str]:
    """{item-table field: the file's column} for the fields found."""
    fields = dict(fields or {})
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"fields= names {sorted(unknown)}, not item fields; use {list(FIELDS)}")
    lower = {str(c).strip().lower(): c for c in columns}
    out = {}
    for field in FIELDS:
        if field in fields:
            if fields[field] not in columns:
                raise CorpusError(f"{path} has no column {fields[field]!r} (given for {field}); "
                                  f"its columns are {list(columns)}")
            out[field] = fields[field]
            continue
        for alias in field_aliases().get(field, []):
            if alias.lower() in lower:
                out[field] = lower[alias.lower()]
                break
    if "text" not in out:
        expected = "/".join(field_aliases().get("text", ["text"]))
        raise CorpusError(f"{path}: no text field among its columns {list(columns)[:20]}; "
                          f"expected one of {expected}, or pass fields={{'text': '<column>'}}")
    return out


_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*[-/.月]?\s*(\d{1,2})")


def parse_dates(values) -> pd.Series:
    """Dates from the strings analysts' exports hold (2024-06-01, 2024/6/1, 20240601,
    2024年6月1日, with or without a time); NaT where there is none."""
    out = []
    for v in values:
        m = _DATE_RE.search(str(v)) if v is not None and str(v).strip() else None
        try:
            out.append(pd.Timestamp(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m
                       else pd.NaT)
        except ValueError:
            out.append(pd.NaT)
    return pd.Series(pd.to_datetime(out), dtype="datetime64[ns]")


def read_records(path, fields: dict | None = None) -> pd.DataFrame:
    """The records of one file as a table with columns id, title, kicker, subtitle, text,
    date (datetime64, NaT when missing), page_no, section, author, source, url (strings,
    '' when the file has no such field), file (the file name) and row (0-based, file order).

    ``fields`` maps item fields to the file's own column names when they are not among the
    common ones. A record without text is kept (empty text) and reported with a warning; an
    id missing or repeated is replaced by ``<file>#<row>`` so every record is its own page.
    """
    path = Path(path)
    raw = _raw_table(path)
    if raw.empty:
        warnings.warn(f"{path} holds no records", stacklevel=2)
    mapping = _mapping(path, list(raw.columns), fields)
    n = len(raw)
    out = {}
    for field in FIELDS:
        if field in mapping:
            col = raw[mapping[field]]
            out[field] = [("" if v is None or (isinstance(v, float) and v != v) else
                           ("、".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)))
                          for v in col]
        else:
            out[field] = [""] * n
    table = pd.DataFrame(out)
    table["date"] = parse_dates(table["date"]).to_numpy()
    bad_dates = (table["date"].isna() & (pd.Series(out["date"]).str.strip() != "")).sum()
    if bad_dates:
        example = next(v for v, d in zip(out["date"], table["date"]) if v.strip() and pd.isna(d))
        warnings.warn(f"{path}: {bad_dates} record(s) have a date that could not be read "
                      f"(e.g. {example!r}); their date is NaT", stacklevel=2)
    ids = table["id"].str.strip()
    stem = path.name
    fallback = [f"{stem}#{i}" for i in range(n)]
    dup = ids.duplicated(keep=False) | (ids == "")
    table["id"] = ids.where(~dup, pd.Series(fallback))
    if dup.any() and "id" in mapping:
        warnings.warn(f"{path}: {int(dup.sum())} record(s) have an empty or repeated id; they "
                      "are named <file>#<row>", stacklevel=2)
    empty = table["text"].str.strip() == ""
    if empty.any():
        shown = ", ".join(table.loc[empty, "id"].head(5))
        warnings.warn(f"{path}: {int(empty.sum())} record(s) have no text ({shown}…); they are "
                      "kept as items with empty text and a note", stacklevel=2)
    table["file"] = stem
    table["row"] = range(n)
    return table


def record_files(folder) -> list[Path]:
    """The record files of a folder, sorted by name."""
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and is_record_file(p))


def _paragraphs(text: str) -> list[str]:
    """A record's text as paragraphs: blank lines separate them; where the file has none,
    each line is one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b for b in re.split(r"\n[ \t\u3000]*\n", text) if b.strip()]
    if len(blocks) <= 1:
        blocks = text.split("\n")
    return [re.sub(r"\s*\n\s*", "", b).strip() for b in blocks if b.strip()]


def record_item(rec: dict) -> dict:
    """One item-table row from one record (a dict with the fields of :func:`read_records`).

    Credits come from the author field (names labelled 记者/通讯员 go to their columns,
    bare names to ``reporters``, or to ``contributors`` for a commentary) and from the
    text's own dateline (本报北京1月13日电（记者 张晓东）: labelled names) and closing credit
    (（本报记者孟祥夫、付文）, removed from the text and kept in ``byline``); ``agency`` is the
    dateline's or the wire credit's organisation (本报, 新华社…). The kind: a commentary
    when the title carries a commentary column label (（人民时评）) or the section is one, a
    photo for 图片报道, else an article. The text is cleaned like a page's.
    """
    P.refresh()
    raw = rec.get("text") or ""
    simplified, note = to_simplified(raw)  # same length: offsets still hold
    title_s, title_note = to_simplified(rec.get("title") or "")
    note = note or title_note
    paras = _paragraphs(simplified)
    credits, byline, agency, c = [], None, None, None
    if paras:
        credits, agency, c = P.text_credits(paras[0], paras[-1])
    if c:
        byline = c.group(0).strip()
        paras[-1] = paras[-1][:c.start()].rstrip()
        if not paras[-1]:
            paras.pop()
    title = title_s.strip()
    label = None
    if (t := P.TITLE_LABEL_RE.search(title)) and t.group("label") in P.LABEL_KINDS:
        label = t.group("label")
    section = (rec.get("section") or "").strip() or None
    kind = P.LABEL_KINDS.get(label) or P.LABEL_KINDS.get(section or "") or "article"
    if kind not in ("commentary", "photo"):
        kind = "article"
    author = (rec.get("author") or "").strip()
    if author:
        credits = parse_credit(author, "contributors" if kind == "commentary" else "reporters") + credits
        byline = byline or author
    columns = {"reporters": [], "correspondents": [], "contributors": []}
    for name, role in credits:
        if name not in columns[role]:
            columns[role].append(name)
    text, dropped = clean_text("\n".join(paras))
    text = re.sub(r" *\n *", "\n", text)
    if not text:
        note = "record without text"  # (a converted title needs no note then)
    return {
        "page": rec["id"], "item": 0, "kind": kind, "section": section,
        "title": clean_text(title)[0] if title else None, **columns,
        "text": text, "start": 0, "end": len(raw), "length": len(text),
        "n_paragraphs": text.count("\n") + 1 if text else 0, "subheads": [],
        "byline": byline, "photo_credit": None, "dropped_words": dropped, "fragment": False,
        "note": note, "spans": [(0, len(raw))], "encoding": "utf-8",
        "date": rec.get("date"), "source": (rec.get("source") or "").strip() or None,
        "page_no": (rec.get("page_no") or "").strip() or None,
        "kicker": (rec.get("kicker") or "").strip() or None,
        "subtitle": (rec.get("subtitle") or "").strip() or None,
        "label": label, "agency": agency,
    }
