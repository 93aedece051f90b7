"""Each page type of the site, on the small valid fixture glossary and on the bundled content."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.conftest import FIXTURES
from tests.html_tools import facts

DISCLAIMER = "Information, not medical advice."


@pytest.fixture
def fixture_site(use_content) -> Client:
    use_content(FIXTURES / "valid")
    return Client()


def test_home_has_search_letters_and_categories(fixture_site: Client) -> None:
    response = fixture_site.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in html and '<label for="site-search">' in html
    assert 'href="/terms/#letter-a"' in html and 'href="/terms/#letter-b"' in html
    assert 'href="/terms/#letter-z"' not in html  # no entry starts with Z
    assert 'href="/categories/imaging-test/">Scans and tests</a> <span class="count">(1 term)' in html
    assert "/categories/treatment/" not in html  # empty categories are not offered
    assert DISCLAIMER in html


def test_a_to_z_groups_entries_under_letter_anchors(fixture_site: Client) -> None:
    page = facts(fixture_site.get("/terms/").content.decode())
    assert {"letter-a", "letter-b", "letter-g"} <= set(page.ids)
    assert [link for link in page.links if link.startswith("/terms/") and link != "/terms/" and "#" not in link] == [
        "/terms/alpha-term/",
        "/terms/beta-scan/",
        "/terms/gamma-finding/",
    ]


def test_entry_page_shows_every_part(fixture_site: Client) -> None:
    html = fixture_site.get("/terms/alpha-term/").content.decode()
    assert "<h1>Alpha term</h1>" in html
    assert '<span class="pronunciation">AL-fa term</span>' in html
    assert "Also called:</span> alpha, alfa term" in html
    assert "The alpha term is a test entry. It links to the others." in html
    assert '<a href="#what-it-is">What it is</a>' in html and '<h2 id="what-it-is">' in html
    assert "Made up for the tests." in html  # etymology
    assert "A beta scan is a made-up test." in html  # related entry shown with its summary
    assert 'id="mentioned-in"' in html and 'href="/terms/beta-scan/">Beta scan</a></li>' in html
    assert 'href="/categories/anatomy/">Parts of the spine</a>' in html
    assert DISCLAIMER in html


def test_entry_references_are_numbered_and_linked(fixture_site: Client) -> None:
    html = fixture_site.get("/terms/alpha-term/").content.decode()
    cited = html.index('id="ref-smith-2020"')
    further = html.index('id="ref-jones-2021"')
    assert cited < further  # cited inline first, then front-matter references
    assert 'href="https://doi.org/10.1000/fixture.2020"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345678/"' in html
    assert 'href="/references/smith-2020/"' in html


def test_review_status_names_the_reviewer_or_says_not_reviewed(fixture_site: Client) -> None:
    reviewed = fixture_site.get("/terms/alpha-term/").content.decode()
    assert '<time datetime="2026-01-15">15 January 2026</time> by Test Reviewer, test role' in reviewed
    assert "has not yet been clinically reviewed" in fixture_site.get("/terms/beta-scan/").content.decode()


def test_category_page_lists_its_entries_and_unknown_category_is_404(fixture_site: Client) -> None:
    html = fixture_site.get("/categories/imaging-finding/").content.decode()
    assert 'href="/terms/gamma-finding/"' in html and "/terms/alpha-term/" not in html
    assert fixture_site.get("/categories/treatment/").status_code == 200
    assert fixture_site.get("/categories/nonsense/").status_code == 404


def test_reference_pages_list_citing_entries(fixture_site: Client) -> None:
    index = fixture_site.get("/references/").content.decode()
    assert "Cited in 2 entries" in index
    detail = fixture_site.get("/references/jones-2021/").content.decode()
    assert 'href="/terms/alpha-term/"' in detail and 'href="/terms/beta-scan/"' in detail
    assert fixture_site.get("/references/unknown-2000/").status_code == 404


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/terms/Alpha-Term/", "/terms/alpha-term/"),
        ("/terms/alfa-term/", "/terms/alpha-term/"),
        ("/terms/BSC/", "/terms/beta-scan/"),
        ("/terms/beta_scan/", "/terms/beta-scan/"),
        ("/terms/alpha-term", "/terms/alpha-term/"),
    ],
)
def test_other_names_redirect_permanently_to_the_canonical_page(fixture_site: Client, path: str, target: str) -> None:
    response = fixture_site.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


def test_not_found_page_offers_search_and_closest_terms(fixture_site: Client) -> None:
    response = fixture_site.get("/terms/alpah-trem/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'role="search"' in html and 'href="/terms/alpha-term/"' in html
    assert fixture_site.get("/no/such/page/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/terms/%00/",
        "/terms/%F0%9F%98%80/",
        "/terms/" + "a" * 5000 + "/",
        "/terms/..%2F..%2Fetc%2Fpasswd/",
        "/references/%3Cscript%3E/",
        "/figures/..%2Fterms%2Falpha-term.md",
        "/api/terms/%00/",
        "/categories/%E2%80%AE/",
        "/search/?q=%00%00",
        "/search/?q=" + "x" * 10000,
    ],
)
def test_strange_requests_never_get_a_server_error(fixture_site: Client, path: str) -> None:
    assert fixture_site.get(path).status_code < 500


def test_search_escapes_what_the_reader_typed(fixture_site: Client) -> None:
    html = fixture_site.get("/search/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_api_term_preview(fixture_site: Client) -> None:
    response = fixture_site.get("/api/terms/alpha-term/")
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "slug": "alpha-term",
        "title": "Alpha term",
        "summary": "The alpha term is a test entry. It links to the others.",
        "url": "/terms/alpha-term/",
        "category": "anatomy",
        "pronunciation": "AL-fa term",
        "aliases": ["alpha", "alfa term"],
        "urgent": None,
    }
    missing = fixture_site.get("/api/terms/nothing/")
    assert missing.status_code == 404 and "error" in json.loads(missing.content)


def test_figures_are_served_from_the_content_folder_only(fixture_site: Client) -> None:
    response = fixture_site.get("/figures/box.svg")
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)
    assert fixture_site.get("/figures/missing.svg").status_code == 404


def test_healthz_and_no_cookies(fixture_site: Client) -> None:
    response = fixture_site.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok: 3 entries\n"
    for path in ["/", "/terms/alpha-term/", "/search/?q=x", "/nope/"]:
        assert not fixture_site.get(path).cookies


def test_only_safe_methods(fixture_site: Client) -> None:
    assert fixture_site.post("/terms/alpha-term/").status_code == 405
