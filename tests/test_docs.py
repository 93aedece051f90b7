"""The docs stay true to the code: every problem id is documented for editors."""

from __future__ import annotations

from django.conf import settings

from glossary.frontmatter import FIELDS
from glossary.problems import CATALOGUE


def test_contributing_documents_every_problem_id_and_field() -> None:
    text = (settings.BASE_DIR / "CONTRIBUTING.md").read_text()
    assert [code for code in CATALOGUE if f"`glossary.{code}`" not in text] == []
    assert [field for field in FIELDS if f"| `{field}` |" not in text] == []
