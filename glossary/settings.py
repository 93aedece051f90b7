"""Site configuration, read from the environment with safe local defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from glossary.explain.limits import MAX_BODY_BYTES as _MAX_BODY_BYTES
from glossary.web.security import secret_key_problem

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in _TRUE


def _env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else default


# Three modes, chosen by DJANGO_DEBUG (README, "Settings"):
# - unset (or empty): local. DEBUG is off, so a local run shows readers' real 404 pages; the development
#   key is allowed and there is no HTTPS redirect or HSTS, so `make run` and `make test` need no variables.
# - true ("1", "true", "yes", "on"): debug. Django's tracebacks and debug pages; never in production.
# - false ("0", "false", "no", "off"): production. Start-up stops unless DJANGO_SECRET_KEY is strong and
#   DJANGO_ALLOWED_HOSTS is set; plain HTTP is redirected to HTTPS and HSTS is sent.
# Any other value stops start-up rather than guess which was meant.
_DEBUG_ENV = os.environ.get("DJANGO_DEBUG", "").strip().lower()
if _DEBUG_ENV and _DEBUG_ENV not in _TRUE | _FALSE:
    raise ImproperlyConfigured(
        f"DJANGO_DEBUG={_DEBUG_ENV!r} is neither true (1, true, yes, on) nor false (0, false, no, off; production)."
    )
PRODUCTION = _DEBUG_ENV in _FALSE
DEBUG = _DEBUG_ENV in _TRUE

_DEVELOPMENT_KEY = "local-development-only-not-secret"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if PRODUCTION and (_key_problem := secret_key_problem(SECRET_KEY, _DEVELOPMENT_KEY)):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY {_key_problem}. In production (DJANGO_DEBUG={_DEBUG_ENV}) it must be a random key of at"
        " least 50 characters, kept secret; make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
SECRET_KEY = SECRET_KEY or _DEVELOPMENT_KEY
if PRODUCTION and not os.environ.get("DJANGO_ALLOWED_HOSTS", "").strip():
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. In production it must list the site's host names, comma-separated."
    )
ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# HTTPS, in production only: redirect plain HTTP, and HSTS for a year, subdomains included. Preloading is
# a promise browsers ship and that is slow to undo, so only DJANGO_HSTS_PRELOAD=1 adds `preload` (until
# then `check --deploy` says security.W021, the one warning left, as a reminder of that choice).
# DJANGO_SSL_REDIRECT=0 turns the redirect off, for `make serve` on 127.0.0.1 over plain HTTP (docs/deploy.md).
SECURE_SSL_REDIRECT = PRODUCTION and _env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION and _env_bool("DJANGO_HSTS_PRELOAD", False)
# Behind a proxy that terminates TLS and sets X-Forwarded-Proto (stripping any the client sent), trust it:
# DJANGO_TRUST_X_FORWARDED_PROTO=1. Without a proxy that strips it, a client could claim HTTPS; leave it unset.
if _env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Response headers in every mode (SecurityMiddleware, XFrameOptionsMiddleware; more in glossary/web/security.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_SECURE = PRODUCTION  # never set (see MIDDLEWARE), but HTTPS-only should that change

# Content-Security-Policy (django-csp), in every mode so the browser tests meet it: the site's own scripts,
# styles, images, fonts and API only; no inline script or style, no eval, no data: URLs, no frames, no
# plugins. The QR code is inline SVG markup, not an image, and the JSON-LD <script> is data, never run.
# The figure view sends its own stricter policy (glossary/web/views.py, FIGURE_CSP), which this leaves alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# The site's name wherever it shows: pages (templates get it as `site_name`), the feed, the JSON-LD, the handout.
GLOSSARY_SITE_NAME = "Spine imaging glossary"

# The content folder is the source of truth; there is no database.
GLOSSARY_CONTENT_DIR = Path(os.environ.get("GLOSSARY_CONTENT_DIR", BASE_DIR / "content")).resolve()

# An editor's preview (`make run` sets it): the pages of entries with errors say what to fix
# (glossary/web/preview.py), and saved files show on the next page load. Never on in production.
GLOSSARY_PREVIEW = _env_bool("GLOSSARY_PREVIEW", False)

INSTALLED_APPS = [
    "glossary.apps.GlossaryConfig",  # first, so its runserver (preview) wins over staticfiles' own
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # only for its sitemap.xml template
    "csp",  # django-csp's own checks of its settings
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files answer here, before the page headers below
    "glossary.web.security.SiteSecurityMiddleware",  # GET and HEAD only, CORP, Permissions-Policy, no cookies
    # Pages kept in memory answer here (glossary/web/caching.py). The headers of every middleware below are kept
    # with a page and sent again, so whatever is made per request (a nonce, a cookie) belongs above this line.
    "glossary.web.caching.KeptPagesMiddleware",
    # Inert here, kept as a second lock should another form ever post: the site refuses every unsafe method
    # above but the report reader's POST, which is csrf_exempt (glossary/web/explain.py says why), and the
    # cookie it sets when a client sends a malformed one is dropped there too.
    "django.middleware.csrf.CsrfViewMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "glossary.web.preview.ContentErrorMiddleware",
]

# The report reader's request body (glossary/explain/limits.py); the view refuses a larger one before reading
# it, and this is Django's own lock behind that. No view reads any other body.
DATA_UPLOAD_MAX_MEMORY_SIZE = _MAX_BODY_BYTES

ROOT_URLCONF = "glossary.urls"
WSGI_APPLICATION = "glossary.wsgi.application"
DATABASES: dict[str, dict[str, str]] = {}

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,  # django.contrib.sitemaps brings sitemap.xml
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "glossary.web.context.site",
                "glossary.web.preview.notice",
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
# Where collectstatic writes and WhiteNoise serves from; with DEBUG off the site will not start without
# collectstatic's manifest there (glossary/checks.py, glossary.S001).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles").resolve()
STORAGES = {
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# "Edit this page" on each entry (glossary/web/editing.py): an https:// URL where {path} becomes the entry
# file's path from the repository root, e.g. https://github.com/OWNER/REPO/edit/main/{path}. Unset: no link.
from glossary.web.editing import validated as _validated_edit_url  # noqa: E402

GLOSSARY_EDIT_URL = _validated_edit_url(os.environ.get("GLOSSARY_EDIT_URL"))
