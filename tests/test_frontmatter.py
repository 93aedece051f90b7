"""parse_entry: the fields of one entry file, and the exact line of every mistake in its front matter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from glossary.content.frontmatter import FIELDS, parse_entry

PATH = Path("content/terms/myelomalacia.md")

FULL = """\
---
title: Myelomalacia
summary: >
  Myelomalacia means part of the spinal cord has softened.
  It shows on MRI scans.
category: imaging-finding
aliases: [spinal cord softening, softening of the spinal cord]
pronunciation: my-ello-ma-lay-sha
etymology: From myelo- (spinal cord) and -malacia (softening).
related: [spinal-cord, mri]
references: [tetreault-2013]
reviewed: 2026-11-20
reviewed_by: A Reviewer, consultant radiologist
autolink: false
---

## What it means

Myelomalacia is seen on [[mri|MRI]].
"""


def _header(*lines: str, body: str = "Text.\n") -> str:
    return "\n".join(["---", *lines, "---", "", body])


BASE = ("title: Alpha term", "summary: The alpha term is a test entry.", "category: anatomy")


def _codes(text: str, path: Path = PATH) -> list[tuple[str, int | None]]:
    _, problems = parse_entry(path, text)
    return [(p.code, p.line) for p in problems]


def test_every_field_is_parsed() -> None:
    entry, problems = parse_entry(PATH, FULL)

    assert problems == []
    assert entry is not None
    assert entry.slug == "myelomalacia"
    assert entry.title == "Myelomalacia"
    assert entry.summary == "Myelomalacia means part of the spinal cord has softened. It shows on MRI scans."
    assert entry.category == "imaging-finding"
    assert entry.aliases == ("spinal cord softening", "softening of the spinal cord")
    assert entry.pronunciation == "my-ello-ma-lay-sha"
    assert entry.related == ("spinal-cord", "mri")
    assert entry.references == ("tetreault-2013",)
    assert entry.reviewed == dt.date(2026, 11, 20)
    assert entry.reviewed_by == "A Reviewer, consultant radiologist"
    assert entry.autolink is False


def test_the_line_of_every_field() -> None:
    entry, _ = parse_entry(PATH, FULL)

    assert entry is not None
    assert dict(entry.lines) == {
        "title": 2,
        "summary": 3,
        "category": 6,
        "aliases": 7,
        "pronunciation": 8,
        "etymology": 9,
        "related": 10,
        "references": 11,
        "reviewed": 12,
        "reviewed_by": 13,
        "autolink": 14,
    }


def test_the_body_and_its_first_line() -> None:
    entry, _ = parse_entry(PATH, FULL)

    assert entry is not None
    assert entry.body_line == 16
    assert entry.body.split("\n")[19 - entry.body_line] == "Myelomalacia is seen on [[mri|MRI]]."


def test_optional_fields_default() -> None:
    entry, problems = parse_entry(PATH, _header(*BASE))

    assert problems == []
    assert entry is not None
    assert (entry.aliases, entry.related, entry.references) == ((), (), ())
    assert (entry.pronunciation, entry.reviewed, entry.reviewed_by) == (None, None, None)
    assert entry.autolink is True


def test_lines_count_comments_and_blank_lines_in_the_header() -> None:
    text = _header(
        "# The name readers know.",
        "title: Alpha term",
        "",
        "# One or two plain sentences.",
        "summary: The alpha term is a test entry.",
        "",
        "",
        "category: anatomy",
    )

    entry, problems = parse_entry(PATH, text)

    assert problems == []
    assert entry is not None
    assert dict(entry.lines) == {"title": 3, "summary": 6, "category": 9}
    assert entry.body_line == 11


def test_a_mistake_after_comments_and_blank_lines_is_on_its_own_line() -> None:
    text = _header("# comment", "title: Alpha term", "", "# comment", "summary: Text.", "", "category: disease")

    assert _codes(text) == [("E009", 8)]


def test_windows_line_endings_keep_the_same_lines() -> None:
    text = _header(*BASE, "relatd: [beta-term]").replace("\n", "\r\n")

    assert _codes(text) == [("E007", 5)]


def test_unknown_field_suggests_the_close_one() -> None:
    _, problems = parse_entry(PATH, _header(*BASE, "relatd: [beta-term]"))

    assert [(p.code, p.line) for p in problems] == [("E007", 5)]
    assert problems[0].message == "Unknown field 'relatd'."
    assert problems[0].hint.startswith("Did you mean 'related'? ")
    assert all(name in problems[0].hint for name in FIELDS)


def test_unknown_field_with_nothing_close_lists_the_fields_without_a_guess() -> None:
    _, problems = parse_entry(PATH, _header(*BASE, "colour: red"))

    assert [(p.code, p.line) for p in problems] == [("E007", 5)]
    assert "Did you mean" not in problems[0].hint
    assert problems[0].hint.startswith("Fields are: title, summary, category")


def test_every_missing_required_field_is_reported_at_the_opening_fence() -> None:
    _, problems = parse_entry(PATH, _header("aliases: [alpha]"))

    assert [(p.code, p.line) for p in problems] == [("E008", 1), ("E008", 1), ("E008", 1)]
    assert {p.message for p in problems} == {
        "Required field 'title' is missing.",
        "Required field 'summary' is missing.",
        "Required field 'category' is missing.",
    }


def test_every_mistake_in_one_header_is_reported() -> None:
    text = _header("title: Alpha term", "summry: Typo.", "category: disease", "autolink: maybe")

    assert _codes(text) == [("E007", 3), ("E009", 4), ("E009", 5), ("E008", 1)]


def test_a_field_given_twice_is_reported_at_the_second() -> None:
    assert _codes(_header(*BASE, "aliases: [alpha]", "category: condition")) == [("E006", 6)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-01-15", dt.date(2026, 1, 15)), ("2024-02-29", dt.date(2024, 2, 29))],
)
def test_reviewed_takes_a_date(value: str, expected: dt.date) -> None:
    entry, problems = parse_entry(PATH, _header(*BASE, f"reviewed: {value}"))

    assert problems == []
    assert entry is not None
    assert entry.reviewed == expected


@pytest.mark.parametrize(
    "value",
    ["2026-02-30", "2025-02-29", "15/01/2026", "January 2026", "2026-01-15 10:30:00", "2026", ""],
)
def test_reviewed_rejects_anything_but_a_real_date(value: str) -> None:
    _, problems = parse_entry(PATH, _header(*BASE, "aliases: [alpha]", f"reviewed: {value}"))

    assert [(p.code, p.line) for p in problems] == [("E009", 6)]
    assert "reviewed" in problems[0].message


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("aliases: MRI scan", "expected a list"),
        ("aliases: [MRI, 42]", "got 42"),
        ("aliases: ['!!!']", "letters or digits"),
        ("related: [Spinal Cord]", "expected slugs"),
        ("related: spinal-cord", "expected a list"),
        ("references: [Smith_2020]", "expected slugs"),
        ("autolink: maybe", "expected true or false"),
        ("pronunciation: ''", "expected text"),
        ("reviewed_by: [A, B]", "expected text"),
    ],
)
def test_a_wrong_value_is_reported_at_its_line(line: str, says: str) -> None:
    _, problems = parse_entry(PATH, _header("title: Alpha term", "summary: Text.", "category: anatomy", line))

    assert [(p.code, p.line) for p in problems] == [("E009", 5)]
    assert says in problems[0].message


@pytest.mark.parametrize("value", ["Anatomy", "disease", "imaging finding", "''"])
def test_category_must_be_one_of_the_list(value: str) -> None:
    _, problems = parse_entry(PATH, _header("title: Alpha term", "summary: Text.", f"category: {value}"))

    assert [(p.code, p.line) for p in problems] == [("E009", 4)]
    assert "expected one of: anatomy, condition, imaging-finding" in problems[0].message


@pytest.mark.parametrize("value", ["[anatomy, condition]", "{name: anatomy}"])
def test_a_list_for_category_is_a_wrong_value_not_a_crash(value: str) -> None:
    assert _codes(_header("title: Alpha term", "summary: Text.", f"category: {value}")) == [("E009", 4)]


@pytest.mark.parametrize("line", ["title:", "title: ''", "title: [A, B]", "title: 42"])
def test_a_title_must_be_text(line: str) -> None:
    assert _codes(_header(line, "summary: Text.", "category: anatomy")) == [("E009", 2)]


def test_an_entry_with_an_error_is_not_returned() -> None:
    entry, problems = parse_entry(PATH, _header(*BASE, "autolink: maybe"))

    assert entry is None
    assert problems


def test_a_bad_file_name_has_no_line_and_no_entry() -> None:
    entry, problems = parse_entry(Path("terms/Bad_Name.md"), _header(*BASE))

    assert entry is None
    assert [(p.code, p.line) for p in problems] == [("E010", None)]


def test_a_bad_file_name_is_reported_with_the_other_mistakes() -> None:
    assert _codes(_header(*BASE, "relatd: []"), Path("terms/Bad Name.md")) == [("E010", None), ("E007", 5)]


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n"])
def test_an_empty_file(text: str) -> None:
    assert _codes(text) == [("E003", 1)]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("title: Alpha term\n", "does not start with '---'"),
        ("\n---\ntitle: Alpha term\n---\n", "does not start with '---'"),
        ("---\ntitle: Alpha term\nsummary: Text.\n", "no closing '---'"),
        ("---\n", "no closing '---'"),
    ],
)
def test_front_matter_must_be_fenced(text: str, says: str) -> None:
    _, problems = parse_entry(PATH, text)

    assert [(p.code, p.line) for p in problems] == [("E004", 1)]
    assert says in problems[0].message


def test_the_closing_fence_is_the_first_after_the_opening_one() -> None:
    entry, problems = parse_entry(PATH, _header(*BASE, body="## Part\n\nText.\n\n---\n\nMore.\n"))

    assert problems == []
    assert entry is not None
    assert entry.body_line == 6
    assert "---" in entry.body


@pytest.mark.parametrize(
    ("lines", "line"),
    [
        (("title: Alpha term", "summary: Note: a colon and a space.", "category: anatomy"), 3),
        (("title: Alpha term", "summary: Text.", "category: anatomy", "aliases: [a, b", "etymology: Made up."), 6),
        (("# comment", "", "title: Alpha term", 'summary: "unclosed', "category: anatomy"), 6),
    ],
)
def test_invalid_yaml_is_reported_at_its_line(lines: tuple[str, ...], line: int) -> None:
    _, problems = parse_entry(PATH, _header(*lines))

    assert [(p.code, p.line) for p in problems] == [("E005", line)]
    assert problems[0].message.startswith("YAML error: ")


@pytest.mark.parametrize("lines", [("- title: Alpha term", "- summary: Text."), ("Just a sentence.",)])
def test_front_matter_must_be_key_value_lines(lines: tuple[str, ...]) -> None:
    assert _codes(_header(*lines)) == [("E006", 2)]


def test_empty_front_matter_reports_each_missing_required_field() -> None:
    assert _codes("---\n---\nBody.\n") == [("E008", 1), ("E008", 1), ("E008", 1)]


@pytest.mark.parametrize("line", ["autolink: !!bool maybe", "reviewed: !!timestamp x"])
def test_a_value_yaml_cannot_build_is_a_wrong_value_not_a_crash(line: str) -> None:
    assert _codes(_header(*BASE, line)) == [("E009", 5)]
