"""Benchmark: the report reader at 10,000 entries, in process and over HTTP, against issue 15's targets.

    python -m benchmarks.bench_explain [--entries 10000] [--runs 200] [--seed 1]

Generates a content folder (benchmarks.generate), loads it, and measures, each figure printed as
soon as it is known:

- the engine's build time and the memory it adds (tracemalloc: what the Explainer holds);
- three ways of finding the names' candidates in a 20,000-character report, on the same words:
  the engine's trie (glossary/explain/names.py), one compiled alternation of every name, and an
  Aho-Corasick automaton (pyahocorasick, when installed; it is not a dependency);
- `Explainer.explain` on that report, p50 and p95, in process;
- `POST /api/explain/` with it against one gunicorn sync worker, p50 and p95, a new connection each.

The report is made of the development reports (tests/fixtures/reports) and sentences naming
generated entries and spinal levels, so it has the density of marks of a real one. Targets print
PASS or FAIL, but the exit status is 0: this reports, it does not test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_load import ROOT
from benchmarks.generate import generate
from benchmarks.server import gunicorn
from glossary.content.entries import Glossary
from glossary.content.loader import load
from glossary.content.wording import WORD_RE
from glossary.explain.engine import Explainer
from glossary.explain.limits import MAX_CHARS
from glossary.explain.names import word_key
from glossary.search.engine import SearchIndex

REPORTS = ROOT / "tests" / "fixtures" / "reports"
IN_PROCESS_P95 = 20.0  # ms
HTTP_P95 = 50.0  # ms
MEMORY = 50.0  # MB


def verdict(value: float, limit: float) -> str:
    return "PASS" if value < limit else "FAIL"


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of wall-clock time per run, after one run to warm the caches (word keys) a server has warm."""
    return _runs(action, runs, time.perf_counter)


