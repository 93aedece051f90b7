"""What a code test needs from the bundled content, chosen from the files rather than named in the test.

Tests of the site's code (headers, accessibility, previews, print) run against the bundled entries, so a
test that named `tetreault-2013` broke when an editor removed that reference or its last citation
(13 tests did, measured by doing so). They ask here instead for "an entry that cites sources" and get
whichever entry and reference the content holds today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from glossary.content.syntax import CITATION_RE, citation_keys

CONTENT = Path(__file__).resolve().parents[2] / "content"


@dataclass(frozen=True)
class Citing:
    slug: str  # an entry that cites at least two references, the first with a DOI as its only link
    references: tuple[str, ...]  # its references in the order the page numbers them

    @property
    def path(self) -> str:
        return f"/terms/{self.slug}/"

    @property
    def first(self) -> str:
        return self.references[0]


@cache
def citing_entry() -> Citing:
    """The first such entry by slug: the same one on every run until the content changes."""
    references = yaml.safe_load((CONTENT / "references.yaml").read_text(encoding="utf-8")) or {}
    for path in sorted((CONTENT / "terms").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        keys = [key for inner in re.findall(CITATION_RE, body) for key in citation_keys(inner)]
        cited = tuple(dict.fromkeys(keys))
        first = references.get(cited[0], {}) if cited else {}
        if len(cited) >= 2 and first.get("doi") and not {"pmid", "url"} & set(first):
            return Citing(path.stem, cited)
    raise LookupError("no bundled entry cites two references, the first with a DOI as its only link")
