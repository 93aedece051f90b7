"""Rendered entries kept on disk between processes, so that a restart renders only what changed.

Python-Markdown costs several milliseconds an entry: minutes at 10,000 entries. The linker
asks a RenderCache for each entry instead of calling markup.render itself; the cache
renders only the entries whose result could differ from the one it kept.

What a render depends on, and how each input is covered:

- the body, the slug (an entry never links to itself) and the entry's autolink flag,
  and the code and libraries that render (VERSION): all hashed into the record's key;
- the names the autolinker could find in the body: every title and alias whose words
  all occur among the body's words. Their (name, slug) pairs are hashed into the key,
  so a new entry, or a renamed one, re-renders exactly the entries that mention it. The
  word set is a superset of the words the autolinker can see (see _words), so a name
  left out can never have matched;
- what the render asked of `resolve` (each wikilink target's slug) and of `titles` (the
  title a bare [[slug]] shows): recorded with the result and compared on every reuse, so
  a changed title re-renders the entries that link to it.

Records (`Record`) live in one JSON file per content folder in the cache folder
(glossary/cache/folder.py; JSON, not pickle: reading a file never runs code). Rendered HTML
is served as it is stored, so the folder must be as trusted as the code. A file that
cannot be read or is not the cache's is ignored, and so is a record of the wrong shape; a
folder that cannot be written leaves the site working without the cache, with one
warning in the log.

The time each render took is kept with it, so an entry that renders too slowly
(over RENDER_LIMIT, glossary.E031) stays an error on a restart that reuses it.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import multiprocessing
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from glossary.cache import folder, versions
from glossary.content import markup
from glossary.content.entries import Section
from glossary.content.markup import Autolinker, Rendered
from glossary.content.wording import WORD_RE, singulars

logger = logging.getLogger(__name__)

RENDER_LIMIT = 2.0  # seconds: an entry whose render takes longer is an error, glossary.E031
PROGRESS_EVERY = 1000  # an INFO log line after every this many entries rendered
PARALLEL_FROM = 200  # fewer renders than this are not worth forking for
_FORMAT = 2  # bump when the record layout changes
_KIND = folder.Kind(".json")

# Python-Markdown keeps these placeholder words in text until its output stage, so the
# autolinker sees them (with digits) although the body never had them.
_PLACEHOLDER_WORDS = frozenset({"klzzwxh", "wzxhzdk"})
_PART_RE = re.compile(r"[^\W_]+")  # words of _emphasis_: the underscores are not in the text node
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)

_warned: set[str] = set()


def code_version(top: Path) -> str:
    """The code and libraries a render's output depends on; any change makes every record stale.

    `top` is the glossary package. The whole content stage counts, by path, and the cache package
    it uses: the import contract (pyproject.toml) keeps rendering from importing anything else of
    ours, so no code a render runs is left out, and a module moved or renamed changes the version.
    """
    modules = [*versions.python_files(top / "content", root=top), *versions.python_files(top / "cache", root=top)]
    return versions.code(
        modules, ("markdown", "nh3"), str(_FORMAT), str(sys.version_info[:2]), unicodedata.unidata_version
    )


VERSION = code_version(Path(__file__).resolve().parents[1])


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        logger.warning(message)


class RenderCache:
    """Renders a glossary's entries, reusing every kept result that is still what a render would give."""

    def __init__(
        self,
        path: Path | None,
        names: Mapping[str, str],
        *,
        resolve: Callable[[str], str | None],
        titles: Mapping[str, str],
        bodies: Mapping[str, str] | None = None,
    ) -> None:
        """`names` maps every name the autolinker knows to its slug (what Autolinker.build was given);
        `bodies` maps each slug to the body about to be rendered, so that when the names each body
        could mention are needed, they are found for all the bodies at once."""
        self.path = path
        self.total = len(bodies or {})
        self.rendered = 0  # renders done
        self.reused = 0  # results taken from the cache
        self._resolve = resolve
        self._titles = titles
        self._bodies = dict(bodies or {})
        self._index = _NameIndex(names)
        self._table = _digest(sorted(names.items()))
        self._mentions: dict[str, str] | None = None  # slug -> digest of the names its body could mention
        stored = self._read()
        # Under the same table of names, a body's mentions are the same: no need to find them.
        self._same_names = stored.get("names") == self._table
        self._kept: dict[str, Any] = stored.get("records", {})  # key -> a record as JSON, read when needed
        self._used: dict[str, Record] = {}
        self._prepared: dict[tuple[str, str], Record] = {}  # (slug, body) -> rendered by `prepare`
        self._checked: dict[tuple[str, str, bool], tuple[str, Record | None]] = {}
        self._started = time.perf_counter()

    @classmethod
    def open(
        cls,
        content_dir: Path,
        names: Mapping[str, str],
        *,
        resolve: Callable[[str], str | None],
        titles: Mapping[str, str],
        bodies: Mapping[str, str] | None = None,
    ) -> RenderCache:
        """The cache of this content folder in the cache folder, or one that keeps nothing."""
        return cls(_KIND.path(content_dir), names, resolve=resolve, titles=titles, bodies=bodies)

    def prepare(self, jobs: list[tuple[str, str, bool]], autolinker: Autolinker, processes: int) -> None:
        """Render the (slug, body, autolink?) jobs no kept record serves in `processes` forked processes,
        for `render` to take. Forking copies this process, so the names, titles and autolinker need no
        pickling; only called where this process runs no other thread (snapshot.py's build)."""
        missing = [job for job in jobs if self._found(job[0], job[1], job[2])[1] is None]
        if processes < 2 or len(missing) < PARALLEL_FROM:
            return
        global _JOBS_CONTEXT
        _JOBS_CONTEXT = (self._resolve, self._titles, autolinker)
        try:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                for (slug, body, _), done in zip(missing, pool.imap(_render_job, missing, chunksize=25), strict=True):
                    self._prepared[slug, body] = done
                    if len(self._prepared) % PROGRESS_EVERY == 0:
                        self._progress(len(self._prepared))
        finally:
            _JOBS_CONTEXT = None

    def render(self, body: str, *, slug: str, autolinker: Autolinker | None) -> tuple[Rendered, float]:
        """(the entry's Rendered, how many seconds its render took, now or when it was kept)."""
        key, found = self._found(slug, body, autolinker is not None)
        if found is not None:
            self._used[key] = found
            self.reused += 1
            return found.rendered, found.seconds
        prepared = self._prepared.pop((slug, body), None)
        record = prepared or _render(self._resolve, self._titles, slug, body, autolinker)
        if autolinker is not None:
            record = replace(record, mentioned=self._mentioned(slug, body))
        self._used[key] = record
        self.rendered += 1
        if prepared is None and self.rendered % PROGRESS_EVERY == 0:
            self._progress(self.rendered)
        return record.rendered, record.seconds

    def _found(self, slug: str, body: str, autolink: bool) -> tuple[str, Record | None]:
        """The record's key, and the kept record if it is still what a render would give (worked out once)."""
        if (slug, body, autolink) not in self._checked:
            digest = hashlib.sha256(f"{VERSION}\0{slug}\0{autolink:d}\0".encode())
            digest.update(body.encode("utf-8", "surrogatepass"))
            key = digest.hexdigest()
            kept = self._kept.get(key)
            self._checked[slug, body, autolink] = key, None if kept is None else self._reuse(kept, slug, body, autolink)
        return self._checked[slug, body, autolink]

    def _progress(self, rendered: int) -> None:
        seconds = time.perf_counter() - self._started
        logger.info("Rendered %d entries (%d reused, of %d) in %.0f s", rendered, self.reused, self.total, seconds)

    def save(self) -> None:
        """Write the results this load used, when any is new, the names changed or many went unused."""
        seconds = time.perf_counter() - self._started
        used = len(self._used)
        logger.info("%d entries: %d rendered, %d reused, in %.1f s", used, self.rendered, self.reused, seconds)
        stale = len(set(self._kept) - set(self._used))
        if self.path is None or not (self.rendered or not self._same_names or stale > used // 10):
            return
        records = {key: record.to_json() for key, record in self._used.items()}
        stored = {"version": VERSION, "names": self._table, "records": records}
        chunks = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).iterencode(stored)
        try:
            _KIND.write(self.path, (chunk.encode() for chunk in chunks))
        except OSError as exc:
            _warn_once(f"The render cache cannot be written to {self.path.parent} ({exc}); every start renders all.")

    # -- reading and checking kept results --------------------------------------------------

    def _read(self) -> dict[str, Any]:
        """The stored file's contents if it is this code's cache, else nothing."""
        if self.path is None:
            return {}
        try:
            with self.path.open(encoding="utf-8") as stored:
                data = json.load(stored)
        except (FileNotFoundError, NotADirectoryError):  # nothing kept yet
            return {}
        except (OSError, ValueError) as exc:  # unreadable, not JSON, not UTF-8: render everything again
            _warn_once(f"The render cache file {self.path} is ignored: {exc}")
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("records"), dict):
            return {}
        folder.mark_used(self.path)
        return data

    def _reuse(self, kept: object, slug: str, body: str, autolink: bool) -> Record | None:
        """The kept record if it is well formed and every name, wikilink and title it used is unchanged."""
        try:
            record = Record.from_json(kept)
        except (KeyError, TypeError, ValueError):  # a record of the wrong shape: render again
            return None
        if autolink and not self._same_names and record.mentioned != self._mentioned(slug, body):
            return None
        if any(self._resolve(name) != target for name, target in record.resolved):
            return None
        if any(self._titles.get(target) != title for target, title in record.titles):
            return None
        return record

    def _mentioned(self, slug: str, body: str) -> str:
        """The digest of the (name, slug) pairs the body could mention; all bodies' on first use."""
        if self._bodies.get(slug) != body:  # a body not announced: look on its own
            return _digest(self._index.relevant(body))
        if self._mentions is None:
            self._mentions = {s: _digest(found) for s, found in self._index.mentions(self._bodies).items()}
        return self._mentions[slug]


