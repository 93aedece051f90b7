"""The render cache: a kept result is exactly a fresh render; only entries whose result could change render again."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import override_settings

from glossary.content import markup, rendercache
from glossary.content.entries import Entry, name_key
from glossary.content.loader import LoadResult, load
from glossary.content.markup import Autolinker

from .conftest import BUNDLED, FIXTURES

ENTRIES = {
    "alpha-term": ("Alpha term", "[alpha]", "Plain words first. The [[beta-scan]] is linked by its slug."),
    "beta-scan": ("Beta scan", "[]", "A beta scan finds things."),
    "delta-sign": ("Delta sign", "[]", "Mentions the beta scan in passing, and a zeta ray."),
    "epsilon-view": ("Epsilon view", "[]", "Nothing to do with the others. Just words."),
}


def _write(folder: Path, slug: str, title: str, aliases: str, body: str) -> None:
    text = f"---\ntitle: {title}\nsummary: The {title.lower()} is a test entry.\ncategory: anatomy\n"
    (folder / "terms" / f"{slug}.md").write_text(f"{text}aliases: {aliases}\n---\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    (folder / "terms").mkdir(parents=True)
    for slug, fields in ENTRIES.items():
        _write(folder, slug, *fields)
    return folder


def _loaded(folder: Path) -> LoadResult:
    result = load(folder)
    assert result.glossary is not None, result.errors
    return result


@pytest.fixture(scope="module")
def uncached_bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LoadResult]:
    """A copy of the bundled content, the richest corpus of what editors write, and its load with no cache:
    what every cached or parallel load of it must equal. A full render is the costliest step here, so the
    tests that compare share this one."""
    content = Path(shutil.copytree(BUNDLED, tmp_path_factory.mktemp("uncached") / "bundled"))
    with override_settings(GLOSSARY_RENDER_CACHE="off"):
        return content, _loaded(content)


def _html(folder: Path, slug: str) -> str:
    glossary = _loaded(folder).glossary
    assert glossary is not None
    return glossary.pages[slug].html


def test_a_kept_result_is_exactly_a_fresh_render(
    uncached_bundled: tuple[Path, LoadResult], cache: Path, renders: list[str]
) -> None:
    """The bundled content, loaded with no cache, then twice through one: the same glossary every time."""
    content, fresh = uncached_bundled

    first = _loaded(content)
    rendered_first = len(renders)
    second = _loaded(content)

    assert rendered_first == len(fresh.glossary.pages)  # type: ignore[union-attr]
    assert len(renders) == rendered_first  # the second load rendered nothing
    assert first.glossary.pages == fresh.glossary.pages  # type: ignore[union-attr]
    assert second.glossary.pages == fresh.glossary.pages  # type: ignore[union-attr]
    assert second.problems == fresh.problems


def test_changing_one_body_renders_only_that_entry(content: Path, cache: Path, renders: list[str]) -> None:
    _loaded(content)
    renders.clear()
    _write(content, "epsilon-view", "Epsilon view", "[]", "Different words now.")

    assert "Different words now." in _html(content, "epsilon-view")
    assert renders == ["epsilon-view"]


def test_changing_a_title_renders_the_entries_that_link_to_or_mention_it(
    content: Path, cache: Path, renders: list[str]
) -> None:
    assert ">beta scan</a>" in _html(content, "alpha-term")  # [[beta-scan]] shows the title
    renders.clear()
    _write(content, "beta-scan", "Beta test", "[]", ENTRIES["beta-scan"][2])

    result = _loaded(content)

    # alpha links to it by slug, delta mentions its old title, beta's own body held its old name.
    assert sorted(renders) == ["alpha-term", "beta-scan", "delta-sign"]
    pages = result.glossary.pages  # type: ignore[union-attr]
    assert ">beta test</a>" in pages["alpha-term"].html
    assert 'href="/terms/beta-scan/"' not in pages["delta-sign"].html  # "beta scan" is nobody's name now


def test_a_new_entry_renders_the_entries_that_mention_its_name(content: Path, cache: Path, renders: list[str]) -> None:
    _loaded(content)
    renders.clear()
    _write(content, "zeta-ray", "Zeta ray", "[]", "A zeta ray is made up.")

    html = _html(content, "delta-sign")

    assert sorted(renders) == ["delta-sign", "zeta-ray"]
    assert 'href="/terms/zeta-ray/"' in html


def test_an_unchanged_restart_renders_nothing(content: Path, cache: Path, renders: list[str]) -> None:
    _loaded(content)
    renders.clear()

    _loaded(content)

    assert renders == []


def test_new_code_renders_everything_again(
    content: Path, cache: Path, renders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _loaded(content)
    renders.clear()
    monkeypatch.setattr(rendercache, "VERSION", "another version of markup.py")

    _loaded(content)

    assert sorted(renders) == sorted(ENTRIES)


# A record of the wrong shape: not a record at all, or one field of a good record changed.
WRONG_RECORDS = {
    "record-not-a-mapping": (None, [1, 2]),
    "record-of-other-fields": (None, {"a": 1}),
    "seconds-not-a-number": ("seconds", "slow"),
    "html-not-text": ("html", None),
    "section-too-short": ("sections", [["id", "title"]]),
    "resolved-not-text": ("resolved", [[1, 2]]),
    "mentioned-not-text": ("mentioned", 3),
}


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"\x00\xff not json"),
        lambda path: path.write_text("[1, 2, 3]"),
        lambda path: path.write_text(json.dumps({"version": rendercache.VERSION, "names": "x", "records": []})),
        *(lambda path, wrong=wrong: _damage_records(path, *wrong) for wrong in WRONG_RECORDS.values()),
    ],
    ids=["not-json", "not-an-object", "records-not-a-mapping", *WRONG_RECORDS],
)
def test_a_damaged_cache_file_is_ignored(
    content: Path, cache: Path, renders: list[str], damage: Callable[[Path], object]
) -> None:
    expected = _loaded(content).glossary.pages  # type: ignore[union-attr]
    (path,) = cache.glob("*.json")
    damage(path)
    renders.clear()

    assert _loaded(content).glossary.pages == expected  # type: ignore[union-attr]
    assert sorted(renders) == sorted(ENTRIES)


def _damage_records(path: Path, field: str | None, value: object) -> None:
    stored = json.loads(path.read_text())
    for key, record in stored["records"].items():
        stored["records"][key] = value if field is None else {**record, field: value}
    path.write_text(json.dumps(stored))


def test_a_folder_that_cannot_be_written_still_loads_and_warns_once(
    settings, content: Path, renders: list[str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A file where the folder should be: mkdir fails even for root, whom permissions do not stop."""
    (tmp_path / "a-file").write_text("not a folder")
    settings.GLOSSARY_RENDER_CACHE = tmp_path / "a-file" / "cache"
    rendercache._warned.clear()

    with caplog.at_level(logging.WARNING, logger="glossary.content.rendercache"):
        _loaded(content)
        _loaded(content)

    assert sorted(renders) == sorted([*ENTRIES, *ENTRIES])
    warnings = [r for r in caplog.records if r.name == "glossary.content.rendercache"]
    assert len(warnings) == 1
    assert "cannot be written" in warnings[0].getMessage()


