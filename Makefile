# Relance: the README's commands. Everything runs from .venv, made on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000

.PHONY: run test lint worker bench loadtest messages install dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

dev: $(VENV)/.installed-dev

## make run: the application with a demo plan on the embedded defaults.
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo --users
	$(MANAGE) runserver $(HOST)

## make test: lint, migrations check and the whole suite (PostgreSQL/Redis when set), one
## pytest-xdist worker per core (TEST_WORKERS=0 runs it in one process).
TEST_WORKERS ?= auto
test: dev
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup

## make lint: the static checks, with mypy, the production deployment check and pip-audit.
lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(MANAGE) makemigrations --check --dry-run
	RELANCE_ENV=production SECRET_KEY=$$(openssl rand -hex 32) ALLOWED_HOSTS=relance.example \
		$(MANAGE) check --deploy --fail-level WARNING
	# Known vulnerabilities in the installed packages (pip-audit). Where the vulnerability
	# database is unreachable it says NOT AUDITED rather than clean, and fails only with
	# RELANCE_AUDIT_REQUIRED=1 (see docs/operations.md).
	$(BIN)/python scripts/audit_dependencies.py

## make worker: a Celery worker with the beat schedule (needs REDIS_URL).
worker: install
	$(BIN)/celery -A relance worker --beat --loglevel INFO

## make bench: the benchmarks, printing their table.
bench: dev
	$(BIN)/python -m benchmarks

## make loadtest: locust against gunicorn, PostgreSQL (DATABASE_URL) and two Celery workers
## (REDIS_URL) with the 10x plan; writes benchmarks/loadtest.md.
loadtest: dev
	$(BIN)/python -m benchmarks.loadtest

## make messages: refresh the translation catalogues (needs GNU gettext).
messages: dev
	$(MANAGE) makemessages --locale en --locale nl --ignore '.venv/*' --ignore 'benchmarks/*'
	$(MANAGE) compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
