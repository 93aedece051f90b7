"""Template context every page needs: the categories, and the search box's query and limits."""

from __future__ import annotations

import json

from django.http import HttpRequest

from glossary.entries import CATEGORIES
from glossary.search import MAX_QUERY

# The typeahead shows each suggestion's category label from this, so the API need not repeat it.
CATEGORY_LABELS_JSON = json.dumps(CATEGORIES, ensure_ascii=False)


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "categories": CATEGORIES,
        "category_labels_json": CATEGORY_LABELS_JSON,
        "query": request.GET.get("q", "")[:MAX_QUERY],
        "max_query": MAX_QUERY,
    }
