"""The shared reports: read by people who did not make them, opened on machines without a
Chinese font, built from corpora nobody vetted.

- corpus strings are text, never markup (escaping helpers, then a whole render of a corpus
  with hostile titles and file names);
- CORPUS reaches Python through the environment, never through a shell, and a bad value
  stops the render before anything runs; a failed render leaves no stale report;
- each rendered report: the embedded font covers its Chinese, code is folded, no absolute
  path, the answer first, links between the reports and the index, charts with alt text and
  their PNG and CSV.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import render  # noqa: E402

from cnpress import fonts, htmlreport  # noqa: E402
from cnpress.htmlsafe import esc, render_markdown  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob(render.NOTEBOOK_GLOB))

# ---- hostile strings ----------------------------------------------------------------------

# A made-up page in the genre's form (section header, title, byline, body) whose titles and
# file name carry markup. The titles are short and end without punctuation, so the loader
# keeps them as titles (checked below: otherwise the render test would prove nothing).
PAYLOAD_FILE = '<svg onload=alert("xss-name")>.txt'
PAYLOAD_TITLES = ["治理</table><script>alert(1)</script>", "先锋岗<img src=x onerror=alert(2)>",
                  "学习[点我](javascript:alert(3))"]
PAYLOAD_PAGE = """初心如磐

◎基层风采

{0}

□本报记者 王明 通讯员 李华

近日，某区某社区党支部组织党员志愿者走进居民小区，开展“党员进网格、服务零距离”主题党日活动。党员们分组入户走访，倾听居民诉求，帮助解决实际困难。

社区党支部书记介绍，今年以来，社区把网格化管理与志愿服务结合起来，建立了问题收集、分类办理、结果反馈的工作流程，推动基层治理提质增效。

{1}

□本报记者 赵强

为进一步发挥党员先锋模范作用，某旗某嘎查党支部设立党员先锋岗，组织党员认领服务岗位，带头参与人居环境整治和产业发展。

嘎查党支部书记说，党员先锋岗让党员亮身份、作表率，群众看得见、摸得着，党支部的凝聚力和号召力明显增强。

{2}

□本报记者 孙丽

某苏木党委组织开展线上线下相结合的学习活动，党员干部通过学习平台学理论、学政策、学技能，学习氛围日益浓厚。
""".format(*PAYLOAD_TITLES)
# What must never reach a report as markup.
RAW_PAYLOADS = ["<script>alert(1)", "<img src=x onerror", "<svg onload"]
UNSAFE_LINK = re.compile(r"""href\s*=\s*["']?\s*javascript:""", re.I)


def hostile_markup(html: str) -> list[str]:
    """What in ``html`` would run a corpus string as code: raw payloads, javascript: links,
    event-handler attributes, scripts other than the filter tables', svg/img not ours."""
    found = [p for p in RAW_PAYLOADS if p in html] + UNSAFE_LINK.findall(html)
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        found += [f"{tag.name} {a}=" for a in tag.attrs if a.lower().startswith("on")]
        if tag.name == "script" and "filterable-" not in (tag.string or ""):
            found.append(f"script {(tag.string or '')[:40]!r}")
        if tag.name == "img" and not tag.get("src", "").startswith("data:image/png;base64,"):
            found.append(f"img src={tag.get('src')!r}")
        if tag.name == "svg":
            found.append("svg element")
    return found


def test_esc_makes_markdown_and_html_metacharacters_literal():
    for title in PAYLOAD_TITLES + ["**粗体** _斜体_ `代码`", "# 标题", "1. 列表", "a|b"]:
        html = render_markdown(f"Title: “{esc(title)}”.")
        text = BeautifulSoup(html, "html.parser").get_text()
        assert title in text, (title, html)  # shown as the characters it is ...
        assert hostile_markup(html) == []       # ... and nothing runs
        assert not re.search(r"<(strong|em|code|a|h1|ol|table)\b", html), html
    assert esc(["宋爽", "潘佳"]) == "宋爽、潘佳" and esc(None) == "" and esc(float("nan")) == ""
    assert esc("一行\n两行") == "一行 两行"  # a line break cannot open a new Markdown block


def test_render_markdown_shows_raw_html_as_text_and_drops_unsafe_links():
    html = render_markdown("**Answer:** `corpus/` </table><script>alert(1)</script> "
                           "<img src=x onerror=alert(2)> [a](javascript:alert(3)) "
                           "[b](JaVa\tScript:alert(4)) [c](data:text/html,x) "
                           "[d](figures/01-top-terms.png) [e](https://example.org/)")
    assert "<strong>Answer:</strong>" in html and "<code>corpus/</code>" in html
    assert "&lt;script&gt;alert(1)" in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert hostile_markup(html) == []
    assert "data:text/html" not in html
    assert 'href="figures/01-top-terms.png"' in html and 'href="https://example.org/"' in html


