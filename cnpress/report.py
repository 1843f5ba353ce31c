"""Report widgets for the notebooks: prose from data, chart labels, charts saved and shown with
their data, filterable tables. Every corpus string goes through :mod:`cnpress.htmlsafe`."""
from __future__ import annotations

import base64
import io
import os
import re
from pathlib import Path

import pandas as pd

from . import config
from .htmlsafe import esc, esc_html, render_markdown

# scripts/render.py points these at the report folder it writes: the charts go to
# <report folder>/figures and the links under each chart are relative to the report.
FIGURE_DIR_ENV = "CNPRESS_FIGURE_DIR"
REPORT_DIR_ENV = "CNPRESS_REPORT_DIR"
# Charts are saved at 150 dpi and shown in the page at the inline backend's 110 dpi.
SAVE_DPI = 150
SHOW_DPI = 110


def md(text: str) -> None:
    """Show Markdown ``text`` in the notebook: prose whose numbers come from the data.

    Safe by default: the Markdown is turned into HTML by :func:`~cnpress.htmlsafe.render_markdown`,
    so raw HTML in it is shown as text and a ``javascript:`` link becomes '#'. Put corpus
    strings through :func:`~cnpress.htmlsafe.esc` (``helpers.esc``) as well, so that their
    ``*``, ``[`` or ``_`` show as characters, not as formatting. The Markdown source travels
    in the output's metadata (``cnpress.markdown``): scripts/render.py reads the answer there.
    """
    from IPython.display import display

    display({"text/html": render_markdown(text), "text/plain": text}, raw=True,
            metadata={"cnpress": {"markdown": text}})


def n_label(df: pd.DataFrame) -> str:
    """'N = 47 items, 5 pages' for chart titles; 'N = 16,827 items (records)' for article
    records (one item per page id, each item 0)."""
    n_pages = df["page"].nunique()
    if len(df) > 1 and n_pages == len(df) and (df["item"] == 0).all():
        return f"N = {len(df):,} items (records)"
    return f"N = {len(df):,} items, {n_pages:,} pages"


def page_labels(pages, min_chars: int = 3) -> dict:
    """Short labels for page names in charts and tables: the shortest prefix, at least
    ``min_chars`` long, that still tells every page apart ('000' for 000_内蒙古日报_…_初心如磐
    on the sample corpus; the full names when no prefix does)."""
    names = sorted(set(map(str, pages)))
    for n in range(min_chars, max(map(len, names), default=0) + 1):
        if len({s[:n] for s in names}) == len(names):
            return {s: s[:n] for s in names}
    return {s: s for s in names}


def corpus_label(path=None) -> str:
    """Which corpus a notebook ran on, as Markdown: folder name (escaped) and its size,
    'corpus/ (5 pages)'; a folder without .txt pages is counted in files; a records file
    is named with its size."""
    folder = Path(path) if path is not None else config.CORPUS_DIR
    if folder.is_file():  # a records file: its name and its size
        return f"{esc(folder.name)} (records, {folder.stat().st_size / 1e6:.1f} MB)"
    files = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    pages = [p for p in files if p.suffix.lower() == ".txt"]
    size = f"{len(pages)} pages" if pages else f"{len(files)} files"
    return f"{esc(folder.resolve().name)}/ ({size})"


# ---- charts -------------------------------------------------------------------------------

def figure_dir(folder=None) -> Path:
    """Where charts are saved: ``folder``, else $CNPRESS_FIGURE_DIR, else reports/figures."""
    if folder is not None:
        return Path(folder)
    return Path(os.environ.get(FIGURE_DIR_ENV) or config.FIGURE_DIR)


def chart_title(fig) -> str:
    """The chart's title for alt text: the figure's suptitle, else the titles of its first
    titled axes (left, centre, right joined), line breaks as '; '."""
    texts = []
    if getattr(fig, "_suptitle", None) is not None and fig._suptitle.get_text().strip():
        texts = [fig._suptitle.get_text()]
    else:
        for ax in fig.axes:
            texts = [t for t in (ax.get_title(loc) for loc in ("left", "center", "right"))
                     if t.strip()]
            if texts:
                break
    return re.sub(r"\s*\n\s*", "; ", " ".join(texts)).strip()


