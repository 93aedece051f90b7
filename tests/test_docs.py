"""The docs stay true to the code: CONTRIBUTING.md names only commands, options, fields, categories and ids that exist.

Editors follow CONTRIBUTING.md to the letter, so each test here reads what the guide
says and compares it with the code it describes: the management commands and their
options, the Makefile's targets, the front matter and references.yaml fields, the
categories, the catalogue of check ids (errors and warnings in their own tables), the
thresholds it quotes, and the exact output its example of `make check` shows.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.core.management import call_command, get_commands, load_command_class

from glossary.content import bibliography
from glossary.content.editorial import REVIEW_YEARS
from glossary.content.entries import CATEGORIES, SHORT_CATEGORY
from glossary.content.frontmatter import FIELDS
from glossary.content.loader import load
from glossary.content.problems import CATALOGUE
from glossary.content.readability import GRADE_ERROR, GRADE_WARNING
from glossary.management.commands import newterm

from .conftest import FIXTURES

ROOT = Path(settings.BASE_DIR)
GUIDE = ROOT / "CONTRIBUTING.md"

_FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_COMMAND = re.compile(r"manage\.py\s+([a-z_]+)")
_MAKE = re.compile(r"(?<![\w-])make\s+([a-z][\w-]*)")
_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
_TARGET = re.compile(r"^([A-Za-z][\w-]*)\s*:(?!=)", re.MULTILINE)
_HEADING = re.compile(r"^(#{1,6}) (.+)$", re.MULTILINE)


def _text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def _code(text: str) -> list[str]:
    """Every fenced block and every inline code span, each as one piece of text."""
    blocks = _FENCED.findall(text)
    prose = _FENCED.sub("", text)
    return [*blocks, *(span for _, span in _SPAN.findall(prose))]


def _section(text: str, title: str) -> str:
    """The text under the heading `title`, up to the next heading of the same or a higher level."""
    headings = list(_HEADING.finditer(text))
    for index, heading in enumerate(headings):
        if heading.group(2).strip() == title:
            level = len(heading.group(1))
            end = next((h.start() for h in headings[index + 1 :] if len(h.group(1)) <= level), len(text))
            return text[heading.end() : end]
    raise AssertionError(f"CONTRIBUTING.md has no heading {title!r}")


def _rows(section: str) -> list[list[str]]:
    """The body rows of the first table in `section`, each as its cells (header and rule left out)."""
    lines = section.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("|"))
    end = next((index for index in range(start, len(lines)) if not lines[index].startswith("|")), len(lines))
    return [[cell.strip() for cell in line.strip().split("|")[1:-1]] for line in lines[start + 2 : end]]


def _unquoted(cell: str) -> str:
    return cell.strip("`")


def _commands_in(piece: str) -> list[str]:
    return _COMMAND.findall(piece)


def _options(name: str) -> set[str]:
    parser = load_command_class(get_commands()[name], name).create_parser("manage.py", name)
    return {option for action in parser._actions for option in action.option_strings}


def test_contributing_documents_every_problem_id_and_field() -> None:
    text = _text()
    assert [code for code in CATALOGUE if f"`glossary.{code}`" not in text] == []
    assert [field for field in FIELDS if f"| `{field}` |" not in text] == []


def test_every_manage_py_command_exists() -> None:
    mentioned = {name for piece in _code(_text()) for name in _commands_in(piece)}
    assert {"newterm", "check", "content_report"} <= mentioned
    assert sorted(mentioned - set(get_commands())) == []


def test_every_option_belongs_to_its_command() -> None:
    """An option next to `manage.py X` must be X's; one on its own must be an option of a command the guide names."""
    pieces = _code(_text())
    named = sorted({name for piece in pieces for name in _commands_in(piece)} & set(get_commands()))
    known = {name: _options(name) for name in named}  # an unknown command fails test_every_manage_py_command_exists
    wrong = []
    for piece in pieces:
        commands = [name for name in _commands_in(piece) if name in known]
        allowed = set().union(*(known[name] for name in commands or named))
        wrong += [(piece, option) for option in _OPTION.findall(piece) if option not in allowed]
    assert wrong == []


def test_newterm_options_are_all_documented() -> None:
    """Each option an editor may pass to newterm appears in the guide."""
    own = _options("newterm") - _options("check")  # leave out Django's common options (--verbosity, ...)
    mentioned = {option for piece in _code(_text()) for option in _OPTION.findall(piece)}
    assert sorted(own - mentioned) == []


def test_every_make_target_exists() -> None:
    targets = set(_TARGET.findall((ROOT / "Makefile").read_text(encoding="utf-8")))
    mentioned = {target for piece in _code(_text()) for target in _MAKE.findall(piece)}
    assert {"run", "check"} <= mentioned
    assert sorted(mentioned - targets) == []


def test_front_matter_table_matches_the_fields() -> None:
    rows = [row for row in _rows(_section(_text(), "Front matter")) if row[0].startswith("`")]
    assert [_unquoted(row[0]) for row in rows] == list(FIELDS)
    assert {_unquoted(row[0]): row[1] for row in rows} == {
        name: "yes" if spec.required else "no" for name, spec in FIELDS.items()
    }


