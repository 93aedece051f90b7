"""`manage.py check`, which on GitHub Actions also prints each content problem as a workflow annotation.

GitHub turns a line such as `::error file=content/terms/x.md,line=5::...` on a
job's output into a note on that line of the pull request, so an editor sees the
mistake where they made it. GitHub shows only the first ten errors and ten warnings
of a step, so on a pull request the problems of the files it changes come first.
Everything else, `--deploy` included, is Django's own check.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.commands.check import Command as CheckCommand

from glossary.content import history
from glossary.content.problems import Problem, display_path
from glossary.serving import store


class Command(CheckCommand):
    def handle(self, *app_labels: Any, **options: Any) -> None:
        tags = options["tags"]
        if os.environ.get("GITHUB_ACTIONS") == "true" and (not tags or "content" in tags):
            for found in _changed_first(store.result().problems, os.environ.get("GITHUB_BASE_REF")):
                self.stdout.write(annotation(found))
        super().handle(*app_labels, **options)


def _changed_first(problems: tuple[Problem, ...], base_branch: str | None) -> list[Problem]:
    """On a pull request (GITHUB_BASE_REF names its target), problems in the files it changes first."""
    if not base_branch:
        return list(problems)
    changed = history.changed_since(f"origin/{base_branch}", Path(settings.GLOSSARY_CONTENT_DIR))
    return sorted(problems, key=lambda found: found.path.resolve() not in changed)


def annotation(found: Problem) -> str:
    """One GitHub workflow command; its property values and message escaped as GitHub's toolkit does."""
    level = "error" if found.is_error else "warning"
    properties = [f"file={_escape_property(display_path(found.path))}"]
    if found.line:
        properties.append(f"line={found.line}")
    message = f"{found.id}: {found.message} Fix: {found.hint}"
    return f"::{level} {','.join(properties)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
