"""The header search typeahead in a real browser: the WAI-ARIA combobox by keyboard, mouse and touch, and without JS."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Error, Locator, Page, Route, expect

from tests.browser.conftest import Tab, off_site
from tests.conftest import FIXTURES
from tests.support.servers import gunicorn_site

SEARCH_BOX = "Search the glossary"
HINT = "Use up and down arrows to choose."
START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def site_url(_collected_static: None) -> Iterator[str]:
    """The search tests' stub entries (tests/fixtures/search/) on gunicorn, in place of the bundled site:
    what is tested is the combobox, not which entries the content holds."""
    with gunicorn_site(FIXTURES / "search") as base:
        yield base


def _search(page: Page, text: str) -> Locator:
    """Type into the header search box key by key, as a reader does, and wait for the suggestions."""
    page.goto("/")
    box = page.get_by_role("combobox", name=SEARCH_BOX)
    box.press_sequentially(text)
    expect(page.get_by_role("listbox")).to_be_visible()
    # The answer to the whole text, not to a part typed earlier that a later answer would replace.
    expect(page.get_by_role("option").last).to_have_text(f"Search all entries for “{text}”")
    return box


def _option(page: Page, title: str) -> Locator:
    return page.get_by_role("option", name=re.compile(rf"^{re.escape(title)}\b"))


def _press_down_to(box: Locator, title: str) -> None:
    """Highlight the option for `title` with the arrow keys, wherever the ranking put it."""
    names = [name.split("\n")[0] for name in box.page.get_by_role("option").all_inner_texts()]
    for _ in range(names.index(title) + 1):
        box.press("ArrowDown")


def _expect_active(box: Locator, index: int) -> None:
    option = box.page.get_by_role("option").nth(index)
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box.page.locator("[role=option][aria-selected=true]")).to_have_count(1)


def test_typing_offers_matching_entries_and_announces_how_many(tab: Tab) -> None:
    box = _search(tab.page, "myelo")
    listbox = tab.page.get_by_role("listbox")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id") or "")
    expect(_option(tab.page, "Myelogram")).to_be_visible()
    entries = tab.page.get_by_role("option").count() - 1  # the last option searches all entries
    expect(tab.page.locator("[aria-live=polite]")).to_have_text(f"{entries} suggestions. {HINT}")


def test_a_query_with_no_match_announces_no_suggestions(tab: Tab) -> None:
    tab.page.goto("/")
    tab.page.get_by_role("combobox", name=SEARCH_BOX).press_sequentially("zzzqx")
    expect(tab.page.locator("[aria-live=polite]")).to_have_text("No suggestions.")
    expect(tab.page.get_by_role("listbox")).to_be_hidden()


def test_arrow_keys_move_the_highlight_and_wrap_around(tab: Tab) -> None:
    box = _search(tab.page, "myelo")
    last = tab.page.get_by_role("option").count() - 1
    box.press("ArrowDown")
    _expect_active(box, 0)
    box.press("ArrowDown")
    _expect_active(box, 1)
    box.press("ArrowUp")
    box.press("ArrowUp")
    _expect_active(box, last)
    box.press("ArrowDown")
    _expect_active(box, 0)
    expect(box).to_be_focused()


def test_enter_on_a_highlighted_option_opens_its_entry(tab: Tab) -> None:
    box = _search(tab.page, "myelo")
    _press_down_to(box, "Myelomalacia")
    box.press("Enter")
    expect(tab.page).to_have_url(re.compile(r"/terms/myelomalacia/$"))


def test_enter_with_nothing_highlighted_submits_the_form(tab: Tab) -> None:
    box = _search(tab.page, "myelo")
    box.press("Enter")
    expect(tab.page).to_have_url(re.compile(r"/search/\?q=myelo$"))


def test_the_last_option_lists_all_results_even_for_an_exact_name(tab: Tab) -> None:
    box = _search(tab.page, "myelogram")
    box.press("ArrowUp")
    expect(tab.page.get_by_role("option").last).to_have_text("Search all entries for “myelogram”")
    box.press("Enter")
    expect(tab.page).to_have_url(re.compile(r"/search/\?q=myelogram&all=1$"))
    expect(tab.page.get_by_role("link", name="Myelogram", exact=True)).to_be_visible()


def test_clicking_an_option_opens_its_entry(tab: Tab) -> None:
    _search(tab.page, "myelo")
    _option(tab.page, "Myelomalacia").click()
    expect(tab.page).to_have_url(re.compile(r"/terms/myelomalacia/$"))


def test_escape_closes_the_list_and_a_second_escape_clears_the_box(tab: Tab) -> None:
    box = _search(tab.page, "myelo")
    box.press("ArrowDown")
    box.press("Escape")
    expect(tab.page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.get_attribute("aria-activedescendant") is None
    expect(box).to_have_value("myelo")
    box.press("Escape")
    expect(box).to_have_value("")


def test_leaving_the_box_closes_the_list(tab: Tab) -> None:
    box = _search(tab.page, "myelo")
    box.press("Tab")
    expect(tab.page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize("typed", ["mielogram", "myelogrm"])
def test_a_misspelt_name_still_offers_the_entry(tab: Tab, typed: str) -> None:
    _search(tab.page, typed)
    expect(_option(tab.page, "Myelogram")).to_be_visible()


def test_an_option_found_by_alias_says_which_alias(tab: Tab) -> None:
    _search(tab.page, "spinal tap")
    expect(_option(tab.page, "Lumbar puncture")).to_contain_text("also called spinal tap")


def test_typing_quickly_sends_one_request_with_the_whole_query(tab: Tab) -> None:
    page = tab.page
    page.clock.install(time=START)
    page.goto("/")
    page.clock.pause_at(START + timedelta(hours=1))  # from now on the test, not the machine, moves time
    box = page.get_by_role("combobox", name=SEARCH_BOX)
    for key in "myelomalacia":
        box.press(key)
        page.clock.run_for(100)  # a quick typist: every pause shorter than the debounce
    page.clock.run_for(200)
    expect(page.get_by_role("listbox")).to_be_visible()
    asked = [parse_qs(urlsplit(url).query) for url in tab.requests if "/api/search/" in url]
    assert asked == [{"q": ["myelomalacia"], "limit": ["8"]}]


def test_a_newer_query_cancels_the_older_one_and_its_late_answer_is_never_shown(tab: Tab) -> None:
    page = tab.page
    held: list[Route] = []
    page.route(lambda url: "q=myel&" in url, lambda route: held.append(route))
    page.goto("/")
    box = page.get_by_role("combobox", name=SEARCH_BOX)
    with page.expect_request(lambda request: "q=myel&" in request.url):
        box.press_sequentially("myel")
    with page.expect_event("requestfailed") as failed:
        box.press("o")
    assert "q=myel&" in failed.value.url
    expect(_option(page, "Myelogram")).to_be_visible()
    with contextlib.suppress(Error):  # the browser may already have dropped the aborted request
        held[0].fulfill(json={"query": "myel", "results": [_result("Stale answer", "/terms/mri/")], "suggestion": None})
    page.wait_for_timeout(300)
    expect(_option(page, "Stale answer")).to_have_count(0)


def test_an_option_shows_its_title_and_category(tab: Tab) -> None:
    answer = {"query": "x", "suggestion": None, "results": [_result("Myelogram", "/terms/myelogram/")]}
    tab.page.route("**/api/search/**", lambda route: route.fulfill(json=answer))
    _search(tab.page, "x")
    expect(_option(tab.page, "Myelogram")).to_have_accessible_name("Myelogram Scans and tests")


def test_suggestions_show_data_as_text_and_never_leave_the_site(tab: Tab) -> None:
    page = tab.page
    markup = '<img src="/static/none.png" onerror="window.injected = true">'
    answer = {
        "query": "x",
        "suggestion": None,
        "results": [_result(markup, "/terms/mri/"), _result("Away", "//a.test/")],
    }
    page.route("**/api/search/**", lambda route: route.fulfill(json=answer))
    _search(page, "x")
    expect(page.get_by_role("option").first).to_contain_text(markup)
    expect(page.get_by_role("listbox").locator("img")).to_have_count(0)
    expect(_option(page, "Away")).to_have_count(0)
    assert page.evaluate("window.injected") is None


def test_without_javascript_the_box_is_a_plain_search_form(open_tab: Callable[..., Tab]) -> None:
    page = open_tab(java_script_enabled=False).page
    page.goto("/")
    box = page.get_by_role("searchbox", name=SEARCH_BOX)
    assert box.get_attribute("role") is None
    expect(page.get_by_role("combobox")).to_have_count(0)
    box.fill("myelo")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=myelo$"))
    expect(page.get_by_role("link", name="Myelogram", exact=True)).to_be_visible()


def test_without_javascript_an_exact_name_finds_its_entry(open_tab: Callable[..., Tab]) -> None:
    page = open_tab(java_script_enabled=False).page
    page.goto("/")
    page.get_by_role("searchbox", name=SEARCH_BOX).fill("myelogram")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/(terms/myelogram/|search/)\?q=myelogram$"))
    expect(page.get_by_role("link", name="Myelogram").first).to_be_visible()


def test_on_a_phone_the_list_fits_the_screen_and_options_are_big_enough_to_tap(open_tab: Callable[..., Tab]) -> None:
    page = open_tab(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True).page
    _search(page, "spinal")
    shown = page.get_by_role("listbox").bounding_box()
    assert shown is not None
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= 360
    assert shown["y"] >= 0 and shown["y"] + shown["height"] <= 740
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    heights = [(option.bounding_box() or {"height": 0})["height"] for option in page.get_by_role("option").all()]
    assert min(heights) >= 44
    _option(page, "Spinal canal").tap()
    expect(page).to_have_url(re.compile(r"/terms/spinal-canal/$"))


def test_no_request_leaves_the_local_server(tab: Tab) -> None:
    _search(tab.page, "myelo")
    _option(tab.page, "Myelogram").click()
    expect(tab.page).to_have_url(re.compile(r"/terms/myelogram/$"))
    for path in ["/terms/", "/references/", "/search/?q=spine"]:
        tab.page.goto(path)
    assert any("/api/search/" in url for url in tab.requests)
    assert any(url.endswith(".js") for url in tab.requests)
    assert off_site(tab.requests) == []


def _result(title: str, url: str) -> dict[str, str]:
    """One API result, for answers the tests make up."""
    return {
        "slug": "made-up",
        "title": title,
        "summary": "",
        "url": url,
        "category": "imaging-test",
        "matched": "title",
    }
