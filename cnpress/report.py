"""Report widgets for the notebooks: prose from data, chart labels, charts saved with their
data, filterable tables."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import config
from .reading import list_pages


def md(text: str) -> None:
    """Show ``text`` as Markdown in the notebook: prose whose numbers come from the data."""
    from IPython.display import Markdown, display

    display(Markdown(text))


def n_label(df: pd.DataFrame) -> str:
    """'N = 47 items, 5 pages' for chart titles."""
    return f"N = {len(df)} items, {df['page'].nunique()} pages"


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
    """Which corpus a notebook ran on: folder name and its page count."""
    folder = Path(path) if path is not None else config.CORPUS_DIR
    return f"`{folder.name}/` ({len(list_pages(folder))} pages)"


def export_chart(fig, data: pd.DataFrame, name: str, folder=None) -> Path:
    """Save a chart as PNG and the DataFrame it was drawn from as CSV (UTF-8 with BOM so
    Excel opens the Chinese), under ``reports/figures/`` by default; returns the PNG path."""
    folder = Path(folder) if folder is not None else config.FIGURE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / f"{name}.png"
    fig.savefig(png, dpi=150, bbox_inches="tight")
    data.to_csv(folder / f"{name}.csv", encoding="utf-8-sig")
    return png


# Numbers the tables of one kernel session so that each search box finds its own table
# (deterministic, unlike random ids, so re-rendering gives the same HTML).
_TABLE_IDS = iter(range(1, 10**9))

# Hides the rows of table TID whose text does not contain what is typed in the box.
# Plain JavaScript inside the report: no library, no CDN, works offline.
_FILTER_JS = """(function () {
  var box = document.getElementById("TID-q"), n = document.getElementById("TID-n");
  var rows = document.querySelectorAll("#TID tbody tr");
  box.addEventListener("input", function () {
    var q = box.value.trim().toLowerCase(), shown = 0;
    rows.forEach(function (r) {
      var hit = r.textContent.toLowerCase().indexOf(q) !== -1;
      r.style.display = hit ? "" : "none";
      shown += hit ? 1 : 0;
    });
    n.textContent = shown + " of " + rows.length + " rows";
  });
})();"""


def filterable_table(df: pd.DataFrame, caption: str | None = None):
    """Show ``df`` as an HTML table with a search box above it: typing hides the rows that
    do not contain the typed text (any column, case-insensitive). Returns an IPython
    ``HTML`` object; the filter is ~10 lines of inline JavaScript, so it works in the static
    HTML report, offline. Cell values and the caption are HTML-escaped; list cells (names)
    are shown joined with "、"."""
    import html

    from IPython.display import HTML

    tid = f"filterable-{next(_TABLE_IDS)}"
    shown = df.apply(lambda col: col.map(
        lambda v: "、".join(map(str, v)) if isinstance(v, (list, tuple)) else v))
    table = shown.to_html(index=False, escape=True, border=0, na_rep="", table_id=tid)
    if caption:
        table = re.sub(r"<table[^>]*>", lambda m: f"{m.group(0)}<caption>{html.escape(caption)}"
                       "</caption>", table, count=1)
    box = (f'<p><input type="search" id="{tid}-q" placeholder="Type to filter rows…" '
           f'aria-label="Filter the table" size="40"> <span id="{tid}-n">{len(df)} of '
           f"{len(df)} rows</span></p>")
    style = f"<style>#{tid} td, #{tid} th {{text-align: left}}</style>"  # Chinese reads left
    return HTML(f'<div class="filterable-table">{style}{box}{table}'
                f"<script>{_FILTER_JS.replace('TID', tid)}</script></div>")
