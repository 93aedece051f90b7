"""Misspelt long words in a report are read as the glossary word they nearly are, and real words never are."""

from __future__ import annotations

import pytest

from glossary.explain.misspelt import Misspellings

NAMES = [("spondylolisthesis", "spondylolisthesis"), ("vertebra", "vertebra"), ("inferior", "inferior")]
KNOWN = {"the", "vertebrae", "desiccated"}


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.slug) for m in Misspellings(NAMES, KNOWN.__contains__).find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Grade 1 SPONDYLOLITHESIS at L4-5.", [("SPONDYLOLITHESIS", "spondylolisthesis")]),  # a letter dropped
        ("the L3 vetrebra", [("vetrebra", "vertebra")]),  # two letters swapped
        ("the L3 vertebra", []),  # spelt right: the name matcher's business, not this one's
        ("the interior of the bone", []),  # an English word one letter from 'inferior'
        ("vertebrae", []),  # a word the glossary's text uses
        ("the L3 vertebr", []),  # seven letters: too short to be sure
        ("L3 wertebra", []),  # not the same first letter
        ("spondylolystesis", []),  # two edits away
    ],
)
def test_a_misspelling_is_read_only_when_it_can_be_nothing_else(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected
