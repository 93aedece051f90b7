"""The syntax the glossary adds to Markdown, defined once for the scanner and the renderer."""

from __future__ import annotations

import re
from dataclasses import dataclass

# [[target]], [[target|text]], [[target#section]], [[target#section|text]]
WIKILINK_RE = r"\[\[([^\[\]|#]+)(?:#([^\[\]|]+))?(?:\|([^\[\]]+))?\]\]"
# [@key] or [@key-a; @key-b]
CITATION_RE = r"\[(@[^\[\]]+)\]"


@dataclass(frozen=True, slots=True)
class WikiLink:
    target: str
    anchor: str | None
    text: str | None

    @classmethod
    def from_match(cls, match: re.Match[str]) -> WikiLink:
        target, anchor, text = match.group(1, 2, 3)
        return cls(target.strip(), anchor.strip() if anchor else None, text.strip() if text else None)


def citation_keys(inner: str) -> list[str]:
    """'@a; @b' -> ['a', 'b']."""
    return [part.strip().removeprefix("@").strip() for part in inner.split(";") if part.strip()]
