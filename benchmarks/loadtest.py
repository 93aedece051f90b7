"""Load test: the production server under 100 connections for 60 s; fails on any error or a slow p99.

    python -m benchmarks.loadtest [--duration 60] [--connections 100] [--threads 2] [--p99 400]

Starts gunicorn as production runs it (benchmarks/server.py) with the bundled content,
and drives it with wrk (Debian package `wrk`) across a list of paths made from that
content: every entry page, the A-Z index and the home page, the search page and the
search API (typeahead, full text with snippets) for names, prefixes and misspellings.
wrk's Lua hook (benchmarks/loadtest.lua) prints the figures, which this parses.

Exit status 1 when any request failed at the socket (connect, read, write, timeout),
any response was not 2xx or 3xx, or the 99th percentile latency is over the limit.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.server import ROOT, gunicorn
from glossary.search.engine import TYPEAHEAD_LIMIT

LUA = Path(__file__).with_name("loadtest.lua")
MARK_START = "--- loadtest figures ---"
MARK_END = "--- end ---"


@dataclass(frozen=True)
class Figures:
    """What wrk's done() hook printed: counts, and latencies in microseconds."""

    values: dict[str, int]

    @property
    def requests(self) -> int:
        return self.values["requests"]

    @property
    def seconds(self) -> float:
        return self.values["duration_us"] / 1e6

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def socket_errors(self) -> dict[str, int]:
        return {kind: self.values[f"errors_{kind}"] for kind in ("connect", "read", "write", "timeout")}

    @property
    def bad_status(self) -> int:
        return self.values["errors_status"]

    def latency_ms(self, name: str) -> float:
        return self.values[f"latency_{name}_us"] / 1000


def parse(output: str) -> Figures:
    """The key=value lines between the markers loadtest.lua prints."""
    if MARK_START not in output or MARK_END not in output:
        raise ValueError(f"wrk printed no figures:\n{output}")
    block = output.split(MARK_START, 1)[1].split(MARK_END, 1)[0]
    values = {}
    for line in block.strip().splitlines():
        key, _, value = line.partition("=")
        values[key.strip()] = int(value)
    return Figures(values)


def wrk(port: int, paths: list[str], *, duration: int, connections: int, threads: int, folder: Path) -> Figures:
    """Run wrk against the paths, bounded in time, and return its figures."""
    listing = folder / "paths.txt"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=10s",
        f"--script={LUA}",
        f"http://127.0.0.1:{port}",
    ]
    env = {**os.environ, "LOADTEST_PATHS": str(listing)}
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=duration + 60, check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed ({finished.returncode}):\n{finished.stdout}\n{finished.stderr}")
    return parse(finished.stdout)


def paths_from_content(content: Path, seed: int = 1) -> list[str]:
    """Entry pages, index pages, and search page and API queries, from the content's titles and aliases."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossary.settings")
    from glossary.content.frontmatter import parse_entry

    rng = random.Random(seed)
    entries = [parse_entry(path, path.read_text(encoding="utf-8"))[0] for path in sorted(content.glob("terms/*.md"))]
    names = [name for entry in entries if entry for name in entry.names]
    paths = [f"/terms/{entry.slug}/" for entry in entries if entry]
    paths += ["/", "/terms/", "/references/"]
    for name in rng.sample(names, min(40, len(names))):
        typo = name[:-2] + name[-1] + name[-2] if len(name) > 4 else name
        for query in (name, name[:3], typo):
            paths.append("/search/?" + urlencode({"q": query}))
            paths.append("/api/search/?" + urlencode({"q": query, "limit": TYPEAHEAD_LIMIT}))
            paths.append("/api/search/?" + urlencode({"q": query, "limit": 20, "snippets": 1}))
    return paths


def report(figures: Figures, p99_limit: float) -> list[str]:
    """Print the figures; return what failed."""
    print(f"requests            {figures.requests} in {figures.seconds:.1f} s")
    print(f"throughput          {figures.throughput:.0f} requests/s")
    for name in ("p50", "p95", "p99"):
        print(f"latency {name:<11} {figures.latency_ms(name):.1f} ms")
    print(f"latency max         {figures.latency_ms('max'):.1f} ms")
    errors = figures.socket_errors
    print("socket errors       " + ", ".join(f"{kind} {count}" for kind, count in errors.items()))
    print(f"non-2xx/3xx         {figures.bad_status}")
    failed = []
    if any(errors.values()):
        failed.append(f"{sum(errors.values())} socket error(s)")
    if figures.bad_status:
        failed.append(f"{figures.bad_status} response(s) neither 2xx nor 3xx")
    if figures.latency_ms("p99") > p99_limit:
        failed.append(f"p99 {figures.latency_ms('p99'):.1f} ms is over {p99_limit:g} ms")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--p99", type=float, default=400.0, help="the p99 latency limit, ms")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("The load test needs wrk: run apt-get install wrk", file=sys.stderr)
        return 2
    paths = paths_from_content(ROOT / "content")
    with tempfile.TemporaryDirectory(prefix="glossary-loadtest-") as temporary:
        folder = Path(temporary)
        print(f"load test: {len(paths)} paths, {args.connections} connections, {args.duration} s", flush=True)
        with gunicorn(folder / "gunicorn.log", workers=args.workers) as port:
            figures = wrk(
                port, paths, duration=args.duration, connections=args.connections, threads=args.threads, folder=folder
            )
        failed = report(figures, args.p99)
    if failed:
        print("FAIL: " + "; ".join(failed))
        return 1
    print(f"PASS: no errors, p99 under {args.p99:g} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
