"""Printing an entry: an A4 handout with the page's address and QR code, and no navigation.

How many pages the seed entries take is a property of the content: tests/browser/test_bundled_pages.py.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.browser.conftest import ENTRY, Tab
from tests.support.layout import printed


def test_an_entry_prints_on_a4_with_its_address_and_no_navigation(tab: Tab, site_url: str) -> None:
    tab.page.goto(ENTRY)
    pdf = printed(tab.page)
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points, from the stylesheet's @page
    text = " ".join(page.extract_text() for page in pdf.pages)
    flat = "".join(text.split())  # a long address may wrap
    assert f"{site_url}{ENTRY}" in flat
    assert "Information, not medical advice." in text
    assert "IN SHORT" in text.upper()
    assert "Skip to main content" not in text and "Search the glossary" not in text


def test_print_media_shows_the_qr_code_and_hides_navigation(tab: Tab) -> None:
    page = tab.page
    page.goto(ENTRY)
    assert not page.locator(".qr svg").is_visible()  # on screen the handout parts stay out of the way
    page.emulate_media(media="print")
    qr = page.locator(".qr svg").bounding_box()
    assert qr is not None and qr["width"] > 80 and abs(qr["width"] - qr["height"]) < 1  # 25 mm square
    for hidden in (".site-header", ".toc", ".permalink", ".cite"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert page.locator(".summary").is_visible()
    summary_top = page.locator(".summary").bounding_box()
    body_top = page.locator(".body").bounding_box()
    assert summary_top and body_top and summary_top["y"] < body_top["y"]  # the summary comes first


def test_printed_external_links_are_written_out(visit: Callable[..., Tab]) -> None:
    tab = visit(ENTRY)  # its references link to a DOI and an address
    tab.page.emulate_media(media="print")
    after = tab.page.evaluate(
        """() => [...document.querySelectorAll('.references a[href^="http"]')]
              .map(a => getComputedStyle(a, '::after').content)"""
    )
    assert after and all(content.startswith('" (http') for content in after)


def test_an_urgent_help_box_prints_before_the_entry_it_belongs_to(tab: Tab) -> None:
    """An urgent entry's handout says what to do now before anything else but the summary."""
    tab.page.goto("/terms/cauda-equina-syndrome/")
    pdf = printed(tab.page)
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages).upper()  # headings print in capitals
    assert text.index("IN SHORT") < text.index("GET HELP NOW") < text.index("CALL 999 OR GO TO A&E NOW")
    assert text.index("CALL 999 OR GO TO A&E NOW") < text.index("WHAT IT IS")
