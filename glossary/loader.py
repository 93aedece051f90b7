"""Read a content folder into a linked Glossary and the list of everything wrong with it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from glossary.bibliography import parse_references
from glossary.entries import Entry, Glossary
from glossary.figures import scan_svg
from glossary.frontmatter import parse_entry
from glossary.linker import link
from glossary.problems import Problem, problem

FIGURE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".webp"})


@dataclass(frozen=True)
class LoadResult:
    """The glossary is present only when the content has no error: it never serves half of itself."""

    glossary: Glossary | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


def load(content_dir: Path) -> LoadResult:
    terms_dir = content_dir / "terms"
    references_path = content_dir / "references.yaml"
    if not terms_dir.is_dir():
        return LoadResult(None, (problem("E001", terms_dir, None, f"No terms folder at {terms_dir}."),))

    problems: list[Problem] = []
    entries: list[Entry] = []
    for path in sorted(terms_dir.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix != ".md" or not path.is_file():
            problems.append(problem("W002", path, None, f"{path.name!r} is not an entry file and is ignored."))
            continue
        text, read_problem = _read_text(path)
        if read_problem:
            problems.append(read_problem)
            continue
        entry, found = parse_entry(path, text)
        problems += found
        if entry:
            entries.append(entry)

    references: dict = {}
    if references_path.is_file():
        text, read_problem = _read_text(references_path)
        if read_problem:
            problems.append(read_problem)
        else:
            references, found = parse_references(references_path, text)
            problems += found

    figures, found = _figures(content_dir / "figures")
    problems += found
    glossary, found = link(
        entries,
        references,
        figures=figures,
        content_dir=content_dir,
        references_path=references_path,
    )
    problems += found
    problems.sort(key=lambda p: (str(p.path), p.line or 0, p.code))
    return LoadResult(None if any(p.is_error for p in problems) else glossary, tuple(problems))


def _read_text(path: Path) -> tuple[str, Problem | None]:
    try:
        return path.read_text(encoding="utf-8-sig"), None  # -sig: Windows editors start files with a BOM
    except UnicodeDecodeError as exc:
        data = path.read_bytes()
        line = data[: exc.start].count(b"\n") + 1
        return "", problem("E002", path, line, f"Byte {data[exc.start]:#04x} is not UTF-8.")


def _figures(folder: Path) -> tuple[frozenset[str], list[Problem]]:
    """The names of the figure files, and what is wrong with any SVG among them.

    An SVG with a problem is still listed, so an entry that shows it is not also told the file is missing.
    """
    if not folder.is_dir():
        return frozenset(), []
    paths = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FIGURE_SUFFIXES]
    problems = [found for p in paths if p.suffix.lower() == ".svg" for found in scan_svg(p)]
    return frozenset(p.name for p in paths), problems
