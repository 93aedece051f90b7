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
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Kind = Literal["pre", "post", "pseudo", "end"]

PRE_WORDS = 12
POST_WORDS = 8

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
        "(?:is|are|was|were) not",
        "(?:does|do|did) not (?:show|demonstrate|reveal|have)",
        "(?:has|have) not",
        "(?:resolution|resolved) of",
    ),
    "post": (
        "(?:(?:is|are|was|were|has been|have been) )?not (?:seen|identified|demonstrated|visuali[sz]ed|present"
        "|evident|appreciated|detected|noted|shown)",
        "(?:is|are|was|were|has been|have been) (?:excluded|ruled out|absent)",
        "(?:has|have) resolved",
        "(?:is|are) absent",
    ),
    "pseudo": (
        "no (?:significant |interval |appreciable |definite )*(?:change|increase|decrease|progression|difference)",
        "not only",
        "not necessarily",
        "not certain",
        "not clearly",
        "not entirely",
        "(?:cannot|can not|could not|can't|not) be (?:excluded|ruled out|entirely excluded)",
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
        "not definitely",
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
        "(?:is|are) (?:seen|noted|present|identified)",
        "(?:consistent|compatible) with",
        "suggestive of",
        "likely",
        "probably",
        "otherwise",
        "(?:shows?|showed|showing|demonstrat(?:es|ed|ing)|reveal(?:s|ed|ing)?)",
        "at any",
    ),
}

# Where a clause ends: a sentence's full stop (not a decimal point; reports exported from spreadsheets
# run sentences together as '.,' or '.Next'), ; and :, a blank line, and a line break before a new item
# (a capital, a number, a bullet or a level such as 'L4-5:').
_BOUNDARY = re.compile(r"[.!?](?=[\s,;:)\]\"'A-Z]|\Z)|[;:]|\n[^\S\n]*\n|\n(?=[^\S\n]*(?:[-*•‣·]|\d+[.)]|[A-Z]))")
_WORD = re.compile(r"[^\W_]+")


def _compile(rules: dict[Kind, tuple[str, ...]]) -> tuple[re.Pattern[str], tuple[Kind, ...]]:
    """One alternation of every rule, longest first so that 'no evidence of' wins over 'no'."""
    ordered = sorted(
        ((phrase, kind) for kind, phrases in rules.items() for phrase in phrases), key=lambda rule: -len(rule[0])
    )
    spaced = [phrase.replace(" ", r"\s+") for phrase, _ in ordered]
    groups = [f"(?P<r{index}>{phrase})" for index, phrase in enumerate(spaced)]
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(groups)})(?![\w-])", re.IGNORECASE)
    return pattern, tuple(kind for _, kind in ordered)


_TRIGGERS, _KINDS = _compile(RULES)


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    kind: Kind | Literal["boundary"]


def negated(text: str, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For each (start, end) of a finding in `text`, in order of position, whether the report says it is absent."""
    marks = sorted(
        [_Mark(m.start(), m.end(), _KINDS[int(m.lastgroup[1:])]) for m in _TRIGGERS.finditer(text) if m.lastgroup]
        + [_Mark(m.start(), m.end(), "boundary") for m in _BOUNDARY.finditer(text)],
        key=lambda mark: mark.start,
    )
    starts = [mark.start for mark in marks]
    return [_by_pre(text, marks, starts, start) or _by_post(text, marks, starts, end) for start, end in spans]


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
    for mark in marks[bisect_right(starts, end - 1) :]:
        if mark.start < end:
            continue
        return mark.kind == "post" and len(_WORD.findall(text, end, mark.start)) <= POST_WORDS
    return False