@dataclass(frozen=True, slots=True)
class Record:
    """One render as kept: its result and time, and what it asked of the rest of the glossary (checked on reuse)."""

    rendered: Rendered
    seconds: float
    resolved: tuple[tuple[str, str | None], ...]  # each wikilink target asked of `resolve`, and its answer
    titles: tuple[tuple[str, str], ...]  # each slug whose title a bare [[slug]] showed, and that title
    mentioned: str | None = None  # with the autolinker: the digest of the names the body could mention

    def to_json(self) -> dict[str, object]:
        rendered = self.rendered
        return {
            "html": rendered.html,
            "sections": [[section.id, section.title, section.level] for section in rendered.sections],
            "citations": list(rendered.citations),
            "links": sorted(rendered.links),
            "seconds": self.seconds,
            "resolved": [list(pair) for pair in self.resolved],
            "titles": [list(pair) for pair in self.titles],
            "mentioned": self.mentioned,
        }

    @classmethod
    def from_json(cls, data: object) -> Record:
        """The record `to_json` wrote; KeyError, TypeError or ValueError for anything else."""
        if not isinstance(data, dict):
            raise TypeError(data)
        rendered = Rendered(
            _text(data["html"]),
            tuple(Section(_text(i), _text(title), _int(level)) for i, title, level in data["sections"]),
            tuple(_text(key) for key in data["citations"]),
            frozenset(_text(target) for target in data["links"]),
        )
        seconds = data["seconds"]
        if not isinstance(seconds, int | float) or isinstance(seconds, bool):
            raise TypeError(seconds)
        mentioned = data["mentioned"]
        return cls(
            rendered,
            float(seconds),
            tuple((_text(name), None if slug is None else _text(slug)) for name, slug in data["resolved"]),
            tuple((_text(slug), _text(title)) for slug, title in data["titles"]),
            None if mentioned is None else _text(mentioned),
        )


