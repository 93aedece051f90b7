"""WCAG 2.2 AA in a real browser: axe-core on every page type in light and dark, and what axe cannot check.

axe-core (tests/browser/package.json; `make test` runs `npm ci`) is injected into each page and runs its WCAG 2.0,
2.1 and 2.2 A/AA rules and its best practices. The other tests check by hand what needs a keyboard, a viewport or
a media feature: the skip link, landmarks, headings, the focus indicator, the search box's label, reflow at
320 CSS px, 200% zoom and text size, text spacing, and reduced motion.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ENTRY, FIRST_REFERENCE, PAGE_IDS, PAGES, Tab
from tests.support.axe import SCHEMES, axe_in_both_schemes, axe_violations
from tests.support.layout import DESKTOP, REFLOW_320, ZOOM_200, layout_problems, layout_problems_at

SEARCH_BOX = "Search the glossary"


# WCAG 1.4.12's text spacing: line height 1.5, paragraph spacing 2em, letter 0.12em, word 0.16em.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


@pytest.fixture
def open_tab(open_tab: Callable[..., Tab]) -> Callable[..., Tab]:
    """Tabs that let the checks in: axe-core and the style overrides below are inline script and style, which the
    site's Content-Security-Policy refuses. The pages have none of their own (tests/browser/test_csp.py)."""
    return functools.partial(open_tab, bypass_csp=True)


# --- axe-core ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "status"), PAGES, ids=PAGE_IDS)
def test_axe_finds_no_violations_in_light_or_dark(visit: Callable[..., Tab], path: str, status: int) -> None:
    report = axe_in_both_schemes(visit(path, status).page)
    assert report == "", f"{path}\n{report}"


def test_axe_finds_no_violations_with_the_suggestions_open(visit: Callable[..., Tab]) -> None:
    page = visit("/").page
    box = page.get_by_role("combobox", name=SEARCH_BOX)
    box.press_sequentially("myelo")
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("ArrowDown")
    expect(page.locator("[role=option][aria-selected=true]")).to_have_count(1)
    report = axe_in_both_schemes(page)
    assert report == "", f"the suggestions\n{report}"


def test_axe_reports_a_missing_alt_and_poor_contrast(visit: Callable[..., Tab]) -> None:
    """The control: a page with known violations added must fail, so a silent axe cannot pass the tests above."""
    page = visit("/").page
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            const img = document.createElement('img');
            img.src = '/static/favicon.svg';
            main.append(img);
            const faint = document.createElement('p');
            faint.textContent = 'Faint grey text on a grey background';
            faint.style.cssText = 'color: #777; background: #888';
            main.append(faint);
        }"""
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "color-contrast"} <= found


# --- structure: skip link, landmarks, headings, the search box's label --------------------------------------------

AFTER_MAIN = """() => { const main = document.querySelector('main'), next = document.activeElement;
  return main.contains(next) || Boolean(main.compareDocumentPosition(next) & Node.DOCUMENT_POSITION_FOLLOWING); }"""
HEADINGS = """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]'))
  .filter(el => el.checkVisibility() && !el.closest('[aria-hidden=true]'))
  .map(el => [Number(el.getAttribute('aria-level') || el.tagName.slice(1)), el.textContent.trim()])"""


@pytest.mark.parametrize(("path", "status"), PAGES, ids=PAGE_IDS)
def test_skip_link_landmarks_and_headings(visit: Callable[..., Tab], path: str, status: int) -> None:
    page = visit(path, status).page
    # WCAG 2.4.1: the first Tab stop skips to the main content, and the next goes on from there.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate(AFTER_MAIN), "Tab after the skip link goes on from the main content, not the header"

    # WCAG 1.3.1 and 2.4.1: one banner, main and contentinfo, the search landmark in the banner, named navigation.
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
    expect(page.get_by_role("search")).to_have_count(1)
    expect(page.get_by_role("banner").get_by_role("search")).to_have_count(1)
    expect(page.get_by_role("navigation", name="Main")).to_have_count(1)
    unnamed = page.evaluate(
        "Array.from(document.querySelectorAll('nav'))"
        ".filter(nav => !nav.getAttribute('aria-label') && !nav.getAttribute('aria-labelledby')).length"
    )
    assert unnamed == 0, "every navigation landmark has a name, since there is more than one"

    # WCAG 1.3.1 and 2.4.6: exactly one h1, first, and no level skipped on the way down.
    headings = page.evaluate(HEADINGS)
    levels = [level for level, _ in headings]
    assert levels.count(1) == 1 and levels[0] == 1, headings
    skipped = [(before, after) for before, after in itertools.pairwise(headings) if after[0] > before[0] + 1]
    assert skipped == [], headings


@pytest.mark.parametrize("javascript", [True, False], ids=["combobox", "no-js"])
def test_the_search_box_has_a_visible_label_as_its_accessible_name(
    open_tab: Callable[..., Tab], javascript: bool
) -> None:
    page = open_tab(java_script_enabled=javascript).page
    page.goto("/")
    box = page.get_by_role("combobox" if javascript else "searchbox", name=SEARCH_BOX)
    expect(box).to_have_count(1)
    expect(box).to_have_accessible_name(SEARCH_BOX)
    expect(page.locator("label[for=site-search]")).to_be_visible()
    expect(page.locator("label[for=site-search]")).to_have_text(SEARCH_BOX)
    expect(page.get_by_role("button", name="Search")).to_be_visible()


# --- keyboard: the focus indicator -------------------------------------------------------------------------------

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getClientRects()[0] || el.getBoundingClientRect();
  const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  let background = 'rgba(0, 0, 0, 0)';
  for (let node = el.parentElement; node && background === 'rgba(0, 0, 0, 0)'; node = node.parentElement) {
    background = getComputedStyle(node).backgroundColor;
  }
  return {
    element: el.outerHTML.slice(0, 120),
    focusVisible: el.matches(':focus-visible'),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    background,
    inViewport: rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth,
    obscured: !(top && (el.contains(top) || top.contains(el))),
  };
}"""


