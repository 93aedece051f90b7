"""Benchmark: serving an entry page against a static file, and start-up time and memory at 1,000 and 10,000 entries.

    python -m benchmarks.bench_serve [--seconds 20] [--connections 50] [--sizes 1000 10000] [--skip-serving]

1. Under one production gunicorn (benchmarks/server.py), wrk asks alternately for an
   entry page served by the site and for a static file of the same bytes served by
   whitenoise: requests per second of each, and their ratio. The static file goes into a
   temporary STATIC_ROOT (DJANGO_STATIC_ROOT), next to the site's collected files.
2. For each size, a glossary is generated (benchmarks/generate.py) and loaded in a new
   process, as a server starts (glossary/startup.py): with no current snapshot, a child
   process (`manage.py keep_load`) loads, checks, links and renders on every CPU and
   keeps the load with its search index; the process then reads that back.
   First with an empty render cache (a first build; its progress is logged every
   1,000 entries rendered), then again with the cache and snapshot it left (a restart
   with unchanged content, which reads the whole load back: glossary/serving/snapshot.py).
   Each run prints its time and its resident memory from /proc, measured before it
   writes the snapshot for the next start, as the server does once it is ready.

Targets print PASS or FAIL, but the exit status is 0: this reports, it does not test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate
from benchmarks.loadtest import wrk
from benchmarks.server import ROOT, get, gunicorn, production_env

STATIC_RATIO = 0.9  # the entry page at 90% or more of the static file's throughput
FIRST_BUILD = 60.0  # seconds, at 10,000 entries
RESTART = 3.0  # seconds, at 10,000 entries, content unchanged
RESIDENT = 300.0  # MB per worker, at 10,000 entries


def verdict(passed: bool, label: str, figure: str, target: str) -> str:
    return f"  {'PASS' if passed else 'FAIL'}  {label:<46} {figure:>12}  (target {target})"


# -- 1. an entry page against a static file ------------------------------------------------------------


def serving(seconds: int, connections: int) -> None:
    print(f"\nentry page against a static file of the same bytes: wrk, {connections} connections, {seconds} s each")
    with tempfile.TemporaryDirectory(prefix="glossary-bench-serve-") as temporary:
        folder = Path(temporary)
        static_root = folder / "static"
        extra = {"DJANGO_STATIC_ROOT": str(static_root)}
        collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0", "--skip-checks"]
        subprocess.run(collect, cwd=ROOT, env=production_env(0, extra), check=True)
        entry, body = _typical_entry(folder, extra)
        (static_root / "bench").mkdir()
        (static_root / "bench" / "entry.html").write_bytes(body)
        print(f"  entry page {entry}: {len(body):,} bytes; static copy /static/bench/entry.html")
        with gunicorn(folder / "gunicorn.log", env=extra) as port:
            paths = {"entry page (site)": entry, "static file (whitenoise)": "/static/bench/entry.html"}
            assert get(port, paths["static file (whitenoise)"]) == (200, body)
            rates: dict[str, list[float]] = {label: [] for label in paths}
            for path in paths.values():  # warm up each worker's caches
                wrk(port, [path], duration=3, connections=connections, threads=2, folder=folder)
            for _ in range(2):  # alternate, so that a change in the machine's load falls on both
                for label, path in paths.items():
                    figures = wrk(port, [path], duration=seconds, connections=connections, threads=2, folder=folder)
                    if figures.bad_status or any(figures.socket_errors.values()):
                        raise RuntimeError(f"{label}: errors {figures.values}")
                    rates[label].append(figures.throughput)
                    print(
                        f"  {label:<26} {figures.throughput:8.0f} requests/s   p50 {figures.latency_ms('p50'):6.1f} ms"
                        f"   p99 {figures.latency_ms('p99'):6.1f} ms",
                        flush=True,
                    )
    site, static = (statistics.mean(rates[label]) for label in paths)
    ratio = site / static
    print(f"  mean: entry page {site:.0f} requests/s, static file {static:.0f} requests/s, ratio {ratio:.0%}")
    print(verdict(ratio >= STATIC_RATIO, "entry page throughput / static file's", f"{ratio:.0%}", ">= 90%"))


def _typical_entry(folder: Path, extra: dict[str, str]) -> tuple[str, bytes]:
    """The bundled entry whose page is the median size, and the page's bytes."""
    with gunicorn(folder / "gunicorn-probe.log", workers=1, env=extra) as port:
        pages = []
        for path in sorted((ROOT / "content" / "terms").glob("*.md")):
            status, body = get(port, f"/terms/{path.stem}/")
            assert status == 200, (path.stem, status)
            pages.append((len(body), f"/terms/{path.stem}/", body))
    _, path, body = sorted(pages)[len(pages) // 2]
    return path, body


# -- 2. start-up time and memory -------------------------------------------------------------------------


def startup(sizes: list[int]) -> None:
    print("\nstart-up: load + check + link + render, then the search index, in a new process each time")
    results: dict[tuple[int, str], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="glossary-bench-start-") as temporary:
        for size in sizes:
            content = Path(temporary) / f"content-{size}"
            generate(content, size)
            cache = Path(temporary) / f"render-cache-{size}"
            for run in ("first build", "restart"):
                kept = "empty" if run == "first build" else "and snapshot kept"
                print(f"  {size:,} entries, {run} (render cache {kept}):")
                figures = _start(content, cache)
                results[size, run] = figures
                source = "read back" if figures["snapshot"] else "load + link"
                print(
                    f"    child process {figures['apart']:5.1f} s, {source} {figures['load']:5.1f} s,"
                    f" search index {figures['index']:5.1f} s,"
                    f" together {figures['ready']:6.1f} s (process from launch {figures['process']:5.1f} s);"
                    f" resident {figures['rss_mb']:.0f} MB, peak {figures['peak_mb']:.0f} MB;"
                    f" then kept for the next start in {figures['keep']:.1f} s",
                    flush=True,
                )
    largest = max(sizes)
    first, again = results[largest, "first build"], results[largest, "restart"]
    print(f"\nat {largest:,} entries:")
    print(verdict(first["ready"] < FIRST_BUILD, "first build, render cache empty", f"{first['ready']:.1f} s", "< 60 s"))
    print(verdict(again["ready"] < RESTART, "restart, content unchanged", f"{again['ready']:.1f} s", "< 3 s"))
    resident = max(first["rss_mb"], again["rss_mb"])
    print(verdict(resident < RESIDENT, "resident memory of a loaded process", f"{resident:.0f} MB", "< 300 MB"))


def _start(content: Path, cache: Path) -> dict[str, float]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GLOSSARY_"))},
        "GLOSSARY_CONTENT_DIR": str(content),
        "GLOSSARY_RENDER_CACHE": str(cache),
    }
    launched = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_serve", "--child"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        timeout=900,
        check=True,
    )
    figures = json.loads(finished.stdout.strip().splitlines()[-1])
    figures["process"] = time.perf_counter() - launched
    return figures


