"""Spinal levels in a report, each explained in words, and T1 and T2 told apart from the MRI weightings.

Reports name a vertebra (C5, T12, S1, and in some dictated reports L-5), the disc between two
(L4-5, L4-L5, L4/5, L4 en-dash 5, L5-S1, C5/6, T12-L1, L4L5, "L-4 to L-5", "T12 to L1"), a
run of vertebrae (C5-7, "C5 through C7"), a nerve root ("the L5 nerve root") or the coccyx.
Only capitals count (as for abbreviations), and only segments that exist: C1-C7, T1-T12,
L1-L5, S1-S5.

T1 and T2 are also the names of the two main kinds of MRI picture ("T2 hyperintensity",
"T1-weighted", "on T2"). `CUES` is the rule table that decides, from the words around a T1
or T2 written alone (or "T1/T2", "T1-T2"), which one the report means; the first cue that
fits wins. Levels joined by "and", "or" or commas ("T1 and T2 vertebral bodies") are
decided together. With no cue, a T1 or T2 alone is a weighting, since that is what it
nearly always is in a spine MRI report and a weighting read as a vertebra would mislead;
"T1-T2" or "T1/T2" alone is the level between them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from glossary.explain.results import Level, LevelKind

Verdict = Literal["vertebra", "weighting"]


@dataclass(frozen=True, slots=True)
class Region:
    letter: str
    name: str  # the adjective reports use: 'lumbar'
    count: int
    part: str  # the part of the body, for a reader: 'lower back'
    where: str  # where it is: 'in the lower back'


REGIONS = (
    Region("C", "cervical", 7, "neck", "in the neck"),
    Region("T", "thoracic", 12, "upper and middle back", "in the upper and middle back"),
    Region("L", "lumbar", 5, "lower back", "in the lower back"),
    Region("S", "sacral", 5, "sacrum", "at the base of the spine"),
)
_REGION = {region.letter: region for region in REGIONS}
COCCYX = "Co"
# Nerves with no vertebra of their own, and the two vertebrae they leave the spine between.
EXITS_BETWEEN = {"C8": ("C7", "T1")}
SEGMENTS: tuple[str, ...] = (*(f"{r.letter}{n}" for r in REGIONS for n in range(1, r.count + 1)), COCCYX)
_ORDER = {segment: index for index, segment in enumerate(SEGMENTS)}
# Where two regions meet: its name and where it is.
_JUNCTIONS = {
    ("C", "T"): ("cervicothoracic", "where the neck meets the upper back"),
    ("T", "L"): ("thoracolumbar", "where the middle back meets the lower back"),
    ("L", "S"): ("lumbosacral", "where the lower back meets the sacrum"),
}
# What some vertebrae are also called, or are part of.
_ALSO = {"C1": " (the atlas)", "C2": " (the axis)", "S1": " (the top of the sacrum)"}

# Thoracic vertebrae are also written Th7 (in much of Europe) and D11 (dorsal, in older and Indian reports).
# Dictated reports put a hyphen in a vertebra (L-5, T-12) and may run two together (L4L5, T-12toL1).
_LETTER = r"(?:Th|[CTDLS])"
_SEGMENT = rf"{_LETTER}-?[1-9][0-9]?"
_LEVEL_RE = re.compile(
    rf"(?<![A-Za-z0-9])(?P<a>{_SEGMENT})"
    rf"(?:[^\S\r\n]*(?P<dash>[-\u2010-\u2014/])[^\S\r\n]*(?P<b>(?:{_LETTER}-?)?[1-9][0-9]?)"
    rf"|(?P<joined>{_SEGMENT})"
    rf"|(?:[^\S\r\n]+(?:to|through|thru)[^\S\r\n]+|(?<=[0-9])to(?=[CTDLS]))(?P<c>{_SEGMENT}))?"
    r"(?![A-Za-z0-9])"
    r"|(?<![A-Za-z])(?P<coccyx>[Cc]occyx)(?![A-Za-z])"
)
_CANDIDATE = re.compile(r"[CTDLS]h?-?[1-9]|[Cc]occyx")
# Between levels written as one list: "T1 and T2", "C3-4, C4-5 and C5-6", "T1- and T2-weighted".
_LIST_JOIN = re.compile(r"-?[^\S\r\n]*(?:,[^\S\r\n]*(?:and|or)?|and|or|&)[^\S\r\n]*")
_VITAMIN = re.compile(r"vitamin\s*\Z", re.IGNORECASE)  # vitamin D3 is no vertebra
_NERVE = re.compile(r"\s*(?:nerve\s+roots?|roots?|nerves?|radicul|dermatom)", re.IGNORECASE)
_WEIGHTINGS = r"(?:STIR|FLAIR|DWI|PD|GRE|SWI|T1|T2)"
_CONTEXT = 40  # characters either side read for cues


@dataclass(frozen=True, slots=True)
class Cue:
    """Words before or after a T1/T2 (or a list of them) that say which it is; `example` is its test."""

    where: Literal["after", "before"]
    pattern: re.Pattern[str]
    verdict: Verdict
    example: str


def _after(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"[^\S\r\n]*(?:{pattern})", re.IGNORECASE)


def _before(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9])(?:{pattern})\s*\Z", re.IGNORECASE)


CUES: tuple[Cue, ...] = (
    Cue(
        "after",
        _after(
            r"-?\s*weight|\*|[-\s]?W(?:I)?\b|signal|hyper|hypo|iso(?:intens|dens)|bright|dark|intens|imag|sequence"
            r"|series|scan|flair|stir|fat|fs\b|fse\b|tse\b|se\b|gre\b|gradient|map|relaxation|prolongation|shorten"
            r"|shine|post\b|post[-\s]?(?:contrast|gad|c\b)|pre\b|pre-|\+\s*c\b|gad|contrast|sag\b|sagittal|ax\b|axial"
            r"|cor\b|coronal|change|abnormalit|appearance|mismatch"
            rf"|(?:and|or|,|/)\s*{_WEIGHTINGS}\b"
        ),
        "weighting",
        "T2 hyperintensity, T1-weighted, T2 signal, T2* gradient echo, T2 FLAIR, T1 post contrast, T2 and STIR",
    ),
    Cue(
        "after",
        _after(
            r"vertebra|level|dis[ck]|interspace|intervertebral|pedicle|lamina|spinous|transverse|facet|end[-\s]?plate"
            r"|body|bodies|nerve|root|foram|segment|fracture|burst|wedge|rib|costo"
        ),
        "vertebra",
        "T2 vertebral body, T1-T2 disc, T2 level, T1 nerve root, T1 pedicle, T2 fracture",
    ),
    Cue(
        "before",
        _before(
            r"on|on\s+(?:the\s+)?(?:sagittal|axial|coronal|both)|sagittal|axial|coronal|sag|ax|both|all|weighted"
            r"|fat[-\s]?(?:sat|saturated|suppressed)|post[-\s]?(?:contrast|gadolinium|gad)|pre[-\s]?contrast"
            rf"|{_WEIGHTINGS}\s*(?:,|and|or|/|&)"
        ),
        "weighting",
        "on T2, sagittal T1, STIR and T2, fat-saturated T2, post-contrast T1",
    ),
    Cue(
        "before",
        _before(
            r"at|at\s+the|from|from\s+the|of|of\s+the|involving|between|above|below|level|levels|vertebra|vertebrae"
            rf"|to|through|{_SEGMENT}\s*(?:,|and|to|-)"
        ),
        "vertebra",
        "at T2, at the T1 level, from T1, fracture of T2, between T1 and T3",
    ),
)


@dataclass(frozen=True, slots=True)
class _Written:
    """One level as written, before the T1/T2 question is settled."""

    start: int
    end: int
    first: str
    last: str
    word: bool  # 'C5 through C7', not 'C5-7'
    ambiguous: bool  # T1 or T2 alone, or T1/T2 and T1-T2: a weighting too


@dataclass(frozen=True, slots=True)
class Weighting:
    """A T1 or T2 that names an MRI weighting, not a vertebra: 'T2' in 'T2 hyperintensity'."""

    start: int
    end: int
    name: str  # 'T1' or 'T2'


def find(text: str) -> list[Level]:
    """Every spinal level in `text`, in order of position, never overlapping."""
    return find_all(text)[0]


def find_all(text: str) -> tuple[list[Level], list[Weighting]]:
    """The spinal levels in `text`, and the T1s and T2s its context shows are weightings, each in order."""
    found: list[Level] = []
    weightings: list[Weighting] = []
    for group in _lists(list(_written(text)), text):
        if any(written.ambiguous for written in group) and _verdict(text, group) == "weighting":
            weightings += [Weighting(w.start, w.end, w.first) for w in group if w.ambiguous]
            group = [written for written in group if not written.ambiguous]
        found += [_level(text, written) for written in group]
    return found, weightings


def _matches(text: str) -> Iterator[re.Match[str]]:
    """_LEVEL_RE's matches, left to right, tried only where a level can start: sre scans for a plain
    character class far faster than it tries a pattern that opens with a lookbehind at every position."""
    taken = 0
    for candidate in _CANDIDATE.finditer(text):
        if candidate.start() >= taken and (match := _LEVEL_RE.match(text, candidate.start())):
            taken = match.end()
            yield match


def _written(text: str) -> Iterator[_Written]:
    for match in _matches(text):
        if match["coccyx"]:
            yield _Written(match.start(), match.end(), COCCYX, COCCYX, word=False, ambiguous=False)
            continue
        first = _segment(match["a"])
        if first in EXITS_BETWEEN:
            yield from _nerve_only(match, first)
            continue
        if first not in _ORDER or (
            match["a"][0] == "D" and _VITAMIN.search(text[max(0, match.start() - 12) : match.start()])
        ):
            continue
        second = match["c"] or match["b"] or match["joined"]
        if second and second[0].isdigit():
            second = first[0] + second
        second = second and _segment(second)
        weightings = ("T1", "T2")  # written so: Th1 and D1 are only ever vertebrae
        if second and _ORDER.get(second, -1) > _ORDER[first]:
            pair = match["a"] in weightings and match["b"] in weightings
            yield _Written(match.start(), match.end(), first, second, bool(match["c"]), ambiguous=pair)
        else:  # no second segment, or one that does not exist or comes first: the first alone
            yield _Written(match.start(), match.end("a"), first, first, word=False, ambiguous=match["a"] in weightings)


def _nerve_only(match: re.Match[str], nerve: str) -> Iterator[_Written]:
    """A nerve with no vertebra (C8) alone, and what it is joined to ('C8-T1', 'C8 to T1') as a level of its
    own: a run from a nerve to a vertebra is no run of vertebrae."""
    yield _Written(match.start(), match.end("a"), nerve, nerve, word=False, ambiguous=False)
    for group in ("b", "joined", "c"):
        other = match[group]
        if other and not other[0].isdigit() and (segment := _segment(other)) in _ORDER:
            yield _Written(match.start(group), match.end(group), segment, segment, word=False, ambiguous=False)


def _segment(written: str) -> str:
    """'Th7', 'D7' and 'T-7' are 'T7'."""
    written = written.replace("-", "")
    for other in ("Th", "D"):
        if written.startswith(other):
            return "T" + written.removeprefix(other)
    return written


def _lists(written: list[_Written], text: str) -> Iterator[list[_Written]]:
    """Levels written as one list ('T1 and T2', 'C3-4, C4-5 and C5-6') go together."""
    group: list[_Written] = []
    for level in written:
        if group and not _LIST_JOIN.fullmatch(text, group[-1].end, level.start):
            yield group
            group = []
        group.append(level)
    if group:
        yield group


def _verdict(text: str, group: list[_Written]) -> Verdict:
    """Vertebra or weighting, for the T1s and T2s of one list: the first cue that fits, else the list's own."""
    before = text[max(0, group[0].start - _CONTEXT) : group[0].start]
    after = text[group[-1].end : group[-1].end + _CONTEXT]
    for cue in CUES:
        if cue.pattern.match(after) if cue.where == "after" else cue.pattern.search(before):
            return cue.verdict
    if any(not written.ambiguous for written in group):  # 'T2 and T3': listed with a vertebra
        return "vertebra"
    return "vertebra" if all(written.first != written.last for written in group) else "weighting"


