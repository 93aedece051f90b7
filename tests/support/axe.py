"""axe-core's WCAG checks run in a page: what the accessibility tests of every page type and the report
reader's page share.

axe-core comes from npm (tests/browser/package.json; `make test` runs `npm ci`) and is injected into the
page, so the page's context must bypass its Content-Security-Policy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[1] / "browser" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SCHEMES = ["light", "dark"]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now, for the WCAG 2.2 A/AA tags and best practices.

    Text whose contrast axe measured but would not judge (its "needs review" for, say, a single letter) counts
    too, so unreadable text cannot hide there; the contrast axe measured is in the failure summary.
    """
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run npm ci --prefix tests/browser (make test does)")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    unsure = [
        {**item, "id": "color-contrast (needs review, measured too low)", "nodes": low}
        for item in result["incomplete"]
        if item["id"] == "color-contrast" and (low := [node for node in item["nodes"] if _measured_too_low(node)])
    ]
    return result["violations"] + unsure


def _measured_too_low(node: dict[str, Any]) -> bool:
    """A contrast axe measured and found below what WCAG asks, though it left the verdict to a person (text
    under another element, which axe cannot measure, is left out)."""
    data = next((check.get("data") or {} for check in node["any"] if check["id"] == "color-contrast"), {})
    expected = str(data.get("expectedContrastRatio") or "0:1").split(":")[0]
    return 0 < (data.get("contrastRatio") or 0) < float(expected)


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' > '.join(map(str, node['target']))}: {summary[:300]}")
    return "\n".join(lines)


def _is_dark(page: Page) -> bool:
    return page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")


def axe_in_both_schemes(page: Page) -> str:
    """axe's findings on the page in the light and then the dark colour scheme, as a report ("" when none)."""
    report = []
    body_colours = set()
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        assert _is_dark(page) == (scheme == "dark")
        # Colour transitions started by the switch (the suggestions' background) must end before axe measures.
        page.evaluate("Promise.all(document.getAnimations().map(animation => animation.finished))")
        body_colours.add(page.evaluate("getComputedStyle(document.body).backgroundColor"))
        violations = axe_violations(page)
        if violations:
            report.append(f"in the {scheme} colour scheme:\n{describe(violations)}")
    assert len(body_colours) == 2, "the dark colour scheme did not change the page"
    return "\n".join(report)
