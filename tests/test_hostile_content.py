"""Hostile content: no XSS payload reaches a reader as anything that runs, whichever layer is asked.

Three layers stand between an editor's Markdown and a reader's browser:

1. the body scan (glossary/content/lint.py) rejects raw HTML (E016) and unsafe links (E017), with their line;
2. Python-Markdown runs with raw HTML switched off, so what gets past the scan is text;
3. nh3 cleans the HTML with an allow-list of tags, attributes and URL schemes.

Each payload in tests/fixtures/xss/payloads.txt goes through the full loader, which must reject it
with the ids the corpus names or, for a payload that is only text, accept it and render a page with
nothing that runs. With the scan bypassed it goes to the renderer (layers 2 and 3), to nh3 after
Markdown with raw HTML switched ON (layer 3 alone, should layer 2 ever regress), and to nh3 as if
it were HTML. The browser test (tests/browser/test_hostile_content.py) serves the payloads the
loader accepts through gunicorn to chromium.

Markdown is rendered once, when the content is loaded: a test below spies on the renderer while
pages are requested. An entry file over 64 KB is an error (E030) before it is even read.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import nh3
import pytest
from django.test import Client

import glossary.content.linker
import glossary.content.markup
from glossary.content.loader import MAX_ENTRY_BYTES, load
from glossary.content.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, Autolinker, render, sanitise
from glossary.content.problems import CATALOGUE
from glossary.serving import store

from .conftest import FIXTURES

CORPUS = FIXTURES / "xss" / "payloads.txt"
VALID = FIXTURES / "valid"
TODAY = date(2026, 6, 15)  # as in test_validation: the valid fixture's review (2026-01-15) is recent

_MARKER = re.compile(r"^%%% (?P<name>[a-z0-9]+(?:-[a-z0-9]+)*) -> (?P<verdict>loads|E\d{3}(?: E\d{3})*)$")
_CHARACTER = re.compile(r"\\u\{([0-9A-Fa-f]{1,6})\}")


SUMMARY = "A test page with hostile text in it."


@dataclass(frozen=True)
class Payload:
    name: str
    codes: frozenset[str]  # the error ids the loader must report; none: the loader accepts it
    text: str

    @property
    def loads(self) -> bool:
        return not self.codes

    @property
    def slug(self) -> str:
        return f"xss-{self.name}"

    def entry_file(self) -> str:
        """The payload as an entry file: a whole-file block as it is, a body under a plain front matter."""
        if self.text.startswith("---\n"):
            return self.text + "\n"
        head = f"---\ntitle: Hostile {self.name.replace('-', ' ')}\nsummary: {SUMMARY}\ncategory: anatomy\n---\n\n"
        return f"{head}## What it is\n\n{self.text}\n"

    def __str__(self) -> str:
        return self.name


def read_corpus(path: Path = CORPUS) -> list[Payload]:
    """The blocks after the header, each with its verdict; see the header of payloads.txt."""
    blocks: list[tuple[re.Match[str], list[str]]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if marker := _MARKER.match(line):
            blocks.append((marker, []))
        elif blocks:
            blocks[-1][1].append(line)
    return [
        Payload(
            marker["name"],
            frozenset(marker["verdict"].split()) - {"loads"},
            _CHARACTER.sub(lambda m: chr(int(m.group(1), 16)), "\n".join(lines).rstrip("\n")),
        )
        for marker, lines in blocks
    ]


PAYLOADS = read_corpus()


def write_entry(content: Path, payload: Payload) -> Path:
    path = content / "terms" / f"{payload.slug}.md"
    path.write_text(payload.entry_file(), encoding="utf-8")
    return path


# What nothing a reader is sent may hold, whatever the allow-list says: these tags run script,
# load a document or change where the page's links and forms go.
NEVER_TAGS = frozenset(
    {
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
        "style", "form", "input", "button", "textarea", "select", "svg", "math", "template", "noscript",
        "xmp", "plaintext", "title", "animate", "set", "use", "image", "foreignobject", "portal",
        "video", "audio", "source", "param", "body", "html", "head",
    }
)  # fmt: skip
NEVER_ATTRIBUTES = frozenset({"style", "srcdoc", "http-equiv"})
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "background", "lowsrc", "dynsrc", "poster",
        "data", "codebase", "cite", "longdesc", "srcset", "ping", "manifest", "classid", "archive",
    }
)  # fmt: skip
INERT_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def url_scheme(value: str) -> str | None:
    """The scheme of an attribute's URL, read strictly: the value (which the parser has already
    HTML-unescaped) without any whitespace or control character, lower-cased. None: a relative URL.

    A browser drops only tabs and newlines inside a URL, so this sees a scheme in more values
    than a browser would: a check that passes here passes there.
    """
    squeezed = "".join(char for char in value if not char.isspace() and unicodedata.category(char) != "Cc")
    found = _SCHEME.match(squeezed.lower())
    return found.group(1) if found else None


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS or tag in NEVER_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            shown = f"<{tag} {name}={value!r}>"
            if name.startswith("on") or name in NEVER_ATTRIBUTES:
                self.found.append(shown)
            elif name not in ALLOWED_ATTRIBUTES.get(tag, ()):
                self.found.append(f"{shown} (not allowed)")
            elif name in URL_ATTRIBUTES and url_scheme(value or "") not in {None, *INERT_SCHEMES}:
                self.found.append(shown)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.found.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.found.append(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.found.append(f"<![{data}]>")

    def handle_pi(self, data: str) -> None:
        self.found.append(f"<?{data}>")


def audit(html: str) -> list[str]:
    """Everything in `html` that could run, load or redirect: an element or attribute outside the
    allow-list, an event handler, a style, a URL with a scheme other than http(s) or mailto, a comment."""
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser.found


# The valid fixture's entries, so that wikilinks and automatic links in the payloads resolve.
TITLES = {"alpha-term": "Alpha term", "beta-scan": "Beta scan", "gamma-finding": "Gamma finding"}
KEYS = {slug: slug for slug in TITLES} | {title.lower(): slug for slug, title in TITLES.items()}


def _render(body: str) -> str:
    return render(
        body,
        slug="hostile",
        resolve=lambda name: KEYS.get(name.strip().lower()),
        titles=TITLES,
        autolinker=Autolinker.build({title: slug for slug, title in TITLES.items()}),
    ).html


# --- the corpus and the audit themselves ---------------------------------------------------------


def test_the_corpus_is_read_whole() -> None:
    names = [payload.name for payload in PAYLOADS]
    assert len(names) == len(set(names)) >= 100
    assert CORPUS.read_text(encoding="utf-8").count("\n%%% ") == len(PAYLOADS)
    assert {code for payload in PAYLOADS for code in payload.codes} <= set(CATALOGUE)
    assert all(payload.text.strip() for payload in PAYLOADS)
    assert any("\t" in p.text for p in PAYLOADS) and any("\x00" in p.text for p in PAYLOADS)


def test_nothing_forbidden_is_on_the_allow_list() -> None:
    assert ALLOWED_TAGS.isdisjoint(NEVER_TAGS)
    attributes = {name for names in ALLOWED_ATTRIBUTES.values() for name in names}
    assert attributes.isdisjoint(NEVER_ATTRIBUTES)
    assert not any(name.startswith("on") for name in attributes)
    assert set(glossary.content.markup.SAFE_SCHEMES) == INERT_SCHEMES


@pytest.mark.parametrize(
    "html",
    [
        "<script>x</script>",
        "<svg></svg>",
        "<p style='color:red'>x</p>",
        "<img src=x onerror=y>",
        "<a href=javascript:x>x</a>",
        "<a href='JaVaScRiPt:x'>x</a>",
        "<a href='jav&#x09;ascript:x'>x</a>",
        "<a href=' &#14; javascript:x'>x</a>",
        "<a href='java\nscript:x'>x</a>",
        "<a href='java    script:x'>x</a>",
        "<a href='vbscript:x'>x</a>",
        "<a href='data:text/html,x'>x</a>",
        "<img src='data:image/png;base64,AAAA'>",
        "<a href=x data-x=1>x</a>",
        "<h2 class=x>x</h2>",
        "<!-- x -->",
        "<![CDATA[x]]>",
    ],
)
def test_the_audit_sees_what_could_run(html: str) -> None:
    assert audit(html) != []


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="https://example.org/" title="a&quot; onclick=&quot;x">x</a></p>',
        '<a href="/terms/x/#y">x</a> <a href="#ref-a">1</a> <a href="mailto:a@example.org">m</a>',
        '<figure><img alt="a" loading="lazy" src="/figures/box.svg"><figcaption>c</figcaption></figure>',
        '<a href="javascript%3Aalert(1)">x</a> <a href="&amp;#106;avascript:x">x</a>',
        "<p>&lt;script&gt;x&lt;/script&gt; javascript:alert(1)</p>",
    ],
)
def test_the_audit_passes_what_cannot_run(html: str) -> None:
    assert audit(html) == []


# --- layers 2 and 3: the renderer and nh3, with the body scan bypassed ------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_the_renderer_leaves_nothing_that_runs(payload: Payload) -> None:
    assert audit(_render(payload.text)) == []


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_nh3_alone_cleans_markdown_rendered_with_raw_html_switched_on(payload: Payload) -> None:
    raw = markdown.markdown(payload.text, extensions=["tables", "sane_lists", "fenced_code", "smarty", "toc"])
    assert audit(sanitise(raw)) == []


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_nh3_alone_cleans_each_payload_read_as_html(payload: Payload) -> None:
    assert audit(sanitise(payload.text)) == []


def test_the_raw_html_payloads_are_hostile_before_nh3() -> None:
    """Without nh3, Markdown with raw HTML on passes these through: the tests above are not vacuous."""
    raw_html = [p for p in PAYLOADS if "E016" in p.codes]
    dangerous = [p.name for p in raw_html if audit(markdown.markdown(p.text))]
    assert len(dangerous) >= 0.9 * len(raw_html), sorted({p.name for p in raw_html} - set(dangerous))


# --- layer 1: the full loader ---------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_the_loader_rejects_each_payload_or_renders_it_inert(payload: Payload, tmp_path: Path) -> None:
    content = shutil.copytree(VALID, tmp_path / "content")
    path = write_entry(content, payload)

    result = load(content, today=TODAY)

    found = {p.code for p in result.errors}
    if payload.codes:
        assert payload.codes <= found, [str(p) for p in result.problems]
        assert {p.path for p in result.errors} == {path}
        assert result.glossary is None
    else:
        assert found == set(), [str(p) for p in result.errors]
        assert result.glossary is not None
        assert audit(result.glossary.pages[payload.slug].html) == []


def test_some_payloads_pass_the_loader_for_the_browser_test() -> None:
    assert len([payload for payload in PAYLOADS if payload.loads]) >= 20


# --- Markdown is rendered at load, never per request ------------------------------------------------


def _spy(owner: Any, name: str, calls: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    real: Callable[..., Any] = getattr(owner, name)

    @wraps(real)
    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)


def test_pages_never_render_markdown_per_request(
    tmp_path: Path, use_content: Callable[[Path], Path], monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    content = use_content(shutil.copytree(VALID, tmp_path / "content"))
    entry = content / "terms" / "alpha-term.md"
    # Words of this test's own, so that no cache of an earlier render can answer for this load.
    entry.write_text(entry.read_text(encoding="utf-8") + f"\nRendered for {tmp_path.name}.\n", encoding="utf-8")
    calls: list[str] = []
    _spy(markdown.Markdown, "convert", calls, monkeypatch)
    _spy(nh3, "clean", calls, monkeypatch)
    _spy(glossary.content.markup, "render", calls, monkeypatch)
    if hasattr(glossary.content.linker, "render"):
        _spy(glossary.content.linker, "render", calls, monkeypatch)

    store.glossary()
    assert "convert" in calls and "clean" in calls  # the spies see real renders

    calls.clear()
    for path in ["/terms/alpha-term/", "/terms/alpha-term/", "/terms/beta-scan/", "/api/terms/alpha-term/"]:
        assert client.get(path).status_code == 200, path
    assert client.get("/search/", {"q": "test entry"}).status_code == 200
    assert calls == []


# --- E030: an entry file over 64 KB -------------------------------------------------------------------


ENTRY_HEAD = (
    "---\ntitle: Long term\nsummary: The long term is a test entry.\ncategory: anatomy\n---\n\n## What it is\n\n"
)


def _entry_of(size: int) -> bytes:
    """A valid entry file of exactly `size` bytes."""
    text = ENTRY_HEAD.encode()
    words = b"Plain words about the spine.\n"
    text += words * ((size - len(text) - 1) // len(words))
    return text + b"." * (size - len(text) - 1) + b"\n"


def test_an_entry_of_64_kb_loads_and_one_byte_more_is_an_error(tmp_path: Path) -> None:
    content = shutil.copytree(VALID, tmp_path / "content")
    path = content / "terms" / "long-term.md"
    path.write_bytes(_entry_of(MAX_ENTRY_BYTES))
    assert MAX_ENTRY_BYTES == 64 * 1024 and path.stat().st_size == MAX_ENTRY_BYTES

    assert load(content, today=TODAY).errors == ()

    path.write_bytes(_entry_of(MAX_ENTRY_BYTES + 1))
    result = load(content, today=TODAY)

    assert [(p.code, p.path, p.line) for p in result.errors] == [("E030", path, None)]
    assert "long-term.md is 65,537 bytes" in result.errors[0].message
    assert result.glossary is None


def test_an_oversized_entry_is_not_read_at_all(tmp_path: Path) -> None:
    """Not even decoded: 70 KB of bytes that are not UTF-8 are reported as too large, nothing else."""
    (tmp_path / "terms").mkdir()
    (tmp_path / "terms" / "huge.md").write_bytes(b"\xff" * 70_000)

    assert [p.code for p in load(tmp_path).problems] == ["E030"]
