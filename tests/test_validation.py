"""One test per validation rule: a fixture folder that breaks it, and the id, file and line the loader reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from glossary.content import lint, rendercache
from glossary.content.loader import MAX_ENTRY_BYTES, LoadResult, load
from glossary.content.problems import CATALOGUE

from .conftest import FIXTURES

BROKEN = FIXTURES / "broken"

# A day when the valid fixture's review (2026-01-15) is recent, so that its test never ages into W007.
VALID_TODAY = date(2026, 6, 15)

# Folders under broken/ that break several rules at once, for the "report everything in one run" tests.
SHARED_FOLDERS = {"multiple-files"}


def _write_not_utf8(folder: Path) -> None:
    """Written at test time: a committed Latin-1 file would break `ruff format`, which also reads Markdown."""
    (folder / "terms").mkdir(parents=True)
    text = "---\ntitle: Cafe term\nsummary: A caf\u00e9 is a test entry.\ncategory: anatomy\n---\n\nText.\n"
    (folder / "terms" / "latin-one.md").write_bytes(text.encode("latin-1"))


def _write_too_large(folder: Path) -> None:
    """Written at test time rather than committing 64 KB: a sound entry, one byte over the limit."""
    (folder / "terms").mkdir(parents=True)
    head = "---\ntitle: Long term\nsummary: The long term is a test entry.\ncategory: anatomy\n---\n\n"
    text = head + "Plain words about the spine.\n" * ((MAX_ENTRY_BYTES - len(head)) // 29)
    (folder / "terms" / "long-term.md").write_text(text.ljust(MAX_ENTRY_BYTES, ".") + "\n", encoding="utf-8")


def _write_slow_to_render(folder: Path) -> None:
    """An ordinary entry: the test lowers the render time limit (SLOW_LIMIT) below what any render takes,
    rather than writing Markdown slow enough to pass the real 2 s limit, which cost the suite 40 s."""
    (folder / "terms").mkdir(parents=True)
    head = "---\ntitle: Alpha term\nsummary: The alpha term is a test entry.\ncategory: anatomy\n---\n\n"
    (folder / "terms" / "alpha-term.md").write_text(f"{head}Some text about the spine.\n", encoding="utf-8")


# The render time limit (seconds) while the e031-slow-to-render folder loads: every render takes longer.
SLOW_LIMIT = 0.0


def _write_too_many_brackets(folder: Path) -> None:
    """One paragraph with one '[' more than the scan allows: an error before any render."""
    (folder / "terms").mkdir(parents=True)
    head = "---\ntitle: Alpha term\nsummary: The alpha term is a test entry.\ncategory: anatomy\n---\n\n"
    body = "A first paragraph.\n\nSome text\n" + "[" * (lint.MAX_BRACKETS + 1)
    (folder / "terms" / "alpha-term.md").write_text(f"{head}{body}\n", encoding="utf-8")


# Folders built in tmp_path instead of committed under broken/.
BUILT = {
    "e002-not-utf8": _write_not_utf8,
    "e030-entry-too-large": _write_too_large,
    "e031-slow-to-render": _write_slow_to_render,
    "e031-too-many-brackets": _write_too_many_brackets,
}

# (folder under tests/fixtures/broken/, id, file relative to the folder, line, words the message must contain)
CASES: list[tuple[str, str, str, int | None, str]] = [
    ("e001-no-terms-folder", "E001", "terms", None, "No terms folder"),
    ("e002-not-utf8", "E002", "terms/latin-one.md", 3, "0xe9"),
    ("e003-empty-file", "E003", "terms/empty-entry.md", 1, "empty"),
    ("e004-no-front-matter", "E004", "terms/no-fence.md", 1, "does not start with '---'"),
    ("e004-unclosed-front-matter", "E004", "terms/no-closing-fence.md", 1, "no closing '---'"),
    ("e005-yaml-syntax", "E005", "terms/colon-in-summary.md", 3, "mapping values are not allowed"),
    ("e006-front-matter-list", "E006", "terms/list-header.md", 2, "'key: value'"),
    ("e006-duplicate-key", "E006", "terms/twice-titled.md", 6, "'title' appears twice"),
    ("e007-unknown-key", "E007", "terms/alpha-term.md", 5, "'relatd'"),
    ("e008-missing-field", "E008", "terms/no-summary.md", 1, "'summary'"),
    ("e009-bad-category", "E009", "terms/alpha-term.md", 4, "'category'"),
    ("e009-bad-date", "E009", "terms/alpha-term.md", 6, "YYYY-MM-DD"),
    ("e009-aliases-not-list", "E009", "terms/alpha-term.md", 5, "'aliases': expected a list"),
    ("e010-bad-file-name", "E010", "terms/Bad_Name.md", None, "'Bad_Name.md'"),
    ("e011-duplicate-title", "E011", "terms/beta-term.md", 2, "already a name of 'alpha-term'"),
    ("e011-duplicate-alias", "E011", "terms/beta-term.md", 6, "'shared NAME' is already a name of 'alpha-term'"),
    ("e012-unknown-related", "E012", "terms/alpha-term.md", 6, "'no-such-term' does not exist"),
    ("e012-related-to-itself", "E012", "terms/alpha-term.md", 5, "is the entry itself"),
    ("e013-unknown-wikilink", "E013", "terms/alpha-term.md", 11, "'no such term'"),
    ("e014-unknown-section", "E014", "terms/alpha-term.md", 11, "'#no-such-section'"),
    ("e015-unknown-citation-inline", "E015", "terms/alpha-term.md", 11, "'smith-2021'"),
    ("e015-unknown-citation-field", "E015", "terms/alpha-term.md", 5, "'jones-1999'"),
    ("e016-raw-html", "E016", "terms/alpha-term.md", 9, "'<b>'"),
    ("e017-javascript-link", "E017", "terms/alpha-term.md", 9, "javascript:"),
    ("e017-protocol-relative-link", "E017", "terms/alpha-term.md", 9, "'//evil.example/page'"),
    ("e018-h1-heading", "E018", "terms/alpha-term.md", 11, "'#' heading"),
    ("e018-setext-heading", "E018", "terms/alpha-term.md", 12, "'#' heading"),
    ("e019-image-without-alt", "E019", "terms/alpha-term.md", 11, "no alt text"),
    ("e020-missing-figure", "E020", "terms/alpha-term.md", 11, "'figures/missing.svg'"),
    ("e020-remote-image", "E020", "terms/alpha-term.md", 9, "'https://example.org/box.png'"),
    ("e021-references-yaml-syntax", "E021", "references.yaml", 3, "mapping values are not allowed"),
    ("e022-bad-citation-key", "E022", "references.yaml", 6, "'Jones_2021' is not valid"),
    ("e022-duplicate-citation-key", "E022", "references.yaml", 6, "'smith-2020' appears twice"),
    ("e023-reference-missing-field", "E023", "references.yaml", 6, "'jones-2021': required field 'year'"),
    ("e024-unsafe-svg", "E024", "figures/unsafe.svg", 4, "<script>"),
    ("e025-summary-too-hard", "E025", "terms/alpha-term.md", 3, "grade 16.8"),
    ("e026-review-in-future", "E026", "terms/alpha-term.md", 5, "2999-01-01 is after today"),
    ("e027-bad-doi", "E027", "references.yaml", 11, "without https://doi.org/"),
    ("e027-bad-pmid", "E027", "references.yaml", 11, "'pmid'"),
    ("e028-template-text-left", "E028", "terms/alpha-term.md", 11, "'Write here what it may mean for the reader.'"),
    ("e029-heading-the-page-has", "E029", "terms/alpha-term.md", 11, "'#see-also'"),
    ("e030-entry-too-large", "E030", "terms/long-term.md", None, "long-term.md is 65,537 bytes"),
    ("e031-slow-to-render", "E031", "terms/alpha-term.md", 6, "to render; the limit is 0 s"),
    ("e031-too-many-brackets", "E031", "terms/alpha-term.md", 9, "holds 1,001 '[', over the 1,000"),
    ("w001-uncited-reference", "W001", "references.yaml", 6, "'jones-2021' is not cited"),
    ("w002-non-markdown-file", "W002", "terms/beta-term.txt", None, "'beta-term.txt'"),
    ("w003-summary-above-grade-8", "W003", "terms/alpha-term.md", 3, "grade 9.3"),
    ("w004-no-references", "W004", "terms/alpha-term.md", 2, "cites no source"),
    ("w005-links-to-nothing", "W005", "terms/gamma-term.md", 6, "links to no other entry"),
    ("w006-nothing-links-here", "W006", "terms/gamma-term.md", 2, "No other entry links"),
    ("w007-review-overdue", "W007", "terms/alpha-term.md", 5, "2001-01-01"),
    ("w008-everyday-alias", "W008", "terms/alpha-term.md", 5, "'back' is an everyday English word"),
    ("w008-alias-everywhere", "W008", "terms/alpha-term.md", 5, "'vertebra' appears in 5 of the 5 other entries"),
    ("w009-symptoms-without-urgent-help", "W009", "terms/alpha-term.md", 11, "'Symptoms to look out for'"),
]


def _content(folder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if folder == "e031-slow-to-render":
        monkeypatch.setattr(rendercache, "RENDER_LIMIT", SLOW_LIMIT)
    if folder in BUILT:
        BUILT[folder](tmp_path / folder)
        return tmp_path / folder
    return BROKEN / folder


def _found(folder: Path, result: LoadResult) -> set[tuple[str, str, int | None]]:
    return {(p.code, p.path.relative_to(folder).as_posix(), p.line) for p in result.problems}


@pytest.mark.parametrize(("folder", "code", "file", "line", "says"), CASES, ids=[case[0] for case in CASES])
def test_broken_folder_reports_id_file_and_line(
    folder: str, code: str, file: str, line: int | None, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _content(folder, tmp_path, monkeypatch)
    result = load(path)

    assert (code, file, line) in _found(path, result)
    messages = [p.message for p in result.problems if p.code == code and p.line == line]
    assert any(says in message for message in messages), messages
    other_errors = {p.code for p in result.errors} - {code}
    assert not other_errors, f"{folder} should break only {code}: {result.problems}"


@pytest.mark.parametrize(("folder", "code"), [case[:2] for case in CASES], ids=[case[0] for case in CASES])
def test_an_error_never_half_loads_and_a_warning_never_blocks(
    folder: str, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = load(_content(folder, tmp_path, monkeypatch))

    if code.startswith("E"):
        assert result.glossary is None
    else:
        assert result.glossary is not None
        # Each warning folder is otherwise a model glossary: no other check, editorial ones included, speaks.
        assert {p.code for p in result.problems} == {code}


def test_every_catalogue_id_has_a_broken_fixture() -> None:
    assert {case[1] for case in CASES} == set(CATALOGUE)


def test_every_broken_fixture_folder_is_in_the_table() -> None:
    on_disk = {path.name for path in BROKEN.iterdir() if path.is_dir()}
    assert on_disk == {case[0] for case in CASES} - set(BUILT) | SHARED_FOLDERS


def test_one_run_reports_every_broken_file() -> None:
    path = BROKEN / "multiple-files"
    result = load(path)

    assert _found(path, result) == {
        ("W001", "references.yaml", 6),
        ("E022", "references.yaml", 11),
        ("E007", "terms/alpha-term.md", 5),
        ("E009", "terms/beta-term.md", 4),
        ("E003", "terms/empty-entry.md", 1),
        ("E013", "terms/gamma-term.md", 9),
        # gamma-term is the only entry that loads, and its one wikilink points nowhere.
        ("W006", "terms/gamma-term.md", 2),
        ("W005", "terms/gamma-term.md", 6),
        ("W002", "terms/notes.txt", None),
    }
    assert result.glossary is None


def test_problems_are_sorted_by_file_then_line() -> None:
    result = load(BROKEN / "multiple-files")
    keys = [(str(p.path), p.line or 0, p.code) for p in result.problems]

    assert keys == sorted(keys)


def test_references_yaml_that_is_not_utf8_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "terms").mkdir()
    (tmp_path / "references.yaml").write_bytes(b"smith-2020:\n  authors: [Smith AB]\n  title: Caf\xe9 imaging\n")

    result = load(tmp_path)

    assert _found(tmp_path, result) == {("E002", "references.yaml", 3)}
    assert result.glossary is None


def test_hidden_files_in_terms_are_ignored_silently(tmp_path: Path) -> None:
    (tmp_path / "terms").mkdir()
    (tmp_path / "terms" / ".alpha-term.md.swp").write_bytes(b"\xff\xfe editor swap file")

    result = load(tmp_path)

    assert result.problems == ()
    assert result.glossary is not None


def test_the_valid_fixture_loads_with_no_problems() -> None:
    result = load(FIXTURES / "valid", today=VALID_TODAY)

    assert result.problems == ()
    assert result.glossary is not None
    assert set(result.glossary.pages) == {"alpha-term", "beta-scan", "gamma-finding"}
    assert set(result.glossary.references) == {"smith-2020", "jones-2021"}


# Markdown corner cases the body scan once missed, each in a folder of one entry.
ENTRY_HEAD = (
    "---\ntitle: Alpha term\nsummary: The alpha term is a test entry.\ncategory: anatomy\n---\n\n## What it is\n\n"
)


def _load_one_entry(folder: Path, data: bytes) -> LoadResult:
    """A lone entry links to no other and cites nothing, so the tests below assert on errors, not on every problem."""
    (folder / "terms").mkdir()
    (folder / "figures").mkdir()
    (folder / "figures" / "box.svg").write_bytes((FIXTURES / "valid" / "figures" / "box.svg").read_bytes())
    (folder / "terms" / "alpha-term.md").write_bytes(data)
    return load(folder)


def test_a_utf8_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    result = _load_one_entry(tmp_path, ("\ufeff" + ENTRY_HEAD + "Text.\n").encode())

    assert result.errors == ()
    assert result.glossary is not None
    assert result.glossary.pages["alpha-term"].entry.title == "Alpha term"


@pytest.mark.parametrize("heading", ["#Second title", "> # Second title", "- # Second title"])
def test_every_h1_the_markdown_renders_is_reported(tmp_path: Path, heading: str) -> None:
    result = _load_one_entry(tmp_path, (ENTRY_HEAD + f"Text.\n\n{heading}\n").encode())

    assert [(p.code, p.line) for p in result.errors] == [("E018", 11)]


def test_a_reference_style_remote_image_is_reported(tmp_path: Path) -> None:
    body = "![A tracking pixel][img]\n\n[img]: https://example.org/pixel.png\n"
    result = _load_one_entry(tmp_path, (ENTRY_HEAD + body).encode())

    assert ("E020", 9) in {(p.code, p.line) for p in result.problems}


def test_a_backslash_host_link_is_reported(tmp_path: Path) -> None:
    result = _load_one_entry(tmp_path, (ENTRY_HEAD + "A [link](/\\evil.example/page).\n").encode())

    assert [(p.code, p.line) for p in result.errors] == [("E017", 9)]


def test_an_unclosed_fence_does_not_hide_problems(tmp_path: Path) -> None:
    body = "```\ncode\n\nSee [[no-such-term]] and [@no-such-key].\n"
    result = _load_one_entry(tmp_path, (ENTRY_HEAD + body).encode())

    assert {(p.code, p.line) for p in result.errors} == {("E013", 12), ("E015", 12)}


def test_the_largest_file_of_unclosed_brackets_is_never_rendered(tmp_path: Path, renders: list[str]) -> None:
    """64 KB of '[[a' would take Python-Markdown minutes: the scan stops it before any render."""
    (tmp_path / "terms").mkdir()
    head = "---\ntitle: Alpha term\nsummary: The alpha term is a test entry.\ncategory: anatomy\n---\n\n"
    body = "[[a" * ((MAX_ENTRY_BYTES - len(head) - 1) // 3)
    (tmp_path / "terms" / "alpha-term.md").write_text(f"{head}{body}\n", encoding="utf-8")
    result = load(tmp_path)

    assert [p.code for p in result.errors] == ["E031"]
    assert renders == []
