"""The bundled content as readers meet it: clean checks, and the searches the content issues promised.

Tests of the code use the fixture content (tests/fixtures/); these, like the other tests of
the content that ask for the `bundled` fixture, read content/, so an editor's change that
breaks a promise to readers (an entry a lay search must find first, the urgent-help box that
must lead an emergency's page) fails here, and in no test of the code.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from glossary.content.callouts import urgent_text
from glossary.content.loader import load
from tests.conftest import BUNDLED

pytestmark = pytest.mark.usefixtures("bundled")  # a test of the content itself (tests/conftest.py)


# What a reader types -> the entry that must come first. From issues 14, 16 and 17.
FIRST = [
    ("ventral", "ventral"),
    ("hyperintensity", "hyperintense"),
    ("STIR", "stir"),
    ("unremarkable", "unremarkable"),
    ("L4-5", "spinal-levels"),
    ("bulging disc", "disc-bulge"),
    ("disk bulge", "disc-bulge"),
    ("pinched nerve", "nerve-root-compression"),
    ("narrowing of the foramen", "foraminal-stenosis"),
    ("slipped vertebra", "spondylolisthesis"),
    ("intradural extramedullary", "intradural-extramedullary"),
    ("mets", "spinal-metastasis"),
    ("cage", "interbody-cage"),
    ("scar tissue after surgery", "epidural-fibrosis"),
    ("broken back", "fracture"),
    ("dens", "dens"),
]


def test_the_bundled_content_has_no_errors_and_no_warnings() -> None:
    result = load(BUNDLED)

    assert [str(problem) for problem in result.problems] == []
    assert result.glossary is not None
    assert len(result.glossary.pages) == len(list((BUNDLED / "terms").glob("*.md")))


@pytest.mark.parametrize(("query", "slug"), FIRST)
def test_a_lay_or_report_search_finds_the_right_entry_first(client: Client, query: str, slug: str) -> None:
    found = json.loads(client.get("/api/search/", {"q": query}).content)["results"]

    assert [result["slug"] for result in found[:1]] == [slug], [result["slug"] for result in found[:5]]


def test_a_report_word_in_another_entry_is_linked_by_its_word_form(client: Client) -> None:
    """'hyperintense' is linked where another entry writes it, as are its forms."""
    linking = [
        page.entry.slug
        for page in load(BUNDLED).glossary.pages.values()  # type: ignore[union-attr]
        if page.entry.slug != "hyperintense" and 'data-term="hyperintense"' in page.html
    ]
    assert linking, "no entry links 'hyperintense' automatically"


def test_cauda_equina_syndrome_shows_the_urgent_box_first_after_the_summary(client: Client) -> None:
    html = client.get("/terms/cauda-equina-syndrome/").content.decode()
    body = html[html.index('<div class="body">') :]

    assert body.index('class="urgent"') < body.index("<h2")
    assert "999" in (urgent_text(html) or "")  # what to do names the emergency number, whatever its words


def test_t2_in_a_report_is_a_weighting_and_c5_6_a_level(client: Client) -> None:
    text = "T2 hyperintensity at C5-6. The T2 vertebral body is normal."
    answer = json.loads(client.post("/api/explain/", {"text": text}, content_type="application/json").content)

    terms = [(term["text"], term["slug"]) for term in answer["terms"]]
    levels = [(level["start"], level["text"]) for level in answer["levels"]]
    assert ("T2", "t2-weighted-imaging") in terms and ("hyperintensity", "hyperintense") in terms
    assert levels == [(21, "C5-6"), (31, "T2")]


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/terms/intramedullary-tumor/", "/terms/intramedullary-tumour/"),
        ("/terms/Myelomalacia/", "/terms/myelomalacia/"),
    ],
)
def test_the_redirects_from_the_first_acceptance_list(client: Client, path: str, target: str) -> None:
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (301, target)
