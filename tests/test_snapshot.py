"""A restart with unchanged content reads the last load back; any change, another day, or a file not signed
with this site's key means a new load. Within a process, a folder is loaded again only when its files change."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from glossary.content.loader import LoadResult
from glossary.serving import snapshot, store

from .conftest import FIXTURES

BROKEN = "e005-yaml-syntax"


@pytest.fixture
def content(use_content: Callable[[Path], Path], tmp_path: Path, cache: Path) -> Path:
    return use_content(shutil.copytree(FIXTURES / "valid", tmp_path / "content"))


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The content folders loaded from their files (not from a snapshot) from now on."""
    done: list[Path] = []
    real = store.load

    def counting(content_dir: Path, **kwargs: object) -> LoadResult:
        done.append(content_dir)
        return real(content_dir, **kwargs)

    monkeypatch.setattr(store, "load", counting)
    return done


def _restart() -> None:
    """What a new process sees: nothing loaded yet."""
    store.forget()


def _restart_loads_again(loads: list[Path], content: Path) -> None:
    """A restart after a first start that loaded and kept: the files are loaded once more."""
    _restart()
    store.result()
    assert loads == [content, content]


def _served() -> dict[str, str]:
    return {slug: page.html for slug, page in store.glossary().pages.items()}


def _ready_and_kept() -> tuple[dict[str, str], list[str]]:
    pages = _served()
    found = [hit.page.entry.slug for hit in store.search_index().search("beta").hits]
    store.keep()
    return pages, found


def test_a_restart_with_the_same_content_reads_the_kept_load(content: Path, loads: list[Path]) -> None:
    pages, found = _ready_and_kept()
    _restart()

    assert _served() == pages
    assert [hit.page.entry.slug for hit in store.search_index().search("beta").hits] == found
    assert store.search_index().search("beta").total > 0  # the full-text database came back too
    assert store.result().problems == ()
    assert loads == [content]  # only the first start loaded the files


@pytest.mark.parametrize(
    "change",
    [
        lambda folder: (folder / "terms" / "alpha-term.md").write_text(
            (folder / "terms" / "alpha-term.md").read_text().replace("a test entry", "an edited entry")
        ),
        lambda folder: (folder / "figures" / "new.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>'),
        lambda folder: (folder / "references.yaml").write_text((folder / "references.yaml").read_text() + "\n"),
    ],
    ids=["entry", "new-figure", "references"],
)
def test_any_change_in_the_content_folder_means_a_new_load(
    content: Path, loads: list[Path], change: Callable[[Path], object]
) -> None:
    _ready_and_kept()
    (content / "figures").mkdir(exist_ok=True)
    change(content)
    _restart_loads_again(loads, content)


def test_another_day_means_a_new_load(content: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _ready_and_kept()

    class Tomorrow(date):
        @classmethod
        def today(cls) -> date:
            return date.today() + timedelta(days=1)

    monkeypatch.setattr(store, "date", Tomorrow)  # reviews may fall due overnight
    _restart_loads_again(loads, content)


def test_a_snapshot_signed_with_another_key_is_never_unpickled(
    content: Path, settings, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _ready_and_kept()
    settings.SECRET_KEY = "another-site-" + "k" * 50
    monkeypatch.setattr(pickle, "loads", lambda *args, **kwargs: pytest.fail("unpickled an unsigned file"))
    _restart_loads_again(loads, content)


def test_a_changed_byte_in_the_snapshot_means_a_new_load(
    content: Path, loads: list[Path], cache: Path, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    _ready_and_kept()
    [kept] = cache.glob("*.snapshot")
    data = bytearray(kept.read_bytes())
    data[-10] ^= 1
    kept.write_bytes(bytes(data))
    monkeypatch.setattr(pickle, "loads", lambda *args, **kwargs: pytest.fail("unpickled a changed file"))
    _restart_loads_again(loads, content)
    assert "does not carry this site's signature" in caplog.text


def test_content_with_errors_is_never_kept(use_content, cache: Path) -> None:
    broken = use_content(FIXTURES / "broken" / BROKEN)
    with pytest.raises(store.ContentError):
        store.search_index()
    store.keep()  # no index: nothing to keep
    assert store.result().errors
    snapshot.write(broken, date.today(), snapshot.Snapshot(store.result(), None))  # type: ignore[arg-type]
    assert list(cache.glob("*.snapshot")) == []


def test_a_preview_is_never_kept(content: Path, settings, cache: Path) -> None:
    settings.GLOSSARY_PREVIEW = True
    store.search_index()
    store.keep()
    assert list(cache.glob("*.snapshot")) == []


def test_no_folder_no_snapshot(content: Path, settings, loads: list[Path]) -> None:
    settings.GLOSSARY_RENDER_CACHE = "off"
    _ready_and_kept()
    _restart_loads_again(loads, content)


def test_a_server_start_has_a_child_process_make_the_snapshot(
    content: Path, cache: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store.build_apart()  # runs `manage.py keep_load` in a new process

    assert len(list(cache.glob("*.snapshot"))) == 1
    assert sorted(store.glossary().pages) == ["alpha-term", "beta-scan", "gamma-finding"]
    assert store.search_index().search("beta").total > 0
    assert loads == []  # this process only read the snapshot back
    monkeypatch.setattr(snapshot.subprocess, "run", lambda *a, **k: pytest.fail("a current snapshot is remade"))
    store.build_apart()


def test_with_content_errors_the_start_still_names_every_error(use_content, cache: Path) -> None:
    use_content(FIXTURES / "broken" / BROKEN)
    store.build_apart()  # the child finds errors and keeps nothing

    assert list(cache.glob("*.snapshot")) == []
    with pytest.raises(store.ContentError, match="E005"):
        store.glossary()


def test_keep_load_says_when_it_cannot_keep(content: Path, settings) -> None:
    settings.GLOSSARY_RENDER_CACHE = "off"
    with pytest.raises(CommandError, match="could not be kept"):
        call_command("keep_load")
    settings.GLOSSARY_RENDER_CACHE = str(content.parent / "cache")
    errors = StringIO()
    call_command("keep_load", stderr=errors)
    assert "Loaded 3 entries on" in errors.getvalue()


def test_pointing_back_at_an_unchanged_folder_keeps_its_load(
    use_content: Callable[[Path], Path], tmp_path: Path, loads: list[Path]
) -> None:
    first, second = (shutil.copytree(FIXTURES / "valid", tmp_path / name) for name in ("first", "second"))
    for folder in (first, second, first):
        use_content(folder)
        store.result()
    assert loads == [first, second]

    entry = first / "terms" / "alpha-term.md"
    entry.write_text(entry.read_text().replace("a test entry", "an edited entry"))
    use_content(first)
    assert "an edited entry" in store.glossary().pages["alpha-term"].entry.summary
    assert loads == [first, second, first]