def _rgb(colour: str) -> tuple[float, float, float]:
    red, green, blue = (float(part) for part in re.findall(r"[\d.]+", colour)[:3])
    return red, green, blue


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two opaque CSS rgb() colours."""

    def luminance(colour: str) -> float:
        channels = [c / 255 for c in _rgb(colour)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(4.54, abs=0.01)


BOX_COLOURS = """() => {
  const behind = el => { let colour = 'rgba(0, 0, 0, 0)';
    for (let node = el.parentElement; node && colour === 'rgba(0, 0, 0, 0)'; node = node.parentElement) {
      colour = getComputedStyle(node).backgroundColor; }
    return colour; };
  const box = document.querySelector('#site-search'), button = document.querySelector('.search-form button');
  return {boxBorder: getComputedStyle(box).borderTopColor, aroundBox: behind(box),
          button: getComputedStyle(button).backgroundColor, aroundButton: behind(button)};
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_search_box_and_button_stand_out_from_the_page(visit: Callable[..., Tab], scheme: str) -> None:
    """WCAG 1.4.11: what shows where a control is (the box's border, the button's fill) has 3:1 against the page."""
    colours = visit("/", color_scheme=scheme).page.evaluate(BOX_COLOURS)
    assert contrast(colours["boxBorder"], colours["aroundBox"]) >= 3, colours
    assert contrast(colours["button"], colours["aroundButton"]) >= 3, colours


def focus_stops(page: Page) -> list[dict[str, Any]]:
    """Every Tab stop of the page from the top, as the focused element looks there."""
    stops: list[dict[str, Any]] = []
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (stops and focused["element"] == stops[0]["element"]):
            break
        stops.append(focused)
    return stops


def focus_problems(stop: dict[str, Any]) -> list[str]:
    ratio = contrast(stop["outlineColor"], stop["background"])
    checks = {
        "not :focus-visible": not stop["focusVisible"],
        "no outline": stop["outlineStyle"] in ("none", "hidden") or stop["outlineWidth"] < 2,
        f"outline contrast {ratio:.2f}:1 under 3:1": ratio < 3,
        "out of view": not stop["inViewport"],
        "hidden behind other content": stop["obscured"],
    }
    return [problem for problem, failed in checks.items() if failed]


@pytest.mark.parametrize("path", ["/", ENTRY, "/search/?q=spinal+cord&all=1", f"/references/{FIRST_REFERENCE}/"])
def test_every_tab_stop_shows_a_visible_unobscured_focus_ring(visit: Callable[..., Tab], path: str) -> None:
    """Tab through the whole page, light and dark: each stop has a 2px+ outline at 3:1 against the background
    around it (WCAG 2.4.7, 1.4.11) and is not hidden behind other content (2.4.11)."""
    page = visit(path).page
    problems = []
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        page.reload()
        stops = focus_stops(page)
        assert len(stops) > 5, stops
        problems += [f"{scheme}: {stop['element']}: {found}" for stop in stops if (found := focus_problems(stop))]
    assert problems == [], "\n".join(problems)


def test_the_focus_check_catches_a_missing_or_faint_ring(visit: Callable[..., Tab]) -> None:
    """The control: with the outline taken away, or drawn in the background's colour, the check must fail."""
    page = visit("/").page
    style = page.add_style_tag(content=":focus-visible { outline: none !important; }")
    assert "no outline" in focus_problems(focus_stops(page)[0])
    style.evaluate("style => style.remove()")
    page.reload()
    page.add_style_tag(content=":focus-visible { outline-color: var(--bg) !important; }")
    assert any("under 3:1" in problem for problem in focus_problems(focus_stops(page)[0]))


# --- reflow, zoom, text size and spacing (WCAG 1.4.4, 1.4.10, 1.4.12) ---------------------------------------------

FONT_SIZES = """() => Array.from(document.body.querySelectorAll('*'))
  .filter(el => el.checkVisibility() && Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
  .map(el => [el.tagName.toLowerCase() + ' ' + el.textContent.trim().slice(0, 30),
              parseFloat(getComputedStyle(el).fontSize)])"""


@pytest.mark.parametrize(("path", "status"), PAGES, ids=PAGE_IDS)
def test_reflow_zoom_text_size_and_spacing_lose_nothing(visit: Callable[..., Tab], path: str, status: int) -> None:
    """At 320 CSS px (a 1280px window at 400%) and 640 (at 200%) the page reflows into one column (1.4.10);
    doubling the text size doubles every text and loses nothing (1.4.4); so does WCAG's text spacing (1.4.12)."""
    page = visit(path, status, viewport=REFLOW_320).page
    problems = layout_problems_at(page, REFLOW_320, "zoomed 400%")
    problems += layout_problems_at(page, ZOOM_200, "zoomed 200%")

    spacing = page.add_style_tag(content=TEXT_SPACING)
    problems += layout_problems_at(page, REFLOW_320, "text spacing")
    problems += layout_problems_at(page, DESKTOP, "text spacing")
    spacing.evaluate("style => style.remove()")

    before = page.evaluate(FONT_SIZES)
    page.add_style_tag(content="html { font-size: 200% !important; }")
    after = page.evaluate(FONT_SIZES)
    assert [text for text, _ in after] == [text for text, _ in before]
    problems += [
        f"text size 200%: {text!r} grew from {old}px to only {new}px"
        for (text, old), (_, new) in zip(before, after, strict=True)
        if new < old * 1.95
    ]
    problems += layout_problems_at(page, DESKTOP, "text size 200%")
    assert problems == [], f"{path}\n" + "\n".join(problems)


def test_the_open_suggestions_fit_at_320px(visit: Callable[..., Tab]) -> None:
    page = visit("/", viewport=REFLOW_320).page
    page.get_by_role("combobox", name=SEARCH_BOX).press_sequentially("spinal")
    expect(page.get_by_role("listbox")).to_be_visible()
    assert layout_problems(page, "the suggestions at 320px") == []


def test_the_layout_checks_catch_sideways_scrolling_and_clipped_text(visit: Callable[..., Tab]) -> None:
    """The control: a page made too wide, and a box that cuts its text off, must both be found."""
    page = visit("/", viewport=REFLOW_320).page
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            const wide = document.createElement('p');
            wide.textContent = 'Too wide';
            wide.style.width = '500px';
            const cut = document.createElement('p');
            cut.textContent = 'A sentence far too long for the small box that holds it';
            cut.style.cssText = 'height: 1em; overflow: hidden';
            main.append(wide, cut);
        }"""
    )
    problems = "\n".join(layout_problems(page, "broken"))
    assert "scrolls sideways" in problems and "past the right edge" in problems and "text cut off" in problems


# --- motion: prefers-reduced-motion is honoured ------------------------------------------------------------------

MOTION = """() => Array.from(document.querySelectorAll('*')).map(el => {
  const style = getComputedStyle(el);
  const seconds = value => Math.max(...value.split(',')
    .map(part => parseFloat(part) * (part.trim().endsWith('ms') ? 0.001 : 1)));
  return {element: el.tagName.toLowerCase() + '.' + Array.from(el.classList).join('.'),
          transition: seconds(style.transitionDuration),
          animation: style.animationName === 'none' ? 0 : seconds(style.animationDuration)};
}).filter(found => found.transition > 0 || found.animation > 0)"""


def _moving(open_tab: Callable[..., Tab], reduced_motion: str) -> tuple[list[dict[str, Any]], str, int]:
    """What has a transition or animation on the home page with the suggestions open and one hovered, the
    page's scroll behaviour, and how many animations are running."""
    page = open_tab(reduced_motion=reduced_motion).page
    page.goto("/")
    box = page.get_by_role("combobox", name=SEARCH_BOX)
    box.press_sequentially("myelo")
    expect(page.get_by_role("listbox")).to_be_visible()
    page.get_by_role("option").first.hover()
    box.press("ArrowDown")
    running = page.evaluate("document.getAnimations().length")
    return page.evaluate(MOTION), page.evaluate("getComputedStyle(document.documentElement).scrollBehavior"), running


def test_with_reduced_motion_nothing_moves(open_tab: Callable[..., Tab]) -> None:
    moving, _, _ = _moving(open_tab, "no-preference")
    assert moving, "the control: without the preference the suggestions have a transition"
    moving, scroll, running = _moving(open_tab, "reduce")
    assert (moving, scroll, running) == ([], "auto", 0)
