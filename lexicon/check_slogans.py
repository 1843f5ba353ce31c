"""Check the slogan dictionary (lexicon/slogans.csv) against a dated national news corpus.

Reads the 新闻联播 item records of the team's reference data (``../shared/data/xwlb/``,
gzipped JSON lines with id, date, title, text; never copied into the project) and runs the
project's own slogan matcher on them (``cnpress.slogans``: the same forms, variants and
``use`` rules as the notebooks), then prints

1. how many dictionary entries occur in at least one item, by level, and the entries that
   occur nowhere (a national formulation the evening news never uses is worth a second look:
   a wrong form, a variant missing, or a term of one field);
2. the quoted or numbered phrases the news uses in many items that the dictionary lacks
   (formulations by the miner's rules, recurring), most items first: candidates to add.

Usage, from the project root::

    .venv/bin/python lexicon/check_slogans.py                 # ../shared/data/xwlb
    .venv/bin/python lexicon/check_slogans.py DIR --top 60 --out reports/slogan-check

``--out DIR`` also writes the two tables as CSV (counts and dates only, plus the phrases;
write them under reports/, which git ignores). Takes ~1 min for the 16,827 items.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NMG_PROGRESS", "0")

import pandas as pd  # noqa: E402

from cnpress import lexicon, slogans  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "data" / "xwlb"
# A missing phrase is listed when the news quotes it in at least this many items.
MIN_ITEMS_MISSING = 20


def read_records(folder: Path) -> pd.DataFrame:
    """The records of `folder` read by the project's loader (helpers.load_corpus: cleaned like
    page text, cached), as a table of page (the date), item (the record id), title, text and
    the loader's quote_facts."""
    from cnpress.items import load_corpus

    items = load_corpus(folder)
    return pd.DataFrame({"page": items["date"].dt.strftime("%Y-%m-%d").fillna(""),
                         "item": items["page"], "title": items["title"].fillna(""),
                         "text": items["text"], "quote_facts": items["quote_facts"]})


def dictionary_coverage(df, occ):
    """One row per dictionary entry: slogan, level, use, n_items (news items using it),
    first_date, last_date. Entries with use = no are listed with n_items 0 (never matched)."""
    lex = lexicon.load_slogan_lexicon()
    used = (occ[occ["kind"] == "dictionary"].drop_duplicates(["item", "slogan"])
            .groupby("slogan").agg(n_items=("item", "size"), first_date=("page", "min"),
                                   last_date=("page", "max")))
    return (lex[["slogan", "level", "type", "use"]].join(used, on="slogan")
            .fillna({"n_items": 0, "first_date": "", "last_date": ""})
            .astype({"n_items": int}))


def missing_phrases(df, occ, min_items=MIN_ITEMS_MISSING):
    """Formulations of the news that the dictionary lacks: phrases QUOTED in at least
    ``min_items`` items, and numbered patterns (三会一课-like, found quoted or not) used in
    that many. Columns slogan, quoted_items, n_items, count, kind, first_date; most quoted
    items first. A phrase quoted in only a few items and then used bare everywhere (新时代)
    is not listed: its bare uses say nothing about it being a slogan."""
    mined = slogans.mine_slogans(df, occ)
    quoted = occ[occ["surface"].str[0].isin(["“", "‘"])]
    quoted_items = quoted.drop_duplicates(["item", "slogan"]).groupby("slogan").size()
    mined["quoted_items"] = mined["slogan"].map(quoted_items).fillna(0).astype(int)
    spread = mined["quoted_items"].where(mined["kind"] == "quoted", mined["n_items"])
    rows = mined[(mined["kind"] != "dictionary") & (mined["type"] == "formulation")
                 & (spread >= min_items)]
    first = (occ[occ["slogan"].isin(rows["slogan"])].sort_values(["page", "item"])
             .drop_duplicates("slogan").set_index("slogan"))
    return (rows[["slogan", "quoted_items", "n_items", "count", "kind"]]
            .assign(first_date=rows["slogan"].map(first["page"]))
            .sort_values(["quoted_items", "n_items"], ascending=False).reset_index(drop=True))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--top", type=int, default=40, help="missing phrases to print")
    ap.add_argument("--min-items", type=int, default=MIN_ITEMS_MISSING)
    ap.add_argument("--out", type=Path, help="folder for the two CSV tables")
    args = ap.parse_args(argv)
    if not args.folder.is_dir():
        raise SystemExit(f"{args.folder} is not a folder: pass the folder of the 新闻联播 "
                         "records (default ../shared/data/xwlb)")
    df = read_records(args.folder)
    occ = slogans.slogan_occurrences(df)
    cov = dictionary_coverage(df, occ)
    miss = missing_phrases(df, occ, args.min_items)

    print(f"{len(df):,} items, {df['page'].min()} to {df['page'].max()}")
    matched = cov[cov["use"] != "no"]
    for level, g in matched.groupby("level"):
        print(f"{level}: {int((g['n_items'] > 0).sum())} of {len(g)} entries occur in at least "
              f"one item ({int((g['n_items'] >= 10).sum())} in 10 or more)")
    nat = matched[(matched["level"] == "national") & (matched["type"] == "formulation")]
    print(f"national formulations: {int((nat['n_items'] > 0).sum())} of {len(nat)} occur")
    print("never used:", "、".join(matched.loc[matched["n_items"] == 0, "slogan"]))
    print(f"\nquoted or numbered formulations in {args.min_items}+ items that the dictionary "
          f"lacks: {len(miss)}")
    print(miss.head(args.top).to_string(index=False))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        cov.to_csv(args.out / "dictionary_in_xwlb.csv", index=False)
        miss.to_csv(args.out / "xwlb_missing_phrases.csv", index=False)
        print(f"\nwrote {args.out}/dictionary_in_xwlb.csv and xwlb_missing_phrases.csv")


if __name__ == "__main__":
    main()