def _link_base() -> Path:
    """The folder chart links are relative to: the report's (set by render.py) or the
    notebook's working directory (JupyterLab)."""
    return Path(os.environ.get(REPORT_DIR_ENV) or os.getcwd())


def export_chart(fig, data: pd.DataFrame, name: str, folder=None, show: bool = True) -> Path:
    """Save a chart as PNG and the DataFrame it was drawn from as CSV (UTF-8 with BOM so
    Excel opens the Chinese) under :func:`figure_dir`; return the PNG path.

    With ``show`` (the default) the chart is displayed here, with its title as alt text,
    followed by links to the PNG and the CSV; the figure is then closed, so the
    ``plt.show()`` that usually follows adds nothing. A figure already shown (closed) only
    gets the links.
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    folder = figure_dir(folder)
    folder.mkdir(parents=True, exist_ok=True)
    png, csv = folder / f"{name}.png", folder / f"{name}.csv"
    fig.savefig(png, dpi=SAVE_DPI, bbox_inches="tight")
    data.to_csv(csv, encoding="utf-8-sig")
    if not show:
        return png
    title = chart_title(fig) or name
    if plt.fignum_exists(fig.number):
        shown = io.BytesIO()  # the page gets a lighter copy than the 150 dpi file
        fig.savefig(shown, format="png", dpi=SHOW_DPI, bbox_inches="tight")
        display({"image/png": base64.b64encode(shown.getvalue()).decode("ascii"),
                 "text/plain": title}, raw=True, metadata={"image/png": {"alt": title}})
        plt.close(fig)
    base = _link_base()
    links = [(kind, Path(os.path.relpath(path.resolve(), base.resolve())).as_posix())
             for kind, path in (("PNG", png), ("CSV", csv))]
    display({"text/html": '<p class="chart-files">Chart files: ' + " · ".join(
                f'<a href="{esc_html(href)}">{kind}</a>' for kind, href in links) + "</p>",
             "text/plain": "Chart files: " + ", ".join(href for _, href in links)},
            raw=True, metadata={"cnpress": {"chart": name, "title": title}})
    return png


# ---- tables -------------------------------------------------------------------------------

# Numbers the tables of one kernel session so that each filter finds its own table
# (deterministic, unlike random ids, so re-rendering gives the same HTML).
_TABLE_IDS = iter(range(1, 10**9))

# Filters the rows of table TID: the box above the table and one box per column (added by
# this script, so a page without JavaScript shows no dead boxes). Each box takes words
# separated by spaces that must ALL occur (case-insensitive substring); a word written
# =word must equal the whole cell. Plain JavaScript, no library, works offline.
_FILTER_JS = r"""(function () {
  var wrap = document.getElementById("TID-wrap"), table = document.getElementById("TID");
  var box = document.getElementById("TID-q"), n = document.getElementById("TID-n");
  var note = document.getElementById("TID-note");
  if (!wrap || !table || wrap.dataset.ready) return;
  wrap.dataset.ready = "1";
  if (note) note.remove();
  document.getElementById("TID-controls").hidden = false;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var cells = rows.map(function (r) {
    return Array.prototype.map.call(r.cells, function (c) {
      return c.textContent.trim().toLowerCase();
    });
  });
  var head = table.tHead.rows[table.tHead.rows.length - 1], filters = [];
  var line = document.createElement("tr");
  line.className = "ft-filters";
  Array.prototype.forEach.call(head.cells, function (th, i) {
    var cell = document.createElement("th"), input = document.createElement("input");
    input.type = "search";
    input.placeholder = "filter";
    input.setAttribute("aria-label", "Filter column " + th.textContent.trim());
    input.addEventListener("input", apply);
    cell.appendChild(input);
    line.appendChild(cell);
    filters.push(input);
  });
  table.tHead.appendChild(line);
  function words(s) { return s.trim().toLowerCase().split(/\s+/).filter(Boolean); }
  function hit(text, w) { return w.charAt(0) === "=" && w.length > 1 ? text === w.slice(1)
                                                                     : text.indexOf(w) !== -1; }
  function apply() {
    var all = words(box.value), cols = filters.map(function (f) { return words(f.value); });
    var shown = 0;
    rows.forEach(function (r, k) {
      var t = cells[k], row = t.join("\t"), ok = all.every(function (w) {
        return w.charAt(0) === "=" ? t.some(function (c) { return hit(c, w); }) : hit(row, w);
      });
      for (var i = 0; ok && i < cols.length; i++) {
        ok = cols[i].every(function (w) { return hit(t[i] || "", w); });
      }
      r.style.display = ok ? "" : "none";
      shown += ok ? 1 : 0;
    });
    n.textContent = shown + " of " + rows.length + " rows";
  }
  box.addEventListener("input", apply);
})();"""

_FILTER_CSS = """#TID-wrap .ft-scroll {max-height: MAXH; overflow: auto}
#TID-wrap thead th {position: sticky; top: 0; background: #fff}
#TID-wrap thead tr.ft-filters th {top: 1.9em}
#TID-wrap .ft-filters input {width: 100%; min-width: 4em; box-sizing: border-box; font: inherit}
#TID-wrap td, #TID-wrap th {text-align: left; vertical-align: top}
#TID-wrap .ft-note {color: #555; font-size: 90%}"""