# What the forked processes of RenderCache.prepare render with: (resolve, titles, autolinker), set just
# before forking.
_JOBS_CONTEXT: tuple[Callable[[str], str | None], Mapping[str, str], Autolinker] | None = None


def _render_job(job: tuple[str, str, bool]) -> Record:
    assert _JOBS_CONTEXT is not None, "only in a process forked by RenderCache.prepare"
    resolve, titles, autolinker = _JOBS_CONTEXT
    slug, body, autolink = job
    return _render(resolve, titles, slug, body, autolinker if autolink else None)


def _render(
    resolve: Callable[[str], str | None], titles: Mapping[str, str], slug: str, body: str, autolinker: Autolinker | None
) -> Record:
    """markup.render, timed, noting what it asked of `resolve` and `titles` (the record keeps both)."""
    asked: dict[str, str | None] = {}
    shown: dict[str, str] = {}
    # CPU time, not wall-clock time: a render on a busy machine (a test run beside other work, a CI host)
    # waits for the CPU without costing more of it, and must not become an error (E031) for that.
    start = time.process_time()
    recording, reading = _Recording(resolve, asked), _RecordingTitles(titles, shown)
    rendered = markup.render(body, slug=slug, resolve=recording, titles=reading, autolinker=autolinker)
    seconds = time.process_time() - start
    return Record(
        rendered, seconds, tuple(sorted(asked.items(), key=lambda item: item[0])), tuple(sorted(shown.items()))
    )


