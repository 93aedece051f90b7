"""The sitemap, robots.txt and feed, and the change dates behind them."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.test import Client

from glossary.content import history
from glossary.serving import store
from glossary.web.discovery import FEED_LENGTH
from tests.conftest import FIXTURES

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


def test_sitemap_lists_every_entry_with_lastmod_and_the_browse_and_reference_pages(client: Client) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    urls = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in ET.fromstring(response.content).iter(f"{SITEMAP}url")
    }
    glossary = store.glossary()
    updated = store.updated()
    for slug in glossary.pages:
        assert urls[f"http://testserver/terms/{slug}/"] == updated[slug].date().isoformat()
    for key in glossary.references:
        assert f"http://testserver/references/{key}/" in urls
    assert {"http://testserver/", "http://testserver/terms/", "http://testserver/references/"} <= set(urls)
    assert "http://testserver/categories/imaging-test/" in urls
    assert not any("/search/" in url or "/api/" in url for url in urls)


def test_robots_points_at_the_sitemap_and_keeps_crawlers_off_search(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert {"User-agent: *", "Disallow: /search/", "Disallow: /api/"} <= set(lines)


def test_feed_lists_entries_newest_first_with_their_summaries(client: Client) -> None:
    response = client.get("/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    glossary = store.glossary()
    assert len(entries) == min(len(glossary.pages), FEED_LENGTH)
    dates = [datetime.fromisoformat(entry.findtext(f"{ATOM}updated") or "") for entry in entries]
    assert dates == sorted(dates, reverse=True)
    first = entries[0]
    slug = (first.find(f"{ATOM}link").get("href") or "").removeprefix("http://testserver/terms/").strip("/")
    assert first.findtext(f"{ATOM}title") == glossary.pages[slug].entry.title
    assert first.findtext(f"{ATOM}summary") == glossary.pages[slug].entry.summary
    assert feed.findtext(f"{ATOM}author/{ATOM}name")


def test_entry_page_shows_when_it_was_last_updated(client: Client) -> None:
    html = client.get("/terms/alpha-term/").content.decode()
    updated = store.updated()["alpha-term"]
    assert f'Last updated <time datetime="{updated:%Y-%m-%d}">{updated.day} {updated:%B %Y}</time>' in html


def test_a_later_review_date_counts_as_the_update() -> None:
    changed = datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert history.updated(changed, None) == changed
    assert history.updated(changed, date(2026, 1, 1)) == changed
    assert history.updated(changed, date(2026, 6, 1)) == datetime(2026, 6, 1, tzinfo=UTC)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_change_dates_come_from_the_last_commit_else_the_file_time(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "valid", tmp_path / "content")
    content = tmp_path / "content"
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_COMMITTER_DATE": "2025-05-05T10:00:00+00:00"}  # fmt: skip

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "content/terms/alpha-term.md")
    git("commit", "-q", "-m", "first")
    env["GIT_COMMITTER_DATE"] = "2025-07-07T10:00:00+00:00"
    git("add", "content/terms/beta-scan.md")
    git("commit", "-q", "-m", "second")
    uncommitted = content / "terms" / "gamma-finding.md"
    os.utime(uncommitted, (1_700_000_000, 1_700_000_000))

    paths = [content / "terms" / name for name in ("alpha-term.md", "beta-scan.md", "gamma-finding.md")]
    changed = history.changed(paths, content)
    assert changed[paths[0]] == datetime(2025, 5, 5, 10, tzinfo=UTC)
    assert changed[paths[1]] == datetime(2025, 7, 7, 10, tzinfo=UTC)
    assert changed[paths[2]] == datetime.fromtimestamp(1_700_000_000, tz=UTC)


def test_change_dates_outside_git_are_the_file_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FIXTURES / "valid", tmp_path / "content")
    path = tmp_path / "content" / "terms" / "alpha-term.md"
    os.utime(path, (1_600_000_000, 1_600_000_000))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # /tmp might sit inside some work tree
    assert history.changed([path], tmp_path / "content") == {path: datetime.fromtimestamp(1_600_000_000, tz=UTC)}
