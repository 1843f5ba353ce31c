"""Run every notebook top to bottom in a fresh kernel and write self-contained HTML reports.

    python scripts/render.py                      # corpus/ -> reports/
    python scripts/render.py --corpus /some/dir   # same notebooks, another corpus folder
    RENDER_CORPUS=/some/dir python scripts/render.py   # the same, as `make report` does it
    python scripts/render.py --check              # only check the corpus folder and list notebooks

Each notebooks/NN-name.ipynb is executed with papermill (parameter CORPUS_DIR injected as the
corpus folder relative to notebooks/, cwd = notebooks/) into reports/NN-name.ipynb, then
exported to reports/NN-name.html (cnpress.htmlreport: answer first, code folded, parameters
table, contents, embedded Chinese font, no absolute path). Charts go to reports/figures/.
reports/index.html lists every report with its title, answer, corpus and render time.

reports/ never mixes two corpora: reports.json records which corpus the reports came from;
rendering another corpus first deletes the reports (and charts) of the previous one, and a
notebook about to be rendered loses its old report first, so a failed render leaves it
missing and marked "failed" in the index, not stale. Committed notebooks are never written.
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cnpress.config import record_suffix  # noqa: E402  (light: pathlib only)

# papermill, nbconvert and the report module (matplotlib, fontTools) are imported where they
# are used: `render.py --check` and the errors about CORPUS come back at once.

NOTEBOOK_DIR = ROOT / "notebooks"
DEFAULT_CORPUS = ROOT / "corpus"
DEFAULT_OUT = ROOT / "reports"
KERNEL_NAME = "python3"
# `make report` hands the CORPUS value over in this environment variable, never on a command
# line a shell parses. Set but empty is an error, not "the current folder".
CORPUS_ENV = "RENDER_CORPUS"
MANIFEST = "reports.json"
# Notebooks are rendered in name order; NN- is the prefix of their chart files.
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
# Kernels inherit this: helpers' progress bars (loading many pages) stay out of the reports.
os.environ["NMG_PROGRESS"] = "0"
# Seconds one cell may run before the render is declared stuck.
CELL_TIMEOUT = 600
# Dates in page file names (2024-05-31, 20240531) give the corpus's date range when the
# items have no date column.
NAME_DATE_RE = re.compile(r"(?<!\d)(20\d\d|19\d\d)-?([01]\d)-?([0-3]\d)(?!\d)")


class NotebookFailed(RuntimeError):
    """A notebook raised while executing; the message names the notebook and the error."""


class CorpusUnusable(ValueError):
    """The corpus folder given cannot be rendered; the message says why and what to do."""


# ---- the corpus ---------------------------------------------------------------------------

def resolve_corpus(value) -> Path:
    """The corpus folder for ``value`` (a path or a string), checked before anything runs:
    not empty, existing, a folder, not the project itself, holding at least one file."""
    if value is None:
        value = DEFAULT_CORPUS
    if not str(value).strip():
        raise CorpusUnusable(
            "CORPUS is empty: name the folder of page files, e.g. `make report CORPUS=corpus` "
            "(leave CORPUS out to use corpus/)")
    folder = Path(value).expanduser()
    if not folder.exists():
        raise CorpusUnusable(f"corpus folder {str(value)!r} does not exist: check the path "
                             "(a relative path is taken from the folder you run in: the project folder under make)")
    if folder.is_file():
        if not record_suffix(folder):
            raise CorpusUnusable(
                f"{str(value)!r} is a file but not a records file (.jsonl, .jsonl.gz, .json, "
                ".csv, .parquet): CORPUS names a folder of page files or a records file")
        return folder.resolve()
    if not folder.is_dir():
        raise CorpusUnusable(f"{str(value)!r} is neither a folder nor a file: CORPUS names the "
                             "folder that holds the page files, or a records file")
    folder = folder.resolve()
    if folder == ROOT or folder in ROOT.parents:
        raise CorpusUnusable(f"{str(value)!r} is the project folder (or holds it), not a corpus: "
                             "name the folder of page files, e.g. CORPUS=corpus")
    if not any(p.is_file() and not p.name.startswith(".") for p in folder.iterdir()):
        raise CorpusUnusable(f"corpus folder {str(value)!r} holds no files: put the page .txt "
                             "files (or record files) there")
    return folder


def corpus_name(corpus_dir) -> str:
    """'corpus/' for a folder inside the project (its path relative to the project), else the
    folder's own name: never an absolute path."""
    corpus_dir = Path(corpus_dir).resolve()
    end = "" if corpus_dir.is_file() else "/"  # a records file is named as a file
    if corpus_dir.is_relative_to(ROOT):
        return corpus_dir.relative_to(ROOT).as_posix() + end
    return corpus_dir.name + end


