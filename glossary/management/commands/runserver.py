"""runserver for editors: with GLOSSARY_PREVIEW on, content errors are shown, not fatal.

Django's runserver refuses to start while any check reports an error. In a preview
the checks still print every problem at start-up, but the server starts, serves the
entries that are sound and shows each broken entry's problems on its page
(glossary/web/preview.py), so an editor can fix a file and reload without a restart.
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver
from django.core import checks

from glossary.web import preview


class Command(StaticfilesRunserver):
    def check(self, *args: Any, **kwargs: Any) -> None:
        if preview.enabled():
            kwargs["fail_level"] = checks.CRITICAL
        super().check(*args, **kwargs)
