"""The JSON the search API sends: the contract's shape, and a typeahead answer kept small.

A typeahead answer is fetched on every pause in typing, often over a phone's
slow link, so it is held under TYPEAHEAD_BYTES: names, links and categories
always go whole, and each summary gets an equal share of the bytes left,
shortened at a word with an ellipsis. `snippets=1` answers (the search page's
ranking) carry whole summaries and a snippet of HTML.
"""

from __future__ import annotations

import json
from typing import Any

from glossary.content.callouts import urgent_text
from glossary.content.entries import Entry, Page
from glossary.search.engine import Hit, Results

TYPEAHEAD_BYTES = 2000
ELLIPSIS = "…"
MIN_SUMMARY = 12  # fewer characters than this say nothing; send no summary instead


def search_payload(query: str, results: Results | None, *, snippets: bool) -> dict[str, Any]:
    hits = results.hits if results else []
    items = [_item(hit, snippets) for hit in hits]
    payload = {"query": query, "results": items, "suggestion": results.corrected if results else None}
    if not snippets and items:
        _fit_summaries(payload, [hit.page.entry.summary for hit in hits])
    return payload


def encode(payload: object) -> bytes:
    """Compact UTF-8 JSON: the same bytes the size budget was computed on."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def term_payload(page: Page) -> dict[str, Any]:
    """The contract's preview of one entry (GET /api/terms/<slug>/), plus its urgent-help text, if any,
    so a preview never shows a condition without the warning its page gives."""
    entry = page.entry
    return {
        **_entry_fields(entry),
        "pronunciation": entry.pronunciation,
        "aliases": list(entry.aliases),
        "urgent": urgent_text(page.html),
    }


def _entry_fields(entry: Entry) -> dict[str, str]:
    """What every entry in the API's JSON carries, a preview or a search result."""
    return {
        "slug": entry.slug,
        "title": entry.title,
        "summary": entry.summary,
        "url": entry.url,
        "category": entry.category,
    }


def _item(hit: Hit, snippets: bool) -> dict[str, str]:
    item = {**_entry_fields(hit.page.entry), "matched": hit.matched}
    if hit.matched == "alias":
        item["alias"] = hit.name
    if snippets:
        item["snippet"] = str(hit.snippet)
    return item


def _fit_summaries(payload: dict[str, Any], summaries: list[str]) -> None:
    """Summaries share what the names leave of the budget; where long names and a long query leave
    nothing, the last results are left off, down to one."""
    results = payload["results"]
    for item in results:
        item["summary"] = ""
    while len(results) > 1 and len(encode(payload)) > TYPEAHEAD_BYTES:
        results.pop()
    spare = TYPEAHEAD_BYTES - len(encode(payload))
    share = max(spare // len(results), 0)
    for item, summary in zip(results, summaries, strict=False):
        item["summary"] = shorten(summary, share)


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` bytes as it goes in the JSON (quotes and backslashes escaped), cut after
    a whole word and marked with an ellipsis."""
    if _json_size(text) <= limit:
        return text
    words = _without_last_word(text.encode()[: max(limit - len(ELLIPSIS.encode()), 0)].decode(errors="ignore"))
    while words and _json_size(words + ELLIPSIS) > limit:  # escapes took more room than the raw cut
        words = _without_last_word(words)
    return words + ELLIPSIS if len(words) >= MIN_SUMMARY else ""


def _without_last_word(text: str) -> str:
    """Up to the last space, without trailing punctuation: a cut never ends mid-word or on a comma."""
    return text.rsplit(" ", 1)[0].rstrip(" ,;:.") if " " in text else ""


def _json_size(text: str) -> int:
    return len(encode(text)) - 2  # without the quotes around it