def test_md_is_safe_by_default_and_keeps_its_markdown_for_the_index(monkeypatch):
    import IPython.display

    from cnpress import report

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append((obj, kw)))
    report.md(f"**Answer:** {PAYLOAD_TITLES[1]} and [x](javascript:alert(3))")
    bundle, kw = shown[0]
    assert hostile_markup(bundle["text/html"]) == []
    assert "&lt;img src=x onerror=alert(2)&gt;" in bundle["text/html"]
    assert "text/markdown" not in bundle  # no unescaped Markdown for another renderer
    assert kw["metadata"]["cnpress"]["markdown"].startswith("**Answer:**")


def test_notebooks_use_no_pandas_styler_without_escaping():
    """A pandas Styler does not escape cell text unless told to: every .style in a notebook
    must pass escape="html" (or the notebook shows the table with filterable_table)."""
    import nbformat

    unescaped = []
    for path in NOTEBOOKS:
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if (cell.cell_type == "code" and re.search(r"\.style\b", cell.source)
                    and 'escape="html"' not in cell.source and "escape='html'" not in cell.source):
                unescaped.append(f"{path.name} cell {i}")
    assert unescaped == [], f"Styler tables without escape='html': {unescaped}"


# ---- the pieces of a report ---------------------------------------------------------------

def test_parameter_rows_show_the_values_run_with_and_why():
    source = ('CORPUS_DIR = "../corpus"\n\n# Bars in the chart: 25 fills it.\n# Second line.\n'
              'TOP_N = 25\nSEED = 42  # fixed: same cloud every run\nKINDS = ["article"]\n')
    rows = htmlreport.parameter_rows(source, {"CORPUS_DIR": "../../elsewhere"})
    assert [(r["name"], r["value"]) for r in rows] == [
        ("CORPUS_DIR", "../../elsewhere"), ("TOP_N", 25), ("SEED", 42), ("KINDS", ["article"])]
    assert rows[1]["why"] == "Bars in the chart: 25 fills it. Second line."
    assert rows[2]["why"] == "fixed: same cloud every run"


def test_scrub_replaces_the_paths_of_the_rendering_machine():
    corpus = Path(tempfile.gettempdir()) / "somewhere" / "pages"
    repl = htmlreport.path_replacements(corpus, "pages/", ROOT)
    text = (f"{corpus}/001.txt is empty; see {ROOT}/cnpress/items.py:12 and "
            f"{Path.home()}/.cache/x and /usr/lib/python3.11/warnings.py; 1/2 and a/b stay")
    out = htmlreport.scrub(text, repl)
    assert out.startswith("pages/001.txt is empty; see cnpress/items.py:12")
    assert "1/2 and a/b stay" in out
    assert str(ROOT) not in out and str(corpus) not in out and "/usr/lib" not in out
    assert not htmlreport.ABSOLUTE_PATH_RE.search(out)


def test_font_subset_covers_exactly_the_characters_asked_for():
    css = fonts.font_face_css("党建引领基层治理 abc ①")
    chars = fonts.embedded_font_chars(css)
    assert set("党建引领基层治理abc①") <= chars
    assert "鄂" not in chars and len(chars) < 100  # a subset, not the whole font
    assert len(css) < 40_000
    assert fonts.cjk_chars("Answer: 党建 (45) ①，") == {"党", "建", "①", "，"}


def test_export_chart_shows_the_chart_with_its_title_as_alt_text_and_links(tmp_path,
                                                                          monkeypatch):
    import IPython.display
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cnpress import report

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append((obj, kw)))
    monkeypatch.setenv(report.REPORT_DIR_ENV, str(tmp_path))
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    ax.set_title("B leads <b>2</b> to 1\nN = 3 items", loc="left")
    png = report.export_chart(fig, pd.DataFrame({"n": [1, 2]}), "99-test",
                              folder=tmp_path / "figures")
    assert png.exists() and (tmp_path / "figures" / "99-test.csv").exists()
    (_, image_kw), (links, _) = shown
    assert image_kw["metadata"]["image/png"]["alt"] == "B leads <b>2</b> to 1; N = 3 items"
    assert 'href="figures/99-test.png"' in links["text/html"]
    assert 'href="figures/99-test.csv"' in links["text/html"]
    assert not plt.fignum_exists(fig.number)  # the plt.show() after it adds no second copy


