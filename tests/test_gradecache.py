"""Summary grades kept between processes: a text graded once is never graded again, in this process or another."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from glossary.content import gradecache
from glossary.content.readability import reading_grade
from tests.conftest import FIXTURES

EASY = "The cord is the bundle of nerves in your back."
HARD = "Intramedullary neoplastic infiltration demonstrates heterogeneous circumferential enhancement characteristics."


def _counting(graded: list[str]) -> Callable[[str], float]:
    """The real grading, noting each text it is asked to grade."""

    def grade(text: str) -> float:
        graded.append(text)
        return reading_grade(text)

    return grade


def test_a_text_is_graded_once_and_then_read(cache: Path) -> None:
    graded: list[str] = []
    first = gradecache.grades([EASY, HARD], _counting(graded))
    again = gradecache.grades([HARD, EASY], _counting(graded))

    assert first == again == {EASY: reading_grade(EASY), HARD: reading_grade(HARD)}
    assert first[HARD] > first[EASY]  # two different grades, so a mix-up would show
    assert sorted(graded) == sorted([EASY, HARD])  # the second call graded nothing
    assert [path.suffix for path in cache.iterdir()] == [".grades"]  # one file, whatever the content folder


def test_only_new_texts_are_graded_and_the_old_are_kept(cache: Path) -> None:
    gradecache.grades([EASY], reading_grade)
    graded: list[str] = []
    gradecache.grades([HARD], _counting(graded))
    gradecache.grades([EASY, HARD], _counting(graded))

    assert graded == [HARD]


@pytest.mark.parametrize(
    "stored",
    ["not json", json.dumps({"version": "old", "grades": {}}), json.dumps({"version": gradecache.VERSION})],
    ids=["not-json", "other-version", "no-grades"],
)
def test_a_file_that_is_not_this_codes_is_ignored(cache: Path, stored: str) -> None:
    cache.mkdir()
    (cache / "summary.grades").write_text(stored, encoding="utf-8")
    graded: list[str] = []

    assert gradecache.grades([EASY], _counting(graded)) == {EASY: reading_grade(EASY)}
    assert graded == [EASY]


def test_a_kept_value_of_the_wrong_type_is_graded_again(cache: Path) -> None:
    gradecache.grades([EASY], reading_grade)
    path = cache / "summary.grades"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["grades"] = {key: "8.0" for key in data["grades"]}
    path.write_text(json.dumps(data), encoding="utf-8")
    graded: list[str] = []

    assert gradecache.grades([EASY], _counting(graded)) == {EASY: reading_grade(EASY)}
    assert graded == [EASY]


def test_with_the_cache_off_nothing_is_kept(settings) -> None:
    settings.GLOSSARY_RENDER_CACHE = "off"
    graded: list[str] = []
    gradecache.grades([EASY], _counting(graded))
    gradecache.grades([EASY], _counting(graded))

    assert graded == [EASY, EASY]


def test_past_the_limit_only_the_latest_grades_are_kept(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gradecache, "MAX_KEPT", 1)
    gradecache.grades([EASY], reading_grade)
    gradecache.grades([HARD], reading_grade)
    graded: list[str] = []
    gradecache.grades([EASY, HARD], _counting(graded))

    assert graded == [EASY]


# Loads the content in a new process and says whether textstat loaded its syllable dictionary.
LOAD_AND_REPORT = """
import django
django.setup()
from textstat.backend.utils._get_cmudict import get_cmudict
from glossary.content.loader import load
result = load(__import__("pathlib").Path(__import__("sys").argv[1]))
assert result.glossary is not None, result.errors
print(get_cmudict.cache_info().misses)
"""


def test_a_second_process_loads_without_textstats_dictionary(tmp_path: Path) -> None:
    """The point of the file: a new process (a server start, a check) grades nothing it can read instead."""
    env = {
        **os.environ,
        "GLOSSARY_RENDER_CACHE": str(tmp_path / "cache"),
        "DJANGO_SETTINGS_MODULE": "glossary.settings",
    }

    def dictionary_loads() -> str:
        command = [sys.executable, "-c", LOAD_AND_REPORT, str(FIXTURES / "valid")]
        done = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    assert dictionary_loads() == "1"  # the first grades every summary
    assert dictionary_loads() == "0"