def corpus_key(corpus_dir) -> str:
    """A fingerprint of the corpus: its folder and its files' names, sizes and times."""
    corpus_dir = Path(corpus_dir).resolve()
    h = hashlib.sha256(str(corpus_dir).encode("utf-8", "surrogateescape"))
    for p in sorted(corpus_dir.iterdir()) if corpus_dir.is_dir() else [corpus_dir]:
        if p.is_file():
            st = p.stat()
            h.update(f"\0{p.name}\0{st.st_size}\0{st.st_mtime_ns}".encode("utf-8",
                                                                         "surrogateescape"))
    return h.hexdigest()[:16]


def corpus_facts(corpus_dir) -> dict:
    """{name, pages, records, items, first_date, last_date} for the index: page files
    counted in the folder, items and dates from load_corpus (cached by then) when it loads,
    else dates from the page file names."""
    corpus_dir = Path(corpus_dir).resolve()
    files = ([p for p in corpus_dir.iterdir() if p.is_file()] if corpus_dir.is_dir()
             else [corpus_dir])
    pages = [p for p in files if p.suffix.lower() == ".txt"]
    facts = {"name": corpus_name(corpus_dir).rstrip("/"), "pages": len(pages),
             "is_file": corpus_dir.is_file()}
    dates = []
    try:
        from cnpress.items import load_corpus

        items = load_corpus(corpus_dir)
        facts["items"] = len(items)
        page_stems = {p.stem for p in pages}
        records = int((~items["page"].astype(str).isin(page_stems)).sum())
        if records:
            facts["records"] = records
        if "date" in items.columns:
            dates = [d.date().isoformat() for d in items["date"].dropna()]
    except Exception as err:  # noqa: BLE001 (facts are extras; the notebooks report load errors)
        print(f"  (corpus facts without the item table: {type(err).__name__}: {err})")
    if not dates:
        dates = ["-".join(m.groups()) for p in files if (m := NAME_DATE_RE.search(p.name))]
    if dates:
        facts["first_date"], facts["last_date"] = min(dates), max(dates)
    return facts


# ---- one notebook -------------------------------------------------------------------------

def execute_notebook(path, corpus_dir, out_dir):
    """Execute notebook `path` against `corpus_dir` in a fresh kernel; return the executed nb.

    CORPUS_DIR is injected as the corpus folder relative to the notebook's folder (the
    kernel's working directory, as in JupyterLab), so no absolute path enters the notebook.
    Charts go to out_dir/figures. The executed copy is written to out_dir/<name>.ipynb
    (never over the input). Raises NotebookFailed naming the notebook if any cell errors.
    """
    import papermill

    from cnpress.report import FIGURE_DIR_ENV, REPORT_DIR_ENV

    path, out_dir = Path(path).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    out_path = out_dir / path.name
    if out_path == path:
        raise ValueError(f"{path}: out_dir must differ from the notebook's folder")
    corpus_param = os.path.relpath(Path(corpus_dir).resolve(), path.parent)
    saved = {k: os.environ.get(k) for k in (FIGURE_DIR_ENV, REPORT_DIR_ENV)}
    os.environ[FIGURE_DIR_ENV] = str(out_dir / "figures")
    os.environ[REPORT_DIR_ENV] = str(out_dir)
    try:
        return papermill.execute_notebook(
            str(path), str(out_path),
            parameters={"CORPUS_DIR": corpus_param},
            cwd=str(path.parent), kernel_name=KERNEL_NAME, language="python",
            progress_bar=False, execution_timeout=CELL_TIMEOUT,
        )
    except papermill.PapermillExecutionError as err:
        raise NotebookFailed(
            f"{path.name} failed in cell {err.exec_count}: {err.ename}: {err.evalue} "
            f"(executed copy with the traceback: {out_path.name} in the output folder)"
        ) from err
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def corpus_line(facts: dict, rendered: str, seconds: float | None = None) -> str:
    """The HTML line under each report's answer: corpus facts and when it was rendered."""
    from cnpress import htmlreport
    from cnpress.htmlsafe import esc_html

    took = f" in {seconds:.0f} s" if seconds else ""
    return (f"<strong>Corpus:</strong> {esc_html(htmlreport.corpus_text(facts))} · "
            f"rendered {esc_html(rendered)}{took}")


