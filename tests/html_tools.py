"""Read links, ids and text out of rendered pages with the standard library's HTML parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageFacts:
    links: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    citation_links: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.facts = PageFacts()
        self._in_citation = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.facts.tags.append(tag)
        if attributes.get("id"):
            self.facts.ids.append(attributes["id"] or "")
        if tag == "sup" and attributes.get("class") == "citation":
            self._in_citation += 1
        for name in ("href", "src"):
            if attributes.get(name):
                self.facts.links.append(attributes[name] or "")
                if self._in_citation and name == "href":
                    self.facts.citation_links.append(attributes[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "sup" and self._in_citation:
            self._in_citation -= 1

    def handle_data(self, data: str) -> None:
        self.facts.text.append(data)


def facts(html: str) -> PageFacts:
    collector = _Collector()
    collector.feed(html)
    return collector.facts
