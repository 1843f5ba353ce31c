"""Every notebook is committed clean, has one parameters cell, runs in a fresh kernel,
and draws Chinese as Chinese (no matplotlib missing-glyph warning in its output).

The machinery itself is checked on tiny notebooks written to tmp_path, so these tests
mean something even before the first real notebook lands.
"""

import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from render import NotebookFailed, execute_notebook, to_html  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CORPUS = ROOT / "corpus"
GLYPH_MARKERS = ("missing from font", "Glyph")


def glyph_warnings(nb):
    """Lines of any stream output (stdout/stderr) that report a glyph missing from a font."""
    return [line for cell in nb.cells if cell.cell_type == "code"
            for out in cell.get("outputs", []) if out.output_type == "stream"
            for line in out.text.splitlines()
            if any(marker in line for marker in GLYPH_MARKERS)]


def parameter_cells(nb):
    return [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Run each notebook at most once per test session, against corpus/."""
    out_dir, cache = tmp_path_factory.mktemp("executed"), {}

    def run(path):
        if path not in cache:
            cache[path] = execute_notebook(path, CORPUS, out_dir)
        return cache[path]
    return run


# ---- the committed notebooks ------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
             and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_defining_corpus_dir(path):
    cells = parameter_cells(nbformat.read(path, as_version=4))
    assert len(cells) == 1, f"{path.name}: {len(cells)} cells tagged 'parameters'"
    assert "CORPUS_DIR" in cells[0].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom_and_draws_chinese(path, executed):
    nb = executed(path)  # raises NotebookFailed naming the notebook on any error
    assert glyph_warnings(nb) == [], f"{path.name} draws boxes instead of Chinese"


# ---- the machinery, on throwaway notebooks -----------------------------------------------

def write_notebook(folder, name, *sources):
    """A notebook with an H1 cell, a parameters cell and the given code cells."""
    params = new_code_cell('CORPUS_DIR = "../corpus"')
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[new_markdown_cell(f"# {name}\n\nA test notebook."), params,
                             *(new_code_cell(s) for s in sources)],
                      metadata={"kernelspec": {"name": "python3", "language": "python",
                                               "display_name": "Python 3"}})
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


CHART = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import matplotlib.pyplot as plt
from helpers import set_style
FONT = set_style()
{{font_override}}
fig, ax = plt.subplots()
ax.bar(["包头", "呼和浩特"], [2, 3])
ax.set_title("党建引领基层治理")
plt.show()
"""


def test_machinery_passes_a_notebook_that_uses_set_style(tmp_path):
    path = write_notebook(tmp_path, "chinese-ok", CHART.format(font_override=""))
    nb = execute_notebook(path, CORPUS, tmp_path / "out")
    assert glyph_warnings(nb) == []
    assert any("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def test_machinery_flags_chinese_drawn_in_a_font_without_cjk(tmp_path):
    override = 'plt.rcParams["font.family"] = "DejaVu Sans"'
    path = write_notebook(tmp_path, "chinese-boxes", CHART.format(font_override=override))
    nb = execute_notebook(path, CORPUS, tmp_path / "out")
    assert any("missing from font" in line for line in glyph_warnings(nb))


def test_corpus_dir_is_injected_relative_to_the_notebook_folder_which_is_the_cwd(tmp_path):
    path = write_notebook(tmp_path, "params", "import os\nprint(CORPUS_DIR)\nprint(os.getcwd())\n"
                          "print(os.path.samefile(CORPUS_DIR, {!r}))".format(str(CORPUS)))
    nb = execute_notebook(path, CORPUS, tmp_path / "out")
    printed = nb.cells[-1].outputs[0].text.splitlines()
    # relative, so no absolute path of this machine enters the executed notebook
    assert printed[0] == os.path.relpath(CORPUS.resolve(), tmp_path.resolve())
    assert not os.path.isabs(printed[0])
    assert printed[1:] == [str(tmp_path.resolve()), "True"]
    # the committed copy stays clean: executed output goes to out_dir only
    assert nbformat.read(path, as_version=4).cells[-1].outputs == []
    assert (tmp_path / "out" / "params.ipynb").exists()


def test_a_failing_notebook_is_reported_by_name(tmp_path):
    path = write_notebook(tmp_path, "broken", "1 / 0")
    with pytest.raises(NotebookFailed, match="broken.ipynb.*ZeroDivisionError"):
        execute_notebook(path, CORPUS, tmp_path / "out")


def test_html_report_is_self_contained(tmp_path):
    path = write_notebook(tmp_path, "chinese-ok", CHART.format(font_override=""))
    html = to_html(execute_notebook(path, CORPUS, tmp_path / "out"),
                   tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in html
    assert "<script src=\"http" not in html and "cdnjs" not in html and "mathjax" not in html.lower()
    assert "data:font/woff2;base64," in html  # Chinese needs no system font
    assert str(ROOT) not in html and str(tmp_path) not in html