def _level(text: str, written: _Written) -> Level:
    first, last = written.first, written.last
    kind: LevelKind
    if first == COCCYX:
        kind, label, region = "vertebra", "the coccyx (tailbone), at the very bottom of the spine", "coccygeal"
    elif first in EXITS_BETWEEN:
        above, below = EXITS_BETWEEN[first]
        label = f"the {_nth(first)} nerve, which leaves the spine between the {_between(above, below)} vertebrae"
        kind, label, region = "nerve", f"{label}, {_where(above, below)}", _REGION[first[0]].name
    elif first == last and _NERVE.match(text, written.end):
        kind, label, region = "nerve", _nerve_label(first), _REGION[first[0]].name
    elif first == last:
        kind, label, region = "vertebra", _vertebra_label(first), _REGION[first[0]].name
    elif _ORDER[last] - _ORDER[first] == 1 and not written.word:
        kind, label, region = "disc", _disc_label(first, last), _region_name(first, last)
    else:
        kind, label, region = "range", _range_label(first, last), _region_name(first, last)
    return Level(written.start, written.end, text[written.start : written.end], label, region, kind, first, last)


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _nth(segment: str) -> str:
    """'L4' -> '4th lumbar'."""
    return f"{ordinal(int(segment[1:]))} {_REGION[segment[0]].name}"


