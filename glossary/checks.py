"""Django system checks: every content problem with its file, line, id and fix; and collected static files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.apps import StaticFilesConfig
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks

from glossary.serving import store


def content_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Registered under the 'content' tag, so `manage.py check` and `runserver` both run it."""
    level = {True: checks.Error, False: checks.Warning}
    return [level[p.is_error](p.message, hint=p.hint, obj=p.location, id=p.id) for p in store.result().problems]


def static_files_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Registered under the 'staticfiles' tag: `manage.py check` says when collectstatic has not run."""
    problem = static_files_problem()
    if problem is None:
        return []
    return [checks.Error(problem, hint=STATIC_FILES_HINT, obj=settings.STATIC_ROOT, id="glossary.S001")]


STATIC_FILES_HINT = "Run `python manage.py collectstatic --noinput` (make serve does) before starting the site."


def static_files_problem() -> str | None:
    """Why pages could not link their static files, or None. With DEBUG off, `{% static %}` names each
    file by the hashed name in collectstatic's manifest and fails the whole page when a name is missing,
    so a release without the manifest, or with one older than its static files, must not start.
    With DEBUG on, files are served as they are and no manifest is needed."""
    storage = staticfiles_storage
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return None  # files served as they are, or not a manifest storage: nothing to check
    if storage.read_manifest() is None:
        manifest = Path(settings.STATIC_ROOT) / storage.manifest_name
        return f"No static files manifest ({manifest}): collectstatic has not run."
    try:
        hashed, _ = storage.load_manifest()
    except ValueError as error:
        return f"The static files manifest in {settings.STATIC_ROOT} cannot be read: {error}"
    config = apps.get_app_config("staticfiles")
    ignore = config.ignore_patterns if isinstance(config, StaticFilesConfig) else []
    names = sorted({name.replace("\\", "/") for finder in finders.get_finders() for name, _ in finder.list(ignore)})
    stale = [name for name in names if name not in hashed or not storage.exists(hashed[name])]
    if stale:
        shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
        return f"The static files in {settings.STATIC_ROOT} are out of date: {shown} not collected."
    return None
