"""HTTP caching of the site's answers: validators, Cache-Control, and rendered pages kept in memory.

Every answer of a page view is a function of the request's scheme, host, path and query
string and of the *page version*: the content load (store.content_version), the code that
renders it (this release's Python, templates, static manifest and the versions of the
libraries that write HTML), the settings that show on pages, and today's date (an entry's
"Cite this page" says when it was accessed). So:

- the ETag is the page version, plus a digest of the query string when there is one. It
  changes whenever anything a page shows may have changed, and is the same on every worker
  and every server of one release, so a CDN or browser revalidating against any of them gets
  a 304 for a page that did not change;
- Last-Modified is when the process loaded the content, or the start of today if later
  (the accessed date changes then). It is never earlier than the page's last change, so a
  client that only sends If-Modified-Since never keeps a stale page; after a restart it
  fetches each page once more;
- `Cache-Control: public, max-age=300` lets browsers and CDNs keep any page for five
  minutes, then revalidate; a 404 is kept one minute (an entry published since shows soon);
  /healthz is `no-store`, as the health check must reach the process;
- the answer of a `page` view is kept in memory per page version, scheme, host and path,
  with the headers of the middleware below KeptPagesMiddleware, which answers the next
  request for it before any URL resolving, view, template or header building: about 0.09 ms
  in one process, against 2.5 ms to render the page (WhiteNoise sends a file of the same
  size in 0.11 ms). The scheme and host are in the key because canonical, share and QR-code
  URLs are absolute. The memory is bounded (MAX_BYTES, least recently used first out), since
  the host may carry any port;
- an answer that reads the query string (search, the search API, the sitemap's pages, and a
  page reached from search, whose search box shows `q`) is kept too, keyed by the query
  string as sent, in a memory of its own (QUERY_MAX_BYTES): readers repeat searches (a
  term's name, the first letters the typeahead sends), but anyone can send endless new
  ones, and those must not push the entry pages out. A search answer costs 1-3 ms to make;
  under the load test's mix of pages and searches, keeping them is what holds p99 down.

In an editor's preview, or with DEBUG on, files change under the running process (content,
and templates, which runserver reloads without a restart), so nothing is kept: pages carry
no validator and `Cache-Control: no-cache`, and every request renders afresh.

Why a dict and not Django's cache framework: LocMemCache pickles every value, and
`cache_page` stores the whole HttpResponse: measured at about 23 µs to fetch a 17 KB entry
page, against 4 µs here for the dict hit and a new HttpResponse; `cache_page` also keys on
the full URL, query string included, and sets its own max-age and Expires; and Django's
FetchFromCacheMiddleware goes last in MIDDLEWARE, so every other one still runs on a hit. Keying on the
page version drops every page of a previous load by itself. docs/deploy.md has the numbers.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from functools import cache, wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import get_template
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date
from django.views.decorators.http import condition

from glossary.cache import versions
from glossary.serving import store

PAGE_MAX_AGE = 300  # seconds a browser or CDN may keep a page before revalidating
NOT_FOUND_MAX_AGE = 60  # a 404: short, so an entry published since shows soon
MAX_BYTES = 32 * 2**20  # rendered pages kept per process; the bundled site is well under 1 MiB per host
QUERY_MAX_BYTES = 8 * 2**20  # answers to queries kept per process, apart from the pages
MAX_PAGE_BYTES = 2 * 2**20  # a larger answer is never kept

# The libraries whose versions change the HTML a page is rendered to.
_RENDERING_LIBRARIES = ("django", "markdown", "nh3", "segno")

View = Callable[..., HttpResponseBase]

# The attribute through which the answer of a `page` or `cacheable` view tells KeptPagesMiddleware which memory
# keeps it: on the response, as Django's own xframe_options_exempt, so it travels with the answer it describes.
_KEEP_IN = "glossary_keep_in"


def live() -> bool:
    """Files may change under this process (a preview, or DEBUG with runserver): keep nothing."""
    return bool(settings.DEBUG or getattr(settings, "GLOSSARY_PREVIEW", False))


def page_version() -> str:
    """What every answer depends on besides its URL: the content load, the code, the settings shown, the date."""
    return _validators()[0]


def _validators() -> tuple[str, datetime]:
    """The page version and Last-Modified. Outside a preview the content never reloads and settings change
    only in tests (which forget these), so they are worked out once a day, not on every request."""
    state = _state
    if state is None or time.time() >= state[2]:
        today = _today()
        parts = (store.content_version(), code_version(), str(settings.GLOSSARY_EDIT_URL), today.isoformat())
        midnight = datetime.combine(today, dt_time.min, tzinfo=timezone.get_current_timezone())
        tomorrow = datetime.combine(today + timedelta(days=1), dt_time.min, tzinfo=midnight.tzinfo)
        state = (_digest("\0".join(parts)), max(store.loaded_at(), midnight.astimezone(UTC)), tomorrow.timestamp())
        if not live():
            _remember(state)
    return state[0], state[1]


_state: tuple[str, datetime, float] | None = None


def _remember(state: tuple[str, datetime, float] | None) -> None:
    global _state
    _state = state


@cache
def code_version() -> str:
    """This release's code as it renders pages: its Python, its templates, its static manifest (templates
    link hashed static files) and the rendering libraries' versions. Worked out once per process."""
    root = Path(settings.BASE_DIR)
    templates = [(path.relative_to(root).as_posix(), path) for path in sorted((root / "templates").rglob("*"))]
    named = [*versions.python_files(root / "glossary"), *(t for t in templates if t[1].is_file())]
    # With DEBUG on, pages link static files by their plain names and no manifest is read; with it off,
    # start-up refuses to run without one (glossary.S001), so a page here always depends on it.
    if not settings.DEBUG:
        named.append(("staticfiles.json", Path(settings.STATIC_ROOT) / "staticfiles.json"))
    return versions.code(named, _RENDERING_LIBRARIES)[:32]


