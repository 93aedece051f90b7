"""What the site promises every reader's browser, beyond Django's own security settings.

The glossary only ever shows pages: no accounts, no cookies, nothing a reader's camera,
microphone or location could serve, and one form, the report reader's, whose POST changes
nothing on the server. `SiteSecurityMiddleware` holds the site to that:

- GET and HEAD only. Every view answers any other method with 405 and an Allow header,
  including the views of Django's frameworks (sitemap, feed), which would otherwise take any
  method. It runs before CsrfViewMiddleware, so CSRF never turns that 405 into a 403. A view
  that takes other methods says so with `allow_methods` (only the report reader and its
  API, glossary/web/explain.py, which take POST).
- Cross-Origin-Resource-Policy: same-origin on every response that passes through Django, so
  other sites cannot embed pages, JSON or figures. Static files answer earlier, in WhiteNoise,
  so the share image and favicon stay loadable by chat apps and the like.
- A Permissions-Policy that turns off the powerful features the site never uses. It names only
  features Chromium recognises (an unknown one is a console warning; tests/browser/test_csp.py fails on it).
- No cookies, ever. Nothing in the site sets one; should a library try (CsrfViewMiddleware does
  when a client sends a malformed csrftoken cookie), the cookie is dropped here.

Settings (glossary/settings.py) refuse a weak secret key in production with `secret_key_problem`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed, StreamingHttpResponse

# The methods of a read-only site. HEAD is answered by the GET view, without the body.
SAFE_METHODS = ("GET", "HEAD")
_METHODS = "allowed_methods"  # the attribute allow_methods sets on a view, as csrf_exempt sets its own

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

# Off for every origin, this page included. clipboard-write stays on: "Copy link" needs it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class SiteSecurityMiddleware:
    """Read-only methods, the cross-origin and permissions headers, and no cookies (see the module's notes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Cross-Origin-Resource-Policy", CROSS_ORIGIN_RESOURCE_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        for name in list(response.cookies):
            del response.cookies[name]
        if request.method == "HEAD":  # the GET's headers, Content-Length included, and no body (RFC 9110)
            if isinstance(response, StreamingHttpResponse):
                response.streaming_content = []  # the file is still closed with the response
            elif isinstance(response, HttpResponse):
                response.content = b""
        return response

    def process_view(self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict) -> HttpResponseBase | None:
        """After URL resolution, so an unknown path is still a 404 whatever the method."""
        allowed = getattr(view, _METHODS, SAFE_METHODS)
        if request.method in allowed:
            return None
        return HttpResponseNotAllowed(allowed)


def allow_methods(*methods: str) -> Callable[[View], View]:
    """Let a view answer `methods` instead of GET and HEAD (see the module's notes)."""

    def decorate(view: View) -> View:
        setattr(view, _METHODS, methods)
        return view

    return decorate


def secret_key_problem(key: str, development_key: str) -> str | None:
    """Why `key` is too weak to sign anything in production, or None. The length, variety and prefix
    rules are Django's own (its deploy check security.W009), so the two never disagree."""
    if not key:
        return "is not set"
    if key == development_key:
        return "is the development key, which is public"
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        return f"starts with {SECRET_KEY_INSECURE_PREFIX!r}, Django's mark of a key made for development"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"is {len(key)} characters long; it needs at least {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return f"has fewer than {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different characters"
    return None
