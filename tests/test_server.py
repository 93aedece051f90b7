"""Real servers in real processes: gunicorn serves the site, and neither server starts on broken content."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import FIXTURES
from tests.support.servers import BROKEN, STARTUP_SECONDS, free_port, get, gunicorn, gunicorn_site, server_env, serving


def test_gunicorn_serves_pages_and_static_files_over_http() -> None:
    with gunicorn_site(FIXTURES / "valid") as base:
        status, home = get(f"{base}/")
        assert status == 200 and "Words in your spine scan report" in home
        assert get(f"{base}/terms/alpha-term/")[0] == 200
        css = next(part.split('"')[0] for part in home.split('href="')[1:] if part.startswith("/static/"))
        assert get(base + css)[0] == 200
        assert get(f"{base}/terms/no-such-term/")[0] == 404


@pytest.mark.parametrize("server", ["gunicorn", "runserver"])
def test_servers_refuse_to_start_on_broken_content_and_say_why(server: str) -> None:
    port = free_port()
    command = (
        gunicorn(port)
        if server == "gunicorn"
        else [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    )
    result = subprocess.run(
        command, cwd=settings.BASE_DIR, env=server_env(BROKEN), capture_output=True, text=True, timeout=STARTUP_SECONDS
    )
    assert result.returncode != 0
    assert "broken-server/terms/typo.md:5" in result.stderr
    assert "glossary.E007" in result.stderr


def test_runserver_reloads_when_a_content_file_is_saved(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    port = free_port()
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"]
    with serving(command, content, port) as base:
        assert "The alpha term is a test entry." in get(f"{base}/terms/alpha-term/")[1]
        # Django's StatReloader records mtimes on its first one-second tick, which may come after
        # the first answer; a save before that tick would be its baseline, not a change.
        time.sleep(2.5)
        entry = content / "terms" / "alpha-term.md"
        entry.write_text(entry.read_text().replace("The alpha term is a test entry.", "Freshly saved words."))
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                if "Freshly saved words." in get(f"{base}/terms/alpha-term/")[1]:
                    return
            except OSError:
                pass  # the server is restarting
            time.sleep(0.2)
        raise AssertionError("the page did not change after the file was saved")
