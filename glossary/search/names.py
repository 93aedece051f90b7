"""Find entries by their names (titles and aliases): exactly, by what has been typed so far, or by likeness.

This is the typeahead's engine, so it stays in memory and in Python: a dict for
exact names, a sorted list searched by bisection for prefixes of a name or of
any word in it, and rapidfuzz for names that are misspelt.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from glossary.search.lengths import ByLength
from glossary.search.textfold import name_key, prefix_key, words

FUZZY_CUTOFF = 75.0  # fuzz.ratio out of 100; 'mielogram' scores 89 against 'myelogram'
_PREFIX_SCAN = 400  # candidates read from the sorted list before ranking; plenty for a page of suggestions


@dataclass(frozen=True, slots=True)
class Name:
    slug: str
    text: str  # as the entry writes it
    is_title: bool


class NameIndex:
    def __init__(self, names: list[Name]) -> None:
        self._names = names
        self._exact = {name_key(n.text): i for i, n in enumerate(names)}
        keys = [" ".join(prefix_key(w) for w in words(n.text)) for n in names]
        self._keys = keys
        self._key_lengths = ByLength(keys)
        # One row for the start of each word of each name, so 'tum' finds 'intramedullary tumour'.
        starts: list[tuple[str, int, int]] = []
        for i, key in enumerate(keys):
            offset = 0
            for position, word in enumerate(key.split(" ")):
                starts.append((key[offset:], position, i))
                offset += len(word) + 1
        starts.sort()
        self._starts = starts
        self._start_keys = [row[0] for row in starts]

    def exact(self, query: str) -> Name | None:
        """The name the query spells, allowing for case, spacing, hyphens, plurals and spelling."""
        index = self._exact.get(name_key(query))
        return None if index is None else self._names[index]

    def prefixed(self, query: str, *, limit: int) -> list[Name]:
        """Names that start with the query, then names with a word that does; shorter names first; one per entry."""
        key = " ".join(prefix_key(w) for w in words(query))
        if not key:
            return []
        found: dict[int, tuple[int, int, str]] = {}
        at = bisect_left(self._start_keys, key)
        for start_key, position, i in self._starts[at : at + _PREFIX_SCAN]:
            if not start_key.startswith(key):
                break
            rank = (min(position, 1), len(self._keys[i]), self._keys[i])
            if i not in found or rank < found[i]:
                found[i] = rank
        return _one_per_entry([self._names[i] for i in sorted(found, key=found.__getitem__)])[:limit]

    def alike(self, query: str, *, limit: int) -> list[Name]:
        """Whole names most like the query, for typing mistakes: 'mielogram' finds 'Myelogram'.

        Plain `ratio`, over only the names of a length that could reach the cut-off
        (lengths.py); `partial_ratio` and `WRatio` would also forgive a half-typed name
        but are many times slower, so half-typed words are left to the word corrector
        (see search).
        """
        key = " ".join(prefix_key(w) for w in words(query))
        if len(key) < 3:
            return []
        window = self._key_lengths.for_ratio(key, FUZZY_CUTOFF)
        found = process.extract(key, window.texts, scorer=fuzz.ratio, limit=limit * 2, score_cutoff=FUZZY_CUTOFF)
        return _one_per_entry([self._names[window.positions[i]] for _, _, i in found])[:limit]


def _one_per_entry(names: list[Name]) -> list[Name]:
    """The first name of each entry, in order: a list of suggestions shows an entry once."""
    first: dict[str, Name] = {}
    for name in names:
        first.setdefault(name.slug, name)
    return list(first.values())
