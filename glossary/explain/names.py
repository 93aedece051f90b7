"""Every glossary name in a text: a trie of the names' folded words, walked by the text's words.

The names and the rules for matching them are the autolinker's (glossary/content/markup.py): a
name is a title, alias or word form its entry owns; one written in capitals matches only in capitals
(`wording.is_abbreviation`); a name's last word may be a plain plural (`wording.singulars`,
and -ies for -y).
A report needs a little more than an entry body does, so words are compared by their
folded spelling (`textfold.prefix_key`: case, accents, British and American spelling,
doubled letters), the words of a name may be split by any run of spaces or one line break,
a hyphen or a slash ('disc-osteophyte complex', 'disc osteophyte complex'), and two words
joined by a hyphen also stand for the one word they make ('post-operative',
'postoperative'; 'X-ray', 'xray').

Why a trie and not one alternation of every name: benchmarks/bench_explain.py measures the
three candidates (this trie, a compiled alternation, and an Aho-Corasick automaton) on
the 10,000-entry glossary; docs/performance.md has the figures.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from glossary.content.wording import WORD_RE, is_abbreviation, singulars
from glossary.search.textfold import fold, prefix_key

# Between two words of one name: spaces (at most one line break), or a hyphen or slash with spaces
# around it, or an apostrophe (Schmorl's node). Anything else (a full stop, a comma, a blank line)
# ends the name, bar a decimal point ('1.5T', '1.5 Tesla'; see _Words.gap_ok).
_GAP = re.compile(
    r"[^\S\r\n]*(?:\r\n|\r|\n)?[^\S\r\n]*|[^\S\r\n]*[-\u2010\u2011/][^\S\r\n]*(?:(?:\r\n|\r|\n)[^\S\r\n]*)?|['\u2019]"
)
# Two words that also make one word: a hyphen alone, perhaps at a line break (post-operative, X-ray).
_JOINING = re.compile(r"(?<=\w)[-\u2010\u2011](?:\r\n|\r|\n)?(?=\w)")
_HYPHENS = re.compile(r"(?<=[^\W_])[-\u2010\u2011](?=[^\W_])")
_NAMES = ""  # the trie key under which a node keeps the names that end there; never a word's key


@dataclass(frozen=True, slots=True)
class Name:
    slug: str
    text: str  # as the entry writes it
    letters: str | None  # for a name in capitals, its letters and digits, which the text must show as they are


@dataclass(frozen=True, slots=True)
class NameMatch:
    start: int
    end: int
    slug: str


def _singulars(word: str) -> tuple[str, ...]:
    """For a folded word, the autolinker's plural rule, and one more that reports need often: -ies for -y
    (vertebral bodies, hyperintensities, abnormalities)."""
    if len(word) > 4 and word.endswith("ies"):
        return (*singulars(word), word[:-3] + "y")
    return singulars(word)


@dataclass(slots=True)
class _Words:
    """A text's words and what the walk asks of each, worked out once per text."""

    text: str
    starts: list[int]
    ends: list[int]
    keys: list[str]
    stems: list[tuple[str, ...]]  # the keys of the singulars the word may be the plural of
    joined: list[str | None]  # the key of the word joined to the next by a hyphen, if it is
    _gaps: dict[int, bool]

    @classmethod
    def of(cls, text: str) -> _Words:
        found = list(WORD_RE.finditer(text))
        starts = [word.start() for word in found]
        ends = [word.end() for word in found]
        raw = [word.group() for word in found]
        joined: list[str | None] = [None] * len(raw)
        for hyphen in _JOINING.finditer(text):  # few in a report, so found by the regex rather than word by word
            i = bisect_left(ends, hyphen.start())
            joined[i] = word_key(raw[i] + raw[i + 1])
        # Only a word ending in s can be a plural; the rule reads it folded, as the autolinker does ('DISCS').
        stems = [tuple(map(word_key, _singulars(word.casefold()))) if word[-1] in "sS" else () for word in raw]
        return cls(text, starts, ends, list(map(word_key, raw)), stems, joined, {})

    def gap_ok(self, i: int) -> bool:
        """Whether word i and the next may belong to one name (see _GAP); asked only while a name goes on."""
        if i + 1 >= len(self.starts):
            return False
        if i not in self._gaps:
            start, end = self.ends[i], self.starts[i + 1]
            decimal = self.text[start:end] == "." and self.text[start - 1].isdigit() and self.text[end].isdigit()
            self._gaps[i] = decimal or _GAP.fullmatch(self.text, start, end) is not None
        return self._gaps[i]


