"""Draw a random sample of place hits from a JSON-lines corpus of news items, to read by hand.

    .venv/bin/python scripts/sample_place_hits.py ITEMS.jsonl[.gz] OUT.csv [--n 150] [--seed 13]

ITEMS: one JSON object a line with ``id`` and ``text`` (e.g. ../shared/data/xwlb/
xwlb_2022-2026.jsonl.gz). Every item's text goes through ``helpers.find_places``; ``--n`` of
the hits are drawn at random (fixed seed) and written to OUT with the item id, the hit, the
unit it was resolved to, the reason it was kept and 30 characters of context either side, plus
an empty ``right`` column for the reader's judgement (y/n) and ``note``. OUT must lie outside
the project: the text is not ours to commit. Nothing else is written.
"""
import argparse
import gzip
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NMG_PROGRESS", "0")

import pandas as pd  # noqa: E402

import helpers  # noqa: E402


def read_items(path):
    """(id, text) of every line of a JSON-lines file (gzip if it ends in .gz)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                item = json.loads(line)
            except json.JSONDecodeError as err:
                raise SystemExit(f"{path} line {n} is not JSON ({err}): one object a line expected")
            yield str(item.get("id", n)), str(item.get("text", ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("items", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=150)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    if ROOT in args.out.resolve().parents:
        raise SystemExit(f"{args.out} is inside the project: write the sample outside it")
    hits = []
    for item_id, text in read_items(args.items):
        if not helpers.place_hits(text):  # most items name no place: skip the explain table
            continue
        found = helpers.find_places(text, explain=True)
        for r in found[found.kept].itertuples():
            hits.append({"id": item_id, "surface": r.surface, "prefecture": r.prefecture,
                         "county": r.county, "township": r.township, "reason": r.reason,
                         "before": text[max(0, r.start - 30):r.start].replace("\n", " "),
                         "after": text[r.end:r.end + 30].replace("\n", " ")})
    sample = random.Random(args.seed).sample(hits, min(args.n, len(hits)))
    out = pd.DataFrame(sample).assign(right="", note="")
    out.to_csv(args.out, index=False)
    print(f"{len(hits)} hits in {args.items}; {len(out)} drawn (seed {args.seed}) -> {args.out}")


if __name__ == "__main__":
    main()
