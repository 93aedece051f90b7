"""What a page looks like laid out in chromium: on screen (sideways scrolling, content past the right edge,
text cut off) and printed.

Shared by the tests of the site's code on the fixture site and the tests of the bundled entries
(tests/browser/test_bundled_pages.py).
"""

from __future__ import annotations

from io import BytesIO

from playwright.sync_api import Page
from pypdf import PdfReader

# A 1280 x 800 window at 200% zoom lays pages out in 640 x 400 CSS px; at 400% in 320 CSS px (WCAG 1.4.10).
DESKTOP = {"width": 1280, "height": 800}
ZOOM_200 = {"width": 640, "height": 400}
REFLOW_320 = {"width": 320, "height": 256}

LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + Array.from(el.classList).join('.') : '') + ' ' +
    JSON.stringify(el.textContent.trim().slice(0, 40));
  const scrolls = el => { for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(n).overflowX)) return true; } return false; };
  const sticksOut = [], clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.checkVisibility() || !el.textContent.trim()) continue;
    const rect = el.getBoundingClientRect();
    if (rect.right > width + 1 && rect.left >= 0 && !scrolls(el)) sticksOut.push(name(el));
    if (el.clientWidth <= 1 || el.clientHeight <= 1) continue;  // hidden on purpose, for screen readers only
    const style = getComputedStyle(el);
    const hidesX = ['hidden', 'clip'].includes(style.overflowX), hidesY = ['hidden', 'clip'].includes(style.overflowY);
    if ((hidesX && el.scrollWidth > el.clientWidth + 1) || (hidesY && el.scrollHeight > el.clientHeight + 1)
        || (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth)) clipped.push(name(el));
  }
  return {scrollWidth: document.documentElement.scrollWidth, clientWidth: width, sticksOut, clipped};
}"""


def layout_problems(page: Page, what: str) -> list[str]:
    """Sideways scrolling of the page, content sticking out past its right edge, text cut off."""
    layout = page.evaluate(LAYOUT)
    problems = []
    if layout["scrollWidth"] > layout["clientWidth"]:
        problems.append(f"{what}: the page scrolls sideways ({layout['scrollWidth']} > {layout['clientWidth']}px)")
    problems += [f"{what}: past the right edge: {element}" for element in layout["sticksOut"]]
    problems += [f"{what}: text cut off: {element}" for element in layout["clipped"]]
    return problems


def layout_problems_at(page: Page, viewport: dict[str, int], what: str) -> list[str]:
    page.set_viewport_size(viewport)
    assert page.evaluate("document.documentElement.clientWidth") == viewport["width"]
    return layout_problems(page, f"{what} at {viewport['width']}px")


def printed(page: Page) -> PdfReader:
    """The page as chromium prints it: the stylesheet's page size (A4), no background colours."""
    return PdfReader(BytesIO(page.pdf(prefer_css_page_size=True, print_background=False)))
