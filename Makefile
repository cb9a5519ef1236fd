# The two commands a new user needs: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-12)

.PHONY: setup system-deps browser-deps run test test-fast lint format bench clean

setup: system-deps $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# WeasyPrint needs Pango; the tests read memos back with poppler's pdftotext. Installed from
# apt when missing (root or sudo).
system-deps:
	@./bin/system-deps libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils

# Browser tests drive Debian's Chromium; poppler's pdftoppm shows memo pages to look at.
browser-deps:
	@./bin/system-deps chromium poppler-utils

run: setup
	@$(MANAGE) migrate --noinput -v0
	@$(MANAGE) collectstatic --noinput -v0
	@$(MANAGE) seed_demo
	@PORT=$(PORT) ./bin/serve

# The whole suite on the real services (when reachable), browser tests included.
test: setup browser-deps lint
	@vars=$$($(PY) bin/test-services) || exit 1; \
	 echo "test services: $$vars"; \
	 env $$vars ./bin/run-tests $(PYTEST_ARGS)

# The edit loop: no browser, no PostgreSQL, Redis or worker; SQLite and in-process only.
test-fast: setup
	env DATABASE_URL= CELERY_BROKER_URL=filesystem:// CACHE_URL= \
	  $(VENV)/bin/pytest -n auto --dist worksteal -m "not browser and not services and not disruptive" $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup browser-deps
	@./bin/system-deps wrk redis-server
	@vars=$$($(PY) bin/test-services) || exit 1; env $$vars $(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var
