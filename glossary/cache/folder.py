"""The cache folder: where kept results live, how a file is written whole, and how old ones go.

Three kinds of file are kept there: rendered entries (content/rendercache.py, `.json`) and
whole loads (serving/snapshot.py, `.snapshot`), one of each per content folder, and one file
of summary grades for all folders (content/gradecache.py, `.grades`). Each kind is named by
its suffix, and pruning deletes only the files of the kind that asks, so no user of the
folder depends on what another keeps or how often it writes.

The folder is GLOSSARY_RENDER_CACHE (a setting, else an environment variable; "off" or
empty switches the cache off), by default .cache/render beside the code. What is kept there
is served or unpickled as it is read, so the folder must be as trusted as the code: never a
shared temporary directory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEFAULT_DIR = Path(__file__).resolve().parents[2] / ".cache" / "render"
KEEP_DAYS = 30  # a file not used for this long is deleted, and beyond KEEP_FILES of a kind the least recently used
KEEP_FILES = 500  # every test or benchmark content folder gets a file of each kind
_OFF = {"", "0", "off", "false", "no", "none"}


def location() -> Path | None:
    """The configured folder: the GLOSSARY_RENDER_CACHE setting, else the variable, else DEFAULT_DIR; None if off."""
    configured: object = getattr(settings, "GLOSSARY_RENDER_CACHE", None) if settings.configured else None
    if configured is None:
        configured = os.environ.get("GLOSSARY_RENDER_CACHE")
    if configured is None:
        return DEFAULT_DIR
    if configured is False or str(configured).strip().lower() in _OFF:
        return None
    return Path(str(configured))


def mark_used(path: Path) -> None:
    """Note that a kept file was read, so pruning keeps the files of content folders still loaded."""
    with contextlib.suppress(OSError):
        os.utime(path)


@dataclass(frozen=True)
class Kind:
    """One kind of kept file: one per content folder, told apart from the other kinds by its suffix."""

    suffix: str

    def path(self, content_dir: Path) -> Path | None:
        """This kind's file for a content folder, named by a hash of its absolute path; None when the cache is off."""
        folder = location()
        if folder is None:
            return None
        return folder / f"{hashlib.sha256(str(content_dir.resolve()).encode()).hexdigest()[:24]}{self.suffix}"

    def shared(self, name: str) -> Path | None:
        """This kind's one file for every content folder, for what depends on no folder; None when the cache is off."""
        folder = location()
        return None if folder is None else folder / f"{name}{self.suffix}"

    def write(self, path: Path, chunks: Iterable[bytes]) -> None:
        """Write the file whole or not at all (a temporary file beside it, renamed over it), then prune this
        kind's files. Raises OSError when the folder cannot be written; no temporary file is left behind."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", suffix=self.suffix, delete=False) as out:
            try:
                for chunk in chunks:
                    out.write(chunk)
            except BaseException:
                out.close()
                Path(out.name).unlink(missing_ok=True)
                raise
        try:
            os.replace(out.name, path)
        except OSError:
            Path(out.name).unlink(missing_ok=True)
            raise
        self.prune(path.parent)

    def prune(self, folder: Path) -> None:
        """Delete this kind's files not used for KEEP_DAYS, and the least recently used beyond KEEP_FILES."""
        with contextlib.suppress(OSError):
            files = sorted(((path.stat().st_mtime, path) for path in folder.glob(f"*{self.suffix}")), reverse=True)
            too_old = time.time() - KEEP_DAYS * 86_400
            for number, (used, path) in enumerate(files):
                if number >= KEEP_FILES or used < too_old:
                    path.unlink(missing_ok=True)
