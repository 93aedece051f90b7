"""A pasted report is health data: it must never reach a disk, a log, the page memory, an error report or a URL.

Each test sends a text holding a marker no page could contain by chance, then looks for the marker
everywhere the text could have gone.
"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.views.debug import ExceptionReporter

from glossary.explain import negation
from glossary.web import caching
from tests.conftest import FIXTURES
from tests.support.servers import free_port, production_env, server_env, wait_for


def marker() -> str:
    return f"PRIVATE{secrets.token_hex(8)}"


def report(mark: str) -> str:
    return f"MRI: {mark} disc bulge at L4-5, no spinal stenosis. Patient {mark}."


@pytest.fixture(autouse=True)
def _fixture_content(use_content) -> None:
    use_content(FIXTURES / "explain")


def kept_bytes() -> Iterator[bytes]:
    """Everything the site's memory of rendered pages holds: bodies and headers."""
    for memory in (caching.pages, caching.queries):
        for key, kept in memory._answers.items():
            yield repr(key).encode() + kept.content + repr(kept.headers).encode()


def test_answers_are_never_stored_and_never_kept_in_the_page_memory(client: Client) -> None:
    mark = marker()
    client.get("/explain/")  # the empty form is kept, as any page is
    assert len(caching.pages) == 1
    page = client.post("/explain/", {"text": report(mark)})
    answer = client.post("/api/explain/", {"text": report(mark)}, "application/json")
    assert mark in page.content.decode()  # the page does carry the text back to its sender
    for response in (page, answer):
        assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
        assert not response.has_header("ETag") and not response.has_header("Last-Modified")
    assert client.get("/explain/").content.decode().count(mark) == 0
    assert [kept for kept in kept_bytes() if mark.encode() in kept] == []
    assert len(caching.pages) == 1 and len(caching.queries) == 0


def test_the_text_never_goes_into_an_address(client: Client) -> None:
    mark = marker()
    html = client.post("/explain/", {"text": report(mark)}).content.decode()
    addresses = [
        part.split('"')[0] for attribute in ('href="', 'action="', 'src="') for part in html.split(attribute)[1:]
    ]
    assert addresses and [address for address in addresses if mark in address] == []
    # A text sent in the query string (never by this site's form) is not read, so it is not shown either.
    assert mark not in client.get("/explain/", {"text": report(mark)}).content.decode()


@pytest.mark.parametrize("path", ["/explain/", "/api/explain/"])
def test_an_error_report_shows_no_text(
    path: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A failure deep in the engine: the 500, the log and the report Django would mail show no text."""
    mark = marker()

    def broken(text: str, spans: object) -> list[bool]:
        raise RuntimeError("the negation rules failed")

    monkeypatch.setattr(negation, "negated", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        if path == "/api/explain/":
            response = client.post(path, {"text": report(mark)}, "application/json")
        else:
            response = client.post(path, {"text": report(mark)})
    assert response.status_code == 500 and mark not in response.content.decode(errors="replace")
    [record] = [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert mark not in caplog.text
    # What AdminEmailHandler (or any error tracker built on Django's reporter) would send.
    reporter = ExceptionReporter(record.request, *record.exc_info, is_email=True)
    text, html = reporter.get_traceback_text(), reporter.get_traceback_html()
    assert "the negation rules failed" in text  # the report is there...
    assert mark not in text and mark not in html  # ...without the text
    # The control: the frames did hold the text, so the filtering above is what kept it out.
    frames, tb = [], record.exc_info[2]
    while tb is not None:
        frames.append(repr(tb.tb_frame.f_locals))
        tb = tb.tb_next
    assert any(mark in frame for frame in frames)


def test_gunicorn_logs_and_writes_nothing_of_the_text(tmp_path: Path) -> None:
    """The production server, with its access log: the text is nowhere in the log or any file written since."""
    mark = marker()
    port = free_port()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    log = tmp_path / "server.log"
    env = server_env(
        FIXTURES / "explain",
        **production_env(
            GLOSSARY_BIND=f"127.0.0.1:{port}",
            DJANGO_SSL_REDIRECT="0",
            GLOSSARY_RENDER_CACHE=str(scratch / "render"),
            TMPDIR=str(scratch),
        ),
    )
    started = time.time()
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "1"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/healthz", process)
            bodies = [
                ("/explain/", f"text={report(mark)}".encode(), "application/x-www-form-urlencoded"),
                ("/api/explain/", f'{{"text": "{report(mark)}"}}'.encode(), "application/json"),
                ("/api/explain/", f'{{"text": "{mark}'.encode(), "application/json"),  # bad JSON
                ("/explain/", f"text={mark}{'x' * 70_000}".encode(), "application/x-www-form-urlencoded"),  # too large
            ]
            for path, body, kind in bodies:
                request = urllib.request.Request(base + path, data=body, headers={"Content-Type": kind})
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        assert response.status == 200
                except urllib.error.HTTPError as error:
                    assert error.code in (400, 413)
        finally:
            process.terminate()
            process.wait(timeout=30)
    logged = log.read_text(encoding="utf-8", errors="replace")
    assert '"POST /explain/ HTTP/1.1" 200' in logged and '"POST /api/explain/ HTTP/1.1" 400' in logged
    assert mark not in logged
    written = [path for path in _written_since(started, [tmp_path, Path(settings.BASE_DIR), Path("/tmp")])]
    assert [path for path in written if path != log and mark.encode() in path.read_bytes()] == []


def _written_since(started: float, roots: list[Path]) -> Iterator[Path]:
    """Every regular file under `roots` changed since `started` (bar the browser tools' and the virtualenv's)."""
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d not in {".venv", "node_modules", ".git"}]
            for name in names:
                path = Path(folder) / name
                try:
                    stat = path.lstat()
                except OSError:
                    continue
                if stat.st_mtime >= started and path.is_file() and stat.st_size < 50 * 2**20:
                    yield path
