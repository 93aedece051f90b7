"""Markdown to safe HTML, with the glossary's wikilinks, citations and automatic term links.

What the extension registers, and why at that priority:

| kind          | name       | priority | job                                                        |
|---------------|------------|----------|------------------------------------------------------------|
| inline        | wikilink   | 175      | `[[target#section|text]]`; above `reference` (170) so that  |
|               |            |          | `[[x]]` is never read as a reference link                  |
| inline        | citation   | 174      | `[@a; @b]` becomes a placeholder `<sup>`                   |
| treeprocessor | urgent     | 16       | `> [!URGENT]` quotes become the "Get help now" box         |
|               |            |          | (callouts.py), before autolink so the mark is never linked |
| treeprocessor | citenumber | 15       | numbers citations in document order (the inline processor  |
|               |            |          | does not visit text in document order)                     |
| treeprocessor | autolink   | 14       | links the first plain mention of each other entry          |
| treeprocessor | figures    | 13       | points `figures/x.svg` at the site's /figures/ path, and   |
|               |            |          | makes an image alone in its paragraph a `<figure>` whose   |
|               |            |          | caption is the image's title                               |
| treeprocessor | permalinks | 4        | after toc (5) has set heading ids: a link to each section  |

Raw HTML is switched off (the scanner reports it as an error) and nh3 cleans the
result anyway, so nothing an editor writes can reach a reader unsanitised.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from glossary.content.callouts import UrgentProcessor
from glossary.content.entries import REFERENCE_ID_PREFIX, Section, term_url
from glossary.content.lint import FIGURE_PREFIX, SAFE_SCHEMES
from glossary.content.syntax import CITATION_RE, WIKILINK_RE, WikiLink, citation_keys
from glossary.content.wording import PLURAL_ENDING, WORD_RE, is_abbreviation, singulars

HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
SKIP_TAGS = frozenset({"a", "code", "pre", "h1", "sup", "abbr", *HEADINGS})
ALLOWED_TAGS = {
    "p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "hr", "br",
    "h2", "h3", "h4", "h5", "h6", "sup", "sub", "img", "table", "thead", "tbody", "tr",
    "th", "td", "dl", "dt", "dd", "span", "figure", "figcaption", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "aria-label", "data-term"},
    "img": {"src", "alt", "title", "loading"},
    "sup": {"class"},
    "span": {"class"},
    "p": {"class"},
    "div": {"class", "role", "aria-label"},  # the urgent-help box (callouts.py)
    "th": {"align"},
    "td": {"align"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}


@dataclass(frozen=True)
class Autolinker:
    """Finds mentions of every title and alias, built once per glossary.

    Names written in capitals (MRI, CSF) match only in capitals, so that an
    abbreviation does not link an ordinary word that happens to share its letters.
    A plain plural ("radiologists", "MRIs") links to the singular's entry.

    One alternation of every name would be simplest, but Python's re tries each
    alternative at every position: minutes at 10,000 entries. So the names' words
    go into a trie, the text's words walk it, and only the few names whose words
    all appear in a row are checked, longest first, against a pattern of their own
    (compiled the first time it is needed) that holds the exact spacing, case and
    word-boundary rules.
    """

    trie: dict[str, Any]
    _patterns: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, names: Mapping[str, str]) -> Autolinker:
        """`names` maps each title or alias to its entry's slug."""
        trie: dict[str, Any] = {}
        for name, slug in names.items():
            words = list(WORD_RE.finditer(name))
            if not words:
                continue
            node = trie
            for word in words:
                node = node.setdefault(word.group().casefold(), {})
            node.setdefault(_NAMES, []).append(_Candidate(name, slug, words[0].start()))
        return cls(trie)

    def find(self, text: str) -> Iterator[tuple[re.Match[str], str]]:
        """Each mention in `text`, left to right, not overlapping, the longest name at each place."""
        words = list(WORD_RE.finditer(text))
        folded = [word.group().casefold() for word in words]
        taken = 0
        for i, word in enumerate(words):
            if word.start() < taken:
                continue
            for candidate in self._candidates(folded, i):
                start = word.start() - candidate.offset
                found = self._pattern(candidate.name).match(text, start) if start >= taken else None
                if found:
                    yield found, candidate.slug
                    taken = found.end()
                    break

    def _candidates(self, folded: list[str], i: int) -> list[_Candidate]:
        """Names whose words are the text's words from the i-th on, the last perhaps as a plural; longest first."""
        found: list[_Candidate] = []
        node = self.trie
        for word in folded[i:]:
            for singular in singulars(word):
                found += node.get(singular, {}).get(_NAMES, ())
            child = node.get(word)
            if child is None:
                break
            node = child
            found += node.get(_NAMES, ())
        return sorted(found, key=lambda c: -len(c.name))

    def _pattern(self, name: str) -> re.Pattern[str]:
        pattern = self._patterns.get(name)
        if pattern is None:
            words = r"\s+".join(re.escape(word) for word in name.split())
            body = words if is_abbreviation(name) else f"(?i:{words})"
            pattern = self._patterns[name] = re.compile(rf"(?<![\w-]){body}{PLURAL_ENDING}(?![\w-])")
        return pattern


