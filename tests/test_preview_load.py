"""load(preview=True): an editor's preview serves the sound entries and withholds the broken ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from glossary.content.entries import term_url
from glossary.content.loader import LoadResult, load

from .conftest import FIXTURES
from .test_validation import VALID_TODAY

HARD_SUMMARY = "A gamma finding describes an imaginary structure examined during radiological investigations."

# (how gamma-finding is broken, text replaced, its replacement, the error and its line)
BREAKS = [
    ("yaml-error", "summary: A gamma finding is", "summary: A gamma finding: is", "E005", 3),
    ("unknown-wikilink", "a level-three heading.", "a level-three heading, [[no-such-term]].", "E013", 15),
    ("summary-too-hard", "A gamma finding is a made-up result on a test scan.", HARD_SUMMARY, "E025", 3),
]


def _content(tmp_path: Path) -> Path:
    return shutil.copytree(FIXTURES / "valid", tmp_path / "content")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new))


def _errors(content: Path, result: LoadResult) -> set[tuple[str, str, int | None]]:
    return {(p.code, p.path.relative_to(content).as_posix(), p.line) for p in result.errors}


@pytest.mark.parametrize(("old", "new", "code", "line"), [b[1:] for b in BREAKS], ids=[b[0] for b in BREAKS])
def test_preview_withholds_the_broken_entry_and_serves_the_rest(
    tmp_path: Path, old: str, new: str, code: str, line: int
) -> None:
    content = _content(tmp_path)
    _edit(content / "terms" / "gamma-finding.md", old, new)

    result = load(content, preview=True)

    assert result.glossary is not None
    assert result.withheld == {"gamma-finding"}
    assert set(result.glossary.pages) == {"alpha-term", "beta-scan"}
    assert _errors(content, result) == {(code, "terms/gamma-finding.md", line)}
    alpha = result.glossary.pages["alpha-term"]
    assert f'href="{term_url("gamma-finding")}"' in alpha.html  # its wikilinks still lead to the withheld page
    assert "gamma-finding" not in alpha.links
    assert result.glossary.pages["beta-scan"].entry.related == ("alpha-term",)  # 'see also' drops it

    whole = load(content)
    assert whole.glossary is None
    assert (code, "terms/gamma-finding.md", line) in _errors(content, whole)


def test_preview_of_sound_content_is_the_whole_glossary(tmp_path: Path) -> None:
    result = load(_content(tmp_path), preview=True, today=VALID_TODAY)

    assert result.problems == ()
    assert result.withheld == frozenset()
    assert result.glossary is not None
    assert set(result.glossary.pages) == {"alpha-term", "beta-scan", "gamma-finding"}


def test_preview_lists_an_unsafe_figure_and_still_shows_the_entry_that_shows_it(tmp_path: Path) -> None:
    """A page shows a figure with <img>, which runs no script; the E024 is listed for the editor to fix."""
    content = _content(tmp_path)
    shutil.copy(FIXTURES / "broken" / "e024-unsafe-svg" / "figures" / "unsafe.svg", content / "figures")
    _edit(content / "terms" / "beta-scan.md", "is never linked.", "is never linked.\n\n![A box](figures/unsafe.svg)")

    result = load(content, preview=True)

    assert _errors(content, result) == {("E024", "figures/unsafe.svg", 4)}
    assert result.withheld == frozenset()
    assert result.glossary is not None and set(result.glossary.pages) == {"alpha-term", "beta-scan", "gamma-finding"}
    assert load(content).glossary is None
