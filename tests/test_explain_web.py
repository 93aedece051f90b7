"""The report reader's page and JSON API: the contract's shape, the limits, the methods, and any text at all."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.explain.limits import MAX_BODY_BYTES, MAX_CHARS
from tests.conftest import FIXTURES

REPORT = (
    "MRI LUMBAR SPINE\n\nL4-5: disc bulge with no spinal stenosis.\r\n"
    "T2 hyperintensity at C5-6. <b>bold</b> & \"quoted\" 'text'\nNo fracture."
)


@pytest.fixture(autouse=True)
def _fixture_content(use_content) -> None:
    use_content(FIXTURES / "explain")


def api(client: Client, body: object, *, raw: bytes | None = None) -> tuple[int, dict]:
    data = raw if raw is not None else json.dumps(body)
    response = client.post("/api/explain/", data=data, content_type="application/json")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


class _ReportText(HTMLParser):
    """The text of the page's marked report as a browser shows it, leaving out what only screen readers hear,
    and every tag inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.hidden = 0
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += 1
            self.tags.append(tag)
            self.hidden += "visually-hidden" in classes or bool(self.hidden)
        elif tag == "div" and "report" in classes:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            if self.hidden:
                self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.hidden:
            self.text.append(data)


def report_text(html: str) -> tuple[str, list[str]]:
    parser = _ReportText()
    parser.feed(html)
    return "".join(parser.text), parser.tags


def test_the_form_page_has_the_box_and_says_what_happens_to_the_text(client: Client) -> None:
    response = client.get("/explain/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="post"' in html and '<textarea id="report-text" name="text"' in html
    assert f'maxlength="{MAX_CHARS}"' in html and "Paste your report" in html
    assert "not stored, not written to any log" in html
    assert "public" in response["Cache-Control"]  # the empty form is a page like any other


@pytest.mark.parametrize("path", ["/", "/terms/", "/search/?q=disc"])
def test_every_search_box_and_the_home_page_lead_to_the_reader(client: Client, path: str) -> None:
    html = client.get(path).content.decode()
    search = html[html.index('<form class="search-form"') : html.index("</form>")]
    assert 'href="/explain/"' in search


def test_a_report_is_shown_as_written_with_its_terms_and_levels_marked(client: Client) -> None:
    response = client.post("/explain/", {"text": REPORT})
    html = response.content.decode()
    assert response.status_code == 200
    text, tags = report_text(html)
    assert text == REPORT.replace("\r\n", "\n")
    assert set(tags) <= {"a", "span"}
    assert '<a class="term-link report-term" href="/terms/disc-bulge/" data-term="disc-bulge">disc bulge</a>' in html
    absent = '<span class="visually-hidden"> (the report says this was not found)</span></a>'
    assert f'report-absent" href="/terms/spinal-stenosis/" data-term="spinal-stenosis">spinal stenosis{absent}' in html
    assert '<a class="level-link" href="#level-L4-L5">L4-5</a>' in html
    assert (
        '<li id="level-L4-L5"><strong class="level-name">L4\u20135</strong> is the disc between the 4th and 5th' in html
    )
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#x27;text&#x27;" in html


def test_words_are_listed_in_order_of_first_mention_and_absent_ones_apart(client: Client) -> None:
    html = client.post("/explain/", {"text": REPORT}).content.decode()
    words = html[html.index('id="words-heading"') :]
    present, absent = words.split('id="absent-heading"')
    order = re.findall(r'<li><a href="/terms/([^/]+)/">', present)
    assert order == ["mri", "disc-bulge", "t2-hyperintensity"]
    assert re.findall(r'<li><a href="/terms/([^/]+)/">', absent) == ["spinal-stenosis", "compression-fracture"]
    assert 'Say it:</span> <span class="pronunciation">disk BULJ</span>' in present


def test_the_spine_diagram_lights_the_levels_and_names_them(client: Client) -> None:
    html = client.post("/explain/", {"text": "L4-5 and T12 and L5-S1 and the coccyx."}).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img" aria-labelledby="spine-title spine-desc"' in svg
    assert svg.count("spine-lit") == 4
    labels = re.findall(r'<text class="spine-label"[^>]*>([^<]+)</text>', svg)
    assert labels == ["T12", "L4\u20135", "L5\u2013S1", "Coccyx"]
    description = re.search(r'<desc id="spine-desc">([^<]+)</desc>', svg)
    assert description and "L4\u20135, the disc between the 4th and 5th lumbar vertebrae" in description[1]


def test_the_c8_nerve_lights_the_gap_it_leaves_by(client: Client) -> None:
    """C8 is a nerve with no vertebra of its own; the diagram shows where it leaves, between C7 and T1."""
    html = client.post("/explain/", {"text": "Left C8 radiculopathy."}).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("spine-lit") == 1
    assert re.findall(r'<text class="spine-label"[^>]*>([^<]+)</text>', svg) == ["C8 nerve root"]
    assert "between the 7th cervical and 1st thoracic vertebrae" in svg


def test_no_diagram_when_the_report_names_no_level(client: Client) -> None:
    html = client.post("/explain/", {"text": "A disc bulge."}).content.decode()
    assert "<svg" not in html.split('<main id="main"')[1]


def test_the_api_answers_the_contracts_shape_in_order(client: Client) -> None:
    status, body = api(client, {"text": REPORT})
    assert status == 200 and set(body) == {"terms", "levels"}
    assert list(body["terms"][0]) == [
        "slug", "title", "summary", "url", "start", "end", "text", "negated",
    ]  # fmt: skip
    assert list(body["levels"][0]) == ["start", "end", "text", "label", "region"]
    for item in [*body["terms"], *body["levels"]]:
        assert REPORT[item["start"] : item["end"]] == item["text"]
    assert [t["start"] for t in body["terms"]] == sorted(t["start"] for t in body["terms"])
    assert [(t["slug"], t["negated"]) for t in body["terms"]] == [
        ("mri", False), ("disc-bulge", False), ("spinal-stenosis", True), ("t2-hyperintensity", False),
        ("compression-fracture", True),
    ]  # fmt: skip
    assert [(lv["text"], lv["region"]) for lv in body["levels"]] == [("L4-5", "lumbar"), ("C5-6", "cervical")]
    assert body["levels"][0]["label"] == "the disc between the 4th and 5th lumbar vertebrae, in the lower back"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"not json", 'The body must be JSON: {"text": "..."}.'),
        (b"[" * 50_000, 'The body must be JSON: {"text": "..."}.'),
        (b"\xff\xfe\x00", 'The body must be JSON: {"text": "..."}.'),
        (b"{}", 'The JSON must be an object with a "text" string: {"text": "..."}.'),
        (b'{"text": 5}', 'The JSON must be an object with a "text" string: {"text": "..."}.'),
        (b'["text"]', 'The JSON must be an object with a "text" string: {"text": "..."}.'),
        (
            json.dumps({"text": "x" * (MAX_CHARS + 1)}).encode(),
            "The text is 20,001 characters long; the limit is 20,000 characters.",
        ),
    ],
)
def test_the_api_refuses_what_it_cannot_explain_with_a_400(client: Client, raw: bytes, message: str) -> None:
    assert api(client, None, raw=raw) == (400, {"error": message})


