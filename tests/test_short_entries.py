"""Short entries for the words of a report, their word forms, and urgent-help boxes (tests/fixtures/report-words)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from glossary.content.loader import load
from tests.conftest import FIXTURES

WORDS = FIXTURES / "report-words"


@pytest.fixture
def site(use_content) -> Client:
    use_content(WORDS)
    return Client()


def test_short_entries_need_no_sources_or_links_and_raise_no_warnings() -> None:
    result = load(WORDS)

    assert [str(problem) for problem in result.problems] == []
    assert result.glossary is not None
    assert result.glossary.pages["level"].entry.is_short


def test_a_form_of_several_words_is_linked_in_another_entry_and_a_one_word_form_is_not(site: Client) -> None:
    html = site.get("/terms/disc-trouble/").content.decode()

    assert '<a class="term-link" data-term="hyperintense" href="/terms/hyperintense/">bright spot</a>' in html
    assert "two hyperintensities at" in html  # one-word forms are for search and the report reader


def test_a_report_word_that_is_an_everyday_word_is_not_linked_in_prose(site: Client) -> None:
    html = site.get("/terms/disc-trouble/").content.decode()

    assert "at one level of the disc" in html and 'data-term="level"' not in html


@pytest.mark.parametrize("query", ["hyperintensity", "Hyperintensities", "hyperintense"])
def test_search_finds_a_short_entry_by_its_forms(site: Client, query: str) -> None:
    found = json.loads(site.get("/api/search/", {"q": query}).content)["results"]

    assert found[0]["slug"] == "hyperintense"


def test_a_short_entry_page_is_compact_and_says_what_kind_it_is(site: Client) -> None:
    html = site.get("/terms/hyperintense/").content.decode()

    assert 'class="entry short-entry"' in html
    assert "Words used in reports" in html
    assert "a small T2 hyperintensity in the cord" in html
    assert 'id="mentioned-in"' not in html  # disc-trouble mentions it; a report word's page does not list them
    assert "Also called:</span> high signal<" in html  # forms are found, never shown


def test_a_word_form_shares_the_uniqueness_of_names(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "terms").mkdir()
    (content / "references.yaml").write_text("")
    for slug, forms in (("one", "[shared form]"), ("two", "[Shared Form]")):
        (content / "terms" / f"{slug}.md").write_text(
            f"---\ntitle: {slug}\nsummary: A test word.\ncategory: report-language\nforms: {forms}\n---\n"
        )

    [clash] = [problem for problem in load(content).problems if problem.code == "E011"]
    assert (clash.path.name, clash.line) == ("two.md", 5)
    assert "'Shared Form' is already a name of 'one'" in clash.message


def test_the_urgent_box_is_a_labelled_note_with_its_title(site: Client) -> None:
    html = site.get("/terms/disc-trouble/").content.decode()

    box = html[html.index('<div aria-label="Get help now" class="urgent" role="note">') :]
    box = box[: box.index("</div>")]
    assert '<p class="urgent-title">Get help now</p>' in box
    assert "<strong>Call 999 or go to A&amp;E now</strong> if both legs go weak." in box
    assert "[!URGENT]" not in html
    assert "<blockquote>" in html and "A quotation is not a box." in html  # an ordinary quotation stays one


def test_the_preview_api_carries_the_urgent_text(site: Client) -> None:
    urgent = json.loads(site.get("/api/terms/disc-trouble/").content)["urgent"]
    plain = json.loads(site.get("/api/terms/hyperintense/").content)["urgent"]

    assert urgent == "Call 999 or go to A&E now if both legs go weak."
    assert plain is None


def test_newterm_writes_a_short_entry_with_an_example_to_fill_in(tmp_path: Path, use_content) -> None:
    content = tmp_path / "content"
    (content / "terms").mkdir(parents=True)
    (content / "references.yaml").write_text("")
    use_content(content)
    call_command("newterm", "Effacement", "--category", "report-language", stdout=StringIO())

    draft = (content / "terms" / "effacement.md").read_text()
    assert "category: report-language" in draft and "## " not in draft.split("---")[-1]
    assert {problem.code for problem in load(content).errors} == {"E028"}  # the guidance must be replaced
