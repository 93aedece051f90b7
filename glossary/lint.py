"""Scan an entry's Markdown body line by line, so every body problem has an exact line.

Python-Markdown forgets line numbers once it has split the text into blocks, so
the rules that editors break most (raw HTML, unsafe links, a '#' heading, an
image without alt text) and the wikilinks and citations the linker must resolve
are found here, on the source, skipping fenced code and inline code spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from glossary.entries import Entry
from glossary.problems import Problem, problem
from glossary.syntax import CITATION_RE, WIKILINK_RE, WikiLink, citation_keys

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_H1 = re.compile(r"^ {0,3}#(?:\s|$)")
_SETEXT_H1 = re.compile(r"^ {0,3}=+\s*$")
_HTML = re.compile(r"(?<!\\)<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|/[A-Za-z][A-Za-z0-9-]*\s*>|!--|![A-Za-z]|\?)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^\s)>]*)")
_LINK = re.compile(r"\]\(\s*<?([^\s)>]*)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_WIKILINK = re.compile(WIKILINK_RE)
_CITATION = re.compile(CITATION_RE)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
FIGURE_PREFIX = "figures/"


@dataclass
class BodyScan:
    """What the body asks of the rest of the glossary, each with its line."""

    wikilinks: list[tuple[WikiLink, int]] = field(default_factory=list)
    citations: list[tuple[str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def scan(entry: Entry, figures: frozenset[str]) -> BodyScan:
    result = BodyScan()
    previous = ""
    for number, line in _prose_lines(entry):

        def report(code: str, message: str, *, at: int = number) -> None:
            result.problems.append(problem(code, entry.path, at, message))

        if _H1.match(line) or (_SETEXT_H1.match(line) and previous.strip()):
            report("E018", "A '#' heading: the title is already the page's heading.")
        for match in _HTML.finditer(line):
            report("E016", f"Raw HTML {match.group(0)[:40]!r}.")
        for alt, src in _IMAGE.findall(line):
            if not alt.strip():
                report("E019", f"The image {src!r} has no alt text.")
            if not src.startswith(FIGURE_PREFIX) or src.removeprefix(FIGURE_PREFIX) not in figures:
                report("E020", f"Image {src!r} is not a file in the content's figures/ folder.")
        links = _LINK.findall(_IMAGE.sub(" ", line))  # image sources were checked just above
        for url in [*links, *_REF_DEF.findall(line), *_AUTOLINK.findall(line)]:
            if not is_safe_url(url):
                report("E017", f"Link {url[:80]!r} is not allowed.")
        for match in _WIKILINK.finditer(line):
            result.wikilinks.append((WikiLink.from_match(match), number))
        for match in _CITATION.finditer(line):
            result.citations += [(key, number) for key in citation_keys(match.group(1))]
        previous = line
    return result


def is_safe_url(url: str) -> bool:
    """http(s), mailto, a site path or an in-page anchor; never another scheme or '//host'."""
    scheme = _SCHEME.match(url)
    if scheme:
        return scheme.group(1).lower() in SAFE_SCHEMES
    return (url.startswith("/") and not url.startswith("//")) or url.startswith("#")


def _prose_lines(entry: Entry) -> Iterator[tuple[int, str]]:
    """(file line number, text) of every body line outside code, with code spans blanked."""
    in_fence: str | None = None
    for index, line in enumerate(entry.body.split("\n")):
        fence = _FENCE.match(line)
        if fence and (in_fence is None or fence.group(1) == in_fence):
            in_fence = None if in_fence else fence.group(1)
            continue
        if in_fence is None:
            yield entry.body_line + index, _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
