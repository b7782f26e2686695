# News warehouse: the commands other tools call. Keep their names and variables stable.
#   make build [ARTICLES=<folder>] [WAREHOUSE=<folder>]   load, dbt build, publish $(WAREHOUSE)/news.duckdb
#   make test                                              everything CI runs
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARTICLES ?= data/articles
WAREHOUSE ?= warehouse
GOLD ?= tests/expected/sample_articles.json
# duckdb (the default) or spark: which engine `make build` and `make bench` run the models on.
TARGET ?= duckdb

# No usage tracking from dbt.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: help venv build test test-huge lint evaluate-project pytest eval sql bench clean

help:
	@echo "make build [ARTICLES=<folder>] [WAREHOUSE=<folder>]  build and publish WAREHOUSE/news.duckdb"
	@echo "           [FULL_REFRESH=1] [UNIT_TESTS=1]           rebuild every model / also run dbt unit tests"
	@echo "           [PRUNE=1]                                 retract articles whose files are gone from ARTICLES"
	@echo "           [TARGET=spark]                            the same models through dbt-spark on a local Spark session"
	@echo "make test                                            lint, unit, end-to-end, Superset and Spark tests (what CI runs)"
	@echo "make test-spark                                      marts of DuckDB and Spark builds compared row for row"
	@echo "make test-huge                                       a 10 MB and a 50 MB one-paragraph article built in bounded time and memory"
	@echo "make sql [WAREHOUSE=<folder>]                        DuckDB shell, read-only, on the published file"
	@echo "make bench [N=10000] [ARTICLES=<input>] [BENCH_ARGS=] benchmark a build (corpus made from ../shared)"
	@echo "           [TARGET=spark]                            the Spark build of the same input against DuckDB's"
	@echo "make eval GOLD=<answers.json> ARTICLES=<folder>      score a fresh build against an answer file"
	@echo "make evaluate-project [EVALUATOR_ARGS=]              dbt-project-evaluator on a scratch copy (packages from local git clones)"
	@echo "make bi / make bi-stop [WAREHOUSE=] [BI_PORT=8088]   Apache Superset on 127.0.0.1 with a dashboard"
	@echo "make dashboard-png [WAREHOUSE=] [DASHBOARD_PNG=]     the Superset dashboard drawn in headless Chromium, as a PNG"
	@echo "make docs [WAREHOUSE=] [DOCS_PORT=8080]              dbt docs site on 127.0.0.1"
	@echo "make export [WAREHOUSE=] [EXPORT_DIR=]               the marts as Parquet files"
	@echo "make analyses [WAREHOUSE=]                           analyses/ compiled for make sql (.read WAREHOUSE/analyses/<name>.sql)"

# The virtualenv is (re)made when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

ifeq ($(TARGET),spark)
build: build-spark
else
build: venv
	$(BIN)/python -m scripts.build --articles "$(ARTICLES)" --warehouse "$(WAREHOUSE)" \
		$(if $(FULL_REFRESH),--full-refresh) $(if $(UNIT_TESTS),--unit-tests) $(if $(PRUNE),--prune)
endif

lint: venv
	$(BIN)/sqlfluff lint models tests macros analyses

# dbt-project-evaluator v1.3.2 on a scratch copy of the project, the packages taken from git clones on
# this machine (scripts/quality/project_evaluator.py; EVALUATOR_ARGS="--evaluator DIR --utils DIR" to
# name them): its findings per rule, exit 1 when any is left but the marts' plain names.
evaluate-project: venv
	$(BIN)/python -m scripts.quality.project_evaluator $(EVALUATOR_ARGS)

pytest: venv
	$(BIN)/python -m pytest

eval: venv
	$(BIN)/python -m scripts.quality.evaluate --gold "$(GOLD)" --articles "$(ARTICLES)"

sql: venv
	@test -f "$(WAREHOUSE)/news.duckdb" || { echo "no $(WAREHOUSE)/news.duckdb yet: run make build first" >&2; exit 2; }
	$(BIN)/duckdb -readonly "$(WAREHOUSE)/news.duckdb"

# The generated corpus needs ../shared/corpora; ARTICLES given on the command line benchmarks that input.
N ?= 10000
$(VENV)/.bench-installed: pyproject.toml | venv
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $@

ifeq ($(TARGET),spark)
bench: bench-spark
else
bench: venv $(VENV)/.bench-installed
	$(BIN)/python -m scripts.bench --n $(N) $(if $(filter command line,$(origin ARTICLES)),--articles "$(ARTICLES)") $(BENCH_ARGS)
endif

# The Superset integration test installs Superset into .venv-bi on first use (a few minutes), the
# Spark test pyspark and dbt-spark into .venv (350 MB, up to a few minutes).
test: lint pytest test-huge test-bi test-spark

# A 10 MB and a 50 MB single-paragraph article built by every model (tests/python/test_huge_articles.py):
# about 10 minutes.
test-huge: venv
	NEWS_TEST_HUGE=1 $(BIN)/python -m pytest -v tests/python/test_huge_articles.py

clean:
	rm -rf target logs .pytest_cache

# Further targets (BI, docs, export, Spark) live in make/*.mk.
-include make/*.mk
