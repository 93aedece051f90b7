"""Editorial checks: whether each entry serves its readers, judged on the linked glossary.

The earlier stages check that the content is well formed; these rules need the
whole glossary (who links to whom, what is cited) and today's date, so they run
last. Most are warnings: they ask an editor to look again rather than block a
release. The two that are errors would mislead a reader: a summary far above
the reading grade promised, and a review dated in the future.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from glossary.content import callouts
from glossary.content.entries import Entry, Glossary, Page
from glossary.content.problems import Problem, problem
from glossary.content.readability import GRADE_ERROR, GRADE_WARNING, is_everyday_word, summary_grades

REVIEW_YEARS = 3
# A lowercase one-word alias found in at least this share of the other entries (and at
# least MIN_SPREAD of them) would be linked in nearly every page: 'spine' in a spine glossary.
SPREAD_SHARE = 0.5
MIN_SPREAD = 5
_WORD_RE = re.compile(r"[^\W\d_]+")
_SYMPTOMS_HEADING = re.compile(r"^##+ +(.*\bsymptoms?\b.*)$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ReviewStatus:
    """What the content report and the checks say about an entry's clinical review."""

    label: str  # 'not reviewed', 'reviewed', 'overdue' or 'future'
    reviewed: date | None


def review_status(entry: Entry, today: date) -> ReviewStatus:
    if entry.reviewed is None:
        return ReviewStatus("not reviewed", None)
    if entry.reviewed > today:
        return ReviewStatus("future", entry.reviewed)
    if entry.reviewed < review_due_after(today):
        return ReviewStatus("overdue", entry.reviewed)
    return ReviewStatus("reviewed", entry.reviewed)


def review_due_after(today: date) -> date:
    """The same day REVIEW_YEARS years ago (28 February for a 29th)."""
    try:
        return today.replace(year=today.year - REVIEW_YEARS)
    except ValueError:
        return today.replace(year=today.year - REVIEW_YEARS, day=28)


def links_out(page: Page) -> frozenset[str]:
    """Entries this page links to: wikilinks, automatic links and 'see also'."""
    return (page.links | set(page.entry.related)) - {page.entry.slug}


def links_in(glossary: Glossary, page: Page) -> tuple[str, ...]:
    return tuple(slug for slug in glossary.backlinks.get(page.entry.slug, ()) if slug != page.entry.slug)


def editorial_problems(glossary: Glossary, *, today: date) -> list[Problem]:
    words = {slug: _words(page.entry) for slug, page in glossary.pages.items()}
    spread = Counter(word for found in words.values() for word in found)
    grades = summary_grades(page.entry for page in glossary.pages.values())
    problems: list[Problem] = []
    for page in glossary.pages.values():
        entry = page.entry
        problems += _grade(entry, grades[entry.slug])
        problems += _urgent_help(entry)
        if entry.is_short:  # a word of the report: a sentence and an example, with no sources or links needed
            problems += _aliases(entry, words[entry.slug], spread, len(glossary.pages) - 1)
            continue
        if not page.citations:
            problems.append(
                problem(
                    "W004",
                    entry.path,
                    entry.lines.get("references", entry.lines["title"]),
                    "The entry cites no source.",
                )
            )
        if not links_out(page):
            problems.append(problem("W005", entry.path, entry.body_line, "The entry links to no other entry."))
        if not links_in(glossary, page):
            problems.append(problem("W006", entry.path, entry.lines["title"], "No other entry links to this one."))
        problems += _review(entry, today)
        problems += _aliases(entry, words[entry.slug], spread, len(glossary.pages) - 1)
    return problems


def _urgent_help(entry: Entry) -> list[Problem]:
    """A condition whose entry describes its symptoms must say which of them need help, and how fast."""
    if entry.category != "condition" or callouts.SOURCE_RE.search(entry.body):
        return []
    heading = _SYMPTOMS_HEADING.search(entry.body)
    if heading is None:
        return []
    line = entry.body_line + entry.body.count("\n", 0, heading.start())
    message = f"The section {heading.group(1).strip()!r} describes symptoms, but the entry has no urgent-help box."
    return [problem("W009", entry.path, line, message)]


def _grade(entry: Entry, grade: float) -> list[Problem]:
    if grade <= GRADE_WARNING:
        return []
    code = "E025" if grade > GRADE_ERROR else "W003"
    limit = f"above {GRADE_ERROR:g} it cannot be published; " if code == "E025" else ""
    message = f"The summary reads at grade {grade:.1f} (Flesch-Kincaid); {limit}aim for {GRADE_WARNING:g} or lower."
    return [problem(code, entry.path, entry.lines["summary"], message)]


def _review(entry: Entry, today: date) -> list[Problem]:
    status = review_status(entry, today)
    line = entry.lines.get("reviewed")
    if status.label == "future":
        return [problem("E026", entry.path, line, f"The review date {entry.reviewed} is after today ({today}).")]
    if status.label == "overdue":
        age = f"more than {REVIEW_YEARS} years before today ({today})"
        return [problem("W007", entry.path, line, f"The last review, {entry.reviewed}, is {age}.")]
    return []


def _aliases(entry: Entry, own_words: set[str], spread: Counter[str], others: int) -> list[Problem]:
    """`spread` counts the entries that use each word; `own_words` are this entry's, not counted against it."""
    problems = []
    for alias in entry.aliases:
        if alias.isupper():  # abbreviations link only in capitals, so 'IN' would never match 'in'
            continue
        folded = alias.casefold()
        found_in = spread[folded] - (folded in own_words)
        if is_everyday_word(alias):
            why = "is an everyday English word"
        elif " " not in folded and found_in >= max(MIN_SPREAD, SPREAD_SHARE * others):
            why = f"appears in {found_in} of the {others} other entries"
        else:
            continue
        message = f"The alias {alias!r} {why}, so it would be linked almost everywhere it is written."
        problems.append(problem("W008", entry.path, entry.lines["aliases"], message))
    return problems


def _words(entry: Entry) -> set[str]:
    """The lowercase words (and the singulars of plurals) in an entry's summary and body."""
    found = set(_WORD_RE.findall(f"{entry.summary}\n{entry.body}"))
    lower = {word for word in found if not word.isupper()}
    folded = {word.casefold() for word in lower}
    return folded | {word[:-1] for word in folded if word.endswith("s")}
