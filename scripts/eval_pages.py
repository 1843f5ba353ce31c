"""Measure the page parser against hand-checked ground truth of real pages.

    .venv/bin/python scripts/eval_pages.py PAGES_DIR GOLD.jsonl [PAGES_DIR GOLD.jsonl ...]

PAGES_DIR holds page .txt files; GOLD.jsonl has one JSON object per printed item:
{"file": page file name, "title": the printed title, "reporters": [names], "kind": ...}
(items of kind "label", e.g. editor lines, are page furniture and not counted). Real pages
of other papers are kept outside the repository; this script and its figures are not.

An item found by the parser matches a gold item of the same page when their titles agree
after removing spaces, quotes and a trailing column label (（人民时评）), or one title holds
the other (a kicker or subtitle printed on the title's line). Printed:
  item recall     gold items matched / gold items
  item precision  parser items matched / parser items (photos and untitled fragments the
                  gold does not list count against it)
  reporters       gold reporter names found in the matched item's reporters / gold names,
                  and parser reporter names that are in the gold / parser names
"""
from __future__ import annotations

import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("NMG_PROGRESS", "0")

import helpers  # noqa: E402

LABEL_TAIL = re.compile(r"[（(][^（）()]{1,12}[）)]\s*$")


def norm(title) -> str:
    t = LABEL_TAIL.sub("", str(title or ""))
    return re.sub(r"[\s“”‘’\"'『』「」《》·—\-：:，,。！？!?、]", "", t)


def same_title(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    return a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a))


def evaluate(pages: Path, gold_path: Path) -> dict:
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    gold = [g for g in gold if g.get("kind") != "label"]
    items = helpers.load_corpus(pages, cache=False)
    by_page = defaultdict(list)
    for row in items.itertuples():
        by_page[row.page].append(row)
    matched_pred, n_gold_matched = set(), 0
    names_gold = names_found = names_pred = names_pred_right = 0
    misses = []
    for g in gold:
        page = Path(g["file"]).stem
        cand = [r for r in by_page.get(page, []) if (r.page, r.item) not in matched_pred
                and same_title(r.title, g["title"])]
        gold_names = set(g.get("reporters") or [])
        names_gold += len(gold_names)
        if not cand:
            misses.append(f"{page}: {g['title']}")
            continue
        r = cand[0]
        matched_pred.add((r.page, r.item))
        n_gold_matched += 1
        pred_names = set(r.reporters)
        names_found += len(gold_names & pred_names)
        names_pred += len(pred_names)
        names_pred_right += len(gold_names & pred_names)
    n_pred = len(items)
    extra = [f"{r.page}: {r.kind} {r.title!r}" for r in items.itertuples()
             if (r.page, r.item) not in matched_pred]
    return {
        "pages": items["page"].nunique(), "gold_items": len(gold), "parser_items": n_pred,
        "item_recall": n_gold_matched / len(gold) if gold else float("nan"),
        "item_precision": len(matched_pred) / n_pred if n_pred else float("nan"),
        "reporter_recall": names_found / names_gold if names_gold else float("nan"),
        "reporter_precision": names_pred_right / names_pred if names_pred else float("nan"),
        "gold_names": names_gold, "misses": misses, "extra": extra,
    }


def main(argv: list[str]) -> int:
    if len(argv) < 2 or len(argv) % 2:
        print(__doc__)
        return 2
    verbose = os.environ.get("EVAL_VERBOSE") == "1"
    for pages, gold in zip(argv[::2], argv[1::2]):
        r = evaluate(Path(pages), Path(gold))
        print(f"{pages}: {r['pages']} pages, {r['gold_items']} gold items, "
              f"{r['parser_items']} parser items")
        print(f"  item recall {r['item_recall']:.2f}  item precision {r['item_precision']:.2f}  "
              f"reporter names: recall {r['reporter_recall']:.2f} precision "
              f"{r['reporter_precision']:.2f} (of {r['gold_names']})")
        if verbose:
            print("  missed:", *r["misses"], sep="\n    ")
            print("  not in gold:", *r["extra"], sep="\n    ")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