def child() -> None:
    """In the new process: what a server does before its first request, timed; one JSON line out."""
    import logging

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossary.settings")
    import django

    django.setup()
    progress = logging.StreamHandler(sys.stderr)
    progress.setFormatter(logging.Formatter("    %(message)s"))
    render_log = logging.getLogger("glossary.content.rendercache")
    render_log.setLevel(logging.INFO)
    render_log.addHandler(progress)
    render_log.propagate = False
    from glossary.serving import store

    start = time.perf_counter()
    store.build_apart()  # as glossary/startup.py does: with no current snapshot, a child process makes one
    built = time.perf_counter()
    store.glossary()
    loaded = time.perf_counter()
    fresh = not store._current().kept
    store.search_index()
    ready = time.perf_counter()
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    store.keep()  # as startup.prepare does once ready: the load, for the next start (serving/snapshot.py)
    print(
        json.dumps(
            {
                "apart": built - start,
                "load": loaded - built,
                "index": ready - loaded,
                "ready": ready - start,
                "keep": time.perf_counter() - ready,
                "snapshot": store._current().kept and not fresh,
                "rss_mb": int(status["VmRSS"].split()[0]) / 1024,
                "peak_mb": int(status["VmHWM"].split()[0]) / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="wrk seconds for each of the four timed runs")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--skip-serving", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    print(f"machine: {os.cpu_count()} CPUs; see docs/performance.md")
    if not args.skip_serving:
        serving(args.seconds, args.connections)
    startup(args.sizes)


if __name__ == "__main__":
    main()
