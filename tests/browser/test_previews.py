"""Previews of linked entries and citations, and Copy link, in a real browser: mouse, keyboard, touch, no JS.

The previews follow WCAG 2.2 SC 1.4.13: dismissible with Escape, hoverable, persistent. Acceptance criterion:
a keyboard-only user can open, read and dismiss a term preview and a citation preview.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Tab
from tests.conftest import FIXTURES
from tests.support.servers import gunicorn_site

ENTRY = "/terms/cord-softening/"  # links to other entries (tests/fixtures/previews/)
TERM = "radiologist"  # the first linked entry in its body, shown as "radiologists"
TERM_LINK = "radiologists"
FIRST_REFERENCE = "doi-2020"  # the first the entry cites, with a DOI as its only link
FULL_ENTRY = "Read the full entry"
IN_THE_LIST = "Show it in the list of references"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def site_url(_collected_static: None) -> Iterator[str]:
    """Three made-up entries and two references on gunicorn, in place of the bundled site: what is
    tested is how previews behave, not which entries the content holds."""
    with gunicorn_site(FIXTURES / "previews") as base:
        yield base


def _entry(page: Page, path: str = ENTRY) -> None:
    page.goto(path)
    page.wait_for_load_state("load")  # deferred scripts have run


def _term_link(page: Page, slug: str = TERM) -> Locator:
    return page.locator(f"main .body a.term-link[data-term='{slug}']").first


def _citation(page: Page, number: int = 1) -> Locator:
    """The first citation of reference `number`; an entry may cite one source in several places."""
    return page.get_by_role("link", name=f"Reference {number}", exact=True).first


def _term_preview(page: Page, title: str) -> Locator:
    return page.get_by_role("group", name=f"Preview: {title}")


def _hover_preview(page: Page) -> Locator:
    """Open the entry, point at its term link and wait for that term's preview."""
    _entry(page)
    title = _api(page, TERM)["title"]
    _term_link(page).hover()
    preview = _term_preview(page, title)
    expect(preview).to_be_visible()
    return preview


def _api(page: Page, slug: str) -> dict[str, Any]:
    response = page.request.get(f"/api/terms/{slug}/")
    assert response.ok
    return response.json()


