# The two commands: `make run` and `make test`. Everything else is set up from this file.
SHELL := /bin/bash
VENV  ?= .venv
BIN   := $(VENV)/bin
PY_FOUND = $(shell scripts/find-python)
SRC   := $(wildcard bot commands integrations store tests benchmarks)
# This machine's pip configuration names local mirrors that may be absent: hide that noise only.
QUIET_PIP := 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)

.PHONY: run test lint typecheck bench clean venv venv-test postgres

$(BIN)/python:
	@py="$(PY_FOUND)"; [ -n "$$py" ] || exit 1; \
	echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip $(QUIET_PIP)

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e . $(QUIET_PIP)
	@touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]' $(QUIET_PIP)
	@touch $@ $(VENV)/.installed

venv: $(VENV)/.installed
venv-test: $(VENV)/.installed-test

run: venv
	$(BIN)/qabot run

postgres:
	@scripts/test-postgres > .pg-test-url

lint: venv-test
	$(BIN)/ruff check $(SRC)

typecheck: venv-test
	$(BIN)/mypy

test: venv-test postgres lint typecheck
	QABOT_TEST_POSTGRES_URL="$$(cat .pg-test-url)" $(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: venv-test
	$(BIN)/python -m benchmarks.run_all

clean:
	rm -rf $(VENV) .pg-test .pg-test-url .pytest_cache .mypy_cache .ruff_cache
