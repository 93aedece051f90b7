"""Read a YAML mapping through a table of field parsers, keeping the line of every field.

Front matter and references.yaml both need the same thing: each key checked
against a table, each value parsed, and every failure reported with its line
(PyYAML's composer keeps node positions; plain `safe_load` throws them away).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import yaml


class FieldError(ValueError):
    """A field's value is unusable; the message says what was expected."""


class Fault(Enum):
    UNKNOWN = "unknown field"
    DUPLICATE = "field given twice"
    INVALID = "bad value"
    MISSING = "required field missing"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    parse: Callable[[Any], Any]
    required: bool = False


@dataclass
class Fields:
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    faults: list[tuple[Fault, str, int, str]] = field(default_factory=list)  # (fault, key, line, detail)


# libyaml's loader is about ten times faster and keeps the same line marks; PyYAML's
# wheels ship it, and the pure-Python loader stands in where a build lacks it.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ComposeError(ValueError):
    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(reason)
        self.line = line


def compose(text: str, *, first_line: int) -> yaml.Node | None:
    """Parse YAML to a node tree; `first_line` is the file line of the text's first line."""
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise ComposeError(first_line + mark.line if mark else first_line, reason) from exc


def read_fields(node: yaml.MappingNode, specs: Mapping[str, FieldSpec], *, first_line: int, owner_line: int) -> Fields:
    """`owner_line` is blamed for a missing field: the front matter's fence, or a reference's key."""
    result = Fields()
    for key_node, value_node in node.value:
        key, line = str(key_node.value), first_line + key_node.start_mark.line
        spec = specs.get(key)
        if spec is None:
            result.faults.append((Fault.UNKNOWN, key, line, f"unknown field {key!r}"))
        elif key in result.lines:
            result.faults.append((Fault.DUPLICATE, key, line, f"field {key!r} appears twice"))
        else:
            result.lines[key] = line
            try:
                result.values[key] = spec.parse(construct(value_node))
            except Exception as exc:  # any value an editor writes is a content error, never a crash
                result.faults.append((Fault.INVALID, key, line, f"field {key!r}: {exc}"))
    for key, spec in specs.items():
        if spec.required and key not in result.lines:
            result.faults.append((Fault.MISSING, key, owner_line, f"required field {key!r} is missing"))
    return result


def construct(node: yaml.Node) -> Any:
    """The Python value of one node (dates included), built by PyYAML's safe constructor."""
    return yaml.constructor.SafeConstructor().construct_document(node)
