"""`python manage.py keep_load`: load the content on every CPU and keep the load for the next start.

The server runs this in a child process when it starts without a current snapshot
(glossary/serving/snapshot.py, `build_apart`), so that the server itself only reads the snapshot
back: it then never holds what a load leaves behind (textstat's dictionary, the parsed
YAML, Python-Markdown's work), and rendering is shared among the CPUs. A release can run
it before it starts, too, so that its servers start in a second or two.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from glossary.content.loader import load
from glossary.search.engine import SearchIndex
from glossary.serving import cpus, snapshot


class Command(BaseCommand):
    help = "Load the content (rendering on every CPU) and keep the load, so the next start reads it back."
    # The system checks would load the content once more in this process, which is what this avoids.
    requires_system_checks = ()

    def handle(self, *args: Any, **options: Any) -> None:
        # The render cache logs its progress every 1,000 entries (to the console, settings.LOGGING): a first
        # build of a large glossary takes a while, and whoever watches the deploy should see it moving.
        logging.getLogger("glossary.content.rendercache").setLevel(logging.INFO)
        content_dir = Path(settings.GLOSSARY_CONTENT_DIR)
        processes = cpus.available()
        started = time.perf_counter()
        today = date.today()
        result = load(content_dir, today=today, processes=processes)
        if result.glossary is None:
            raise CommandError(f"The content has {len(result.errors)} error(s); `manage.py check` lists them.")
        if not snapshot.write(content_dir, today, snapshot.Snapshot(result, SearchIndex(result.glossary))):
            raise CommandError("The load could not be kept: no render cache folder, or one that cannot be written.")
        seconds = time.perf_counter() - started
        entries = len(result.glossary.pages)
        self.stderr.write(f"Loaded {entries:,} entries on {processes} CPUs and kept them in {seconds:.1f} s.")
