"""`manage.py newterm`: the draft it writes explains every field, loads cleanly, and never clobbers an entry."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from glossary.content.entries import Entry
from glossary.content.frontmatter import FIELDS, parse_entry
from glossary.content.loader import load

from .conftest import FIXTURES

URL = "http://127.0.0.1:8000/terms/{}/"


@pytest.fixture
def content(tmp_path: Path, use_content: Callable[[Path], Path]) -> Path:
    """A writable copy of the valid fixture, which the site (and the command) reads."""
    return use_content(shutil.copytree(FIXTURES / "valid", tmp_path / "content"))


def newterm(*args: str) -> str:
    out = StringIO()
    call_command("newterm", *args, stdout=out)
    return out.getvalue()


def parsed(path: Path) -> Entry:
    entry, problems = parse_entry(path, path.read_text(encoding="utf-8"))
    assert entry is not None, problems
    return entry


def test_writes_the_fields_given(content: Path) -> None:
    output = newterm(
        "Arachnoiditis",
        "--category=condition",
        "--alias=narrow spinal canal",
        "--alias=spinal canal stenosis",
        "--related=beta-scan",
        "--related=gamma-finding",
    )

    entry = parsed(content / "terms" / "arachnoiditis.md")
    assert entry.title == "Arachnoiditis"
    assert entry.category == "condition"
    assert entry.aliases == ("narrow spinal canal", "spinal canal stenosis")
    assert entry.related == ("beta-scan", "gamma-finding")
    assert "arachnoiditis.md" in output
    assert URL.format("arachnoiditis") in output
    assert "make check" in output


def template_lines(path: Path) -> set[int]:
    """The lines of the draft that still hold the template's guidance ('Write here ...')."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {n for n, line in enumerate(lines, 1) if re.match(r"^(summary: )?['\"]?Write here ", line)}


def filled_in(path: Path) -> None:
    """Do what the editor does: replace every piece of guidance with words of their own."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^summary: .*$", "summary: A plain test entry.", text)
    path.write_text(re.sub(r"(?m)^Write here .*$", "Plain words.", text), encoding="utf-8")


def assert_only_template_errors(content: Path, slug: str) -> None:
    """The draft's only errors are E028, one on each line of template guidance, until it is filled in."""
    path = content / "terms" / f"{slug}.md"
    errors = {(p.code, p.path, p.line) for p in load(content).errors}
    assert errors == {("E028", path, line) for line in template_lines(path)}
    assert len(errors) >= 4  # the summary and the sections
    filled_in(path)
    assert load(content).errors == ()


def test_the_draft_loads_once_the_template_text_is_replaced(content: Path) -> None:
    newterm("Arachnoiditis", "--category", "condition", "--alias", "narrow spinal canal", "--related", "beta-scan")

    assert_only_template_errors(content, "arachnoiditis")
    result = load(content)
    assert "arachnoiditis" in result.glossary.pages
    body = result.glossary.pages["arachnoiditis"].entry.body
    assert re.findall(r"^## (.+)$", body, re.M) == [
        "What it is",
        "What it means for you",
        "How it shows on a scan",
        "For clinicians",
    ]


@pytest.mark.parametrize("category", ["imaging-test", "imaging-technique", "care-team"])
def test_every_category_loads(content: Path, category: str) -> None:
    newterm("Whole body scan", "--category", category)

    assert_only_template_errors(content, "whole-body-scan")


def test_explains_every_field(content: Path) -> None:
    newterm("Arachnoiditis", "--category", "condition")

    text = (content / "terms" / "arachnoiditis.md").read_text(encoding="utf-8")
    front_matter = text.split("\n---\n", 1)[0]
    for field in FIELDS:
        match = re.search(rf"^(#[^\n]*\n)(?:# )?{field}:", front_matter, re.M)
        assert match, f"{field} is missing, or has no note above it"


def test_title_with_colon_and_quotes_round_trips(content: Path) -> None:
    title = 'Modic "type 1": it\'s changes'
    alias = "MC: 'one'"
    newterm(title, "--category", "imaging-finding", "--alias", alias)

    entry = parsed(content / "terms" / "modic-type-1-its-changes.md")
    assert (entry.title, entry.aliases) == (title, (alias,))
    assert_only_template_errors(content, "modic-type-1-its-changes")


def test_refuses_to_overwrite(content: Path) -> None:
    path = content / "terms" / "beta-scan.md"
    before = path.read_bytes()

    with pytest.raises(CommandError, match=r"beta-scan\.md already exists"):
        newterm("Beta scan", "--category", "imaging-test")

    assert path.read_bytes() == before


def test_refuses_a_title_that_is_another_entrys_alias(content: Path) -> None:
    with pytest.raises(CommandError, match=r"'Alfa term' is already a name of the entry 'alpha-term'.*Edit that entry"):
        newterm("Alfa term", "--category", "anatomy")

    assert not (content / "terms" / "alfa-term.md").exists()


def test_refuses_an_alias_another_entry_owns(content: Path) -> None:
    with pytest.raises(CommandError, match=r"'bsc' is already a name of the entry 'beta-scan' \(as 'BSC'\)"):
        newterm("Delta scan", "--category", "imaging-test", "--alias", "bsc")

    assert not (content / "terms" / "delta-scan.md").exists()


def test_unknown_related_names_the_closest_slug(content: Path) -> None:
    with pytest.raises(CommandError, match=r"'beta-scna' is not an entry.*Did you mean 'beta-scan'\?"):
        newterm("Delta scan", "--category", "imaging-test", "--related", "beta-scna")

    assert not (content / "terms" / "delta-scan.md").exists()


def test_ignores_broken_entries_when_checking_names(content: Path) -> None:
    (content / "terms" / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")

    newterm("Delta scan", "--category", "imaging-test")

    assert parsed(content / "terms" / "delta-scan.md").title == "Delta scan"


def test_rejects_an_unknown_category(content: Path) -> None:
    with pytest.raises(CommandError, match="invalid choice: 'bogus'"):
        newterm("Delta scan", "--category", "bogus")


def test_rejects_a_title_without_letters(content: Path) -> None:
    with pytest.raises(CommandError, match="lowercase letters and digits"):
        newterm("?!", "--category", "anatomy")


def _run(content_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GLOSSARY_CONTENT_DIR": str(content_dir)}
    command = [sys.executable, "manage.py", "newterm", *args]
    return subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60)


def test_real_command(tmp_path: Path) -> None:
    content_dir = shutil.copytree(FIXTURES / "valid", tmp_path / "content")

    created = _run(content_dir, "Arachnoiditis", "--category", "condition")
    assert created.returncode == 0, created.stderr
    assert URL.format("arachnoiditis") in created.stdout
    written = (content_dir / "terms" / "arachnoiditis.md").read_bytes()

    again = _run(content_dir, "Arachnoiditis", "--category", "condition")
    assert again.returncode != 0
    assert "arachnoiditis.md already exists" in again.stderr
    assert "Traceback" not in again.stderr
    assert (content_dir / "terms" / "arachnoiditis.md").read_bytes() == written
