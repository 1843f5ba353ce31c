"""Run every notebook top to bottom in a fresh kernel and write self-contained HTML reports.

    python scripts/render.py                      # corpus/ -> reports/
    python scripts/render.py --corpus /some/dir   # same notebooks, another corpus folder

Each notebooks/NN-name.ipynb is executed with papermill (parameter CORPUS_DIR injected as an
absolute path, cwd = notebooks/) into reports/NN-name.ipynb, then exported to
reports/NN-name.html with images embedded and no CDN scripts, so the file opens offline.
reports/index.html lists every report with its title and summary, the corpus and the date.
Committed notebooks are never overwritten: executed copies live only under reports/.
"""

import argparse
import datetime as dt
import html
import os
import re
import sys
from pathlib import Path

import mistune  # nbconvert's own Markdown renderer
import papermill
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
DEFAULT_CORPUS = ROOT / "corpus"
DEFAULT_OUT = ROOT / "reports"
KERNEL_NAME = "python3"
# A code cell tagged "answer" shows the notebook's one-line answer (computed from the data) right
# under its title: its code is hidden in the HTML and its text is the report's summary in the
# index. Cells tagged "remove_input" also show only their output.
ANSWER_TAG = "answer"
HIDE_INPUT_TAGS = {ANSWER_TAG, "remove_input"}
# Kernels inherit this: helpers' progress bars (loading many pages) stay out of the reports.
os.environ["NMG_PROGRESS"] = "0"
# Seconds one cell may run before the render is declared stuck.
CELL_TIMEOUT = 600

# JupyterLab's HTML template loads require.js, MathJax and mermaid from cdnjs. Reports must
# open offline and not phone home, so those three blocks are emptied. (Side effect: LaTeX
# in markdown shows as source, which this project does not use.)
OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


# The answer line is Markdown (**Answer:** …, `corpus/`); raw HTML in it is escaped.
MARKDOWN = mistune.create_markdown(escape=True)


class NotebookFailed(RuntimeError):
    """A notebook raised while executing; the message names the notebook and the error."""


def execute_notebook(path, corpus_dir, out_dir):
    """Execute notebook `path` against `corpus_dir` in a fresh kernel; return the executed nb.

    The executed copy is written to out_dir/<name>.ipynb (never over the input). The kernel's
    working directory is the notebook's own folder, so relative paths behave as in JupyterLab.
    Raises NotebookFailed naming the notebook if any cell errors.
    """
    path, out_dir = Path(path).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    out_path = out_dir / path.name
    if out_path == path:
        raise ValueError(f"{path}: out_dir must differ from the notebook's folder")
    try:
        return papermill.execute_notebook(
            str(path), str(out_path),
            parameters={"CORPUS_DIR": str(Path(corpus_dir).resolve())},
            cwd=str(path.parent), kernel_name=KERNEL_NAME, language="python",
            progress_bar=False, execution_timeout=CELL_TIMEOUT,
        )
    except papermill.PapermillExecutionError as err:
        raise NotebookFailed(
            f"{path.name} failed in cell {err.exec_count}: {err.ename}: {err.evalue} "
            f"(executed copy with the traceback: {out_path})"
        ) from err


def to_html(nb, html_path):
    """Write executed notebook `nb` as one self-contained HTML file (images as data URIs)."""
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"offline.html.j2": OFFLINE_TEMPLATE})],
        template_file="offline.html.j2",
        embed_images=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags=HIDE_INPUT_TAGS, enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    Path(html_path).write_text(body, encoding="utf-8")
    return Path(html_path)


def answer_text(nb):
    """The Markdown shown by the executed cell tagged ``answer`` (the notebook's one-line
    answer, computed from the data), or '' if there is none."""
    for cell in nb.cells:
        if cell.cell_type == "code" and ANSWER_TAG in cell.get("metadata", {}).get("tags", []):
            for out in cell.get("outputs", []):
                text = out.get("data", {}).get("text/markdown")
                if text:
                    return text.strip()
    return ""


def title_and_summary(nb):
    """(H1 title, summary): the executed answer cell's text if there is one, else the first
    paragraph after the H1 of the first markdown cell."""
    first_md = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    title_match = re.search(r"^#\s+(.+)$", first_md, flags=re.M)
    title = title_match.group(1).strip() if title_match else ""
    rest = first_md[title_match.end():] if title_match else first_md
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", rest) if p.strip()]
    return title, (answer_text(nb) or (paragraphs[0] if paragraphs else ""))


def write_index(entries, corpus_dir, out_dir, when=None):
    """Write out_dir/index.html: one line per report (link, title, summary), corpus and date.

    `entries` is a list of (html file name, title, summary).
    """
    when = when or dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    items = "\n".join(
        f'<li><a href="{html.escape(name)}">{html.escape(title or name)}</a>'
        f"{MARKDOWN(summary)}</li>"
        for name, title, summary in entries
    )
    page = f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>Reports</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}}
li{{margin-bottom:1em}} li p{{margin:.2em 0;color:#444}}</style></head>
<body><h1>Reports</h1>
<p>Corpus: <code>{html.escape(str(corpus_dir))}</code> &middot; rendered {html.escape(when)}</p>
<ul>
{items}
</ul></body></html>
"""
    path = Path(out_dir) / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def describe_corpus(corpus_dir):
    """'corpus/ (5 pages)': the folder relative to the project when inside it, and its size."""
    corpus_dir = Path(corpus_dir).resolve()
    shown = corpus_dir.relative_to(ROOT) if corpus_dir.is_relative_to(ROOT) else corpus_dir
    return f"{shown}/ ({len(list(corpus_dir.glob('*.txt')))} pages)"


def render_all(corpus_dir=DEFAULT_CORPUS, out_dir=DEFAULT_OUT, notebooks=None):
    """Execute and export every notebook (sorted by name); write the index. Returns HTML paths."""
    corpus_dir, out_dir = Path(corpus_dir).resolve(), Path(out_dir).resolve()
    if not corpus_dir.is_dir():
        raise NotebookFailed(f"corpus folder {corpus_dir} does not exist")
    notebooks = sorted(notebooks or NOTEBOOK_DIR.glob("*.ipynb"))
    if not notebooks:
        raise NotebookFailed(f"no notebooks found in {NOTEBOOK_DIR}")
    entries, written = [], []
    for nb_path in notebooks:
        print(f"running {nb_path.name} on {corpus_dir} ...", flush=True)
        nb = execute_notebook(nb_path, corpus_dir, out_dir)
        html_path = to_html(nb, out_dir / f"{Path(nb_path).stem}.html")
        entries.append((html_path.name, *title_and_summary(nb)))
        written.append(html_path)
        print(f"  wrote {html_path}")
    index = write_index(entries, describe_corpus(corpus_dir), out_dir)
    print(f"index: {index}")
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS),
                        help="folder of page .txt files (default: corpus/)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: reports/)")
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: notebooks/*.ipynb)")
    args = parser.parse_args(argv)
    try:
        render_all(args.corpus, args.out, [Path(p) for p in args.notebooks] or None)
    except NotebookFailed as err:
        print(f"render failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
