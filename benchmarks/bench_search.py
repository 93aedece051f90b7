"""Benchmark: search at 10,000 entries, in process and over real HTTP, against the project's targets.

    python -m benchmarks.bench_search [--entries 10000] [--queries 200] [--seed 1]

Generates a content folder (benchmarks.generate) in a temporary directory, then
measures, each figure printed as soon as it is known:

- the glossary load and the search index build, separately;
- typeahead (`suggest`, 8 results) and full-text (`search`, 20 results with
  snippets) latency, p50 and p95, per query class, called in process;
- the same through `/api/search/` against one gunicorn sync worker, plus the
  HTML `/search/` page for every 4th query; the sync worker closes every connection, so each request
  opens a fresh one, which is what a reader's browser pays for too;
- resident memory of both processes and the size of 8-result typeahead bodies.

A query class is a way readers type (exact title, prefix, misspelling, ...);
its queries are drawn from the generated entries with a fixed seed, so runs
compare. Targets print PASS or FAIL, but the exit status is 0: this reports,
it does not test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.bench_load import ROOT
from benchmarks.generate import WORST_CASE_WORD, american, generate, in_sentence
from benchmarks.server import free_port
from glossary.search.engine import TYPEAHEAD_LIMIT

FULL_LIMIT = 20
HTML_EVERY = 4  # the HTML page is timed for every 4th query: it has no target, only a figure to watch
BOOT_TIMEOUT = 900.0  # seconds gunicorn may take to load the content before the benchmark gives up
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class Target:
    label: str
    limit: float
    unit: str


TYPEAHEAD_P95 = Target("typeahead p95 via API, slowest class", 5.0, "ms")
FULL_P95 = Target("full text + snippets p95 via API, slowest class", 30.0, "ms")
BUILD = Target("index build", 10.0, "s")
RESPONSE_SIZE = Target("typeahead response with 8 results, largest", 2048, "B")


# -- queries ---------------------------------------------------------------------------


def query_classes(entries: list[tuple[str, tuple[str, ...]]], count: int, seed: int) -> dict[str, list[str]]:
    """`count` queries for each way readers type, drawn from (title, aliases) pairs with a fixed seed."""
    rng = random.Random(seed)
    titles = [title for title, _ in entries]
    aliases = [alias for _, names in entries for alias in names]
    spelt = [a for title, names in entries if (a := american(in_sentence(title))) in names]
    short = [a for a in aliases if a.isupper()]
    lay = [a for a in aliases if " of the " in a]
    longer = [t for t in titles if len(t) >= 6]  # room for two mistakes after the first letter

    def draw(pool: list[str], change: Callable[[str], str] = str) -> list[str]:
        return [change(rng.choice(pool)) for _ in range(count)]

    return {
        "exact title": draw(titles),
        "title prefix (2-6 letters)": draw(titles, lambda t: t.lower()[: rng.randint(2, 6)]),
        "misspelt name (1-2 edits)": draw(longer, lambda t: misspell(t, rng.randint(1, 2), rng)),
        "American spelling": draw(spelt),
        "abbreviation": draw(short),
        "multi-word lay phrase": draw(lay),
        f"worst case ({WORST_CASE_WORD!r}, in every entry)": [WORST_CASE_WORD] * count,
        "no results (nonsense word)": [nonsense(rng) for _ in range(count)],
    }


def misspell(text: str, edits: int, rng: random.Random) -> str:
    """`edits` typing mistakes (a letter swapped, dropped, doubled or replaced), never in the first letter."""
    chars = list(text.lower())
    for _ in range(edits):
        at = rng.randrange(1, len(chars) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            chars[at], chars[at + 1] = chars[at + 1], chars[at]
        elif kind == 1:
            del chars[at]
        elif kind == 2:
            chars.insert(at, rng.choice(LETTERS))
        else:
            chars[at] = rng.choice(LETTERS)
    return "".join(chars)


def nonsense(rng: random.Random) -> str:
    """A word no entry holds or resembles: consonants only, 8 to 12 of them."""
    return "".join(rng.choice("bcdfgjkqvwxz") for _ in range(rng.randint(8, 12)))


# -- measuring --------------------------------------------------------------------------


def percentile(values: list[float], percent: int) -> float:
    if len(values) < 2:  # quantiles needs two; one value is every percentile of itself
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """(milliseconds, what the action returned)."""
    start = time.perf_counter()
    value = action()
    return (time.perf_counter() - start) * 1000, value


def row(label: str, *columns: list[float]) -> str:
    """One table line: p50 and p95 of each column of milliseconds."""
    cells = "".join(f"{percentile(c, 50):8.2f}{percentile(c, 95):8.2f}" for c in columns)
    return f"  {label:<40}{cells}"


def header(*columns: str) -> str:
    names = "".join(f"{name:>16}" for name in columns)
    return f"  {'query class':<40}{names}\n  {'':<40}" + "     p50     p95" * len(columns) + "   (ms)"


def duration(label: str, seconds: float, note: str = "") -> None:
    print(f"{label:<44}{seconds:8.1f} s   {note}".rstrip(), flush=True)


def memory(pid: int | str = "self") -> str:
    """Peak and current resident memory of a process, from /proc: what the machine must provide."""
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    fields = dict(line.split(":", 1) for line in status if line.startswith(("VmHWM", "VmRSS")))
    return f"peak {fields['VmHWM'].strip()}, now {fields['VmRSS'].strip()}"


def verdict(target: Target, value: float, note: str = "") -> str:
    outcome = "PASS" if value < target.limit else "FAIL"
    figure = f"{value:10.2f} {target.unit}  (target < {target.limit:g} {target.unit})"
    return f"  {outcome}  {target.label:<48} {figure}  {note}".rstrip()


# -- in process -------------------------------------------------------------------------


def in_process(classes: dict[str, list[str]]) -> None:
    """Call SearchIndex.suggest and .search directly: the engine's own cost, without HTTP or JSON."""
    from glossary.serving import store

    index = store.search_index()
    print("\nin process (SearchIndex methods)")
    print(header(f"suggest {TYPEAHEAD_LIMIT}", f"search {FULL_LIMIT}"))
    for label, queries in classes.items():
        suggest = [timed(lambda q=q: index.suggest(q, limit=TYPEAHEAD_LIMIT))[0] for q in queries]
        search = [timed(lambda q=q: index.search(q, limit=FULL_LIMIT))[0] for q in queries]
        print(row(label, suggest, search), flush=True)
    print(f"  memory of this process: {memory()}")


