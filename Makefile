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
# the project's kernelspec, lab settings, font and nbconvert template (dbanalysis.notebook.lab)
LABSETUP    := $(VENV)/share/jupyter/kernels/dbanalysis/kernel.json
SITE        ?= site
JOBS        ?=
# make lab ARGS="--no-browser --port=8899"
ARGS        ?=
LAB_ROOT    ?= notebooks
# make notebooks EXECUTE=auto: only notebooks whose inputs changed (always, auto, never)
EXECUTE     ?= always
# three workers on this 2-core machine: while one waits on a kernel, Chromium or a
# subprocess, the others use the cores (quiet machine, same tests: -n 2 122.7 s,
# -n 3 104.7 s, -n 4 108.2 s of wall; bench/RESULTS.md). The quick tier, all in
# process, keeps two.
# The suite's pytest plugins are named (by their entry points' names, as found when
# installed) instead of pytest finding every installed one in each of its four processes:
# xdist (-n), nbval (--nbval) and hypothesis (its pytest plugin: tests/conftest.py fails the
# run without it); not anyio's and platformdirs' (no test uses their fixtures or marks: a
# test that did would fail, fixture not found, unknown mark or async test not supported).
# Saved: anyio's hooks on every collected name, fixture set-up and test call (2,500
# trivial tests in one process: ~0.15 s of CPU; bench/RESULTS.md).
# (--disable-plugin-autoload, not PYTEST_DISABLE_PLUGIN_AUTOLOAD: the variable would reach
# the processes the tests start; the fresh pytest runs of test_home_alone and
# test_report_notebooks take these options from here themselves.)
PYTEST_ARGS := -p no:cacheprovider --disable-plugin-autoload -p xdist -p nbval \
	-p hypothesispytest -n 3 --dist loadscope --nbval --nbval-current-env \
	--nbval-sanitize-with notebooks/sanitize.cfg
# Jupyter refuses to start as root without --allow-root (containers run as root)
ALLOW_ROOT  := $(if $(filter 0,$(shell id -u)),--allow-root)

export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Notebooks and tests must not depend on a user's matplotlib/jupyter config
# (lab kernels draw inline all the same: their kernelspec sets their backend).
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: env report test test-quick screenshots lint unit nbval lab check export bench clean help notebooks normalise

help:
	@echo "make report  - build the HTML report in $(SITE)/"
	@echo "make test    - run every test (lint, unit, notebooks)"
	@echo "make test-quick - lint and the in-process tests only (the edit loop)"
	@echo "make screenshots - screenshots of the report's pages in test-artifacts/ (desktop, phone)"
	@echo "make lab     - open JupyterLab on notebooks/ (make lab ARGS='--no-browser')"
	@echo "make notebooks - re-execute notebooks in place (NB=..., EXECUTE=auto)"
	@echo "make check   - print the arithmetic audit of the report"
	@echo "make export  - write the tidy data package to export/"
	@echo "make bench   - print build/test/import timings"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

# (re-installed when the lab setup or the nbconvert template it copies changes)
$(LABSETUP): $(STAMP) src/dbanalysis/notebook/lab.py src/dbanalysis/notebook/normalise.py \
		$(wildcard src/dbanalysis/templates/dbsite/* src/dbanalysis/templates/dbsite/static/*) \
		$(wildcard src/dbanalysis/templates/labextension/* src/dbanalysis/templates/labextension/static/*)
	$(BIN)/python -m dbanalysis.notebook.lab install

env: $(STAMP) $(LABSETUP)

report: $(STAMP)
	$(BIN)/dbanalysis build --lang all --out $(SITE) $(if $(JOBS),--jobs $(JOBS))

# compileall: the package's bytecode for every test worker, kernel and subprocess, also
# where PYTHONDONTWRITEBYTECODE is set (each of them would compile the modules again).
# mypy (about 9 s on a fresh clone, incremental after) runs beside the tests; the target
# fails if either does.
# PYTHONDONTWRITEBYTECODE= for pytest: its assertion rewriting of the test modules is
# kept in tests/__pycache__ (git-ignored) and read back by every worker and later run,
# instead of being redone by each worker (~2.8 s CPU per worker where it is set).
test: $(STAMP) $(LABSETUP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m compileall -q src
	@log=$$(mktemp); $(BIN)/mypy > $$log 2>&1 & mypy=$$!; \
	echo "$(BIN)/python -m pytest $(PYTEST_ARGS)"; \
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest $(PYTEST_ARGS); tests=$$?; \
	wait $$mypy; typed=$$?; echo "$(BIN)/mypy"; cat $$log; rm -f $$log; \
	test $$tests -eq 0 && test $$typed -eq 0

# The edit loop: lint and the in-process tests (no kernels, browsers, builds or nbval).
# DBANALYSIS_QUICK=1: a documented smaller sweep of two checks, left in full to `make test`
# (docs/architecture.md "Test tiers"): hypothesis tests try a fifth of their examples,
# and the chart sweep draws each chart in one (language, layout) variant, rotating along
# the charts so that each language and layout is drawn, instead of all four.
# The two pytest plugins it uses are named (xdist, hypothesis) instead of pytest finding
# every installed one: that scan of the environment's packages and the plugins nothing
# here uses (nbval, anyio, platformdirs) took ~0.12 s of CPU in each of its three
# processes, before the first test.
test-quick: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	PYTHONDONTWRITEBYTECODE= DBANALYSIS_QUICK=1 PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python -m pytest -p no:cacheprovider -p xdist.plugin -p _hypothesis_pytestplugin -n 2 -q -m "not slow and not browser" tests

# Full-page screenshots of the report's main pages, both editions, at 1280 and 390 px, into
# test-artifacts/ (for people to look at; `make test` checks the same pages' layout without
# taking them). The browser test that checks those pages, with DBANALYSIS_SCREENSHOTS=1.
screenshots: $(STAMP)
	DBANALYSIS_SCREENSHOTS=1 $(BIN)/python -m pytest -p no:cacheprovider -p no:nbval -q \
		"tests/test_site_reader.py::test_real_site_screenshots"

# Execute notebooks in place (the executor `dbanalysis build` uses), stamp the hash of
# their inputs and normalise them, so that a re-run leaves git clean.
#   make notebooks NB=notebooks/01-agriculture.ipynb [EXECUTE=auto]
# only the report's notebooks (NN-<topic>.ipynb), not Untitled.ipynb or a scratch one
NB ?= $(wildcard notebooks/[0-9][0-9]-*.ipynb)
notebooks: $(STAMP)
	$(BIN)/python -m dbanalysis.notebook.execute --execute $(EXECUTE) $(if $(JOBS),--jobs $(JOBS)) $(NB)

# Normalise notebooks without executing them (after editing one in the lab).
normalise: $(STAMP)
	$(BIN)/python -m dbanalysis.notebook.execute --execute never $(NB)

lab: $(STAMP) $(LABSETUP)
	env -u MPLBACKEND $(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_ROOT) $(ALLOW_ROOT) $(ARGS)

check: $(STAMP)
	$(BIN)/dbanalysis check

export: $(STAMP)
	$(BIN)/dbanalysis export --out export

bench: $(STAMP)
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(SITE) export .pytest_cache
