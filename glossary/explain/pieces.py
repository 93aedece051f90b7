"""The text of a report cut into pieces, plain or marked, for the page to show in order and escape piece by piece."""

from __future__ import annotations

import re
from dataclasses import dataclass

from glossary.content.entries import term_url
from glossary.explain.results import Explanation, Level, Term


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    term: Term | None = None
    level: Level | None = None

    @property
    def shown(self) -> str:
        """The text as the page shows it: a control character (which HTML does not allow) as a replacement mark,
        one for one, so the page's text keeps the offsets of the text as sent."""
        return _CONTROL.sub("\ufffd", self.text)

    @property
    def url(self) -> str | None:
        """A term's entry; None for a level or plain text."""
        return term_url(self.term.slug) if self.term else None


# C0 and C1 controls other than tab and line breaks, DEL, and the noncharacters U+FFFE and U+FFFF.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def pieces(text: str, explanation: Explanation) -> list[Piece]:
    """Every character of `text` in exactly one piece, in order: the marks, and the plain text between them."""
    marks: list[Term | Level] = sorted([*explanation.terms, *explanation.levels], key=lambda mark: mark.start)
    found: list[Piece] = []
    at = 0
    for mark in marks:
        if mark.start > at:
            found.append(Piece(text[at : mark.start]))
        if isinstance(mark, Term):
            found.append(Piece(mark.text, term=mark))
        else:
            found.append(Piece(mark.text, level=mark))
        at = mark.end
    if at < len(text):
        found.append(Piece(text[at:]))
    return found
