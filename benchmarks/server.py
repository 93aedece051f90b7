"""Start the site as production runs it, for the load test and the serving benchmark.

gunicorn with the repository's gunicorn.conf.py (sync workers, the app preloaded in the
master) and production settings (DJANGO_DEBUG=0, a random strong key, ALLOWED_HOSTS
127.0.0.1), over plain HTTP on 127.0.0.1, so with the HTTPS redirect turned off
(DJANGO_SSL_REDIRECT=0, as `make serve` does). Access and error logs go to a file in the
run's temporary folder rather than the terminal.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from benchmarks.bench_load import ROOT

BOOT_TIMEOUT = 300.0  # seconds the master may take to load the content before the run gives up


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(port: int, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GLOSSARY_"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "glossary.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SSL_REDIRECT": "0",
        "GLOSSARY_PREVIEW": "0",
        "GLOSSARY_BIND": f"127.0.0.1:{port}",
        **(extra or {}),
    }


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextmanager
def gunicorn(log: Path, *, workers: int | None = None, env: Mapping[str, str] | None = None) -> Iterator[int]:
    """A running server; yields its port once /healthz answers 200, and stops it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    if workers:
        command.append(f"--workers={workers}")
    started = time.perf_counter()
    with log.open("ab") as output:
        server = subprocess.Popen(
            command, cwd=ROOT, env=production_env(port, env), stdout=output, stderr=subprocess.STDOUT
        )
    try:
        while True:
            if server.poll() is not None:
                tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
                raise RuntimeError(f"gunicorn exited with status {server.returncode}; its log ends:\n{tail}")
            if time.perf_counter() - started > BOOT_TIMEOUT:
                raise TimeoutError(f"gunicorn did not answer /healthz within {BOOT_TIMEOUT:.0f} s; see {log}")
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        print(f"gunicorn ready on 127.0.0.1:{port} in {time.perf_counter() - started:.1f} s", flush=True)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
