"""The one stateful module: the glossary loaded from the configured content folder, once per process.

In production the content never changes under a running process. In an editor's
preview (GLOSSARY_PREVIEW, set by `make run`) every call first compares the content
files' sizes and modification times with those of the last load, so a saved entry
shows on the next page load without a restart. Tests that point
GLOSSARY_CONTENT_DIR at a folder get a fresh load of it through Django's setting_changed signal.

Each load has a content version (`content_version`), a digest of everything its pages
show that comes from the content folder; glossary/web/caching.py builds the pages' ETags and
its in-memory copies of rendered pages on it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from glossary.cache import versions
from glossary.content import history
from glossary.content.entries import Glossary
from glossary.content.loader import LoadResult, load
from glossary.content.problems import Problem
from glossary.explain.engine import Explainer
from glossary.search.engine import SearchIndex
from glossary.serving import snapshot


@dataclass
class _Loaded:
    """One load of one content folder, and what is derived from it on first use."""

    result: LoadResult
    content_dir: Path
    fingerprint: tuple[tuple[str, int, int], ...] = ()  # in a preview, the files as they were when it loaded
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    index: SearchIndex | None = None
    explainer: Explainer | None = None
    updated: Mapping[str, datetime] | None = None
    version: str | None = None
    today: date | None = None  # the date the load was checked for; None in a preview
    kept: bool = False  # read from, or written to, a snapshot (snapshot.py)
    files: tuple[tuple[str, int, int], ...] = ()  # the folder's files just before it loaded (see _forget)


_loaded: dict[tuple[Path, tuple[tuple[str, int, int], ...]], _Loaded] = {}
_lock = threading.Lock()
# A server loads one folder. A test suite points the site at a fixture folder and back many times;
# keeping the last few loads spares a reload of the bundled content on each return (see _forget).
KEPT_FOLDERS = 3


class ContentError(ImproperlyConfigured):
    """The content has errors; the message lists them all."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        listing = "\n".join(str(p) for p in problems)
        super().__init__(f"The glossary content has {len(problems)} error(s):\n{listing}")
        self.problems = problems


class EntryWithheld(ContentError):
    """In a preview, an entry whose file has errors: its page says what to fix."""

    def __init__(self, slug: str, problems: tuple[Problem, ...]) -> None:
        super().__init__(problems)
        self.slug = slug


def result() -> LoadResult:
    return _current().result


def glossary() -> Glossary:
    """The loaded glossary; raises ContentError naming every error if there is none to serve."""
    loaded = result()
    if loaded.glossary is None:
        raise ContentError(loaded.errors)
    return loaded.glossary


def check_withheld(slug: str) -> None:
    """Raise EntryWithheld if a preview left this entry out for its errors."""
    loaded = result()
    if slug in loaded.withheld:
        raise EntryWithheld(slug, loaded.errors)


def search_index() -> SearchIndex:
    """The search index of the loaded glossary, built with it and kept as long as it is."""
    loaded = _current()
    if loaded.index is None:
        index = SearchIndex(glossary())
        with _lock:
            loaded.index = index
    return loaded.index


def explainer() -> Explainer:
    """The report reader of the loaded glossary (glossary/explain/), built with it and kept as long as it is."""
    loaded = _current()
    if loaded.explainer is None:
        built = Explainer.build(glossary(), search_index())
        with _lock:
            loaded.explainer = built
    return loaded.explainer


def updated() -> Mapping[str, datetime]:
    """Each entry's slug and when it was last changed or reviewed (see history.py), worked out once."""
    return _updated(_current())


def _updated(loaded: _Loaded) -> Mapping[str, datetime]:
    if loaded.updated is None:
        if loaded.result.glossary is None:
            raise ContentError(loaded.result.errors)
        entries = [page.entry for page in loaded.result.glossary.pages.values()]
        changed = history.changed([entry.path for entry in entries], loaded.content_dir)
        with _lock:
            loaded.updated = {e.slug: history.updated(changed[e.path], e.reviewed) for e in entries}
    return loaded.updated


