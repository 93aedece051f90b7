"""Content problems as values, and the catalogue of their stable ids and fixes.

Problems are collected in lists rather than raised, so one run reports every
mistake in every file. The catalogue is the single place an id is defined:
CONTRIBUTING.md documents the same ids, and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# id -> (what went wrong in general, what to do about it)
CATALOGUE: dict[str, tuple[str, str]] = {
    "E001": ("Content folder missing", "Set GLOSSARY_CONTENT_DIR to a folder with terms/ and references.yaml."),
    "E002": ("File is not UTF-8", "Save the file as UTF-8 text (most editors offer it in 'Save as')."),
    "E003": ("File is empty", "Write the entry from the template (python manage.py newterm) or delete the file."),
    "E004": ("No front matter", "Start the file with a line '---', the fields, then another line '---'."),
    "E005": ("Front matter is not valid YAML", "Fix the YAML syntax on this line; quote text that contains ': '."),
    "E006": ("Front matter is not a list of fields", "Write one 'key: value' per line, each key once."),
    "E007": ("Unknown field", "Use only the fields listed in CONTRIBUTING.md; check the spelling."),
    "E008": ("Required field missing", "Add the field; title, summary and category are required."),
    "E009": ("Field has the wrong type or value", "See CONTRIBUTING.md for what this field takes."),
    "E010": ("Bad file name", "Name the file <slug>.md: lowercase letters and digits joined by hyphens."),
    "E011": ("Duplicate name", "Every title and alias must be unique across the glossary; remove or reword one."),
    "E012": ("Unknown related entry", "List existing slugs (file names without .md), not the entry itself."),
    "E013": ("Unknown wikilink target", "Link to an existing entry's slug, title or alias, or write the entry first."),
    "E014": ("Unknown section in a wikilink", "Use an id of one of the target entry's section headings."),
    "E015": ("Unknown citation key", "Cite a key that exists in references.yaml, or add the reference there."),
    "E016": ("Raw HTML", "Use Markdown instead of HTML; raw HTML is never published."),
    "E017": ("Unsafe or unsupported link", "Use https://, mailto:, a site path such as /terms/mri/, or [[wikilink]]."),
    "E018": ("Top-level heading in the body", "The title is the page's only h1: start sections with '## '."),
    "E019": ("Image without alt text", "Describe the picture in the brackets: ![What it shows](figures/x.svg)."),
    "E020": ("Image not found", "Put the file in content/figures/ and write its path as figures/<name>."),
    "E021": ("references.yaml cannot be read", "Make it valid YAML: one citation key per top-level entry."),
    "E022": ("Bad citation key", "Keys are lowercase letters and digits joined by hyphens, such as smith-2020."),
    "E023": ("Bad reference field", "Give authors (a list), title, container and year; see CONTRIBUTING.md."),
    "E024": (
        "Unsafe or unlabelled SVG figure",
        "Keep the SVG to shapes, text and styles with a <title>; links only to #ids inside it (see CONTRIBUTING.md).",
    ),
    "E025": (
        "Summary far too hard to read",
        "Rewrite the summary for reading grade 8: short sentences, everyday words, one idea each.",
    ),
    "E026": ("Review date in the future", "Write the date the clinical review took place, YYYY-MM-DD, not a plan."),
    "E027": (
        "DOI or PMID of the wrong shape",
        "Copy the DOI as 10.xxxx/... without https://doi.org/, and the PMID as digits only, in quotes.",
    ),
    "E028": (
        "Template text left in the entry",
        "Replace each 'Write here ...' line from newterm's template with your own words, or delete it.",
    ),
    "E029": (
        "Heading the page already has",
        "Reword the heading: the page adds In short, See also, References and the like itself.",
    ),
    "E030": ("Entry file too large", "Split it into shorter entries linked with [[wikilinks]], or shorten it."),
    "E031": (
        "Entry takes too long to render",
        "Simplify the Markdown: long runs of unclosed [, [[, ![ or [@ are slow to read; close or remove them.",
    ),
    "W001": ("Reference never cited", "Cite it from an entry, or remove it from references.yaml."),
    "W002": ("File ignored", "Entries must end in .md; rename the file or move it out of terms/."),
    "W003": (
        "Summary above reading grade 8",
        "Shorten the sentences and swap long words for everyday ones; the entry's own names do not count.",
    ),
    "W004": ("Entry cites no source", "Cite a verified source with [@key] in the text, or list it under references."),
    "W005": ("Entry links to no other entry", "Link the terms a reader may not know with [[slug]], or add related."),
    "W006": ("No entry links to this one", "Link to it from the entries that mention it, or list it in their related."),
    "W007": ("Review more than three years old", "Ask a clinician to review the entry again and update reviewed."),
    "W008": (
        "Alias is an everyday word",
        "Remove the alias: it would link every mention of an ordinary word. Search still finds the entry.",
    ),
    "W009": (
        "Symptoms described but no urgent-help box",
        "Add a '> [!URGENT]' block saying which symptoms need help and how fast (999 or A&E now, 111 the same "
        "day, or the GP), following the NHS page for the condition; CONTRIBUTING.md shows the form.",
    ),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in the content, located to a file and (when known) a line."""

    code: str
    path: Path
    line: int | None
    message: str
    hint: str

    @property
    def id(self) -> str:
        return f"glossary.{self.code}"

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E")

    @property
    def location(self) -> str:
        shown = display_path(self.path)
        return f"{shown}:{self.line}" if self.line else shown

    def __str__(self) -> str:
        return f"{self.location}: ({self.id}) {self.message}\n    HINT: {self.hint}"


def problem(code: str, path: Path, line: int | None, message: str, hint: str | None = None) -> Problem:
    """Build a Problem whose hint defaults to the catalogue's fix for its id."""
    return Problem(code, path, line, message, hint or CATALOGUE[code][1])


def display_path(path: Path) -> str:
    """Relative to the working directory where possible, as editors and CI see the repository."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
