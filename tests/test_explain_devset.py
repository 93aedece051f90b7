"""How much of what a patient needs explained the report reader finds, on the development set of sample reports.

Each file in tests/fixtures/reports/ is one public sample report (or, where marked, an invented one),
annotated by hand:

    # Source: title — address
    # Modality: MRI lumbar spine
    # Expect: phrase | phrase | ...      words a patient needs explained, as they appear in the text
    # Negated: phrase | ...              findings the report says are absent
    (a blank line, then the report)

This runs the engine over the bundled content (not a fixture): the figure to watch as the
glossary grows. A phrase counts as found when a marked term or level overlaps its first
occurrence; "whole" counts those a single mark covers entirely. Negation is scored on the
marked terms: precision is the share of terms marked absent that overlap an occurrence of a
Negated phrase, recall the share of Negated phrases with an occurrence marked absent.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from glossary.explain.results import Explanation
from glossary.serving import store
from tests.conftest import FIXTURES

pytestmark = pytest.mark.usefixtures("bundled")  # a test of the content itself (tests/conftest.py)

REPORTS = FIXTURES / "reports"
MIN_COVERAGE = 0.90
HEADER = re.compile(r"#\s*(\w+):\s*(.*)")


@dataclass(frozen=True)
class Report:
    name: str
    source: str
    expect: tuple[str, ...]
    negated: tuple[str, ...]
    text: str


def read_report(path: Path) -> Report:
    """The annotations from the header lines, and the report after the first blank line."""
    head, _, text = path.read_text(encoding="utf-8").partition("\n\n")
    fields: dict[str, str] = {}
    for line in head.splitlines():
        found = HEADER.fullmatch(line.strip())
        if found is None:
            raise ValueError(f"{path.name}: a header line must be '# Field: value', not {line!r}")
        fields[found[1].casefold()] = found[2]

    def phrases(field: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in fields.get(field, "").split("|") if p.strip())

    if "source" not in fields or not phrases("expect"):
        raise ValueError(f"{path.name}: needs '# Source:' and '# Expect:' lines")
    return Report(path.stem, fields["source"], phrases("expect"), phrases("negated"), text)


def occurrences(phrase: str, text: str) -> list[tuple[int, int]]:
    """Where `phrase` appears in `text`, in any case and with any white space between its words."""
    pattern = r"\s+".join(re.escape(word) for word in phrase.split())
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE)]


def overlaps(span: tuple[int, int], marks: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in marks)


@dataclass(frozen=True)
class Score:
    report: Report
    found: tuple[str, ...]
    whole: tuple[str, ...]
    missed: tuple[str, ...]
    marked_absent: int  # terms marked absent
    right_absent: int  # of those, how many overlap a Negated phrase
    recalled: int  # Negated phrases with an occurrence marked absent


def score(report: Report, explanation: Explanation) -> Score:
    marks = [(t.start, t.end) for t in explanation.terms] + [(lv.start, lv.end) for lv in explanation.levels]
    found, whole, missed = [], [], []
    for phrase in report.expect:
        first = occurrences(phrase, report.text)[0]
        (found if overlaps(first, marks) else missed).append(phrase)
        if any(start <= first[0] and first[1] <= end for start, end in marks):
            whole.append(phrase)
    gold = [span for phrase in report.negated for span in occurrences(phrase, report.text)]
    absent = [(t.start, t.end) for t in explanation.terms if t.negated]
    recalled = sum(
        any(overlaps(span, absent) for span in occurrences(phrase, report.text)) for phrase in report.negated
    )
    right = sum(overlaps(span, gold) for span in absent)
    return Score(report, tuple(found), tuple(whole), tuple(missed), len(absent), right, recalled)


def table(scores: list[Score]) -> tuple[str, float]:
    entries = len(store.glossary().pages)
    rows = [
        f"\nReport reader on {len(scores)} development reports (bundled content, {entries} entries)",
        f"  {'report':<40}{'expect':>7}{'found':>7}{'whole':>7}{'rate':>8}",
    ]
    for s in scores:
        counts = f"{len(s.report.expect):>7}{len(s.found):>7}{len(s.whole):>7}"
        rows.append(f"  {s.report.name[:39]:<40}{counts}{len(s.found) / len(s.report.expect):>8.1%}")
    expected = sum(len(s.report.expect) for s in scores)
    found = sum(len(s.found) for s in scores)
    whole = sum(len(s.whole) for s in scores)
    overall = found / expected
    rows.append(f"  {'all':<40}{expected:>7}{found:>7}{whole:>7}{overall:>8.1%}")
    marked = sum(s.marked_absent for s in scores)
    right = sum(s.right_absent for s in scores)
    negated = sum(len(s.report.negated) for s in scores)
    recalled = sum(s.recalled for s in scores)
    rows.append(
        f"  negation: precision {right}/{marked} = {right / max(marked, 1):.1%}, "
        f"recall {recalled}/{negated} = {recalled / max(negated, 1):.1%}"
    )
    rows.append("  missed:")
    rows += [f"    {s.report.name}: {' | '.join(s.missed)}" for s in scores if s.missed]
    return "\n".join(rows) + "\n", overall


def all_reports() -> list[Report]:
    return [read_report(path) for path in sorted(REPORTS.glob("*.txt"))]


def test_every_annotation_is_in_its_report() -> None:
    """A phrase that is not in the text (a typo, a paraphrase) would count as a miss, so it is an error."""
    reports = all_reports()
    assert reports, f"no reports in {REPORTS}"
    phrases = [(r, phrase) for r in reports for phrase in (*r.expect, *r.negated)]
    wrong = [f"{r.name}: {phrase!r}" for r, phrase in phrases if not occurrences(phrase, r.text)]
    assert wrong == []


def test_the_reader_finds_what_patients_need_explained(capsys: pytest.CaptureFixture[str]) -> None:
    explainer = store.explainer()
    scores = [score(report, explainer.explain(report.text)) for report in all_reports()]
    text, overall = table(scores)
    with capsys.disabled():
        sys.stderr.write(text)
    assert overall >= MIN_COVERAGE, f"found {overall:.1%} of the expected phrases, under {MIN_COVERAGE:.0%}{text}"
