"""The cache folder: where it is, files written whole, and pruning that keeps to its own kind."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary.cache import folder
from glossary.content.loader import load

from .conftest import FIXTURES

JSON = folder.Kind(".json")
SNAPSHOT = folder.Kind(".snapshot")


def _aged(path: Path, days: float) -> Path:
    path.write_bytes(b"kept")
    then = time.time() - days * 86_400
    os.utime(path, (then, then))
    return path


def test_the_setting_wins_then_the_variable_then_the_default(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.GLOSSARY_RENDER_CACHE = "/srv/cache"
    assert folder.location() == Path("/srv/cache")
    del settings.GLOSSARY_RENDER_CACHE
    monkeypatch.setenv("GLOSSARY_RENDER_CACHE", "/var/cache/glossary")
    assert folder.location() == Path("/var/cache/glossary")
    monkeypatch.delenv("GLOSSARY_RENDER_CACHE")
    assert folder.location() == folder.DEFAULT_DIR


@pytest.mark.parametrize("off", ["off", "OFF ", "", "0", "no", False])
def test_off_switches_every_kind_off(settings, off: object) -> None:
    settings.GLOSSARY_RENDER_CACHE = off

    assert folder.location() is None
    assert JSON.path(FIXTURES / "valid") is None


def test_each_content_folder_has_one_file_of_each_kind(settings, tmp_path: Path) -> None:
    settings.GLOSSARY_RENDER_CACHE = tmp_path
    one, other = JSON.path(FIXTURES / "valid"), JSON.path(FIXTURES / "broken")

    assert one is not None and other is not None and one != other
    assert one.parent == tmp_path and one.suffix == ".json"
    assert SNAPSHOT.path(FIXTURES / "valid") == one.with_suffix(".snapshot")


def test_a_write_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "new" / "a.json"

    JSON.write(path, [b"one ", b"two"])
    JSON.write(path, [b"three"])

    assert path.read_bytes() == b"three"
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"old")

    def chunks() -> Iterator[bytes]:
        yield b"half of the new"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        JSON.write(path, chunks())

    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_pruning_deletes_only_old_files_of_its_own_kind(tmp_path: Path) -> None:
    old_json, old_snapshot = _aged(tmp_path / "old.json", 40), _aged(tmp_path / "old.snapshot", 40)
    recent_json = _aged(tmp_path / "recent.json", 1)

    JSON.write(tmp_path / "new.json", [b"{}"])

    assert not old_json.exists()
    assert recent_json.exists() and old_snapshot.exists()
    SNAPSHOT.prune(tmp_path)
    assert not old_snapshot.exists() and recent_json.exists()


def test_pruning_keeps_the_most_recently_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folder, "KEEP_FILES", 2)
    for days in range(4):
        _aged(tmp_path / f"{days}.json", days)
    _aged(tmp_path / "9.snapshot", 9)

    JSON.prune(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.json", "1.json", "9.snapshot"]


def test_the_render_cache_leaves_the_snapshots_alone(settings, tmp_path: Path) -> None:
    """Saving rendered entries once pruned the whole folder, whole loads included."""
    settings.GLOSSARY_RENDER_CACHE = tmp_path
    snapshot = _aged(tmp_path / "another-folder.snapshot", 40)

    load(FIXTURES / "valid")

    assert JSON.path(FIXTURES / "valid").exists()  # type: ignore[union-attr]
    assert snapshot.exists()
