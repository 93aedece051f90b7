"""HTTP caching (glossary/web/caching.py): validators, 304s, Cache-Control, pages kept in memory per load."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils.http import http_date, parse_http_date

from glossary.web import caching, views
from tests.conftest import FIXTURES

PAGES = [
    "/",
    "/terms/",
    "/terms/alpha-term/",
    "/categories/anatomy/",
    "/references/",
    "/references/smith-2020/",
    "/api/terms/alpha-term/",
    "/feed/",
    "/robots.txt",
]
PAGE_CACHE_CONTROL = {"public", "max-age=300"}


def _directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.fixture
def site(use_content: Callable[[Path], Path], tmp_path: Path) -> Path:
    """A copy of the valid fixture, served; the memory of rendered pages starts empty."""
    content = use_content(shutil.copytree(FIXTURES / "valid", tmp_path / "content"))
    caching.forget()
    return content


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_validators_and_may_be_cached_for_five_minutes(site: Path, client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert parse_http_date(response["Last-Modified"])
    assert _directives(response) == PAGE_CACHE_CONTROL


@pytest.mark.parametrize("path", PAGES)
def test_a_conditional_get_with_the_etag_is_not_modified(site: Path, client: Client, path: str) -> None:
    etag = client.get(path)["ETag"]
    response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert _directives(response) == PAGE_CACHE_CONTROL  # a revalidated copy is good for another five minutes
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_a_conditional_get_with_the_date_is_not_modified(site: Path, client: Client, path: str) -> None:
    last_modified = client.get(path)["Last-Modified"]
    assert client.get(path, headers={"If-Modified-Since": last_modified}).status_code == 304
    earlier = http_date(parse_http_date(last_modified) - 1)
    assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200


def test_a_304_renders_nothing(site: Path, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    etag = client.get("/terms/beta-scan/", {"q": "beta"})["ETag"]
    caching.queries.clear()  # so the 304 is made by the view's validators, not by a kept answer
    monkeypatch.setattr(views, "render", _must_not_render)
    assert client.get("/terms/beta-scan/", {"q": "beta"}, headers={"If-None-Match": etag}).status_code == 304


def test_the_etag_changes_when_the_content_changes(use_content: Callable[[Path], Path], tmp_path: Path) -> None:
    first = shutil.copytree(FIXTURES / "valid", tmp_path / "first")
    second = shutil.copytree(FIXTURES / "valid", tmp_path / "second")
    # Only another entry changes: alpha-term's page shows beta-scan's summary among its related entries.
    _edit(second / "terms" / "beta-scan.md", "A beta scan is a made-up test.", "A beta scan is an invented test.")
    client = Client()

    use_content(first)
    before = client.get("/terms/alpha-term/")
    use_content(second)
    after = client.get("/terms/alpha-term/")
    assert "A beta scan is an invented test." in after.content.decode()
    assert before["ETag"] != after["ETag"]
    assert client.get("/terms/alpha-term/", headers={"If-None-Match": before["ETag"]}).status_code == 200

    use_content(first)  # the same content again: the same version, as on another server of the release
    assert client.get("/terms/alpha-term/")["ETag"] == before["ETag"]


def test_the_etag_changes_with_the_date_as_an_entry_says_when_it_was_accessed(
    site: Path, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = caching._today()
    etag = client.get("/terms/alpha-term/")["ETag"]
    monkeypatch.setattr(caching, "_today", lambda: today + timedelta(days=1))
    caching.forget()
    assert client.get("/terms/alpha-term/")["ETag"] != etag


def test_each_query_string_has_its_own_etag(site: Path, client: Client) -> None:
    plain = client.get("/terms/alpha-term/")["ETag"]
    from_search = client.get("/terms/alpha-term/", {"q": "alpha"})
    assert "You searched for <q>alpha</q>" in from_search.content.decode()
    assert from_search["ETag"] != plain
    assert client.get("/search/", {"q": "beta"})["ETag"] != client.get("/search/", {"q": "gamma"})["ETag"]


@pytest.mark.parametrize(
    "path",
    ["/search/?q=beta", "/search/?q=alpha&all=1", "/api/search/?q=al", "/api/search/?q=al&snippets=1", "/sitemap.xml"],
)
def test_answers_that_read_the_query_string_may_be_cached_and_revalidated(
    site: Path, client: Client, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert _directives(response) == PAGE_CACHE_CONTROL
    assert client.get(path, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_a_figure_keeps_its_own_policy_when_revalidated(site: Path, client: Client) -> None:
    response = client.get("/figures/box.svg")
    assert response.status_code == 200 and _directives(response) == PAGE_CACHE_CONTROL
    revalidated = client.get("/figures/box.svg", headers={"If-None-Match": response["ETag"]})
    assert revalidated.status_code == 304
    # A browser updates its copy's headers from a 304: the site's policy must not replace the figure's.
    assert "Content-Security-Policy" not in revalidated


def test_healthz_is_never_stored(site: Path, client: Client) -> None:
    response = client.get("/healthz")
    assert "no-store" in _directives(response)
    assert not response.has_header("ETag") and not response.has_header("Last-Modified")


def test_a_404_is_kept_one_minute(site: Path, client: Client) -> None:
    for path in ("/terms/no-such-term/", "/no/such/page/", "/api/terms/no-such-term/"):
        response = client.get(path)
        assert response.status_code == 404
        assert _directives(response) == {"public", "max-age=60"}, path


def test_an_alias_redirect_is_kept_five_minutes(site: Path, client: Client) -> None:
    response = client.get("/terms/alpha/")
    assert response.status_code == 301 and response["Location"] == "/terms/alpha-term/"
    assert _directives(response) == PAGE_CACHE_CONTROL


def test_a_kept_page_is_the_page_rendered_afresh(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client()
    fresh = {path: client.get(path) for path in PAGES}
    monkeypatch.setattr(views, "render", _must_not_render)  # every answer below comes from memory
    for path, first in fresh.items():
        kept = client.get(path)
        assert kept.status_code == 200
        assert kept.content == first.content, path
        assert dict(kept.headers) == dict(first.headers), path


def test_a_kept_page_still_refuses_other_methods(site: Path, client: Client) -> None:
    client.get("/terms/alpha-term/")  # kept
    response = client.post("/terms/alpha-term/")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert client.head("/terms/alpha-term/").status_code == 200


def test_a_page_reached_from_search_is_kept_apart_from_the_plain_page(site: Path, client: Client) -> None:
    client.get("/terms/alpha-term/")  # kept
    from_search = client.get("/terms/alpha-term/", {"q": "alfa term"}).content.decode()
    assert "You searched for <q>alfa term</q>" in from_search and 'value="alfa term"' in from_search
    later = client.get("/terms/alpha-term/").content.decode()
    assert "You searched for" not in later and 'value=""' in later
    again = client.get("/terms/alpha-term/", {"q": "alpha trm"}).content.decode()
    assert 'value="alpha trm"' in again and 'value="alfa term"' not in again


@pytest.mark.parametrize(
    "path",
    ["/search/?q=beta", "/search/?q=alpha&all=1", "/api/search/?q=al", "/api/search/?q=al&snippets=1", "/sitemap.xml"],
)
def test_answers_to_queries_are_kept_under_their_query_string(
    site: Path, client: Client, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    first = client.get(path)
    monkeypatch.setattr(views, "search_payload", _must_not_render)
    monkeypatch.setattr(views, "render", _must_not_render)
    monkeypatch.setattr(caching, "_etag", _must_not_render)  # not even the view's validators run
    kept = client.get(path)
    assert kept.content == first.content and dict(kept.headers) == dict(first.headers)
    assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_another_query_string_is_another_answer(site: Path, client: Client) -> None:
    beta = client.get("/api/search/", {"q": "beta"}).json()
    alpha = client.get("/api/search/", {"q": "alpha"}).json()
    assert beta != alpha
    assert client.get("/api/search/", {"q": "beta"}).json() == beta
    assert len(caching.queries) == 2 and len(caching.pages) == 0


def test_answers_to_queries_cannot_push_pages_out(site: Path, client: Client, monkeypatch) -> None:
    client.get("/terms/alpha-term/")
    monkeypatch.setattr(caching.queries, "_max_bytes", 1)  # every new query answer pushes the last out
    for word in ("alpha", "beta", "scan", "term"):
        assert client.get("/api/search/", {"q": word}).status_code == 200
    assert len(caching.queries) == 0
    assert len(caching.pages) == 1


def test_other_query_parameters_are_served_from_memory(site: Path, client: Client, monkeypatch) -> None:
    first = client.get("/terms/alpha-term/")
    monkeypatch.setattr(views, "render", _must_not_render)
    assert client.get("/terms/alpha-term/", {"utm_source": "letter"}).content == first.content


def test_absolute_urls_follow_the_host_and_scheme(site: Path, client: Client) -> None:
    plain = client.get("/terms/alpha-term/").content.decode()
    other_host = client.get("/terms/alpha-term/", headers={"Host": "localhost"}).content.decode()
    secure = client.get("/terms/alpha-term/", secure=True).content.decode()
    assert '<link rel="canonical" href="http://testserver/terms/alpha-term/">' in plain
    assert '<link rel="canonical" href="http://localhost/terms/alpha-term/">' in other_host
    assert '<link rel="canonical" href="https://testserver/terms/alpha-term/">' in secure


def test_pages_of_an_earlier_load_are_dropped(use_content: Callable[[Path], Path], tmp_path: Path) -> None:
    use_content(FIXTURES / "valid")
    client = Client()
    client.get("/terms/alpha-term/")
    client.get("/terms/beta-scan/")
    assert len(caching.pages) == 2
    use_content(shutil.copytree(FIXTURES / "valid", tmp_path / "other"))
    client.get("/terms/alpha-term/")
    assert len(caching.pages) == 1


def test_the_memory_is_bounded_least_recently_used_first_out(monkeypatch: pytest.MonkeyPatch) -> None:
    memory = caching.PageMemory(25)
    ten = caching.Kept(b"x" * 10, {}, None, None)
    for name in ("a", "b"):
        memory.put(("v1", "http", "host", name), ten)
    assert memory.get(("v1", "http", "host", "a")) is not None  # now b is the least recently used
    memory.put(("v1", "http", "host", "c"), ten)
    assert memory.get(("v1", "http", "host", "b")) is None
    assert memory.get(("v1", "http", "host", "a")) is not None and memory.size == 20
    memory.put(("v2", "http", "host", "a"), caching.Kept(b"y", {}, None, None))  # a new version drops the rest
    assert len(memory) == 1 and memory.size == 1


def test_kept_pages_answer_below_the_rules_every_request_needs_and_above_the_page_headers() -> None:
    from django.conf import settings

    order = settings.MIDDLEWARE
    kept = order.index("glossary.web.caching.KeptPagesMiddleware")
    for first in ("SecurityMiddleware", "WhiteNoiseMiddleware", "SiteSecurityMiddleware"):
        assert any(name.endswith(first) for name in order[:kept]), first
    for replayed in ("CSPMiddleware", "XFrameOptionsMiddleware", "CommonMiddleware", "ContentErrorMiddleware"):
        assert any(name.endswith(replayed) for name in order[kept + 1 :]), replayed


def test_a_page_holding_a_nonce_is_not_kept(site: Path, rf) -> None:
    request = rf.get("/")
    request._csp_nonce = "made-for-this-request"
    assert not caching._keepable(request, views.HttpResponse(b"<p>page</p>"))
    assert caching._keepable(rf.get("/"), views.HttpResponse(b"<p>page</p>"))


def test_a_preview_shows_a_saved_change_on_the_next_request(site: Path, settings, client: Client) -> None:
    settings.GLOSSARY_PREVIEW = True
    entry = site / "terms" / "alpha-term.md"
    first = client.get("/terms/alpha-term/")
    assert "The alpha term is a test entry." in first.content.decode()
    assert _directives(first) == {"no-cache"}
    assert not first.has_header("ETag") and not first.has_header("Last-Modified")

    _edit(entry, "The alpha term is a test entry.", "Freshly saved words.")
    assert "Freshly saved words." in client.get("/terms/alpha-term/").content.decode()
    # The other pages that show it too (its title and summary), with no memory of the earlier load.
    _edit(entry, "title: Alpha term", "title: Alpha term renamed")
    assert "Alpha term renamed" in client.get("/terms/beta-scan/").content.decode()
    assert "Alpha term renamed" in client.get("/terms/").content.decode()
    assert len(caching.pages) == 0


def test_debug_keeps_nothing(site: Path, settings, client: Client) -> None:
    settings.DEBUG = True
    response = client.get("/terms/alpha-term/")
    assert _directives(response) == {"no-cache"} and not response.has_header("ETag")
    assert len(caching.pages) == 0


def _must_not_render(*args: object, **kwargs: object) -> None:
    raise AssertionError("rendered a template")
