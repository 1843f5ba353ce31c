"""Parallel work and progress: worker processes (forked, one per core, order kept), the
progress bar, and pausing the garbage collector around work on many long-lived objects."""
from __future__ import annotations

import functools
import gc
import os
import signal
import sys

# Below this many pages to parse, load_corpus works in this process and shows no progress
# bar: starting workers costs more than it saves on a handful of pages.
PARALLEL_MIN_PAGES = 64
PAGES_PER_TASK = 16  # pages sent to a worker at a time (fewer round trips)
# Analyses of many items (place_mentions, slogan_occurrences) run in worker processes too.
PARALLEL_MIN_ITEMS = 2000  # below this many items, in this process (a fork costs ~0.1 s)
ITEMS_PER_TASK = 200
# The environment variable that sets the number of worker processes (default: one per
# available core); NMG_WORKERS=1 keeps everything in one process.
WORKERS_ENV = "NMG_WORKERS"
_SHARED = None  # what forked workers of map_chunks read (set just before they start)


def available_cores() -> int:
    """Cores this process may run on, or NMG_WORKERS when the environment sets it."""
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    if wanted:
        try:
            return max(1, int(wanted))
        except ValueError:
            raise ValueError(f"{WORKERS_ENV}={wanted!r} is not a whole number of processes")
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def load_workers(n_pages: int, min_pages: int = PARALLEL_MIN_PAGES) -> int:
    """How many processes work on ``n_pages`` pages: 1 below ``min_pages``, else one per
    available core (:func:`available_cores`), never more than there are pages."""
    if n_pages < min_pages:
        return 1
    return max(1, min(available_cores(), n_pages))


def _die_with_parent(parent: int) -> None:
    """Worker initializer: ask Linux to end this worker when its parent dies (a killed
    notebook kernel must not leave ~300 MB workers behind); elsewhere a no-op."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def process_pool(workers: int):
    """A ProcessPoolExecutor of forked workers that die with this process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_die_with_parent,
                               initargs=(os.getpid(),))


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def progress(iterable, total: int, desc: str, unit: str = "page", minimum: int | None = None):
    """``iterable`` wrapped in a tqdm progress bar on stderr (``iterable=None``: a bar moved
    by ``bar.update(k)``), for at least ``minimum`` units (default PARALLEL_MIN_PAGES pages
    or PARALLEL_MIN_ITEMS items); silent when the environment sets NMG_PROGRESS=0
    (scripts/render.py and the tests do, so reports and test logs stay clean)."""
    from tqdm.std import tqdm

    if minimum is None:
        minimum = PARALLEL_MIN_PAGES if unit == "page" else PARALLEL_MIN_ITEMS
    off = os.environ.get("NMG_PROGRESS") == "0" or total < minimum
    return tqdm(iterable, total=total, desc=desc, unit=unit, disable=off, file=sys.stderr,
                mininterval=1.0, leave=False)


def _chunk_task(job):
    func, start, stop = job
    return func(_SHARED, start, stop)


def each_text(shared, start, stop):
    """A map_chunks task: ``func(text)`` for texts[start:stop], ``shared = (func, texts)``."""
    func, texts = shared
    return [func(text) for text in texts[start:stop]]


def map_chunks(func, shared, n, desc):
    """``func(shared, start, stop)`` over consecutive ranges covering ``range(n)``, each
    returning a list; the lists joined in order.

    With at least PARALLEL_MIN_ITEMS items and more than one core, the ranges run in
    forked worker processes, which inherit ``shared`` (nothing is pickled to them, only
    their results back); elsewhere (one core, a platform without fork) in this process.
    ``func`` must be a module-level function. A progress bar counts the items (see
    :func:`progress`)."""
    workers = load_workers(n, min_pages=PARALLEL_MIN_ITEMS)
    if workers == 1 or not can_fork():
        return func(shared, 0, n)
    global _SHARED
    _SHARED = shared
    jobs = [(func, i, min(i + ITEMS_PER_TASK, n)) for i in range(0, n, ITEMS_PER_TASK)]
    out = []
    try:
        with process_pool(workers) as pool:
            bar = progress(None, n, f"{desc} ({workers} processes)", unit="item")
            for (_, start, stop), part in zip(jobs, pool.map(_chunk_task, jobs)):
                out += part
                bar.update(stop - start)
            bar.close()
    finally:
        _SHARED = None
    return out


def gc_paused(func):
    """``func`` with Python's cyclic garbage collector paused while it runs (reference
    counting still frees everything at once). Loading and analysing a corpus creates millions
    of small objects that live on (rows, tuples, lists), and each full collection walked
    them all again: on 20 MB, pausing it cut the main process's load time by a third and the
    reload from the cache by half. Worker processes forked meanwhile inherit the pause."""
    @functools.wraps(func)
    def paused(*args, **kwargs):
        if not gc.isenabled():  # already paused by the caller
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()
    return paused
