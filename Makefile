# Vangnet — the two commands of the README are `make demo` and `make test`.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and on pages (the reporter's status link) follow the address served on,
# unless PUBLIC_BASE_URL is given: `make demo PORT=8123` links to port 8123.
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
export PUBLIC_BASE_URL

.PHONY: demo install test test-browser lint typecheck check bench bench-history serve worker messages clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

## make demo: set up, migrate SQLite, load demo data for all 25 regions and serve on http://127.0.0.1:8000,
## with the task worker beside it (reminders, feedback mail, the figures, retention); Ctrl-C stops both
demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	CHAT_OPENING_HOURS=$${CHAT_OPENING_HOURS:-always} \
	$(PY) -m vangnet.serve --host $(HOST) --port $(PORT)

serve: install
	$(PY) -m vangnet.serve --host $(HOST) --port $(PORT)

worker: install
	$(MANAGE) db_worker

# pytest exits 5 when it collected nothing: a suite that ran no test proves nothing, so fail.
PYTEST = $(PY) -m pytest
define run_pytest
	@status=0; $(PYTEST) $(1) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests; that counts as a failure." >&2; fi; \
	exit $$status
endef

# Two pytest workers (pytest-xdist; a test file stays on one worker), each with a database of
# its own (SQLite file or PostgreSQL test_<name>_gwN) and, on Redis, channel-layer and cache
# keys under a prefix of its own (conftest.py). PYTEST_WORKERS=0 runs serially; 4 uses four.
PYTEST_WORKERS ?= 2
PARALLEL = $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)

## make test: the whole suite, then ruff, mypy and the import contract (lint-imports,
## docs/architecture.md "Layers"), browser tests included (SQLite and the in-memory channel layer;
## PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set). Browser tests need
## /usr/bin/chromium (or CHROMIUM_PATH) and are skipped without it, except under CI=true.
test: install
	$(call run_pytest,$(PARALLEL))
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks
	$(PY) -m mypy src benchmarks
	$(VENV)/bin/lint-imports

## make test-browser: only the browser tests (headless Chromium against a live server)
test-browser: install
	$(call run_pytest,-m browser)

lint: install
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports

typecheck: install
	$(PY) -m mypy src benchmarks

check: lint typecheck test

## make bench: benchmarks/ (outside the installed package): the hot paths in-process, the chat
## over real WebSockets (closed loop with the bare relay, then the open loop as people chat), the
## insights at national scale (INSIGHTS_BENCH_DATABASE_URL, PostgreSQL), earlier history and the
## registers with 1,000,000 report persons (a database of its own on HISTORY_BENCH_POSTGRES)
## (docs/performance.md)
bench: install
	$(PY) -m benchmarks.bench
	$(PY) -m benchmarks.chat_bench $(CHAT_BENCH_ARGS)
	$(PY) -m benchmarks.chat_bench_open $(CHAT_OPEN_BENCH_ARGS)
	$(PY) -m benchmarks.insights_bench $(INSIGHTS_BENCH_ARGS)
	$(PY) -m benchmarks.history_bench $(HISTORY_BENCH_ARGS)

## make bench-history: only earlier history and the registers at scale
bench-history: install
	$(PY) -m benchmarks.history_bench $(HISTORY_BENCH_ARGS)

messages: install
	cd src/vangnet && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete && ../../$(PY) ../../manage.py compilemessages

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
