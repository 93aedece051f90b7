"""`python manage.py newterm "Title"`: start a new entry file from the template.

Editors who do not know the code should not have to learn the front matter from
CONTRIBUTING.md before their first entry. The draft names every field, with a note
in plain words on what it takes and an example, and it already loads: `make check`
and `make run` show it at once, with warnings for what is still to write. The
command refuses anything that would make the glossary fail to load (a file that
exists, a name another entry owns, a related entry that does not exist), and says
which entry to edit instead.
"""

from __future__ import annotations

import difflib
from argparse import ArgumentParser
from pathlib import Path
from string import Template
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from glossary.content.entries import CATEGORIES, SHORT_CATEGORY, SLUG_RE, Entry, name_key, term_url
from glossary.content.frontmatter import parse_entry
from glossary.content.lint import DRAFT_MARKER

TEMPLATE = Path(__file__).resolve().parents[2] / "entry_template.md"
PREVIEW_ORIGIN = "http://127.0.0.1:8000"  # where `make run` serves the site

# Category -> the third section's heading and what to write under it, as in the existing entries.
_TEST = ("What happens during the test", "Write here what happens, step by step, from arriving to going home.")
_WORKS = ("How it works", "Write here how it works, in plain words.")
_SCAN = ("How it shows on a scan", "Write here how it looks on a scan, and which scans show it best.")
SECTIONS: dict[str, tuple[str, str]] = {
    "anatomy": _SCAN,
    "condition": _SCAN,
    "imaging-finding": _SCAN,
    "imaging-test": _TEST,
    "imaging-technique": _WORKS,
    "treatment": _WORKS,
    "procedure": _TEST,
    "care-team": _TEST,
}
FULL_BODY = """\
## What it is

Write here what it is, in plain words and short sentences. Explain each medical word the first time you use it. \
CONTRIBUTING.md shows how to link to other entries and how to cite a source.

## What it means for you

Write here what it may mean for the reader. Be calm and honest: say that it depends on the person, and that their \
own doctor can tell them more.

## {heading}

{guidance}

## For clinicians

Write here a few short points for clinicians. Medical words are fine in this section. Delete the section if it \
adds nothing."""
# A word of the report itself needs no sections: an example of the word as reports use it, explained.
SHORT_BODY = """\
Write here a phrase as a report might use the word, and what it means, in your own words, for example:
Example: *mild effacement of the thecal sac* means something presses lightly on the sac of fluid around the nerves."""


class Command(BaseCommand):
    help = "Write a new entry file, content/terms/<slug>.md, with every field explained."
    # The content check would stop the command whenever any entry has an error; a new entry does not need that.
    requires_system_checks = ()

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("title", help="the name readers know, in British spelling, e.g. 'Spinal stenosis'")
        parser.add_argument("--category", required=True, choices=list(CATEGORIES), help="what kind of entry it is")
        parser.add_argument(
            "--alias",
            action="append",
            default=[],
            dest="aliases",
            metavar="NAME",
            help="another name that means exactly the same; repeat for each",
        )
        parser.add_argument(
            "--related",
            action="append",
            default=[],
            metavar="SLUG",
            help="the slug of an entry to list under 'See also'; repeat for each",
        )

    def handle(
        self, *args: Any, title: str, category: str, aliases: list[str], related: list[str], **options: Any
    ) -> None:
        title = " ".join(title.split())
        aliases = [" ".join(alias.split()) for alias in aliases]
        slug = name_key(title)  # slugify, with '_' as '-': the key the loader compares names by
        if not SLUG_RE.match(slug):
            raise CommandError(
                f"The title {title!r} gives the file name {slug + '.md'!r}, but a file name must be lowercase"
                " letters and digits joined by hyphens. Write the title with letters or digits."
            )
        terms_dir = Path(settings.GLOSSARY_CONTENT_DIR) / "terms"
        if not terms_dir.is_dir():
            raise CommandError(f"There is no terms folder at {_shown(terms_dir)}; check GLOSSARY_CONTENT_DIR.")
        path = terms_dir / f"{slug}.md"
        if path.exists():
            raise CommandError(f"{_shown(path)} already exists. Edit that file instead of starting a new one.")

        problems = [f"The alias {alias!r} has no letters or digits." for alias in aliases if not name_key(alias)]
        problems += _taken_names([title, *aliases], _existing_entries(terms_dir))
        problems += _unknown_related(related, slug, terms_dir)
        if problems:
            raise CommandError("\n".join(problems))

        with path.open("x", encoding="utf-8") as file:  # "x": never overwrite a file that appeared meanwhile
            file.write(_draft(title, category, aliases, related))
        url = PREVIEW_ORIGIN + term_url(slug)
        self.stdout.write(f"Wrote {_shown(path)}")
        self.stdout.write("Next: replace each 'Write here' line; the lines starting with # explain each field.")
        self.stdout.write("Then run `make check` and fix what it reports.")
        self.stdout.write(f"Then run `make run` and open {url}")


def _existing_entries(terms_dir: Path) -> list[Entry]:
    """Every entry file whose front matter reads; a broken one elsewhere must not block a new entry."""
    entries = []
    for path in sorted(terms_dir.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        entry, _ = parse_entry(path, text)
        if entry:
            entries.append(entry)
    return entries


def _taken_names(names: list[str], entries: list[Entry]) -> list[str]:
    """A message for each name that folds to another entry's slug, title or alias (the loader's E011)."""
    owners: dict[str, tuple[Entry, str]] = {}
    for entry in entries:
        owners.setdefault(name_key(entry.slug), (entry, entry.title))
        for own in entry.names:
            owners.setdefault(name_key(own), (entry, own))
    problems = []
    for name in names:
        if name_key(name) in owners:
            entry, own = owners[name_key(name)]
            called = "" if own == name else f" (as {own!r})"
            problems.append(
                f"{name!r} is already a name of the entry {entry.slug!r}{called}, in {_shown(entry.path)}. "
                "Edit that entry instead, or choose another name."
            )
    return problems


def _unknown_related(related: list[str], slug: str, terms_dir: Path) -> list[str]:
    slugs = sorted(path.stem for path in terms_dir.glob("*.md"))
    problems = []
    for wanted in related:
        if wanted == slug:
            problems.append(f"--related {wanted!r} is the new entry itself.")
        elif wanted not in slugs:
            close = difflib.get_close_matches(name_key(wanted) or wanted, slugs, n=3)
            hint = f" Did you mean {' or '.join(repr(s) for s in close)}?" if close else ""
            problems.append(f"--related {wanted!r} is not an entry: there is no {wanted}.md in terms/.{hint}")
    return problems


def _draft(title: str, category: str, aliases: list[str], related: list[str]) -> str:
    if category == SHORT_CATEGORY:
        body = SHORT_BODY
    else:
        heading, guidance = SECTIONS[category]
        body = FULL_BODY.format(heading=heading, guidance=guidance)
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        title=_yaml(title),
        summary=_yaml(f"{DRAFT_MARKER} one or two plain sentences that say what {title} is."),
        categories="\n".join(f"#   {key}: {label}" for key, label in CATEGORIES.items()),
        category=category,
        aliases=_yaml(aliases),
        related=_yaml(related),
        body=body,
    )


def _yaml(value: str | list[str]) -> str:
    """One YAML value on one line, quoted where YAML needs it: 'Disc: bulging' stays text, [a, b] a list."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6)
    return dumped.removesuffix("\n...\n").strip()


def _shown(path: Path) -> str:
    """The path from the current folder, as editors type it; the full path when it lies elsewhere."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
