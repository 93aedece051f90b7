"""The content report: one row of editorial figures per entry, and totals, for `manage.py content_report`.

`manage.py check` says what is wrong; this says where the glossary stands, so an
editor can see at a glance which entries are long or hard to read, cite nothing,
sit unlinked, or are due a clinical review. Rows and totals are built here as
plain values and text; the command only chooses where they go.

Words are those of the entry's body as a reader sees it, counted on the Markdown
with a few regular expressions rather than on the rendered HTML, whose citation
numbers and permalink marks a reader does not read as words. The title, summary
and the other fields are not counted. Before counting: a wikilink counts as the
text it shows (its own text, or else its target), a Markdown link as its text, an
image as its caption, a citation `[@key]` as nothing, and ordered-list numbers are
dropped. A word is then a run of letters and digits, apostrophes included, so
syntax characters (`#`, `*`, `-`, `|`, `>`) never count and a hyphenated word
('T2-weighted') counts as its parts.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from glossary.content.editorial import ReviewStatus, links_in, links_out, review_status
from glossary.content.entries import Glossary, Page
from glossary.content.readability import GRADE_ERROR, GRADE_WARNING, summary_grades
from glossary.content.syntax import CITATION_RE, WIKILINK_RE

HEADERS = ("slug", "category", "words", "grade", "refs", "links in", "links out", "review")
_NUMERIC = frozenset({"words", "grade", "refs", "links in", "links out"})  # right-aligned in the table
_GAP = "  "
_WRAP = 100  # totals that list slugs wrap here, to stay readable in a narrow terminal
REVIEW_LABELS = ("reviewed", "overdue", "future", "not reviewed")  # the labels of editorial.review_status

_SHOWN_AS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(WIKILINK_RE), lambda m: m.group(3) or m.group(1)),
    (re.compile(CITATION_RE), lambda m: ""),
    (re.compile(r'!\[[^\]]*\]\(\s*\S*(?:\s+"([^"]*)")?\s*\)'), lambda m: m.group(1) or ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), lambda m: m.group(1)),
    (re.compile(r"^\s*\d+[.)]\s", re.MULTILINE), lambda m: ""),
)
_WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")  # a straight or curly apostrophe joins: "patient's"


@dataclass(frozen=True, slots=True)
class Row:
    slug: str
    category: str
    words: int
    grade: float
    refs: int
    links_in: int
    links_out: int
    review: ReviewStatus

    def cells(self) -> tuple[str, ...]:
        """The row as the table and the CSV both show it, in the order of HEADERS."""
        return (
            self.slug,
            self.category,
            str(self.words),
            f"{self.grade:.1f}",
            str(self.refs),
            str(self.links_in),
            str(self.links_out),
            review_text(self.review),
        )


# --sort: slug A to Z; the others put the entries most in need of an editor's eye first.
SORTS: dict[str, Callable[[Row], tuple[object, ...]]] = {
    "slug": lambda row: (row.slug,),
    "grade": lambda row: (-row.grade, row.slug),
    "words": lambda row: (-row.words, row.slug),
}


def body_words(body: str) -> int:
    for pattern, shown in _SHOWN_AS:
        body = pattern.sub(shown, body)
    return len(_WORD_RE.findall(body))


def review_text(status: ReviewStatus) -> str:
    """'not reviewed', or the label and date: 'reviewed 2026-11-20', 'overdue 2021-01-01'."""
    return f"{status.label} {status.reviewed.isoformat()}" if status.reviewed else status.label


def rows(glossary: Glossary, today: date, sort: str = "slug") -> list[Row]:
    """One row per entry, in the order `sort` (a key of SORTS) names."""
    grades = summary_grades(page.entry for page in glossary.pages.values())
    return sorted((_row(glossary, page, today, grades[slug]) for slug, page in glossary.pages.items()), key=SORTS[sort])


def _row(glossary: Glossary, page: Page, today: date, grade: float) -> Row:
    entry = page.entry
    return Row(
        slug=entry.slug,
        category=entry.category,
        words=body_words(entry.body),
        grade=grade,
        refs=len(page.citations),
        links_in=len(links_in(glossary, page)),
        links_out=len(links_out(page)),
        review=review_status(entry, today),
    )


def table(rows: Iterable[Row]) -> list[str]:
    """The rows under a header and a rule, each column as wide as its widest cell."""
    body = [row.cells() for row in rows]
    widths = [max(len(cells[i]) for cells in [HEADERS, *body]) for i in range(len(HEADERS))]
    rule = tuple("-" * width for width in widths)
    return [_line(cells, widths) for cells in [HEADERS, rule, *body]]


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    aligned = (
        cell.rjust(width) if header in _NUMERIC else cell.ljust(width)
        for cell, width, header in zip(cells, widths, HEADERS, strict=True)
    )
    return _GAP.join(aligned).rstrip()


def csv_text(rows: Iterable[Row]) -> str:
    """The table's rows as CSV, under the same headers, with the same values."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(row.cells() for row in rows)
    return out.getvalue()


def totals(rows: list[Row]) -> list[str]:
    """The summary under the table: a label column, then each figure; lists of slugs wrap."""
    figures = [
        ("Entries", str(len(rows))),
        ("Words", f"{sum(row.words for row in rows):,} in the entry bodies"),
        ("Summary grade", _grades(rows)),
        (f"Above grade {GRADE_WARNING:g}", _slugs(row for row in rows if row.grade > GRADE_WARNING)),
        (f"Above grade {GRADE_ERROR:g}", _slugs(row for row in rows if row.grade > GRADE_ERROR)),
        ("No references", _slugs(row for row in rows if not row.refs)),
        ("No links in", _slugs(row for row in rows if not row.links_in)),
        ("No links out", _slugs(row for row in rows if not row.links_out)),
        ("Review", _reviews(rows)),
    ]
    width = max(len(label) for label, _ in figures) + len(_GAP)
    return [_wrapped(label.ljust(width), value) for label, value in figures]


def _grades(rows: list[Row]) -> str:
    if not rows:
        return "no entries"
    grades = [row.grade for row in rows]
    hardest = min(rows, key=SORTS["grade"])
    mean, median = statistics.fmean(grades), statistics.median(grades)
    return f"mean {mean:.1f}, median {median:.1f}, highest {hardest.grade:.1f} ({hardest.slug})"


def _slugs(rows: Iterable[Row]) -> str:
    """'0', or how many and which: '2: alpha-term, beta-scan'."""
    slugs = sorted(row.slug for row in rows)
    return f"{len(slugs)}: {', '.join(slugs)}" if slugs else "0"


def _reviews(rows: list[Row]) -> str:
    counts = Counter(row.review.label for row in rows)
    return ", ".join(f"{counts[label]} {label}" for label in REVIEW_LABELS)


def _wrapped(label: str, value: str) -> str:
    indent = " " * len(label)
    lines = textwrap.wrap(value, width=_WRAP - len(label), break_on_hyphens=False, break_long_words=False)
    return label + f"\n{indent}".join(lines)
