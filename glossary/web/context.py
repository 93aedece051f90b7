"""Template context of every page: the site name, categories, search box settings, reference id prefix, share links."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static

from glossary.content.entries import CATEGORIES, REFERENCE_ID_PREFIX
from glossary.search.engine import MAX_QUERY, TYPEAHEAD_LIMIT

# The typeahead shows each suggestion's category label from this, so the API need not repeat it.
CATEGORY_LABELS_JSON = json.dumps(CATEGORIES, ensure_ascii=False)


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": settings.GLOSSARY_SITE_NAME,
        "categories": CATEGORIES,
        "category_labels_json": CATEGORY_LABELS_JSON,
        "query": request.GET.get("q", "")[:MAX_QUERY],
        "max_query": MAX_QUERY,
        "typeahead_limit": TYPEAHEAD_LIMIT,
        "reference_id_prefix": REFERENCE_ID_PREFIX,
        # Absolute, as link previews in chats and letters need: the page without its query, and the site's image.
        "canonical_url": request.build_absolute_uri(request.path),
        "share_image_url": request.build_absolute_uri(static("share.png")),
    }
