"""The editor's path, run as an editor runs it: newterm, check, and the live preview of `make run`.

The server is Django's runserver in a real process with GLOSSARY_PREVIEW=1, as the
Makefile starts it; files are changed on disk between requests, as an editor saves them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import FIXTURES
from tests.support.servers import STARTUP_SECONDS, free_port, get, server_env, serving

BROKEN_YAML = "summary: one: two\n"


def _manage(content: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=server_env(content),
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A copy of the fixture content served by runserver in preview mode: (base URL, content folder)."""
    content = tmp_path_factory.mktemp("preview") / "content"
    shutil.copytree(FIXTURES / "valid", content)
    port = free_port()
    command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    with serving(command, content, port, GLOSSARY_PREVIEW="1") as base:
        yield base, content


def test_contributing_steps_add_and_preview_an_entry(preview: tuple[str, Path]) -> None:
    base, content = preview
    # Step 1 of CONTRIBUTING.md: newterm writes the draft and says where it will show.
    made = _manage(content, "newterm", "Baastrup disease", "--category", "condition", "--related", "beta-scan")
    assert made.returncode == 0, made.stderr
    url = re.search(r"http://127\.0\.0\.1:8000(/terms/baastrup-disease/)", made.stdout)
    assert url, made.stdout
    entry = content / "terms" / "baastrup-disease.md"
    assert entry.is_file()
    # Before it is filled in, the preview shows what is left to write instead of publishing the template.
    status, page = get(base + url.group(1))
    assert status == 500 and "glossary.E028" in page
    # Step 2: replace the template's guidance ("Write here ...") with the entry's words.
    text = entry.read_text(encoding="utf-8")
    summary = "Baastrup disease means the bony points at the back of two spine bones touch and rub."
    text = re.sub(r"(?ms)^summary:.*?(?=^\w+:)", f"summary: {summary}\n", text, count=1)
    text = re.sub(r"(?m)^Write here .*$", "A [[beta-scan]] shows it best.", text)
    entry.write_text(text, encoding="utf-8")
    # Step 3: the check passes (warnings only) ...
    checked = _manage(content, "check")
    assert checked.returncode == 0, checked.stderr
    assert "baastrup-disease.md" not in checked.stderr.split("WARNINGS:")[0]
    # ... Step 4: and the running preview shows the saved entry on the next load, without a restart.
    status, page = get(base + url.group(1))
    assert status == 200
    assert summary in page and 'href="/terms/beta-scan/"' in page


def test_a_saved_change_shows_on_the_next_page_load(preview: tuple[str, Path]) -> None:
    base, content = preview
    entry = content / "terms" / "gamma-finding.md"
    original = entry.read_text(encoding="utf-8")
    try:
        entry.write_text(original.replace("## How it shows", "## How it shows\n\nFreshly saved words.", 1), "utf-8")
        assert "Freshly saved words." in get(f"{base}/terms/gamma-finding/")[1]
    finally:
        entry.write_text(original, encoding="utf-8")
    assert "Freshly saved words." not in get(f"{base}/terms/gamma-finding/")[1]


def test_an_entry_with_errors_shows_what_to_fix_and_other_pages_keep_working(preview: tuple[str, Path]) -> None:
    base, content = preview
    entry = content / "terms" / "alpha-term.md"
    original = entry.read_text(encoding="utf-8")
    lines = original.split("\n")
    summary_line = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    broken = "\n".join([*lines[:summary_line], BROKEN_YAML.rstrip("\n"), *lines[summary_line + 1 :]])
    try:
        entry.write_text(broken, encoding="utf-8")
        status, page = get(f"{base}/terms/alpha-term/")
        assert status == 500
        assert f"terms/alpha-term.md:{summary_line + 1}" in page
        assert "glossary.E005" in page and "Fix:" in page
        assert "Traceback" not in page
        # Every other page still works, and says what is wrong in the content.
        for path in ("/", "/terms/", "/terms/beta-scan/", "/search/?q=beta", "/api/search/?q=scan"):
            assert get(base + path)[0] == 200, path
        home = get(f"{base}/")[1]
        assert "alpha-term.md" in home
        # An entry that links to the broken one keeps its link; it leads to the page that says what to fix.
        linking = get(f"{base}/terms/gamma-finding/")
        assert linking[0] == 200 and 'href="/terms/alpha-term/"' in linking[1]
    finally:
        entry.write_text(original, encoding="utf-8")
    assert get(f"{base}/terms/alpha-term/")[0] == 200
    assert "alpha-term.md" not in get(f"{base}/")[1]
