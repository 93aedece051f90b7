"""`python manage.py content_report`: a table of every entry's figures, then totals, for the editors.

The figures (words, summary reading grade, references, links in and out, review
status) are built in glossary/content/inventory.py. The report describes sound content only:
when the content has errors it stops and sends the editor to `manage.py check`,
which says what each one is and how to fix it. Review status depends on the date,
so `--today` fixes it for output that can be compared from one run to the next.
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from glossary.content import inventory as report
from glossary.content.entries import Glossary
from glossary.serving import store


class Command(BaseCommand):
    help = "Print a table of every entry (words, reading grade, references, links, review), then totals."
    # Content errors would stop the command in the system checks with the whole list; the report
    # says instead how many there are and that `check` lists them.
    requires_system_checks = ()

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--today", metavar="YYYY-MM-DD", help="date the review status as of this day (default: today)"
        )
        parser.add_argument("--csv", metavar="PATH", help="also write the rows as CSV to PATH; '-' writes only CSV")
        parser.add_argument(
            "--sort",
            choices=list(report.SORTS),
            default="slug",
            help="order of the rows: slug (A to Z), grade (hardest first) or words (longest first)",
        )

    def handle(self, *args: Any, today: str | None, csv: str | None, sort: str, **options: Any) -> None:
        day = _parse_day(today) if today else date.today()
        rows = report.rows(_sound_glossary(), day, sort)
        if csv == "-":
            self.stdout.write(report.csv_text(rows), ending="")
            return
        lines = [
            f"Content report for {settings.GLOSSARY_CONTENT_DIR}, review status as of {day.isoformat()}",
            "",
            *report.table(rows),
            "",
            *report.totals(rows),
        ]
        self.stdout.write("\n".join(lines))
        if csv:
            _write(Path(csv), report.csv_text(rows))
            self.stdout.write(f"\nWrote {len(rows)} rows to {csv}")


def _sound_glossary() -> Glossary:
    """The loaded glossary, or a CommandError when the content has any error (a preview would serve around it)."""
    errors = store.result().errors
    if errors:
        raise CommandError(
            f"The glossary content has {len(errors)} error(s), so there is nothing sound to report on. "
            "Run `python manage.py check` to see each one and how to fix it, then run the report again."
        )
    return store.glossary()


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today takes a date as YYYY-MM-DD, not {text!r}.") from None


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise CommandError(f"Cannot write the CSV to {path}: {exc.strerror}.") from None
