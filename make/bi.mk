# BI and ad-hoc access on the published warehouse (included by the main Makefile).
#   make bi      [WAREHOUSE=..] [BI_PORT=8088]   Apache Superset on 127.0.0.1, dashboard ready
#   make bi-stop [WAREHOUSE=..]                  stop it
#   make docs    [WAREHOUSE=..] [DOCS_PORT=8080] dbt docs generate + the docs site on 127.0.0.1
#   make export  [WAREHOUSE=..] [EXPORT_DIR=..]  the marts as Parquet files
#   make analyses [WAREHOUSE=..]                 analyses/ compiled for make sql, into WAREHOUSE/analyses/
#   make dashboard-png [WAREHOUSE=..] [DASHBOARD_PNG=docs/img/dashboard.png]
#                                                the Superset dashboard, drawn in headless Chromium, as a PNG
#   make test-bi                                 install .venv-bi and run the Superset integration test
# Superset lives in its own virtualenv (.venv-bi): its pins would fight dbt's. It is installed from
# the `bi` group of pyproject.toml (the one list of its pins), on first use and when that file changes.

BI_VENV := .venv-bi
BI_PORT ?= 8088
DOCS_PORT ?= 8080
EXPORT_DIR ?= $(WAREHOUSE)/parquet
DASHBOARD_PNG ?= docs/img/dashboard.png
CHROMIUM ?= /usr/bin/chromium
# apt-get needs root: through sudo for anyone else.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: bi bi-stop bi-status bi-venv browser chromium dashboard-png docs docs-generate export analyses test-bi

$(BI_VENV)/.installed: pyproject.toml | venv
	@test -x $(BI_VENV)/bin/python || $(PYTHON) -m venv $(BI_VENV)
	$(BIN)/python -m scripts.bi.superset.bi requirements > $(BI_VENV)/requirements.txt
	@echo "installing Apache Superset into $(BI_VENV) (first time: a few minutes)"
	$(BI_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r $(BI_VENV)/requirements.txt
	@touch $@

bi-venv: $(BI_VENV)/.installed

# The headless browser: Playwright (the `browser` group, into .venv) driving Debian's chromium.
# Playwright's own browser download cannot work here, so the browser is the Debian package.
$(VENV)/.browser-installed: pyproject.toml | venv
	$(BIN)/python -m pip install --quiet -e '.[dev,browser]'
	@touch $@

chromium:
	@test -x "$(CHROMIUM)" || { echo "installing Debian's chromium package (first time: a minute)"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

browser: $(VENV)/.browser-installed chromium

# Starts Superset on WAREHOUSE as make bi does (and stops it again if it was not running), checks
# that every chart of the dashboard drew, and writes the PNG the README shows.
dashboard-png: bi-venv browser
	$(BIN)/python -m scripts.bi.superset.screenshot --warehouse "$(WAREHOUSE)" --venv $(BI_VENV) \
		--port $(BI_PORT) --output "$(DASHBOARD_PNG)" --chromium "$(CHROMIUM)"

bi: bi-venv
	$(BIN)/python -m scripts.bi.superset.bi start --warehouse "$(WAREHOUSE)" --venv $(BI_VENV) --port $(BI_PORT)

bi-stop: venv
	$(BIN)/python -m scripts.bi.superset.bi stop --warehouse "$(WAREHOUSE)" --venv $(BI_VENV)

bi-status: venv
	$(BIN)/python -m scripts.bi.superset.bi status --warehouse "$(WAREHOUSE)" --venv $(BI_VENV)

docs-generate: venv
	$(BIN)/python -m scripts.bi.docs generate --warehouse "$(WAREHOUSE)"

docs: venv
	$(BIN)/python -m scripts.bi.docs serve --warehouse "$(WAREHOUSE)" --port $(DOCS_PORT)

export: venv
	$(BIN)/python -m scripts.bi.export_parquet --warehouse "$(WAREHOUSE)" --output "$(EXPORT_DIR)"

analyses: venv
	$(BIN)/python -m scripts.bi.analyses --warehouse "$(WAREHOUSE)"

# Builds data/articles into a temporary warehouse, starts Superset there on a free port, drives its
# REST API and in headless Chromium, rebuilds, and stops it (tests/python/test_superset.py).
test-bi: venv bi-venv browser
	NEWS_TEST_BI=1 $(BIN)/python -m pytest -v tests/python/test_superset.py