def _digest(pairs: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for name, slug in pairs:
        digest.update(f"{name}\0{slug}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(value)
    return value


class _Recording:
    """resolve() that notes each name asked and its answer."""

    def __init__(self, resolve: Callable[[str], str | None], asked: dict[str, str | None]) -> None:
        self._resolve = resolve
        self._asked = asked

    def __call__(self, name: str) -> str | None:
        slug = self._asked[name] = self._resolve(name)
        return slug


class _RecordingTitles(Mapping[str, str]):
    """The titles mapping, noting each title read."""

    def __init__(self, titles: Mapping[str, str], shown: dict[str, str]) -> None:
        self._titles = titles
        self._shown = shown

    def __getitem__(self, slug: str) -> str:
        title = self._shown[slug] = self._titles[slug]
        return title

    def __iter__(self) -> Iterator[str]:
        return iter(self._titles)

    def __len__(self) -> int:
        return len(self._titles)


class _NameIndex:
    """The autolinker's names and their words, to find the names each body could mention."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self._always: list[tuple[str, str]] = []  # names made only of words any text may hold
        self._names: list[tuple[str, str, tuple[str, ...]]] = []
        for name, slug in names.items():
            words = _name_words(name)
            if words:
                self._names.append((name, slug, words))
            elif WORD_RE.search(name):
                self._always.append((name, slug))

    def relevant(self, body: str) -> list[tuple[str, str]]:
        """(name, slug) of each name whose words all occur in the body, sorted."""
        present = _words(body)
        found = self._always + [(name, slug) for name, slug, words in self._names if all(w in present for w in words)]
        return sorted(found)

    def mentions(self, bodies: Mapping[str, str]) -> dict[str, list[tuple[str, str]]]:
        """relevant() of every body at once: one bit per body for each word, and a name's bodies
        are those whose bits are set for all its words."""
        vocabulary = {word for _, _, words in self._names for word in words}
        slugs = list(bodies)
        holders: dict[str, list[int]] = {}
        for number, slug in enumerate(slugs):
            for word in _words(bodies[slug]) & vocabulary:
                holders.setdefault(word, []).append(number)
        bits = {word: _bitset(numbers, len(slugs)) for word, numbers in holders.items()}
        found: dict[str, list[tuple[str, str]]] = {slug: list(self._always) for slug in slugs}
        size = len(slugs) // 8 + 1
        for name, slug, words in self._names:
            both = bits.get(words[0], 0)
            for word in words[1:]:
                if not both:
                    break
                both &= bits.get(word, 0)
            if both:
                flags = both.to_bytes(size, "little")
                for byte in _NONZERO.finditer(flags):
                    at = byte.start() * 8
                    for offset in _BITS[flags[byte.start()]]:
                        found[slugs[at + offset]].append((name, slug))
        for mentioned in found.values():
            mentioned.sort()
        return found


_NONZERO = re.compile(rb"[^\x00]")
_BITS = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]


def _bitset(numbers: list[int], size: int) -> int:
    flags = bytearray(size // 8 + 1)
    for number in numbers:
        flags[number >> 3] |= 1 << (number & 7)
    return int.from_bytes(flags, "little")


def _name_words(name: str) -> tuple[str, ...]:
    """A name's words as the autolinker's trie holds them, less those any text may hold."""
    folded = {word.casefold() for word in WORD_RE.findall(name)}
    return tuple(sorted(w for w in folded if not w.isdigit() and w not in _PLACEHOLDER_WORDS))


def _words(body: str) -> set[str]:
    """Every word the autolinker could meet in the body's rendered text, and more.

    Text nodes are pieces of the body, less Markdown's syntax: a backslash escape can join
    two words (spin\\_al), _emphasis_ drops underscores that \\w counts as letters, and an
    entity may stand for a letter. So the words of the body as written, without its
    escapes and with its entities decoded are all taken, each folded as the autolinker
    folds them, with the singulars it tries for a plural.
    """
    texts = {body}
    if "\\" in body:
        texts.add(_ESCAPE_RE.sub(r"\1", body))
    if "&" in body:
        texts |= {html.unescape(text) for text in texts}
    words: set[str] = set()
    for text in texts:
        words.update(word.casefold() for word in set(WORD_RE.findall(text)))
        if "_" in text:
            words.update(word.casefold() for word in set(_PART_RE.findall(text)))
    words.update([singular for word in words for singular in singulars(word)])
    return words
