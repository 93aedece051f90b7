"""Real servers in real processes: gunicorn serves the site, and neither server starts on broken content."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import FIXTURES

BROKEN = FIXTURES / "broken-server"
STARTUP_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(content: Path, **extra: str) -> dict[str, str]:
    """Local mode (DJANGO_DEBUG unset: DEBUG off, plain HTTP) unless `extra` says otherwise."""
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_DEBUG"}
    return {**inherited, "GLOSSARY_CONTENT_DIR": str(content), "PYTHONUNBUFFERED": "1", **extra}


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _wait_for(url: str, process: subprocess.Popen[str], headers: dict[str, str] | None = None) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early: {process.communicate()[1]}")
        try:
            _get(url, headers)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {STARTUP_SECONDS}s")


@contextmanager
def _serving(
    command: list[str], content: Path, port: int, *, headers: dict[str, str] | None = None, **extra_env: str
) -> Iterator[str]:
    """Serve until the block ends; `headers` go with the health probe (X-Forwarded-Proto in production)."""
    process = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=_env(content, **extra_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/healthz", process, headers)
        yield base
    finally:
        process.terminate()
        process.communicate(timeout=STARTUP_SECONDS)


def _gunicorn(port: int) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "glossary.wsgi:serve()", "--bind", f"127.0.0.1:{port}", "-w", "1"]


def test_gunicorn_serves_pages_and_static_files_over_http() -> None:
    port = _free_port()
    with _serving(_gunicorn(port), settings.BASE_DIR / "content", port) as base:
        status, home = _get(f"{base}/")
        assert status == 200 and "Words in your spine scan report" in home
        assert _get(f"{base}/terms/myelogram/")[0] == 200
        css = next(part.split('"')[0] for part in home.split('href="')[1:] if part.startswith("/static/"))
        assert _get(base + css)[0] == 200
        assert _get(f"{base}/terms/no-such-term/")[0] == 404


@pytest.mark.parametrize("server", ["gunicorn", "runserver"])
def test_servers_refuse_to_start_on_broken_content_and_say_why(server: str) -> None:
    port = _free_port()
    command = (
        _gunicorn(port)
        if server == "gunicorn"
        else [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    )
    result = subprocess.run(
        command, cwd=settings.BASE_DIR, env=_env(BROKEN), capture_output=True, text=True, timeout=STARTUP_SECONDS
    )
    assert result.returncode != 0
    assert "broken-server/terms/typo.md:5" in result.stderr
    assert "glossary.E007" in result.stderr


def test_runserver_reloads_when_a_content_file_is_saved(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    port = _free_port()
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"]
    with _serving(command, content, port) as base:
        assert "The alpha term is a test entry." in _get(f"{base}/terms/alpha-term/")[1]
        # Django's StatReloader records mtimes on its first one-second tick, which may come after
        # the first answer; a save before that tick would be its baseline, not a change.
        time.sleep(2.5)
        entry = content / "terms" / "alpha-term.md"
        entry.write_text(entry.read_text().replace("The alpha term is a test entry.", "Freshly saved words."))
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                if "Freshly saved words." in _get(f"{base}/terms/alpha-term/")[1]:
                    return
            except OSError:
                pass  # the server is restarting
            time.sleep(0.2)
        raise AssertionError("the page did not change after the file was saved")
