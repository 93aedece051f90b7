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

.PHONY: run serve test test-tools lint check clean bench loadtest wrk

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	GLOSSARY_PREVIEW=1 $(PY) manage.py runserver 127.0.0.1:8000

# The production configuration (DEBUG off, gunicorn.conf.py, static files from collectstatic's manifest)
# with the bundled content, on 127.0.0.1:8000 over plain HTTP, so without the HTTPS redirect. A throwaway
# secret key is made when none is set: the site signs nothing that outlives the process (docs/deploy.md).
serve: $(STAMP)
	@export DJANGO_DEBUG=0 DJANGO_SSL_REDIRECT=0 GLOSSARY_PREVIEW=0 \
		DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
		GLOSSARY_BIND="$${GLOSSARY_BIND:-127.0.0.1:8000}" \
		DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	exec $(PY) -m gunicorn -c gunicorn.conf.py

# --ignore-scripts: vnu-jar's install script would fetch a Java runtime when none is installed; the tests use the system's.
$(NODE_TOOLS): tests/browser/package-lock.json | test-tools
	npm ci --ignore-scripts --no-audit --no-fund --prefix tests/browser
	touch $(NODE_TOOLS)

# chromium, Java and npm (and make) from the system's packages when missing: .ci/system-packages.sh.
test-tools:
	@bash .ci/system-packages.sh

# Lint, the import contract (stages import only the stages before them), types, then every test on every CPU.
# worksteal: a worker that runs out takes queued tests from the other, so a few long tests (the browser's,
# the HTML check of every page) do not leave one CPU idle at the end (201 s against 208 s, docs/performance.md).
test: test-tools $(STAMP) $(NODE_TOOLS)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy
	$(PY) -m pytest -n auto --dist worksteal

# collectstatic first: the check also says when the static files are not collected (glossary.S001).
check: $(STAMP)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py check

lint: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .cache tests/browser/node_modules

# Benchmarks report figures against their targets (docs/performance.md); they do not fail on a missed target.
bench: $(STAMP) wrk
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) -m benchmarks.bench_load
	$(PY) -m benchmarks.bench_search
	$(PY) -m benchmarks.bench_serve
	$(PY) -m benchmarks.bench_explain

# gunicorn as in production under wrk: 100 connections for 60 s over entry, index and search pages and the
# search API. Fails on any socket error, any answer neither 2xx nor 3xx, or a p99 latency over 400 ms.
loadtest: $(STAMP) wrk
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) -m benchmarks.loadtest

wrk:
	@command -v wrk >/dev/null 2>&1 || { echo "The load test and benchmarks need wrk: run apt-get install wrk" >&2; exit 1; }
