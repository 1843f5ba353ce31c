# Two commands for users: `make report` and `make test` (plus `make lab`).
# Both create .venv from requirements.txt on first use and whenever requirements.txt changes.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements-installed
CORPUS ?= corpus
BENCH_SIZES ?= 20 100
BENCH_REPEAT ?= 3
# article records timed too (skipped when absent): the shared 新闻联播 file
BENCH_RECORDS ?= ../shared/data/xwlb/xwlb_2022-2026.jsonl.gz

.PHONY: report check-corpus test lab env bench

# CORPUS reaches render.py as the environment variable RENDER_CORPUS, never on a command line
# that the shell parses: a folder named pages`id>x` or a value holding ";…;" or $(…) is only
# a name. $(value …) keeps make from expanding it, and `unexport` keeps make from exporting
# (and so expanding) CORPUS itself. An empty CORPUS= is an error, reported by render.py.
unexport CORPUS
report check-corpus: export RENDER_CORPUS = $(value CORPUS)

report: $(STAMP)  ## render every notebook to reports/*.html (CORPUS=folder to use another corpus)
	$(PY) scripts/render.py

check-corpus: $(STAMP)  ## check the CORPUS folder and list the notebooks, run nothing
	$(PY) scripts/render.py --check

test: $(STAMP)    ## run the test suite
	@# pytest exits 5 when it collected no tests: that is a broken setup, not a pass.
	$(PY) -m pytest -q || { rc=$$?; if [ $$rc -eq 5 ]; then \
	  echo "make test: pytest collected no tests (exit 5); is tests/ missing?" >&2; fi; exit $$rc; }

bench: $(STAMP)   ## time the pipeline on generated 20 MB and 100 MB corpora (bench/out/, git-ignored)
	$(PY) bench/run.py --sizes $(BENCH_SIZES) --records $(BENCH_RECORDS) --repeat $(BENCH_REPEAT)

lab: $(STAMP)     ## open JupyterLab on the notebooks
	$(VENV)/bin/jupyter lab notebooks

env: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)
