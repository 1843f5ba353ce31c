"""Benchmark: the same text as one page or as many pages (issue 16: the page rules must be
close to linear in a page's size).

    .venv/bin/python bench/page_size.py              # 300 pages of bench/out/corpus-20mb
    .venv/bin/python bench/page_size.py --pages 1145 # all of them (~20 MB as one page)

Takes the first N pages of bench/out/corpus-20mb (made by ``bench/run.py --make-only 20``),
writes them as N files and as one file (their texts joined by blank lines) under
bench/out/page-size/, and prints the CPU seconds of the page rules (``parse_page``) and of
``load_corpus(cache=False)`` in one process (NMG_WORKERS=1: both cases on one core) for
each, and their ratio. Printed, never asserted: machines are noisy.
"""
import argparse
import os
import shutil
import sys
import time
from pathlib import Path

os.environ["NMG_WORKERS"] = "1"
os.environ.setdefault("NMG_PROGRESS", "0")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cnpress import items, reading, structure  # noqa: E402


def cpu(func):
    """CPU seconds of func(), best of two runs."""
    best = float("inf")
    for _ in range(2):
        t = time.process_time()
        func()
        best = min(best, time.process_time() - t)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300)
    args = ap.parse_args()
    source = ROOT / "bench" / "out" / "corpus-20mb"
    if not source.is_dir():
        sys.exit(f"{source} is missing: run .venv/bin/python bench/run.py --make-only 20 first")
    paths = sorted(source.glob("*.txt"))[: args.pages]
    texts = [reading.read_page(p)[0] for p in paths]
    out = ROOT / "bench" / "out" / "page-size"
    shutil.rmtree(out, ignore_errors=True)
    many, one = out / "many", out / "one"
    many.mkdir(parents=True)
    one.mkdir()
    for p in paths:
        shutil.copyfile(p, many / p.name)
    big = "\n\n".join(texts)
    (one / "one.txt").write_text(big, encoding="utf-8")
    mb = len(big.encode("utf-8")) / 1e6
    structure.parse_page(texts[0])  # lexicon, regexes
    rules_many = cpu(lambda: [structure.parse_page(t) for t in texts])
    rules_one = cpu(lambda: structure.parse_page(big))
    load_many = cpu(lambda: items.load_corpus(many, cache=False))
    load_one = cpu(lambda: items.load_corpus(one, cache=False))
    print(f"{len(paths)} pages, {mb:.1f} MB of text; CPU seconds, best of 2, one process")
    print(f"{'':24}{'as ' + str(len(paths)) + ' pages':>14}{'as one page':>14}{'ratio':>8}")
    print(f"{'page rules (parse_page)':24}{rules_many:14.2f}{rules_one:14.2f}{rules_one / rules_many:7.2f}x")
    print(f"{'load_corpus, no cache':24}{load_many:14.2f}{load_one:14.2f}{load_one / load_many:7.2f}x")


if __name__ == "__main__":
    main()
