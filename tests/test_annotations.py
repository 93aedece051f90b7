"""`manage.py check` on GitHub Actions: each content problem becomes an annotation on its file and line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from glossary.content.problems import problem
from glossary.management.commands.check import annotation

from .conftest import FIXTURES

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
E007_LINE = (
    "::error file=content/terms/alpha-term.md,line=5::glossary.E007: Unknown field 'relatd'. "
    "Fix: Did you mean 'related'?"
)


def _check(repository: Path, *args: str, github: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run the real command from a repository root holding content/, as the workflow does."""
    env = {**os.environ, "GLOSSARY_CONTENT_DIR": str(repository / "content"), **extra}
    env.pop("GITHUB_ACTIONS", None)
    if github:
        env["GITHUB_ACTIONS"] = "true"
    return subprocess.run(
        [sys.executable, MANAGE, "check", *args], cwd=repository, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "broken" / "e007-unknown-key", tmp_path / "content")
    return tmp_path


def test_a_broken_entry_is_an_error_annotation_on_its_line(repository: Path) -> None:
    result = _check(repository)

    assert result.returncode == 1
    assert any(line.startswith(E007_LINE) for line in result.stdout.splitlines()), result.stdout
    assert "glossary.E007" in result.stderr  # Django's own report is still there


def test_warnings_are_warning_annotations(repository: Path) -> None:
    lines = _check(repository).stdout.splitlines()

    assert any(line.startswith("::warning file=content/terms/") for line in lines), lines
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)


def test_no_annotations_outside_github_actions(repository: Path) -> None:
    result = _check(repository, github=False)

    assert result.returncode == 1
    assert "::error" not in result.stdout + result.stderr


def test_checks_of_other_tags_print_no_annotations(repository: Path) -> None:
    assert "::" not in _check(repository, "--tag", "urls").stdout


def test_check_deploy_still_runs_and_annotates(repository: Path) -> None:
    result = _check(repository, "--deploy")

    assert result.returncode == 1
    assert E007_LINE in result.stdout
    assert "security.W" in result.stderr  # the deployment checks ran too


def test_messages_and_paths_are_escaped_as_github_reads_them(tmp_path: Path) -> None:
    found = problem("E013", tmp_path / "a,b:c.md", 7, "100% sure\nsecond line")

    line = annotation(found)

    assert line.startswith(f"::error file={str(tmp_path).replace(':', '%3A')}/a%2Cb%3Ac.md,line=7::")
    assert "100%25 sure%0Asecond line" in line
    assert "\n" not in line


def test_a_problem_without_a_line_names_only_the_file(tmp_path: Path) -> None:
    assert annotation(problem("W002", tmp_path / "notes.txt", None, "Ignored.")).startswith(
        f"::warning file={tmp_path}/notes.txt::glossary.W002: Ignored."
    )


def _git(repository: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repository), *args], check=True, capture_output=True)


def test_on_a_pull_request_the_changed_files_problems_come_first(repository: Path) -> None:
    """GitHub shows only ten annotations of each kind, so the pull request's own files must not be crowded out."""
    _git(repository, "init", "-q", "-b", "main")
    _git(repository, "add", "-A")
    _git(repository, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "content")
    _git(repository, "update-ref", "refs/remotes/origin/main", "HEAD")  # what actions/checkout fetches
    changed = repository / "content" / "terms" / "beta-term.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")

    plain = _check(repository).stdout.splitlines()
    on_pull_request = _check(repository, GITHUB_BASE_REF="main").stdout.splitlines()

    assert not plain[0].startswith("::error file=content/terms/beta-term.md")
    assert on_pull_request[0].startswith("::error file=content/terms/beta-term.md,line=")
    assert sorted(on_pull_request) == sorted(plain)
