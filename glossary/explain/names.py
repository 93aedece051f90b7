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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from glossary.content.wording import WORD_RE, is_abbreviation, singulars
from glossary.search.textfold import fold, prefix_key

# Between two words of one name: spaces (at most one line break), or a hyphen or slash with spaces
# around it, or an apostrophe (Schmorl's node). Anything else (a full stop, a comma, a blank line)
# ends the name.
_GAP = re.compile(
    r"[^\S\r\n]*(?:\r\n|\r|\n)?[^\S\r\n]*|[^\S\r\n]*[-\u2010\u2011/][^\S\r\n]*(?:(?:\r\n|\r|\n)[^\S\r\n]*)?|['\u2019]"
)
# Two words that also make one word: a hyphen alone, perhaps at a line break (post-operative, X-ray).
_JOIN = re.compile(r"[-\u2010\u2011](?:\r\n|\r|\n)?")
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
    """The autolinker's plural rule, and one more that reports need often: -ies for -y (vertebral bodies,
    hyperintensities, abnormalities)."""
    if len(word) > 4 and word[-3:].lower() == "ies":
        return (*singulars(word), word[:-3] + "y")
    return singulars(word)


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
        words = list(WORD_RE.finditer(text))
        keys = [word_key(word.group()) for word in words]
        for i in range(len(words)):
            found = self._longest(text, words, keys, i)
            if found is not None:
                yield found

    def _longest(self, text: str, words: list[re.Match[str]], keys: list[str], first: int) -> NameMatch | None:
        """The longest name whose words are the text's from the `first` on (a depth-first walk of the trie)."""
        start = words[first].start()
        best: NameMatch | None = None
        stack: list[tuple[dict[str, Any], int]] = [(self._trie, first)]
        while stack:
            node, i = stack.pop()
            for child, last, ends in self._steps(text, words, keys, node, i):
                end = words[last].end()
                for name in ends:
                    if (best is None or end - start > best.end - best.start) and self._fits(text, start, end, name):
                        best = NameMatch(start, end, name.slug)
                if child is not None and last + 1 < len(words):
                    following = words[last + 1]
                    if _GAP.fullmatch(text, words[last].end(), following.start()):
                        stack.append((child, last + 1))
        return best

    @staticmethod
    def _steps(
        text: str, words: list[re.Match[str]], keys: list[str], node: dict[str, Any], i: int
    ) -> Iterator[tuple[dict[str, Any] | None, int, list[Name]]]:
        """Where word i leads from `node`: (the child to go on from, the last word used, the names ending there).

        The word as it is; the word as the plural of a name's last word; and the word joined to the
        next by a hyphen, as one word.
        """
        child = node.get(keys[i])
        if child is not None:
            yield child, i, child.get(_NAMES, [])
        for singular in _singulars(words[i].group()):
            ends = node.get(word_key(singular), {}).get(_NAMES)
            if ends:
                yield None, i, ends
        if i + 1 < len(words) and _JOIN.fullmatch(text, words[i].end(), words[i + 1].start()):
            joined = node.get(word_key(words[i].group() + words[i + 1].group()))
            if joined is not None:
                yield joined, i + 1, joined.get(_NAMES, [])

    @staticmethod
    def _fits(text: str, start: int, end: int, name: Name) -> bool:
        """A name in capitals shown in capitals (a plural s allowed). Words are whole \\w runs (wording.WORD_RE),
        so a match is never part of a longer word."""
        if name.letters is None:
            return True
        shown = "".join(WORD_RE.findall(text, start, end))
        return shown in (name.letters, name.letters + "s", name.letters + "es")
