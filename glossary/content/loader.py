"""Read a content folder into a linked Glossary and the list of everything wrong with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from glossary.content.bibliography import parse_references
from glossary.content.editorial import editorial_problems
from glossary.content.entries import Entry, Glossary, Reference
from glossary.content.figures import scan_svg
from glossary.content.frontmatter import parse_entry
from glossary.content.linker import link
from glossary.content.problems import Problem, problem

FIGURE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".webp"})
# An entry is read by patients in one sitting; a file larger than this is a mistake or an attack,
# and is reported without being read, let alone rendered.
MAX_ENTRY_BYTES = 64 * 1024


@dataclass(frozen=True)
class LoadResult:
    """The glossary is present only when the content has no error: it never serves half of itself.

    The one exception is an editor's preview, which serves the entries without errors
    and names the ones it `withheld`, so that their pages can show what to fix.
    """

    glossary: Glossary | None
    problems: tuple[Problem, ...]
    withheld: frozenset[str] = frozenset()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


@dataclass(frozen=True)
class _Source:
    """Everything read from the files, before anything is linked."""

    entries: list[Entry]
    references: dict[str, Reference]
    figures: frozenset[str]
    problems: list[Problem]
    terms_dir: Path
    references_path: Path


def load(content_dir: Path, *, today: date | None = None, preview: bool = False, processes: int = 1) -> LoadResult:
    """`today` dates the review checks (tests fix it); `preview` serves what is sound when some files are not;
    `processes` over 1 renders in that many forked processes (only where no other thread runs)."""
    source = _read(content_dir)
    if source is None:
        return LoadResult(None, (problem("E001", content_dir / "terms", None, f"No terms folder at {content_dir}."),))
    today = today or date.today()
    if preview:
        return _preview(source, content_dir, today)
    glossary, problems = _link(source, content_dir, source.entries, today, processes=processes)
    return LoadResult(None if any(p.is_error for p in problems) else glossary, _in_order(problems))


def _preview(source: _Source, content_dir: Path, today: date) -> LoadResult:
    """Leave out each file with an error, then each entry newly broken by linking, until the rest link cleanly.

    Links to a left-out entry still resolve (see linker.link), so one broken file does not
    take down every entry that links to it, and its problems are the ones worth reading.
    """
    broken = {p.path for p in source.problems if p.is_error}
    withheld_problems: list[Problem] = []
    while True:
        entries = [entry for entry in source.entries if entry.path not in broken]
        # A figure with errors stays listed: pages show figures with <img>, which runs no script, and
        # the figure view sandboxes it, so an entry that shows it is not wrongly told the file is missing.
        glossary, found = _link(source, content_dir, entries, today, _names_of(source, broken))
        newly_broken = {p.path for p in found if p.is_error} - broken
        if not newly_broken:
            break
        withheld_problems += [p for p in found if p.path in newly_broken and p not in source.problems]
        broken |= newly_broken
    withheld = frozenset(_names_of(source, broken).values())
    return LoadResult(glossary, _in_order([*found, *withheld_problems]), withheld)


def _in_order(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (str(p.path), p.line or 0, p.code)))


def _names_of(source: _Source, broken: set[Path]) -> dict[str, str]:
    """Name -> slug for every broken entry file: its slug, and its title and aliases when it could be read."""
    names = {path.stem: path.stem for path in broken if path.parent == source.terms_dir and path.suffix == ".md"}
    for entry in source.entries:
        if entry.path in broken:
            names |= {name: entry.slug for name in entry.names}
    return names


def _read(content_dir: Path) -> _Source | None:
    terms_dir = content_dir / "terms"
    references_path = content_dir / "references.yaml"
    if not terms_dir.is_dir():
        return None

    problems: list[Problem] = []
    entries: list[Entry] = []
    for path in sorted(terms_dir.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix != ".md" or not path.is_file():
            problems.append(problem("W002", path, None, f"{path.name!r} is not an entry file and is ignored."))
            continue
        size = path.stat().st_size
        if size > MAX_ENTRY_BYTES:
            message = f"{path.name} is {size:,} bytes; an entry may be at most {MAX_ENTRY_BYTES:,} (64 KB)."
            problems.append(problem("E030", path, None, message))
            continue
        text, read_problem = _read_text(path)
        if read_problem:
            problems.append(read_problem)
            continue
        entry, found = parse_entry(path, text)
        problems += found
        if entry:
            entries.append(entry)

    references: dict[str, Reference] = {}
    if references_path.is_file():
        text, read_problem = _read_text(references_path)
        if read_problem:
            problems.append(read_problem)
        else:
            references, found = parse_references(references_path, text)
            problems += found

    figures, found = _figures(content_dir / "figures")
    problems += found
    return _Source(entries, references, figures, problems, terms_dir, references_path)


def _link(
    source: _Source,
    content_dir: Path,
    entries: list[Entry],
    today: date,
    withheld: dict[str, str] | None = None,
    *,
    processes: int = 1,
) -> tuple[Glossary, list[Problem]]:
    """The file problems, plus what linking the given entries finds, plus the editorial checks."""
    glossary, found = link(
        entries,
        source.references,
        figures=source.figures,
        content_dir=content_dir,
        references_path=source.references_path,
        withheld=withheld,
        processes=processes,
    )
    return glossary, [*source.problems, *found, *editorial_problems(glossary, today=today)]


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