def load_and_build() -> list[tuple[str, tuple[str, ...]]]:
    """Time the glossary load and the index build apart; returns each entry's (title, aliases)."""
    from glossary.serving import store

    load_ms, glossary = timed(store.glossary)
    duration("glossary load (parse, check, render)", load_ms / 1000, f"{len(glossary.pages)} entries")
    build_ms, _ = timed(store.search_index)
    duration("search index build", build_ms / 1000)
    print(verdict(BUILD, build_ms / 1000))
    return [(page.entry.title, page.entry.aliases) for page in glossary.pages.values()]


# -- over HTTP --------------------------------------------------------------------------


def start_gunicorn(content: Path, port: int) -> subprocess.Popen[bytes]:
    """One sync worker, DEBUG off (local mode: production less HTTPS); the timeout lets 10,000 entries load."""
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}, "GLOSSARY_CONTENT_DIR": str(content)}
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "glossary.wsgi:serve()",
        f"--bind=127.0.0.1:{port}",
        "--workers=1",
        f"--timeout={int(BOOT_TIMEOUT)}",
        "--log-level=warning",
        "--access-logfile=/dev/null",  # gunicorn.conf.py, read from the working folder, logs every request
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def get(port: int, path: str, *, ok: tuple[int, ...] = (200,)) -> tuple[float, bytes]:
    """(milliseconds, body) of one GET on a fresh connection; a status not in `ok` stops the benchmark."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status not in ok:
        raise RuntimeError(f"GET {path} answered {response.status}: {body[:200]!r}")
    return elapsed, body


def wait_until_healthy(server: subprocess.Popen[bytes], port: int, launched: float) -> None:
    """Wait for /healthz to answer 200 and say how long gunicorn took from launch to ready."""
    while time.perf_counter() - launched < BOOT_TIMEOUT:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            get(port, "/healthz")
        except (OSError, RuntimeError):  # refused, or timed out while the worker loads
            time.sleep(0.25)
            continue
        duration("gunicorn ready (its own load + build)", time.perf_counter() - launched, "from launch")
        return
    raise TimeoutError(f"gunicorn did not answer /healthz within {BOOT_TIMEOUT:.0f} s")


def worker_pid(server: subprocess.Popen[bytes]) -> int:
    """The pid of gunicorn's worker: the master's one child process."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return int(children[0])


