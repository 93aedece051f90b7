"""The bundled entries in a real browser: every one fits a phone's width, and the seed entries print as handouts.

These are tests of the content, like tests/test_bundled_content.py: an editor's entry with a word or
address too long to wrap fails here. Every other browser test runs on the fixture site, so what
the code does is tested whatever the content holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.browser.conftest import Tab
from tests.conftest import BUNDLED
from tests.support.layout import REFLOW_320, layout_problems, printed
from tests.support.servers import gunicorn_site

ENTRIES = sorted(path.stem for path in (BUNDLED / "terms").glob("*.md"))
# The entries in a few shares, so that test workers split the longest check between them.
REFLOW_SHARES = 4
# The three pages the project grew from, which a clinician is most likely to print for a patient.
SEED_ENTRIES = ["myelomalacia", "myelogram", "intramedullary-tumour"]
# Three A4 pages at most: the aftercare and urgent-help advice added to myelogram (issue 16) took it past two.
MAX_PAGES = 3


@pytest.fixture(scope="module")
def site_url(_collected_static: None) -> Iterator[str]:
    """The bundled site on gunicorn, in place of the fixture site."""
    with gunicorn_site(BUNDLED) as base:
        yield base


@pytest.mark.parametrize("share", range(REFLOW_SHARES))
def test_every_entry_reflows_at_320px(open_tab: Callable[..., Tab], share: int) -> None:
    """Every entry's own page as a reader without JavaScript gets it: what scripts add is the same on every
    entry and is checked at this width with scripts on (test_accessibility.py).

    Each page's HTML is fetched from the server and laid out in place of the last one (`set_content`, on the
    site's own address, so its stylesheet and figures load as on a visit). That is the whole document a visit
    would show, at a third of the cost of navigating to it (measured with 150 entries: 1,454 against 497
    jiffies of CPU).
    """
    page = open_tab(viewport=REFLOW_320, java_script_enabled=False).page
    page.goto("/terms/")
    problems = []
    for slug in ENTRIES[share::REFLOW_SHARES]:
        response = page.request.get(f"/terms/{slug}/")
        assert response.status == 200, f"/terms/{slug}/ answered {response.status}"
        page.set_content(response.text())
        problems += layout_problems(page, f"/terms/{slug}/ at 320px")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("slug", SEED_ENTRIES)
def test_seed_entry_prints_on_at_most_three_a4_pages(tab: Tab, slug: str) -> None:
    """What an A4 handout holds, and that it names its page, is tested on the fixture site (test_print.py)."""
    tab.page.goto(f"/terms/{slug}/")
    pdf = printed(tab.page)
    assert 1 <= len(pdf.pages) <= MAX_PAGES
    assert tab.page.locator("h1").text_content() in " ".join(pdf.pages[0].extract_text().split())
