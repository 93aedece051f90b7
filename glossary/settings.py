"""Site configuration, read from the environment with safe local defaults."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else default


# Off by default so that a local run shows readers' pages (the real 404, not a traceback).
DEBUG = _env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "local-development-only-not-secret")
ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# The content folder is the source of truth; there is no database.
GLOSSARY_CONTENT_DIR = Path(os.environ.get("GLOSSARY_CONTENT_DIR", BASE_DIR / "content")).resolve()

# An editor's preview (`make run` sets it): the pages of entries with errors say what to fix
# (glossary/preview.py), and saved files show on the next page load. Never on in production.
GLOSSARY_PREVIEW = _env_bool("GLOSSARY_PREVIEW", False)

INSTALLED_APPS = [
    "glossary.apps.GlossaryConfig",  # first, so its runserver (preview) wins over staticfiles' own
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # only for its sitemap.xml template
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "glossary.preview.ContentErrorMiddleware",
]

ROOT_URLCONF = "glossary.urls"
WSGI_APPLICATION = "glossary.wsgi.application"
DATABASES: dict[str, dict[str, str]] = {}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,  # django.contrib.sitemaps brings sitemap.xml
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "glossary.context.site",
                "glossary.preview.notice",
            ],
        },
    }
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# "Edit this page" on each entry (glossary/editing.py): an https:// URL where {path} becomes the entry
# file's path from the repository root, e.g. https://github.com/OWNER/REPO/edit/main/{path}. Unset: no link.
from glossary.editing import validated as _validated_edit_url  # noqa: E402

GLOSSARY_EDIT_URL = _validated_edit_url(os.environ.get("GLOSSARY_EDIT_URL"))
