"""What a page looks like laid out in chromium: sideways scrolling, content past the right edge, text cut off.

Shared by the accessibility tests of the site's code (every page type of the fixture site) and the
check of every bundled entry at phone width (tests/browser/test_bundled_pages.py).
"""

from __future__ import annotations

from playwright.sync_api import Page

# A 1280 x 800 window at 400% zoom lays pages out in 320 CSS px (WCAG 1.4.10).
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
