"""The one stateful module: the glossary loaded from the configured content folder, once per process.

Under `runserver` a saved content file restarts the process (see apps.py), so a
process-wide cache is always fresh; tests that change GLOSSARY_CONTENT_DIR clear
it through Django's setting_changed signal.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from glossary import history
from glossary.entries import Glossary
from glossary.loader import LoadResult, load
from glossary.search import SearchIndex

_results: dict[Path, LoadResult] = {}
_indexes: dict[Path, SearchIndex] = {}
_updated: dict[Path, Mapping[str, datetime]] = {}
_lock = threading.Lock()


class ContentError(ImproperlyConfigured):
    """The content has errors; the message lists them all."""


def result() -> LoadResult:
    content_dir = Path(settings.GLOSSARY_CONTENT_DIR)
    with _lock:
        if content_dir not in _results:
            _results[content_dir] = load(content_dir)
        return _results[content_dir]


def glossary() -> Glossary:
    """The loaded glossary; raises ContentError naming every error if there is one."""
    loaded = result()
    if loaded.glossary is None:
        listing = "\n".join(str(p) for p in loaded.errors)
        raise ContentError(f"The glossary content has {len(loaded.errors)} error(s):\n{listing}")
    return loaded.glossary


def search_index() -> SearchIndex:
    """The search index of the loaded glossary, built with it and kept as long as it is."""
    loaded = glossary()
    content_dir = loaded.content_dir
    with _lock:
        if content_dir not in _indexes:
            _indexes[content_dir] = SearchIndex(loaded)
        return _indexes[content_dir]


def updated() -> Mapping[str, datetime]:
    """Each entry's slug and when it was last changed or reviewed (see history.py), worked out once."""
    loaded = glossary()
    content_dir = loaded.content_dir
    with _lock:
        if content_dir not in _updated:
            entries = [page.entry for page in loaded.pages.values()]
            changed = history.changed([entry.path for entry in entries], content_dir)
            _updated[content_dir] = {e.slug: history.updated(changed[e.path], e.reviewed) for e in entries}
        return _updated[content_dir]


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: object) -> None:
    if setting == "GLOSSARY_CONTENT_DIR":
        with _lock:
            _results.clear()
            _indexes.clear()
            _updated.clear()
