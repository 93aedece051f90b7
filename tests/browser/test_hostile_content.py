"""Hostile content in chromium: every XSS payload the loader accepts, served by gunicorn, runs nothing.

The loader rejects raw HTML and unsafe links (tests/test_hostile_content.py proves both that and the
renderer behind it), so what can reach a reader is what it accepts: payloads hidden in link titles,
alt text, wikilink text, headings, autolinks, escaped or encoded HTML, and in the front matter
and references.yaml, which the templates, the JSON-LD block, the previews and the typeahead show.
Every such block of tests/fixtures/xss/payloads.txt is an entry of a content folder served here.

Each page is opened with the Content-Security-Policy bypassed, so that what is proven is that the
content holds nothing that runs, not that the policy would stop it. A payload that ran would open
a dialog (`alert(1)`) or set `window.__xss`; on each page every element in the main content is sent
the events inline handlers listen for, the links are hovered, and the DOM is searched for event
handler attributes, foreign elements and any URL whose scheme the browser reads as other than
http(s) or mailto.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from glossary.content.loader import load
from tests.browser.conftest import Tab, off_site
from tests.support.servers import gunicorn_site
from tests.test_hostile_content import PAYLOADS, VALID, Payload, write_entry

ACCEPTED = [payload for payload in PAYLOADS if payload.loads]

# A reference whose every field is hostile, and an entry that cites it and links to the hostile titles.
REFERENCE = """
xss-2024:
  authors: ["<img src=x onerror=alert(1)>", "Smith\\" onmouseover=\\"alert(1)"]
  title: "</cite><script>window.__xss = 1</script> A hostile title"
  container: "<svg onload=alert(1)>"
  year: 2024
  url: "https://example.org/?q=\\"><script>alert(1)</script>"
"""
LINKS = """---
title: Hostile links
summary: A test page that links to the hostile pages.
category: anatomy
---

## What it is

See [[xss-front-matter-payloads]] and [[xss-front-matter-json-ld-breakout]]. A claim [@xss-2024].
"""

PAGES = [
    *[f"/terms/{payload.slug}/" for payload in ACCEPTED],
    "/terms/xss-links/",
    "/",
    "/terms/",
    "/categories/anatomy/",
    "/references/",
    "/references/xss-2024/",
    "/search/?q=hostile",
    "/search/?q=onmouseover+alert",
    "/search/?q=" + quote("<img src=x onerror=alert(1)>"),
    "/search/?q=" + quote('"><script>window.__xss = 1</script>'),
]

# Events that inline handlers (onmouseover=..., ontoggle=...) listen for, sent to every element of <main>.
FIRE_EVENTS = """() => {
  const types = ["mouseover", "mouseenter", "mousemove", "pointerover", "focus", "focusin", "blur",
                 "toggle", "load", "error", "animationstart", "transitionend", "input", "change"];
  for (const element of document.querySelectorAll("main *")) {
    for (const type of types) element.dispatchEvent(new Event(type));
  }
}"""

# Everything in the page that could run or send the reader elsewhere, as the browser itself reads it.
# (previews.js places the preview it builds with a style attribute: that one is the site's own.)
FIND_ACTIVE = """() => {
  const found = [];
  const schemes = ["http:", "https:", "mailto:"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on") || ["srcdoc", "formaction"].includes(name)) {
        found.push(`<${element.localName} ${name}>`);
      }
      if (["href", "src", "action", "xlink:href", "poster", "data", "background"].includes(name)) {
        let protocol;
        try { protocol = new URL(attribute.value, document.baseURI).protocol; } catch { continue; }
        if (!schemes.includes(protocol)) found.push(`<${element.localName} ${name}="${attribute.value}">`);
      }
    }
  }
  for (const element of document.querySelectorAll(
    "iframe, frame, object, embed, base, meta[http-equiv], .body :is(svg, math, form, input, button, style, script), "
    + ".body [style]:not(#glossary-preview)"
  )) found.push(element.outerHTML.slice(0, 100));
  for (const script of document.scripts) {
    const source = script.src ? new URL(script.src) : null;
    const own = script.type === "application/ld+json"
      || (source && source.origin === location.origin && source.pathname.startsWith("/static/"));
    if (!own) found.push(script.outerHTML.slice(0, 100));
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory, _collected_static: None) -> Iterator[str]:
    """gunicorn serving the valid fixture with every accepted payload as an entry."""
    content = Path(shutil.copytree(VALID, tmp_path_factory.mktemp("hostile") / "content"))
    for payload in ACCEPTED:
        write_entry(content, payload)
    (content / "terms" / "xss-links.md").write_text(LINKS, encoding="utf-8")
    references = content / "references.yaml"
    references.write_text(references.read_text(encoding="utf-8") + REFERENCE, encoding="utf-8")
    assert [str(p) for p in load(content).errors] == []
    with gunicorn_site(content) as base:
        yield base


@dataclass
class Watched:
    tab: Tab
    dialogs: list[str] = field(default_factory=list)

    @property
    def page(self) -> Page:
        return self.tab.page

    def record_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def ran(self) -> list[str]:
        """What any payload did: dialogs opened, window.__xss set, errors and exceptions in the console."""
        xss = self.page.evaluate("() => typeof window.__xss === 'undefined' ? null : String(window.__xss)")
        return [*self.dialogs, *([f"window.__xss = {xss}"] if xss is not None else []), *self.tab.errors]


