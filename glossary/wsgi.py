"""WSGI entry point for gunicorn; loads the content before taking any request."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossary.settings")
application = get_wsgi_application()

# Fail at start-up, not on the first reader's request: a glossary with errors never
# serves half of itself. Building the search index loads the glossary first.
from glossary import store  # noqa: E402

store.search_index()
store.updated()  # the change dates ask git once; do it now rather than on the first reader's request
