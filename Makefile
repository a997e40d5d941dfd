# Two commands for a fresh machine with Python 3.11+:  make run   |   make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint install

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the concierge: web chat at http://127.0.0.1:8000 (SQLite under ./data/)
run: $(STAMP)
	$(BIN)/concierge serve --host 127.0.0.1 --port 8000

## Lint, type-check and run every test (PostgreSQL and browser tests skip with a reason where unavailable)
test: $(STAMP) lint
	$(BIN)/pytest -q -n 2

## The quick loop: everything but tests marked slow (servers, subprocesses, the browser)
test-fast: $(STAMP) lint
	$(BIN)/pytest -q -n 2 -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check bot intents knowledge desk tests bench
	$(BIN)/ruff format --check bot intents knowledge desk tests bench
	$(BIN)/mypy
