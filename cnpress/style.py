"""Chart style: one call that gives matplotlib, seaborn and wordcloud a Chinese font.

Usage at the top of every notebook::

    FONT_PATH = set_style()          # matplotlib + seaborn now draw Chinese
    WordCloud(font_path=FONT_PATH)   # wordcloud needs the file itself
"""
from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
from pathlib import Path

import matplotlib as mpl
import seaborn as sns
from matplotlib import font_manager

# The OFL Noto Sans SC shipped as a wheel, so `pip install -r requirements.txt` is enough
# to draw Chinese on any machine, without apt or admin rights.
FONT_PACKAGE = "pylopdf-fonts-zh-cn"
FONT_PACKAGE_FILE = "NotoSansSC-Regular.otf"

# System fallbacks, best first. Simplified-Chinese families first: the same code points
# drawn by a JP/KR/TC face get the wrong glyph shapes for a mainland newspaper.
SYSTEM_FONT_PREFERENCE = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback",
    "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "AR PL UMing CN",
)
# Characters a usable font must contain (the page's staples: party, building, Inner Mongolia).
CJK_PROBE = "党建内蒙古呼和浩特"

# Sized for reports read in a browser: 10 x 5.5 in at 110 dpi fits an HTML page width.
FIGURE_SIZE = (10, 5.5)
FIGURE_DPI = 110
SAVE_DPI = 150

INSTALL_HINT = (
    f"No Chinese (CJK) font found. Install the project requirements "
    f"(`pip install -r requirements.txt`, which ships Noto Sans SC in the "
    f"`{FONT_PACKAGE}` wheel) or a system font, e.g. `apt-get install fonts-noto-cjk`."
)


def _packaged_font():
    """Path of Noto Sans SC inside the installed font wheel, found via its file list; or None."""
    try:
        files = importlib.metadata.files(FONT_PACKAGE) or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in files:
        if f.name == FONT_PACKAGE_FILE:
            path = Path(f.locate()).resolve()
            if path.is_file():
                return path
    return None


def _covers(path, text=CJK_PROBE):
    """True if the first face of the font file has a glyph for every character of `text`."""
    try:
        font = font_manager.get_font(str(path))
        charmap = font.get_charmap()
    except Exception:  # unreadable or unsupported file: not a candidate
        return False
    return all(ord(ch) in charmap for ch in text)


def _first_face_is_japanese(path):
    """True for a .ttc collection whose first face is a JP one (e.g. Noto Sans CJK JP first).

    matplotlib only uses the first face of a collection, so such a file draws Japanese shapes.
    """
    if not str(path).lower().endswith(".ttc"):
        return False
    family = font_manager.get_font(str(path)).family_name
    return " JP" in family or family.endswith("JP") or "Japan" in family


def _system_fonts():
    """Candidate CJK font files on this system: matplotlib's list plus fc-list (Chinese)."""
    paths = set(font_manager.findSystemFonts())
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True,
                             check=False).stdout
        paths |= {line.split(":")[0].strip() for line in out.splitlines() if line.strip()}
    return sorted(paths)


def _rank(path):
    """Sort key: preferred SC/CN family first, then any family with SC/CN in its name."""
    family = font_manager.get_font(str(path)).family_name
    if family in SYSTEM_FONT_PREFERENCE:
        return (0, SYSTEM_FONT_PREFERENCE.index(family), path)
    if any(tag in family for tag in (" SC", " CN", "GB")):
        return (1, 0, path)
    return (2, 0, path)


def cjk_font_path():
    """Return the path (str) of a font file that draws Simplified Chinese.

    First Noto Sans SC from the `pylopdf-fonts-zh-cn` wheel, else a system CJK font
    (SC/CN families preferred, .ttc collections opening with a Japanese face skipped).
    Raises RuntimeError with what to install when nothing fits.
    """
    packaged = _packaged_font()
    if packaged is not None and _covers(packaged):
        return str(packaged)
    candidates = [p for p in _system_fonts()
                  if _covers(p) and not _first_face_is_japanese(p)]
    if not candidates:
        raise RuntimeError(INSTALL_HINT)
    return str(sorted(candidates, key=_rank)[0])


def set_style(context="notebook"):
    """Set one chart style for matplotlib, seaborn and wordcloud; return the CJK font path.

    Registers the font with matplotlib, applies seaborn's whitegrid theme with that font,
    keeps the minus sign ASCII (CJK fonts often lack U+2212), and sizes figures for HTML.
    Pass the returned path to WordCloud(font_path=...).
    """
    path = cjk_font_path()
    font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    sns.set_theme(context=context, style="whitegrid", font=family,
                  rc={"font.sans-serif": [family, "DejaVu Sans"]})
    mpl.rcParams.update({
        "axes.unicode_minus": False,
        "figure.figsize": FIGURE_SIZE,
        "figure.dpi": FIGURE_DPI,
        "savefig.dpi": SAVE_DPI,
        "savefig.bbox": "tight",
    })
    return path

