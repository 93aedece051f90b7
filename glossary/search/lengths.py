"""Strings grouped by length, so a likeness search scores only those that could reach its cut-off.

Both edit distance and rapidfuzz's ratio bound how far apart two lengths can be:
two edits cannot join words four letters apart, and a ratio of 75 cannot join a
word of 10 letters to a name of 20. At 10,000 entries that leaves a third or
less of the candidates to score, which is what keeps a misspelt or hopeless
keystroke inside the typeahead's budget.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Window:
    """Texts of a range of lengths, shortest first, and where each stands in the original sequence."""

    texts: list[str]
    positions: list[int]


class ByLength:
    def __init__(self, texts: Sequence[str]) -> None:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # stable: equal lengths keep their order
        self._lengths = [len(texts[i]) for i in order]
        self._texts = [texts[i] for i in order]
        self._positions = order

    def within(self, shortest: int, longest: int) -> Window:
        """Slices, not copies made one by one: a window can hold thousands of texts."""
        start = bisect_left(self._lengths, shortest)
        stop = bisect_right(self._lengths, longest)
        return Window(self._texts[start:stop], self._positions[start:stop])

    def for_ratio(self, text: str, cutoff: float) -> Window:
        """Texts whose rapidfuzz `ratio` with `text` can reach `cutoff` (out of 100).

        The ratio is 2M / (a + b) for M matched characters, at most the shorter length,
        so the longer of two texts can be at most (2 - c) / c times the shorter.
        """
        share = cutoff / 100
        size = len(text)
        return self.within(math.floor(size * share / (2 - share)), math.ceil(size * (2 - share) / share))

    def for_edits(self, text: str, edits: int) -> Window:
        """Texts that `edits` insertions, deletions, changes or swaps could turn `text` into."""
        return self.within(len(text) - edits, len(text) + edits)
