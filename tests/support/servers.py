"""Real servers in real processes for the tests: one way to start gunicorn or runserver and wait for it.

Every test that needs a server over real HTTP starts it here, so the environment a server gets
(local mode unless told otherwise, production's variables from one place) is the same everywhere.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.conf import settings

from tests.conftest import FIXTURES

BROKEN = FIXTURES / "broken-server"
STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(content: Path, **extra: str) -> dict[str, str]:
    """Local mode (DJANGO_DEBUG unset: DEBUG off, plain HTTP) unless `extra` says otherwise."""
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_DEBUG"}
    return {**inherited, "GLOSSARY_CONTENT_DIR": str(content), "PYTHONUNBUFFERED": "1", **extra}


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_for(
    url: str, process: subprocess.Popen[str], headers: dict[str, str] | None = None, log: IO[str] | None = None
) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = process.communicate()[1] if log is None else _read(log)
            raise AssertionError(f"server exited early: {said}")
        try:
            get(url, headers)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {STARTUP_SECONDS}s")


@contextmanager
def serving(
    command: list[str], content: Path, port: int, *, headers: dict[str, str] | None = None, **extra_env: str
) -> Iterator[str]:
    """Serve until the block ends; `headers` go with the health probe (X-Forwarded-Proto in production).

    The server writes its logs to a file, never to a pipe: gunicorn.conf.py logs every request, and
    a pipe nobody reads fills after some hundreds of them and stops the server mid-suite.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=server_env(content, **extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/healthz", process, headers, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=STARTUP_SECONDS)


def _read(log: IO[str]) -> str:
    log.seek(0)
    return log.read()


def gunicorn(port: int) -> list[str]:
    """One worker with threads: a browser may open a connection before it has a request to send, and a
    lone sync worker would wait on it while every other request queued behind. In production a proxy
    stands in front and hands over whole requests (docs/deploy.md)."""
    bind = f"127.0.0.1:{port}"
    return [sys.executable, "-m", "gunicorn", "glossary.wsgi:serve()", "--bind", bind, "-w", "1", "--threads", "4"]


@contextmanager
def gunicorn_site(content: Path) -> Iterator[str]:
    """gunicorn serving `content` on a free port in local mode until the block ends: the site as the browser
    tests drive it."""
    port = free_port()
    with serving(gunicorn(port), content, port) as base:
        yield base


def production_env(**extra: str) -> dict[str, str]:
    """Production mode (DEBUG off) with a fresh strong key, serving 127.0.0.1; `extra` adds or overrides."""
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        **extra,
    }
