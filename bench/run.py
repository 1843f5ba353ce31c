"""Benchmark: the whole pipeline on a scaled corpus, against bare jieba on the same text.

    .venv/bin/python bench/run.py                 # 20 MB and 100 MB (make bench)
    .venv/bin/python bench/run.py --sizes 20      # one size
    .venv/bin/python bench/run.py --repeat 1      # one round per size (default 3)
    .venv/bin/python bench/run.py --make-only 20  # only write bench/out/corpus-20mb/
    .venv/bin/python bench/run.py --sizes --records ../shared/data/xwlb/xwlb_2022-2026.jsonl.gz
                                                  # a records file (article records) only

A scaled corpus is made from the five pages in corpus/ (read-only): each copy is one page with
the order of its body paragraphs shuffled within each run of consecutive body paragraphs
(titles, bylines and headers stay in place), so no two page files are identical and the
structure the parser looks for is kept. It is written to bench/out/corpus-<N>mb/ (git-ignored;
delete at will). Sizes are MB (10^6 bytes) of UTF-8 page text.

Timed steps, each on the whole scaled corpus, in a fresh subprocess:
  load    helpers.load_corpus(path) on an empty cache: read + parse + clean + tokenize every
          item and find its places and quotes, with the worker processes load_corpus
          chooses, and write the cache (what the first notebook run on a new corpus pays)
  places  helpers.place_mentions(items)
  slogans helpers.mine_slogans(items) (which runs slogan_occurrences)
  cached  helpers.load_corpus(path) again, served from the cache (what a notebook re-run
          on an unchanged corpus pays)
  jieba   bare jieba.lcut(text) (default dictionary, HMM on, as jieba's default) over every
          page's text, in its own subprocess so its memory is measured alone

--repeat N (default 3) runs N rounds of (pipeline, jieba), alternating so both see the same
machine, and reports the fastest of each (as timeit does: slower rounds measure the other
work on a shared machine, not the code) and every round's ratio.

Peak memory is resource.getrusage ru_maxrss (resident set high-water mark, Linux KiB): for the
pipeline the larger of its process and its largest worker process, for jieba its subprocess.
Speed is printed, never asserted: machines are noisy.
"""

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SEED = 20240601  # fixed so a corpus of a given size is the same on every run
# A body paragraph: long enough not to be a title or byline, ends a sentence.
BODY_RE = re.compile(r"^[^□◎■●▲].{40,}[。！？”）]$", re.S)

sys.path.insert(0, str(ROOT))


def _shuffled(page: str, rng: random.Random) -> str:
    """The page with each run of consecutive body paragraphs shuffled in place."""
    blocks = page.split("\n\n")
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and BODY_RE.match(blocks[j].strip()):
            j += 1
        if j - i > 1:
            run = blocks[i:j]
            rng.shuffle(run)
            blocks[i:j] = run
        i = max(j, i + 1)
    return "\n\n".join(blocks)


