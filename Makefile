# The two commands: `make run` (portal with demo data) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST_WORKERS ?= 2
# make run PORT=8010 serves on another port.
PORT ?= 8000

.PHONY: run test setup lint format messages worker clean

# The web process, a Celery worker with beat and the TenderNed stand-in beside it (Ctrl-C stops
# them all; portal/management/commands/run_portal.py). RUN_PORT: the demo's links and the
# stand-in's port follow PORT.
run: export RUN_PORT = $(PORT)
run: setup
	$(MANAGE) database_create
	$(MANAGE) migrate --noinput
	$(MANAGE) demo_data
	$(MANAGE) run_portal --port $(PORT)

test: setup lint
	$(MANAGE) makemigrations --check --dry-run
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the translation catalogues after changing strings (needs GNU gettext).
messages: setup
	$(MANAGE) makemessages --all --ignore '.venv/*' --ignore 'node_modules/*'
	$(MANAGE) compilemessages --ignore '.venv/*' --ignore 'node_modules/*'

# A Celery worker for running with REDIS_URL set.
worker: setup
	$(VENV)/bin/celery -A portal worker --loglevel=INFO

clean:
	rm -rf $(VENV) node_modules var
