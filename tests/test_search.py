"""Search behaviour, end to end through Django: the results page, the JSON API and the folds behind them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from glossary.content.loader import load
from glossary.search.engine import MAX_QUERY, SearchIndex
from glossary.search.textfold import content_words, name_key, word_key
from glossary.serving import store
from glossary.web.api import TYPEAHEAD_BYTES, encode, shorten
from tests.conftest import FIXTURES
from tests.html_tools import facts


@pytest.fixture
def fixture_site(use_content) -> Client:
    use_content(FIXTURES / "valid")
    return Client()


@pytest.fixture
def site(use_content) -> Client:
    """Stub entries under real names, with the spellings and word forms readers type (tests/fixtures/search/)."""
    use_content(FIXTURES / "search")
    return Client()


def _results(client: Client, query: str, **params: str) -> list[str]:
    """Entry links in the results list, in order."""
    html = client.get("/search/", {"q": query, "all": "1", **params}).content.decode()
    body = html.split('<ol class="results">', 1)[1].split("</ol>", 1)[0] if 'class="results"' in html else ""
    return [link for link in facts(body).links if link.startswith("/terms/")]


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("tumour", "tumor"),
        ("tumours", "tumors"),
        ("oedema", "edema"),
        ("haemorrhage", "hemorrhage"),
        ("paediatric", "pediatric"),
        ("centre", "center"),
        ("fibres", "fibers"),
        ("localised", "localized"),
        ("paralysed", "paralyzed"),
        ("catalogue", "catalog"),
        ("disc", "disk"),
        ("coeliac", "celiac"),
        ("anaemia", "anemia"),
        ("colouring", "coloring"),
    ],
)
def test_british_and_american_spellings_share_a_key(british: str, american: str) -> None:
    assert word_key(british) == word_key(american)


@pytest.mark.parametrize(("one", "other"), [("four", "for"), ("does", "dos"), ("hour", "hor"), ("disc", "dice")])
def test_short_and_unrelated_words_keep_apart(one: str, other: str) -> None:
    assert word_key(one) != word_key(other)


def test_names_meet_across_hyphens_case_plurals_and_spelling() -> None:
    assert name_key("Intra-medullary TUMORS") == name_key("intramedullary tumour")
    assert name_key("intermedulary tumor") == name_key("Intermedullary tumour")
    assert name_key("X-ray") == name_key("xray")


def test_question_words_are_dropped_unless_nothing_else_is_left() -> None:
    assert content_words("What is a myelogram?") == ["myelogram"]
    assert content_words("what is") == ["what", "is"]


def test_exact_name_goes_straight_to_the_entry_with_a_way_back(site: Client) -> None:
    response = site.get("/search/", {"q": "Myelogram"})
    assert response.status_code == 302
    assert response["Location"] == "/terms/myelogram/?q=Myelogram"
    entry = site.get(response["Location"]).content.decode()
    assert 'href="/search/?q=Myelogram&amp;all=1"' in entry


@pytest.mark.parametrize("query", ["intramedullary tumor", "Intra-medullary tumour", "intermedullary tumor", "CSM"])
def test_aliases_and_spellings_of_a_name_also_go_straight_to_the_entry(site: Client, query: str) -> None:
    response = site.get("/search/", {"q": query})
    assert response.status_code == 302
    entries = {"/terms/intramedullary-tumour/", "/terms/degenerative-cervical-myelopathy/"}
    assert response["Location"].split("?")[0] in entries


def test_all_results_lists_instead_of_redirecting(site: Client) -> None:
    response = site.get("/search/", {"q": "myelogram", "all": "1"})
    assert response.status_code == 200
    assert _results(site, "myelogram")[0] == "/terms/myelogram/"
    assert len(_results(site, "myelogram")) > 1  # entries that mention it follow


def test_misspelt_query_is_corrected_with_a_link_to_search_as_typed(site: Client) -> None:
    html = site.get("/search/", {"q": "mielogram"}).content.decode()
    assert "Showing results for <strong>myelogram</strong>" in html
    assert 'href="/search/?q=mielogram&amp;as_typed=1"' in html
    assert _results(site, "mielogram")[0] == "/terms/myelogram/"
    as_typed = site.get("/search/", {"q": "mielogram", "as_typed": "1"}).content.decode()
    assert "Showing results for" not in as_typed


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("tumors", "intramedullary-tumour"),
        ("spinal cord edema", "spinal-cord-oedema"),
        ("hemorrhage in the cord", "haemorrhage"),
        ("herniated discs", "herniated-disc"),
        ("what is myelomalacia", "myelomalacia"),
        ("syrinks", "syrinx"),
        ("myelo", "myelogram"),
    ],
)
def test_word_forms_spellings_and_prefixes_find_the_entry(site: Client, query: str, slug: str) -> None:
    assert f"/terms/{slug}/" in _results(site, query)[:3]


def test_snippets_mark_the_matched_words_and_escape_the_text(fixture_site: Client) -> None:
    html = fixture_site.get("/search/", {"q": "heading", "all": "1"}).content.decode()
    assert "<mark>heading</mark>" in html
    assert "/terms/gamma-finding/" in html


def test_no_results_offers_closest_terms_and_browsing(fixture_site: Client) -> None:
    html = fixture_site.get("/search/", {"q": "gamna fidning", "as_typed": "1"}).content.decode()
    page = facts(html)
    assert "0 results" in html
    assert "/terms/gamma-finding/" in page.links  # closest by likeness of name
    assert "/terms/" in page.links and "/categories/imaging-finding/" in page.links


def test_overlong_query_is_a_clear_400(site: Client) -> None:
    response = site.get("/search/", {"q": "x" * (MAX_QUERY + 1)})
    assert response.status_code == 400
    assert f"up to {MAX_QUERY} characters" in response.content.decode()


def test_api_returns_the_contract_shape_in_rank_order(fixture_site: Client) -> None:
    response = fixture_site.get("/api/search/", {"q": "beta", "limit": "5"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["query"] == "beta" and body["suggestion"] is None
    assert 1 <= len(body["results"]) <= 5
    first = body["results"][0]
    assert {"slug", "title", "summary", "url", "category", "matched"} <= set(first)
    assert first["slug"] == "beta-scan" and first["url"] == "/terms/beta-scan/" and first["matched"] == "title"


def test_api_names_the_alias_that_matched(site: Client) -> None:
    first = json.loads(site.get("/api/search/", {"q": "slipped"}).content)["results"][0]
    assert (first["slug"], first["matched"], first["alias"]) == ("herniated-disc", "alias", "slipped disc")


def test_api_suggests_a_corrected_query(site: Client) -> None:
    body = json.loads(site.get("/api/search/", {"q": "myelogarm tset", "snippets": "1"}).content)
    assert body["suggestion"] == "myelogram test"
    assert body["results"][0]["slug"] == "myelogram"
    assert "<mark>" in "".join(r["snippet"] for r in body["results"])


def test_api_empty_query_has_no_results(site: Client) -> None:
    assert json.loads(site.get("/api/search/", {"q": "  "}).content) == {"query": "", "results": [], "suggestion": None}


@pytest.mark.parametrize("limit", ["0", "-1", "51", "abc", "1e3", "²"])
def test_api_rejects_a_bad_limit_with_a_message(site: Client, limit: str) -> None:
    response = site.get("/api/search/", {"q": "myelo", "limit": limit})
    assert response.status_code == 400
    assert "limit" in json.loads(response.content)["error"]


def test_api_limit_caps_the_results(site: Client) -> None:
    assert len(json.loads(site.get("/api/search/", {"q": "spinal", "limit": "2"}).content)["results"]) == 2


def test_index_is_rebuilt_with_the_content(use_content) -> None:
    use_content(FIXTURES / "valid")
    small = store.search_index()
    use_content(FIXTURES / "search")
    assert store.search_index() is not small
    assert store.search_index().search("myelogram").exact is not None


def test_typeahead_answers_stay_small_by_shortening_summaries(site: Client) -> None:
    response = site.get("/api/search/", {"q": "spinal", "limit": "8"})
    body = json.loads(response.content)
    assert len(body["results"]) == 8
    assert len(response.content) <= TYPEAHEAD_BYTES
    assert any(item["summary"].endswith("…") for item in body["results"])
    full = json.loads(site.get("/api/search/", {"q": "spinal", "limit": "8", "snippets": "1"}).content)
    assert not any(item["summary"].endswith("…") for item in full["results"])


@pytest.mark.parametrize("limit", [0, 5, 11, 40, 60])
@pytest.mark.parametrize(
    "text",
    [
        "A myelogram is a test where dye is put into the fluid around the spinal cord.",
        'A "slipped" disc is a "bulge" of a disc\\s "jelly" into the "canal" near a nerve.',
    ],
)
def test_shorten_cuts_after_a_word_within_the_budget_as_json(text: str, limit: int) -> None:
    """The budget is the bytes the JSON holds, so the quotes and backslashes it escapes count twice."""
    short = shorten(text, limit)
    assert len(encode(short)) - 2 <= limit
    assert short == "" or (short.endswith("…") and text.startswith(short[:-1]) and text[len(short) - 1] == " ")


def _entries(folder: Path, titles: dict[str, str], body: str = "Nothing more.") -> Path:
    """A content folder holding one entry per slug and title."""
    terms = folder / "terms"
    terms.mkdir()
    (folder / "references.yaml").write_text("")
    for slug, title in titles.items():
        front = f"---\ntitle: {title}\nsummary: A test entry about {title.lower()}.\ncategory: anatomy\n---\n\n"
        (terms / f"{slug}.md").write_text(front + body + "\n")
    return folder


def test_a_typeahead_answer_with_long_names_and_a_long_query_leaves_off_results_to_fit(
    use_content, tmp_path: Path
) -> None:
    long = (
        "narrowing of the bony canal and a fluid filled cavity in the lower back and the base of the spine"
        " near the sacrum and the tailbone at the very bottom of the spinal column"
    )
    use_content(_entries(tmp_path, {f"long-name-{n}": f"{long.capitalize()} number {n}" for n in range(10)}))

    response = Client().get("/api/search/", {"q": long, "limit": "8"})

    results = json.loads(response.content)["results"]
    assert len(response.content) <= TYPEAHEAD_BYTES
    assert 1 <= len(results) < 8
    assert all(item["title"].startswith(long.capitalize()) for item in results)


def test_typeahead_offers_the_entries_a_question_names(tmp_path: Path) -> None:
    """'what does effacement mean on my scan' names Effacement, though no name starts with the question."""
    titles = {"effacement": "Effacement", "scan": "Scan"} | {f"finding-{n}": f"Finding {n}" for n in range(9)}
    glossary = load(_entries(tmp_path, titles, "Effacement seen on a scan, and effacement mean again.")).glossary
    assert glossary is not None

    hits = SearchIndex(glossary).suggest("what does effacement mean on my scan").hits

    assert [hit.slug for hit in hits[:2]] == ["effacement", "scan"]


def test_a_question_puts_the_entries_it_names_near_the_top(tmp_path) -> None:
    """Other entries may use every word of 'effacement of the thecal sac' more often than Effacement itself does;
    the entries the question names by a run of its words still come right after the best full-text answer."""
    terms = tmp_path / "terms"
    terms.mkdir()
    (tmp_path / "references.yaml").write_text("")

    def entry(slug: str, title: str, body: str) -> None:
        front = f"---\ntitle: {title}\nsummary: A test entry about {title.lower()}.\ncategory: anatomy\n---\n\n"
        (terms / f"{slug}.md").write_text(front + body + "\n")

    entry("effacement", "Effacement", "Something presses a space flat.")
    entry("thecal-sac", "Thecal sac", "The sac of fluid around the nerves.")
    for n in range(4):
        entry(f"finding-{n}", f"Finding {n}", "Effacement of the thecal sac, and effacement of the sac again. " * 3)
    glossary = load(tmp_path).glossary
    assert glossary is not None

    slugs = [hit.page.entry.slug for hit in SearchIndex(glossary).search("effacement of the thecal sac").hits]

    assert {"effacement", "thecal-sac"} <= set(slugs[:3])


def test_a_suggestion_found_in_a_body_shows_its_summary_not_a_passage(tmp_path: Path) -> None:
    """The typeahead does not cut passages out of bodies (a suggestion shows none); its hit says where it matched."""
    glossary = load(_entries(tmp_path, {"gamma": "Gamma"}, "The word quokka is only in this body.")).glossary
    assert glossary is not None
    index = SearchIndex(glossary)

    suggested = index.suggest("quokka").hits
    searched = index.search("quokka").hits

    assert [(hit.slug, hit.matched, str(hit.snippet)) for hit in suggested] == [
        ("gamma", "body", "A test entry about gamma.")
    ]
    assert "<mark>quokka</mark>" in searched[0].snippet
