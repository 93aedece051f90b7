"""A ranked full-text index of the entries in SQLite FTS5, held in memory.

FTS5 gives BM25 ranking, Porter stemming, prefix queries and snippets from
Python's standard library. The index holds the original text, so snippets quote
the entry as written. Porter joins the forms of a word (tests, testing) into one
term; spellings it cannot join (tumour, tumor) are joined by the caller, which
adds each spelling of a query word to the expression (see textfold).

One connection is shared by every thread of the process; a lock serialises the
queries, each of which takes a few milliseconds.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from glossary.search.textfold import without_controls

# Markers FTS5 puts around matched words. They are control characters, which are
# stripped from the indexed text, so they cannot occur in it.
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"
ALIAS_SEPARATOR = "\u2029"  # a paragraph separator: never in a name, and not a control character

# Column weights for BM25: a word in the title outweighs the same word in an alias,
# then in the summary, then in the body, as readers expect the ranking to run.
_COLUMNS = ("title", "aliases", "summary", "body")
_WEIGHTS = (40.0, 30.0, 6.0, 1.0)
SNIPPET_TOKENS = 14


@dataclass(frozen=True, slots=True)
class Document:
    rowid: int
    title: str
    aliases: tuple[str, ...]
    summary: str
    body: str


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked row: each column with its matched words between MARK_OPEN and MARK_CLOSE."""

    rowid: int
    title: str
    aliases: str
    summary: str
    body: str  # a snippet of about SNIPPET_TOKENS words, not the whole body


class FullText:
    def __init__(self, documents: Iterable[Document]) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        columns = ", ".join(_COLUMNS)
        self._db.execute(
            f"CREATE VIRTUAL TABLE docs USING fts5({columns}, "
            "tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3 4')"
        )
        weights = ", ".join(str(w) for w in _WEIGHTS)
        self._db.execute("INSERT INTO docs(docs, rank) VALUES ('rank', ?)", (f"bm25({weights})",))
        self._db.executemany(
            f"INSERT INTO docs(rowid, {columns}) VALUES (?, ?, ?, ?, ?)",
            (
                (
                    d.rowid,
                    without_controls(d.title),
                    ALIAS_SEPARATOR.join(map(without_controls, d.aliases)),
                    without_controls(d.summary),
                    without_controls(d.body),
                )
                for d in documents
            ),
        )
        self._db.execute("INSERT INTO docs(docs) VALUES ('optimize')")

    def __getstate__(self) -> dict[str, object]:
        """For snapshot.py: the database as bytes (an open connection cannot be pickled), and no lock."""
        with self._lock:
            self._db.commit()  # an open transaction would leave the copy incomplete
            self._db.execute("VACUUM")  # drop the pages FTS5's merges freed: 4 MB of 67 at 10,000 entries
            return {"database": self._db.serialize()}

    def __setstate__(self, state: dict[str, object]) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.deserialize(state["database"])  # type: ignore[arg-type]
        self._lock = threading.Lock()

    def matches(self, expression: str, *, limit: int, passages: bool = True) -> list[Match]:
        """The best `limit` rows for an FTS5 expression, ordered by FTS5's own rank (weighted BM25).

        `passages=False` leaves each match's body empty: cutting a passage out of every body
        is about a sixth of the cost of a typeahead's query, and a suggestion shows none.
        """
        body = "snippet(docs, 3, ?1, ?2, '…', ?3)" if passages else "''"
        sql = (
            "SELECT rowid, highlight(docs, 0, ?1, ?2), highlight(docs, 1, ?1, ?2), highlight(docs, 2, ?1, ?2), "
            f"{body} FROM docs WHERE docs MATCH ?4 ORDER BY rank LIMIT ?5"
        )
        with self._lock:
            rows = self._db.execute(sql, (MARK_OPEN, MARK_CLOSE, SNIPPET_TOKENS, expression, limit)).fetchall()
        return [Match(*row) for row in rows]

    def count(self, expression: str) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (expression,)).fetchone()[0]
