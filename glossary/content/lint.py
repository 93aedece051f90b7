"""Scan an entry's Markdown body line by line, so every body problem has an exact line.

Python-Markdown forgets line numbers once it has split the text into blocks, so
the rules that editors break most (raw HTML, unsafe links, a '#' heading, an
image without alt text) and the wikilinks and citations the linker must resolve
are found here, on the source, skipping fenced code and inline code spans.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markdown.extensions.toc import slugify

from glossary.content.entries import PAGE_IDS, REFERENCE_ID_PREFIX, Entry
from glossary.content.problems import Problem, problem
from glossary.content.syntax import CITATION_RE, WIKILINK_RE, WikiLink, citation_keys

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"(`+).+?\1")
# Python-Markdown makes an h1 of '#' with or without a space, also inside a quote or list item.
_H1 = re.compile(r"^ {0,3}(?:(?:>|[*+-]|\d+[.)])\s*)*#(?!#)")
_SETEXT_H1 = re.compile(r"^ {0,3}=+\s*$")
_HEADING = re.compile(r"^ {0,3}#{2,6}\s+(.*?)(?:\s+#+)?\s*$")
_INLINE_MARKS = re.compile(r"[*_`\[\]]")
# A tag as a browser reads one: '<svg/onload=...>' and '<a href="x?<y">' are tags, and so is '<img' at the
# end of a line, whose attributes go on in the next; '<https://...>' and '<a@b.org>' are autolinks.
_HTML = re.compile(r"(?<!\\)<(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^>]*)?(?:>|$)|!--|![A-Za-z\[]|\?)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^\s)>]*)")
_IMAGE_REF = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\])?")
_LINK = re.compile(r"\]\(\s*<?((?:[^\s()<>]|\([^\s()]*\))*)")  # one level of (parentheses) in a URL
# Matched on a line and the one after it: Python-Markdown takes a definition's URL from the next line
# when the label's line has none, and reads definitions inside quotes and list items too.
_REF_DEF = re.compile(
    r"^[ \t]*(?:(?:>|[*+-]|\d+[.)])[ \t]*)*\[([^\]]*)\]:[ \t]*(?:\n[ \t>]*)?<?([^\s>]+)>?(?=[ \t]*(?:[\"'(]|\n|$))"
)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_WIKILINK = re.compile(WIKILINK_RE)
_CITATION = re.compile(CITATION_RE)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
FIGURE_PREFIX = "figures/"
# Every piece of guidance newterm's template puts where the editor's words go starts with this,
# so a draft whose guidance was never replaced cannot reach readers.
DRAFT_MARKER = "Write here"
_DRAFT = re.compile(rf"^\s*(?:[*+-]\s+)?{DRAFT_MARKER}\b")


@dataclass
class BodyScan:
    """What the body asks of the rest of the glossary, each with its line."""

    wikilinks: list[tuple[WikiLink, int]] = field(default_factory=list)
    citations: list[tuple[str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    too_slow: bool = False  # not to be rendered at all: see MAX_BRACKETS


# Python-Markdown's inline parser takes time that grows with the square of the '[' in a paragraph
# ('[[a' 2,000 times: 4.4 s; a 64 KB file of them would take minutes). The render limit (E031) can
# only be told once a render has finished, so a paragraph with more than this many is an error found
# here, before rendering. A paragraph of 1,000 takes about 0.4 s; real ones hold a few dozen.
MAX_BRACKETS = 1000


def scan(entry: Entry, figures: frozenset[str]) -> BodyScan:
    result = BodyScan()
    for first_line, paragraph in _paragraphs(entry):
        if (brackets := paragraph.count("[")) > MAX_BRACKETS:
            message = (
                f"This paragraph holds {brackets:,} '[', over the {MAX_BRACKETS:,} that can be rendered in time;"
                " the entry is not rendered."
            )
            result.problems.append(problem("E031", entry.path, first_line, message))
            result.too_slow = True
    if _DRAFT.match(entry.summary):
        message = "The summary is still the template's guidance."
        result.problems.append(problem("E028", entry.path, entry.lines["summary"], message))
    lines = list(_prose_lines(entry))
    following = [line for _, line in lines[1:]] + [""]
    with_next = [f"{line}\n{after}" for (_, line), after in zip(lines, following, strict=True)]
    # Reference-style links need two passes: a definition may come after the image that uses it.
    definitions = {m.group(1).lower(): m.group(2) for pair in with_next if (m := _REF_DEF.match(pair))}
    image_ids = {(ref or alt).lower() for _, line in lines for alt, ref in _IMAGE_REF.findall(_IMAGE.sub(" ", line))}
    previous = ""
    for (number, line), pair in zip(lines, with_next, strict=True):

        def report(code: str, message: str, *, at: int = number) -> None:
            result.problems.append(problem(code, entry.path, at, message))

        if _DRAFT.match(line):
            report("E028", f"The template's guidance {line.strip()[:50]!r} is still here.")
        heading = _HEADING.match(line)
        section_id = slugify(_INLINE_MARKS.sub("", heading.group(1)), "-") if heading else ""
        if section_id in PAGE_IDS or section_id.startswith(REFERENCE_ID_PREFIX):
            report("E029", f"The heading's link id '#{section_id}' is one the page gives its own section.")
        if _H1.match(line) or (_SETEXT_H1.match(line) and previous.strip()):
            report("E018", "A '#' heading: the title is already the page's heading.")
        for match in _HTML.finditer(line):
            report("E016", f"Raw HTML {match.group(0)[:40]!r}.")
        images = _IMAGE.findall(line)
        rest = _IMAGE.sub(" ", line)
        images += [
            (alt, definitions[ref_id])
            for alt, ref in _IMAGE_REF.findall(rest)
            if (ref_id := (ref or alt).lower()) in definitions
        ]
        for alt, src in images:
            _check_image(alt, src, figures, report)
        urls = [*_LINK.findall(rest), *_AUTOLINK.findall(rest)]
        definition = _REF_DEF.match(pair)
        if definition and definition.group(1).lower() not in image_ids:
            urls.append(definition.group(2))
        for url in urls:
            if not is_safe_url(url):
                report("E017", f"Link {url[:80]!r} is not allowed.")
        for match in _WIKILINK.finditer(line):
            result.wikilinks.append((WikiLink.from_match(match), number))
        for match in _CITATION.finditer(line):
            result.citations += [(key, number) for key in citation_keys(match.group(1))]
        previous = line
    return result


def _check_image(alt: str, src: str, figures: frozenset[str], report: Callable[[str, str], None]) -> None:
    if not alt.strip():
        report("E019", f"The image {src!r} has no alt text.")
    if not src.startswith(FIGURE_PREFIX) or src.removeprefix(FIGURE_PREFIX) not in figures:
        report("E020", f"Image {src!r} is not a file in the content's figures/ folder.")


def is_safe_url(url: str) -> bool:
    """http(s), mailto, a site path or an in-page anchor; never another scheme, '//host' or '/\\host'.

    Read as the browser reads it, after character references: '/&#47;host' is '//host'.
    """
    url = html.unescape(url)
    if "\\" in url or any(ord(char) < 32 for char in url):
        return False
    scheme = _SCHEME.match(url)
    if scheme:
        return scheme.group(1).lower() in SAFE_SCHEMES
    return (url.startswith("/") and not url.startswith("//")) or url.startswith("#")


def _paragraphs(entry: Entry) -> Iterator[tuple[int, str]]:
    """(file line number of its first line, text) of each run of lines between blank lines, code included."""
    start = entry.body_line
    lines: list[str] = []
    for number, line in enumerate([*entry.body.split("\n"), ""], start=entry.body_line):
        if line.strip():
            start = start if lines else number
            lines.append(line)
        elif lines:
            yield start, "\n".join(lines)
            lines = []


def _prose_lines(entry: Entry) -> Iterator[tuple[int, str]]:
    """(file line number, text) of every body line outside code, with code spans blanked.

    A fence that is never closed is not code to Python-Markdown, so it is not skipped here either.
    """
    lines = entry.body.split("\n")
    in_code = _fenced_lines(lines)
    for index, line in enumerate(lines):
        if index not in in_code:
            yield entry.body_line + index, _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def _fenced_lines(lines: list[str]) -> set[int]:
    fenced: set[int] = set()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        close = next(
            (j for j in range(index + 1, len(lines)) if opening and lines[j].strip().startswith(opening.group(1))),
            None,
        )
        if opening and close is not None:
            fenced.update(range(index, close + 1))
            index = close
        index += 1
    return fenced
