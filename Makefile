# Two commands a fresh machine needs: `make run` and `make test`. Both build the
# virtual environment first; it is rebuilt only when pyproject.toml changes.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian's chromium drives the browser tests; they never download a browser.
CHROMIUM := /usr/bin/chromium
# axe-core and the Nu Html Checker (vnu-jar) come from npm, pinned in tests/browser/package-lock.json;
# reinstalled only when the lock file changes. Only `make test` needs them (and node, npm and java).
NODE_TOOLS := tests/browser/node_modules/.installed

.PHONY: run test test-tools lint check clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	GLOSSARY_PREVIEW=1 $(PY) manage.py runserver 127.0.0.1:8000

# --ignore-scripts: vnu-jar's install script would fetch a Java runtime when none is installed; the tests use the system's.
$(NODE_TOOLS): tests/browser/package-lock.json | test-tools
	npm ci --ignore-scripts --no-audit --no-fund --prefix tests/browser
	touch $(NODE_TOOLS)

test-tools:
	@test -x $(CHROMIUM) || { echo "The browser tests need $(CHROMIUM): run apt-get install chromium" >&2; exit 1; }
	@command -v java >/dev/null 2>&1 || { echo "The HTML validity tests need java for the Nu Html Checker: run apt-get install default-jre-headless" >&2; exit 1; }
	@command -v npm >/dev/null 2>&1 || { echo "The tests need npm to install axe-core and vnu-jar: run apt-get install nodejs npm" >&2; exit 1; }

test: test-tools $(STAMP) $(NODE_TOOLS)
	$(PY) -m ruff check .
	$(PY) -m pytest

check: $(STAMP)
	$(PY) manage.py check

lint: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache tests/browser/node_modules

bench: $(STAMP)
	$(PY) -m benchmarks.bench_load
	$(PY) -m benchmarks.bench_search
