"""Digests of what a kept result was made from: a package's files by path, and installed libraries.

Three things must not outlive what made them: rendered entries on disk
(content/rendercache.py), whole loads on disk (serving/snapshot.py) and the pages'
ETags (web/caching.py). Each names the packages and files it depends on; this makes the
digest the same way for all of them.

A file is named by its path from the package root's parent ('glossary/content/markup.py'),
so moving or renaming a module changes the digest as surely as editing it does, while
every server of a release, wherever it is installed, still gets the same digest. A file
that was listed but cannot be read is an error: counting it as a constant would let a
cache outlive code it can no longer see.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


class MissingInput(OSError):
    """A file a digest was asked to cover could not be read."""


def files(named: Iterable[tuple[str, Path]], digest: hashlib._Hash | None = None) -> hashlib._Hash:
    """Each file's name and bytes, in the order given."""
    digest = digest or hashlib.sha256()
    for name, path in named:
        digest.update(f"\0{name}\0".encode("utf-8", "surrogateescape"))
        try:
            digest.update(path.read_bytes())
        except OSError as error:
            raise MissingInput(f"{path} ({name}) cannot be read for a cache digest: {error}") from error
    return digest


def folder(root: Path) -> hashlib._Hash:
    """Every file below `root`, by its path relative to it, in a fixed order.

    Unlike a named file, a file deleted between the listing and the reading (an editor saving
    over it) is simply no longer in the folder: it is left out, not an error.
    """
    digest = hashlib.sha256()
    for parent, folders, names in os.walk(root):
        folders.sort()
        relative = os.path.relpath(parent, root)  # once a folder: 10,000 files each is a tenth of a second
        for name in sorted(names):
            try:
                data = Path(parent, name).read_bytes()
            except FileNotFoundError:
                continue
            digest.update(f"\0{os.path.normpath(os.path.join(relative, name))}\0".encode("utf-8", "surrogateescape"))
            digest.update(data)
    return digest


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


def python_files(package: Path, *, root: Path | None = None) -> list[tuple[str, Path]]:
    """Every .py file of a package and its subpackages, named by its path from `root`'s parent.

    `root` is the top package ('glossary') when `package` is one of its subpackages, so that
    'glossary/content/markup.py' and 'glossary/search/markup.py' are different names.
    """
    base = (root or package).parent
    found = sorted(package.rglob("*.py"))
    if not found:
        raise MissingInput(f"{package} holds no Python files to cover in a cache digest.")
    return [(path.relative_to(base).as_posix(), path) for path in found]