def test_index_escapes_links_reports_and_marks_failures():
    entries = [
        {"notebook": "00-a.ipynb", "html": "00-a.html", "status": "ok",
         "title": PAYLOAD_TITLES[0], "answer": f"**Answer:** {PAYLOAD_TITLES[1]}",
         "corpus": {"name": "<svg onload=alert(1)>", "pages": 3, "first_date": "2024-05-01",
                    "last_date": "2024-06-30"}, "rendered": "2026-01-01 10:00", "seconds": 12},
        {"notebook": "01-b.ipynb", "html": "01-b.html", "status": "failed",
         "error": "01-b.ipynb failed in cell 3: ZeroDivisionError"},
    ]
    page = htmlreport.index_html(entries)
    assert hostile_markup(page) == []
    soup = BeautifulSoup(page, "html.parser")
    assert [a["href"] for a in soup.select("li.report a[href]")] == ["00-a.html"]
    assert "3 pages · 2024-05-01 to 2024-06-30" in soup.get_text()
    assert "(failed)" in soup.get_text() and "ZeroDivisionError" in soup.get_text()
    assert set(fonts.cjk_chars(htmlreport.page_text(soup))) <= fonts.embedded_font_chars(page)


# ---- CORPUS: checked first, never parsed by a shell ---------------------------------------

@pytest.mark.parametrize("value, message", [
    ("", "CORPUS is empty"), ("   ", "CORPUS is empty"),
    ("no/such/folder", "does not exist"), (str(ROOT / "README.md"), "is a file"),
    (str(ROOT), "is the project folder"), (str(ROOT.parent), "is the project folder"),
])
def test_an_unusable_corpus_is_refused_with_a_clear_error(value, message):
    with pytest.raises(render.CorpusUnusable, match=message):
        render.resolve_corpus(value)


def test_an_empty_corpus_folder_is_refused(tmp_path):
    with pytest.raises(render.CorpusUnusable, match="holds no files"):
        render.resolve_corpus(tmp_path)


