"""What an entry page gives people who share, cite or print it: links, previews' metadata, JSON-LD, the handout."""

from __future__ import annotations

import json
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
import segno
from django.test import Client

from glossary.serving import store
from tests.conftest import FIXTURES

FIXTURE_SLUGS = sorted(path.stem for path in (FIXTURES / "valid" / "terms").glob("*.md"))


def _json_ld(html: str) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


def _meta(html: str, prop: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    assert match, f"no {prop} meta tag"
    return unescape(match.group(1))


@pytest.mark.parametrize("slug", FIXTURE_SLUGS)
def test_every_entry_json_ld_names_its_title_summary_and_aliases(client: Client, slug: str) -> None:
    entry = store.glossary().pages[slug].entry
    data = _json_ld(client.get(f"/terms/{slug}/").content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert data["audience"] == {"@type": "Patient"}
    assert data["url"] == f"http://testserver/terms/{slug}/"
    term = data["about"]
    assert term["@type"] == "DefinedTerm"
    assert (term["name"], term["description"]) == (entry.title, entry.summary)
    assert term.get("alternateName", []) == list(entry.aliases)
    assert term["inDefinedTermSet"]["@type"] == "DefinedTermSet"
    assert ("lastReviewed" in data) == (entry.reviewed is not None)


def test_json_ld_carries_the_review_and_the_cited_works(use_content, client: Client) -> None:
    use_content(FIXTURES / "valid")
    data = _json_ld(client.get("/terms/alpha-term/").content.decode())
    assert data["lastReviewed"] == "2026-01-15"
    assert data["reviewedBy"] == {"@type": "Person", "name": "Test Reviewer, test role"}
    assert [work["name"] for work in data["citation"]][:1] == [store.glossary().references["smith-2020"].title]
    assert "https://doi.org/10.1000/fixture.2020" in data["citation"][0]["sameAs"]


def test_json_ld_cannot_close_its_script_early(tmp_path: Path, use_content, client: Client) -> None:
    (tmp_path / "terms").mkdir()
    (tmp_path / "references.yaml").write_text("{}\n")
    (tmp_path / "terms" / "odd.md").write_text(
        "---\ntitle: Odd\nsummary: 'Ends </script><script>alert(1)</script> & <!-- here.'\n"
        "category: anatomy\n---\n\n## What it is\n\nText.\n"
    )
    use_content(tmp_path)
    html = client.get("/terms/odd/").content.decode()
    assert "<script>alert(1)" not in html
    assert _json_ld(html)["description"] == "Ends </script><script>alert(1)</script> & <!-- here."


def test_share_metadata_is_absolute_and_the_image_is_served(client: Client) -> None:
    html = client.get("/terms/beta-scan/?q=beta").content.decode()
    entry = store.glossary().pages["beta-scan"].entry
    assert '<link rel="canonical" href="http://testserver/terms/beta-scan/">' in html  # no query string
    assert _meta(html, "og:title") == "Beta scan"
    assert _meta(html, "og:description") == entry.summary
    assert _meta(html, "og:url") == "http://testserver/terms/beta-scan/"
    assert _meta(html, "twitter:card") == "summary_large_image"
    image = _meta(html, "og:image")
    assert image.startswith("http://testserver/static/share.") and image.endswith(".png")
    served = client.get(image.removeprefix("http://testserver"))
    assert served.status_code == 200 and b"".join(served.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("path", ["/search/?q=myelo", "/no-such-page/"])
def test_search_results_and_missing_pages_ask_not_to_be_indexed(client: Client, path: str) -> None:
    html = client.get(path).content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html


def test_cite_this_page_gives_title_url_and_date_accessed(client: Client) -> None:
    html = client.get("/terms/alpha-term/").content.decode()
    cite = re.search(r'<p class="citation-text">(.*?)</p>', html, re.S)
    assert cite
    text = " ".join(re.sub(r"<[^>]+>", "", cite.group(1)).split())
    today = date.today()
    assert text.startswith("Spine imaging glossary. Alpha term [Internet]. Last updated ")
    assert text.endswith(f"Available from: http://testserver/terms/alpha-term/ (accessed {today.day} {today:%B %Y}).")


def test_every_section_heading_of_an_entry_has_a_permalink(client: Client) -> None:
    html = client.get("/terms/alpha-term/").content.decode()
    headings = re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', html, re.S)
    assert len(headings) >= 2
    for heading_id, inner in headings:
        if heading_id == "on-this-page":  # the contents list is navigation, not a section to share
            continue
        assert f'class="permalink" href="#{heading_id}"' in inner, heading_id


def test_handout_has_the_page_address_a_qr_code_of_it_and_links_written_out(client: Client) -> None:
    html = client.get("/terms/alpha-term/").content.decode()
    header = re.search(r'<div class="handout-header print-only">(.*?)</div>', html, re.S)
    assert header and "http://testserver/terms/alpha-term/" in header.group(1)
    svg = re.search(r'<div class="qr" role="img" aria-label="[^"]+">(<svg.*?</svg>)</div>', html, re.S)
    assert svg and 'viewBox="' in svg.group(1)
    assert _qr_modules(svg.group(1)) == _dark_modules(segno.make("http://testserver/terms/alpha-term/", error="m"))
    links = re.search(r'<section class="print-only handout-links">(.*?)</section>', html, re.S)
    assert links
    page = store.glossary().pages["alpha-term"]
    assert page.links | set(page.entry.related)
    for slug in page.links | set(page.entry.related):
        assert f"http://testserver/terms/{slug}/" in links.group(1)


def _qr_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules drawn by segno's path: `M x y` moves, `m dx dy` moves, `h n` draws n modules."""
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"|d="([^"]+)"[^>]*class="qrline"', svg)
    assert path
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path.group(1) or path.group(2)):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark |= {(int(x) + i, int(y)) for i in range(int(a))}
            x += float(a)
    return dark


def _dark_modules(code: segno.QRCode, border: int = 2) -> set[tuple[int, int]]:
    return {(x + border, y + border) for y, row in enumerate(code.matrix) for x, bit in enumerate(row) if bit & 1}
