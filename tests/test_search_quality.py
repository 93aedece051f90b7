"""How often search puts the entry a reader wants among its first three results, over a table of real queries.

`search_queries.tsv` holds what patients and clinicians type (exact names, half-typed
words, misspellings, American spellings, abbreviations, lay phrases, plurals,
phrases and questions), each with the entry a reasonable reader wants to see.
It is written from how people search, not tuned to the engine, so the figure this
prints is the one to watch when the engine or the content changes.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from glossary.serving import store
from tests.html_tools import facts

pytestmark = pytest.mark.usefixtures("bundled")  # a test of the content itself (tests/conftest.py)

TABLE = Path(__file__).with_name("search_queries.tsv")
HEADER = ["query", "slug", "class"]
CLASSES = ("exact", "prefix", "misspelt", "american", "abbreviation", "lay", "plural", "multiword", "question")
TOP = 3
MIN_HIT_RATE = 0.95
MIN_ROWS = 100
MIN_PER_CLASS = 8


@dataclass(frozen=True)
class Case:
    line: int
    query: str
    slug: str
    kind: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    found: tuple[str, ...]  # the slugs of the first TOP results, best first

    @property
    def hit(self) -> bool:
        return self.case.slug in self.found


def read_table(path: Path = TABLE) -> list[Case]:
    """The table's rows; a row without exactly three tab-separated fields is an error naming its line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].split("\t") != HEADER:
        raise ValueError(f"{path.name}: the first line must be the header {HEADER}")
    cases = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(HEADER) or not all(field.strip() for field in fields):
            raise ValueError(f"{path.name}:{number}: expected query<TAB>slug<TAB>class, got {line!r}")
        cases.append(Case(number, *fields))
    return cases


def result_slugs(html: str) -> list[str]:
    """The entries a search page lists as results, in order: the links inside its results list only."""
    start = html.find('<ol class="results">')
    if start == -1:
        return []
    listing = html[start : html.index("</ol>", start)]
    slugs = [link.split("/")[2] for link in facts(listing).links if link.startswith("/terms/")]
    return list(dict.fromkeys(slugs))


def report(title: str, outcomes: list[Outcome]) -> str:
    """A table of the hit rate per class and overall, then every miss with what came first instead."""
    totals = Counter(o.case.kind for o in outcomes)
    hits = Counter(o.case.kind for o in outcomes if o.hit)
    rows = [f"\n{title}: top-{TOP} hit rate", f"  {'class':<14}{'queries':>8}{'hits':>6}{'rate':>9}"]
    for kind in [*CLASSES, "all"]:
        total = len(outcomes) if kind == "all" else totals[kind]
        hit = sum(hits.values()) if kind == "all" else hits[kind]
        rows.append(f"  {kind:<14}{total:>8}{hit:>6}{hit / max(total, 1):>9.1%}")
    misses = [o for o in outcomes if not o.hit]
    rows.append(f"  misses ({len(misses)}):")
    for o in misses:
        got = ", ".join(o.found) or "nothing"
        rows.append(f"    line {o.case.line} [{o.case.kind}] {o.case.query!r} wants {o.case.slug}, got {got}")
    return "\n".join(rows) + "\n"


def assert_hit_rate(title: str, outcomes: list[Outcome], capsys: pytest.CaptureFixture[str]) -> None:
    """Show the figures whether or not pytest captures output, then hold the rate to MIN_HIT_RATE."""
    text = report(title, outcomes)
    with capsys.disabled():
        sys.stderr.write(text)
    rate = sum(o.hit for o in outcomes) / len(outcomes)
    assert rate >= MIN_HIT_RATE, f"top-{TOP} hit rate {rate:.1%} is below {MIN_HIT_RATE:.0%}{text}"


def run(search: Callable[[str], list[str]]) -> list[Outcome]:
    return [Outcome(case, tuple(search(case.query)[:TOP])) for case in read_table()]


def test_the_table_is_sound() -> None:
    """A typo in the table would count as a miss, or hide one, so the table is checked like content."""
    cases = read_table()
    slugs = set(store.glossary().pages)
    assert len(cases) >= MIN_ROWS
    assert [c for c in cases if c.slug not in slugs] == []
    assert [c for c in cases if c.kind not in CLASSES] == []
    per_class = Counter(c.kind for c in cases)
    assert {kind: n for kind, n in per_class.items() if n < MIN_PER_CLASS} == {}
    assert slugs - {c.slug for c in cases} == set(), "every bundled entry should be some query's answer"
    seen = Counter(" ".join(c.query.casefold().split()) for c in cases)
    assert [query for query, n in seen.items() if n > 1] == []


def test_the_index_puts_the_wanted_entry_in_its_top_three(capsys: pytest.CaptureFixture[str]) -> None:
    index = store.search_index()
    outcomes = run(lambda query: [hit.page.entry.slug for hit in index.search(query, limit=TOP).hits])
    assert_hit_rate("Search index", outcomes, capsys)


def test_the_search_page_lists_the_wanted_entry_in_its_first_three(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a reader sees: the page (with all=1, so an exact name lists rather than redirects)."""

    def page(query: str) -> list[str]:
        response = client.get("/search/", {"q": query, "all": "1"})
        assert response.status_code == 200, query
        return result_slugs(response.content.decode())

    assert_hit_rate("Search page", run(page), capsys)


def test_result_slugs_reads_only_the_results_list() -> None:
    """The page figure is only as good as this parser: navigation and entry links outside the list do not count."""
    html = (
        '<a href="/terms/">A-Z</a><ol class="results"><li><a href="/terms/mri/">MRI</a>'
        '<a href="/terms/mri/">again</a></li><li><a href="/terms/x-ray/">X-ray</a></li></ol>'
        '<a href="/terms/syrinx/">closest</a>'
    )
    assert result_slugs(html) == ["mri", "x-ray"]
    assert result_slugs("<p>0 results</p>") == []


def test_read_table_names_the_bad_line(tmp_path: Path) -> None:
    table = tmp_path / "queries.tsv"
    table.write_text("query\tslug\tclass\nmri\tmri\texact\nslipped disc\therniated-disc\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"queries.tsv:3: expected"):
        read_table(table)
