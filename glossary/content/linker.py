"""Resolve every cross-reference between entries and references, render each entry, and build the Glossary."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from glossary.content import rendercache
from glossary.content.entries import Entry, Glossary, Page, Reference, name_key
from glossary.content.lint import BodyScan, scan
from glossary.content.markup import Autolinker, Rendered
from glossary.content.problems import Problem, problem
from glossary.content.readability import is_everyday_word
from glossary.content.rendercache import RenderCache


@dataclass(frozen=True, slots=True)
class _Owner:
    slug: str
    name: str


def link(
    entries: Iterable[Entry],
    references: dict[str, Reference],
    *,
    figures: frozenset[str],
    content_dir: Path,
    references_path: Path,
    withheld: Mapping[str, str] | None = None,
    processes: int = 1,
) -> tuple[Glossary, list[Problem]]:
    """Check everything that spans more than one file, then render; problems are returned, never raised.

    `withheld` maps the names of entries a preview leaves out (for their errors) to their
    slugs: links to them still resolve, to the page that says what to fix, rather than
    making every entry that links to them an error too. With `processes` over 1, entries
    to render are shared among that many forked processes (rendercache.RenderCache.prepare).
    """
    withheld = withheld or {}
    ordered = [
        _without_withheld(entry, withheld) for entry in sorted(entries, key=lambda e: (e.title.casefold(), e.slug))
    ]
    by_slug = {entry.slug: entry for entry in ordered}
    owners, problems = _name_owners(ordered)
    keys = {name_key(name): slug for name, slug in withheld.items()} | {k: owner.slug for k, owner in owners.items()}

    def resolve(name: str) -> str | None:
        return keys.get(name_key(name))

    titles = {slug: slug for slug in withheld.values()} | {entry.slug: entry.title for entry in ordered}
    names = {name: entry.slug for entry in ordered for name in entry.names if _links_by_name(entry, name, resolve)}
    autolinker = Autolinker.build(names)
    # Only entries whose result could have changed since the last load render again (rendercache.py).
    bodies = {entry.slug: entry.body for entry in ordered}
    renders = RenderCache.open(content_dir, names, resolve=resolve, titles=titles, bodies=bodies)
    scans: dict[str, BodyScan] = {}
    for entry in ordered:
        problems += _check_fields(entry, by_slug, references)
        scans[entry.slug] = scan(entry, figures)
        problems += scans[entry.slug].problems
    # A body the scan found too slow to render (E031) is not rendered: it would hold up the load for minutes.
    renderable = [entry for entry in ordered if not scans[entry.slug].too_slow]
    renders.prepare([(entry.slug, entry.body, entry.autolink) for entry in renderable], autolinker, processes)
    rendered: dict[str, Rendered] = {entry.slug: Rendered("", (), (), frozenset()) for entry in ordered}
    for entry in renderable:
        rendered[entry.slug], seconds = renders.render(
            entry.body, slug=entry.slug, autolinker=autolinker if entry.autolink else None
        )
        if seconds > rendercache.RENDER_LIMIT:
            message = f"The body took {seconds:.1f} s to render; the limit is {rendercache.RENDER_LIMIT:g} s."
            problems.append(problem("E031", entry.path, entry.body_line, message))
    renders.save()
    for entry in ordered:
        problems += _check_body_links(entry, scans[entry.slug], resolve, rendered, references)

    pages = {
        entry.slug: Page(
            entry=entry,
            html=rendered[entry.slug].html,
            sections=rendered[entry.slug].sections,
            citations=tuple(dict.fromkeys([*rendered[entry.slug].citations, *entry.references])),
            links=rendered[entry.slug].links - set(withheld.values()),
        )
        for entry in ordered
    }
    cited_by = _invert({slug: page.citations for slug, page in pages.items()}, titles)
    for key, reference in references.items():
        if key not in cited_by:
            problems.append(problem("W001", references_path, reference.line, f"Reference {key!r} is not cited."))
    glossary = Glossary(
        pages=pages,
        references=dict(sorted(references.items(), key=lambda item: (item[1].authors[:1], item[1].year))),
        keys=keys,
        backlinks=_invert({slug: page.links | set(page.entry.related) for slug, page in pages.items()}, titles),
        cited_by=cited_by,
        figures=figures,
        content_dir=content_dir,
    )
    return glossary, problems


def _links_by_name(entry: Entry, name: str, resolve: Callable[[str], str | None]) -> bool:
    """Whether other entries' bodies link this name to the entry automatically.

    A report word that is also an everyday word ('central', 'mild') keeps its everyday sense in
    an entry's prose, so it is not linked there; search and the report reader still find it.
    """
    return resolve(name) == entry.slug and not (entry.is_short and is_everyday_word(name))


def _without_withheld(entry: Entry, withheld: Mapping[str, str]) -> Entry:
    """The entry with 'see also' slugs of withheld entries dropped, since their pages are not there to list."""
    if not withheld or not set(entry.related) & set(withheld.values()):
        return entry
    return replace(entry, related=tuple(slug for slug in entry.related if slug not in withheld.values()))


def _name_owners(entries: list[Entry]) -> tuple[dict[str, _Owner], list[Problem]]:
    """Give each slug, title and alias to one entry; a second claim from another entry is an error."""
    owners: dict[str, _Owner] = {}
    problems: list[Problem] = []
    for entry in entries:
        owners.setdefault(name_key(entry.slug), _Owner(entry.slug, entry.title))
    for entry in entries:
        for name in entry.names:
            owner = owners.setdefault(name_key(name), _Owner(entry.slug, name))
            if owner.slug != entry.slug:
                field = "title" if name == entry.title else "aliases" if name in entry.aliases else "forms"
                other = f"'{owner.slug}'" if owner.name == name else f"'{owner.slug}' ({owner.name!r})"
                problems.append(
                    problem("E011", entry.path, entry.lines.get(field), f"{name!r} is already a name of {other}.")
                )
    return owners, problems


def _check_fields(entry: Entry, by_slug: dict[str, Entry], references: dict[str, Reference]) -> list[Problem]:
    problems = []
    for slug in entry.related:
        if slug == entry.slug or slug not in by_slug:
            why = "is the entry itself" if slug == entry.slug else "does not exist"
            problems.append(problem("E012", entry.path, entry.lines["related"], f"Related entry {slug!r} {why}."))
    for key in entry.references:
        if key not in references:
            problems.append(problem("E015", entry.path, entry.lines["references"], f"Unknown reference {key!r}."))
    return problems


def _check_body_links(
    entry: Entry,
    found: BodyScan,
    resolve: Callable[[str], str | None],
    rendered: dict[str, Rendered],
    references: dict[str, Reference],
) -> list[Problem]:
    problems = []
    for link, line in found.wikilinks:
        slug = resolve(link.target)
        if slug is None:
            problems.append(problem("E013", entry.path, line, f"No entry is called {link.target!r}."))
        elif link.anchor and slug in rendered and link.anchor not in {s.id for s in rendered[slug].sections}:
            problems.append(problem("E014", entry.path, line, f"{slug!r} has no section '#{link.anchor}'."))
    for key, line in found.citations:
        if key not in references:
            problems.append(problem("E015", entry.path, line, f"Unknown citation key {key!r}."))
    return problems


def _invert(links: dict[str, Iterable[str]], titles: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """{source: targets} -> {target: sources sorted by title}."""
    inverted: dict[str, set[str]] = {}
    for source, targets in links.items():
        for target in targets:
            inverted.setdefault(target, set()).add(source)
    return {target: tuple(sorted(sources, key=lambda s: titles[s].casefold())) for target, sources in inverted.items()}
