"""Digests of what a kept result was made from: named files and installed libraries.

Three things must not outlive what made them: rendered entries on disk (rendercache.py),
whole loads on disk (snapshot.py) and the pages' ETags (caching.py). Each names its own
inputs; this makes the digest the same way for all of them. Files are named, not located,
so every server of a release, wherever it is installed, gets the same digest.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def files(named: Iterable[tuple[str, Path]], digest: hashlib._Hash | None = None) -> hashlib._Hash:
    """Each file's name and bytes, in the order given; a file gone or unreadable counts as such."""
    digest = digest or hashlib.sha256()
    for name, path in named:
        digest.update(f"\0{name}\0".encode("utf-8", "surrogateescape"))
        try:
            digest.update(path.read_bytes())
        except OSError:  # missing, or gone since it was listed: a different digest, never an error
            digest.update(b"\0unreadable")
    return digest


def folder(root: Path) -> hashlib._Hash:
    """Every file below `root`, by its path relative to it, in a fixed order."""
    named = []
    for parent, folders, names in os.walk(root):
        folders.sort()
        relative = os.path.relpath(parent, root)  # once a folder: 10,000 files each is a tenth of a second
        named += [(os.path.normpath(os.path.join(relative, name)), Path(parent, name)) for name in sorted(names)]
    return files(named)


def code(named: Iterable[tuple[str, Path]], libraries: Iterable[str], *extra: str) -> str:
    """The files, the installed version of each library (or that it is missing), and anything else given."""
    digest = hashlib.sha256("\0".join(extra).encode())
    for library in libraries:
        try:
            installed = version(library)
        except PackageNotFoundError:
            installed = "missing"
        digest.update(f"\0{library}={installed}".encode())
    return files(named, digest).hexdigest()


def python_files(package: Path) -> list[tuple[str, Path]]:
    """Every .py file of a package, named from the package's parent folder."""
    return [(path.relative_to(package.parent).as_posix(), path) for path in sorted(package.rglob("*.py"))]
