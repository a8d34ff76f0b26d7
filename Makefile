# The two commands a newcomer needs are `make run` and `make test`; both build .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test lint format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --editable '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Set up, migrate, load the demo newsroom and serve it on http://$(HOST):$(PORT)/.
run: export DJANGO_DEBUG ?= true
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --site-url http://$(HOST):$(PORT)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## Serve with production settings (DEBUG off, gunicorn, WhiteNoise) on the embedded defaults.
## Set DATABASE_URL and REDIS_URL to use PostgreSQL and Redis.
serve: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export DJANGO_HTTPS ?= false
serve: export GUNICORN_BIND ?= $(HOST):$(PORT)
# Without Redis, gunicorn's processes share a cache in a folder (local memory is per process).
serve: export DJANGO_CACHE_DIR ?= $(if $(REDIS_URL),,$(CURDIR)/.cache)
serve: $(STAMP) .secret-key
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat .secret-key)} $(BIN)/python manage.py migrate --noinput
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat .secret-key)} $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat .secret-key)} $(BIN)/gunicorn newsroom.wsgi

# A secret key for `make serve` on this machine, made once and never committed.
.secret-key:
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

## Set up and run the whole test suite (SQLite unless DATABASE_URL says otherwise).
test: CHROMIUM := $(or $(NEWSROOM_CHROMIUM),/usr/bin/chromium)
test: $(STAMP)
	@[ -x "$(CHROMIUM)" ] || echo "make test: no Chromium at $(CHROMIUM), so the browser journeys in e2e/ will be SKIPPED (apt-get install chromium to run them)."
	$(BIN)/python -m pytest

## Lint and formatting, as CI checks them.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .cache *.egg-info
