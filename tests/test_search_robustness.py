"""Whatever is typed into search, the page and the API answer with a well-formed 200, 302 or 400: never a 500.

Search turns the reader's text into an SQLite FTS5 expression and echoes it back
into HTML, so the risks are query syntax leaking into SQLite, crashes on unusual
Unicode (NUL, emoji, right-to-left text, combining marks), unbounded work on long
input, and the query reaching the page unescaped. Hypothesis throws all of these
at both endpoints; the examples below pin the cases a reader is likeliest to hit.
"""

from __future__ import annotations

import json

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_search_quality import result_slugs

LONG = 10_000
# FTS5 query syntax, SQL, awkward Unicode (NUL, right-to-left marks and text, a combining accent alone and
# on a letter, emoji, a byte-order mark, the engine's own snippet marker and alias separator) and a few words
# the index holds, so that joined pieces reach the query parser rather than stopping at unknown words.
PIECES = [
    "AND", "OR", "NOT", "NEAR(", "NEAR", "*", '"', "^", ":", "title:", "{title body}:", "(", ")", "-", "+",
    "'; DROP TABLE x; --", "docs MATCH", "rank", "myelogram", "tumour", "spinal cord", "mri", " ", ",", "'",
    "\x00", "\u202e", "\u200f", "שלום", "مرحبا", "e\u0301", "\u0301", "😀", "\ufeff", "\u2029", "\x02",
]  # fmt: skip
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</textarea><b>", "&lt;b&gt;"]
LIMITS = ["", "1", "8", "50", "0", "-1", "51", "1.5", "1e3", " 5", "+5", "05", "\u0663", "abc", "NaN", "9" * 40]

queries = st.one_of(
    st.text(max_size=250),  # any code point but surrogates, NUL included
    st.lists(st.sampled_from(PIECES), max_size=15).map("".join),
    st.lists(st.sampled_from(PIECES), max_size=15).map(" ".join),
    # one piece repeated up to LONG characters: around and far past the longest query searched
    st.builds(lambda piece, n: (piece * n)[:LONG], st.sampled_from(PIECES), st.integers(min_value=1, max_value=LONG)),
)
limits = st.one_of(st.none(), st.sampled_from(LIMITS), st.integers().map(str), st.text(max_size=8))
bounded = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def api_body(response: HttpResponse) -> dict:
    """The API's JSON, checked against the contract: results on 200, only an error on 400."""
    assert response.status_code in {200, 400}
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    if response.status_code == 400:
        assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]
        return body
    assert {"query", "results", "suggestion"} <= set(body)
    assert isinstance(body["query"], str) and (body["suggestion"] is None or isinstance(body["suggestion"], str))
    for item in body["results"]:
        assert {"slug", "title", "summary", "url", "category", "matched"} <= set(item)
        assert item["url"] == f"/terms/{item['slug']}/"
        assert item["matched"] in {"title", "alias", "summary", "body"}
    return body


@bounded
@given(query=queries)
def test_the_search_page_never_fails(client: Client, query: str) -> None:
    for params in ({"q": query}, {"q": query, "all": "1"}):
        response = client.get("/search/", params)
        assert response.status_code in {200, 302, 400}
        if response.status_code == 302:
            assert "all" not in params and response["Location"].startswith("/terms/")


@bounded
@given(query=queries, limit=limits)
def test_the_search_api_always_answers_the_contract(client: Client, query: str, limit: str | None) -> None:
    params = {"q": query} if limit is None else {"q": query, "limit": limit}
    body = api_body(client.get("/api/search/", params))
    if "results" in body and limit:
        assert len(body["results"]) <= int(limit)


@bounded
@given(before=st.text(max_size=40), payload=st.sampled_from(PAYLOADS), after=st.text(max_size=40))
def test_the_query_reaches_the_page_only_escaped(client: Client, before: str, payload: str, after: str) -> None:
    response = client.get("/search/", {"q": f"{before}{payload}{after}", "all": "1"})
    html = response.content.decode()
    assert response.status_code in {200, 400}
    assert payload not in html
    if response.status_code == 200:
        assert escape(payload) in html  # shown back to the reader, in the search box at least


@pytest.mark.parametrize(
    "query",
    ["AND beta", '"beta', "bet*", "title:beta", "beta OR", "NOT beta", "(beta",
     "^beta", "beta'; DROP TABLE docs; --", "beta NEAR(scan)", "{title body}: beta"],
)  # fmt: skip
def test_query_syntax_is_read_as_plain_words(client: Client, query: str) -> None:
    """A reader who types FTS5 or SQL syntax still finds the entry named among it, on the page and in the API."""
    page = client.get("/search/", {"q": query, "all": "1"})
    assert page.status_code == 200
    assert "beta-scan" in result_slugs(page.content.decode())[:3]
    body = api_body(client.get("/api/search/", {"q": query, "limit": "3"}))
    assert "beta-scan" in [item["slug"] for item in body["results"]]


@pytest.mark.parametrize("query", ["NEAR", "AND", "OR NOT", "*", '"', "(", ":", "-", "+"])
def test_bare_operators_are_words_not_errors(client: Client, query: str) -> None:
    assert client.get("/search/", {"q": query, "all": "1"}).status_code == 200
    assert "results" in api_body(client.get("/api/search/", {"q": query}))


def test_an_overlong_query_is_refused_with_a_reason(client: Client) -> None:
    query = "beta scan " * (LONG // 10)
    page = client.get("/search/", {"q": query})
    assert page.status_code == 400
    assert "200 characters" in page.content.decode()
    body = api_body(client.get("/api/search/", {"q": query}))
    assert "200 characters" in body["error"]


def test_a_query_of_exactly_the_longest_length_is_searched(client: Client) -> None:
    assert client.get("/api/search/", {"q": "m" * 200}).status_code == 200
    assert client.get("/api/search/", {"q": "m" * 201}).status_code == 400


@pytest.mark.parametrize("limit", ["abc", "0", "-1", "1.5", "51", "9" * 40, "\u0663", " 5"])
def test_a_bad_limit_is_refused_with_a_reason(client: Client, limit: str) -> None:
    body = api_body(client.get("/api/search/", {"q": "beta", "limit": limit}))
    assert "limit" in body["error"]


@pytest.mark.parametrize(("limit", "most"), [("1", 1), ("3", 3), ("50", 50)])
def test_a_good_limit_bounds_the_results(client: Client, limit: str, most: int) -> None:
    body = api_body(client.get("/api/search/", {"q": "scan", "limit": limit}))
    assert 1 <= len(body["results"]) <= most
