"""Shared fixtures: collected static files, and a way to point the site at another content folder."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

FIXTURES = Path(__file__).parent / "fixtures"
BUNDLED = Path(settings.BASE_DIR) / "content"


@pytest.fixture(scope="session", autouse=True)
def _collected_static(django_test_environment: None) -> None:
    """Pages use the production manifest storage, which needs collectstatic to have run.

    Under pytest-xdist every worker runs this: one at a time, since two collectstatic runs into one
    folder delete each other's hashed files. The second finds nothing changed and is quick.
    """
    root = Path(settings.STATIC_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    with open(root.parent / ".collectstatic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _fixture_content(django_test_environment: None) -> Iterator[None]:
    """Tests of code run on the fixture content, never on the bundled entries, so an editor's change to
    content/ breaks no test of code. Tests of the bundled content ask for it with the `bundled` fixture."""
    with override_settings(GLOSSARY_CONTENT_DIR=FIXTURES / "valid"):
        yield


@pytest.fixture
def bundled(use_content: Callable[[Path], Path]) -> Path:
    """The site on the bundled content/, for tests of the content itself."""
    return use_content(BUNDLED)


@pytest.fixture(scope="session", autouse=True)
def _render_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Rendered entries are cached in the session's own folder (servers started by tests too), never
    in the repository's .cache/, so no run depends on what an earlier one left (glossary/content/rendercache.py).

    Under pytest-xdist the workers share one folder, beside their own temporary folders: what one worker
    renders or loads the other reads instead of doing again. Files are written whole (glossary/cache/folder.py),
    so two workers writing the same one at once leave one of them.
    """
    root = tmp_path_factory.getbasetemp()
    folder = (root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root) / "render-cache"
    folder.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GLOSSARY_RENDER_CACHE", str(folder))
        yield


@pytest.fixture
def cache(settings, tmp_path: Path) -> Path:
    """A cache folder of the test's own (glossary/cache/folder.py), empty at the start."""
    settings.GLOSSARY_RENDER_CACHE = tmp_path / "cache"
    return tmp_path / "cache"


@pytest.fixture
def use_content(settings) -> Callable[[Path], Path]:
    """Point the whole site at `path` for one test; the store reloads through setting_changed."""

    def use(path: Path) -> Path:
        settings.GLOSSARY_CONTENT_DIR = Path(path)
        return Path(path)

    return use


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slug of each entry rendered from now on, through the real markup.render."""
    from glossary.content import markup

    done: list[str] = []
    real = markup.render

    def spy(body: str, **kwargs: object) -> markup.Rendered:
        done.append(str(kwargs["slug"]))
        return real(body, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(markup, "render", spy)
    return done
