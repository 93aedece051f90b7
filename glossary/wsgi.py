"""WSGI entry points: `application` for Django itself, `serve()` for gunicorn, which gets the site ready first."""

from __future__ import annotations

import os

from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossary.settings")
application = get_wsgi_application()


def serve() -> WSGIHandler:
    """gunicorn's application factory (`wsgi_app = "glossary.wsgi:serve()"`): ready before it is served."""
    from glossary import startup  # after Django is set up: it reads the settings and the store

    startup.prepare()
    return application