@lru_cache(maxsize=131072)
def word_key(word: str) -> str:
    """The key a word is compared by: folded case, accents, spelling and doubled letters."""
    return prefix_key(fold(word))


class NameMatcher:
    """Built once per glossary from (name, slug) pairs; `find` is then a walk over the text's words."""

    def __init__(self, trie: dict[str, Any]) -> None:
        self._trie = trie

    @classmethod
    def build(cls, names: Iterable[tuple[str, str]]) -> NameMatcher:
        trie: dict[str, Any] = {}
        for text, slug in names:
            letters = "".join(WORD_RE.findall(text)) if is_abbreviation(text) else None
            name = Name(slug, text, letters)
            spellings = {text, _HYPHENS.sub("", text)}  # 'X-ray' is also written 'xray'
            for spelling in spellings:
                keys = [word_key(word) for word in WORD_RE.findall(spelling)]
                if not keys:
                    continue
                node = trie
                for key in keys:
                    node = node.setdefault(key, {})
                node.setdefault(_NAMES, []).append(name)
        return cls(trie)

    def find(self, text: str) -> Iterator[NameMatch]:
        """At each word of `text`, the longest name that starts there, if any; matches may overlap."""
        words = _Words.of(text)
        root = self._trie
        for i, key in enumerate(words.keys):
            if (
                key in root
                or words.joined[i] in root
                or (words.stems[i] and not root.keys().isdisjoint(words.stems[i]))
            ):
                found = self._longest(text, words, i)
                if found is not None:
                    yield found

    def _longest(self, text: str, words: _Words, first: int) -> NameMatch | None:
        """The longest name whose words are the text's from the `first` on: a walk down the trie.

        At each word: the word as the plural of a name's last word (a name can only end there); the
        word joined to the next by a hyphen, as one word (a branch, walked later); and the word as it
        is, which the walk follows while the gap to the next word may be inside a name.
        """
        start = words.starts[first]
        keys, stems, joined, ends = words.keys, words.stems, words.joined, words.ends
        best: tuple[int, str] | None = None  # (end, slug)
        branches: list[tuple[dict[str, Any], int]] = [(self._trie, first)]
        while branches:
            node, i = branches.pop()
            while True:
                for stem in stems[i]:
                    best = self._better(text, start, ends[i], node.get(stem), best)
                pair = joined[i]
                if pair is not None and (both := node.get(pair)) is not None:
                    best = self._better(text, start, ends[i + 1], both, best)
                    if words.gap_ok(i + 1):
                        branches.append((both, i + 2))
                child = node.get(keys[i])
                if child is None:
                    break
                best = self._better(text, start, ends[i], child, best)
                if not words.gap_ok(i):
                    break
                node, i = child, i + 1
        return None if best is None else NameMatch(start, best[0], best[1])

    @classmethod
    def _better(
        cls, text: str, start: int, end: int, node: dict[str, Any] | None, best: tuple[int, str] | None
    ) -> tuple[int, str] | None:
        """The names ending at `node` (words start..end of the text) if one fits and is longer than `best`."""
        if node is None or (best is not None and end <= best[0]):
            return best
        for name in node.get(_NAMES, ()):
            if name.letters is None or cls._fits(text, start, end, name.letters):
                return end, name.slug
        return best

    @staticmethod
    def _fits(text: str, start: int, end: int, letters: str) -> bool:
        """A name in capitals shown in capitals (a plural s allowed). Words are whole \\w runs (wording.WORD_RE),
        so a match is never part of a longer word."""
        shown = "".join(WORD_RE.findall(text, start, end))
        return shown in (letters, letters + "s", letters + "es")
