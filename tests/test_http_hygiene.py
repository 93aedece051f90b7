"""HTTP as clients really speak it: HEAD, methods the site does not take, hostile paths and hosts, error pages.

The site only shows pages, so every view answers GET and HEAD and nothing else (405 with an Allow header,
glossary/web/security.py). Whatever the path, method or query, the answer is never a 5xx; when the server
does fail, the reader gets the site's own 500 page, never a traceback.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary import urls as site_urls
from tests.test_security_headers import PAGE_IDS, PAGE_TYPES

PAGES = [(p, s) for _, p, s in PAGE_TYPES]
VIEWS = [(name, p) for name, p, s in PAGE_TYPES if s == 200]  # the paths a view answers
UNSAFE = ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"]
TRACEBACK_SIGNS = ["Traceback", 'File "', "Exception Value", "Request Method:", "raise "]


def _body(response: HttpResponse) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _no_traceback(response: HttpResponse) -> None:
    body = _body(response).decode("utf-8", "replace")
    assert not [sign for sign in TRACEBACK_SIGNS if sign in body]


@pytest.mark.parametrize(("path", "status"), PAGES, ids=PAGE_IDS)
def test_head_answers_as_get_without_a_body(client: Client, path: str, status: int) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == status
    assert head["Content-Type"] == get["Content-Type"]
    assert _body(head) == b""


@pytest.mark.parametrize("method", UNSAFE)
@pytest.mark.parametrize("path", [p for _, p in VIEWS], ids=[name for name, _ in VIEWS])
def test_other_methods_get_405_with_allow(client: Client, path: str, method: str) -> None:
    response = client.generic(method, path, data=b"q=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 405  # not CSRF's 403: nothing here accepts a form
    assert response["Allow"] == "GET, HEAD"
    assert not response.cookies


def test_an_unknown_path_is_404_whatever_the_method(client: Client) -> None:
    for method in ["GET", "POST", "BREW"]:
        assert client.generic(method, "/no/such/page/").status_code == 404


PREFIXES = ["/terms/", "/api/terms/", "/references/", "/categories/", "/figures/"]
SLUGS = {
    "dot-dot": "..",
    "encoded-dot-dot": "%2e%2e",
    "encoded-traversal": "%2e%2e%2f%2e%2e%2fglossary%2fsettings.py",
    "nul": "%00",
    "nul-in-name": "alpha-term%00.md",
    "encoded-slash": "a%2Fb",
    "encoded-slash-alone": "%2F",
    "long": "a" * 1000,
    "long-encoded": "%e2%80%ae" * 300,
}


@pytest.mark.parametrize("slug", SLUGS.values(), ids=SLUGS.keys())
@pytest.mark.parametrize("prefix", PREFIXES)
def test_hostile_slugs_are_404(client: Client, prefix: str, slug: str) -> None:
    ending = "" if prefix == "/figures/" else "/"
    response = client.get(f"{prefix}{slug}{ending}")
    assert response.status_code == 404
    _no_traceback(response)


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost:8000@evil.example", "a b"])
def test_an_unknown_host_is_400(client: Client, host: str) -> None:
    response = client.get("/", headers={"host": host})
    assert response.status_code == 400
    _no_traceback(response)


def test_the_404_page_is_the_sites_own(client: Client) -> None:
    response = client.get("/terms/alpha-trem-spot/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    _no_traceback(response)


# A URLconf for one test: the site's own, plus a view that fails as a bug would.
def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug with a secret: /srv/glossary/settings.py")


urlpatterns = [path("broken/", _broken), *site_urls.urlpatterns]
handler404 = site_urls.handler404
handler500 = site_urls.handler500


@pytest.mark.urls(__name__)
def test_a_server_error_shows_the_500_page_without_a_traceback(caplog: pytest.LogCaptureFixture) -> None:
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "not medical advice" in html
    assert "<title>Something went wrong · Spine imaging glossary</title>" in html
    assert "secret" not in html and "RuntimeError" not in html
    _no_traceback(response)
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"
    assert any(record.exc_info and record.exc_info[0] is RuntimeError for record in caplog.records)  # logged


# Any path, method and query a client may send: never a 5xx.
PATH_PREFIXES = [
    "/",
    *PREFIXES,
    "/api/search/",
    "/search/",
    "/feed/",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/static/",
]
ODD = ["%00", "%2e", "%2F", "%ff", "%zz", "é", "😀", "\u202e"]
paths = st.builds(
    lambda prefix, rest: prefix + quote(rest, safe="/%:;@!$&'()*+,=~"),
    st.sampled_from(PATH_PREFIXES),
    st.lists(st.sampled_from([*"abcz09-_.~%/:;@!$&'()*+,= ", *ODD]), max_size=40).map("".join),
)
methods = st.one_of(
    st.sampled_from(["GET", "HEAD", *UNSAFE, "TRACE", "CONNECT", "PROPFIND"]),
    st.from_regex(r"[A-Z]{1,12}", fullmatch=True),
)
PARAMETERS = ["q", "limit", "all", "as_typed", "snippets", "page", "x"]
queries = st.one_of(
    st.just(""),
    st.text(max_size=60).map(lambda text: "q=" + quote(text)),
    st.lists(st.tuples(st.sampled_from(PARAMETERS), st.text(max_size=20)), max_size=4).map(
        lambda pairs: "&".join(f"{key}={quote(value)}" for key, value in pairs)
    ),
    st.lists(st.sampled_from([*"q=&%;+ab0", *ODD]), max_size=30).map("".join),
)


@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(method=methods, path=paths, query=queries, body=st.binary(max_size=64))
def test_random_requests_never_get_a_server_error(
    client: Client, method: str, path: str, query: str, body: bytes
) -> None:
    url = path.replace("//", "/") + (f"?{query}" if query else "")
    response = client.generic(method, url, data=body, content_type="application/octet-stream")
    assert response.status_code < 500, f"{method} {url} answered {response.status_code}"
    if response.status_code == 405:
        assert response["Allow"]


@pytest.mark.parametrize("path", ["/terms/alpha-term/", "/healthz", "/api/search/?q=alph", "/figures/box.svg"])
def test_the_application_itself_sends_no_body_for_head(path: str) -> None:
    """Below the test client, which drops a HEAD body itself: a server such as gunicorn gets none to drop."""
    from wsgiref.util import setup_testing_defaults

    from django.core.wsgi import get_wsgi_application

    path_info, _, query = path.partition("?")
    environ = {"REQUEST_METHOD": "HEAD", "PATH_INFO": path_info, "QUERY_STRING": query, "HTTP_HOST": "localhost"}
    setup_testing_defaults(environ)
    started: list[str] = []
    body = get_wsgi_application()(environ, lambda status, headers, *_: started.append(status))
    try:
        assert started[0].startswith("200") and b"".join(body) == b""
    finally:
        getattr(body, "close", lambda: None)()