def make_corpus(size_mb: float, out: Path | None = None) -> Path:
    """Write (once) a folder of page files totalling about size_mb MB of UTF-8 text."""
    out = out or OUT / f"corpus-{size_mb:g}mb"
    target = int(size_mb * 1e6)
    if out.is_dir() and sum(p.stat().st_size for p in out.glob("*.txt")) >= target:
        return out
    out.mkdir(parents=True, exist_ok=True)
    for p in out.glob("*.txt"):
        p.unlink()
    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    rng = random.Random(SEED)
    total, n = 0, 0
    while total < target:
        text = _shuffled(pages[n % len(pages)], rng)
        (out / f"{n:05d}_{n % len(pages)}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
        n += 1
    return out


def _maxrss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def corpus_texts(target: str) -> list[str]:
    """The texts bare jieba cuts: every page file's text, or every record's title + text."""
    path = Path(target)
    if path.is_dir():
        return [p.read_text(encoding="utf-8") for p in sorted(path.glob("*.txt"))]
    from cnpress.records import read_records

    table = read_records(path)
    return [f"{t}\n{x}" for t, x in zip(table["title"], table["text"])]


def bare_jieba(folder: str) -> dict:
    """Run in a subprocess: jieba.lcut over every page's (or record's) text; seconds and
    peak memory."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = corpus_texts(folder)
    t0 = time.perf_counter()
    n = 0
    for t in texts:
        n += len(jieba.lcut(t))
    return {"seconds": time.perf_counter() - t0, "tokens": n, "peak_mb": _maxrss_mb()}


def pipeline(folder: str) -> dict:
    """Run in a subprocess: the pipeline on an empty cache, then a reload from the cache."""
    import helpers

    from cnpress import quotes, segment

    helpers.clear_cache()
    helpers.segment("预热")  # build the tokenizers outside the timings (a one-off ~3 s)
    segment.plain_segmenter().lcut("预热")
    quotes._jieba_dictionary()
    seconds = {}
    t0 = time.perf_counter()
    items = helpers.load_corpus(folder)  # cold cache: parses everything, writes the cache
    seconds["load (read+parse+clean+tokenize)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    places = helpers.place_mentions(items)
    seconds["place_mentions"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    slogans = helpers.mine_slogans(items)
    seconds["mine_slogans"] = time.perf_counter() - t0
    peak = max(_maxrss_mb(), _maxrss_mb(resource.RUSAGE_CHILDREN))
    t0 = time.perf_counter()
    again = helpers.load_corpus(folder)  # served from the cache
    cache_read = time.perf_counter() - t0
    assert again["text"].equals(items["text"])
    return {"seconds": seconds, "peak_mb": peak, "cache_second_load_s": cache_read,
            "items": len(items), "tokens": int(helpers.tokens(items).map(len).sum()),
            "place_mentions": len(places), "slogans": len(slogans),
            "workers": helpers.load_workers(len(helpers.list_pages(folder)) if Path(folder).is_dir()
                                            else len(items), min_pages=64 if Path(folder).is_dir() else 2000)}


def _subprocess(flag: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, flag, str(folder)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(size_mb: float | None, repeat: int = 3, skip_jieba: bool = False, records=None) -> dict:
    """``repeat`` rounds of (pipeline, bare jieba), each in a fresh subprocess; the figures
    of the fastest round of each, and every round's ratio. ``records``: a records file to
    time instead of a scaled page corpus (its size is the UTF-8 bytes of titles + texts)."""
    if records is not None:
        folder = Path(records)
        pages = [folder]
        mb = sum(len(t.encode("utf-8")) for t in corpus_texts(str(folder))) / 1e6
    else:
        folder = make_corpus(size_mb)
        pages = sorted(folder.glob("*.txt"))
        mb = sum(p.stat().st_size for p in pages) / 1e6
    rounds, jiebas = [], []
    for _ in range(repeat):
        rounds.append(_subprocess("--pipeline", folder))
        if not skip_jieba:
            jiebas.append(_subprocess("--bare-jieba", folder))
    for r in rounds:
        r["end_to_end_s"] = sum(r["seconds"].values())
    best = min(rounds, key=lambda r: r["end_to_end_s"])
    timings, end_to_end = best["seconds"], best["end_to_end_s"]
    result = {
        "size_mb": round(mb, 1), "pages": len(pages), "repeat": repeat,
        "corpus": folder.name,
        **{k: best[k] for k in ("items", "tokens", "place_mentions", "slogans", "workers")},
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "mb_per_s": {k: round(mb / v, 2) for k, v in timings.items()},
        "end_to_end_s": round(end_to_end, 2), "end_to_end_mb_per_s": round(mb / end_to_end, 2),
        "rounds_end_to_end_s": [round(r["end_to_end_s"], 2) for r in rounds],
        "peak_mb": round(max(r["peak_mb"] for r in rounds)),
        "memory_budget_mb": round(3 * mb + 1024),
        "cache_second_load_s": round(min(r["cache_second_load_s"] for r in rounds), 2),
    }
    result["cache_speedup"] = round(timings["load (read+parse+clean+tokenize)"]
                                    / result["cache_second_load_s"], 1)
    if jiebas:
        jb = min(jiebas, key=lambda j: j["seconds"])
        result["bare_jieba_s"] = round(jb["seconds"], 2)
        result["bare_jieba_mb_per_s"] = round(mb / jb["seconds"], 2)
        result["bare_jieba_peak_mb"] = round(jb["peak_mb"])
        result["rounds_bare_jieba_s"] = [round(j["seconds"], 2) for j in jiebas]
        result["rounds_ratio"] = [round(j["seconds"] / r["end_to_end_s"], 1)
                                  for r, j in zip(rounds, jiebas)]
        result["ratio_end_to_end_over_jieba"] = round(jb["seconds"] / end_to_end, 1)
    result["load_average_1min"] = round(os.getloadavg()[0], 1)  # other work on the machine
    return result


def report(r: dict) -> None:
    print(f"\n== {r['corpus']}, {r['size_mb']} MB: {r['pages']} files, {r['items']} items, "
          f"{r['tokens']} tokens, {r['place_mentions']} place mentions, {r['slogans']} slogans "
          f"({r['workers']} worker processes; fastest of {r['repeat']} rounds) ==")
    for step, s in r["seconds"].items():
        print(f"  {step:36s} {s:8.2f} s  {r['mb_per_s'][step]:8.2f} MB/s")
    print(f"  {'end to end':36s} {r['end_to_end_s']:8.2f} s  {r['end_to_end_mb_per_s']:8.2f} MB/s")
    if "bare_jieba_s" in r:
        print(f"  {'bare jieba.lcut (subprocess)':36s} {r['bare_jieba_s']:8.2f} s  "
              f"{r['bare_jieba_mb_per_s']:8.2f} MB/s")
        print(f"  end-to-end speed / bare jieba speed: {r['ratio_end_to_end_over_jieba']}x "
              f"(fastest against fastest)")
        print(f"  each round: end to end {r['rounds_end_to_end_s']} s, bare jieba "
              f"{r['rounds_bare_jieba_s']} s, ratio {r['rounds_ratio']}")
    print(f"  peak memory (ru_maxrss) pipeline: {r['peak_mb']} MB "
          f"(budget 3 x text + 1 GB = {r['memory_budget_mb']} MB)"
          + (f"; bare jieba: {r['bare_jieba_peak_mb']} MB" if "bare_jieba_peak_mb" in r else ""))
    print(f"  cores: {os.cpu_count()}, load average at the end: {r['load_average_1min']}")
    print(f"  load_corpus again, from the cache: {r['cache_second_load_s']} s "
          f"({r['cache_speedup']}x faster than the first load)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=float, nargs="*", default=[20, 100], help="MB of text")
    ap.add_argument("--records", type=Path, nargs="*", default=[],
                    help="records files (.jsonl.gz …) to time as well; missing ones are skipped")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of (pipeline, bare jieba) per size; the fastest of each counts")
    ap.add_argument("--skip-jieba", action="store_true", help="do not time bare jieba")
    ap.add_argument("--make-only", type=float, metavar="MB", help="only write a scaled corpus")
    ap.add_argument("--bare-jieba", metavar="DIR", help=argparse.SUPPRESS)
    ap.add_argument("--pipeline", metavar="DIR", help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)
    if args.bare_jieba:
        print(json.dumps(bare_jieba(args.bare_jieba)))
        return 0
    if args.make_only:
        print(make_corpus(args.make_only))
        return 0
    os.environ.setdefault("NMG_PROGRESS", "0")
    if args.pipeline:
        print(json.dumps(pipeline(args.pipeline)))
        return 0
    results = []
    for size in args.sizes:
        results.append(run(size, args.repeat, args.skip_jieba))
        report(results[-1])
    for path in args.records:
        if not path.is_file():
            print(f"\n== {path}: not found, skipped ==")
            continue
        results.append(run(None, args.repeat, args.skip_jieba, records=path))
        report(results[-1])
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
