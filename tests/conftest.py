"""Make the project root importable (``import helpers``) however pytest is started."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# No progress bars in test output (helpers.progress; scripts/render.py does the same).
import os  # noqa: E402

os.environ["NMG_PROGRESS"] = "0"

import shutil  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def lexicon_copy(tmp_path, monkeypatch):
    """A copy of lexicon/ that the package reads instead of the real one (its owner,
    cnpress.config, is patched: helpers only re-exports)."""
    from cnpress import config

    folder = tmp_path / "lexicon"
    shutil.copytree(config.LEXICON_DIR, folder)
    monkeypatch.setattr(config, "LEXICON_DIR", folder)
    return folder


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """An empty cache folder in place of .cache/corpus."""
    from cnpress import config

    folder = tmp_path / "cache"
    monkeypatch.setattr(config, "CACHE_DIR", folder)
    return folder
