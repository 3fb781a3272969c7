# Perspectief: the two commands for a fresh machine are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO_HOUSEHOLDS ?= 2000
HOST ?= 127.0.0.1:8000

.PHONY: demo test install install-test migrate demo-data serve vendor check-deploy benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	mkdir -p var
	$(MANAGE) migrate --noinput

demo-data: migrate
	$(MANAGE) demo_genereren --huishoudens $(DEMO_HOUSEHOLDS)

## make demo: install, migrate the embedded SQLite database, load gemeente Voorbeeld, serve.
demo: demo-data
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) demo_logins
	$(MANAGE) runserver $(HOST)

## make test: the whole test suite (PostgreSQL when DATABASE_URL points at it).
test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check-deploy: install
	DJANGO_SETTINGS_MODULE=perspectief.conf.production SECRET_KEY=$$($(BIN)/python -c 'import secrets;print(secrets.token_urlsafe(60))') \
	BSN_ENCRYPTION_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet;print(Fernet.generate_key().decode())') \
	BSN_BLIND_INDEX_KEY=$$($(BIN)/python -c 'import secrets;print(secrets.token_hex(32))') \
	ALLOWED_HOSTS=perspectief.example $(MANAGE) check --deploy --fail-level WARNING

## make vendor: refresh the front-end files in src/perspectief/static/vendor from npm.
vendor:
	npm install --no-audit --no-fund --ignore-scripts
	cp node_modules/@utrecht/component-library-css/dist/index.css src/perspectief/static/vendor/utrecht/component-library.css
	cp node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css src/perspectief/static/vendor/voorbeeld-design-tokens/theme.css
	cp node_modules/htmx.org/dist/htmx.min.js src/perspectief/static/vendor/htmx/htmx.min.js

clean:
	rm -rf $(VENV) var
