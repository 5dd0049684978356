# The two commands of the README, and what production and CI add.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
# The demo is served as of this day of the 2018 program (Q1 reviewed, Q2 due in five days).
DEMO_TODAY ?= 2018-05-10

.PHONY: run test demo prod bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

## make run: set up the embedded portal (SQLite) with the 2018 program and demo accounts, and serve it: runserver
## with DEBUG off, a Celery worker and beat on a broker in files (no Redis), under supervisord
## (ops/supervisord-dev.conf). Ctrl-C stops them all.
PORTAL_VAR_DIR ?= $(CURDIR)/var
run: demo
	mkdir -p $(PORTAL_VAR_DIR)
	PORTAL_ROOT=$(CURDIR) PORTAL_VAR_DIR=$(PORTAL_VAR_DIR) PORT=$(PORT) PORTAL_CLOCK_TODAY=$(DEMO_TODAY) \
		exec $(VENV)/bin/supervisord -c ops/supervisord-dev.conf

demo: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_program
	$(PY) manage.py setup_demo

## make test: lint, the allowed imports between apps and layers (.importlinter), migrations check and the test suite.
test: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/bandit -q -c pyproject.toml -r accounts activities api config core dashboards documents home incidents programs reporting targets ministry
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

## make prod: the production stack (gunicorn, Celery worker and beat) on PostgreSQL and Redis, with the
## settings of config/settings/production.py from the environment or .env (see docs/operations.md), under
## supervisord (ops/supervisord.conf), which restarts a process that dies without stopping the others.
PROD := DJANGO_SETTINGS_MODULE=config.settings.production
BIND ?= 127.0.0.1:8000
WEB_CONCURRENCY ?= 3
CELERY_CONCURRENCY ?= 2
prod: $(VENV)/.installed
	$(PROD) $(PY) manage.py check --deploy --fail-level WARNING
	$(PROD) $(PY) manage.py migrate --noinput
	$(PROD) $(PY) manage.py collectstatic --noinput -v0
	mkdir -p $(PORTAL_VAR_DIR)
	$(PROD) PORTAL_ROOT=$(CURDIR) PORTAL_VAR_DIR=$(PORTAL_VAR_DIR) BIND=$(BIND) WEB_CONCURRENCY=$(WEB_CONCURRENCY) \
		CELERY_CONCURRENCY=$(CELERY_CONCURRENCY) exec $(VENV)/bin/supervisord -c ops/supervisord.conf

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var

## make bench: national-size data (63 provinces × 5 years) on PostgreSQL, the portal behind gunicorn, and
## a table against the goals (docs/benchmarks.md). Needs PostgreSQL and redis-server; takes ~15 minutes.
bench: $(VENV)/.installed-test
	$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) bench/run.py
