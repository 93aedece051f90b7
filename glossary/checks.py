"""Django system checks that report every content problem with its file, line, id and fix."""

from __future__ import annotations

from typing import Any

from django.core import checks

from glossary import store


def content_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Registered under the 'content' tag, so `manage.py check` and `runserver` both run it."""
    level = {True: checks.Error, False: checks.Warning}
    return [level[p.is_error](p.message, hint=p.hint, obj=p.location, id=p.id) for p in store.result().problems]
