"""Find entries by name: the simple matcher the search page uses until full-text search lands."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from glossary.entries import Glossary, Page, name_key

MAX_QUERY = 200


@dataclass(frozen=True, slots=True)
class Hit:
    page: Page
    matched: str  # "title", "alias" or "summary"
    name: str  # the title or alias that matched


def find(glossary: Glossary, query: str, *, limit: int = 50) -> list[Hit]:
    """Exact names first, then names that start with the query, then names and summaries that contain it."""
    key = name_key(query[:MAX_QUERY])
    if not key:
        return []
    ranked: list[tuple[int, str, Hit]] = []
    for page in glossary.pages.values():
        entry = page.entry
        best: tuple[int, Hit] | None = None
        for name in entry.names:
            name_k = name_key(name)
            rank = 0 if name_k == key else 1 if name_k.startswith(key) else 2 if key in name_k else None
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, Hit(page, "title" if name == entry.title else "alias", name))
        if best is None and key.replace("-", " ") in entry.summary.lower():
            best = (3, Hit(page, "summary", entry.title))
        if best:
            ranked.append((best[0], entry.title.casefold(), best[1]))
    ranked.sort(key=lambda item: item[:2])
    return [hit for _, _, hit in ranked[:limit]]


def closest(glossary: Glossary, text: str, *, limit: int = 5) -> list[Page]:
    """Entries whose names look most like `text` (a mistyped URL or query), best first."""
    key = name_key(text[:MAX_QUERY])
    if not key:
        return []
    names = {name_key(name): page for page in glossary.pages.values() for name in page.entry.names}
    matches = difflib.get_close_matches(key, list(names), n=limit * 3, cutoff=0.5)
    unique = {names[m].entry.slug: names[m] for m in reversed(matches)}
    return list(reversed(unique.values()))[:limit]
