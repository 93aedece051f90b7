"""The editor's preview under `make run`: content errors become pages that say what to fix.

With GLOSSARY_PREVIEW on, the store serves the entries without errors (see
loader.load), a withheld entry's page lists its problems with file, line and fix
instead of a stack trace, and every page carries a short notice of what is wrong,
so an editor sees the state of their change without reading the terminal.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from glossary.content.problems import Problem
from glossary.serving import store


def enabled() -> bool:
    return bool(getattr(settings, "GLOSSARY_PREVIEW", False))


class ContentErrorMiddleware:
    """Turns the store's ContentError into the content error page; does nothing outside a preview."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not enabled() or not isinstance(exception, store.ContentError):
            return None
        slug = getattr(exception, "slug", None)
        own = [p for p in exception.problems if slug and _slug_of(p) == slug]
        others = [p for p in exception.problems if p not in own]
        context = {"slug": slug, "own": own, "others": others}
        return render(request, "content_error.html", context, status=500)


def notice(request: HttpRequest) -> dict[str, object]:
    """Context processor: the content's problems, on every page of a preview."""
    if not enabled():
        return {}
    problems = store.result().problems
    return {
        "preview_errors": [p for p in problems if p.is_error],
        "preview_warnings": sum(not p.is_error for p in problems),
    }


def _slug_of(found: Problem) -> str | None:
    return found.path.stem if found.path.parent.name == "terms" else None
