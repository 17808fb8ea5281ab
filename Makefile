# Quick start: `make run` (site with demo data) and `make test` (the test suite).
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PORT ?= 8000
# What the site needs to run; and, for the tests and the tools, the dev extras.
RUNTIME := $(VENV)/.runtime
INSTALLED := $(VENV)/.installed
# The tests' front-end tools (axe-core), from the npm registry, as package-lock.json pins them.
TEST_ASSETS := node_modules/.package-lock.json

.PHONY: run test lint check-deploy screenshots setup runtime messages load-test

## Set up what the site needs, migrate, load the demo data and serve the site on
## http://127.0.0.1:8000 (`make run PORT=8080` for another port), with the background worker
run: runtime
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py load_demo
	$(PYTHON) manage.py db_worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
		$(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

## Set up and run the tests (on DATABASE_URL: SQLite unless set; PYTEST_ARGS to narrow), in
## a process per core (pytest-xdist; TEST_WORKERS=0 for one process)
TEST_WORKERS ?= auto
test: setup
	$(PYTHON) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## Lint, format check, and models in step with migrations
lint: setup
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) manage.py makemigrations --check --dry-run

## Django's deployment checklist, on the production settings (a throwaway key)
check-deploy: setup
	DJANGO_ENV=production DEBUG=false ALLOWED_HOSTS=danvan.example.vn \
	SECRET_KEY="$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(PYTHON) manage.py check --deploy --fail-level WARNING

## The README's images: screenshots of the ward home and the district overview (phone and
## desktop), of a work report on a phone and the consolidation page, from the browser tests;
## the pages of the seed seminar's printed report and of the demo's consolidated report
screenshots: setup
	mkdir -p docs
	SCREENSHOT_DIR=docs $(PYTHON) -m pytest -q tests/browser -k "fits_a_phone or district_overview or lineage or work_report or consolidation or merges_a_person or read_the_cycle"
	rm -f docs/consolidated-report-*.png && pdftoppm -r 80 -png docs/consolidated-report.pdf docs/consolidated-report
	rm -f docs/consolidated-report.pdf
	rm -rf .pdfs && $(PYTHON) bench/pdf_renders.py --runs 1 --out .pdfs
	rm -f docs/seminar-report-*.png && pdftoppm -r 80 -png .pdfs/bao-cao-toa-dam.pdf docs/seminar-report
	rm -rf .pdfs

## The load test (bench/load_test.py) on DATABASE_URL, filled first by manage.py seed_scale
load-test: setup
	$(PYTHON) -m pip install --quiet ".[bench]"
	$(PYTHON) bench/load_test.py

## Refresh the Vietnamese catalogue, merge the strings third-party packages lack, compile both
## domains (GNU gettext). djangojs.po is kept by hand: the project has no JavaScript to extract.
messages: setup
	$(PYTHON) manage.py makemessages --locale vi --ignore ".venv/*" --ignore "tests/*" --no-obsolete
	msgcat --use-first locale/vi/LC_MESSAGES/django.po locale/vi/third_party.po \
		-o locale/vi/LC_MESSAGES/django.po
	$(PYTHON) manage.py compilemessages --locale vi --ignore ".venv/*"
	msgfmt --check --statistics -o /dev/null locale/vi/LC_MESSAGES/django.po
	msgfmt --check --statistics -o /dev/null locale/vi/LC_MESSAGES/djangojs.po

runtime: $(RUNTIME) .env

setup: $(INSTALLED) $(TEST_ASSETS) .env

$(PYTHON):
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install --quiet .
	touch $@

$(INSTALLED): pyproject.toml $(RUNTIME)
	$(PYTHON) -m pip install --quiet ".[dev]"
	touch $@

$(TEST_ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --silent

.env:
	cp .env.example .env
	echo "SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env