def warm() -> None:
    """Before gunicorn forks (wsgi.py): work out the page version and compile every template, so the
    workers share them and none spends its first request on it (about 50 ms each)."""
    page_version()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            get_template(path.relative_to(folder).as_posix())


def page(view: View) -> View:
    """For a view that reads nothing from the query string but the search box's `q`: validators,
    Cache-Control, and its rendered answer kept in memory (see the module's notes)."""
    return _cacheable(view, reads_query=False)


def cacheable(view: View) -> View:
    """For a view whose answer depends on its whole query string (search, the search API, the sitemap's
    pages) or streams (figures, never kept): as `page`, but kept under the query string as sent."""
    return _cacheable(view, reads_query=True)


def not_found(view: View) -> View:
    """For the 404 handler: kept a minute by browsers and CDNs, so an entry published since shows soon."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if live():
            patch_cache_control(response, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=NOT_FOUND_MAX_AGE)
        return response

    return wrapped


def _cacheable(view: View, *, reads_query: bool) -> View:
    validated = _own_validators(view)
    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(validated)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if live():
            response = view(request, *args, **kwargs)
            patch_cache_control(response, no_cache=True)
            return response
        response = conditional(request, *args, **kwargs)
        # KeptPagesMiddleware keeps the answer: by its path alone, unless it reads the query string (the
        # search box shows `q`, and an entry reached from search says so).
        setattr(response, _KEEP_IN, queries if reads_query or request.GET.get("q") else pages)
        if response.status_code in (404, 410):
            patch_cache_control(response, public=True, max_age=NOT_FOUND_MAX_AGE)
        else:
            patch_cache_control(response, public=True, max_age=PAGE_MAX_AGE)
        return response

    return wrapped


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    """The page version; with a query string, a digest of it too (each is a URL of its own, but says so)."""
    version = page_version()
    query = request.META.get("QUERY_STRING", "")
    return f"{version}-{_digest(query)[:16]}" if query else version


def _last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime:
    return _validators()[1]


def _own_validators(view: View) -> View:
    """Drop a Last-Modified the view set itself (the feed's: its newest entry), so a client's
    If-Modified-Since is always compared with the date this answer says."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        del response["Last-Modified"]
        return response

    return wrapped


class KeptPagesMiddleware:
    """Answers a GET or HEAD for a page kept in memory at once, and keeps the answers of `page` views.

    It sits in MIDDLEWARE below the middleware that must see every request (the HTTPS redirect,
    WhiteNoise, the method and cookie rules) and above the rest, whose headers (the CSP,
    X-Frame-Options, Content-Length) it keeps with the page and sends again. A hit costs no URL
    resolving, view, template or header building: about as much as WhiteNoise sending a file.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") or live():
            return self.get_response(request)
        key = (page_version(), request.scheme, request.get_host(), request.path)
        by_query = (*key, request.META.get("QUERY_STRING", ""))
        # An answer kept under its query string; else, when there is no search, a page kept by its path
        # (a page that reads only `q` is the same page whatever else the query string says).
        found = queries.get(by_query) or (None if request.GET.get("q") else pages.get(key))
        if found is not None:
            return found.answer(request)
        response = self.get_response(request)
        memory = getattr(response, _KEEP_IN, None)
        if isinstance(memory, PageMemory) and isinstance(response, HttpResponse) and _keepable(request, response):
            memory.put(by_query if memory is queries else key, Kept.of(response))
        return response


@dataclass(frozen=True)
class Kept:
    """A page's bytes and headers as they left the middleware below KeptPagesMiddleware."""

    content: bytes
    headers: dict[str, str]
    etag: str | None
    last_modified: int | None

    @classmethod
    def of(cls, response: HttpResponse) -> Kept:
        modified = response.get("Last-Modified")
        return cls(
            response.content,
            dict(response.headers),
            response.get("ETag"),
            parse_http_date(modified) if modified else None,
        )

    def answer(self, request: HttpRequest) -> HttpResponseBase:
        response = HttpResponse(self.content, headers=self.headers)
        if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
            return get_conditional_response(request, self.etag, self.last_modified, response) or response
        return response


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """Only a plain 200 that holds nothing made for this one request (a CSP nonce, a CSRF cookie)."""
    return (
        response.status_code == 200
        and getattr(response, "is_rendered", True)
        and not response.cookies
        and not response.has_header("Vary")
        and not isinstance(getattr(request, "_csp_nonce", None), str)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and len(response.content) <= MAX_PAGE_BYTES
    )


# (page version, scheme, host, path[, query string]). The scheme is never None, but django-stubs says it may be.
Key = tuple[str | None, ...]


class PageMemory:
    """Rendered answers of one page version, least recently used out first past `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._version: str | None = None
        self._answers: OrderedDict[Key, Kept] = OrderedDict()
        self._size = 0

    def get(self, key: Key) -> Kept | None:
        with self._lock:
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
            return found

    def put(self, key: Key, kept: Kept) -> None:
        with self._lock:
            if key[0] != self._version:  # a new load, release or day: the old pages are never asked for again
                self.clear_locked()
                self._version = key[0]
            if key in self._answers:
                return
            self._answers[key] = kept
            self._size += len(kept.content)
            while self._size > self._max_bytes and self._answers:
                _, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped.content)

    def clear(self) -> None:
        with self._lock:
            self.clear_locked()

    def clear_locked(self) -> None:
        self._answers.clear()
        self._size = 0

    def __len__(self) -> int:
        return len(self._answers)

    @property
    def size(self) -> int:
        return self._size


pages = PageMemory(MAX_BYTES)
queries = PageMemory(QUERY_MAX_BYTES)


def _today() -> date:
    return timezone.localdate()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def forget() -> None:
    """Start afresh: work out the page version again and drop every kept page."""
    _remember(None)
    pages.clear()
    queries.clear()
    code_version.cache_clear()


@receiver(setting_changed)
def _forget(**kwargs: object) -> None:
    """A test changed a setting a page may show (the content folder, the edit link, DEBUG, ...)."""
    forget()