def _tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab, and nothing else, until `target` has focus, as a keyboard-only reader does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("node => node === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def _away(page: Page) -> None:
    """Move the mouse to an empty corner of the page, far from any link."""
    size = page.viewport_size or {"width": 1280, "height": 720}
    page.mouse.move(size["width"] - 2, size["height"] - 2, steps=5)


def _scroll_to(target: Locator) -> None:
    """Bring `target` to the middle of the window and let the page settle, so a tap lands on a still page."""
    target.evaluate("node => node.scrollIntoView({block: 'center'})")
    target.page.wait_for_function(
        "() => new Promise(done => { const y = scrollY; setTimeout(() => done(scrollY === y), 300); })"
    )


def _inside(box: dict[str, float] | None, width: float, height: float) -> bool:
    assert box is not None
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height


# --- The mouse ------------------------------------------------------------------------------------------


def test_hovering_a_term_link_previews_its_entry_from_the_api(tab: Tab) -> None:
    page = tab.page
    _entry(page)
    data = _api(page, TERM)
    link = _term_link(page)
    link.hover()
    preview = _term_preview(page, data["title"])
    expect(preview).to_be_visible()
    expect(preview.locator(".preview-title")).to_have_text(data["title"])
    expect(preview.locator(".preview-text")).to_have_text(data["summary"])
    expect(preview.get_by_role("link", name=FULL_ENTRY)).to_have_attribute("href", data["url"])
    expect(link).to_have_accessible_description(data["summary"])
    _away(page)
    expect(preview).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", re.compile("."))


def test_a_preview_says_how_to_say_the_word(tab: Tab) -> None:
    page = tab.page
    _entry(page)
    spoken = [
        link
        for link in page.locator("main .body a.term-link").all()
        if _api(page, link.get_attribute("data-term") or "")["pronunciation"]
    ]
    assert spoken, "no linked entry with a pronunciation"
    data = _api(page, spoken[0].get_attribute("data-term") or "")
    spoken[0].hover()
    expect(_term_preview(page, data["title"]).locator(".preview-say")).to_have_text(f"Say it: {data['pronunciation']}")


def test_the_pointer_can_move_onto_the_preview_and_it_stays(tab: Tab) -> None:
    page = tab.page
    preview = _hover_preview(page)
    preview.locator(".preview-text").hover()
    page.wait_for_timeout(800)  # well past the hide delay
    expect(preview).to_be_visible()
    preview.get_by_role("link", name=FULL_ENTRY).click()
    expect(page).to_have_url(re.compile(rf"/terms/{TERM}/$"))


def test_escape_dismisses_the_preview_while_the_pointer_stays_on_the_link(tab: Tab) -> None:
    page = tab.page
    preview = _hover_preview(page)
    page.keyboard.press("Escape")
    expect(preview).to_have_count(0)
    page.wait_for_timeout(800)  # the pointer has not moved, so nothing comes back
    expect(preview).to_have_count(0)


def test_a_quick_pass_of_the_mouse_shows_nothing(tab: Tab) -> None:
    page = tab.page
    _entry(page)
    box = _term_link(page).bounding_box()
    assert box is not None
    heading = page.locator("h1").bounding_box()
    assert heading is not None
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    page.mouse.move(heading["x"] + 2, heading["y"] + 2)  # straight on, to a heading with no links
    page.wait_for_timeout(800)
    expect(page.locator(".preview")).to_have_count(0)


def test_each_entry_is_fetched_once(tab: Tab) -> None:
    page = tab.page
    _entry(page)
    title = _api(page, TERM)["title"]
    for _ in range(2):
        _term_link(page).hover()
        expect(_term_preview(page, title)).to_be_visible()
        _away(page)
        expect(_term_preview(page, title)).to_have_count(0)
    assert len([url for url in tab.requests if url.endswith(f"/api/terms/{TERM}/")]) == 1


def test_the_preview_flips_above_a_link_near_the_bottom_of_the_window(tab: Tab) -> None:
    page = tab.page
    _entry(page)
    link = _term_link(page)
    link.evaluate("node => node.scrollIntoView({block: 'end'})")
    link.hover()
    preview = page.locator(".preview")
    expect(preview).to_be_visible()
    shown, trigger = preview.bounding_box(), link.bounding_box()
    assert shown is not None and trigger is not None
    assert shown["y"] + shown["height"] <= trigger["y"]
    assert _inside(shown, 1280, 720)


def test_a_summary_that_looks_like_html_is_shown_as_text(tab: Tab) -> None:
    page = tab.page
    markup = '<img src="/static/none.png" onerror="window.injected = true">'
    answer = {
        "slug": TERM,
        "title": f"Radiologist {markup}",
        "summary": markup,
        "url": f"/terms/{TERM}/",
        "category": "people",
        "pronunciation": markup,
        "aliases": [],
    }
    # The site's own API, answered by the test: this checks how the client writes data, not the server.
    page.route(f"**/api/terms/{TERM}/", lambda route: route.fulfill(json=answer))
    _entry(page)
    _term_link(page).hover()
    preview = page.locator(".preview")
    expect(preview).to_be_visible()
    expect(preview.locator(".preview-text")).to_have_text(markup)
    expect(preview).to_contain_text(f"Say it: {markup}")
    expect(preview.locator("img")).to_have_count(0)
    assert page.evaluate("window.injected") is None


def test_the_preview_follows_dark_mode_reduced_motion_and_is_not_printed(open_tab: Callable[..., Tab]) -> None:
    page = open_tab(color_scheme="dark", reduced_motion="reduce").page
    _entry(page)
    _tab_to(page, _term_link(page))
    preview = page.locator(".preview")
    expect(preview).to_be_visible()
    style = preview.evaluate(
        "node => { const s = getComputedStyle(node); return [s.backgroundColor, s.color, s.animationName]; }"
    )
    page_style = page.evaluate(
        "() => { const s = getComputedStyle(document.body); return [s.backgroundColor, s.color]; }"
    )
    assert style == [*page_style, "none"]  # the page's own dark colours, and no animation
    page.keyboard.press("Tab")
    more = preview.get_by_role("link", name=FULL_ENTRY)
    expect(more).to_be_focused()
    assert more.evaluate("node => getComputedStyle(node).outlineStyle") == "solid"  # a visible focus ring
    page.emulate_media(media="print")
    expect(preview).to_be_hidden()


# --- The keyboard (the acceptance criterion) ------------------------------------------------------------


def test_a_keyboard_only_reader_can_open_read_follow_and_dismiss_a_term_preview(tab: Tab) -> None:
    page = tab.page
    _entry(page)
    data = _api(page, TERM)
    link = _term_link(page)
    _tab_to(page, link)
    preview = _term_preview(page, data["title"])
    expect(preview).to_be_visible()
    expect(preview.locator(".preview-text")).to_have_text(data["summary"])
    expect(link).to_have_accessible_description(data["summary"])

    page.keyboard.press("Tab")  # into the preview
    more = preview.get_by_role("link", name=FULL_ENTRY)
    expect(more).to_be_focused()
    page.keyboard.press("Shift+Tab")  # and back to the link, still open
    expect(link).to_be_focused()
    expect(preview).to_be_visible()

    page.keyboard.press("Escape")  # dismissed, focus where it was
    expect(preview).to_have_count(0)
    expect(link).to_be_focused()

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # back on the link: it opens again
    expect(preview).to_be_visible()
    page.keyboard.press("Tab")
    expect(more).to_be_focused()
    page.keyboard.press("Escape")  # from inside the preview, focus goes back to the link
    expect(preview).to_have_count(0)
    expect(link).to_be_focused()

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(more).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/terms/{TERM}/$"))


def test_focus_leaving_the_link_and_its_preview_closes_it(tab: Tab) -> None:
    page = tab.page
    _entry(page)
    title = _api(page, TERM)["title"]
    _tab_to(page, _term_link(page))
    preview = _term_preview(page, title)
    expect(preview).to_be_visible()
    page.keyboard.press("Tab")
    expect(preview.get_by_role("link", name=FULL_ENTRY)).to_be_focused()
    page.keyboard.press("Tab")  # on to the next term link, whose preview replaces this one
    expect(preview).to_have_count(0)
    expect(page.locator(".preview")).to_have_count(1)


def test_a_keyboard_only_reader_can_open_read_and_dismiss_a_citation_preview(tab: Tab) -> None:
    page = tab.page
    _entry(page, ENTRY)
    citation = _citation(page)
    reference = page.locator(f"#ref-{FIRST_REFERENCE}")
    title = reference.locator(".ref-title").inner_text()
    _tab_to(page, citation)
    preview = page.get_by_role("group", name="Reference 1")
    expect(preview).to_be_visible()
    expect(preview).to_contain_text(title)
    expect(preview.locator(".preview-text")).not_to_contain_text("Entries that cite this")
    expect(citation).to_have_accessible_description(re.compile(re.escape(title)))

    page.keyboard.press("Tab")  # into the preview: the reference's own DOI link, then the jump to the list
    doi = preview.get_by_role("link", name=re.compile(r"^DOI: "))
    expect(doi).to_be_focused()
    page.keyboard.press("Tab")
    jump = preview.get_by_role("link", name=IN_THE_LIST)
    expect(jump).to_be_focused()
    page.keyboard.press("Escape")
    expect(preview).to_have_count(0)
    expect(citation).to_be_focused()

    page.keyboard.press("Tab")  # away, to the next link, and back: the preview opens again
    page.keyboard.press("Shift+Tab")
    expect(citation).to_be_focused()
    expect(preview).to_be_visible()
    page.keyboard.press("Escape")
    expect(preview).to_have_count(0)
    expect(citation).to_be_focused()

    for key in ["Tab", "Shift+Tab", "Tab", "Tab"]:  # away and back, then into the preview
        page.keyboard.press(key)
    expect(jump).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{re.escape(ENTRY)}#ref-{FIRST_REFERENCE}$"))
    expect(preview).to_have_count(0)
    expect(reference).to_be_in_viewport()


def test_hovering_a_citation_shows_its_reference(tab: Tab) -> None:
    page = tab.page
    _entry(page, ENTRY)
    _citation(page, 2).hover()
    preview = page.get_by_role("group", name="Reference 2")
    expect(preview).to_be_visible()
    expect(preview).to_contain_text(page.locator(".references li").nth(1).locator(".ref-title").inner_text())
    expect(preview.locator("[id^=ref-]")).to_have_count(0)  # a copy, without the list item's id
    _away(page)
    expect(preview).to_be_hidden()


# --- Touch ----------------------------------------------------------------------------------------------


def test_on_a_touch_screen_the_first_tap_previews_and_the_preview_link_opens_the_entry(
    open_tab: Callable[..., Tab],
) -> None:
    page = open_tab(**PHONE).page
    _entry(page)
    title = _api(page, TERM)["title"]
    _scroll_to(_term_link(page))
    _term_link(page).tap()
    preview = _term_preview(page, title)
    expect(preview).to_be_visible()
    expect(page).to_have_url(re.compile(f"{re.escape(ENTRY)}$"))
    assert _inside(preview.bounding_box(), 360, 740)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    preview.get_by_role("link", name=FULL_ENTRY).tap()
    expect(page).to_have_url(re.compile(rf"/terms/{TERM}/$"))


def test_on_a_touch_screen_a_second_tap_follows_the_link_and_a_tap_elsewhere_dismisses(
    open_tab: Callable[..., Tab],
) -> None:
    page = open_tab(**PHONE).page
    _entry(page)
    title = _api(page, TERM)["title"]
    link = _term_link(page)
    link.tap()
    preview = _term_preview(page, title)
    expect(preview).to_be_visible()
    page.locator("h1").tap()
    expect(preview).to_have_count(0)
    link.tap()
    expect(preview).to_be_visible()
    preview.locator(".preview-text").tap()  # reading it does not close it
    expect(preview).to_be_visible()
    link.tap()
    expect(page).to_have_url(re.compile(rf"/terms/{TERM}/$"))


def test_at_320_pixels_wide_the_preview_fits_the_screen(open_tab: Callable[..., Tab]) -> None:
    page = open_tab(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True).page
    _entry(page)
    citation = _citation(page)
    _scroll_to(citation)
    citation.tap()
    preview = page.get_by_role("group", name="Reference 1")
    expect(preview).to_be_visible()
    assert _inside(preview.bounding_box(), 320, 640)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


# --- Copy link ------------------------------------------------------------------------------------------


def _with_clipboard(open_tab: Callable[..., Tab], site_url: str) -> Page:
    page = open_tab().page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    return page


def test_copy_link_copies_the_page_address_without_query_or_fragment(
    open_tab: Callable[..., Tab], site_url: str
) -> None:
    page = _with_clipboard(open_tab, site_url)
    _entry(page, f"{ENTRY}?q=spinal+cord+softening#for-clinicians")
    button = page.locator("[data-share] button")
    expect(button).to_have_accessible_name("Copy link")
    button.click()
    expect(page.get_by_role("status")).to_have_text("Link copied")
    expect(button).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == f"{site_url}{ENTRY}"
    expect(button).to_have_text("Copy link", timeout=5000)  # only briefly


def test_a_section_permalink_still_goes_to_its_section_and_copies_its_address(
    open_tab: Callable[..., Tab], site_url: str
) -> None:
    page = _with_clipboard(open_tab, site_url)
    _entry(page)
    page.get_by_role("link", name="Link to section: For clinicians").click()
    expect(page).to_have_url(f"{site_url}{ENTRY}#for-clinicians")
    expect(page.get_by_role("status")).to_have_text("Link to section copied")
    assert page.evaluate("navigator.clipboard.readText()") == f"{site_url}{ENTRY}#for-clinicians"


def test_enter_on_a_permalink_copies_its_address_too(open_tab: Callable[..., Tab], site_url: str) -> None:
    page = _with_clipboard(open_tab, site_url)
    _entry(page)
    permalink = page.get_by_role("link", name="Link to section: What it is")
    _tab_to(page, permalink)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site_url}{ENTRY}#what-it-is")
    expect(page.get_by_role("status")).to_have_text("Link to section copied")
    assert page.evaluate("navigator.clipboard.readText()") == f"{site_url}{ENTRY}#what-it-is"


