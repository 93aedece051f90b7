"""How a name is found in text: the word pattern and the plural rule.

One source for both, because three readers must agree on them: the autolinker that
finds names (markup.py), the render cache that decides which names a body could hold
(rendercache.py), and the report reader. If any one of them folded a word or a plural
differently, a cached page could miss a link that a fresh render would make.
"""

from __future__ import annotations

import re

WORD_RE = re.compile(r"\w+")
# What may follow a name's last word for a plain plural: 'radiologists', 'MRIs', 'abscesses'.
PLURAL_ENDING = r"(?:e?s)?"


def is_abbreviation(name: str) -> bool:
    """A name written in capitals (MRI, CSF, T2WI) is found only in capitals, so that an abbreviation does not
    match an ordinary word that happens to share its letters."""
    return not any(char.islower() for char in name)


def singulars(word: str) -> tuple[str, ...]:
    """The singulars a plural could stand for ('discs' -> 'disc', 'abscesses' -> 'abscesse', 'abscess')."""
    if len(word) > 2 and word.endswith("s"):
        return (word[:-1], word[:-2])
    return ()
