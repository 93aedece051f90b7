"""Cache digests (glossary/cache/versions.py): a kept render must not outlive the code that made it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import glossary
from glossary.cache import versions
from glossary.content import rendercache

PACKAGE = Path(glossary.__file__).resolve().parent


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the glossary package's code, to move and edit freely."""
    copy = tmp_path / "glossary"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_render_version_is_the_same_for_the_same_code(package: Path) -> None:
    assert rendercache.code_version(package) == rendercache.code_version(PACKAGE)


def test_editing_a_module_of_the_content_stage_changes_the_render_version(package: Path) -> None:
    before = rendercache.code_version(package)
    markup = package / "content" / "markup.py"
    markup.write_text(markup.read_text() + "\n# edited\n")
    assert rendercache.code_version(package) != before


def test_a_module_added_to_the_content_stage_changes_the_render_version(package: Path) -> None:
    before = rendercache.code_version(package)
    (package / "content" / "newrule.py").write_text('"""A rule the renderer might import."""\n')
    assert rendercache.code_version(package) != before


def test_moving_a_module_to_another_folder_changes_the_render_version(package: Path) -> None:
    """The defect this digest fixes: files were named without their folder, so a module moved between
    subpackages, then edited, left the version as it was and old HTML was served."""
    before = rendercache.code_version(package)
    (package / "content" / "helpers").mkdir()
    shutil.move(package / "content" / "syntax.py", package / "content" / "helpers" / "syntax.py")
    assert rendercache.code_version(package) != before


def test_renaming_a_module_changes_the_render_version(package: Path) -> None:
    before = rendercache.code_version(package)
    shutil.move(package / "content" / "lint.py", package / "content" / "scan.py")
    assert rendercache.code_version(package) != before


def test_code_outside_the_content_stage_leaves_rendered_entries_valid(package: Path) -> None:
    before = rendercache.code_version(package)
    views = package / "web" / "views.py"
    views.write_text(views.read_text() + "\n# edited\n")
    assert rendercache.code_version(package) == before


def test_a_named_file_that_cannot_be_read_is_an_error_not_a_constant(tmp_path: Path) -> None:
    with pytest.raises(versions.MissingInput, match=r"gone\.py"):
        versions.code([("glossary/gone.py", tmp_path / "gone.py")], ())


def test_a_package_with_no_code_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(versions.MissingInput, match="no Python files"):
        versions.python_files(tmp_path / "empty")


def test_a_file_deleted_from_a_content_folder_changes_its_digest(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a")
    (tmp_path / "b.md").write_text("b")
    both = versions.folder(tmp_path).hexdigest()
    (tmp_path / "b.md").unlink()
    assert versions.folder(tmp_path).hexdigest() != both