def test_off_keeps_nothing(settings, content: Path, renders: list[str], tmp_path: Path) -> None:
    settings.GLOSSARY_RENDER_CACHE = "off"

    _loaded(content)
    _loaded(content)

    assert sorted(renders) == sorted([*ENTRIES, *ENTRIES])


def test_too_slow_stays_an_error_when_the_result_is_reused(
    content: Path, cache: Path, renders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """E031 is measured around the render; the time is kept with the result, so a restart still reports it."""
    monkeypatch.setattr(rendercache, "RENDER_LIMIT", 0.0)
    first = load(content)
    renders.clear()
    second = load(content)

    assert renders == []
    for result in (first, second):
        assert result.glossary is None
        assert {p.path.stem for p in result.errors if p.code == "E031"} == set(ENTRIES)
        assert {p.code for p in result.errors} == {"E031"}


# -- which names a body could mention -----------------------------------------------------------------

NAMES = {
    "Spinal canal": "spinal-canal",
    "canal": "canal",
    "MRI": "mri",
    "disc bulge": "disc-bulge",
    "Scheuermann's disease": "scheuermann",
    "foo_bar": "foo-bar",
    "L5": "l5",
    "nerve root": "nerve-root",
}
TRICKY = [
    "The spinal canals narrow. Two MRIs and a disc bulges.",
    "A _spinal_ canal, __nerve__ root and *disc* bulge in emphasis.",
    "Escapes: spinal\\_canal, foo\\_bar, \\*MRI\\*, nerve\\ root.",
    "Entities: &#115;pinal canal, M&#82;I, nerve&nbsp;root, disc &amp; bulge.",
    "Scheuermann's disease, Scheuermann\u2019s disease and 'quoted' nerve roots at L5.",
    "| spinal | canal |\n|---|---|\n| MRI | disc bulge |\n\n> nerve root in a quote",
    "[link text with MRI](https://example.org) then spinal canal `MRI in code`.",
    "Line one ends spinal\ncanal starts line two, then foo_bar and foo bar.",
]


@pytest.mark.parametrize("body", TRICKY)
def test_names_left_out_could_not_have_matched(body: str) -> None:
    """Rendering with an autolinker of only the names found for the body gives the same page as all names."""
    index = rendercache._NameIndex(NAMES)
    found = dict(index.relevant(body))
    assert index.mentions({"x": body})["x"] == index.relevant(body)

    def html(names: dict[str, str]) -> str:
        autolinker = Autolinker.build(names)
        return markup.render(body, slug="x", resolve=lambda name: None, titles={}, autolinker=autolinker).html

    assert html(found) == html(NAMES)
    assert 'href="/terms/' in html(NAMES)  # each body does link something, so the comparison means something


def test_names_left_out_could_not_have_matched_in_the_bundled_content() -> None:
    result = load(BUNDLED)
    assert result.glossary is not None
    pages = result.glossary.pages.values()
    names = {name: page.entry.slug for page in pages for name in page.entry.names}
    names = {name: slug for name, slug in names.items() if result.glossary.keys.get(name_key(name)) == slug}
    index = rendercache._NameIndex(names)
    mentions = index.mentions({page.entry.slug: page.entry.body for page in pages})
    full = Autolinker.build(names)

    resolve = result.glossary.keys.get
    titles = {page.entry.slug: page.entry.title for page in pages}
    for page in pages:
        found = dict(mentions[page.entry.slug])
        assert mentions[page.entry.slug] == index.relevant(page.entry.body)

        def html(autolinker: Autolinker, entry: Entry = page.entry) -> str:
            return markup.render(
                entry.body,
                slug=entry.slug,
                resolve=lambda name: resolve(name_key(name)),
                titles=titles,
                autolinker=autolinker,
            ).html

        assert html(Autolinker.build(found)) == html(full), page.entry.slug


def test_the_valid_fixture_loads_the_same_from_the_cache(cache: Path, renders: list[str]) -> None:
    fresh = load(FIXTURES / "valid")
    again = load(FIXTURES / "valid")

    assert again.glossary.pages == fresh.glossary.pages  # type: ignore[union-attr]
    assert len(renders) == 3


def test_rendering_in_several_processes_gives_the_same_glossary(
    uncached_bundled: tuple[Path, LoadResult], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled content rendered in two forked processes, then reused: exactly the serial load."""
    content, serial = uncached_bundled
    monkeypatch.setattr(rendercache, "PARALLEL_FROM", 2)  # the bundled content is under the real threshold
    parent = os.getpid()
    rendered_in: set[int] = set()
    real = rendercache._render

    def where(*args: object) -> rendercache.Record:
        rendered_in.add(os.getpid())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(rendercache, "_render", where)
    shared = load(content, processes=2)

    assert shared.glossary.pages == serial.glossary.pages  # type: ignore[union-attr]
    assert shared.problems == serial.problems
    assert rendered_in == set()  # this process rendered nothing: the forked ones did (their spies are copies)
    kept = json.loads(next(cache.glob("*.json")).read_text(encoding="utf-8"))["records"]
    assert len(kept) == len(serial.glossary.pages)  # type: ignore[union-attr]
    assert load(content, processes=2).glossary.pages == serial.glossary.pages  # type: ignore[union-attr]
    assert rendered_in == set()
    assert parent == os.getpid()
