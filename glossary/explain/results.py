"""The values an explanation is made of; offsets are code points into the text as given (text[start:end])."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LevelKind = Literal["vertebra", "disc", "range", "nerve"]


@dataclass(frozen=True, slots=True)
class Term:
    """A mention of a glossary entry; `negated` when the report says the finding is absent."""

    start: int
    end: int
    text: str
    slug: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Level:
    """A spinal level as the report writes it, and what it is in words.

    `first` and `last` name the segments it spans ("L4" and "L5" for a disc, the same segment twice
    for one vertebra; "Co" is the coccyx), which is what the spine diagram highlights.
    """

    start: int
    end: int
    text: str
    label: str
    region: str
    kind: LevelKind
    first: str
    last: str

    @property
    def key(self) -> str:
        """One name for every way of writing the same level: 'L4-5', 'L4/L5' and 'L4 en-dash 5' are all 'L4-L5'."""
        if self.kind == "nerve":
            return f"{self.first}-root"
        return self.first if self.first == self.last else f"{self.first}-{self.last}"

    @property
    def name(self) -> str:
        """How the page names it, one way for every writing: 'L4\u20135', 'L5\u2013S1', 'L5 nerve root', 'Coccyx'."""
        if self.first == "Co":
            return "Coccyx"
        if self.kind == "nerve":
            return f"{self.first} nerve root"
        if self.first == self.last:
            return self.first
        same = self.first[0] == self.last[0] and self.kind == "disc"
        return f"{self.first}\u2013{self.last[1:] if same else self.last}"


@dataclass(frozen=True, slots=True)
class Explanation:
    """Terms and levels, each in order of position and never overlapping one another."""

    terms: tuple[Term, ...]
    levels: tuple[Level, ...]

    def entries(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The slugs of the entries mentioned, in order of first mention: those the report says are there
        (or names without saying), and apart from them those it only ever says are absent."""
        present = dict.fromkeys(term.slug for term in self.terms if not term.negated)
        absent = dict.fromkeys(term.slug for term in self.terms if term.negated and term.slug not in present)
        return tuple(present), tuple(absent)

    def distinct_levels(self) -> tuple[Level, ...]:
        """One level for each `key`, the first mention of it, in order of position."""
        first: dict[str, Level] = {}
        for level in self.levels:
            first.setdefault(level.key, level)
        return tuple(first.values())
