"""Getting a server ready before its first reader: the steps gunicorn's master runs once, before forking.

Kept out of the import of wsgi.py so that importing the application (Django's runserver, the
test client, a shell) never loads the content as a side effect; gunicorn calls `prepare`
through `glossary.wsgi:serve()`, and the benchmarks call it the same way.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from glossary.checks import STATIC_FILES_HINT, static_files_problem
from glossary.serving import store
from glossary.web import caching


def prepare() -> None:
    """Fail at start-up rather than on the first request; then do once what every worker would repeat.

    Without collectstatic's manifest (DEBUG off) every page would fail as it links its static
    files, and a glossary with errors never serves half of itself: both stop the release here.
    """
    if (problem := static_files_problem()) is not None:
        raise ImproperlyConfigured(f"{problem} {STATIC_FILES_HINT}")
    # Building the search index loads the glossary first: from the snapshot a child process makes
    # when none is current (glossary/serving/snapshot.py).
    store.build_apart()
    store.search_index()
    store.explainer()  # the report reader's names, shared by the workers like the index
    store.updated()  # the change dates ask git once; now rather than on the first reader's request
    caching.warm()  # the content and code digests and the compiled templates, shared by every worker
    store.keep()  # so that the next start with the same content reads this load back