@pytest.fixture
def watch(browser: Browser, hostile_url: str) -> Iterator[Callable[[], Watched]]:
    """A fresh page on the hostile site, with the CSP bypassed; afterwards nothing may have run or gone off-site."""
    opened: list[Watched] = []

    def open_() -> Watched:
        context = browser.new_context(base_url=hostile_url, bypass_csp=True)
        watched = Watched(Tab(context.new_page()))
        watched.page.on("request", lambda request: watched.tab.requests.append(request.url))
        watched.page.on("console", watched.tab.record_console)
        watched.page.on("pageerror", watched.tab.record_exception)
        watched.page.on("dialog", watched.record_dialog)
        opened.append(watched)
        return watched

    yield open_
    ran = [ran for watched in opened for ran in watched.ran()]
    for watched in opened:
        watched.page.context.close()
    assert ran == []
    assert off_site([url for watched in opened for url in watched.tab.requests]) == []


def _visit(watched: Watched, path: str) -> Page:
    page = watched.page
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
    page.wait_for_load_state("load")  # deferred scripts have run
    return page


def test_every_accepted_payload_is_served() -> None:
    assert len(ACCEPTED) >= 20
    assert {"front-matter-payloads", "link-title-breaks-out", "wikilink-text-breaks-out"} <= {p.name for p in ACCEPTED}


@pytest.mark.parametrize("path", PAGES)
def test_nothing_on_the_page_runs(watch: Callable[[], Watched], path: str) -> None:
    watched = watch()
    page = _visit(watched, path)
    page.evaluate(FIRE_EVENTS)
    links = page.locator("main .body a")
    for index in range(min(links.count(), 8)):
        links.nth(index).hover()
    page.mouse.move(1, 1)
    page.wait_for_timeout(200)  # a preview's fetch, or anything a payload started, settles

    assert page.evaluate(FIND_ACTIVE) == []
    assert watched.ran() == []


def test_hostile_names_are_text_in_previews_and_citations(watch: Callable[[], Watched]) -> None:
    watched = watch()
    page = _visit(watched, "/terms/xss-links/")
    title = 'Hostile "title" \'><svg onload=alert(1)>'

    page.locator("main .body a.term-link[data-term='xss-front-matter-payloads']").hover()
    preview = page.get_by_role("group", name=f"Preview: {title}")
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("</script><script>window.__xss = 1</script>")
    assert preview.locator("img, svg, script").count() == 0

    page.mouse.move(1, 1)
    page.get_by_role("link", name="Reference 1", exact=True).hover()
    citation = page.get_by_role("group", name=re.compile("Reference 1"))
    expect(citation).to_contain_text("</cite><script>window.__xss = 1</script> A hostile title")
    assert citation.locator("img, svg, script").count() == 0
    assert page.evaluate(FIND_ACTIVE) == []
    assert watched.ran() == []


def test_hostile_names_are_text_in_the_typeahead(watch: Callable[[], Watched]) -> None:
    watched = watch()
    page = _visit(watched, "/")
    page.get_by_role("combobox", name="Search the glossary").press_sequentially("hostile title svg")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(listbox).to_contain_text("<svg onload=alert(1)>")
    assert listbox.locator("img, svg, script").count() == 0
    assert watched.ran() == []


@pytest.mark.parametrize("payload", [p for p in ACCEPTED if p.text.startswith("---")], ids=str)
def test_the_json_ld_block_keeps_hostile_fields_inside_its_strings(
    watch: Callable[[], Watched], payload: Payload
) -> None:
    page = _visit(watch(), f"/terms/{payload.slug}/")
    blocks = page.locator('script[type="application/ld+json"]')
    assert blocks.count() == 1
    data = json.loads(blocks.text_content() or "")
    assert data["name"] == page.locator("h1").inner_text()
    assert "</script>" in data["name"] + data["description"] + json.dumps(data["about"].get("alternateName", []))


def test_the_checks_see_a_payload_that_runs(browser: Browser, hostile_url: str) -> None:
    """Not vacuous: what the sanitiser removes, put into a served page by hand, is seen by every check."""
    context = browser.new_context(base_url=hostile_url, bypass_csp=True)
    try:
        watched = Watched(Tab(context.new_page()))
        watched.page.on("dialog", watched.record_dialog)
        page = _visit(watched, "/terms/xss-links/")
        page.evaluate(
            """() => document.querySelector("main .body").insertAdjacentHTML("beforeend",
                 '<p onmouseover="window.__xss = 1">x</p><a id="js" href="javascript:alert(1)">y</a><svg></svg>')"""
        )
        page.evaluate(FIRE_EVENTS)
        with page.expect_event("dialog"):  # the alert arrives after the click returns, later on a busy machine
            page.locator("#js").click()

        assert len(page.evaluate(FIND_ACTIVE)) == 3
        assert watched.ran() == ["alert: 1", "window.__xss = 1"]
    finally:
        context.close()
