"""`manage.py content_report`: one row per entry with figures that match the files, totals, CSV and review dates.

Figures for the shared valid fixture are worked out from its files at test time, since
other tests' needs change it; exact figures come from a small glossary built here.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from glossary.content.readability import reading_grade
from glossary.serving import store

from .conftest import BUNDLED, FIXTURES

VALID = FIXTURES / "valid"

REFERENCES = """\
a-2020: {authors: [Author A], title: First paper, container: Journal of Tests, year: 2020}
b-2021: {authors: [Author B], title: Second paper, container: Journal of Tests, year: 2021}
c-2022: {authors: [Author C], title: Third paper, container: Journal of Tests, year: 2022}
"""
# Automatic links are off in every entry, so the links are exactly the ones written.
ONE = """\
---
title: First thing
summary: The first thing is a test entry. It is short.
category: anatomy
related: [two]
references: [c-2022]
reviewed: 2024-05-10
autolink: false
---

## What it is

The first thing cites a source twice [@a-2020] and again [@a-2020; @b-2021].
It sees [[two|the second page]] and [[three]].

1. Read the **patient's** notes on the [NHS website](https://www.nhs.uk/conditions/).
2. Look at T2-weighted images.
"""
# 3 + 9 + 7 + 8 + 5: the heading; the citations count nothing; a wikilink counts as the words it shows;
# a link as its text, not its address; list numbers and ** are syntax; 'T2-weighted' is two words.
ONE_WORDS = 32
TWO = """\
---
title: Second thing
summary: The second thing is another test entry.
category: imaging-test
related: [three]
autolink: false
---

## What it is

It links back to [[one]] [@a-2020].
"""
THREE = """\
---
title: Third thing
summary: The third thing is a test entry that links nowhere.
category: condition
autolink: false
---

## What it is

Nothing here links on.
"""


@pytest.fixture
def small(tmp_path: Path, use_content: Callable[[Path], Path]) -> Path:
    """Three entries: one -> two, three; two -> one, three; three -> nothing, and cites nothing."""
    terms = tmp_path / "content" / "terms"
    terms.mkdir(parents=True)
    (tmp_path / "content" / "references.yaml").write_text(REFERENCES, encoding="utf-8")
    for slug, text in {"one": ONE, "two": TWO, "three": THREE}.items():
        (terms / f"{slug}.md").write_text(text, encoding="utf-8")
    return use_content(tmp_path / "content")


def report(*args: str) -> str:
    out = StringIO()
    call_command("content_report", *args, stdout=out)
    return out.getvalue()


def table(output: str) -> list[dict[str, str]]:
    """The table's rows as header -> cell; columns are at least two spaces apart, cells never are."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("slug "))
    headers = re.split(r" {2,}", lines[start])
    assert set(lines[start + 1]) == {"-", " "}
    rows = []
    for line in lines[start + 2 :]:
        if not line:
            break
        cells = re.split(r" {2,}", line)
        assert len(cells) == len(headers), line
        rows.append(dict(zip(headers, cells, strict=True)))
    return rows


def total(output: str, label: str) -> str:
    found = re.search(rf"^{re.escape(label)} {{2,}}(.+)$", output, re.MULTILINE)
    assert found, f"no {label!r} line in:\n{output}"
    return found.group(1)


def slugs_of(content: Path) -> list[str]:
    return sorted(path.stem for path in (content / "terms").glob("*.md"))