def _vertebra_label(segment: str) -> str:
    region = _REGION[segment[0]]
    also = _ALSO.get(segment, " (part of the sacrum)" if region.letter == "S" else "")
    return f"the {_nth(segment)} vertebra{also}, {region.where}"


def _nerve_label(segment: str) -> str:
    return f"the nerve that leaves the spine next to the {_nth(segment)} vertebra, {_REGION[segment[0]].where}"


def _disc_label(first: str, last: str) -> str:
    between = _between(first, last)
    if first == "C1":
        return f"the joint between the {between} vertebrae (there is no disc there), {_where(first, last)}"
    if first[0] == "S":
        return f"the join between the {between} vertebrae, which grow together into the sacrum, {_where(first, last)}"
    return f"the disc between the {between} vertebrae, {_where(first, last)}"


def _range_label(first: str, last: str) -> str:
    return f"the {_between(first, last, joined='to')} vertebrae, {_where(first, last)}"


def _between(first: str, last: str, *, joined: str = "and") -> str:
    """'4th and 5th lumbar' within one region, '5th lumbar and 1st sacral' across two."""
    if first[0] == last[0]:
        return f"{ordinal(int(first[1:]))} {joined} {_nth(last)}"
    return f"{_nth(first)} {joined} {'the ' if joined == 'to' else ''}{_nth(last)}"


def _where(first: str, last: str) -> str:
    if first[0] == last[0]:
        return _REGION[first[0]].where
    junction = _JUNCTIONS.get((first[0], last[0]))
    if junction:
        return junction[1]
    return f"from the {_REGION[first[0]].part} to the {_REGION[last[0]].part}"


def _region_name(first: str, last: str) -> str:
    if first[0] == last[0]:
        return _REGION[first[0]].name
    junction = _JUNCTIONS.get((first[0], last[0]))
    return junction[0] if junction else f"{_REGION[first[0]].name} to {_REGION[last[0]].name}"