def make(*args, env=None):
    """`make -s <args>` in the project without reinstalling the environment."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    return subprocess.run(["make", "-s", "-o", ".venv/.requirements-installed", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, **(env or {})})


def test_make_hands_a_folder_with_shell_characters_to_python_as_a_name(tmp_path):
    folder = tmp_path / "pages`id>x` $(touch MARK) ;touch MARK;"
    folder.mkdir()
    shutil.copy(next((ROOT / "corpus").glob("*.txt")), folder)
    result = make("check-corpus", f"CORPUS={folder}")
    assert result.returncode == 0, result.stderr
    assert f"corpus: {folder.name} (1 files)" in result.stdout
    assert not (ROOT / "x").exists() and not (ROOT / "MARK").exists()
    assert not list(tmp_path.glob("MARK*")) and not (folder / "x").exists()


@pytest.mark.parametrize("value", ['x";touch {mark};"', "$(touch {mark})", "$$(touch {mark})",
                                   "$(shell touch {mark})", "`touch {mark}`"])
@pytest.mark.parametrize("how", ["command line", "environment"])
def test_make_never_runs_what_a_corpus_value_holds(tmp_path, value, how):
    mark = tmp_path / "MARK"
    value = value.format(mark=mark)
    result = (make("check-corpus", f"CORPUS={value}") if how == "command line"
              else make("check-corpus", env={"CORPUS": value}))
    assert not mark.exists(), f"{value!r} ran a command"
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert repr(value) in result.stderr  # the error names the value exactly as given


def test_make_report_with_an_empty_corpus_stops_before_anything_runs(tmp_path):
    index = ROOT / "reports" / "index.html"
    before = index.stat().st_mtime_ns if index.exists() else None
    result = make("report", "CORPUS=")
    assert result.returncode != 0
    assert "CORPUS is empty" in result.stderr and "running" not in result.stdout
    assert (index.stat().st_mtime_ns if index.exists() else None) == before


# ---- a failed render leaves nothing stale -------------------------------------------------

def tiny_notebook(folder, name, code):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    params = new_code_cell('CORPUS_DIR = "../corpus"')
    params.metadata["tags"] = ["parameters"]
    answer = new_code_cell(f"{code}\nimport sys\nsys.path.insert(0, {str(ROOT)!r})\n"
                           "import helpers\nhelpers.md('**Answer:** 四十二')")
    answer.metadata["tags"] = ["answer"]
    nb = new_notebook(cells=[new_markdown_cell(f"# {name}\n\nA question?"), params, answer],
                      metadata={"kernelspec": {"name": "python3", "language": "python",
                                               "display_name": "Python 3"}})
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_failed_render_leaves_no_report_of_another_corpus(tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad pages"
    for folder in (good, bad):
        folder.mkdir()
        shutil.copy(next((ROOT / "corpus").glob("*.txt")), folder)
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    first = tiny_notebook(nbs, "90-first", "pass")
    second = tiny_notebook(nbs, "91-second", "import os\n"
                           "assert 'bad' not in os.path.basename(os.path.abspath(CORPUS_DIR))")
    out = tmp_path / "out"
    render.render_all(good, out, [first, second])
    assert (out / "91-second.html").exists()
    with pytest.raises(render.NotebookFailed, match="91-second.ipynb failed"):
        render.render_all(bad, out, [first, second])
    assert (out / "90-first.html").exists() and not (out / "91-second.html").exists()
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in index.select("li.report a[href]")] == ["90-first.html"]
    assert "91-second" in index.get_text() and "(failed)" in index.get_text()
    assert "bad pages" in index.get_text()  # the one corpus named in the index
    # rendering only the first notebook on the good corpus again drops the other corpus's
    # failed entry instead of mixing
    render.render_all(good, out, [first])
    manifest = render._load_manifest(out)
    assert list(manifest["reports"]) == ["90-first"]


# ---- every report, rendered on a corpus with hostile titles and file names ----------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """All notebooks rendered (scripts/render.py's render_all) on corpus/ plus the payload
    page; returns the output folder."""
    corpus = tmp_path_factory.mktemp("payload") / "pages"
    corpus.mkdir()
    for page in (ROOT / "corpus").glob("*.txt"):
        shutil.copy(page, corpus)
    (corpus / PAYLOAD_FILE).write_text(PAYLOAD_PAGE, encoding="utf-8")
    out = tmp_path_factory.mktemp("reports")
    try:
        render.render_all(corpus, out)
    except render.NotebookFailed as err:
        pytest.fail(f"rendering the payload corpus failed: {err}")
    return out


def report_html(out, path):
    return (out / f"{path.stem}.html").read_text(encoding="utf-8")


def test_the_payload_titles_are_titles_for_the_loader(tmp_path):
    """Guard: the payloads must reach the item table as titles and a page name, or the
    render test below would pass for the wrong reason."""
    from cnpress.items import load_corpus

    (tmp_path / PAYLOAD_FILE).write_text(PAYLOAD_PAGE, encoding="utf-8")
    items = load_corpus(tmp_path, cache=False)
    assert set(PAYLOAD_TITLES) <= set(items["title"].dropna())
    assert set(items["page"]) == {PAYLOAD_FILE[:-4]}


def test_no_payload_runs_in_any_report_or_the_index(rendered):
    pages = {p.name: p.read_text(encoding="utf-8") for p in rendered.glob("*.html")}
    assert len(pages) == len(NOTEBOOKS) + 1
    assert {name: hostile_markup(html) for name, html in pages.items()} == \
        {name: [] for name in pages}
    # ... and the payloads did reach the reports, as text
    everything = "".join(pages.values())
    assert "&lt;img src=x onerror=alert(2)&gt;" in everything
    assert "&lt;/table&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in everything
    assert "&lt;svg onload=alert(" in pages["00-corpus-overview.html"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_embedded_font_covers_every_chinese_character_of_the_report(rendered, path):
    html = report_html(rendered, path)
    needed = fonts.cjk_chars(htmlreport.page_text(BeautifulSoup(html, "html.parser")))
    assert len(needed) > 50  # the report is Chinese text
    missing = needed - fonts.embedded_font_chars(html)
    assert not missing, f"{path.stem}.html: {len(missing)} characters not in the font"
    assert '--report-font: "Report Noto Sans SC", system-ui' in html  # first in the stack


def test_embedded_font_covers_the_index(rendered):
    html = (rendered / "index.html").read_text(encoding="utf-8")
    needed = fonts.cjk_chars(htmlreport.page_text(BeautifulSoup(html, "html.parser")))
    assert needed and not needed - fonts.embedded_font_chars(html)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_code_input_is_shown_unfolded(rendered, path):
    soup = BeautifulSoup(report_html(rendered, path), "html.parser")
    inputs = soup.select(".jp-CodeCell .jp-InputArea")
    assert inputs, "no code cells found"
    for area in inputs:
        fold = area.find_parent("details")
        assert fold is not None and "report-code" in fold.get("class", [])
        assert not fold.has_attr("open")
    assert not soup.select(".celltag_injected-parameters, .celltag_parameters")


@pytest.mark.parametrize("name", [p.stem + ".html" for p in NOTEBOOKS] + ["index.html"] +
                         [p.name for p in NOTEBOOKS])  # the executed copies too
def test_no_absolute_path_of_the_rendering_machine(rendered, name):
    html = (rendered / name).read_text(encoding="utf-8")
    text = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", "", html)
    for path in {str(ROOT), str(rendered), str(rendered.parent), str(Path.home()),
                 str(Path(tempfile.gettempdir()).resolve())}:
        assert path not in text, f"{name} holds {path}"
    assert not htmlreport.ABSOLUTE_PATH_RE.search(text)


def test_reports_and_index_link_to_each_other(rendered):
    index = BeautifulSoup((rendered / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert {a["href"] for a in index.select("li.report a[href]")} == \
        {p.stem + ".html" for p in NOTEBOOKS}
    for path in NOTEBOOKS:
        soup = BeautifulSoup(report_html(rendered, path), "html.parser")
        assert soup.select_one('nav.report-nav a[href="index.html"]')
        toc = [a["href"] for a in soup.select("nav.report-nav ol a")]
        assert toc and all(soup.find(id=h[1:]) for h in toc)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_answer_and_the_corpus_come_right_after_the_title(rendered, path):
    soup = BeautifulSoup(report_html(rendered, path), "html.parser")
    cells = soup.select("main > .jp-Cell, main > .report-meta")
    assert cells[0].find("h1")
    assert "celltag_answer" in cells[1]["class"]
    assert cells[1].get_text().strip().startswith("Answer")
    assert "report-meta" in cells[2]["class"] and "Corpus:" in cells[2].get_text()
    assert "pages/" in cells[2].get_text()  # the corpus folder by name, not by path
    assert not cells[0].find(["img", "table"]) and not cells[1].find(["img", "table"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_chart_has_alt_text_and_links_to_its_png_and_csv(rendered, path):
    soup = BeautifulSoup(report_html(rendered, path), "html.parser")
    images = soup.select(".jp-RenderedImage img")
    for img in images:
        assert img["alt"] and "without a title" not in img["alt"], img["alt"]
    links = [a["href"] for p in soup.select("p.chart-files") for a in p.find_all("a")]
    assert len(links) == 2 * len(images)
    for href in links:
        assert (rendered / href).is_file(), href


# ---- the filter, run in a real browser ----------------------------------------------------

def chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser") or \
        shutil.which("google-chrome")


@pytest.mark.skipif(not chromium(), reason="no headless Chromium to run the filter script")
@pytest.mark.parametrize("typed, column_typed, expected", [
    ("宋爽 photo", {}, "1 of 4 rows"),            # several words: all must match (AND)
    ("1", {}, "3 of 4 rows"),                     # "1" is in 001, 11 and 010 ...
    ("", {"item": "=1"}, "1 of 4 rows"),          # ... but item =1 is one row
    ("", {"kind": "article", "reporters": "潘佳"}, "1 of 4 rows"),
    ("陈春艳 宋爽", {}, "0 of 4 rows"),
])
def test_filter_matches_all_words_and_per_column_in_a_browser(tmp_path, typed, column_typed,
                                                               expected):
    from cnpress.report import filterable_table

    df = pd.DataFrame({"page": ["001", "001", "002", "010"], "item": [1, 11, 2, 3],
                       "kind": ["photo", "article", "article", "brief"],
                       "reporters": [["宋爽"], ["潘佳"], ["宋爽"], ["陈春艳"]]})
    html = filterable_table(df).data
    cols = list(df.columns)
    typing = "".join(
        f"var f = document.querySelectorAll('tr.ft-filters input')[{cols.index(c)}];"
        f"f.value = {v!r}; f.dispatchEvent(new Event('input'));"
        for c, v in column_typed.items())
    page = tmp_path / "t.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{html}<script>'
        f"var b = document.querySelector('input[type=search]'); b.value = {typed!r};"
        f"b.dispatchEvent(new Event('input')); {typing}</script></body></html>",
        encoding="utf-8")
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update",
         f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=90, check=False).stdout
    soup = BeautifulSoup(dom, "html.parser")
    assert soup.select_one("span[id$='-n']").get_text() == expected
    visible = [r for r in soup.select("tbody tr") if "display: none" not in r.get("style", "")]
    assert f"{len(visible)} of 4 rows" == expected
    assert soup.select_one("p.ft-note") is None  # the no-script note is gone
