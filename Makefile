# Two commands for a fresh clone that has only python3 and make:
#   make report   executes the notebooks and builds the offline HTML site in site/
#   make test     lint + type check + unit tests + nbval (strict) over every notebook
# The environment (.venv/) is created from uv.lock on first use.

PYTHON      ?= python3
UV_VERSION  := 0.13.9
TOOLS       := .tools
UV          := $(TOOLS)/bin/uv
VENV        := .venv
BIN         := $(VENV)/bin
STAMP       := $(VENV)/.synced-stamp
SITE        ?= site
JOBS        ?=

export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Notebooks and tests must not depend on a user's matplotlib/jupyter config.
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: env report test lint unit nbval lab check export bench clean help notebooks

help:
	@echo "make report  - build the HTML report in $(SITE)/"
	@echo "make test    - run every test (lint, unit, notebooks)"
	@echo "make lab     - open JupyterLab on notebooks/"
	@echo "make check   - print the arithmetic audit of the report"
	@echo "make export  - write the tidy data package to export/"
	@echo "make bench   - print build/test/import timings"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

env: $(STAMP)

report: $(STAMP)
	$(BIN)/dbanalysis build --lang all --out $(SITE) $(if $(JOBS),--jobs $(JOBS))

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadscope --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg

# Execute notebooks in place, without nbclient's per-cell timestamps, so that a
# re-run leaves git clean.   make notebooks NB=notebooks/01-agriculture.ipynb
NB ?= $(wildcard notebooks/*.ipynb)
notebooks: $(STAMP)
	cd notebooks && for nb in $(notdir $(NB)); do \
	  ../$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.record_timing=False --KernelManager.transport=ipc \
	    --log-level=ERROR $$nb || exit 1; done

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

check: $(STAMP)
	$(BIN)/dbanalysis check

export: $(STAMP)
	$(BIN)/dbanalysis export --out export

bench: $(STAMP)
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(SITE) export .pytest_cache
