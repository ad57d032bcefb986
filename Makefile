# Satu Data Portal. `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run test test-sqlite test-postgres lint setup deps static translations chromium clean

run: setup ## the portal on embedded defaults, with demo data
	$(BIN)/satudata run --demo --port $(PORT)

# Test processes (pytest-xdist), one per CI core. Whole files go to one process (loadfile), so a
# module's shared fixtures are built once; each process has its own Redis db and PG schemas.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile

test: setup chromium lint ## the whole suite: SQLite always, PostgreSQL too when SATUDATA_TEST_DATABASE_URL is set
	SATUDATA_TEST_DATABASE_URL= $(PYTEST)
	@if [ -n "$$SATUDATA_TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL (tests that touch no database ran once already): $$SATUDATA_TEST_DATABASE_URL"; \
	  $(PYTEST) -m "not browser and not nodb"; \
	fi

lint: setup
	$(BIN)/ruff check satudata harvesters tests bench
	$(BIN)/mypy

setup: deps static translations

deps: $(BIN)/.installed

$(BIN)/.installed: requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt -c constraints.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

static: satudata/static/vendor/.built

satudata/static/vendor/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

translations: deps
	$(BIN)/pybabel compile -d satudata/translations >/dev/null

chromium: ## Debian's Chromium for the browser tests (never a downloaded browser)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

clean:
	rm -rf $(VENV) node_modules satudata/static/vendor instance .pytest_cache .mypy_cache .ruff_cache
