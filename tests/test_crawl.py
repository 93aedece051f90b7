"""Crawl the bundled site from / like a reader would: every internal link works, every entry is reachable."""

from __future__ import annotations

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from glossary.serving import store
from tests.html_tools import facts

START = "/"


def _internal(href: str) -> bool:
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc and not href.startswith(("mailto:", "#"))


@pytest.fixture(scope="module")
def crawl() -> dict[str, tuple[int, str]]:
    """Breadth-first over every internal link: {path: (final status, html)}; redirects are followed."""
    client = Client()
    seen: dict[str, tuple[int, str]] = {}
    queue = deque([START])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path, follow=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        html = body.decode("utf-8", "replace") if "html" in response.get("Content-Type", "") else ""
        seen[path] = (response.status_code, html)
        for href in facts(html).links:
            target = urldefrag(href).url
            if target and _internal(target) and target not in seen:
                queue.append(target)
    return seen


def test_every_internal_link_answers_200(crawl: dict[str, tuple[int, str]]) -> None:
    broken = {path: status for path, (status, _) in crawl.items() if status != 200}
    assert broken == {}


def test_every_entry_and_reference_is_reachable_from_home(crawl: dict[str, tuple[int, str]]) -> None:
    glossary = store.glossary()
    assert {page.entry.url for page in glossary.pages.values()} <= set(crawl)
    assert {f"/references/{key}/" for key in glossary.references} <= set(crawl)


def test_in_page_anchors_point_at_existing_ids(crawl: dict[str, tuple[int, str]]) -> None:
    missing = []
    for path, (_, html) in crawl.items():
        page = facts(html)
        for href in page.links:
            base, fragment = urldefrag(href)
            if fragment and (base in ("", path)) and fragment not in page.ids:
                missing.append((path, fragment))
            elif fragment and base in crawl and fragment not in facts(crawl[base][1]).ids:
                missing.append((path, href))
    assert missing == []


def test_every_citation_links_to_a_reference_that_lists_the_entry_back(crawl: dict[str, tuple[int, str]]) -> None:
    checked = 0
    for page in store.glossary().pages.values():
        html = crawl[page.entry.url][1]
        for href in facts(html).citation_links:
            key = href.removeprefix("#ref-")
            reference_page = crawl[f"/references/{key}/"][1]
            assert page.entry.url in facts(reference_page).links, (page.entry.slug, key)
            checked += 1
    assert checked > 0


def test_no_page_has_more_than_one_h1_or_duplicate_ids(crawl: dict[str, tuple[int, str]]) -> None:
    for path, (_, html) in crawl.items():
        if not html:
            continue
        page = facts(html)
        assert page.tags.count("h1") == 1, path
        assert len(page.ids) == len(set(page.ids)), path
