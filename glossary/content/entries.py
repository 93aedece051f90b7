"""The immutable values the pipeline passes along: references, entries, pages and the glossary."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

from django.utils.text import slugify

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# A short entry: a word of the report itself ('axial', 'effacement'), a sentence or two with an example,
# needing no sources or links of its own.
SHORT_CATEGORY = "report-language"

# Category id -> the label readers see. The contract's six, plus two the bundled
# content needed (a lumbar puncture or biopsy is neither a scan nor a treatment,
# and a radiologist is a person), and the short entries for the words of a report.
CATEGORIES: dict[str, str] = {
    "anatomy": "Parts of the spine",
    "condition": "Conditions",
    "imaging-finding": "Things seen on scans",
    "imaging-test": "Scans and tests",
    "imaging-technique": "How scans work",
    "treatment": "Treatments",
    "procedure": "Procedures",
    "care-team": "Your care team",
    SHORT_CATEGORY: "Words used in reports",
}


# The ids the entry page itself gives to elements (templates/base.html and term.html); a body
# heading with one of them would give the page two elements with one id and break its links.
PAGE_IDS = frozenset(
    {
        "main",
        "site-search",
        "in-short",
        "on-this-page",
        "word-origin",
        "see-also",
        "mentioned-in",
        "references",
        "review-status",
        "cite-this-page",
    }
)
REFERENCE_ID_PREFIX = "ref-"  # each listed reference's id is this and its key: the target of its citation numbers


def term_url(slug: str, anchor: str | None = None) -> str:
    """The one place an entry's URL is spelt out (the contract fixes it)."""
    return f"/terms/{slug}/" + (f"#{anchor}" if anchor else "")


def name_key(name: str) -> str:
    """Fold a slug, title or alias to one comparable key, so that 'X-ray', 'x ray' and 'X_Ray' meet."""
    return slugify(name.replace("_", "-"))


@dataclass(frozen=True, slots=True)
class Reference:
    key: str
    authors: tuple[str, ...]
    title: str
    container: str
    year: int
    path: Path
    line: int
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None

    @property
    def doi_url(self) -> str | None:
        """Percent-encoded as the DOI Handbook asks: old Wiley DOIs hold '<', '>' and ';', which are not
        allowed as they are in an address (doi.org decodes them)."""
        return f"https://doi.org/{quote(self.doi, safe='/:;()')}" if self.doi else None

    @property
    def pubmed_url(self) -> str | None:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else None

    @property
    def author_line(self) -> str:
        """Vancouver style: up to six authors, then 'et al'; no final full stop, which the citation adds."""
        shown = list(self.authors[:6])
        if len(self.authors) > 6:
            shown.append("et al")
        return ", ".join(shown).removesuffix(".")


@dataclass(frozen=True, slots=True)
class Entry:
    """One parsed entry file: its fields, raw Markdown body and where each field sits."""

    slug: str
    path: Path
    title: str
    summary: str
    category: str
    body: str
    body_line: int
    lines: Mapping[str, int]
    aliases: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()  # word forms reports use ('hyperintensity'): found like aliases, never shown
    pronunciation: str | None = None
    etymology: str | None = None
    related: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    reviewed: date | None = None
    reviewed_by: str | None = None
    autolink: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        """Every name links, search and the report reader find the entry by."""
        return (self.title, *self.aliases, *self.forms)

    @property
    def is_short(self) -> bool:
        return self.category == SHORT_CATEGORY

    @property
    def url(self) -> str:
        return term_url(self.slug)

    @property
    def category_label(self) -> str:
        return CATEGORIES[self.category]

    @property
    def letter(self) -> str:
        first = self.title[:1].upper()
        return first if "A" <= first <= "Z" else "#"


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    level: int


@dataclass(frozen=True, slots=True)
class Page:
    """An entry rendered once at load time, with everything its page shows."""

    entry: Entry
    html: str
    sections: tuple[Section, ...]
    citations: tuple[str, ...]
    links: frozenset[str]


@dataclass(frozen=True)
class Glossary:
    """The whole linked glossary. Built once per content folder; never changed afterwards."""

    pages: Mapping[str, Page]
    references: Mapping[str, Reference]
    keys: Mapping[str, str]
    backlinks: Mapping[str, tuple[str, ...]]
    cited_by: Mapping[str, tuple[str, ...]]
    figures: frozenset[str]
    content_dir: Path

    def resolve(self, name: str) -> str | None:
        """The slug a slug, title or alias (any casing or spacing) stands for."""
        return self.keys.get(name_key(name))

    def in_category(self, category: str) -> list[Page]:
        return [page for page in self.pages.values() if page.entry.category == category]

    def by_letter(self) -> dict[str, list[Page]]:
        letters: dict[str, list[Page]] = {}
        for page in self.pages.values():
            letters.setdefault(page.entry.letter, []).append(page)
        return letters