NO_SCRIPT_NOTE = ("All {n} rows are shown. The filter boxes need the page's script: they work "
                  "in the HTML report and in JupyterLab after running this cell; a saved "
                  "notebook opened in JupyterLab is not trusted, so its scripts do not run.")


def filterable_table(df: pd.DataFrame, caption: str | None = None, align: dict | None = None,
                     max_height: str = "36em"):
    """Show ``df`` as an HTML table the reader can filter: one box for the whole row and one
    box per column; each takes several words that must all match (case-insensitive
    substring; ``=word`` matches a whole cell), and "N of M rows" counts what is shown.

    Returns an IPython ``HTML`` object. The filter is inline JavaScript (no library, no
    CDN), so it works in the static HTML report offline and in JupyterLab when the cell has
    run; where scripts do not run (a saved, untrusted notebook) the table is shown whole with
    a note saying so. Cell values, column names and the caption are HTML-escaped; list cells
    (names) are joined with "、". ``align`` maps column names to CSS text-align (KWIC:
    ``{"left": "right"}``); the table scrolls inside ``max_height``.
    """
    from IPython.display import HTML

    tid = f"filterable-{next(_TABLE_IDS)}"
    shown = df.apply(lambda col: col.map(
        lambda v: "、".join(map(str, v)) if isinstance(v, (list, tuple)) else v))
    table = shown.to_html(index=False, escape=True, border=0, na_rep="", table_id=tid)
    if caption:
        table = re.sub(r"<table[^>]*>", lambda m: f"{m.group(0)}<caption>{esc_html(caption)}"
                       "</caption>", table, count=1)
    css = _FILTER_CSS.replace("TID", tid).replace("MAXH", esc_html(max_height))
    for i, col in enumerate(df.columns, 1):
        if align and col in align:
            css += (f"\n#{tid} td:nth-child({i}) {{text-align: "
                    f"{re.sub(r'[^a-z]', '', str(align[col]))}}}")
    controls = (f'<p class="ft-controls" id="{tid}-controls" hidden>'
                f'<input type="search" id="{tid}-q" size="50" placeholder="Filter rows: '
                f'words that must all occur, e.g. 宋爽 photo" aria-label="Filter the rows"> '
                f'<span id="{tid}-n" aria-live="polite">{len(df)} of {len(df)} rows</span></p>')
    note = f'<p class="ft-note" id="{tid}-note">{NO_SCRIPT_NOTE.format(n=len(df))}</p>'
    return HTML(f'<div class="filterable-table" id="{tid}-wrap"><style>{css}</style>'
                f'{controls}{note}<div class="ft-scroll">{table}</div>'
                f"<script>{_FILTER_JS.replace('TID', tid)}</script></div>")