def cpu_timed(action: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of this thread's CPU time per run: what a run costs on a core of its own, on a machine
    whose other work would otherwise show in the wall-clock figure."""
    return _runs(action, runs, time.thread_time)


def _runs(action: Callable[[], object], runs: int, clock: Callable[[], float]) -> list[float]:
    action()
    found = []
    for _ in range(runs):
        start = clock()
        action()
        found.append((clock() - start) * 1000)
    return found


def report_text(glossary: Glossary, seed: int) -> str:
    """About MAX_CHARS characters: the development reports, and sentences naming generated entries and levels."""
    rng = random.Random(seed)
    bodies = [path.read_text(encoding="utf-8").partition("\n\n")[2] for path in sorted(REPORTS.glob("*.txt"))]
    names = [name for page in glossary.pages.values() for name in page.entry.names]
    parts: list[str] = []
    size = 0
    while size < MAX_CHARS:
        level = rng.randint(1, 4)
        sentence = (
            f"At L{level}-{level + 1} there is {rng.choice(names)} with no {rng.choice(names)}. "
            f"{rng.choice(bodies)[:400]}\n"
        )
        parts.append(sentence)
        size += len(sentence)
    text = "".join(parts)[:MAX_CHARS]
    return text[: text.rfind(" ")]


def compare_matchers(glossary: Glossary, explainer: Explainer, text: str, runs: int) -> None:
    """The candidate-finding step three ways, on the text's folded words (what each must search)."""
    names = {
        " ".join(word_key(w) for w in WORD_RE.findall(name)) for p in glossary.pages.values() for name in p.entry.names
    }
    names.discard("")
    keys = " ".join(word_key(word) for word in WORD_RE.findall(text))
    fold = percentiles(timed(lambda: " ".join(word_key(word) for word in WORD_RE.findall(text)), runs))
    print(f"  {'folding the words (every way needs it)':<36} p50 {fold[0]:6.2f} ms  p95 {fold[1]:6.2f} ms")

    start = time.perf_counter()
    alternation = re.compile(
        r"(?<!\S)(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?!\S)"
    )
    alternation_build = time.perf_counter() - start
    candidates: dict[str, Callable[[], object]] = {
        "trie, folding included": lambda: list(explainer.names.find(text)),
        "compiled alternation": lambda: list(alternation.finditer(keys)),
    }
    builds = {"compiled alternation": alternation_build}
    try:
        import ahocorasick  # type: ignore[import-not-found]

        start = time.perf_counter()
        automaton = ahocorasick.Automaton()
        for name in names:
            automaton.add_word(f" {name} ", name)
        automaton.make_automaton()
        builds["Aho-Corasick (pyahocorasick)"] = time.perf_counter() - start
        spaced = f" {keys} "
        candidates["Aho-Corasick (pyahocorasick)"] = lambda: list(automaton.iter_long(spaced))
    except ImportError:
        print("  Aho-Corasick: pyahocorasick is not installed (pip install pyahocorasick to compare)")
    for label, action in candidates.items():
        p50, p95 = percentiles(timed(action, runs))
        built = f", built in {builds[label]:.2f} s" if label in builds else ""
        print(f"  {label:<36} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms{built}", flush=True)


def post(port: int, body: bytes) -> tuple[int, float]:
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/api/explain/", body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - start) * 1000
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossary.settings")
    import django

    django.setup()
    with tempfile.TemporaryDirectory(prefix="glossary-bench-") as tmp:
        folder = Path(tmp) / "content"
        count = generate(folder, args.entries, args.seed)
        start = time.perf_counter()
        loaded = load(folder)
        if loaded.glossary is None:
            raise SystemExit(f"the generated content has errors: {loaded.errors[:3]}")
        glossary = loaded.glossary
        print(f"Report reader at {count:,} entries (loaded in {time.perf_counter() - start:.1f} s)", flush=True)

        index = SearchIndex(glossary)  # built with every load anyway; the reader borrows its vocabulary
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        start = time.perf_counter()
        explainer = Explainer.build(glossary, index)
        built = time.perf_counter() - start
        held = (tracemalloc.get_traced_memory()[0] - before) / 2**20
        tracemalloc.stop()
        memory = f"target under {MEMORY:g} MB: {verdict(held, MEMORY)}"
        print(f"  engine built in {built:.2f} s, holding {held:.1f} MB  ({memory})")

        text = report_text(glossary, args.seed)
        explanation = explainer.explain(text)
        print(
            f"  report: {len(text):,} characters, {len(explanation.terms):,} terms "
            f"({sum(t.negated for t in explanation.terms)} absent), {len(explanation.levels)} levels"
        )
        print("Finding names, the same words three ways:", flush=True)
        compare_matchers(glossary, explainer, text, args.runs)

        print(f"  (load average {', '.join(f'{load:.1f}' for load in os.getloadavg())} on {os.cpu_count()} CPUs)")
        wall = percentiles(timed(lambda: explainer.explain(text), args.runs))
        cpu = percentiles(cpu_timed(lambda: explainer.explain(text), args.runs))
        print(
            f"explain() in process: p50 {wall[0]:.2f} ms, p95 {wall[1]:.2f} ms wall-clock; "
            f"p50 {cpu[0]:.2f} ms, p95 {cpu[1]:.2f} ms of CPU  (target p95 under {IN_PROCESS_P95:g} ms: "
            f"{verdict(wall[1], IN_PROCESS_P95)} wall-clock, {verdict(cpu[1], IN_PROCESS_P95)} CPU)",
            flush=True,
        )

        body = json.dumps({"text": text}).encode()
        with gunicorn(Path(tmp) / "server.log", workers=1, env={"GLOSSARY_CONTENT_DIR": str(folder)}) as port:
            post(port, body)
            results = [post(port, body) for _ in range(args.runs)]
        failures = [status for status, _ in results if status != 200]
        p50, p95 = percentiles([ms for _, ms in results])
        print(
            f"POST /api/explain/ over HTTP: p50 {p50:.2f} ms, p95 {p95:.2f} ms, {len(failures)} failures  "
            f"(target p95 under {HTTP_P95:g} ms: {verdict(p95, HTTP_P95)})",
            flush=True,
        )


if __name__ == "__main__":
    main()
