# The two commands a newcomer needs are `make run` and `make test`; both build .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve serve-edge test faults lint format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --editable '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Set up, migrate, load the demo newsroom and serve it on http://$(HOST):$(PORT)/.
run: export NEWSROOM_SITE_URL ?= http://$(HOST):$(PORT)
run: $(STAMP) .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# This checkout's development settings, read by manage.py (the server and every command run
# by hand): development mode, and a cache in a folder that commands share with the server,
# so a story published from the command line is on the running site at once.
.env:
	printf '%s\n' 'DJANGO_DEBUG=true' 'DJANGO_CACHE_DIR=$(CURDIR)/.cache' \
		'NEWSROOM_SITE_URL=http://$(HOST):$(PORT)' > $@

## Serve with production settings (DEBUG off, gunicorn, WhiteNoise) on the embedded defaults.
## Set DATABASE_URL and REDIS_URL to use PostgreSQL and Redis.
serve: export DJANGO_DEBUG ?= false
serve: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export NEWSROOM_SITE_URL ?= http://$(HOST):$(PORT)
serve: export DJANGO_HTTPS ?= false
serve: export GUNICORN_BIND ?= $(HOST):$(PORT)
# Without Redis, gunicorn's processes share a cache in a folder (local memory is per process).
serve: export DJANGO_CACHE_DIR ?= $(if $(REDIS_URL),,$(CURDIR)/.cache)
serve: $(STAMP) .secret-key
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat .secret-key)} $(BIN)/python manage.py migrate --noinput
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat .secret-key)} $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat .secret-key)} $(BIN)/gunicorn newsroom.wsgi

## Serve as production does, with Varnish in front (deploy/varnish/newsroom.vcl): readers at
## http://$(HOST):$(PORT)/ talk to Varnish, gunicorn answers it on $(HOST):$(BACKEND_PORT), and
## every write purges what it changed from Varnish. Needs `apt-get install varnish varnish-modules`.
BACKEND_PORT ?= 8001
serve-edge: export NEWSROOM_EDGE ?= varnish
serve-edge: export NEWSROOM_VARNISH_URLS ?= http://$(HOST):$(PORT)
serve-edge: export NEWSROOM_TRUSTED_PROXIES ?= 1
serve-edge: $(STAMP) .secret-key
	@command -v varnishd >/dev/null || { echo "make serve-edge needs varnishd: apt-get install varnish varnish-modules"; exit 1; }
	mkdir -p .varnish
	sed -e 's/"8000"/"$(BACKEND_PORT)"/' deploy/varnish/local.vcl > .varnish/local.vcl
	varnishd -j none -n $(CURDIR)/.varnish/work -a $(HOST):$(PORT) -T none -s malloc,256m \
		-f $(CURDIR)/deploy/varnish/newsroom.vcl -p vcl_path=$(CURDIR)/.varnish:$(CURDIR)/deploy/varnish \
		-P $(CURDIR)/.varnish/varnishd.pid
	trap 'kill $$(cat .varnish/varnishd.pid)' EXIT INT TERM; \
		$(MAKE) serve GUNICORN_BIND=$(HOST):$(BACKEND_PORT) NEWSROOM_SITE_URL=http://$(HOST):$(PORT)

# A secret key for `make serve` on this machine, made once and never committed.
.secret-key:
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

## Set up and run the whole test suite (SQLite unless DATABASE_URL says otherwise).
test: CHROMIUM := $(or $(NEWSROOM_CHROMIUM),/usr/bin/chromium)
test: $(STAMP)
	@[ -x "$(CHROMIUM)" ] || echo "make test: no Chromium at $(CHROMIUM), so the browser journeys in e2e/ will be SKIPPED (apt-get install chromium to run them)."
	$(BIN)/python -m pytest

## The slower fault tests: PostgreSQL stopped and started under a live server, a worker killed
## mid-request, Varnish serving stale copies past its default grace, slow clients.
faults: $(STAMP)
	$(BIN)/python -m pytest -m faults

## Lint and formatting, as CI checks them.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .cache .env .varnish *.egg-info
