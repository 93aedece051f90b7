"""The content check: every problem reaches `manage.py check` with its file, line, id and level."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from .conftest import BUNDLED, FIXTURES
from .test_validation import CASES
from .test_validation import _content as content_folder

BROKEN = FIXTURES / "broken"
# Short entries (the report's own words) cite no source: that warning, and no other, is expected of the
# bundled content.
BUNDLED_WARNINGS = {"glossary.W004"}
# The editorial warnings judge the glossary as a whole: a folder built to break one other rule gives
# them too (its entries cite nothing and link nowhere), and a test of that rule leaves them out.
EDITORIAL_WARNINGS = {f"glossary.{code}" for code in ("W003", "W004", "W005", "W006", "W007", "W008")}
# Locations are shown relative to the working directory, as editors and CI see the repository.
SHOWN = "tests/fixtures/broken"

MULTIPLE = [
    (checks.WARNING, "glossary.W001", f"{SHOWN}/multiple-files/references.yaml:6"),
    (checks.ERROR, "glossary.E022", f"{SHOWN}/multiple-files/references.yaml:11"),
    (checks.ERROR, "glossary.E007", f"{SHOWN}/multiple-files/terms/alpha-term.md:5"),
    (checks.ERROR, "glossary.E009", f"{SHOWN}/multiple-files/terms/beta-term.md:4"),
    (checks.ERROR, "glossary.E003", f"{SHOWN}/multiple-files/terms/empty-entry.md:1"),
    # gamma-term is the only entry that loads, and its one wikilink points nowhere.
    (checks.WARNING, "glossary.W006", f"{SHOWN}/multiple-files/terms/gamma-term.md:2"),
    (checks.WARNING, "glossary.W005", f"{SHOWN}/multiple-files/terms/gamma-term.md:6"),
    (checks.ERROR, "glossary.E013", f"{SHOWN}/multiple-files/terms/gamma-term.md:9"),
    (checks.WARNING, "glossary.W002", f"{SHOWN}/multiple-files/terms/notes.txt"),
]


@pytest.fixture(autouse=True)
def _from_base_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(settings.BASE_DIR)


def _content_messages() -> list[checks.CheckMessage]:
    return checks.run_checks(tags=["content"])


def test_one_problem_is_one_exact_message(use_content: Callable[[Path], Path]) -> None:
    use_content(BROKEN / "e007-unknown-key")

    messages = [m for m in _content_messages() if m.id not in EDITORIAL_WARNINGS]

    assert [(m.level, m.id, m.obj, m.msg) for m in messages] == [
        (checks.ERROR, "glossary.E007", f"{SHOWN}/e007-unknown-key/terms/alpha-term.md:5", "Unknown field 'relatd'.")
    ]
    assert isinstance(messages[0], checks.Error)
    assert messages[0].hint.startswith("Did you mean 'related'?")


def test_every_problem_of_several_files_is_a_message_in_order(use_content: Callable[[Path], Path]) -> None:
    use_content(BROKEN / "multiple-files")

    assert [(m.level, m.id, m.obj) for m in _content_messages()] == MULTIPLE


def test_warnings_are_warnings(use_content: Callable[[Path], Path]) -> None:
    use_content(BROKEN / "w001-uncited-reference")

    messages = _content_messages()

    assert [(m.level, m.id, m.obj) for m in messages] == [
        (checks.WARNING, "glossary.W001", f"{SHOWN}/w001-uncited-reference/references.yaml:6")
    ]
    assert isinstance(messages[0], checks.Warning)
    assert not messages[0].is_serious()


def test_good_content_gives_no_messages(use_content: Callable[[Path], Path]) -> None:
    use_content(FIXTURES / "valid")

    assert _content_messages() == []


def test_the_bundled_content_gives_only_missing_source_warnings(use_content: Callable[[Path], Path]) -> None:
    use_content(BUNDLED)

    messages = _content_messages()

    assert {m.id for m in messages} <= BUNDLED_WARNINGS
    assert all(isinstance(m, checks.Warning) for m in messages)


def test_a_changed_content_dir_is_checked_afresh(use_content: Callable[[Path], Path]) -> None:
    use_content(FIXTURES / "valid")
    assert _content_messages() == []

    use_content(BROKEN / "e003-empty-file")
    assert [m.id for m in _content_messages()] == ["glossary.E003"]


def test_check_command_raises_with_file_line_and_id(use_content: Callable[[Path], Path]) -> None:
    use_content(BROKEN / "e007-unknown-key")

    with pytest.raises(SystemCheckError) as raised:
        call_command("check")

    text = str(raised.value)
    assert f"{SHOWN}/e007-unknown-key/terms/alpha-term.md:5" in text
    assert "glossary.E007" in text
    assert "Did you mean 'related'?" in text


def test_check_command_reports_every_broken_file_in_one_run(use_content: Callable[[Path], Path]) -> None:
    use_content(BROKEN / "multiple-files")

    with pytest.raises(SystemCheckError) as raised:
        call_command("check")

    text = str(raised.value)
    for _, check_id, location in MULTIPLE:
        assert f"{location}: ({check_id})" in text


def test_check_command_passes_on_warnings_but_prints_them(use_content: Callable[[Path], Path]) -> None:
    use_content(BROKEN / "w002-non-markdown-file")
    stderr = StringIO()

    call_command("check", stderr=stderr)

    assert f"{SHOWN}/w002-non-markdown-file/terms/beta-term.txt: (glossary.W002)" in stderr.getvalue()


def _manage_check(content: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GLOSSARY_CONTENT_DIR": str(content), "DJANGO_SETTINGS_MODULE": "glossary.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_manage_py_check_fails_on_broken_content() -> None:
    run = _manage_check(BROKEN / "e013-unknown-wikilink")

    assert run.returncode != 0
    assert "terms/alpha-term.md:11" in run.stderr
    assert "glossary.E013" in run.stderr


def test_manage_py_check_lists_every_broken_file() -> None:
    run = _manage_check(BROKEN / "multiple-files")

    assert run.returncode != 0
    for _, check_id, location in MULTIPLE:
        assert f"{location}: ({check_id})" in run.stderr


def test_manage_py_check_passes_on_warnings_only() -> None:
    run = _manage_check(BROKEN / "w001-uncited-reference")

    assert run.returncode == 0, run.stderr
    assert "references.yaml:6: (glossary.W001)" in run.stderr


def test_manage_py_check_passes_on_the_bundled_content() -> None:
    run = _manage_check(BUNDLED)

    assert run.returncode == 0, run.stderr
    assert "ERRORS:" not in run.stderr
    assert set(re.findall(r"\((\w+\.[A-Z]\d+)\)", run.stderr)) <= BUNDLED_WARNINGS  # any check id, not only ours


ERROR_CASES = [case for case in CASES if case[1].startswith("E")]


@pytest.mark.parametrize(
    ("folder", "code", "file", "line"), [c[:4] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_check_command_fails_on_every_broken_folder_naming_file_and_line(
    use_content: Callable[[Path], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    folder: str,
    code: str,
    file: str,
    line: int | None,
) -> None:
    """`manage.py check` exits non-zero exactly when call_command raises SystemCheckError."""
    content = use_content(content_folder(folder, tmp_path, monkeypatch))
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", stdout=StringIO(), stderr=StringIO())
    target = (content / file).resolve()
    shown = target.relative_to(settings.BASE_DIR) if target.is_relative_to(settings.BASE_DIR) else target
    location = f"{shown}:{line}" if line else str(shown)
    assert f"{location}: (glossary.{code})" in str(raised.value)
