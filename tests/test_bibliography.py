"""parse_references: references.yaml into Reference values, and the exact line of every mistake in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.content.bibliography import parse_references

PATH = Path("content/references.yaml")

TWO = """\
# The shared bibliography.

tetreault-2013:
  authors: [Tetreault LA, Dettori JR, Wilson JR]
  title: A made-up title for the tests
  container: Spine
  year: 2013
  doi: 10.1097/BRS.0b013e3182a7eae0
  pmid: "23963009"
  url: https://example.org/paper

# A second one, after a blank line and a comment.
jones-2021:
  authors: [Jones C]
  title: Another made-up paper
  container: Journal of Test Fixtures
  year: 2021
"""


REQUIRED = {"authors": "[Smith AB]", "title": "A paper", "container": "A journal", "year": "2020"}


def _one(*fields: str, key: str = "smith-2020", **replace: str) -> str:
    """A reference on line 1 whose required fields are on lines 2-5 and extra fields from line 6."""
    required = [f"{name}: {replace.get(name, value)}" for name, value in REQUIRED.items()]
    return "\n".join([f"{key}:", *(f"  {line}" for line in [*required, *fields])]) + "\n"


def _problems(text: str) -> list[tuple[str, int | None]]:
    _, problems = parse_references(PATH, text)
    return [(p.code, p.line) for p in problems]


def test_every_field_is_parsed() -> None:
    references, problems = parse_references(PATH, TWO)

    assert problems == []
    assert list(references) == ["tetreault-2013", "jones-2021"]
    ref = references["tetreault-2013"]
    assert ref.authors == ("Tetreault LA", "Dettori JR", "Wilson JR")
    assert (ref.title, ref.container, ref.year) == ("A made-up title for the tests", "Spine", 2013)
    assert ref.doi == "10.1097/BRS.0b013e3182a7eae0"
    assert ref.pmid == "23963009"
    assert ref.url == "https://example.org/paper"
    assert ref.path == PATH
    assert (references["jones-2021"].doi, references["jones-2021"].pmid, references["jones-2021"].url) == (
        None,
        None,
        None,
    )


def test_each_reference_knows_the_line_of_its_key() -> None:
    references, _ = parse_references(PATH, TWO)

    assert {key: ref.line for key, ref in references.items()} == {"tetreault-2013": 3, "jones-2021": 13}


def test_a_field_mistake_after_comments_is_reported_at_its_own_line() -> None:
    text = TWO.replace("  year: 2021", "  # the year of print\n\n  year: 21")

    assert _problems(text) == [("E023", 19)]


@pytest.mark.parametrize("doi", ["10.1097/BRS.0b013e3182a7eae0", "10.1000/fixture.2020", "10.123456789/x"])
def test_a_well_formed_doi(doi: str) -> None:
    references, problems = parse_references(PATH, _one(f"doi: {doi}"))

    assert problems == []
    assert references["smith-2020"].doi == doi


@pytest.mark.parametrize(
    "doi",
    [
        "https://doi.org/10.1097/BRS.0b013e3182a7eae0",
        "doi:10.1097/BRS.0b013e3182a7eae0",
        "10.1097",
        "10.12/x",
        "10.1097/",
        "11.1097/abc",
        '"10.1097/has space"',
    ],
)
def test_a_doi_of_the_wrong_shape(doi: str) -> None:
    references, problems = parse_references(PATH, _one(f"doi: {doi}"))

    assert [(p.code, p.line) for p in problems] == [("E027", 6)]
    assert "'doi'" in problems[0].message
    assert "without https://doi.org/" in problems[0].message
    assert references == {}


@pytest.mark.parametrize(("pmid", "parsed"), [('"23963009"', "23963009"), ("'23963009'", "23963009"), ('"1"', "1")])
def test_a_well_formed_pmid(pmid: str, parsed: str) -> None:
    references, problems = parse_references(PATH, _one(f"pmid: {pmid}"))

    assert problems == []
    assert references["smith-2020"].pmid == parsed


@pytest.mark.parametrize("pmid", ['"PMID23963009"', '"2396-3009"', '"1234567890"', '""', "[23963009]", '"0123"', '"0"'])
def test_a_pmid_of_the_wrong_shape(pmid: str) -> None:
    _, problems = parse_references(PATH, _one(f"pmid: {pmid}"))

    assert [(p.code, p.line) for p in problems] == [("E027", 6)]
    assert "'pmid'" in problems[0].message
    assert "digits only" in problems[0].message


# YAML 1.1 reads an unquoted 0123 as octal 83 and 0x1F as 31, which would pass as PMIDs that are not
# the ones written; so a PMID must be quoted, even one YAML would read correctly.
@pytest.mark.parametrize("pmid", ["0123", "0x1F", "23963009"])
def test_an_unquoted_pmid_is_refused(pmid: str) -> None:
    assert _problems(_one(f"pmid: {pmid}")) == [("E027", 6)]


def test_an_https_url() -> None:
    references, problems = parse_references(PATH, _one("url: https://example.org/a?b=c"))

    assert problems == []
    assert references["smith-2020"].url == "https://example.org/a?b=c"


@pytest.mark.parametrize(
    "url", ["http://example.org/a", "ftp://example.org/a", "//example.org/a", "example.org", "javascript:alert(1)"]
)
def test_a_url_that_is_not_https(url: str) -> None:
    _, problems = parse_references(PATH, _one(f"url: '{url}'"))

    assert [(p.code, p.line) for p in problems] == [("E023", 6)]
    assert "https://" in problems[0].message


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("authors", "Smith AB", "list of author names"),
        ("authors", "[]", "list of author names"),
        ("authors", "[Smith AB, '']", "list of author names"),
        ("title", "''", "expected text"),
        ("container", "[A, B]", "expected text"),
        ("year", "'2020'", "four-digit year"),
        ("year", "20", "four-digit year"),
        ("year", "3020", "four-digit year"),
        ("year", "true", "four-digit year"),
    ],
)
def test_a_required_field_with_a_wrong_value(field: str, value: str, says: str) -> None:
    _, problems = parse_references(PATH, _one(**{field: value}))

    assert [(p.code, p.line) for p in problems] == [("E023", 2 + list(REQUIRED).index(field))]
    assert f"'{field}'" in problems[0].message
    assert says in problems[0].message


def test_each_missing_required_field_is_reported_at_the_key() -> None:
    text = "alpha-2020:\n  authors: [A B]\n  title: T\n  container: C\n  year: 2020\nsmith-2020:\n  title: A paper\n"

    references, problems = parse_references(PATH, text)

    assert [(p.code, p.line) for p in problems] == [("E023", 6)] * 3
    assert {p.message for p in problems} == {
        "Reference 'smith-2020': required field 'authors' is missing.",
        "Reference 'smith-2020': required field 'container' is missing.",
        "Reference 'smith-2020': required field 'year' is missing.",
    }
    assert list(references) == ["alpha-2020"]


def test_an_unknown_field_is_reported_at_its_line() -> None:
    _, problems = parse_references(PATH, _one("jounral: Spine"))

    assert [(p.code, p.line) for p in problems] == [("E023", 6)]
    assert "'jounral'" in problems[0].message


def test_a_field_given_twice() -> None:
    assert _problems(_one("year: 2021")) == [("E023", 6)]


def test_a_reference_that_is_not_a_set_of_fields() -> None:
    assert _problems("smith-2020: Smith AB. A paper. 2020.\n") == [("E023", 1)]


@pytest.mark.parametrize("key", ["Smith-2020", "smith_2020", "smith--2020", "-smith", "smith 2020", "2020-", "smíth"])
def test_a_bad_citation_key(key: str) -> None:
    references, problems = parse_references(PATH, "\n" + _one(key=f'"{key}"'))

    assert [(p.code, p.line) for p in problems] == [("E022", 2)]
    assert "is not valid" in problems[0].message
    assert references == {}


def test_a_citation_key_given_twice_keeps_the_first() -> None:
    references, problems = parse_references(PATH, _one() + _one().replace("2020\n", "1999\n"))

    assert [(p.code, p.line, p.message) for p in problems] == [("E022", 6, "Citation key 'smith-2020' appears twice.")]
    assert references["smith-2020"].year == 2020


def test_one_bad_reference_does_not_hide_the_others() -> None:
    text = _one("doi: nope") + _one(key="jones-2021") + _one("url: http://x.org", key="brown-2019")

    references, problems = parse_references(PATH, text)

    assert [(p.code, p.line) for p in problems] == [("E027", 6), ("E023", 17)]
    assert list(references) == ["jones-2021"]
    assert references["jones-2021"].line == 7


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("smith-2020:\n  authors: [Smith AB]\n  title: Imaging: a review\n", 3),
        ("smith-2020:\n  authors: [Smith AB\n  title: A paper\n", 3),
        ("# comment\n\nsmith-2020:\n  title: 'unclosed\n  year: 2020\n", 6),
    ],
)
def test_yaml_that_does_not_parse(text: str, line: int) -> None:
    references, problems = parse_references(PATH, text)

    assert [(p.code, p.line) for p in problems] == [("E021", line)]
    assert problems[0].message.startswith("YAML error: ")
    assert references == {}


@pytest.mark.parametrize("text", ["- smith-2020\n- jones-2021\n", "just some words\n"])
def test_a_file_that_is_not_a_mapping(text: str) -> None:
    assert _problems(text) == [("E021", 1)]


@pytest.mark.parametrize("text", ["", "\n", "# nothing yet\n"])
def test_an_empty_bibliography_is_fine(text: str) -> None:
    assert parse_references(PATH, text) == ({}, [])


def test_a_doi_with_angle_brackets_links_percent_encoded() -> None:
    # Wiley's older DOIs (SICI) hold '<' and '>', which an address may not hold as they are.
    doi = "10.1002/1522-2586(200007)12:1<92::aid-jmri11>3.0.co;2-7"
    references, problems = parse_references(PATH, _one(f'doi: "{doi}"'))

    assert problems == []
    assert references["smith-2020"].doi == doi
    assert (
        references["smith-2020"].doi_url
        == "https://doi.org/10.1002/1522-2586(200007)12:1%3C92::aid-jmri11%3E3.0.co;2-7"
    )
