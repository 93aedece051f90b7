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
from glossary.content.wording import WORD_RE


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

    The phases, in order: give every name to one entry; check each entry's fields and scan
    its body; render; check the body's links against what was rendered; assemble the glossary.
    """
    withheld = withheld or {}
    ordered = [
        _without_withheld(entry, withheld) for entry in sorted(entries, key=lambda e: (e.title.casefold(), e.slug))
    ]
    names, problems = _Names.of(ordered, withheld)
    scans = {entry.slug: scan(entry, figures) for entry in ordered}
    problems += _check_entries(ordered, scans, references)
    rendered, slow = _render(ordered, scans, names, content_dir=content_dir, processes=processes)
    problems += slow
    for entry in ordered:
        problems += _check_body_links(entry, scans[entry.slug], names.resolve, rendered, references)
    glossary = _assemble(ordered, rendered, references, names, withheld, figures=figures, content_dir=content_dir)
    problems += _uncited(references, glossary.cited_by, references_path)
    return glossary, problems


@dataclass(frozen=True)
class _Names:
    """Every name given to one entry: what links resolve through, the titles links show, and the autolinker's names."""

    keys: dict[str, str]  # name_key(name) -> slug, withheld entries included
    titles: dict[str, str]  # slug -> title; a withheld entry's is its slug
    autolinked: dict[str, str]  # name -> slug, for the names other bodies link by themselves

    @classmethod
    def of(cls, ordered: list[Entry], withheld: Mapping[str, str]) -> tuple[_Names, list[Problem]]:
        owners, problems = _name_owners(ordered)
        withheld_keys = {name_key(name): slug for name, slug in withheld.items()}
        keys = withheld_keys | {key: owner.slug for key, owner in owners.items()}
        titles = {slug: slug for slug in withheld.values()} | {entry.slug: entry.title for entry in ordered}
        owned = cls(keys, titles, autolinked={})
        autolinked = {
            name: entry.slug for entry in ordered for name in entry.names if _links_by_name(entry, name, owned.resolve)
        }
        return replace(owned, autolinked=autolinked), problems

    def resolve(self, name: str) -> str | None:
        return self.keys.get(name_key(name))


def _check_entries(ordered: list[Entry], scans: dict[str, BodyScan], references: dict[str, Reference]) -> list[Problem]:
    """Each entry's fields checked against the others, then what the scan of its body found."""
    by_slug = {entry.slug: entry for entry in ordered}
    return [
        found
        for entry in ordered
        for found in [*_check_fields(entry, by_slug, references), *scans[entry.slug].problems]
    ]


def _render(
    ordered: list[Entry], scans: dict[str, BodyScan], names: _Names, *, content_dir: Path, processes: int
) -> tuple[dict[str, Rendered], list[Problem]]:
    """Every body rendered, but those the scan found too slow to render (E031: they would hold up the load for
    minutes), and an E031 for each render over the limit. Only entries whose result could have changed since
    the last load render again (rendercache.py)."""
    autolinker = Autolinker.build(names.autolinked)
    bodies = {entry.slug: entry.body for entry in ordered}
    renders = RenderCache.open(content_dir, names.autolinked, resolve=names.resolve, titles=names.titles, bodies=bodies)
    renderable = [entry for entry in ordered if not scans[entry.slug].too_slow]
    renders.prepare([(entry.slug, entry.body, entry.autolink) for entry in renderable], autolinker, processes)
    rendered: dict[str, Rendered] = {entry.slug: Rendered("", (), (), frozenset()) for entry in ordered}
    problems = []
    for entry in renderable:
        rendered[entry.slug], seconds = renders.render(
            entry.body, slug=entry.slug, autolinker=autolinker if entry.autolink else None
        )
        if seconds > rendercache.RENDER_LIMIT:
            message = f"The body took {seconds:.1f} s to render; the limit is {rendercache.RENDER_LIMIT:g} s."
            problems.append(problem("E031", entry.path, entry.body_line, message))
    renders.save()
    return rendered, problems


def _assemble(
    ordered: list[Entry],
    rendered: dict[str, Rendered],
    references: dict[str, Reference],
    names: _Names,
    withheld: Mapping[str, str],
    *,
    figures: frozenset[str],
    content_dir: Path,
) -> Glossary:
    """The pages, and what is read backwards from them: who links to each entry, and who cites each reference."""
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
    return Glossary(
        pages=pages,
        references=dict(sorted(references.items(), key=lambda item: (item[1].authors[:1], item[1].year))),
        keys=names.keys,
        backlinks=_invert({slug: page.links | set(page.entry.related) for slug, page in pages.items()}, names.titles),
        cited_by=_invert({slug: page.citations for slug, page in pages.items()}, names.titles),
        figures=figures,
        content_dir=content_dir,
    )


def _uncited(
    references: dict[str, Reference], cited_by: Mapping[str, tuple[str, ...]], references_path: Path
) -> list[Problem]:
    return [
        problem("W001", references_path, reference.line, f"Reference {key!r} is not cited.")
        for key, reference in references.items()
        if key not in cited_by
    ]


def _links_by_name(entry: Entry, name: str, resolve: Callable[[str], str | None]) -> bool:
    """Whether other entries' bodies link this name to the entry automatically.

    A report word that is also an everyday word ('central', 'mild') keeps its everyday sense in
    an entry's prose, so it is not linked there; nor is a one-word form, which prose uses in other
    senses too ('the cord bulges outwards' is no disc bulge). Search and the report reader still
    find both.
    """
    if resolve(name) != entry.slug:
        return False
    if name in entry.forms and len(WORD_RE.findall(name)) == 1:
        return False
    return not (entry.is_short and is_everyday_word(name))


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
