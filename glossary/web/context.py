"""Template context every page needs: the categories, the search box's query and limits, and share links."""

from __future__ import annotations

import json

from django.http import HttpRequest
from django.templatetags.static import static

from glossary.content.entries import CATEGORIES
from glossary.search.engine import MAX_QUERY

# The typeahead shows each suggestion's category label from this, so the API need not repeat it.
CATEGORY_LABELS_JSON = json.dumps(CATEGORIES, ensure_ascii=False)


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "categories": CATEGORIES,
        "category_labels_json": CATEGORY_LABELS_JSON,
        "query": request.GET.get("q", "")[:MAX_QUERY],
        "max_query": MAX_QUERY,
        # Absolute, as link previews in chats and letters need: the page without its query, and the site's image.
        "canonical_url": request.build_absolute_uri(request.path),
        "share_image_url": request.build_absolute_uri(static("share.png")),
    }
