"""Fold words the way readers vary them, so that a query and an entry meet however each is spelt.

Three keys, from loosest to strictest use:

- `words` splits text into lower-case, accent-free words, as SQLite's unicode61
  tokenizer does, so the words we reason about are the words the index holds.
- `prefix_key` folds British and American spellings (tumour/tumor,
  oedema/edema, centre/center, localise/localize) and doubled letters
  (intramedullary/intramedulary), for matching what a reader has typed so far.
- `word_key` also stems (tumours, tumour), so that every form and spelling of a
  word shares one key.

Keys are only ever compared with other keys and never shown, so a fold that
merges two unrelated rare words costs little, while one that misses a variant
loses a reader.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD_RE = re.compile(r"[^\W_]+")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# Pairs no pattern covers; the key side is whichever the rules below would give.
_SPELLINGS: dict[str, str] = {
    "disk": "disc",
    "disks": "discs",
    "gray": "grey",
    "artifact": "artefact",
    "artifacts": "artefacts",
    "aging": "ageing",
    "sulfur": "sulphur",
    "aluminum": "aluminium",
    "mold": "mould",
    "program": "programme",
    "programs": "programmes",
    "practise": "practice",
    "licence": "license",
    "defence": "defense",
    "skeptical": "sceptical",
}

# (pattern, replacement) applied in order to one word. Each turns the British
# form into the American one, so both spellings reach the same key.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # haemorrhage, paediatric, anaemia, leukaemia, aetiology; oedema, oesophagus,
    # foetus, diarrhoea, coeliac. Not before s or at the end: does, goes, shoe, toe.
    (re.compile(r"[ao]e(?=[a-rt-z])"), "e"),
    # tumour(s), colouring, behavioural; not four, your, hour, pour.
    (re.compile(r"(?<=[a-z]{3})our(?=(s|ed|ing|al|ful|ite|able|less)?$)"), "or"),
    # centre, fibre, metre, calibre, theatre (and their plurals).
    (re.compile(r"(?<=[a-z]{2}[bt])re(?=s?$)"), "er"),
    # localise(d), immobilisation, visualising; analyse, paralyse.
    (re.compile(r"(?<=[a-z]{3})is(?=(e|ed|es|ing|ation|ations)$)"), "iz"),
    (re.compile(r"(?<=[a-z]{2})ys(?=(e|ed|es|ing)$)"), "yz"),
    # catalogue, analogue, dialogue.
    (re.compile(r"(?<=[a-z]{3})ogue(?=s?$)"), "og"),
)
_DOUBLE_RE = re.compile(r"([a-z])\1+")

_stemmer = snowballstemmer.stemmer("english")

_STOPWORD_TEXT = """
    a about am an and any are as at be been being but by can could did do does doing for from had has have
    having he her his how i if in into is it its me mean means meaning my myself no nor not of on or our
    please she should so some such than that the their them then there these they this those to too very
    was we were what when where which while who whom why will with would you your"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def without_controls(text: str) -> str:
    """Control characters (NUL, escapes, line breaks) become spaces: they carry no words."""
    return _CONTROL_RE.sub(" ", text)


def fold(text: str) -> str:
    """Lower case without accents or control characters: what the index and every key start from."""
    text = without_controls(text)
    if text.isascii():  # most text; spares a walk over every character
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return WORD_RE.findall(fold(text))


@lru_cache(maxsize=65536)
def spelling(word: str) -> str:
    """The American spelling of a folded word, or the word itself."""
    word = _SPELLINGS.get(word, word)
    for pattern, replacement in _RULES:
        word = pattern.sub(replacement, word)
    return word


def prefix_key(word: str) -> str:
    return _DOUBLE_RE.sub(r"\1", spelling(word))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English stem (Snowball's Porter 2): tumours and tumour share one, tumor has its own."""
    return _stemmer.stemWord(word)


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """One key for every form and spelling of a word: tumours, tumour, tumors and tumor meet."""
    return _DOUBLE_RE.sub(r"\1", stem(spelling(word)))


def name_key(text: str) -> str:
    """A name with its word breaks removed, so 'intra-medullary tumor' meets 'Intramedullary tumour'."""
    return "".join(word_key(w) for w in words(text))


def content_words(text: str) -> list[str]:
    """The words that carry meaning: 'what is a myelogram' asks about 'myelogram'."""
    found = words(text)
    meaningful = [w for w in found if w not in STOPWORDS]
    return meaningful or found