def loaded_at() -> datetime:
    """When the current content was loaded: in production, when the process started."""
    return _current().loaded_at


def content_version() -> str:
    """A digest of what the pages of this load show from the content folder, worked out once per load.

    Every file's path and bytes (an entry's page shows other entries too: titles, backlinks,
    references), each entry's date (from git or the file's time, which the bytes do not hold),
    whether there were errors, and in a preview the files' sizes and times when it loaded, so
    every reload gets a new version even if a file changed again while it was being read.
    """
    loaded = _current()
    if loaded.version is None:
        digest = versions.folder(loaded.content_dir)
        digest.update(repr(loaded.fingerprint).encode())
        dates = _updated(loaded) if loaded.result.glossary is not None else {}
        digest.update(repr(sorted(dates.items())).encode())
        digest.update(repr(loaded.result.errors).encode())
        with _lock:
            loaded.version = digest.hexdigest()[:32]
    return loaded.version


def _current() -> _Loaded:
    content_dir = Path(settings.GLOSSARY_CONTENT_DIR)
    preview = bool(getattr(settings, "GLOSSARY_PREVIEW", False))
    key = (content_dir, _fingerprint(content_dir) if preview else ())
    with _lock:
        if key not in _loaded:
            if preview:
                _loaded.clear()  # keep only the newest version of the content
                _loaded[key] = _Loaded(load(content_dir, preview=True), content_dir, key[1])
            else:
                files = _fingerprint(content_dir)
                _loaded[key] = _load(content_dir)
                _loaded[key].files = files
                while len(_loaded) > KEPT_FOLDERS:
                    del _loaded[next(iter(_loaded))]  # the least recently used: each use moves it last
        _loaded[key] = _loaded.pop(key)
        return _loaded[key]


def _load(content_dir: Path) -> _Loaded:
    """The load kept by an earlier start with the same content, code and date (snapshot.py), or a new one."""
    today = date.today()
    kept = snapshot.read(content_dir, today)
    if kept is not None:
        return _Loaded(kept.result, content_dir, index=kept.index, today=today, kept=True)
    return _Loaded(load(content_dir, today=today), content_dir, today=today)


def build_apart() -> None:
    """Before a server's first load: have a child process make the snapshot it will read (snapshot.py)."""
    if not getattr(settings, "GLOSSARY_PREVIEW", False):
        snapshot.build_apart(Path(settings.GLOSSARY_CONTENT_DIR))


def keep() -> None:
    """Write the current load and its search index for the next start (snapshot.py), unless it came from
    there or is an editor's preview. The server calls this once it is ready (wsgi.py)."""
    loaded = _current()
    if loaded.kept or loaded.today is None or loaded.index is None:
        return
    snapshot.write(loaded.content_dir, loaded.today, snapshot.Snapshot(loaded.result, loaded.index))
    loaded.kept = True


def _fingerprint(content_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Path, size and modification time of every content file: any save changes it."""
    found = []
    for folder, _, names in os.walk(content_dir):
        for name in names:
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except FileNotFoundError:  # an editor saving by rename: the next call sees the new file
                continue
            found.append((path, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


def forget() -> None:
    """Drop every load: what a new process starts with."""
    with _lock:
        _loaded.clear()


@receiver(setting_changed)
def _forget(*, setting: str, value: object, enter: bool, **kwargs: object) -> None:
    """Pointing the site at a folder loads it afresh if any of its files changed since it was loaded
    (a test may have rewritten them); a folder left as it was, like the bundled content a suite
    returns to after each fixture, is not read again."""
    if setting == "GLOSSARY_PREVIEW":
        forget()
    elif setting == "GLOSSARY_CONTENT_DIR" and enter:
        folder = Path(str(value))
        files = _fingerprint(folder)
        with _lock:
            for key in [key for key, loaded in _loaded.items() if key[0] == folder and loaded.files != files]:
                del _loaded[key]