def front_matter_and_body(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


@pytest.mark.parametrize("content", [VALID, BUNDLED], ids=["fixture", "bundled"])
def test_every_entry_once_in_slug_order_and_counted(content: Path, use_content: Callable[[Path], Path]) -> None:
    use_content(content)
    output = report()

    assert [row["slug"] for row in table(output)] == slugs_of(content)
    assert total(output, "Entries") == str(len(slugs_of(content)))


def test_refs_are_the_distinct_sources_each_fixture_file_cites(use_content: Callable[[Path], Path]) -> None:
    use_content(VALID)
    rows = {row["slug"]: row for row in table(report())}

    for path in (VALID / "terms").glob("*.md"):
        front, body = front_matter_and_body(path)
        cited = {key for inner in re.findall(r"\[(@[^\]]+)\]", body) for key in re.findall(r"@([\w.-]+)", inner)}
        assert rows[path.stem]["refs"] == str(len(cited | set(front.get("references", [])))), path.name


def test_grade_is_the_summary_reading_grade(use_content: Callable[[Path], Path]) -> None:
    use_content(VALID)
    rows = {row["slug"]: row for row in table(report())}

    for slug, page in store.glossary().pages.items():
        assert rows[slug]["grade"] == f"{reading_grade(page.entry.summary, page.entry.names):.1f}"


def test_figures_of_a_known_glossary(small: Path) -> None:
    rows = {row["slug"]: row for row in table(report("--today=2025-01-01"))}

    assert rows["one"] == {
        "slug": "one",
        "category": "anatomy",
        "words": str(ONE_WORDS),
        "grade": f"{reading_grade('The first thing is a test entry. It is short.', ['First thing']):.1f}",
        "refs": "3",  # a-2020 twice and b-2021 in the text, c-2022 in the field
        "links in": "1",  # two
        "links out": "2",  # two (linked and related), three
        "review": "reviewed 2024-05-10",
    }
    assert [rows["two"][column] for column in ("refs", "links in", "links out", "review")] == [
        "1",
        "1",
        "2",
        "not reviewed",
    ]
    assert [rows["three"][column] for column in ("refs", "links in", "links out")] == ["0", "2", "0"]


def test_totals_of_a_known_glossary(small: Path) -> None:
    output = report("--today=2025-01-01")

    assert total(output, "Entries") == "3"
    assert total(output, "No references") == "1: three"
    assert total(output, "No links in") == "0"
    assert total(output, "No links out") == "1: three"
    assert total(output, "Review") == "1 reviewed, 0 overdue, 0 future, 2 not reviewed"
    entries = [page.entry for page in store.glossary().pages.values()]
    grades = {entry.slug: reading_grade(entry.summary, entry.names) for entry in entries}
    hardest = max(sorted(grades), key=grades.__getitem__)
    assert total(output, "Summary grade").endswith(f"highest {grades[hardest]:.1f} ({hardest})")


@pytest.mark.parametrize(
    ("today", "review"),
    [
        ("2024-05-10", "reviewed 2024-05-10"),
        ("2027-05-10", "reviewed 2024-05-10"),  # three years to the day: still current
        ("2027-05-11", "overdue 2024-05-10"),
        ("2024-05-09", "future 2024-05-10"),
    ],
)
def test_today_dates_the_review_status(small: Path, today: str, review: str) -> None:
    output = report(f"--today={today}")

    rows = {row["slug"]: row for row in table(output)}
    assert rows["one"]["review"] == review
    assert f"review status as of {today}" in output


@pytest.mark.parametrize("sort", ["slug", "grade", "words"])
def test_csv_has_the_table_rows(sort: str, use_content: Callable[[Path], Path], tmp_path: Path) -> None:
    use_content(VALID)
    path = tmp_path / "report.csv"
    output = report(f"--sort={sort}", f"--csv={path}")

    with path.open(encoding="utf-8", newline="") as file:
        written = list(csv.DictReader(file))
    assert written == table(output)
    assert len(written) == len(slugs_of(VALID))
    assert list(csv.DictReader(StringIO(report(f"--sort={sort}", "--csv=-")))) == written


def test_csv_to_stdout_is_only_csv(use_content: Callable[[Path], Path]) -> None:
    use_content(VALID)
    output = report("--csv=-")

    assert output.splitlines()[0] == "slug,category,words,grade,refs,links in,links out,review"
    assert len(output.splitlines()) == 1 + len(slugs_of(VALID))


def test_sorts_hardest_or_longest_first(use_content: Callable[[Path], Path]) -> None:
    use_content(BUNDLED)

    grades = [float(row["grade"]) for row in table(report("--sort=grade"))]
    words = [int(row["words"]) for row in table(report("--sort=words"))]
    assert grades == sorted(grades, reverse=True)
    assert words == sorted(words, reverse=True)


def test_broken_content_sends_the_editor_to_check(use_content: Callable[[Path], Path]) -> None:
    use_content(FIXTURES / "broken" / "e007-unknown-key")
    errors = len(store.result().errors)

    with pytest.raises(CommandError, match=rf"has {errors} error\(s\).*`python manage.py check`"):
        report()


def test_a_malformed_date_is_refused(use_content: Callable[[Path], Path]) -> None:
    use_content(VALID)

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        report("--today=22/11/2026")


def test_an_empty_glossary_reports_no_entries(tmp_path: Path, use_content: Callable[[Path], Path]) -> None:
    (tmp_path / "terms").mkdir()
    use_content(tmp_path)
    output = report()

    assert table(output) == []
    assert total(output, "Entries") == "0"
    assert total(output, "Summary grade") == "no entries"


def test_runs_from_the_command_line() -> None:
    run = subprocess.run(
        [sys.executable, "manage.py", "content_report"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stderr
    assert re.search(r"^Entries +\d+$", run.stdout, re.MULTILINE)
    assert re.search(r"^Review +\d+ reviewed, ", run.stdout, re.MULTILINE)
