"""Explain a report: the glossary's names and the spinal levels in it, and the findings it says are absent.

An `Explainer` is built once per content load (glossary/store.py) and is then read-only, so
every request shares it. It never keeps, logs or copies the text it is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from glossary.content.entries import SHORT_CATEGORY, Glossary
from glossary.explain import levels, negation
from glossary.explain.misspelt import Misspellings
from glossary.explain.names import NameMatch, NameMatcher
from glossary.explain.results import Explanation, Level, Term
from glossary.search.engine import SearchIndex

# The categories whose entries are findings a report can say are absent (the short entries are the report's
# own words: 'effacement', 'hyperintensity'). Parts of the body, tests, techniques and treatments are not:
# "no stenosis of the spinal canal" says nothing against the canal.
NEGATABLE = frozenset({"condition", "imaging-finding", SHORT_CATEGORY})


@dataclass(frozen=True)
class Explainer:
    names: NameMatcher
    negatable: frozenset[str]  # the slugs of entries that are findings
    short: frozenset[str]  # the slugs of short entries, the report's own words
    weightings: Mapping[str, str]  # 'T1'/'T2' -> the entry that explains that MRI weighting
    misspellings: Misspellings

    @classmethod
    def build(cls, glossary: Glossary, index: SearchIndex) -> Explainer:
        """From the names (title, aliases, word forms) each entry owns: those that resolve to it, as for the
        autolinker (glossary/content/linker.py). The glossary's search index knows every word its text uses."""
        entries = [page.entry for page in glossary.pages.values()]
        names = [(name, e.slug) for e in entries for name in e.names if glossary.resolve(name) == e.slug]
        negatable = frozenset(entry.slug for entry in entries if entry.category in NEGATABLE)
        short = frozenset(entry.slug for entry in entries if entry.category == SHORT_CATEGORY)
        # "T2" alone is no entry's name (it is also a vertebra), but where the context shows a weighting, the
        # entry that a "T2-weighted" names explains it.
        weightings = {w: slug for w in ("T1", "T2") if (slug := glossary.resolve(f"{w}-weighted")) is not None}
        misspellings = Misspellings([(name, slug) for name, slug in names if " " not in name], index.knows)
        return cls(NameMatcher.build(names), negatable, short, weightings, misspellings)

    def explain(self, text: str) -> Explanation:
        found_levels, weightings = levels.find_all(text)
        named = [*self.names.find(text), *self._weighting_matches(weightings), *self.misspellings.find(text)]
        matches = _without_overlaps(text, named, found_levels)
        absent = negation.negated(text, [(m.start, m.end) for m in matches])
        terms = tuple(
            Term(m.start, m.end, text[m.start : m.end], m.slug, negated=no and self._finding(text, m, following))
            for m, no, following in zip(matches, absent, [*matches[1:], None][: len(matches)], strict=True)
        )
        return Explanation(terms, tuple(found_levels))

    def _weighting_matches(self, weightings: Iterable[levels.Weighting]) -> list[NameMatch]:
        return [NameMatch(w.start, w.end, self.weightings[w.name]) for w in weightings if w.name in self.weightings]

    def _finding(self, text: str, match: NameMatch, following: NameMatch | None) -> bool:
        """Whether a term names a finding, so that it can be absent: its entry's category says so, and a short
        entry's word (central, bilateral, focal) does not only describe the next term ('no central or
        foraminal stenosis': the stenosis is absent, and 'central' says where)."""
        if match.slug not in self.negatable:
            return False
        if match.slug not in self.short or following is None:
            return True
        return not _DESCRIBES.fullmatch(text, match.end, following.start)


# Between a describing word and the term it describes: 'central canal', 'central or foraminal', 'left, right'.
_DESCRIBES = re.compile(r"[\s/-]+|\s*,\s*|\s+(?:or|and)\s+")


def _without_overlaps(text: str, matches: Iterable[NameMatch], found_levels: list[Level]) -> list[NameMatch]:
    """The longest matches first, each kept unless it overlaps a level or a longer match; in order of position.

    Levels come first: whether a T2 is a vertebra was settled from its context, and a name that
    overlaps one (an alias 'T2 scan' in 'T2 scan level'?) must not undo that.
    """
    taken = bytearray(len(text))
    for level in found_levels:
        taken[level.start : level.end] = b"\x01" * (level.end - level.start)
    kept: list[NameMatch] = []
    for match in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
        if taken.find(1, match.start, match.end) == -1:
            kept.append(match)
            taken[match.start : match.end] = b"\x01" * (match.end - match.start)
    return sorted(kept, key=lambda m: m.start)
