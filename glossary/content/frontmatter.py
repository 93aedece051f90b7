"""Turn one entry file's text into an Entry, or into problems that name the line to fix."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

import yaml

from glossary.content.entries import CATEGORIES, SLUG_RE, Entry, name_key
from glossary.content.problems import Problem, problem
from glossary.content.yamlfields import ComposeError, Fault, FieldError, FieldSpec, compose, read_fields

FENCE = "---"


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FieldError("expected text")
    return " ".join(value.split())


def _category(value: Any) -> str:
    if not isinstance(value, str) or value not in CATEGORIES:
        raise FieldError(f"expected one of: {', '.join(CATEGORIES)}")
    return value


def _names(value: Any) -> tuple[str, ...]:
    items = _list(value)
    for item in items:
        if not isinstance(item, str) or not name_key(item):
            raise FieldError(f"expected names with letters or digits, got {item!r}")
    return tuple(" ".join(item.split()) for item in items)


def _slugs(value: Any) -> tuple[str, ...]:
    items = _list(value)
    for item in items:
        if not isinstance(item, str) or not SLUG_RE.match(item):
            raise FieldError(f"expected slugs such as 'spinal-cord', got {item!r}")
    return tuple(items)


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise FieldError("expected a list such as [a, b]")
    return value


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise FieldError("expected a date written YYYY-MM-DD")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldError("expected true or false")
    return value


FIELDS: dict[str, FieldSpec] = {
    "title": FieldSpec(_text, required=True),
    "summary": FieldSpec(_text, required=True),
    "category": FieldSpec(_category, required=True),
    "aliases": FieldSpec(_names),
    "forms": FieldSpec(_names),
    "pronunciation": FieldSpec(_text),
    "etymology": FieldSpec(_text),
    "related": FieldSpec(_slugs),
    "references": FieldSpec(_slugs),
    "reviewed": FieldSpec(_date),
    "reviewed_by": FieldSpec(_text),
    "autolink": FieldSpec(_bool),
}


def parse_entry(path: Path, text: str) -> tuple[Entry | None, list[Problem]]:
    """Parse one file; an entry comes back only when its front matter has no error."""
    problems: list[Problem] = []
    if not SLUG_RE.match(path.stem):
        problems.append(problem("E010", path, None, f"File name {path.name!r} is not a valid slug."))
    if not text.strip():
        return None, [*problems, problem("E003", path, 1, "The file is empty.")]
    lines = text.splitlines()
    if lines[0].strip() != FENCE:
        return None, [*problems, problem("E004", path, 1, "The file does not start with '---'.")]
    close = next((i for i in range(1, len(lines)) if lines[i].strip() == FENCE), None)
    if close is None:
        return None, [*problems, problem("E004", path, 1, "The front matter has no closing '---'.")]

    try:
        root = compose("\n".join(lines[1:close]), first_line=2)
    except ComposeError as exc:
        return None, [*problems, problem("E005", path, exc.line, f"YAML error: {exc}.")]
    if root is None:  # '---' then '---': no fields at all, so each required one is reported missing
        root = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(root, yaml.MappingNode):
        return None, [*problems, problem("E006", path, 2, "The front matter must be 'key: value' lines.")]
    fields = read_fields(root, FIELDS, first_line=2, owner_line=1)
    problems += [_fault_problem(path, *fault) for fault in fields.faults]
    if any(p.is_error for p in problems):
        return None, problems
    entry = Entry(
        slug=path.stem,
        path=path,
        body="\n".join(lines[close + 1 :]),
        body_line=close + 2,
        lines=fields.lines,
        **fields.values,
    )
    return entry, problems


_FAULT_CODES = {Fault.UNKNOWN: "E007", Fault.DUPLICATE: "E006", Fault.INVALID: "E009", Fault.MISSING: "E008"}


def _fault_problem(path: Path, fault: Fault, key: str, line: int, detail: str) -> Problem:
    hint = _unknown_hint(key) if fault is Fault.UNKNOWN else None
    return problem(_FAULT_CODES[fault], path, line, detail[0].upper() + detail[1:] + ".", hint)


def _unknown_hint(key: str) -> str:
    close = difflib.get_close_matches(key, FIELDS, n=1)
    suggestion = f"Did you mean {close[0]!r}? " if close else ""
    return f"{suggestion}Fields are: {', '.join(FIELDS)}."
