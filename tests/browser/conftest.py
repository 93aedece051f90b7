"""Browser fixtures: gunicorn serving the fixture site, and Debian's chromium driven by Playwright.

The site is tests/fixtures/pages/: made-up entries with every part a page can have (a figure, sources,
an urgent-help box, a short entry of report language), so no edit to the bundled content can break a
test of the site's code. A module that tests the bundled content in a browser serves it itself
(test_bundled_pages.py). Every page a test opens records its requests and its console errors; a test
fails on any console error or any request to a host other than the local server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright

from tests.conftest import FIXTURES
from tests.support.servers import gunicorn_site

SITE = FIXTURES / "pages"
ENTRY = "/terms/myelomalacia/"  # the full entry: figure, sources (the first with a DOI as its only link), links
FIRST_REFERENCE = "doi-2020"
# (name, path, status): one of each page type of the fixture site.
PAGE_TYPES = [
    ("home", "/", 200),
    ("a-to-z", "/terms/", 200),
    ("term-full", ENTRY, 200),
    ("term-unreviewed", "/terms/myelogram/", 200),  # no review date, a numbered list
    ("term-short", "/terms/effacement/", 200),  # a word of the report: the compact page
    ("term-urgent", "/terms/cauda-equina-syndrome/", 200),  # the urgent-help box first
    ("category", "/categories/imaging-finding/", 200),
    ("search-results", "/search/?q=spinal+cord&all=1", 200),
    ("search-no-results", "/search/?q=zzqxv", 200),
    ("search-too-long", "/search/?q=" + "x" * 201, 400),
    ("references", "/references/", 200),
    ("reference", f"/references/{FIRST_REFERENCE}/", 200),
    ("not-found", "/terms/myelomalcia-spot/", 404),
]
PAGE_IDS = [name for name, _, _ in PAGE_TYPES]
PAGES = [(path, status) for _, path, status in PAGE_TYPES]

# Debian's chromium, never a downloaded browser: CI installs it with apt-get (see .ci/run).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Tab:
    """A page and what happened in it: every URL it requested, every console error and uncaught exception."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # The status a test expects the page itself to answer (a 404 page); chromium logs that as a console error.
    expected_status: int | None = None

    def record_console(self, message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        expected = f"Failed to load resource: the server responded with a status of {self.expected_status} "
        if message.type == "error" and not (message.text.startswith(expected) and url == self.page.url):
            self.errors.append(f"{message.text} ({url})")

    def record_exception(self, error: Error) -> None:
        self.errors.append(f"uncaught: {error}")


def off_site(urls: list[str]) -> list[str]:
    """The URLs that went anywhere but the local server: the site promises no request to another host."""
    return [url for url in urls if urlsplit(url).scheme != "http" or urlsplit(url).hostname != "127.0.0.1"]


@pytest.fixture(scope="session")
def site_url(_collected_static: None) -> Iterator[str]:
    """The fixture site served as in production: gunicorn, DEBUG off, static files from WhiteNoise's manifest."""
    with gunicorn_site(SITE) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_tab(browser: Browser, site_url: str) -> Iterator[Callable[..., Tab]]:
    """Open a page in a fresh context (options as for `Browser.new_context`); check what it did afterwards."""
    tabs: list[Tab] = []

    def open_(**options: Any) -> Tab:
        context = browser.new_context(base_url=site_url, **options)
        tab = Tab(context.new_page())
        tab.page.on("request", lambda request: tab.requests.append(request.url))
        tab.page.on("console", tab.record_console)
        tab.page.on("pageerror", tab.record_exception)
        tabs.append(tab)
        return tab

    yield open_
    for tab in tabs:
        tab.page.context.close()
    assert [error for tab in tabs for error in tab.errors] == [], "console errors or uncaught exceptions"
    assert off_site([url for tab in tabs for url in tab.requests]) == [], "requests to another host"


@pytest.fixture
def tab(open_tab: Callable[..., Tab]) -> Tab:
    """A desktop-sized page with JavaScript on."""
    return open_tab()


@pytest.fixture
def visit(open_tab: Callable[..., Tab]) -> Callable[..., Tab]:
    """Open `path` in a fresh context and check its status: `visit("/terms/", color_scheme="dark")`.

    Keyword options are those of `Browser.new_context` (viewport, color_scheme, reduced_motion,
    java_script_enabled, ...); the tab records requests and console errors like any other.
    """

    def visit_(path: str, status: int = 200, **options: Any) -> Tab:
        tab = open_tab(**options)
        tab.expected_status = status if status >= 400 else None
        response = tab.page.goto(path)
        assert response is not None and response.status == status, f"{path} answered {response and response.status}"
        return tab

    return visit_
