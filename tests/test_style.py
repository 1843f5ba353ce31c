"""set_style() makes matplotlib, seaborn and wordcloud draw Chinese, not boxes."""

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from wordcloud import WordCloud  # noqa: E402

import helpers  # noqa: E402
from cnpress import style  # noqa: E402
from helpers import cjk_font_path, set_style  # noqa: E402

CHINESE = "内蒙古日报党建版：包头、呼和浩特、通辽"


def draw_chinese_chart(path):
    """Save a bar chart with a Chinese title, tick labels and a negative value; return warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.bar(["包头", "呼和浩特", "通辽"], [3, -1, 5])
        ax.set_title(CHINESE)
        ax.set_ylabel("篇数")
        fig.savefig(path)
        plt.close(fig)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_font_path_is_a_file_that_has_the_chinese_glyphs():
    path = Path(cjk_font_path())
    assert path.is_file()
    charmap = font_manager.get_font(str(path)).get_charmap()
    assert all(ord(ch) in charmap for ch in CHINESE if ch not in "：、")


def test_packaged_noto_sans_sc_is_preferred():
    assert Path(cjk_font_path()).name == "NotoSansSC-Regular.otf"


def test_chart_with_chinese_saves_without_missing_glyph_warnings(tmp_path):
    path = set_style()
    assert path == cjk_font_path()
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert draw_chinese_chart(tmp_path / "chart.png") == []
    assert (tmp_path / "chart.png").stat().st_size > 5000


def test_without_set_style_the_same_chart_is_flagged(tmp_path):
    # Control: the check above can fail. DejaVu Sans has no Chinese glyphs.
    with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        missing = draw_chinese_chart(tmp_path / "boxes.png")
    assert missing and "Glyph" in missing[0]


def test_wordcloud_draws_chinese_with_the_returned_path():
    path = set_style()
    cloud = WordCloud(font_path=path, width=300, height=150, background_color="white",
                      random_state=0).generate_from_frequencies({"党建": 9, "基层": 5, "内蒙古": 7})
    pixels = np.asarray(cloud.to_image().convert("L"))
    ink = (pixels < 200).mean()
    assert 0.01 < ink < 0.9, f"word cloud is blank or solid ({ink:.3f} of pixels inked)"


def test_clear_error_when_no_chinese_font_exists(monkeypatch):
    monkeypatch.setattr(style, "_packaged_font", lambda: None)
    monkeypatch.setattr(style, "_system_fonts", lambda: [])
    with pytest.raises(RuntimeError, match="requirements.txt.*fonts-noto-cjk"):
        cjk_font_path()


def test_system_fallback_skips_fonts_without_chinese(monkeypatch):
    dejavu = font_manager.findfont("DejaVu Sans")
    monkeypatch.setattr(style, "_packaged_font", lambda: None)
    monkeypatch.setattr(style, "_system_fonts", lambda: [dejavu])
    with pytest.raises(RuntimeError):
        cjk_font_path()


def test_system_fallback_finds_a_chinese_font_file(monkeypatch):
    noto = style._packaged_font()
    dejavu = font_manager.findfont("DejaVu Sans")
    monkeypatch.setattr(style, "_packaged_font", lambda: None)
    monkeypatch.setattr(style, "_system_fonts", lambda: [dejavu, str(noto)])
    assert cjk_font_path() == str(noto)