REFUSING_CLIPBOARD = """
Object.defineProperty(navigator, "clipboard", {
  value: { writeText: () => Promise.reject(new DOMException("Refused", "NotAllowedError")) },
});
"""
NO_CLIPBOARD = 'Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined });'


def _fallback(page: Page, url: str) -> None:
    box = page.get_by_role("textbox", name="Press Ctrl+C to copy")
    expect(box).to_be_focused()
    expect(box).to_have_value(url)
    expect(box).not_to_be_editable()
    assert box.evaluate("node => [node.selectionStart, node.selectionEnd]") == [0, len(url)]
    expect(page.get_by_role("status")).to_have_text("Press Ctrl+C to copy")


def test_without_a_clipboard_the_address_is_shown_selected_to_copy(open_tab: Callable[..., Tab], site_url: str) -> None:
    for script in [REFUSING_CLIPBOARD, NO_CLIPBOARD]:
        page = open_tab().page
        page.add_init_script(script)
        _entry(page)
        button = page.get_by_role("button", name="Copy link")
        button.click()
        _fallback(page, f"{site_url}{ENTRY}")
        page.keyboard.press("Escape")
        expect(page.get_by_role("textbox", name="Press Ctrl+C to copy")).to_have_count(0)
        expect(button).to_be_focused()
        page.get_by_role("link", name="Link to section: In short").click()
        _fallback(page, f"{site_url}{ENTRY}#in-short")
        expect(page).to_have_url(f"{site_url}{ENTRY}#in-short")


# --- Without JavaScript ---------------------------------------------------------------------------------


def test_without_javascript_links_are_plain_links_and_there_is_no_copy_button(open_tab: Callable[..., Tab]) -> None:
    page = open_tab(java_script_enabled=False).page
    page.goto(ENTRY)
    expect(page.get_by_role("button", name="Copy link")).to_have_count(0)
    expect(page.locator("[data-share]")).to_be_empty()
    link = _term_link(page)
    link.hover()
    page.wait_for_timeout(500)
    expect(page.locator(".preview")).to_have_count(0)
    assert link.get_attribute("aria-describedby") is None
    link.click()
    expect(page).to_have_url(re.compile(rf"/terms/{TERM}/$"))
    page.goto(ENTRY)
    _citation(page).click()
    expect(page).to_have_url(re.compile(rf"#ref-{FIRST_REFERENCE}$"))