@dataclass(frozen=True, slots=True)
class _Candidate:
    name: str
    slug: str
    offset: int  # where the name's first word starts within the name


_NAMES = ""  # the trie key under which a node keeps the names that end there; never a word


@dataclass
class RenderState:
    """Per-render bookkeeping shared by the processors of one Markdown instance."""

    slug: str
    resolve: Callable[[str], str | None]
    titles: Mapping[str, str]
    autolinker: Autolinker | None
    citations: dict[str, int] = field(default_factory=dict)
    links: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    sections: tuple[Section, ...]
    citations: tuple[str, ...]
    links: frozenset[str]


class WikiLinkProcessor(InlineProcessor):
    def __init__(self, state: RenderState) -> None:
        super().__init__(WIKILINK_RE)
        self.state = state

    # InlineProcessor changes Pattern.handleMatch's signature; types-Markdown ignores that on InlineProcessor itself.
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        link = WikiLink.from_match(m)
        slug = self.state.resolve(link.target)
        text = link.text or _link_text(link.target, slug, self.state.titles)
        if slug is None:  # the scanner has reported it; render the words only
            el = etree.Element("span")
        else:
            self.state.links.add(slug)
            el = etree.Element("a", {"href": term_url(slug, link.anchor), "class": "term-link"})
            el.set("data-term", slug)
        el.text = AtomicString(text)
        return el, m.start(0), m.end(0)


def _link_text(target: str, slug: str | None, titles: Mapping[str, str]) -> str:
    """A bare [[slug]] shows the entry's title, in lower case mid-sentence unless it is an abbreviation."""
    if slug is None or target != slug:
        return target
    title = titles[slug]
    return title[0].lower() + title[1:] if title[1:2].islower() else title


class CitationProcessor(InlineProcessor):
    def __init__(self) -> None:
        super().__init__(CITATION_RE)

    # As WikiLinkProcessor's: InlineProcessor's own signature, which is not Pattern's.
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        el = etree.Element("sup", {"class": "citation", "data-keys": " ".join(citation_keys(m.group(1)))})
        return el, m.start(0), m.end(0)


