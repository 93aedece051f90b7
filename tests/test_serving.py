"""The production configuration in a real process: `gunicorn -c gunicorn.conf.py` with DEBUG off.

It serves pages with validators and static files with far-future caching and compressed
encodings, and refuses to start (so the release before it keeps serving) when the content
has errors or collectstatic has not run.
"""

from __future__ import annotations

import http.client
import json
import os
import runpy
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks

from glossary.serving import cpus
from tests.conftest import FIXTURES
from tests.support.servers import BROKEN, STARTUP_SECONDS, free_port, production_env, server_env, serving

CONFIG = Path(settings.BASE_DIR) / "gunicorn.conf.py"
COMMAND = [sys.executable, "-m", "gunicorn", "-c", str(CONFIG)]
IMMUTABLE = {"max-age=315360000", "public", "immutable"}


def _production(port: int, **extra: str) -> dict[str, str]:
    """What `make serve` sets: production mode on 127.0.0.1 over plain HTTP."""
    return production_env(DJANGO_SSL_REDIRECT="0", GLOSSARY_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2", **extra)


def _fetch(base: str, path: str, **headers: str) -> http.client.HTTPResponse:
    """One request; the body is read and kept as `.body`, raw (never decompressed)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def _directives(response: http.client.HTTPResponse) -> set[str]:
    return {part.strip() for part in (response.getheader("Cache-Control") or "").split(",") if part.strip()}


@pytest.fixture(scope="module")
def server(_collected_static: None) -> Iterator[str]:
    port = free_port()
    with serving(COMMAND, FIXTURES / "valid", port, **_production(port)) as base:
        yield base


def test_pages_are_served_with_validators_and_revalidated(server: str) -> None:
    page = _fetch(server, "/terms/alpha-term/")
    assert page.status == 200 and b"<h1>Alpha term</h1>" in page.body
    assert _directives(page) == {"public", "max-age=300"}
    etag, last_modified = page.getheader("ETag"), page.getheader("Last-Modified")
    assert etag and last_modified
    # Both workers answer with the same validators: the content was loaded once, before forking.
    assert {_fetch(server, "/terms/alpha-term/").getheader("ETag") for _ in range(6)} == {etag}
    assert _fetch(server, "/terms/alpha-term/", **{"If-None-Match": etag}).status == 304
    assert _fetch(server, "/terms/alpha-term/", **{"If-Modified-Since": last_modified}).status == 304


def test_healthz_is_never_stored_and_a_404_briefly(server: str) -> None:
    health = _fetch(server, "/healthz")
    assert health.status == 200 and health.body.startswith(b"ok: ")
    assert "no-store" in _directives(health)
    missing = _fetch(server, "/terms/no-such-term/")
    assert missing.status == 404 and _directives(missing) == {"public", "max-age=60"}


def _static_urls(server: str) -> list[str]:
    home = _fetch(server, "/").body.decode()
    urls = [part.split('"')[0] for part in home.split('="')[1:] if part.startswith("/static/")]
    assert any(url.endswith(".css") for url in urls) and any(url.endswith(".js") for url in urls)
    return urls


def test_hashed_static_files_are_cached_for_ever(server: str) -> None:
    for url in _static_urls(server):
        response = _fetch(server, url)
        assert response.status == 200, url
        assert _directives(response) == IMMUTABLE, url


@pytest.mark.parametrize(("accepted", "encoding"), [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")])
def test_static_text_is_sent_compressed_when_the_browser_accepts_it(server: str, accepted: str, encoding: str) -> None:
    css = next(url for url in _static_urls(server) if url.endswith(".css"))
    plain = _fetch(server, css)
    assert plain.getheader("Content-Encoding") is None
    compressed = _fetch(server, css, **{"Accept-Encoding": accepted})
    assert compressed.getheader("Content-Encoding") == encoding
    assert "Accept-Encoding" in (compressed.getheader("Vary") or "")
    assert len(compressed.body) < len(plain.body)
    assert _directives(compressed) == IMMUTABLE


def _start(content: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    port = free_port()
    return subprocess.run(
        COMMAND,
        cwd=settings.BASE_DIR,
        env=server_env(content, **_production(port, **extra)),
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )


def test_refuses_to_start_on_broken_content_and_says_why() -> None:
    result = _start(BROKEN)
    assert result.returncode != 0
    assert "broken-server/terms/typo.md:5" in result.stderr
    assert "glossary.E007" in result.stderr
    assert "Booting worker" not in result.stderr  # the master stopped before forking any worker


def test_refuses_to_start_without_collected_static_files(tmp_path: Path) -> None:
    result = _start(FIXTURES / "valid", DJANGO_STATIC_ROOT=str(tmp_path / "empty"))
    assert result.returncode != 0
    assert f"No static files manifest ({tmp_path / 'empty' / 'staticfiles.json'})" in result.stderr
    assert "collectstatic --noinput" in result.stderr


def _static_messages() -> list[checks.CheckMessage]:
    return [m for m in checks.run_checks(tags=[checks.Tags.staticfiles]) if m.id.startswith("glossary.")]


def test_the_check_is_quiet_when_the_static_files_are_collected() -> None:
    assert _static_messages() == []


def test_the_check_says_when_collectstatic_has_not_run(settings, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path
    messages = _static_messages()
    assert [(m.level, m.id) for m in messages] == [(checks.ERROR, "glossary.S001")]
    assert messages[0].msg == f"No static files manifest ({tmp_path / 'staticfiles.json'}): collectstatic has not run."
    assert "collectstatic --noinput" in messages[0].hint


def test_the_check_says_when_a_static_file_was_added_since(settings, tmp_path: Path) -> None:
    collected = shutil.copytree(settings.STATIC_ROOT, tmp_path / "static")
    manifest = json.loads((collected / "staticfiles.json").read_text())
    del manifest["paths"]["js/previews.js"]
    (collected / "staticfiles.json").write_text(json.dumps(manifest))
    settings.STATIC_ROOT = collected
    assert [m.msg for m in _static_messages()] == [
        f"The static files in {collected} are out of date: js/previews.js not collected."
    ]


def test_with_debug_on_no_manifest_is_needed(settings, tmp_path: Path) -> None:
    settings.DEBUG = True
    settings.STATIC_ROOT = tmp_path
    assert _static_messages() == []


def _config(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    for name in ("GLOSSARY_BIND", "PORT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_the_configuration_binds_locally_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _config(monkeypatch)["bind"] == ["127.0.0.1:8000"]
    assert _config(monkeypatch, PORT="5000")["bind"] == ["0.0.0.0:5000"]
    assert _config(monkeypatch, PORT="5000", GLOSSARY_BIND="unix:/run/glossary.sock")["bind"] == [
        "unix:/run/glossary.sock"
    ]


def test_the_configuration_preloads_and_sizes_workers_by_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    config = _config(monkeypatch)
    available = cpus.available()
    assert 1 <= available <= len(os.sched_getaffinity(0))
    assert config["workers"] == 2 * available + 1
    assert _config(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3
    assert config["preload_app"] is True and config["wsgi_app"] == "glossary.wsgi:serve()"
    assert config["accesslog"] == "-" and config["timeout"] == 30


@pytest.mark.parametrize(("cpu_max", "expected"), [("max 100000", None), ("150000 100000", 2), ("50000 100000", 1)])
def test_the_cpu_count_follows_a_container_quota(tmp_path: Path, cpu_max: str, expected: int | None) -> None:
    (tmp_path / "cpu.max").write_text(cpu_max + "\n")
    unlimited = len(os.sched_getaffinity(0))
    assert cpus.available(tmp_path / "cpu.max") == min(unlimited, expected or unlimited)
    assert cpus.available(tmp_path / "missing") == unlimited
