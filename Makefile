# The two commands of the README:  make run  and  make test
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 5000
# The address the printed links name: with HOST=0.0.0.0 (every address), this machine's first LAN address.
SHOW_HOST := $(if $(filter 0.0.0.0,$(HOST)),$(or $(shell hostname -I 2>/dev/null | awk '{print $$1}'),$(HOST)),$(HOST))
export FLASK_APP = loket.app

.PHONY: setup run test lint lock i18n

setup:
	./scripts/setup.sh

## Set everything up and run Loket on its embedded defaults (SQLite, file printer).
run: setup
	@# On the first run only, the demo data and a paired demo kiosk: its link is printed once (open it on the kiosk).
	@$(VENV)/bin/flask --app loket.app demo-setup --base http://$(SHOW_HOST):$(PORT) | sed 's/^link /Kiosk:   (open once to pair it) /'
	@echo "Kiosk:   http://$(SHOW_HOST):$(PORT)/kiosk/   (pair kiosks in /admin/devices or: flask --app loket.app pair-kiosk NAME)"
	@echo "Display: http://$(SHOW_HOST):$(PORT)/display/"
	@echo "Counter: http://$(SHOW_HOST):$(PORT)/counter/   (demo users, password loket123)"
	@echo "Admin:   http://$(SHOW_HOST):$(PORT)/admin/     (admin / loket123)"
	@echo "Reports: http://$(SHOW_HOST):$(PORT)/reports/   (kepala or admin / loket123)"
	@echo "Survey:  http://$(SHOW_HOST):$(PORT)/survey     (IKM: /survey/report)"
	@if [ "$(HOST)" = "127.0.0.1" ] || [ "$(HOST)" = "localhost" ]; then \
	  echo "Catatan: Loket hanya bisa dibuka dari komputer ini ($(HOST)). PC lain (kiosk, TV, loket) TIDAK bisa membukanya."; \
	  echo "         Untuk jaringan kantor (LAN): HOST=0.0.0.0 make run   lalu buka http://ALAMAT-IP-SERVER:$(PORT)/ (lihat README, \"Dibuka dari PC lain\")."; \
	  echo "Note:    bound to $(HOST) only: other PCs cannot reach it. For the office LAN: HOST=0.0.0.0 make run"; \
	fi
	$(VENV)/bin/gunicorn --worker-class gevent --worker-connections 4000 --workers 1 --no-control-socket --graceful-timeout 5 --bind $(HOST):$(PORT) 'loket.wsgi:app'

## Set everything up and run every test (core on SQLite and PostgreSQL, browser tests in Chromium).
test: setup
	$(VENV)/bin/python -m pytest

## Check the code: ruff (style, no hidden imports), mypy on the domain, import-linter (the
## architecture: no Flask in the domain, no cycles), eslint on the front end.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	npx --no-install eslint loket

## Re-pin requirements.lock from pyproject.toml (run after changing a dependency).
lock:
	$(VENV)/bin/pip-compile -q --extra dev --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

## Gather the server's messages (marked with _() in loket/) into both catalogs, keeping the pages'
## strings (msgctxt entries, not in any Python file); then translate the new entries in the en catalog.
POT = $(or $(TMPDIR),/tmp)/loket-messages.pot
i18n:
	$(VENV)/bin/pybabel extract -F babel.cfg -w 120 --sort-by-file --project=Loket --version=0.2 -o $(POT) loket
	$(VENV)/bin/python scripts/i18n_pages.py $(POT) loket/translations/id/LC_MESSAGES/messages.po loket/translations/en/LC_MESSAGES/messages.po
	$(VENV)/bin/pybabel update -i $(POT) -d loket/translations -w 120 --no-fuzzy-matching --ignore-obsolete
	rm -f $(POT)
