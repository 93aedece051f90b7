"""The ids an entry page gives itself are the ones the heading check (E029) keeps body headings from taking."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from glossary.content.entries import PAGE_IDS, REFERENCE_ID_PREFIX
from glossary.content.loader import load
from glossary.serving import store

ENTRY = "---\ntitle: Alpha term\nsummary: A test entry.\ncategory: anatomy\n---\n\n"


def test_page_ids_are_the_ids_the_page_adds_to_the_body(client: Client) -> None:
    """alpha-term's page has every section the template can add, references included."""
    html = client.get("/terms/alpha-term/").content.decode()
    body_ids = {section.id for section in store.glossary().pages["alpha-term"].sections}
    page_ids = set(re.findall(r'\bid="([^"]+)"', html)) - body_ids
    reference_ids = {found for found in page_ids if found.startswith(REFERENCE_ID_PREFIX)}

    assert page_ids - reference_ids == PAGE_IDS
    assert reference_ids == {f"{REFERENCE_ID_PREFIX}{key}" for key in store.glossary().pages["alpha-term"].citations}


@pytest.mark.parametrize(
    ("heading", "clashes"),
    [
        ("## References", True),
        ("### See *also*", True),
        ("## In short ##", True),
        ("## Ref tetreault 2013", True),
        ("## Referencing a scan", False),
    ],
)
def test_a_body_heading_may_not_take_a_page_id(tmp_path: Path, heading: str, clashes: bool) -> None:
    (tmp_path / "terms").mkdir()
    (tmp_path / "terms" / "alpha-term.md").write_text(f"{ENTRY}## What it is\n\nText.\n\n{heading}\n\nMore.\n")

    found = [(p.code, p.line) for p in load(tmp_path).problems if p.code == "E029"]

    assert found == ([("E029", 11)] if clashes else [])
