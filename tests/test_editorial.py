"""The editorial checks (E025-E027, W003-W008): each one fires just past its threshold and not at it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from glossary.content.loader import LoadResult, load
from glossary.content.readability import reading_grade

TODAY = date(2026, 6, 15)
REFERENCES = "smith-2020:\n  authors: [Smith AB]\n  title: A made-up paper\n  container: A journal\n  year: 2020\n"
GREEK = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu"]
CITES = "[@smith-2020]"


def _model(changes: dict[str, dict[str, Any]] | None = None, *, count: int = 2) -> dict[str, dict[str, Any]]:
    """`count` entries that each cite the one reference and link to the next (no problems), with `changes` merged in.

    A slug in `changes` that is not in the ring adds an entry that cites the reference and links nowhere.
    """
    slugs = [f"{name}-term" for name in GREEK[:count]]
    entries = {slug: {"body": f"See the [[{slugs[(i + 1) % count]}]] {CITES}."} for i, slug in enumerate(slugs)}
    for slug, fields in (changes or {}).items():
        entries[slug] = entries.get(slug, {}) | fields
    return entries


def _load(folder: Path, entries: dict[str, dict[str, Any]], *, today: date = TODAY, references: str = "") -> LoadResult:
    """Write each entry from its fields ('body' is the text under one section) and load the folder."""
    (folder / "terms").mkdir()
    (folder / "references.yaml").write_text(REFERENCES + references)
    for slug, fields in entries.items():
        name = slug.replace("-", " ")
        head = {"title": name.capitalize(), "summary": f"The {name} is a test entry.", "category": "anatomy"}
        head |= fields
        body = head.pop("body", CITES)
        front = yaml.safe_dump(head, sort_keys=False, allow_unicode=True)
        (folder / "terms" / f"{slug}.md").write_text(f"---\n{front}---\n\n## What it is\n\n{body}\n")
    return load(folder, today=today)


def _found(result: LoadResult) -> list[tuple[str, str]]:
    return [(p.code, p.path.stem) for p in result.problems]


def test_the_model_glossary_has_no_problems(tmp_path: Path) -> None:
    result = _load(tmp_path, _model(count=3))

    assert result.problems == ()
    assert result.glossary is not None


# ------------------------------------------------------------------------------------------- E025, W003: reading grade

# Summaries either side of each threshold, sharing most of their words.
SHARED = "part of the body that specialists look at when they"
GRADES = [
    (f"The alpha term is an invented {SHARED} carefully check your spine.", 8.0, []),
    (f"The alpha term is a made-up {SHARED} examine your spine on pictures.", 8.1, ["W003"]),
    (f"The alpha term is an invented {SHARED} carefully examine your spine on pictures.", 10.0, ["W003"]),
    ("The alpha term names an imaginary part that doctors often check during careful imaging tests.", 10.1, ["E025"]),
]
SOFTENING = "Myelomalacia is a softening of the spinal cord."  # grade 8.2, or 3.8 when 'Myelomalacia' is a name


@pytest.mark.parametrize(
    ("summary", "grade", "codes"),
    GRADES,
    ids=["8.0-fine", "8.1-warning", "10.0-warning", "10.1-error-only"],
)
def test_the_summary_grade_is_a_warning_above_8_and_an_error_above_10(
    tmp_path: Path, summary: str, grade: float, codes: list[str]
) -> None:
    result = _load(tmp_path, _model({"alpha-term": {"summary": summary}}))

    assert reading_grade(summary, ["Alpha term"]) == grade
    assert [p.code for p in result.problems] == codes
    assert all(f"grade {grade:.1f}" in p.message and p.line == 3 for p in result.problems)


@pytest.mark.parametrize(
    ("fields", "codes"),
    [
        ({}, ["W003"]),
        ({"title": "Myelomalacia"}, []),
        ({"aliases": ["myelomalacia"]}, []),
        ({"summary": SOFTENING.replace("Myelomalacia is", "Myelomalacias are"), "aliases": ["myelomalacia"]}, []),
    ],
    ids=["another-entry", "own-title", "own-alias", "own-alias-plural"],
)
def test_the_entrys_own_names_do_not_raise_the_grade(tmp_path: Path, fields: dict[str, Any], codes: list[str]) -> None:
    result = _load(tmp_path, _model({"alpha-term": {"summary": SOFTENING} | fields}))

    assert [p.code for p in result.problems] == codes
    assert all("grade 8.2" in p.message for p in result.problems)


# -------------------------------------------------------------------------------------- E026, W007: the review date


@pytest.mark.parametrize(
    ("today", "reviewed", "codes"),
    [
        (TODAY, date(2023, 6, 15), []),  # three years ago to the day
        (TODAY, date(2023, 6, 14), ["W007"]),
        (date(2028, 2, 29), date(2025, 2, 28), []),  # three years before a 29 February is the 28th
        (date(2028, 2, 29), date(2025, 2, 27), ["W007"]),
        (date(2027, 2, 28), date(2024, 2, 29), []),
        (date(2027, 3, 1), date(2024, 2, 29), ["W007"]),
        (TODAY, TODAY, []),
        (TODAY, date(2026, 6, 16), ["E026"]),
    ],
)
def test_a_review_is_overdue_after_three_years_and_cannot_be_in_the_future(
    tmp_path: Path, today: date, reviewed: date, codes: list[str]
) -> None:
    result = _load(tmp_path, _model({"alpha-term": {"reviewed": reviewed}}), today=today)

    assert [p.code for p in result.problems] == codes
    assert all(f"{reviewed}" in p.message and f"{today}" in p.message and p.line == 5 for p in result.problems)
    assert (result.glossary is None) == (codes == ["E026"])


# ---------------------------------------------------------------------------------- W004, W005, W006: sources and links


@pytest.mark.parametrize(
    ("body", "fields", "found"),
    [
        ("See the [[beta-term]].", {}, [("W004", "alpha-term")]),
        ("See the [[beta-term]].", {"references": ["smith-2020"]}, []),
    ],
    ids=["no-source", "source-listed"],
)
def test_an_entry_cites_a_source(tmp_path: Path, body: str, fields: dict[str, Any], found: list) -> None:
    result = _load(tmp_path, _model({"alpha-term": {"body": body} | fields}))

    assert _found(result) == found
    assert all(p.line == 2 and "cites no source" in p.message for p in result.problems)  # the title line


@pytest.mark.parametrize(
    ("gamma", "found"),
    [
        ({}, [("W005", "gamma-term")]),
        ({"body": f"See the [[gamma-term]] {CITES}."}, [("W005", "gamma-term")]),  # a link to itself is no link out
        ({"body": f"Not the Beta term {CITES}.", "autolink": False}, [("W005", "gamma-term")]),
        ({"related": ["beta-term"]}, []),
        ({"body": f"Not the Beta term {CITES}."}, []),  # an automatic link is a link
    ],
    ids=["no-link", "self-link", "name-not-linked", "related-only", "automatic-only"],
)
def test_an_entry_links_out(tmp_path: Path, gamma: dict[str, Any], found: list) -> None:
    """alpha-term and beta-term link both ways, and alpha-term to gamma-term; where does gamma-term link?"""
    alpha = {"body": f"See the [[beta-term]] and the [[gamma-term]] {CITES}."}
    result = _load(tmp_path, _model({"alpha-term": alpha, "gamma-term": gamma}))

    assert _found(result) == found
    assert all("links to no other entry" in p.message for p in result.problems)


W006 = [("W006", "gamma-term")]


@pytest.mark.parametrize(
    ("changes", "found"),
    [
        ({}, W006),
        ({"gamma-term": {"body": f"See the [[alpha-term]] and this [[gamma-term]] {CITES}."}}, W006),
        ({"beta-term": {"body": f"See the [[alpha-term]], not the Gamma term {CITES}.", "autolink": False}}, W006),
        ({"beta-term": {"related": ["gamma-term"]}}, []),
        ({"beta-term": {"body": f"See the [[alpha-term]], not the Gamma term {CITES}."}}, []),
    ],
    ids=["nothing", "self-link", "name-not-linked", "related-only", "automatic-only"],
)
def test_some_other_entry_links_to_each_entry(tmp_path: Path, changes: dict[str, dict[str, Any]], found: list) -> None:
    """gamma-term links to alpha-term, which links with beta-term both ways; what links to gamma-term?"""
    gamma = {"gamma-term": {"body": f"See the [[alpha-term]] {CITES}."}}
    result = _load(tmp_path, _model(gamma | changes))

    assert _found(result) == found
    assert all(p.line == 2 and "No other entry links" in p.message for p in result.problems)


# ------------------------------------------------------------------------------------------------ W008: aliases


@pytest.mark.parametrize(
    ("alias", "found"),
    [("back", ["W008"]), ("Back", ["W008"]), ("spinal cord softening", []), ("LP", []), ("lumbar", [])],
)
def test_an_alias_that_is_an_everyday_word(tmp_path: Path, alias: str, found: list[str]) -> None:
    result = _load(tmp_path, _model({"alpha-term": {"aliases": [alias]}}))

    assert [p.code for p in result.problems] == found
    assert all(f"{alias!r} is an everyday English word" in p.message for p in result.problems)


@pytest.mark.parametrize(
    ("count", "users", "says"),
    [
        (5, range(1, 5), None),  # all 4 others, but fewer than 5
        (6, range(1, 6), "'vertebra' appears in 5 of the 5 other entries"),
        (6, range(5), None),  # the entry's own use does not count against it
        (11, range(1, 6), "'vertebra' appears in 5 of the 10 other entries"),  # exactly half
        (12, range(1, 6), None),  # 5 of 11 is under half
    ],
)
def test_an_alias_found_in_most_other_entries(tmp_path: Path, count: int, users: range, says: str | None) -> None:
    """alpha-term has the alias 'vertebra'; the entries numbered in `users` (0 is alpha-term) use the word."""
    entries = _model({"alpha-term": {"aliases": ["vertebra"]}}, count=count)
    slugs = list(entries)
    for i in users:
        entries[slugs[i]]["body"] += " It sits by a vertebra."

    result = _load(tmp_path, entries)

    assert _found(result) == ([("W008", "alpha-term")] if says else [])
    assert all(says and says in p.message for p in result.problems)


def test_a_widespread_alias_in_capitals_or_of_two_words_is_not_reported(tmp_path: Path) -> None:
    entries = _model({"alpha-term": {"aliases": ["LP", "lumbar puncture"]}}, count=6)
    for slug in list(entries)[1:]:
        entries[slug]["body"] += " It is not a lumbar puncture (LP)."

    assert _load(tmp_path, entries).problems == ()


# --------------------------------------------------------------------------------------------- E027: identifiers

JONES = "jones-2021:\n  authors: [Jones C]\n  title: Another paper\n  container: A journal\n  year: 2021\n"


@pytest.mark.parametrize(
    ("field", "found", "says"),
    [
        ("doi: https://doi.org/10.1000/fixture.2021", ("E027", 11), "without https://doi.org/"),
        ("doi: 10.1000/fixture.2021", ("W001", 6), "not cited"),
        ('pmid: "0123"', ("E027", 11), "digits only"),
        ('pmid: "123"', ("W001", 6), "not cited"),
    ],
)
def test_a_doi_or_pmid_of_the_wrong_shape(tmp_path: Path, field: str, found: tuple[str, int], says: str) -> None:
    """jones-2021 is cited by no entry: when its identifier is well formed it loads, and W001 says it is unused."""
    result = _load(tmp_path, _model(), references=f"{JONES}  {field}\n")

    assert [(p.code, p.line) for p in result.problems] == [found]
    assert result.problems[0].path.name == "references.yaml"
    assert says in result.problems[0].message
