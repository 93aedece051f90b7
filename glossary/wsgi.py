"""WSGI entry point for gunicorn; loads the content before taking any request."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossary.settings")
application = get_wsgi_application()

# Fail at start-up, not on the first reader's request. Without collectstatic's manifest (DEBUG off),
# every page would fail as it links its static files: stop the release instead, saying what to run.
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from glossary import caching, store  # noqa: E402
from glossary.checks import STATIC_FILES_HINT, static_files_problem  # noqa: E402

if (_static_problem := static_files_problem()) is not None:
    raise ImproperlyConfigured(f"{_static_problem} {STATIC_FILES_HINT}")

# A glossary with errors never serves half of itself. Building the search index loads the glossary first:
# from the snapshot a child process makes when none is current (glossary/snapshot.py).
store.build_apart()
store.search_index()
store.updated()  # the change dates ask git once; do it now rather than on the first reader's request
caching.warm()  # the content and code digests and the compiled templates: once, before gunicorn forks
store.keep()  # so that the next start with the same content reads this load back (glossary/snapshot.py)
