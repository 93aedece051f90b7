"""The "Edit this page" link: where an entry's file can be edited, from the GLOSSARY_EDIT_URL setting.

The setting is an https:// URL with `{path}` in it, such as
`https://github.com/OWNER/REPO/edit/main/{path}`. `{path}` becomes the entry file's path
from the repository root, with forward slashes (`content/terms/myelogram.md`): from the
project folder (BASE_DIR) when the content folder is inside it, else from the content
folder's parent, as for a separate repository with the content folder at its root.
Unset or empty, there is no link.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PLACEHOLDER = "{path}"


def validated(value: str | None) -> str | None:
    """The setting's value, or None when unset or empty; anything but an https:// URL with {path} is refused."""
    value = (value or "").strip()
    if not value:
        return None
    if urlsplit(value).scheme != "https" or not urlsplit(value).netloc or PLACEHOLDER not in value:
        raise ImproperlyConfigured(
            f"GLOSSARY_EDIT_URL must be an https:// URL containing {PLACEHOLDER}, such as "
            f"https://github.com/OWNER/REPO/edit/main/{PLACEHOLDER}; got {value!r}. Leave it unset for no link."
        )
    return value


def repository_path(file: Path, content_dir: Path, base_dir: Path) -> str:
    """`file`'s path from the repository root, with forward slashes."""
    content_dir, base_dir = content_dir.resolve(), base_dir.resolve()
    root = base_dir if content_dir.is_relative_to(base_dir) else content_dir.parent
    return file.resolve().relative_to(root).as_posix()


def edit_url(file: Path) -> str | None:
    """Where to edit `file`, or None when GLOSSARY_EDIT_URL is not set."""
    template = getattr(settings, "GLOSSARY_EDIT_URL", None)
    if not template:
        return None
    path = repository_path(file, Path(settings.GLOSSARY_CONTENT_DIR), Path(settings.BASE_DIR))
    # replace, not format: other braces in the URL stay as they are.
    return template.replace(PLACEHOLDER, quote(path))
