# Minsheng: the few verbs a newcomer needs.  `make demo` runs the demo; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := chromium poppler-utils fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

.PHONY: help install system-packages venv messages demo demo-data run worker test test-fast lint format \
        migrations-check ci bench bench-smoke clean

help:
	@echo "make demo     install everything, build the Jiangmen demo on SQLite, serve http://$(HOST):$(PORT)"
	@echo "make test     run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make worker   run the background task worker"
	@echo "make lint     ruff, mypy and the floors (lint-imports)"
	@echo "make bench    the benchmarks (see docs/BENCHMARKS.md)"

install: system-packages venv messages

# System packages: installed when running as root on Debian and something is missing; otherwise skipped.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "warning: missing system packages:$$missing (browser tests will be skipped)"; fi; \
	fi

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

venv: $(BIN)/activate
	@if ! cmp -s requirements.lock $(VENV)/.installed-lock; then \
	  $(BIN)/pip install -q --disable-pip-version-check -r requirements.lock && \
	  $(BIN)/pip install -q --disable-pip-version-check --no-deps -e . && \
	  cp requirements.lock $(VENV)/.installed-lock; \
	fi

messages: venv
	@$(PY) scripts/compile_messages.py

demo-data: install
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) demo_build

# Builds the demo (once; `make demo-reset` to start again), then serves it with a task worker beside it.
demo: install
	@if [ ! -f var/minsheng.sqlite3 ]; then $(MAKE) --no-print-directory demo-data; fi
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) demo_logins
	@trap 'kill 0' EXIT; $(MANAGE) db_worker & $(MANAGE) scheduler & $(MANAGE) runserver --noreload $(HOST):$(PORT)

demo-reset:
	rm -f var/minsheng.sqlite3*
	$(MAKE) demo

run: install
	$(MANAGE) runserver $(HOST):$(PORT)

# The task worker and the scheduler of daily jobs (reminders); Ctrl-C stops both.
worker: install
	@trap 'kill 0' EXIT; $(MANAGE) scheduler & $(MANAGE) db_worker

test: install
	$(BIN)/pytest -n 2 $(ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy minsheng/*/services.py minsheng/cases/services/*.py minsheng/*/selectors.py minsheng/activities/activity_services.py minsheng/activities/activity_selectors.py minsheng/activities/checks.py
	$(BIN)/lint-imports  # the floors of the house (pyproject.toml [tool.importlinter], docs/ARCHITECTURE.md)

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: venv
	DJANGO_SETTINGS_MODULE=minsheng.settings.test $(MANAGE) makemigrations --check --dry-run

makemessages: venv
	$(MANAGE) makemessages -l zh_Hans -l en --ignore=.venv --ignore=bench --no-obsolete

bench: install
	$(PY) -m bench $(ARGS)

# `python -m bench --scale tiny` runs every part of it on one database: deputies, cases, the duty month.
bench-smoke: install
	$(PY) -m bench --scale tiny
	$(PY) -m bench.voting --scale tiny
	$(PY) -m bench.calendar --scale tiny
	$(PY) -m bench.pickers --scale tiny
	$(PY) -m bench.appraisals --scale tiny

ci:
	.ci/run

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache .mypy_cache