def path_replacements(nb, corpus_dir):
    """The absolute paths to hide in executed notebook ``nb``'s report (see
    htmlreport.path_replacements), the corpus as the notebook saw it included."""
    from cnpress import htmlreport

    name = corpus_name(corpus_dir)
    replacements = htmlreport.path_replacements(corpus_dir, name, ROOT)
    injected = nb.metadata.get("papermill", {}).get("parameters", {}).get("CORPUS_DIR")
    if injected:  # the corpus as the notebook saw it, relative to notebooks/
        replacements = htmlreport.path_replacements(injected, name, ROOT) + replacements
    return replacements


def scrub_executed_copy(nb, path, corpus_dir):
    """Rewrite the executed copy at ``path`` without the machine's paths: papermill's
    metadata (input and output paths) and any path in the outputs (warnings name files)."""
    from cnpress import htmlreport

    meta = nb.metadata.get("papermill", {})
    for key in ("input_path", "output_path"):
        if meta.get(key):
            meta[key] = Path(meta[key]).name
    text = json.dumps(nb, ensure_ascii=False, indent=1)
    Path(path).write_text(htmlreport.scrub(text, path_replacements(nb, corpus_dir)) + "\n",
                          encoding="utf-8")


def to_html(nb, html_path, corpus_dir=None, facts=None, rendered=None, seconds=None):
    """Write executed notebook `nb` as one self-contained report (cnpress.htmlreport)."""
    from cnpress import htmlreport

    corpus_dir = Path(corpus_dir or DEFAULT_CORPUS)
    facts = facts or {"name": corpus_name(corpus_dir).rstrip("/")}
    rendered = rendered or dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    name = corpus_name(corpus_dir)
    replacements = path_replacements(nb, corpus_dir)

    def value_shown(row):
        return name if row["name"] == "CORPUS_DIR" else repr(row["value"])

    page = htmlreport.notebook_html(nb, corpus_line=corpus_line(facts, rendered, seconds),
                                    replacements=replacements, value_shown=value_shown)
    Path(html_path).write_text(page, encoding="utf-8")
    return Path(html_path)


# ---- all notebooks, the manifest and the index --------------------------------------------

def _load_manifest(out_dir) -> dict:
    try:
        return json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _remove_report(out_dir, stem):
    """Delete a notebook's report, executed copy and charts (figures/NN-*)."""
    out_dir = Path(out_dir)
    for p in (out_dir / f"{stem}.html", out_dir / f"{stem}.ipynb"):
        p.unlink(missing_ok=True)
    prefix = re.match(r"\d+-", stem)
    if prefix and (out_dir / "figures").is_dir():
        for p in (out_dir / "figures").glob(f"{prefix.group(0)}*"):
            p.unlink()


def write_index(manifest, out_dir, corpus_dir):
    """Write out_dir/index.html and out_dir/reports.json from the manifest."""
    from cnpress import htmlreport

    out_dir = Path(out_dir)
    entries = [manifest["reports"][k] for k in sorted(manifest["reports"])]
    replacements = htmlreport.path_replacements(corpus_dir, corpus_name(corpus_dir), ROOT)
    (out_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                    encoding="utf-8")
    path = out_dir / htmlreport.INDEX_NAME
    path.write_text(htmlreport.index_html(entries, replacements), encoding="utf-8")
    return path


