"""Template context every page needs: the categories for the site's navigation."""

from __future__ import annotations

from django.http import HttpRequest

from glossary.entries import CATEGORIES
from glossary.search import MAX_QUERY


def site(request: HttpRequest) -> dict[str, object]:
    return {"categories": CATEGORIES, "query": request.GET.get("q", "")[:MAX_QUERY]}
