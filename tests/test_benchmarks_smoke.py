"""The load test's own parts: the paths it asks for all answer, and wrk's figures are read right."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from benchmarks.loadtest import Figures, parse, paths_from_content, report

WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:8000
  2 threads and 10 connections
--- loadtest figures ---
requests=1200
duration_us=2000000
bytes=123456
errors_connect=0
errors_read=0
errors_write=0
errors_timeout=0
errors_status=3
latency_p50_us=1500
latency_p90_us=2500
latency_p95_us=3000
latency_p99_us=450000
latency_p99.9_us=500000
latency_max_us=600000
latency_mean_us=2000
--- end ---
"""


def test_every_path_of_the_load_test_answers_2xx_or_3xx(client: Client, bundled: Path) -> None:
    paths = paths_from_content(bundled)  # the load test runs on the bundled content

    assert sum(path.startswith("/terms/") for path in paths) > 20
    assert any(path.startswith("/api/search/") for path in paths)
    assert any(path.startswith("/search/") for path in paths)
    bad = [(path, status) for path in paths if not 200 <= (status := client.get(path).status_code) < 400]
    assert bad == []


def test_the_figures_wrk_prints_are_parsed_and_judged() -> None:
    figures = parse(WRK_OUTPUT)

    assert isinstance(figures, Figures)
    assert figures.throughput == 600
    assert figures.latency_ms("p99") == 450
    failed = report(figures, p99_limit=400)
    assert failed == ["3 response(s) neither 2xx nor 3xx", "p99 450.0 ms is over 400 ms"]


def test_no_figures_is_an_error() -> None:
    with pytest.raises(ValueError, match="no figures"):
        parse("wrk: connection refused")