def test_categories_table_matches_the_code() -> None:
    rows = _rows(_section(_text(), "Categories"))
    assert [(_unquoted(row[0]), row[1]) for row in rows] == list(CATEGORIES.items())
    assert {_unquoted(row[0]): row[2] for row in rows} == {
        **{category: heading for category, (heading, _) in newterm.SECTIONS.items()},
        SHORT_CATEGORY: "none: a short entry (below)",
    }


def test_references_table_matches_the_fields() -> None:
    rows = _rows(_section(_text(), "References"))
    assert [_unquoted(row[0]) for row in rows] == list(bibliography.FIELDS)
    assert {_unquoted(row[0]): row[1] for row in rows} == {
        name: "yes" if spec.required else "no" for name, spec in bibliography.FIELDS.items()
    }


@pytest.mark.parametrize("title, kind", [("Errors", "E"), ("Warnings", "W")])
def test_check_tables_list_the_catalogue(title: str, kind: str) -> None:
    """Errors and warnings each in their own table, in the catalogue's order, with its summary."""
    rows = _rows(_section(_section(_text(), "Checks and what to do"), title))
    expected = [(f"`glossary.{code}`", summary) for code, (summary, _) in CATALOGUE.items() if code[0] == kind]
    assert [(row[0], row[1]) for row in rows] == expected


def test_every_id_mentioned_is_in_the_catalogue() -> None:
    mentioned = set(re.findall(r"glossary\.([EW]\d{3})", _text()))
    assert sorted(mentioned - set(CATALOGUE)) == []


def test_quoted_thresholds_are_the_codes() -> None:
    """The writing guide and check tables quote the code's grades (warning, error) and review interval."""
    years = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}.get(REVIEW_YEARS, str(REVIEW_YEARS))
    text = _text()
    assert f"reading grade {GRADE_WARNING:g} or lower" in text
    assert f"above grade {GRADE_ERROR:g}" in text
    assert f"more than {years} years" in text


def test_preview_address_is_the_one_newterm_prints() -> None:
    assert f"{newterm.PREVIEW_ORIGIN}/terms/<slug>/" in _text()
    assert "runserver 127.0.0.1:8000" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_links_inside_the_guide_reach_a_heading() -> None:
    """`(#some-heading)` links use GitHub's anchors: lower case, punctuation dropped, spaces as hyphens."""
    text = _text()
    anchors = {re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-") for _, title in _HEADING.findall(text)}
    linked = set(re.findall(r"\]\(#([^)]+)\)", _FENCED.sub("", text)))
    assert linked and sorted(linked - anchors) == []


def test_example_check_output_is_what_check_prints_for_a_typo_in_a_new_draft(
    tmp_path: Path, use_content: Callable[[Path], Path]
) -> None:
    """The guide's sample: `relatd:` typed in the draft newterm writes, as `make check` shows it."""
    content = use_content(shutil.copytree(FIXTURES / "valid", tmp_path / "content"))
    call_command("newterm", "Baastrup disease", "--category", "condition", stdout=StringIO())
    path = content / "terms" / "baastrup-disease.md"
    path.write_text(path.read_text(encoding="utf-8").replace("\nrelated:", "\nrelatd:"), encoding="utf-8")

    [found] = [p for p in load(content).problems if p.code == "E007"]
    shown = checks.Error(found.message, hint=found.hint, obj=f"content/terms/{path.name}:{found.line}", id=found.id)

    assert str(shown) in _text()


_LOCAL_LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)\s#]+)")
_PATH_IN_PROSE = re.compile(r"\b((?:docs|glossary|benchmarks|tests|templates|static)/[\w./-]+\.(?:md|py|html|lua))\b")


@pytest.mark.parametrize("doc", ["README.md", "CONTRIBUTING.md", *sorted(p.name for p in (ROOT / "docs").glob("*.md"))])
def test_every_file_a_doc_links_or_names_exists(doc: str) -> None:
    path = ROOT / doc if (ROOT / doc).exists() else ROOT / "docs" / doc
    text = path.read_text(encoding="utf-8")
    prose = _SPAN.sub("", _FENCED.sub("", text))  # links in code are examples of Markdown, not links
    linked = {(path.parent / target).resolve() for target in _LOCAL_LINK.findall(prose)}
    named = {(ROOT / name).resolve() for name in _PATH_IN_PROSE.findall(text)}
    assert sorted(str(p.relative_to(ROOT)) for p in linked | named if not p.exists()) == []


def test_the_citation_examples_cite_references_that_exist() -> None:
    """An editor copies the guide's example into an entry: a key it names must be in references.yaml."""
    path = ROOT / "content" / "references.yaml"
    references, problems = bibliography.parse_references(path, path.read_text(encoding="utf-8"))
    cited = {key for piece in _code(_text()) for key in re.findall(r"(?<=@)[a-z][a-z0-9-]*\d{4}[a-z]?", piece)}
    assert problems == []
    assert cited, "the guide shows how to cite"
    assert cited - set(references) == set()
