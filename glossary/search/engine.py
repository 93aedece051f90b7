"""Search the glossary however a reader types: names first, then full text, with spelling forgiven.

Built once per loaded glossary (see store). A query goes through four steps:

1. Clean it and split it into words (textfold), dropping words such as 'what'
   and 'my' that carry no meaning.
2. Correct words the index has never seen and that start no indexed word, to the
   closest indexed word one or two edits away; the page then says so.
3. Expand each word into every indexed word with the same key, so 'tumors'
   finds 'tumour' and 'tumours', and join them into an FTS5 expression.
4. Rank: an exact name, then names that start with the query, then the full-text
   hits in FTS5's rank order (BM25, a word in a title weighing most, then in an
   alias, a summary, a body), entries with all the words before those with some.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from html import unescape

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import process
from rapidfuzz.distance import OSA

from glossary.content.entries import Glossary, Page
from glossary.search.fulltext import ALIAS_SEPARATOR, MARK_CLOSE, MARK_OPEN, Document, FullText, Match
from glossary.search.lengths import ByLength
from glossary.search.names import Name, NameIndex
from glossary.search.textfold import STOPWORDS, content_words, stem, without_controls, word_key, words

MAX_QUERY = 200
MAX_LIMIT = 50
TYPEAHEAD_LIMIT = 8  # suggestions the search box shows, and the API's default: what fits above a phone's keyboard
_LONGEST_NAME_WORDS = 5  # runs of the query's words longer than this are not looked up as names
_MIN_PREFIX = 3  # shorter unknown words would expand to too much of the index to help
_BLOCK_TAG_RE = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|div|figure|figcaption|table|tr|td|th|blockquote|pre|br)\b[^>]*>")
_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")


class QueryError(ValueError):
    """The query cannot be searched as it is; the message tells the reader what to change."""


@dataclass(frozen=True, slots=True)
class Hit:
    page: Page
    matched: str  # "title", "alias", "summary" or "body": where the query was found
    name: str  # the title, or the alias that matched
    snippet: SafeString  # the summary or a passage of the body, matched words in <mark>

    @property
    def slug(self) -> str:
        return self.page.entry.slug


@dataclass(frozen=True)
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # entries that match, of which `hits` are the best
    corrected: str | None = None  # the query searched instead, when words were misspelt
    exact: Page | None = None  # the entry the query names exactly, if any


def clean_query(raw: str) -> str:
    """The query as searched and shown: one line, single spaces; QueryError if it is too long to be a search."""
    text = _SPACE_RE.sub(" ", without_controls(raw)).strip()
    if len(text) > MAX_QUERY:
        raise QueryError(f"Searches can be up to {MAX_QUERY} characters long; this one has {len(text)}.")
    return text


class SearchIndex:
    def __init__(self, glossary: Glossary) -> None:
        pages = list(glossary.pages.values())
        self._pages = {i: page for i, page in enumerate(pages)}
        self._rowids = {page.entry.slug: i for i, page in self._pages.items()}
        documents = [
            Document(i, p.entry.title, (*p.entry.aliases, *p.entry.forms), p.entry.summary, _text(p.html))
            for i, p in self._pages.items()
        ]
        self._fulltext = FullText(documents)
        self._names = NameIndex(
            [Name(p.entry.slug, name, name == p.entry.title) for p in pages for name in p.entry.names]
        )
        # The words of the entries, for correcting misspelt ones and for finding every spelling of a word.
        self._frequency = Counter(w for d in documents for w in set(words(" ".join(_document_text(d)))))
        self._vocabulary = sorted(self._frequency)
        self._vocabulary_lengths = ByLength(self._vocabulary)
        self._spellings: dict[str, dict[str, str]] = {}  # word key -> stem -> the shortest word with that stem
        for word in self._vocabulary:
            stems = self._spellings.setdefault(word_key(word), {})
            if len(word) < len(stems.get(stem(word), word + " ")):
                stems[stem(word)] = word

    # -- the two ways in -------------------------------------------------------------

    def search(self, query: str, *, limit: int = MAX_LIMIT, correct: bool = True) -> Results:
        """Full results for the search page: ranked hits with snippets, the total, and any correction.

        `correct=False` searches the words as typed, for the page's 'search instead for' link.
        """
        query = clean_query(query)
        searched, corrected = self._corrected(query) if correct else (query, None)
        exact = self._names.exact(query)
        named = self._names.exact(" ".join(content_words(searched)))  # 'what does the spinal cord do'
        hits = _merge(self._named([exact, named, *self._names.prefixed(searched, limit=limit)]))
        phrased = self._named(self._phrase_names(searched))
        expression = self._expression(searched)
        total = 0
        if expression:
            matches, expression = self._ranked(expression, limit)
            found = self._hits(matches)
            # The full text's best answer, then the entries a run of the query's words names: a reader asking
            # 'what does effacement of the thecal sac mean' wants Effacement near the top, even where other
            # entries use every word of the question more often.
            hits = _with_passages(_merge(hits, found[:1], phrased), found)
            total = self._fulltext.count(expression)
        else:
            hits = _merge(hits, phrased)
        total = max(total, len(hits))
        return Results(query, hits[:limit], total, corrected, self._page(exact.slug) if exact else None)

    def suggest(self, query: str, *, limit: int = TYPEAHEAD_LIMIT) -> Results:
        """Typeahead: names that start like the query, or like it corrected, or that it spells out, or look like it;
        then the full text.

        Each step runs only while the list is short (likeness only while it is empty),
        so a typical keystroke costs a bisection of the sorted names and nothing more.
        """
        query = clean_query(query)
        exact = self._names.exact(query)
        hits = _merge(self._named([exact, *self._names.prefixed(query, limit=limit)]))
        searched, corrected = query, None
        if len(hits) < limit:
            searched, corrected = self._corrected(query)
            if corrected:
                hits = _merge(hits, self._named(self._names.prefixed(corrected, limit=limit)))
        if len(hits) < limit:  # 'what does acute mean on a scan report' names Acute
            hits = _merge(hits, self._named(self._phrase_names(searched)))
        if not hits:  # likeness scores every name (milliseconds at 10,000 entries): only when all else failed
            hits = self._named(self._names.alike(searched, limit=limit))
        if len(hits) < limit and (expression := self._expression(searched)):
            # Entries with only some of the words are ranked over most of the index at 10,000 entries
            # (ten times the cost of all the words): worth it only when nothing else was found.
            hits = _merge(hits, self._hits(self._ranked(expression, limit, loosen=not hits, passages=False)[0]))
        return Results(query, hits[:limit], len(hits[:limit]), corrected, self._page(exact.slug) if exact else None)

    def knows(self, word: str) -> bool:
        """Whether the entries' text uses `word` (folded), in any entry: the report reader's test of a typo."""
        return word in self._frequency

    def closest(self, text: str, *, limit: int = 5) -> list[Page]:
        """Entries whose names look most like `text`: for a mistyped address, or a search with no results."""
        names = self._names.alike(text[:MAX_QUERY], limit=limit * 2)
        pages = {name.slug: self._page(name.slug) for name in names}
        return list(pages.values())[:limit]

    # -- steps -----------------------------------------------------------------------

    def _corrected(self, query: str) -> tuple[str, str | None]:
        """The query with each unknown word replaced by its closest indexed word; the second item says if any was."""
        changed = False
        fixed: list[str] = []
        for word in words(query):
            best = None if self._known(word) else self._nearest(word)
            changed |= best is not None
            fixed.append(best or word)
        corrected = " ".join(fixed)
        return (corrected, corrected) if changed else (query, None)

    def _known(self, word: str) -> bool:
        if word in STOPWORDS or word.isdigit() or word_key(word) in self._spellings:
            return True
        return len(word) >= _MIN_PREFIX and self._prefixed_terms(word, 1) != []

    def _nearest(self, word: str) -> str | None:
        """The indexed word fewest edits away (two at most, one for short words; swapping two letters is one edit).

        On a tie, a word of the same length wins ('tset' is 'test', not 'set'), then the commonest.
        """
        allowed = 0 if len(word) < 4 else 1 if len(word) < 7 else 2
        if not allowed:
            return None
        window = self._vocabulary_lengths.for_edits(word, allowed).texts
        found = process.extract(word, window, scorer=OSA.distance, score_cutoff=allowed, limit=20)
        if not found:
            return None
        return min(found, key=lambda hit: (hit[1], abs(len(hit[0]) - len(word)), -self._frequency[hit[0]]))[0]

    def _phrase_names(self, query: str) -> list[Name]:
        """Names spelt exactly by a run of the query's meaningful words, longest runs first, in query order."""
        tokens = content_words(query)
        taken = [False] * len(tokens)
        found: list[tuple[int, Name]] = []
        for size in range(min(len(tokens), _LONGEST_NAME_WORDS), 0, -1):
            for start in range(len(tokens) - size + 1):
                if any(taken[start : start + size]):
                    continue
                name = self._names.exact(" ".join(tokens[start : start + size]))
                if name is not None:
                    found.append((start, name))
                    taken[start : start + size] = [True] * size
        return [name for _, name in sorted(found, key=lambda item: item[0])]

    def _expression(self, query: str) -> str:
        """An FTS5 expression that needs every meaningful word, each in any of its indexed forms.

        Every term is quoted, so nothing a reader types is read as FTS5 syntax.
        """
        groups = [self._alternatives(word) for word in content_words(query)]
        return " AND ".join(f"({group})" for group in groups if group)

    def _alternatives(self, word: str) -> str:
        terms = list(self._spellings.get(word_key(word), {}).values())
        quoted = [f'"{term}"' for term in terms]
        if not terms and len(word) >= _MIN_PREFIX and self._prefixed_terms(word, 1):
            quoted.append(f'"{word}"*')
        return " OR ".join(quoted) or f'"{word}"'

    def _ranked(
        self, expression: str, limit: int, *, loosen: bool = True, passages: bool = True
    ) -> tuple[list[Match], str]:
        """Entries with every word, in FTS5's rank order; then, if they are too few, entries with any of them.

        Readers add words an entry need not use ('is gadolinium safe'), so a strict
        AND alone would lose the entry they named. The second item is the
        expression whose matches were counted.
        """
        matches = self._fulltext.matches(expression, limit=limit, passages=passages)
        if loosen and len(matches) < limit and " AND " in expression:
            expression = expression.replace(" AND ", " OR ")
            seen = {match.rowid for match in matches}
            more = self._fulltext.matches(expression, limit=limit, passages=passages)
            matches += [match for match in more if match.rowid not in seen][: limit - len(matches)]
        return matches, expression

    def _prefixed_terms(self, prefix: str, limit: int) -> list[str]:
        at = bisect_left(self._vocabulary, prefix)
        return [t for t in self._vocabulary[at : at + limit] if t.startswith(prefix)]

    # -- building hits ---------------------------------------------------------------

    def _page(self, slug: str) -> Page:
        return self._pages[self._rowids[slug]]

    def _named(self, names: Iterable[Name | None]) -> list[Hit]:
        hits = []
        for name in filter(None, names):
            page = self._page(name.slug)
            hits.append(Hit(page, "title" if name.is_title else "alias", name.text, escape(page.entry.summary)))
        return hits

    def _hits(self, matches: list[Match]) -> list[Hit]:
        return [self._hit(match) for match in matches]

    def _hit(self, match: Match) -> Hit:
        page = self._pages[match.rowid]
        if MARK_OPEN in match.title:
            matched, name = "title", page.entry.title
        elif MARK_OPEN in match.aliases:
            alias = next(a for a in match.aliases.split(ALIAS_SEPARATOR) if MARK_OPEN in a)
            matched, name = "alias", alias.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
        else:
            matched, name = ("summary" if MARK_OPEN in match.summary else "body"), page.entry.title
        passage = match.body if matched == "body" and match.body else match.summary
        return Hit(page, matched, name, _marked(passage))


def _merge(*runs: list[Hit]) -> list[Hit]:
    """The runs one after another, each entry once, where it first appears."""
    seen: set[str] = set()
    merged = []
    for hit in (hit for run in runs for hit in run):
        if hit.slug not in seen:
            seen.add(hit.slug)
            merged.append(hit)
    return merged


def _with_passages(named: list[Hit], found: list[Hit]) -> list[Hit]:
    """Name hits first, each showing the passage where the full text found its words; then the rest."""
    passages = {hit.slug: hit.snippet for hit in found}
    named = [replace(hit, snippet=passages.get(hit.slug, hit.snippet)) for hit in named]
    return _merge(named, found)


def _marked(passage: str) -> SafeString:
    """Escape the passage, then turn FTS5's markers into <mark>: the reader's words never reach the page raw."""
    return mark_safe(escape(passage).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def _document_text(document: Document) -> tuple[str, ...]:
    return (document.title, *document.aliases, document.summary, document.body)


def _text(html: str) -> str:
    """The words of an entry's rendered body (its HTML is our own sanitised output, so tags are well formed)."""
    text = _TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", html))
    return _SPACE_RE.sub(" ", unescape(text)).strip()
