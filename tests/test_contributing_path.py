"""The path from a reader's "Edit this page" to a merged pull request: the link, the template and CI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from glossary.web.editing import repository_path, validated
from tests.html_tools import facts

ROOT = Path(django_settings.BASE_DIR)
EDIT_URL = "https://github.com/example/spine-glossary/edit/main/{path}"


def _workflow() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())


def _steps() -> list[dict]:
    return [step for job in _workflow()["jobs"].values() for step in job["steps"]]


def test_ci_runs_on_pull_requests_and_pushes_to_main() -> None:
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # PyYAML reads a bare `on:` key as YAML 1.1's true
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]


def test_ci_uses_python_3_11_and_full_history() -> None:
    steps = _steps()
    setup = [step for step in steps if step.get("uses", "").startswith("actions/setup-python@")]
    assert [step["with"]["python-version"] for step in setup] == ["3.11"]
    checkout = [step for step in steps if step.get("uses", "").startswith("actions/checkout@")]
    assert checkout[0]["with"]["fetch-depth"] == 0


def test_ci_checks_the_content_then_runs_the_tests() -> None:
    commands = [step.get("run", "").strip() for step in _steps()]
    assert "make check" in commands and "make test" in commands
    assert commands.index("make check") < commands.index("make test")


def test_pull_request_template_asks_for_each_check() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text()
    for phrase in (
        "What changed and why",
        "reading grade 8 or lower",
        "python manage.py content_report",
        "British",
        "aliases",
        "source I can cite",
        "publisher or PubMed",
        "never invented",
        "No invented statistics, URLs or reviewers",
        "real clinical review",
        "make run",
        "phone-width",
        "`make check` shows no errors",
    ):
        assert phrase in text, phrase


@pytest.mark.parametrize("value", [None, ""])
def test_no_edit_link_when_the_setting_is_unset_or_empty(settings, value: str | None) -> None:
    settings.GLOSSARY_EDIT_URL = value
    html = Client().get("/terms/alpha-term/").content.decode()
    assert "Edit this page" not in html and "edit-link" not in html


def test_edit_link_points_at_the_entry_file(settings) -> None:
    settings.GLOSSARY_EDIT_URL = EDIT_URL
    expected = "https://github.com/example/spine-glossary/edit/main/tests/fixtures/valid/terms/alpha-term.md"
    html = Client().get("/terms/alpha-term/").content.decode()
    assert re.findall(r'<p class="edit-link"><a href="([^"]*)">Edit this page</a></p>', html) == [expected]
    assert expected in facts(html).links


def test_edit_link_is_escaped_like_any_attribute(settings) -> None:
    settings.GLOSSARY_EDIT_URL = 'https://example.org/edit?file={path}&x="y"'
    html = Client().get("/terms/alpha-term/").content.decode()
    assert 'href="https://example.org/edit?file=tests/fixtures/valid/terms/alpha-term.md&amp;x=&quot;y&quot;"' in html


def test_edit_link_is_left_out_of_the_printed_handout() -> None:
    css = (ROOT / "static" / "css" / "site.css").read_text()
    print_blocks = re.findall(r"@media print \{(.*?)\n\}", css, flags=re.DOTALL)
    assert any(re.search(r"\.edit-link[^{]*\{\s*display:\s*none", block) for block in print_blocks)


def test_repository_path_is_from_the_project_or_the_content_folders_parent(tmp_path: Path) -> None:
    entry = ROOT / "content" / "terms" / "myelogram.md"
    assert repository_path(entry, ROOT / "content", ROOT) == "content/terms/myelogram.md"
    elsewhere = tmp_path / "words" / "terms" / "x.md"
    assert repository_path(elsewhere, tmp_path / "words", ROOT) == "words/terms/x.md"


@pytest.mark.parametrize(
    "value",
    [
        "http://github.com/example/spine-glossary/edit/main/{path}",  # not https
        "https://github.com/example/spine-glossary/edit/main/",  # no {path}
        "javascript:alert(1)//{path}",
        "https:///{path}",  # no host
        "/edit/{path}",
    ],
)
def test_a_bad_edit_url_is_refused(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="GLOSSARY_EDIT_URL"):
        validated(value)


def test_a_good_edit_url_is_kept_and_blank_means_none() -> None:
    assert validated(f" {EDIT_URL} ") == EDIT_URL
    assert validated("") is None and validated("   ") is None and validated(None) is None
