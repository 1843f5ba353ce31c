"""From an executed notebook to a report a colleague opens and reads: answer first, code
folded, parameters as a table, a table of contents and a link to the index, Chinese drawn by
an embedded font, no path of the rendering machine. Also the index page of all reports.

scripts/render.py runs the notebooks and calls :func:`notebook_html` and :func:`index_html`;
the pieces are public so that tests can check each promise on its own.
"""
from __future__ import annotations

import ast
import copy
import datetime as dt
import os
import re
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString

from .fonts import FONT_FAMILY, font_face_css
from .htmlsafe import esc_html, render_markdown

ANSWER_TAG = "answer"
# Cells tagged so show only their output.
HIDE_INPUT_TAGS = {ANSWER_TAG, "remove_input"}
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"  # papermill's cell with the values it was given
INDEX_NAME = "index.html"

# JupyterLab's HTML template loads require.js, MathJax and mermaid from a CDN. Reports must
# open offline and not phone home, so those blocks are emptied (LaTeX in Markdown shows as
# source, which this project does not use). Code inputs are folded in a closed <details>;
# images take their alt text from the output's metadata (helpers.export_chart puts the
# chart's title there).
TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block input_group -%}
<details class="report-code"><summary>Show code</summary>
{{ super() }}
</details>
{%- endblock input_group %}
{% block data_png scoped %}
{%- set alt = output | get_metadata('alt', 'image/png') -%}
{%- set width = output | get_metadata('width', 'image/png') -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
 alt="{{ (alt or 'Chart without a title (not saved with helpers.export_chart)') | escape_html }}"
{%- if width is not none %} width="{{ width | escape_html }}"{% endif %}>
</div>
{%- endblock data_png %}
"""

# Page style added after the template's own CSS: the embedded font first in every stack,
# prompts hidden, a sidebar with the contents on wide screens, the answer set off.
REPORT_CSS = f"""
:root {{
  --report-font: "{FONT_FAMILY}", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --jp-content-font-family: var(--report-font);
  --jp-ui-font-family: var(--report-font);
  --jp-code-font-family: "{FONT_FAMILY}", Menlo, Consolas, "DejaVu Sans Mono", monospace;
}}
body, input, button, select, textarea {{ font-family: var(--report-font); }}
code, pre, kbd, samp, tt {{ font-family: var(--jp-code-font-family); }}
.jp-InputPrompt, .jp-OutputPrompt {{ display: none; }}
.jp-Cell {{ padding: 2px 8px; }}
details.report-code > summary {{ cursor: pointer; color: #777; font-size: 80%; margin: 2px 0; }}
details.report-code[open] > summary {{ color: #333; }}
.celltag_answer .jp-OutputArea-output {{ font-size: 115%; border-left: 4px solid #2b7a4b;
  background: #f2f8f4; padding: 0.2em 0.8em; }}
.report-meta {{ margin: 0.4em 13px 1em; font-size: 90%; color: #333; }}
.report-meta table {{ border-collapse: collapse; margin-top: 0.3em; font-size: 90%; }}
.report-meta td, .report-meta th {{ text-align: left; padding: 1px 10px 1px 0;
  vertical-align: top; border: 0; }}
.report-meta td.why {{ color: #666; max-width: 46em; }}
.report-nav {{ font-size: 90%; padding: 0.5em 1em; border-bottom: 1px solid #ddd; }}
.report-nav ol {{ margin: 0.3em 0; padding-left: 1.4em; }}
.report-nav li {{ margin: 0.15em 0; }}
.chart-files {{ font-size: 85%; color: #555; margin: 0 0 1em; }}
@media (min-width: 1180px) {{
  body {{ padding-left: 15.5rem !important; }}
  .report-nav {{ position: fixed; top: 0; left: 0; bottom: 0; width: 13rem; overflow-y: auto;
    border-right: 1px solid #ddd; border-bottom: 0; background: #fafafa; }}
}}
"""

# Absolute paths of a machine, as they start (for the scrub and for the tests that look
# for them): /home/…, /tmp/…, C:\\… and the like, not preceded by a word, a dot or a slash.
ABSOLUTE_PATH_RE = re.compile(
    r"(?<![\w.~/+=-])(?:/(?:home|root|tmp|usr|var|opt|srv|mnt|media|Users|private|work|etc|"
    r"proc|nix|run|snap|Volumes)(?:/[^\s\"'<>)\]]*)?|[A-Za-z]:\\[^\s\"'<>]+)")


# ---- the notebook before export -----------------------------------------------------------

def _tags(cell) -> list:
    return cell.get("metadata", {}).get("tags", [])


def parameter_rows(source: str, overrides: dict | None = None) -> list[dict]:
    """The parameters cell as rows {name, value, why}: one per top-level assignment, the
    value from ``overrides`` (papermill's) or the literal in the cell, ``why`` from the
    comment lines right above it and its inline comment."""
    overrides = overrides or {}
    lines = source.splitlines()
    rows = []
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            continue
        name = node.targets[0].id
        if name in overrides:
            value = overrides[name]
        else:
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                value = ast.get_source_segment(source, node.value)
        comments, k = [], node.lineno - 2
        while k >= 0 and lines[k].lstrip().startswith("#"):
            comments.insert(0, lines[k].lstrip("# ").rstrip())
            k -= 1
        inline = re.search(r"#\s*(.*)$", lines[node.end_lineno - 1][node.end_col_offset:])
        if inline:
            comments.append(inline.group(1))
        rows.append({"name": name, "value": value, "why": " ".join(comments)})
    return rows


def prepare(nb):
    """A copy of the executed notebook laid out for reading: papermill's injected cell and
    the parameters cell removed (they become the parameters table), the cell tagged
    ``answer`` moved right under the first Markdown cell (title and question). Returns
    (notebook, parameter rows, title)."""
    nb = copy.deepcopy(nb)
    overrides = dict(nb.metadata.get("papermill", {}).get("parameters", {}))
    params = next((c for c in nb.cells if PARAMETERS_TAG in _tags(c)), None)
    rows = parameter_rows(params.source, overrides) if params is not None else []
    nb.cells = [c for c in nb.cells if not {PARAMETERS_TAG, INJECTED_TAG} & set(_tags(c))]
    first_md = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"), None)
    answer = next((c for c in nb.cells if ANSWER_TAG in _tags(c)), None)
    if answer is not None and first_md is not None:
        nb.cells.remove(answer)
        nb.cells.insert(first_md + 1, answer)
    title_md = nb.cells[first_md].source if first_md is not None else ""
    m = re.search(r"^#\s+(.+)$", title_md, flags=re.M)
    title = m.group(1).strip() if m else ""
    nb.metadata["title"] = title
    return nb, rows, title


def answer_markdown(nb) -> str:
    """The Markdown source of the executed answer cell (helpers.md puts it in the output's
    metadata; a plain text/markdown output works too), or ''."""
    for cell in nb.cells:
        if cell.cell_type == "code" and ANSWER_TAG in _tags(cell):
            for out in cell.get("outputs", []):
                source = out.get("metadata", {}).get("cnpress", {}).get("markdown")
                text = source or out.get("data", {}).get("text/markdown")
                if text:
                    return text.strip()
    return ""


def export(nb) -> str:
    """HTML of a prepared notebook with nbconvert's lab template and TEMPLATE's changes."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"report.html.j2": TEMPLATE})],
        template_file="report.html.j2",
        embed_images=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags=HIDE_INPUT_TAGS, enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    return body


# ---- the HTML after export ----------------------------------------------------------------

def path_replacements(corpus_dir, corpus_name: str, root) -> list[tuple[str, str]]:
    """(absolute path, what to show instead), longest first: the corpus folder (as given and
    resolved) becomes its name, the project root disappears (paths relative to it), the home
    and temporary folders become ~ and $TMPDIR."""
    pairs = {str(Path(corpus_dir).resolve()): corpus_name.rstrip("/")}
    if "/" in str(corpus_dir).strip("/"):  # '../corpus', as handed to the notebooks
        pairs[str(corpus_dir).rstrip("/")] = corpus_name.rstrip("/")
    root = str(Path(root).resolve())
    pairs[root + "/"] = ""
    pairs[root] = "."
    pairs[str(Path.home())] = "~"
    pairs[str(Path(tempfile.gettempdir()).resolve())] = "$TMPDIR"
    return sorted(((k, v) for k, v in pairs.items() if len(k) > 1),
                  key=lambda kv: len(kv[0]), reverse=True)


def scrub(text: str, replacements) -> str:
    """``text`` with the known absolute paths replaced, then any other absolute path (see
    ABSOLUTE_PATH_RE) shown as '…/' plus its last part."""
    for old, new in replacements:
        text = text.replace(old, new)
    return ABSOLUTE_PATH_RE.sub(lambda m: "…/" + m.group(0).rstrip("/\\").split("/")[-1], text)


def _scrub_soup(soup, replacements):
    for node in soup.find_all(string=True):
        if node.parent.name not in ("style",) and ("/" in node or "\\" in node):
            new = scrub(str(node), replacements)
            if new != node:
                node.replace_with(NavigableString(new))
    for tag in soup.find_all(True):
        for attr, value in list(tag.attrs.items()):
            if isinstance(value, str) and not value.startswith("data:"):
                tag[attr] = scrub(value, replacements)


def _meta_block(soup, corpus_line: str, rows, value_shown) -> object:
    """<div class="report-meta">: the corpus line and the parameters table."""
    html = [f'<div class="report-meta"><p class="report-corpus">{corpus_line}</p>']
    if rows:
        html.append('<details open><summary>Parameters this report ran with</summary><table>'
                    "<tr><th>parameter</th><th>value</th><th>why</th></tr>")
        for r in rows:
            html.append(f"<tr><td><code>{esc_html(r['name'])}</code></td>"
                        f"<td><code>{esc_html(value_shown(r))}</code></td>"
                        f'<td class="why">{esc_html(r["why"])}</td></tr>')
        html.append("</table></details>")
    html.append("</div>")
    return BeautifulSoup("".join(html), "html.parser")


def _nav(soup, index_href: str):
    """<nav>: a link back to the index and the contents from the h2/h3 headings."""
    items = []
    for h in soup.select("main h2[id], main h3[id]"):
        text = h.get_text().replace("¶", "").strip()
        indent = ' class="sub"' if h.name == "h3" else ""
        items.append(f'<li{indent}><a href="#{esc_html(h["id"])}">{esc_html(text)}</a></li>')
    return BeautifulSoup(
        f'<nav class="report-nav" aria-label="Contents"><p><a href="{esc_html(index_href)}">'
        f"← All reports (index)</a></p><p><strong>Contents</strong></p>"
        f"<ol>{''.join(items)}</ol></nav>", "html.parser")


def page_text(soup) -> str:
    """Every character the page can show: its text (code, scripts' strings included) and
    the alt, title, placeholder and aria-label attributes."""
    parts = [s for s in soup.find_all(string=True) if s.parent.name != "style"]
    for tag in soup.find_all(True):
        parts += [tag.get(a, "") for a in ("alt", "title", "placeholder", "aria-label")]
    return "".join(map(str, parts))


def embed_font(soup, extra_css: str = "") -> None:
    """Add the subset font for the page's own text and ``extra_css`` to <head>."""
    style = soup.new_tag("style")
    style.string = font_face_css(page_text(soup)) + extra_css
    (soup.head or soup).append(style)


def notebook_html(nb, *, corpus_line: str, replacements, value_shown=None,
                  index_href: str = INDEX_NAME) -> str:
    """The finished report for executed notebook ``nb``: see the module docstring.
    ``corpus_line`` is HTML (escaped by the caller); ``value_shown(row)`` gives the text of a
    parameter's value (default: repr, paths scrubbed)."""
    prepared, rows, _ = prepare(nb)
    soup = BeautifulSoup(export(prepared), "html.parser")
    main = soup.find("main") or soup.body
    value_shown = value_shown or (lambda r: repr(r["value"]))
    meta = _meta_block(soup, corpus_line, rows, value_shown)
    answer_cell = main.select_one(".celltag_answer")
    anchor = answer_cell or main.select_one(".jp-Cell")
    if anchor is not None:
        anchor.insert_after(meta)
    else:
        main.insert(0, meta)
    soup.body.insert(0, _nav(soup, index_href))
    _scrub_soup(soup, replacements)
    embed_font(soup, REPORT_CSS)
    return str(soup)


# ---- the index ----------------------------------------------------------------------------

INDEX_CSS = f"""
body {{ font-family: "{FONT_FAMILY}", system-ui, sans-serif; max-width: 56em; margin: 2em auto;
  padding: 0 1em; line-height: 1.5; color: #222; }}
li.report {{ margin-bottom: 1.3em; }} li.report p {{ margin: 0.2em 0; }}
code {{ font-family: "{FONT_FAMILY}", Menlo, Consolas, "DejaVu Sans Mono", monospace; }}
.facts {{ color: #555; font-size: 90%; }} .failed {{ color: #a00; }}
"""


def corpus_text(facts: dict) -> str:
    """'corpus/ · 5 pages · 2024-05-01 to 2024-06-30' from render.py's corpus facts."""
    name = facts.get("name", "?")
    parts = [name if facts.get("is_file") else f"{name}/"]  # a records file is not a folder
    if facts.get("pages"):
        parts.append(f"{facts['pages']:,} pages")
    if facts.get("records"):
        parts.append(f"{facts['records']:,} records")
    if facts.get("items"):
        parts.append(f"{facts['items']:,} items")
    if facts.get("first_date"):
        span = facts["first_date"]
        if facts.get("last_date") and facts["last_date"] != span:
            span += f" to {facts['last_date']}"
        parts.append(span)
    return " · ".join(parts)


def index_html(entries: list[dict], replacements=(), generated: str | None = None) -> str:
    """The index page. Each entry: html (file name), notebook, title, answer (Markdown),
    corpus (facts dict), rendered (time), seconds, status ('ok', 'failed', 'not rendered')
    and error. Failed and missing reports are listed, marked, without a link."""
    generated = generated or dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    items = []
    for e in entries:
        title = esc_html(e.get("title") or e.get("notebook") or e.get("html"))
        facts = (f"Corpus: {esc_html(corpus_text(e['corpus']))}" if e.get("corpus") else "")
        if e.get("status") == "ok":
            head = f'<a href="{esc_html(e["html"])}">{title}</a>'
            when = (f" · rendered {esc_html(e.get('rendered', ''))}"
                    + (f" in {e['seconds']:.0f} s" if e.get("seconds") else ""))
            body = render_markdown(e.get("answer") or "")
        else:
            head = f'{title} <span class="failed">({esc_html(e.get("status"))})</span>'
            when = ""
            body = f'<p class="failed">{esc_html(e.get("error") or "")}</p>'
        items.append(f'<li class="report"><p><strong>{head}</strong> '
                     f'<small>{esc_html(e.get("notebook", ""))}</small></p>{body}'
                     f'<p class="facts">{facts}{when}</p></li>')
    soup = BeautifulSoup(
        f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Reports</title></head><body><h1>Reports</h1>"
        f"<p>{len(entries)} notebooks, index written {esc_html(generated)}. Each report is "
        f"one HTML file that opens offline; charts are also saved as PNG and CSV in "
        f"<code>figures/</code>.</p><ol>{''.join(items)}</ol></body></html>", "html.parser")
    _scrub_soup(soup, list(replacements))
    embed_font(soup, INDEX_CSS)
    return str(soup)


def relative_to(path, start) -> str:
    """``path`` relative to ``start`` in POSIX form (for links between report files)."""
    return Path(os.path.relpath(Path(path).resolve(), Path(start).resolve())).as_posix()
