# Huinong Market (惠农集市). `make demo` serves the demo site; `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= marketplace.settings.local

.PHONY: help demo serve test test-fast test-workers soak lint format check messages lock bench browsers clean install install-dev

help:
	@echo "make demo   - install, migrate, load demo data and serve http://$(HOST):$(PORT)"
	@echo "make test   - install the dev tools and run the whole test suite"
	@echo "make bench  - load the benchmark catalogue and print throughput ratios"
	@echo "make lint   - ruff format --check, ruff check, Django checks"

# ---------------------------------------------------------------------------
# Installation: a virtual environment with the locked, hash-checked packages.
# ---------------------------------------------------------------------------
$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet "uv==$(UV_VERSION)"
	touch $@

$(VENV)/.installed-base: $(VENV)/.created requirements/base.txt
	$(UV) pip sync --quiet --python $(PY) --require-hashes requirements/base.txt
	rm -f $(VENV)/.installed-dev
	touch $@

$(VENV)/.installed-dev: $(VENV)/.created requirements/dev.txt
	$(UV) pip sync --quiet --python $(PY) --require-hashes requirements/dev.txt
	touch $(VENV)/.installed-base $@

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

lock: $(VENV)/.created
	$(UV) pip compile pyproject.toml -o requirements/base.txt --generate-hashes --python-version 3.11 -q
	$(UV) pip compile pyproject.toml --extra dev -o requirements/dev.txt --generate-hashes --python-version 3.11 -q

# Debian's Chromium and CJK fonts for the browser tests (Playwright drives /usr/bin/chromium).
browsers:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "Installing Debian chromium and fonts-noto-cjk for browser tests..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# ---------------------------------------------------------------------------
# The two commands
# ---------------------------------------------------------------------------
demo: install-dev
	$(PY) manage.py compiletranslations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) -m payments.devserver start --port 8420 --webhook-url http://$(HOST):$(PORT)/payments/stripe/webhook/
	$(PY) manage.py seed_demo_aftersales
	@echo
	@echo "  惠农集市 is running at http://$(HOST):$(PORT)/"
	@echo "  Demo accounts (password: huinong-demo):"
	@echo "    admin@example.com       superuser (/dashboard/, /cms/)"
	@echo "    consumer@example.com    consumer"
	@echo "    supplier@example.com    supplier staff (淮北塔山石榴专业合作社)"
	@echo "    supplier2@example.com   supplier staff (濉溪县口子酒业有限公司)"
	@echo "    purchaser@example.com   budget unit purchaser (淮北市第一中学)"
	@echo "    approver@example.com    budget unit approver (淮北市第一中学)"
	@echo "    supervisor@example.com  supervising unit reviewer (淮北市教育局, /procurement/subordinates/)"
	@echo "    union@example.com       union purchaser (淮北市第一中学工会; union-chair@example.com approves)"
	@echo "    staffer@example.com     staff consumer linked to 淮北市第一中学 (/procurement/staff/); also staff02@ … staff10@"
	@echo "    mine-union@example.com  union purchaser (淮北矿业集团工会; mine-union-chair@example.com approves)"
	@echo "    enterprise@example.com  enterprise buyer (淮北矿业集团); hospital@example.com hospital buyer (淮北矿工总医院)"
	@echo "    finance@example.com     city finance bureau (淮北市财政局)"
	@echo "    city@example.com        city bureau (淮北市乡村振兴局)"
	@echo "    county@example.com      county bureau (濉溪县乡村振兴局)"
	@echo "    editor@example.com      CMS editor; reviewer@example.com CMS reviewer (/cms/)"
	@echo "    clerk@example.com       village clerk (/points/clerk/); clerk2@example.com a second clerk"
	@echo "    shopkeeper@example.com  points-supermarket manager (/points/shop/); village-head@example.com approves its restocking"
	@echo "  Card payments go to localstripe on http://127.0.0.1:8420: test card 4242 4242 4242 4242,"
	@echo "  any future expiry and CVC; 4000 0027 6000 3184 asks for 3-D Secure; 4000 0000 0000 0341 is declined."
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev browsers
	$(PY) manage.py compiletranslations
	DJANGO_SETTINGS_MODULE=marketplace.settings.test $(VENV)/bin/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-fast: install-dev
	DJANGO_SETTINGS_MODULE=marketplace.settings.test $(VENV)/bin/pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

# The worker tier alone (real Celery workers on Redis and RabbitMQ; needs DATABASE_URL=postgres://...).
# `make test` runs it too, and skips it on SQLite.
test-workers: install-dev
	DJANGO_SETTINGS_MODULE=marketplace.settings.test $(VENV)/bin/pytest -m worker $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install-dev
	$(PY) manage.py compiletranslations

bench: install-dev
	$(PY) bench/run.py $(BENCH_ARGS)

# Mixed workload against gunicorn, Celery worker and beat on PostgreSQL (bench/soak.py);
# SOAK_SECONDS (600), SOAK_THREADS (4), SOAK_REDIS_URL (redis://127.0.0.1:6379/6). Not in CI.
soak: install-dev
	$(PY) bench/soak.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
