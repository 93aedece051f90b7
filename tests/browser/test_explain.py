"""The report reader in a real browser: axe on the empty and the filled page, by keyboard, and printed on A4.

The site here serves the report reader's fixture glossary (tests/fixtures/explain/), not the bundled content.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab
from tests.conftest import FIXTURES
from tests.support.axe import axe_in_both_schemes
from tests.support.layout import DESKTOP, REFLOW_320, layout_problems_at, printed
from tests.support.servers import gunicorn_site

REPORT = (
    "MRI LUMBAR SPINE\n\nFINDINGS:\nL3-4: mild disc bulge without spinal stenosis.\n"
    "L4-5: herniated disc touching the left L5 nerve root; T2 hyperintensity at C5-6.\n"
    "No fracture. Schmorl's nodes at T11 and T12.\n\nIMPRESSION: herniated disc at L4-5."
)
SENTENCES = [
    "At L4-5 there is a broad disc bulge with mild spinal stenosis and foraminal narrowing on the left.",
    "The thecal sac is indented and the nerve root is touched but not compressed.",
    "No fracture is seen and there is no cord compression at any level of the lumbar spine.",
    "Schmorl's nodes are seen at T11 and T12, with a haemangioma in the L2 vertebral body.",
    "STIR and T2 images show no bone marrow oedema, and the spinal cord ends normally at T12-L1.",
]


def long_report(words: int = 600) -> str:
    """About `words` words of report, a paragraph every five sentences."""
    parts, count, index = [], 0, 0
    while count < words:
        sentence = SENTENCES[index % len(SENTENCES)]
        parts.append(sentence + ("\n\n" if index % 5 == 4 else " "))
        count += len(sentence.split())
        index += 1
    return "".join(parts).strip()


@pytest.fixture(scope="module")
def site_url(_collected_static: None) -> Iterator[str]:
    """This module's site: the fixture glossary of report words, served as in production."""
    with gunicorn_site(FIXTURES / "explain") as base:
        yield base


@pytest.fixture
def open_tab(open_tab: Callable[..., Tab]) -> Callable[..., Tab]:
    """axe-core is injected as an inline script, which the site's Content-Security-Policy refuses."""
    return functools.partial(open_tab, bypass_csp=True)


def explain(page: Page, text: str) -> None:
    page.goto("/explain/")
    page.get_by_label("Paste your report").fill(text)
    page.get_by_role("button", name="Explain my report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your report, explained")


@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_axe_finds_nothing_in_light_or_dark_at_320_px(open_tab: Callable[..., Tab], filled: bool) -> None:
    page = open_tab(viewport=REFLOW_320).page
    if filled:
        explain(page, REPORT)
    else:
        page.goto("/explain/")
    report = axe_in_both_schemes(page)
    assert report == "", report
    assert layout_problems_at(page, REFLOW_320, "at 320px") == []


def test_the_error_page_passes_axe(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab(viewport=DESKTOP)
    tab.expected_status = 400  # the page answers 400, which chromium logs as a console error
    page = tab.page
    page.goto("/explain/")
    page.get_by_label("Paste your report").fill("   ")
    page.get_by_role("button", name="Explain my report").click()
    expect(page.get_by_role("alert")).to_have_text("Paste your report into the box first.")
    assert axe_in_both_schemes(page) == ""


def test_paste_submit_and_move_through_the_marked_words_by_keyboard(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab(viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    page = tab.page
    page.goto("/explain/")
    box = page.get_by_label("Paste your report")
    box.focus()
    page.evaluate("text => navigator.clipboard.writeText(text)", REPORT)
    page.keyboard.press("Control+V")
    expect(box).to_have_value(REPORT)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Explain my report")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your report, explained")

    marks = page.locator(".report a")
    first = marks.first
    for _ in range(40):  # from the top of the page to the first marked word
        page.keyboard.press("Tab")
        if first.evaluate("el => el === document.activeElement"):
            break
    expect(first).to_be_focused()
    expect(first).to_have_text("MRI")
    preview = page.get_by_role("group", name="Preview: MRI")
    expect(preview).to_be_visible()
    page.keyboard.press("Tab")
    expect(preview.get_by_role("link", name="Read the full entry")).to_be_focused()
    page.keyboard.press("Tab")
    expect(marks.nth(1)).to_be_focused()
    expect(marks.nth(1)).to_have_text("L3-4")
    level = page.get_by_role("group", name="Level L3-4")
    expect(level).to_contain_text("the disc between the 3rd and 4th lumbar vertebrae")
    page.keyboard.press("Escape")
    expect(level).to_be_hidden()
    page.keyboard.press("Tab")
    expect(marks.nth(2)).to_have_text("disc bulge")
    expect(page.get_by_role("group", name="Preview: Disc bulge")).to_be_visible()
    absent = page.get_by_role("link", name="spinal stenosis (the report says this was not found)")
    expect(absent).to_have_count(1)


def test_without_javascript_the_form_and_the_marks_still_work(open_tab: Callable[..., Tab]) -> None:
    page = open_tab(viewport=DESKTOP, java_script_enabled=False).page
    explain(page, REPORT)
    page.get_by_role("link", name="L4-5").first.click()
    assert page.url.endswith("#level-L4-L5")
    expect(page.locator("#level-L4-L5")).to_contain_text("the disc between the 4th and 5th lumbar vertebrae")


def test_a_600_word_report_prints_on_a4_report_first_with_nothing_cut_off(tab: Tab, site_url: str) -> None:
    text = long_report()
    assert len(text.split()) >= 600
    page = tab.page
    explain(page, text)
    pdf = printed(page)
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points, from the stylesheet's @page
    on_paper = " ".join(p.extract_text() for p in pdf.pages)
    flat = "".join(on_paper.replace("(the report says this was not found)", "").split())
    assert f"{site_url}/explain/" in flat
    assert re.search(r"on \d{1,2} [A-Z][a-z]+ \d{4}", on_paper), "the date it was explained"
    # Every word of the report, in order, and all of it before the explanations.
    report = "".join(text.split())
    at = flat.find(report)
    assert at != -1, "some of the report is missing from the printout"
    assert at < flat.find("Wordsinyourreport") and at < flat.find("Wherethelevelsare")
    assert "Pasteyourreport" not in flat and "Explainanotherreport" not in flat
