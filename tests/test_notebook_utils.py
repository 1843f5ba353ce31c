"""Notebook utilities: filterable_table() gives the static HTML report a table the reader
can filter by typing, with no library loaded from the web."""

import re

import pandas as pd

from helpers import filterable_table

ITEMS = pd.DataFrame({
    "page": ["000", "000", "001"],
    "title": ["党旗辉映，大漠诗韵励初心", "<b>bold</b> & co", None],
    "reporters": [["宋爽"], ["潘佳", "陈春艳"], []],
    "length": [511, 715, 0],
})


def rendered(df=ITEMS, **kw):
    return filterable_table(df, **kw).data


def test_every_row_and_value_is_in_the_table():
    html = rendered()
    assert len(re.findall(r"<tbody>.*?</tbody>", html, flags=re.S)) == 1
    body = re.search(r"<tbody>(.*?)</tbody>", html, flags=re.S).group(1)
    assert body.count("<tr") == 3
    for value in ("党旗辉映，大漠诗韵励初心", "511", "715", "001"):
        assert value in body


def test_name_lists_are_shown_as_names_not_python_lists():
    html = rendered()
    assert "潘佳、陈春艳" in html
    assert "['" not in html


def test_cell_values_and_caption_are_escaped():
    html = rendered(caption="Items <all> & more")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html
    assert "<b>bold</b>" not in html
    assert "<caption>Items &lt;all&gt; &amp; more</caption>" in html


def test_search_boxes_filter_per_column_and_on_all_words():
    html = rendered()
    tid = re.search(r'<table[^>]*id="([^"]+)"', html).group(1)
    assert f'<input type="search" id="{tid}-q"' in html
    script = re.search(r"<script>(.*?)</script>", html, flags=re.S).group(1)
    assert f'getElementById("{tid}")' in script and "style.display" in script
    # one box per column is added by the script; every word typed must match (AND)
    assert 'createElement("input")' in script and ".every(" in script
    assert "<script src" not in html and "http" not in html  # nothing loaded from the web
    assert "3 of 3 rows" in html


def test_without_scripts_the_table_is_whole_and_says_why():
    html = rendered()
    # where scripts do not run (a saved notebook in JupyterLab), the boxes stay hidden and a
    # note says that all rows are shown and where filtering works
    assert re.search(r'<p class="ft-controls" id="[^"]+" hidden>', html)
    assert "All 3 rows are shown" in html and "not trusted" in html


def test_columns_can_be_aligned_for_kwic():
    html = filterable_table(ITEMS, align={"title": "right; color: red"}).data
    assert re.search(r"td:nth-child\(2\) \{text-align: right[a-z]*\}", html)
    assert "color: red" not in html  # only letters reach the style sheet


def test_two_tables_get_their_own_search_boxes():
    first = re.search(r'<table[^>]*id="([^"]+)"', rendered()).group(1)
    second = re.search(r'<table[^>]*id="([^"]+)"', rendered()).group(1)
    assert first != second


def test_missing_values_show_as_blank():
    html = rendered()
    assert "None" not in html and "NaN" not in html


def test_page_labels_are_the_shortest_prefix_that_tells_pages_apart():
    from helpers import list_pages, page_labels

    sample = page_labels(p.stem for p in list_pages())
    assert sorted(sample.values()) == ["000", "001", "002", "003", "004"]
    many = page_labels(f"{n:05d}_{n % 5}" for n in range(1200))
    assert len(set(many.values())) == 1200 and many["00042_2"] == "00042"
    assert page_labels(["ab", "abc"]) == {"ab": "ab", "abc": "abc"}  # no prefix tells them apart
