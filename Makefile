# The two commands: `make run` and `make test`. Everything else is set up from this file.
#
# Dependencies install from lock files (exact versions with hashes, the whole tree, for
# Python 3.12 on Linux), generated from pyproject.toml by uv:
#   requirements.lock       the app and its build backend: what `make run` installs
#   requirements-test.lock  the same pins plus the `test` extra: what `make test` installs
# After editing the dependencies in pyproject.toml run `make lock` (keeps every pin that still
# fits, adds or moves only what the edit needs) and commit both lock files.
# `make lock-upgrade` re-resolves everything to the newest releases pyproject.toml allows.
SHELL := /bin/bash
VENV  ?= .venv
BIN   := $(VENV)/bin
PY_FOUND = $(shell scripts/find-python)
SRC   := $(wildcard bot commands integrations store tests benchmarks)
# This machine's pip configuration names local mirrors that may be absent: hide that noise only.
QUIET_PIP := 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
# On a terminal pip shows what it downloads and installs (a fresh install takes minutes);
# elsewhere (CI, logs) it stays quiet. $(shell) captures stdout only, so stderr tells.
PIP_PROGRESS := $(shell [ -t 2 ] || echo --quiet)
PIP_VERSION := 26.3
UV_VERSION  := 0.13.8
UV_VENV     := .venv-uv
UV          := $(UV_VENV)/bin/uv
LOCK        := requirements.lock
LOCK_TEST   := requirements-test.lock
LOCK_FLAGS  := --python-version 3.12 --python-platform linux --generate-hashes \
               --custom-compile-command 'make lock' --quiet
# The build backend (pyproject's [build-system] requires) is locked too, so the editable
# install below builds without fetching anything unpinned.
BUILD_REQS   = "$(PY_FOUND)" -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'
STALE_LOCK  := echo "The installed packages do not satisfy pyproject.toml: run 'make lock' and commit the lock files." >&2; exit 1

.PHONY: run chat test lint typecheck bench clean venv venv-test postgres lock lock-upgrade

$(BIN)/python:
	@py="$(PY_FOUND)"; [ -n "$$py" ] || exit 1; \
	echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)
	@echo "Upgrading pip in $(VENV) to $(PIP_VERSION)"
	@$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION) $(QUIET_PIP)

# Hash-checking mode cannot take an editable requirement, hence two pip calls.
$(VENV)/.installed: $(BIN)/python $(LOCK) pyproject.toml
	@echo "[1/3] Installing the pinned packages from $(LOCK) into $(VENV) (a few minutes on a fresh machine)"
	@$(BIN)/pip install $(PIP_PROGRESS) --require-hashes -r $(LOCK) $(QUIET_PIP)
	@echo "[2/3] Installing QA Bot itself (editable: $(BIN)/qabot)"
	@$(BIN)/pip install --quiet --no-deps --no-build-isolation -e . $(QUIET_PIP)
	@echo "[3/3] Checking the installed packages agree"
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; $(STALE_LOCK); }
	@touch $@

$(VENV)/.installed-test: $(BIN)/python $(LOCK_TEST) pyproject.toml
	@echo "[1/3] Installing the pinned packages and test tools from $(LOCK_TEST) into $(VENV) (a few minutes on a fresh machine)"
	@$(BIN)/pip install $(PIP_PROGRESS) --require-hashes -r $(LOCK_TEST) $(QUIET_PIP)
	@echo "[2/3] Installing QA Bot itself (editable: $(BIN)/qabot)"
	@$(BIN)/pip install --quiet --no-deps --no-build-isolation -e . $(QUIET_PIP)
	@echo "[3/3] Checking the installed packages agree"
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; $(STALE_LOCK); }
	@touch $@ $(VENV)/.installed

venv: $(VENV)/.installed
venv-test: $(VENV)/.installed-test

# uv, at an exact version, in a venv of its own: only `make lock` needs it.
$(UV):
	@py="$(PY_FOUND)"; [ -n "$$py" ] || exit 1; "$$py" -m venv $(UV_VENV)
	$(UV_VENV)/bin/pip install --quiet uv==$(UV_VERSION) $(QUIET_PIP)

# The test lock is constrained by the app's, so both hold the same version of every shared package.
lock: $(UV)
	$(BUILD_REQS) | UV_PYTHON_DOWNLOADS=never $(UV) pip compile pyproject.toml - \
	  --python "$(PY_FOUND)" $(LOCK_FLAGS) -o $(LOCK)
	$(BUILD_REQS) | UV_PYTHON_DOWNLOADS=never $(UV) pip compile pyproject.toml - --extra test -c $(LOCK) \
	  --python "$(PY_FOUND)" $(LOCK_FLAGS) -o $(LOCK_TEST)

lock-upgrade: LOCK_FLAGS += --upgrade
lock-upgrade: lock

run: venv
	$(BIN)/qabot run

# The console on this machine's database (the demo board is seeded by `make run` when empty);
# the same as `.venv/bin/qabot chat`. Pass MEMBER=pol to act as another member.
chat: venv
	@$(BIN)/qabot migrate >/dev/null
	@$(BIN)/qabot seed --demo 2>/dev/null | sed 's/^/(first use) /' || true
	$(BIN)/qabot chat $(if $(MEMBER),--as $(MEMBER))

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
	rm -rf $(VENV) $(UV_VENV) .pg-test .pg-test-url .pytest_cache .mypy_cache .ruff_cache
	@echo "Removed the virtualenvs, the throwaway test PostgreSQL and the tool caches."
	@echo "Kept your data and settings: the database (qabot.db, or \$$QABOT_DATABASE_URL), .env, and the console history (~/.qabot_history)."
