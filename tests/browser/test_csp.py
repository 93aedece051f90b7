"""The Content-Security-Policy in chromium: every page type loads without one violation, the site's scripts
still work under it, and it really is enforced.

A `securitypolicyviolation` listener, installed before any of the page's own scripts, records every
violation; chromium also logs each one as a console error, which the fixtures fail on. The entry page
carries a JSON-LD `<script type="application/ld+json">`: a data block, which script-src does not govern,
so it loads without a violation while an inline script injected into the same page is refused. Chromium
only warns (not errs) about a Permissions-Policy feature it does not know, so those warnings are caught here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from glossary.web.views import FIGURE_CSP
from tests.browser.conftest import ENTRY, PAGE_IDS, PAGES, Tab

RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${blocked} in ${event.sourceFile}`);
});
"""


@dataclass
class Opened:
    page: Page
    header_warnings: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        if "Permissions-Policy" in message.text or "Content Security Policy" in message.text:
            self.header_warnings.append(message.text)

    def problems(self) -> list[str]:
        """Every violation the page recorded, and every complaint chromium made about the site's policies."""
        recorded = self.page.evaluate("window.__cspViolations")
        assert recorded is not None, "the violation recorder did not run"
        return [*recorded, *self.header_warnings]


def _open(open_tab: Callable[..., Tab], path: str, status: int = 200) -> Opened:
    """Open `path` with the violation recorder installed before any of the page's scripts."""
    tab = open_tab()
    tab.expected_status = status if status >= 400 else None
    opened = Opened(tab.page)
    tab.page.on("console", opened.record)
    tab.page.add_init_script(RECORDER)
    response = tab.page.goto(path)
    assert response is not None and response.status == status
    tab.page.wait_for_load_state("load")  # deferred scripts have run
    return opened


@pytest.mark.parametrize(("path", "status"), PAGES, ids=PAGE_IDS)
def test_every_page_type_loads_without_a_violation(open_tab: Callable[..., Tab], path: str, status: int) -> None:
    opened = _open(open_tab, path, status)
    assert opened.page.evaluate("[...document.styleSheets].filter((sheet) => sheet.cssRules.length).length") == 1
    assert opened.problems() == []


def test_the_entrys_json_ld_figure_and_qr_code_need_nothing_the_policy_forbids(open_tab: Callable[..., Tab]) -> None:
    opened = _open(open_tab, ENTRY)
    page = opened.page
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content() or "")
    assert data["@type"] == "MedicalWebPage"
    figure = page.locator("main figure img").first
    expect(figure).to_be_visible()
    assert figure.evaluate("(image) => image.complete && image.naturalWidth > 0")
    assert page.locator(".handout-footer svg.qr").count() == 1  # inline SVG markup, not an image
    assert opened.problems() == []


def test_the_sites_scripts_work_under_the_policy(open_tab: Callable[..., Tab]) -> None:
    home = _open(open_tab, "/")
    home.page.get_by_role("combobox", name="Search the glossary").press_sequentially("myel")
    expect(home.page.get_by_role("listbox")).to_be_visible()  # typeahead: fetch, connect-src 'self'
    assert home.problems() == []

    entry = _open(open_tab, ENTRY)
    entry.page.locator("main .body a.term-link").first.hover()
    expect(entry.page.get_by_role("group", name=re.compile("^Preview: "))).to_be_visible()  # previews
    assert entry.problems() == []


@pytest.fixture
def bare_context(browser: Browser, site_url: str) -> Iterator[BrowserContext]:
    """A context outside the shared fixtures, for pages whose console errors are the point (or not ours)."""
    context = browser.new_context(base_url=site_url)
    context.add_init_script(RECORDER)
    yield context
    context.close()


def test_a_figure_opened_on_its_own_keeps_its_sandbox(bare_context: BrowserContext) -> None:
    page = bare_context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text} {message.location}"))
    response = page.goto("/figures/cord.svg")
    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"] == FIGURE_CSP
    assert page.locator("svg").count() >= 1
    # Chromium may ask for /favicon.ico beside a document that names no icon; that 404 is not the figure's.
    assert [message for message in messages if "favicon.ico" not in message] == []


def test_the_policy_is_enforced(bare_context: BrowserContext) -> None:
    """The control: what an injection would add (inline script, inline style, a data: script) is refused."""
    page = bare_context.new_page()
    page.goto("/")
    page.wait_for_load_state("load")
    page.evaluate(
        """() => {
          const inline = document.createElement("script");
          inline.textContent = "window.__injected = true";
          document.body.append(inline);
          document.body.setAttribute("style", "outline: 5px solid red");
          const data = document.createElement("script");
          data.src = "data:text/javascript,window.__fromData = true";
          document.body.append(data);
        }"""
    )
    page.wait_for_function("window.__cspViolations.length >= 3")
    assert page.evaluate("window.__injected === undefined && window.__fromData === undefined")
    directives = {violation.split()[0] for violation in page.evaluate("window.__cspViolations")}
    assert {"script-src-elem", "style-src-attr"} <= directives
