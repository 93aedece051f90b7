"""App configuration: register the content and static files checks; make runserver watch the content folder.

In an editor's preview the store reloads changed content itself (see store.py), so
runserver does not restart on a saved entry and the next page load shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.autoreload import autoreload_started


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = settings.GLOSSARY_SITE_NAME

    def ready(self) -> None:
        from glossary.checks import content_check, static_files_check

        checks.register(content_check, "content")
        checks.register(static_files_check, checks.Tags.staticfiles)
        if not settings.GLOSSARY_PREVIEW:
            autoreload_started.connect(_watch_content, dispatch_uid="glossary-watch-content")


def _watch_content(sender: Any, **kwargs: Any) -> None:
    """Saving an entry restarts runserver, which reloads and re-checks the glossary."""
    content_dir = Path(settings.GLOSSARY_CONTENT_DIR)
    for pattern in ("**/*.md", "**/*.yaml", "figures/*"):
        sender.watch_dir(content_dir, pattern)