def render_all(corpus_dir=None, out_dir=DEFAULT_OUT, notebooks=None):
    """Execute and export every notebook (sorted by name), keep going past a failing one,
    write the index. Returns the HTML paths written; raises NotebookFailed at the end if any
    notebook failed (the index marks it)."""
    from cnpress import htmlreport

    corpus_dir = resolve_corpus(corpus_dir)
    out_dir = Path(out_dir).resolve()
    if out_dir == corpus_dir or out_dir.is_relative_to(corpus_dir):
        raise CorpusUnusable(f"the output folder {out_dir.name}/ is inside the corpus folder: "
                             "the corpus is only read; choose another --out")
    all_notebooks = notebooks is None
    notebooks = sorted(Path(p).resolve() for p in (notebooks or NOTEBOOK_DIR.glob(NOTEBOOK_GLOB)))
    if not notebooks:
        raise NotebookFailed(f"no notebooks found in {NOTEBOOK_DIR.name}/")
    out_dir.mkdir(parents=True, exist_ok=True)
    key = corpus_key(corpus_dir)
    manifest = _load_manifest(out_dir)
    stems = {p.stem for p in notebooks}
    if manifest.get("corpus_key") != key:
        # Another corpus (or an unknown one): nothing of it may stay beside the new reports.
        for stem in set(manifest.get("reports", {})) | stems | {
                p.stem for p in NOTEBOOK_DIR.glob(NOTEBOOK_GLOB)}:
            _remove_report(out_dir, stem)
        for p in (out_dir / "figures").glob("*.*") if (out_dir / "figures").is_dir() else ():
            if p.suffix in (".png", ".csv"):
                p.unlink()
        manifest = {"reports": {}}
    elif all_notebooks:  # reports of notebooks that are gone
        for stem in set(manifest["reports"]) - stems:
            _remove_report(out_dir, stem)
            del manifest["reports"][stem]
    manifest["corpus_key"] = key
    for nb_path in notebooks:
        _remove_report(out_dir, nb_path.stem)
        manifest["reports"][nb_path.stem] = {
            "notebook": nb_path.name, "html": f"{nb_path.stem}.html", "status": "not rendered",
            "error": "not rendered yet, or the render stopped before it"}
    write_index(manifest, out_dir, corpus_dir)

    facts, written, failures = None, [], []
    for nb_path in notebooks:
        print(f"running {nb_path.name} on {corpus_name(corpus_dir)} ...", flush=True)
        entry = manifest["reports"][nb_path.stem]
        start = time.monotonic()
        try:
            nb = execute_notebook(nb_path, corpus_dir, out_dir)
            seconds = time.monotonic() - start
            facts = facts or corpus_facts(corpus_dir)
            rendered = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
            html_path = to_html(nb, out_dir / f"{nb_path.stem}.html", corpus_dir, facts,
                                rendered, seconds)
            scrub_executed_copy(nb, out_dir / nb_path.name, corpus_dir)
            prepared_title = htmlreport.prepare(nb)[2]
            entry.update(status="ok", error=None, title=prepared_title,
                         answer=htmlreport.answer_markdown(nb), corpus=facts,
                         rendered=rendered, seconds=round(seconds, 1))
            written.append(html_path)
            print(f"  wrote {html_path.name} ({html_path.stat().st_size / 1e6:.2f} MB, "
                  f"{seconds:.0f} s)")
        except NotebookFailed as err:
            _remove_report(out_dir, nb_path.stem)
            entry.update(status="failed", error=str(err))
            failures.append(str(err))
            print(f"  FAILED: {err}", file=sys.stderr)
        write_index(manifest, out_dir, corpus_dir)
    print(f"index: {out_dir.name}/{htmlreport.INDEX_NAME}")
    if failures:
        raise NotebookFailed("; ".join(failures))
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=None,
                        help=f"folder of page files, or a records file (default: ${CORPUS_ENV}, else corpus/)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: reports/)")
    parser.add_argument("--check", action="store_true",
                        help="check the corpus folder and list the notebooks; run nothing")
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: notebooks/NN-*.ipynb)")
    args = parser.parse_args(argv)
    corpus = args.corpus if args.corpus is not None else os.environ.get(CORPUS_ENV)
    try:
        folder = resolve_corpus(corpus)
        if args.check:
            n = sum(1 for p in folder.iterdir() if p.is_file()) if folder.is_dir() else 1
            names = [Path(p).name for p in args.notebooks] or \
                [p.name for p in sorted(NOTEBOOK_DIR.glob(NOTEBOOK_GLOB))]
            print(f"corpus: {folder.name} ({n} files)")
            print("notebooks: " + ", ".join(names))
            return 0
        render_all(folder, args.out, [Path(p) for p in args.notebooks] or None)
    except CorpusUnusable as err:
        print(f"render: {err}", file=sys.stderr)
        return 2
    except NotebookFailed as err:
        print(f"render failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
