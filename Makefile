# kefu: the README's two commands, `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KEFU := $(BIN)/kefu
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run test install lint types migrations-check i18n-check test-sqlite test-future test-postgres test-browser bench-smoke clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependency list or the lock changes.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# `make run PORT=8080`: the web process listens there and KEFU_SITE_URL (links in
# notices, the allowed CSRF origin) follows it. The demo is on: SMS, chat and e-mail
# go to the development outbox at /dev/outbox/ instead of real gateways.
PORT ?= 8000
run: export KEFU_PORT = $(PORT)
run: export KEFU_SITE_URL ?= http://127.0.0.1:$(PORT)
run: export KEFU_CSRF_TRUSTED_ORIGINS ?= http://127.0.0.1:$(PORT),http://localhost:$(PORT)
run: export KEFU_DEMO ?= 1
run: install
	$(KEFU) migrate --no-input
	$(KEFU) demo --if-empty
	$(BIN)/honcho -d . -f Procfile start

lint: install
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/ruff check src tests bench tools

types: install
	$(BIN)/mypy
	$(BIN)/lint-imports

migrations-check: install
	KEFU_VAR_DIR=$$(mktemp -d) $(KEFU) makemigrations --check --dry-run

# Every user-facing string must be translated into Simplified Chinese.
i18n-check: install
	cd src/kefu && ../../$(KEFU) makemessages --locale zh_Hans --locale en --no-location --no-obsolete --ignore 'demo/*' -v0
	$(BIN)/python tools/check_translations.py src/kefu/locale/zh_Hans/LC_MESSAGES/django.po
	cd src/kefu && ../../$(KEFU) compilemessages -v0

test-sqlite: install
	$(BIN)/pytest -m "not browser and not postgres_only"

# The SQLite suite again with the wall clock 400 days ahead (time-machine, set up in
# tests/conftest.py): a test that passes only on the days it was written fails here.
test-future: install
	KEFU_TEST_CLOCK_SHIFT_DAYS=400 $(BIN)/pytest -m "not browser and not postgres_only" -q

test-postgres: install
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)').close()" 2>/dev/null; then \
		KEFU_DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(PG_URL); CI needs it." >&2; exit 1; \
	else \
		echo "SKIPPED: PostgreSQL tests (no server at $(PG_URL))."; \
	fi

test-browser: install
	@if [ -x /usr/bin/chromium ]; then \
		$(BIN)/pytest -m browser; \
	elif [ "$$CI" = "true" ]; then \
		echo "Chromium is missing at /usr/bin/chromium; CI needs it (apt-get install -y chromium)." >&2; exit 1; \
	else \
		echo "SKIPPED: browser tests (no Chromium at /usr/bin/chromium; apt-get install -y chromium)."; \
	fi

# Every bench/*.py runs at its --smoke size (seconds) and must print one JSON object
# on stdout, so no benchmark rots unnoticed (the convention: bench/__init__.py).
bench-smoke: install
	@set -e; out=$$(mktemp); for f in bench/*.py; do \
		[ "$$f" = bench/__init__.py ] && continue; \
		echo "bench-smoke: $$f"; \
		$(BIN)/python $$f --smoke > $$out || { echo "bench-smoke: $$f failed" >&2; exit 1; }; \
		$(BIN)/python -m json.tool $$out > /dev/null || { echo "bench-smoke: $$f printed no JSON object" >&2; exit 1; }; \
	done; rm -f $$out

test: lint types migrations-check i18n-check test-sqlite test-future test-postgres test-browser bench-smoke

clean:
	rm -rf $(VENV) var/test-*
