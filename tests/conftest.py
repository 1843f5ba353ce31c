"""Make the project root importable (``import helpers``) however pytest is started."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# No progress bars in test output (helpers.progress; scripts/render.py does the same).
import os  # noqa: E402

os.environ["NMG_PROGRESS"] = "0"
