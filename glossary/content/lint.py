"""Scan an entry's Markdown body line by line, so every body problem has an exact line.

Python-Markdown forgets line numbers once it has split the text into blocks, so
the rules that editors break most (raw HTML, unsafe links, a '#' heading, an
image without alt text) and the wikilinks and citations the linker must resolve
are found here, on the source, skipping fenced code and inline code spans.

The rules are two tables: ENTRY_RULES look at the whole entry, LINE_RULES at one line
outside code at a time. A rule is a function that yields what it finds; a new check
is a new function and a new row.
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

    @property
    def too_slow(self) -> bool:
        """Not to be rendered at all: see MAX_BRACKETS."""
        return any(found.code == TOO_SLOW for found in self.problems)


# Python-Markdown's inline parser takes time that grows with the square of the '[' in a paragraph
# ('[[a' 2,000 times: 4.4 s; a 64 KB file of them would take minutes). The render limit (E031) can
# only be told once a render has finished, so a paragraph with more than this many is an error found
# here, before rendering. A paragraph of 1,000 takes about 0.4 s; real ones hold a few dozen.
MAX_BRACKETS = 1000
TOO_SLOW = "E031"


def scan(entry: Entry, figures: frozenset[str]) -> BodyScan:
    """Every problem ENTRY_RULES and LINE_RULES find, and the wikilinks and citations the linker must resolve."""
    result = BodyScan()
    for entry_rule in ENTRY_RULES:
        result.problems += entry_rule(entry)
    for line in _lines(entry, figures):
        for rule in LINE_RULES:
            result.problems += (problem(code, entry.path, line.number, message) for code, message in rule(line))
        result.wikilinks += ((WikiLink.from_match(match), line.number) for match in _WIKILINK.finditer(line.text))
        keys = (key for match in _CITATION.finditer(line.text) for key in citation_keys(match.group(1)))
        result.citations += ((key, line.number) for key in keys)
    return result


# -- the rules over the whole entry ------------------------------------------------------------------


def _too_many_brackets(entry: Entry) -> Iterator[Problem]:
    for first_line, paragraph in _paragraphs(entry):
        if (brackets := paragraph.count("[")) > MAX_BRACKETS:
            message = (
                f"This paragraph holds {brackets:,} '[', over the {MAX_BRACKETS:,} that can be rendered in time;"
                " the entry is not rendered."
            )
            yield problem(TOO_SLOW, entry.path, first_line, message)


def _guidance_summary(entry: Entry) -> Iterator[Problem]:
    if _DRAFT.match(entry.summary):
        yield problem("E028", entry.path, entry.lines["summary"], "The summary is still the template's guidance.")


ENTRY_RULES: tuple[Callable[[Entry], Iterator[Problem]], ...] = (_too_many_brackets, _guidance_summary)


# -- the rules over each line outside code -----------------------------------------------------------


@dataclass(frozen=True)
class _Body:
    """What a line's rules need to know of the rest of the body and of the content folder."""

    figures: frozenset[str]
    definitions: dict[str, str]  # reference-style link label (lower case) -> URL
    image_labels: frozenset[str]  # the labels images use, whose definitions are images, not links


@dataclass(frozen=True)
class _Line:
    """One line outside code, as the line rules read it."""

    number: int  # in the file
    text: str  # with code spans blanked
    with_next: str  # and the next line: a link definition may take its URL from there
    previous: str
    without_images: str  # with inline images blanked, so that their sources are not read as links
    body: _Body


def _lines(entry: Entry, figures: frozenset[str]) -> Iterator[_Line]:
    lines = list(_prose_lines(entry))
    following = [line for _, line in lines[1:]] + [""]
    with_next = [f"{line}\n{after}" for (_, line), after in zip(lines, following, strict=True)]
    # Reference-style links need two passes: a definition may come after the image that uses it.
    definitions = {m.group(1).lower(): m.group(2) for pair in with_next if (m := _REF_DEF.match(pair))}
    labels = {(ref or alt).lower() for _, line in lines for alt, ref in _IMAGE_REF.findall(_IMAGE.sub(" ", line))}
    body = _Body(figures, definitions, frozenset(labels))
    previous = ""
    for (number, text), pair in zip(lines, with_next, strict=True):
        yield _Line(number, text, pair, previous, _IMAGE.sub(" ", text), body)
        previous = text


Found = tuple[str, str]  # (problem id, message)


def _guidance(line: _Line) -> Iterator[Found]:
    if _DRAFT.match(line.text):
        yield "E028", f"The template's guidance {line.text.strip()[:50]!r} is still here."


def _heading_id(line: _Line) -> Iterator[Found]:
    heading = _HEADING.match(line.text)
    section_id = slugify(_INLINE_MARKS.sub("", heading.group(1)), "-") if heading else ""
    if section_id in PAGE_IDS or section_id.startswith(REFERENCE_ID_PREFIX):
        yield "E029", f"The heading's link id '#{section_id}' is one the page gives its own section."


def _title_heading(line: _Line) -> Iterator[Found]:
    if _H1.match(line.text) or (_SETEXT_H1.match(line.text) and line.previous.strip()):
        yield "E018", "A '#' heading: the title is already the page's heading."


def _raw_html(line: _Line) -> Iterator[Found]:
    for match in _HTML.finditer(line.text):
        yield "E016", f"Raw HTML {match.group(0)[:40]!r}."


def _images(line: _Line) -> Iterator[Found]:
    definitions = line.body.definitions
    images = _IMAGE.findall(line.text)
    images += [
        (alt, definitions[label])
        for alt, ref in _IMAGE_REF.findall(line.without_images)
        if (label := (ref or alt).lower()) in definitions
    ]
    for alt, src in images:
        if not alt.strip():
            yield "E019", f"The image {src!r} has no alt text."
        if not src.startswith(FIGURE_PREFIX) or src.removeprefix(FIGURE_PREFIX) not in line.body.figures:
            yield "E020", f"Image {src!r} is not a file in the content's figures/ folder."


def _unsafe_links(line: _Line) -> Iterator[Found]:
    urls = [*_LINK.findall(line.without_images), *_AUTOLINK.findall(line.without_images)]
    definition = _REF_DEF.match(line.with_next)
    if definition and definition.group(1).lower() not in line.body.image_labels:
        urls.append(definition.group(2))
    for url in urls:
        if not is_safe_url(url):
            yield "E017", f"Link {url[:80]!r} is not allowed."


# Each rule, in the order its problems are listed for a line.
LINE_RULES: tuple[Callable[[_Line], Iterator[Found]], ...] = (
    _guidance,  # E028: newterm's guidance left in place
    _heading_id,  # E029: a heading whose id the page already uses
    _title_heading,  # E018: a '#' or '=' heading, the page title's level
    _raw_html,  # E016: raw HTML
    _images,  # E019 and E020: an image without alt text, or not one of the content's figures
    _unsafe_links,  # E017: a link to anything but the web, mail or the site
)


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
