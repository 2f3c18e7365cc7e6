# Two commands for a fresh machine: `make demo` (run the demo) and `make test` (run the tests).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-browser lint audit messages install install-test system-deps browser-deps node-deps ts-client clean bench prod-smoke fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# gettext compiles the project's catalogues and checks exported PO files; the operations
# tests and prod-smoke start redis-servers of their own.
system-deps:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	@command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)

messages: system-deps
	$(BIN)/python manage.py compilemessages --ignore=$(VENV) -v0

demo: install messages
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py translation_glossary --demo
	@echo ""
	@echo "Admin:  http://$(HOST):$(PORT)/admin/"
	@echo "API:    http://$(HOST):$(PORT)/api/v1/pages/?locale=fr"
	@echo "Docs:   http://$(HOST):$(PORT)/api/v1/docs/"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r cms pages --severity-level high

# Known vulnerabilities in the pinned requirements, when the vulnerability data can be
# reached; a closed network is said plainly and does not fail the build.
audit: install-test
	@$(BIN)/pip-audit -r requirements.txt > .audit.log 2>&1; status=$$?; \
	if grep -q "Found [0-9]* known vulnerabilit" .audit.log; then cat .audit.log; rm -f .audit.log; exit 1; fi; \
	skipped=$$(grep -c "could not be audited" .audit.log); \
	if [ "$$skipped" -gt 0 ]; then echo "pip-audit: vulnerability data unreachable for $$skipped packages; they were not audited."; \
	elif [ $$status -ne 0 ]; then echo "pip-audit could not run:"; tail -3 .audit.log; \
	else echo "pip-audit: no known vulnerabilities."; fi; rm -f .audit.log

# Debian's chromium for the browser tests; Playwright never downloads a browser here.
browser-deps:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# The OpenAPI linters the suite runs (Redocly CLI, Spectral), pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

node-deps: node_modules/.installed

# Regenerate the TypeScript client's types from the OpenAPI document (the suite fails when they differ).
ts-client: install node-deps
	$(BIN)/python manage.py spectacular --format openapi-json --file .openapi.json
	node_modules/.bin/openapi-typescript .openapi.json --output clients/typescript/schema.d.ts
	rm -f .openapi.json

test: install-test messages lint browser-deps node-deps pg-client
	$(BIN)/python -m pytest

# Only the end-to-end flow in headless chromium (editor, reviewer, translator, API).
test-browser: install-test messages browser-deps
	$(BIN)/python -m pytest -m browser

# The production stack end to end on 127.0.0.1 (deploy/smoke.py): a PostgreSQL database of
# its own on SMOKE_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/cms_smoke),
# a private redis-server, the media on an S3 server (SeaweedFS, from the test requirements),
# gunicorn and the RQ worker.
prod-smoke: install-test system-deps
	$(BIN)/python deploy/smoke.py
# schemathesis from outside, every check, anonymous and with an all-scope key, against
# gunicorn with production settings on a fresh demo database (minutes; not in the suite).
fuzz: install-test
	$(BIN)/python scripts/fuzz_api.py

clean:
	rm -rf $(VENV) node_modules db.sqlite3 .test-media test-artifacts

# Delivery API benchmark against Wagtail's API v2/v3 and a trivial view (PostgreSQL, gunicorn, wrk).
bench: install-test
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/run.py

# Delivery: the background worker for webhooks and CDN purges (needs TASKS_BACKEND=rq and
# REDIS_URL), and the export benchmark.
.PHONY: worker bench-export
worker: install
	TASKS_BACKEND=rq $(BIN)/python manage.py rqworker default --job-class django_tasks_rq.Job

bench-export: install
	$(BIN)/python bench/export_content.py

# Backups (PostgreSQL): `make backup` writes backups/<UTC time>/ (or BACKUP_DIR=…): pg_dump -Fc
# and a copy of the media (the media folder, or the bucket's objects when media are on S3).
# `make restore BACKUP=backups/…` restores one; it refuses a database or media storage that
# holds something unless FORCE=1.
.PHONY: backup restore pg-client
BACKUP_DIR ?= backups/$(shell date -u +%Y%m%dT%H%M%SZ)

pg-client:
	@command -v pg_dump >/dev/null || (apt-get update -qq && apt-get install -y -qq postgresql-client)

backup: install pg-client
	mkdir -p $(dir $(BACKUP_DIR))
	$(BIN)/python manage.py backup --out $(BACKUP_DIR)

restore: install pg-client
	@test -n "$(BACKUP)" || (echo "Name the backup folder: make restore BACKUP=backups/20261201T101500Z" >&2; exit 2)
	$(BIN)/python manage.py restore --from $(BACKUP) $(if $(FORCE),--force)