def over_http(classes: dict[str, list[str]], port: int) -> dict[str, int]:
    """Time each query via the API (typeahead, full text) and the HTML page; returns {query: 8-result body size}."""
    print("\nover HTTP (gunicorn, 1 sync worker, a fresh connection per request)")
    print(header(f"api limit={TYPEAHEAD_LIMIT}", f"api {FULL_LIMIT} snippets", "/search/ HTML"))
    sizes: dict[str, int] = {}
    worst_typeahead: list[tuple[float, str]] = []  # (p95, class) of each class
    worst_full: list[tuple[float, str]] = []
    for label, queries in classes.items():
        typeahead, full, page = [], [], []
        for number, query in enumerate(queries):
            ms, body = get(port, "/api/search/?" + urlencode({"q": query, "limit": TYPEAHEAD_LIMIT}))
            typeahead.append(ms)
            if len(json.loads(body)["results"]) == TYPEAHEAD_LIMIT:
                sizes[query] = len(body)
            full.append(get(port, "/api/search/?" + urlencode({"q": query, "limit": FULL_LIMIT, "snippets": 1}))[0])
            if number % HTML_EVERY == 0:  # 302: an exact name goes straight to its page
                page.append(get(port, "/search/?" + urlencode({"q": query}), ok=(200, 302))[0])
        print(row(label, typeahead, full, page), flush=True)
        worst_typeahead.append((percentile(typeahead, 95), label))
        worst_full.append((percentile(full, 95), label))
    print(verdict(TYPEAHEAD_P95, *max(worst_typeahead)))
    print(verdict(FULL_P95, *max(worst_full)))
    return sizes


def report_sizes(sizes: dict[str, int]) -> None:
    """The p95 and the largest typeahead body, naming the query that gave it so it can be looked at."""
    if not sizes:
        print("  no typeahead response had 8 results")
        return
    values = list(sizes.values())
    print(f"\ntypeahead bodies with {TYPEAHEAD_LIMIT} results: {len(values)}, p95 {percentile(values, 95):.0f} B")
    largest = max(sizes, key=sizes.__getitem__)
    print(verdict(RESPONSE_SIZE, sizes[largest], f"q={largest!r}"))


# -- the run ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200, help="queries per class")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="glossary-bench-") as folder:
        content = Path(folder)
        generate(content, args.entries, args.seed)
        print(f"search benchmark: {args.entries} generated entries in {content}, {args.queries} queries per class")
        os.environ["GLOSSARY_CONTENT_DIR"] = str(content)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossary.settings")
        import django

        django.setup()
        # gunicorn loads its copy while this process loads its own (each on a core); queries wait for both.
        port = free_port()
        launched = time.perf_counter()
        server = start_gunicorn(content, port)
        try:
            classes = query_classes(load_and_build(), args.queries, args.seed)
            wait_until_healthy(server, port, launched)
            in_process(classes)
            report_sizes(over_http(classes, port))
            print(f"  memory of the gunicorn worker: {memory(worker_pid(server))}")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
