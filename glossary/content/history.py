"""When each entry file last changed, for the sitemap's lastmod, the feed and the page's "last updated".

A fresh clone gives every file the same modification time (the moment of checkout),
so where the content folder is in a git work tree the date of the last commit that
touched the file is the truthful one. Files git does not know (a new entry not yet
committed, or a deployment without .git) fall back to their modification time.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from pathlib import Path

GIT_TIMEOUT_SECONDS = 30


def changed(paths: Iterable[Path], folder: Path) -> dict[Path, datetime]:
    """The last change of each path under `folder`: its last commit, else its modification time."""
    committed = _commit_times(folder)
    return {path: committed.get(path.resolve()) or _modified(path) for path in paths}


def updated(changed_at: datetime, reviewed: date | None) -> datetime:
    """An entry's date for readers and feeds: its last change or its last review, whichever is later."""
    if reviewed is None:
        return changed_at
    return max(changed_at, datetime.combine(reviewed, time.min, tzinfo=UTC))


def _modified(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _commit_times(folder: Path) -> dict[Path, datetime]:
    """One `git log` over the folder, newest first, so the first time a path appears is its last change."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    log = _git(folder, "log", "--format=\x01%ct", "--name-only", "--no-renames", "--", ".")
    if top is None or log is None:
        return {}
    times: dict[Path, datetime] = {}
    when: datetime | None = None
    for line in log.splitlines():
        if line.startswith("\x01"):
            when = datetime.fromtimestamp(int(line[1:]), tz=UTC)
        elif line and when is not None:
            times.setdefault((Path(top.strip()) / line).resolve(), when)
    return times


def changed_since(base: str, folder: Path) -> set[Path]:
    """Files that differ between `base` (a branch a pull request targets) and the working tree; empty if unknown."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    names = _git(folder, "diff", "--name-only", "--no-renames", "--merge-base", base, "--")
    if top is None or names is None:
        return set()
    return {(Path(top.strip()) / line).resolve() for line in names.splitlines() if line}


def _git(folder: Path, *args: str) -> str | None:
    """A git command's output in `folder`, or None where git, the repository or the revision is missing."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        return subprocess.run(
            [git, "-C", str(folder), *args], capture_output=True, text=True, timeout=GIT_TIMEOUT_SECONDS, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
