"""Which findings a report says are absent: a NegEx/ConText-style rule table over the text.

NegEx (Chapman et al., J Biomed Inform 2001) and its successor ConText (Harkema et al., 2009)
read negation from trigger phrases and a scope, and both score about as well on radiology
reports as statistical methods. medspaCy's ConText does the same with spaCy underneath:
hundreds of megabytes for a rule table of a few dozen phrases, so the table is here.

- A *pre* trigger ("no", "no evidence of", "without", "negative for") negates the findings
  after it, up to the end of its clause; a *post* trigger ("is not seen", "was excluded")
  the findings before it, back to the start of its clause.
- A clause ends at a full stop, semicolon, colon, blank line or a line that starts a new
  item, and at a *terminating* phrase ("but", "however", "although").
- A *pseudo* trigger looks like a negation and is not one ("no change", "not only",
  "cannot be excluded"); it is read first, so the "no" inside it triggers nothing.
- A scope also ends after `PRE_WORDS` words (post: `POST_WORDS`), measured on the
  development reports (tests/test_explain_devset.py prints precision and recall).

Each rule is a phrase whose spaces stand for any run of white space, so a phrase broken
across lines still counts; a rule may use regular-expression groups for its variants.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Kind = Literal["pre", "post", "pseudo", "end"]

PRE_WORDS = 12
POST_WORDS = 8

_STATE = "(?:seen|identified|demonstrated|visuali[sz]ed|present|evident|appreciated|detected|noted|shown)"
_RULED_OUT = "(?:excluded|ruled out|entirely excluded)"
_SHOW = "(?:show|demonstrate|reveal|have)"
_BE = ("", "is ", "are ", "was ", "were ")  # 'not seen', 'is not seen', ...: a rule with and without its verb

# Each rule starts with a word written out whole: the scan looks rules up by the word they start with.
RULES: dict[Kind, tuple[str, ...]] = {
    "pre": (
        "no",
        "not",
        "without",
        "with no",
        "no (?:evidence|signs?|features?|findings?|suggestion|definite|convincing|appreciable) (?:of|to suggest|for)",
        "no (?:significant|definite|convincing|appreciable|obvious|residual|new)",
        "there (?:is|are|was|were) no",
        "negative for",
        "free of",
        "absence of",
        "rather than",
        "neither",
        "nor",
        *(f"{verb} not" for verb in ("is", "are", "was", "were", "has", "have")),
        *(f"{verb} not {_SHOW}" for verb in ("does", "do", "did")),
        "resolution of",
    ),
    "post": (
        f"not {_STATE}",
        *(f"{verb} not {_STATE}" for verb in ("is", "are", "was", "were")),
        *(f"{verb} not been {_STATE}" for verb in ("has", "have")),
        *(f"{verb} (?:excluded|ruled out|absent)" for verb in ("is", "are", "was", "were")),
        *(f"{verb} been (?:excluded|ruled out)" for verb in ("has", "have")),
        "has resolved",
        "have resolved",
    ),
    "pseudo": (
        "no (?:significant |interval |appreciable |definite )*(?:change|increase|decrease|progression|difference)",
        "not only",
        # 'a new lesion, not seen on the prior study': present now, absent only before
        *(f"{verb}not {_STATE} (?:on|in) (?:the )?(?:prior|previous|earlier|comparison|last|old)" for verb in _BE),
        "not necessarily",
        "not entirely",
        *(f"{verb}not (?:definite|definitely|certain|clearly)" for verb in _BE),
        *(f"{verb} be {_RULED_OUT}" for verb in ("cannot", "can not", "could not", "can't", "not")),
        "cannot exclude",
        "not excluded",
        "not ruled out",
        "to (?:rule out|exclude)",
        "rule out",
        "no longer",
        "without difficulty",
        "without (?:and|or) with",
        "with(?:/| and | or )without",
        "without (?:iv |intravenous )?(?:contrast|gadolinium)",
        "gram negative",
    ),
    "end": (
        "but",
        "however",
        "although",
        "though",
        "except",
        "apart from",
        "aside from",
        "other than",
        "which",
        "whereas",
        "while",
        "there (?:is|are) (?!no\\b)",
        "is (?:seen|noted|present|identified)",
        "are (?:seen|noted|present|identified)",
        "consistent with",
        "compatible with",
        "suggestive of",
        "likely",
        "probably",
        "otherwise",
        *[
            "show",
            "shows",
            "showed",
            "showing",
            "demonstrates",
            "demonstrated",
            "demonstrating",
            "reveals",
            "revealed",
            "revealing",
        ],
        "at any",
        "and (?:a|an|normal)",  # 'resolution of the oedema and a mild bulge': a new finding, present
    ),
}

# Where a clause ends: a sentence's full stop (not a decimal point; reports exported from spreadsheets
# run sentences together as '.,' or '.Next'), ; and :, a blank line, and a line break before a new item
# (a capital, a number, a bullet or a level such as 'L4-5:').
_BOUNDARY = re.compile(r"[.!?](?=[\s,;:)\]\"'A-Z]|\Z)|[;:]|\n[^\S\n]*\n|\n(?=[^\S\n]*(?:[-*•‣·]|\d+[.)]|[A-Z]))")
_WORD = re.compile(r"[^\W_]+")


def _compile(rules: dict[Kind, tuple[str, ...]]) -> dict[str, tuple[re.Pattern[str], tuple[Kind, ...]]]:
    """For each word a rule starts with, one alternation of the rules that start with it, longest first (so
    that 'no evidence of' wins over 'no'), and each alternative's kind. Trying a rule only where a word that
    starts one stands is what keeps the scan fast: one alternation of every rule, tried at every position,
    took 25 ms over a 20,000-character report."""
    by_word: dict[str, list[tuple[str, Kind]]] = {}
    for kind, phrases in rules.items():
        for phrase in phrases:
            first = re.match(r"[a-z]+", phrase)
            assert first is not None, f"a rule must start with a word: {phrase!r}"
            by_word.setdefault(first.group(), []).append((phrase, kind))
    compiled = {}
    for word, found in by_word.items():
        found.sort(key=lambda rule: -len(rule[0]))
        spaced = [phrase.replace(" ", r"\s+") for phrase, _ in found]
        groups = "|".join(f"(?P<r{index}>{phrase})" for index, phrase in enumerate(spaced))
        compiled[word] = (re.compile(rf"(?:{groups})(?![\w-])", re.IGNORECASE), tuple(kind for _, kind in found))
    return compiled


_BY_FIRST_WORD = _compile(RULES)


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    kind: Kind | Literal["boundary"]


def negated(text: str, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For each (start, end) of a finding in `text`, in order of position, whether the report says it is absent."""
    marks = sorted(
        _triggers(text) + [_Mark(m.start(), m.end(), "boundary") for m in _BOUNDARY.finditer(text)],
        key=lambda mark: mark.start,
    )
    starts = [mark.start for mark in marks]
    return [_by_pre(text, marks, starts, start) or _by_post(text, marks, starts, end) for start, end in spans]


