# Tracker: `make run` serves the app with demo data; `make test` runs the whole suite.
# Everything the app needs is installed by these targets, starting from Python 3.11+.

SHELL := /bin/bash
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000
export UV_PYTHON_DOWNLOADS := never
export FLASK_APP := wsgi

# uv: on PATH, else as a module, else installed for this user with pip.
UV := $(shell command -v uv 2>/dev/null || ($(PYTHON) -m uv --version >/dev/null 2>&1 && echo "$(PYTHON) -m uv"))
ifeq ($(strip $(UV)),)
UV := $(PYTHON) -m uv
NEED_UV := 1
endif
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help setup system run test lint translations translations-extract bench vendor clean

help:
	@echo "make run    - set everything up and serve http://$(HOST):$(PORT) with demo data (PORT=8080 to move it)"
	@echo "make test   - ruff, then the suite on SQLite (and PostgreSQL with TEST_DATABASE_URL)"
	@echo "make bench  - load test: gunicorn + wrk on generated data (BENCH_ARGS=\"--scale 0.1\")"

$(BIN)/python: pyproject.toml uv.lock
ifdef NEED_UV
	$(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet --user --break-system-packages uv
endif
	$(UV) sync --frozen --python $(PYTHON)
	@touch $(BIN)/python

setup: $(BIN)/python translations

translations: $(BIN)/python
	@$(BIN)/pybabel -q compile -d tracker/translations

translations-extract: $(BIN)/python
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --ignore-dirs ".* __pycache__" -o tracker/translations/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations --no-fuzzy-matching --ignore-obsolete

# The job worker (mail, escalations, digests, reminders) runs beside the web server and
# stops with it; its queue is a SQLite file in instance/ unless REDIS_URL is set.
run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask search reindex --if-empty
	$(BIN)/flask jobs worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# System packages and services the suite needs (chromium, a CJK font, Redis, wrk …):
# the same script CI runs, so `make test` passes on a fresh machine too.
system:
	@bash scripts/system-setup.sh

lint: $(BIN)/python
	$(BIN)/ruff check .

test: system setup lint
	$(BIN)/pytest -q -n 2 --dist loadgroup
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "--- again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		TRACKER_TEST_DB=postgresql $(BIN)/pytest -q -n 2 --dist loadgroup; \
	fi

# BENCH_ARGS passes options through: make bench BENCH_ARGS="--scale 0.1 --only queue"
bench: system setup
	$(BIN)/python -m bench.run $(BENCH_ARGS)

vendor:
	bash tracker/static/vendor/fetch.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