class CitationNumberer(Treeprocessor):
    def __init__(self, md: markdown.Markdown, state: RenderState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        order = self.state.citations
        for sup in root.iter("sup"):
            keys = sup.attrib.pop("data-keys", "").split()
            if not keys:
                continue
            sup.text = "["
            for index, key in enumerate(keys):
                number = order.setdefault(key, len(order) + 1)
                target = f"#{REFERENCE_ID_PREFIX}{key}"
                anchor = etree.SubElement(sup, "a", {"href": target, "aria-label": f"Reference {number}"})
                anchor.text = str(number)
                anchor.tail = ", " if index < len(keys) - 1 else "]"


class AutolinkProcessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, state: RenderState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        if self.state.autolinker and self.state.autolinker.trie:
            self._walk(root)

    def _walk(self, el: etree.Element) -> None:
        """Visit text in document order: el.text, then each child and its tail."""
        if el.text and not isinstance(el.text, AtomicString):
            el.text, new = self._link(el.text)
            for offset, anchor in enumerate(new):
                el.insert(offset, anchor)
        for child in list(el):
            if child.tag not in SKIP_TAGS:
                self._walk(child)
            if child.tail:
                child.tail, new = self._link(child.tail)
                position = list(el).index(child) + 1
                for offset, anchor in enumerate(new):
                    el.insert(position + offset, anchor)

    def _link(self, text: str) -> tuple[str, list[etree.Element]]:
        """Split `text` around first mentions; each new anchor carries the text after it as its tail."""
        linker = self.state.autolinker
        assert linker is not None
        head, start = text, 0
        anchors: list[etree.Element] = []
        for match, slug in linker.find(text):
            if slug == self.state.slug or slug in self.state.links:
                continue
            self.state.links.add(slug)
            anchor = etree.Element("a", {"href": term_url(slug), "class": "term-link", "data-term": slug})
            anchor.text = AtomicString(match.group(0))
            if anchors:
                anchors[-1].tail = text[start : match.start()]
            else:
                head = text[: match.start()]
            anchors.append(anchor)
            start = match.end()
        if anchors:
            anchors[-1].tail = text[start:]
        return head, anchors


class FigureProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for img in root.iter("img"):
            src = img.get("src", "")
            if src.startswith(FIGURE_PREFIX):
                img.set("src", "/" + src)
            img.set("loading", "lazy")
        for paragraph in root.iter("p"):
            _make_figure(paragraph)


def _make_figure(paragraph: etree.Element) -> None:
    """`![alt](src "Caption")` alone in a paragraph is a figure: the alt text describes the picture
    for those who cannot see it, the caption says what it shows for everyone."""
    children = list(paragraph)
    if len(children) != 1 or children[0].tag != "img":
        return
    img = children[0]
    if (paragraph.text or "").strip() or (img.tail or "").strip():
        return
    img.tail = None
    paragraph.tag = "figure"
    paragraph.text = None
    caption = img.attrib.pop("title", "")
    if caption:
        etree.SubElement(paragraph, "figcaption").text = caption


class PermalinkProcessor(Treeprocessor):
    """A link to each section after its heading text, so a reader can copy the section's address.

    The visible text is a short mark; the accessible name says which section it points at,
    because a screen reader's list of links would otherwise be a column of identical marks.
    """

    def run(self, root: etree.Element) -> None:
        for heading in root:
            if heading.tag in HEADINGS and heading.get("id"):
                title = "".join(heading.itertext()).strip()
                children = list(heading)
                if children:
                    children[-1].tail = (children[-1].tail or "") + " "
                else:
                    heading.text = (heading.text or "") + " "
                anchor = etree.SubElement(
                    heading,
                    "a",
                    {"href": f"#{heading.get('id')}", "class": "permalink", "aria-label": f"Link to section: {title}"},
                )
                anchor.text = "#"


class GlossaryExtension(Extension):
    def __init__(self, state: RenderState) -> None:
        super().__init__()
        self.state = state

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(WikiLinkProcessor(self.state), "wikilink", 175)
        md.inlinePatterns.register(CitationProcessor(), "citation", 174)
        md.treeprocessors.register(UrgentProcessor(md), "urgent", 16)
        md.treeprocessors.register(CitationNumberer(md, self.state), "citenumber", 15)
        if self.state.autolinker is not None:
            md.treeprocessors.register(AutolinkProcessor(md, self.state), "autolink", 14)
        md.treeprocessors.register(FigureProcessor(md), "figures", 13)
        md.treeprocessors.register(PermalinkProcessor(md), "permalinks", 4)


def render(
    body: str,
    *,
    slug: str,
    resolve: Callable[[str], str | None],
    titles: Mapping[str, str],
    autolinker: Autolinker | None,
) -> Rendered:
    """Render one entry body; a new Markdown instance each time, as instances keep state."""
    state = RenderState(slug=slug, resolve=resolve, titles=titles, autolinker=autolinker)
    md = markdown.Markdown(
        extensions=[
            "tables",
            "sane_lists",
            "fenced_code",
            "smarty",
            "toc",
            GlossaryExtension(state),
        ],
        extension_configs={"toc": {"toc_depth": "2-6"}},
    )
    output = md.convert(body)
    sections = tuple(_sections(md.toc_tokens))  # type: ignore[attr-defined]
    return Rendered(sanitise(output), sections, tuple(state.citations), frozenset(state.links))


def _sections(tokens: list[dict]) -> list[Section]:
    found: list[Section] = []
    for token in tokens:
        found.append(Section(token["id"], html.unescape(token["name"]), token["level"]))
        found += _sections(token["children"])
    return found


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_without_disguised_scheme,
        url_schemes=set(SAFE_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


# nh3 reads a URL's scheme as today's browsers do, which drop only tabs and newlines inside it; so
# 'java    script:' (Markdown makes a tab four spaces) or 'javascript\x1f:' pass as relative paths.
# Browsers have differed, so an address that names another scheme once every space and control
# character is gone is dropped too.
_URL_ATTRIBUTES = frozenset({"href", "src"})
_URL_NOISE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def _without_disguised_scheme(tag: str, attribute: str, value: str) -> str | None:
    if attribute in _URL_ATTRIBUTES:
        scheme = _URL_SCHEME.match(_URL_NOISE.sub("", value))
        if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
            return None
    return value
