"""Benchmark: how long loading, checking and rendering the bundled glossary takes.

Prints median and worst wall-clock times; run with `make bench`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def _time(action: Callable[[], object], runs: int = RUNS) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def _report(label: str, times: list[float]) -> None:
    print(f"{label:<44} median {statistics.median(times) * 1000:8.1f} ms   worst {max(times) * 1000:8.1f} ms")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossary.settings")
    import django

    django.setup()
    from glossary.content.loader import load

    content = ROOT / "content"
    result = load(content)
    assert result.glossary is not None, "the bundled content has errors"
    pages = result.glossary.pages
    links = sum(len(page.links) for page in pages.values())
    print(f"bundled content: {len(pages)} entries, {len(result.glossary.references)} references, {links} body links")
    _report("load + validate + render (in process)", _time(lambda: load(content)))
    command = [sys.executable, "manage.py", "check"]
    _report(
        "python manage.py check (new process)",
        _time(lambda: subprocess.run(command, cwd=ROOT, check=True, capture_output=True), runs=3),
    )


if __name__ == "__main__":
    main()
