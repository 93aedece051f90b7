"""Read references.yaml into Reference values, with the line of every key for error messages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from glossary.content.entries import SLUG_RE, Reference
from glossary.content.problems import Problem, problem
from glossary.content.yamlfields import ComposeError, Fault, FieldError, FieldSpec, compose, read_fields

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
IDENTIFIERS = frozenset({"doi", "pmid"})  # a wrong shape has its own id (E027): a copied address, not a typo


def _authors(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(a, str) and a.strip() for a in value):
        raise FieldError("expected a list of author names, such as [Smith AB, Jones C]")
    return tuple(a.strip() for a in value)


def _text(value: Any) -> str:
    if not isinstance(value, str | int) or not str(value).strip():
        raise FieldError("expected text")
    return " ".join(str(value).split())


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1800 <= value <= 2100:
        raise FieldError("expected a four-digit year")
    return value


def _pattern(regex: re.Pattern[str], example: str):
    """Identifiers must be YAML text: unquoted, `0123` would be read as octal 83 and pass as another PMID."""

    def parse(value: Any) -> str:
        if not isinstance(value, str) or not regex.match(value.strip()):
            raise FieldError(f"expected the form {example}")
        return value.strip()

    return parse


def _url(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith("https://"):
        raise FieldError("expected an https:// address")
    return value


FIELDS = {
    "authors": FieldSpec(_authors, required=True),
    "title": FieldSpec(_text, required=True),
    "container": FieldSpec(_text, required=True),
    "year": FieldSpec(_year, required=True),
    "doi": FieldSpec(_pattern(DOI_RE, "10.1097/BRS.0b013e3182a7eae0 (without https://doi.org/)")),
    "pmid": FieldSpec(_pattern(PMID_RE, "23963009 (digits only, in quotes)")),
    "url": FieldSpec(_url),
}


def parse_references(path: Path, text: str) -> tuple[dict[str, Reference], list[Problem]]:
    """Every reference that is wholly valid, and a problem for each one that is not."""
    try:
        root = compose(text, first_line=1)
    except ComposeError as exc:
        return {}, [problem("E021", path, exc.line, f"YAML error: {exc}.")]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [problem("E021", path, 1, "The file must map citation keys to references.")]

    references: dict[str, Reference] = {}
    problems: list[Problem] = []
    for key_node, value_node in root.value:
        key, line = str(key_node.value), key_node.start_mark.line + 1
        if not SLUG_RE.match(key) or key in references:
            why = "appears twice" if key in references else "is not valid"
            problems.append(problem("E022", path, line, f"Citation key {key!r} {why}."))
            continue
        if not isinstance(value_node, yaml.MappingNode):
            problems.append(problem("E023", path, line, f"Reference {key!r} must be a set of fields."))
            continue
        fields = read_fields(value_node, FIELDS, first_line=1, owner_line=line)
        if fields.faults:
            problems += [
                problem(_fault_code(fault, field), path, at, f"Reference {key!r}: {detail}.")
                for fault, field, at, detail in fields.faults
            ]
            continue
        references[key] = Reference(key=key, path=path, line=line, **fields.values)
    return references, problems


def _fault_code(fault: Fault, field: str) -> str:
    return "E027" if fault is Fault.INVALID and field in IDENTIFIERS else "E023"
