# Two commands a fresh machine needs: `make run` and `make test`. Both build the
# virtual environment first; it is rebuilt only when pyproject.toml changes.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian's chromium drives the browser tests; they never download a browser.
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint check clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	@test -x $(CHROMIUM) || { echo "The browser tests need $(CHROMIUM): run apt-get install chromium" >&2; exit 1; }
	$(PY) -m ruff check .
	$(PY) -m pytest

check: $(STAMP)
	$(PY) manage.py check

lint: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

bench: $(STAMP)
	$(PY) -m benchmarks.bench_load
	$(PY) -m benchmarks.bench_search