def test_a_text_at_the_limit_is_explained(client: Client) -> None:
    status, body = api(client, {"text": "disc bulge " * (MAX_CHARS // 11)})
    assert status == 200 and len(body["terms"]) == MAX_CHARS // 11


def test_a_body_over_64_kb_is_refused_before_it_is_read(client: Client) -> None:
    status, body = api(client, None, raw=json.dumps({"text": "x" * MAX_BODY_BYTES}).encode())
    assert status == 413 and "64 KB" in body["error"]
    response = client.post("/explain/", {"text": "x" * MAX_BODY_BYTES})
    assert response.status_code == 413 and "larger than 64 KB" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("", 400, "Paste your report into the box first."),
        ("   \n ", 400, "Paste your report into the box first."),
        ("y" * (MAX_CHARS + 1), 400, "The text is 20,001 characters long; the limit is 20,000 characters."),
    ],
)
def test_the_page_says_what_is_wrong_with_a_text(client: Client, text: str, status: int, message: str) -> None:
    response = client.post("/explain/", {"text": text})
    html = response.content.decode()
    assert response.status_code == status
    assert f'<p class="notice" role="alert" id="explain-error">{message}</p>' in html
    assert 'aria-invalid="true"' in html and "no-store" in response["Cache-Control"]


def test_line_breaks_a_browser_sends_count_once_against_the_limit(client: Client) -> None:
    text = "a\r\n" * (MAX_CHARS // 2)  # 20,000 characters as the box counts them, 30,000 as sent
    assert client.post("/explain/", {"text": text}).status_code == 200


def test_the_page_takes_get_head_and_post_and_the_api_post_only(client: Client) -> None:
    assert client.head("/explain/").status_code == 200
    for method in ("put", "delete", "patch"):
        response = getattr(client, method)("/explain/")
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"
    response = client.get("/api/explain/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert client.post("/search/", {"q": "x"}).status_code == 405  # every other view is still read-only


def test_posts_need_no_csrf_token_and_set_no_cookie(client: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    for response in (
        strict.post("/explain/", {"text": REPORT}),
        strict.post("/api/explain/", {"text": "x"}, "application/json"),
    ):
        assert response.status_code == 200
        assert not response.cookies and not response.has_header("Set-Cookie")


def test_the_form_posts_only_to_this_site(client: Client) -> None:
    response = client.get("/explain/")
    assert "form-action 'self'" in response["Content-Security-Policy"]
    assert 'action="/explain/"' in response.content.decode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_any_text_is_explained_with_valid_offsets_and_shown_escaped(client: Client, text: str) -> None:
    status, body = api(client, {"text": text})
    assert status == 200
    for item in [*body["terms"], *body["levels"]]:
        assert 0 <= item["start"] < item["end"] <= len(text)
        assert text[item["start"] : item["end"]] == item["text"]
    response = client.post("/explain/", {"text": text})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        shown, tags = report_text(response.content.decode())
        assert set(tags) <= {"a", "span"}
        expected = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]", "\ufffd", text.replace("\r\n", "\n"))
        assert shown.replace("\r\n", "\n").replace("\r", "\n") == expected.replace("\r", "\n")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list("<>&\"'/ LCTS12345-\u2013nodiscbulge\n\r")), max_size=200))
def test_markup_and_levels_in_any_mix_are_escaped(client: Client, text: str) -> None:
    response = client.post("/explain/", {"text": text or "x"})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        shown, tags = report_text(response.content.decode())
        assert set(tags) <= {"a", "span"}
        assert shown.replace("\r", "\n") == (text or "x").replace("\r\n", "\n").replace("\r", "\n")