def _triggers(text: str) -> list[_Mark]:
    """Every rule's match, left to right and not overlapping, each tried only where its first word stands."""
    found: list[_Mark] = []
    taken = 0
    for word in _WORD.finditer(text):
        start = word.start()
        rules = _BY_FIRST_WORD.get(word.group().lower())
        if rules is None or start < taken or text[start - 1 : start] == "-":
            continue
        match = rules[0].match(text, start)
        if match is not None and match.lastgroup is not None:
            found.append(_Mark(start, match.end(), rules[1][int(match.lastgroup[1:])]))
            taken = match.end()
    return found


def _by_pre(text: str, marks: list[_Mark], starts: list[int], start: int) -> bool:
    """The nearest mark before the finding is a pre trigger, near enough, and nothing ends the clause between."""
    for index in range(bisect_left(starts, start) - 1, -1, -1):
        mark = marks[index]
        if mark.end > start:  # a trigger inside the finding's own words
            continue
        if mark.kind == "pre":
            return len(_WORD.findall(text, mark.end, start)) <= PRE_WORDS
        if mark.kind != "post":  # a post trigger of an earlier finding does not end this clause
            return False
    return False


def _by_post(text: str, marks: list[_Mark], starts: list[int], end: int) -> bool:
    """The nearest mark after the finding is a post trigger, near enough, and nothing ends the clause between."""
    index = bisect_left(starts, end)  # the first mark that starts after the finding
    if index == len(marks):
        return False
    mark = marks[index]
    return mark.kind == "post" and len(_WORD.findall(text, end, mark.start)) <= POST_WORDS
