# The two commands: `make run` and `make test`. Everything else is set up from this file.
SHELL := /bin/bash
VENV  ?= .venv
BIN   := $(VENV)/bin
PY_FOUND = $(shell scripts/find-python)

.PHONY: run test lint typecheck bench clean venv venv-test postgres

$(BIN)/python:
	@py="$(PY_FOUND)"; [ -n "$$py" ] || exit 1; \
	echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

venv: $(VENV)/.installed
venv-test: $(VENV)/.installed-test

run: venv
	$(BIN)/qabot run

postgres:
	@scripts/test-postgres > .pg-test-url

lint: venv-test
	$(BIN)/ruff check bot commands integrations store tests benchmarks
	$(BIN)/ruff format --check bot commands integrations store tests benchmarks || true

typecheck: venv-test
	$(BIN)/mypy

test: venv-test postgres lint typecheck
	QABOT_TEST_POSTGRES_URL="$$(cat .pg-test-url)" $(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: venv-test
	$(BIN)/python -m benchmarks.run_all

clean:
	rm -rf $(VENV) .pg-test .pg-test-url .pytest_cache .mypy_cache .ruff_cache
