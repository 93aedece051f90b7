"""Production settings, and every page type's response headers scored as Mozilla's HTTP Observatory scores them.

The scorer below is a Python port of the Observatory's published rules (MDN HTTP Observatory, repository
mdn/mdn-http-observatory), for what a response's headers and body decide:

- src/scanner/index.js @ 9408a5c5ae6135fad05daa95e3128f8993319586: the score starts at 100 and adds every
  test's modifier; the bonuses (positive modifiers) count only when the score with the penalties alone is
  at least MINIMUM_SCORE_FOR_EXTRA_CREDIT (90), so a score above 100 is possible.
- src/grader/charts.js @ a57b50e3362d55c55dd5fd108664f63a54922f11: SCORE_TABLE (each expectation's modifier),
  GRADE_CHART and MINIMUM_SCORE_FOR_EXTRA_CREDIT; src/grader/grader.js @ 0fb69adc7fde726ba2e1971036aa0a0eda3fea6d:
  the grade is that of the score rounded down to a multiple of 5, capped at 100 (A+).
- src/analyzer/tests/*.js @ 048ff598c8690cdff2a0af60828cde2e845bc346: content-security-policy (csp.js),
  strict-transport-security, x-content-type-options, x-frame-options, referrer-policy,
  cross-origin-resource-policy, redirection and cors; cookies.js @ 0200be8d7358e955cad6fe013a80089cd5f30831;
  subresource-integrity.js @ 059c429c7a23eeb40f721f8e61781ce3f8511c25; the CSP parser, cspParser.js @
  0809949ababdaf2483499f32ddcf505e10196929.

What a scan of a real host adds and a local server cannot have is assumed in the site's disfavour or left
out, and said here: the certificate is taken as valid (the TLS proxy's job), no host is on the HSTS preload
list (so never the +5 of hsts-preloaded), only the first hop of the HTTP-to-HTTPS redirection is followed
(there is no TLS to follow it further), a registrable domain is taken as a hostname's last two labels (the
Observatory asks the public suffix list), `<meta http-equiv>` policies are not read (the site has none), and
only one Content-Security-Policy per response is parsed (the scorer refuses more rather than guess). The
Observatory scans only 2xx answers; the 404 page is scored here all the same, as readers meet it too.

The site runs as in production: gunicorn with DJANGO_DEBUG=0, a random key, DJANGO_ALLOWED_HOSTS and the
X-Forwarded-Proto opt-in, the scanner's HTTPS requests made as a TLS proxy would pass them on.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from glossary.web.security import PERMISSIONS_POLICY, secret_key_problem
from glossary.web.views import FIGURE_CSP
from tests.conftest import FIXTURES
from tests.support.servers import STARTUP_SECONDS, free_port, gunicorn, production_env, server_env, serving

CONTENT = FIXTURES / "valid"

# (name, path, status): one of each page type of the fixture site; tests/test_http_hygiene.py uses them too.
PAGE_TYPES = [
    ("home", "/", 200),
    ("a-to-z", "/terms/", 200),
    ("entry", "/terms/alpha-term/", 200),
    ("category", "/categories/imaging-finding/", 200),
    ("search", "/search/?q=beta+scan&all=1", 200),
    ("search-api", "/api/search/?q=alph", 200),
    ("term-api", "/api/terms/beta-scan/", 200),
    ("references", "/references/", 200),
    ("reference", "/references/smith-2020/", 200),
    ("sitemap", "/sitemap.xml", 200),
    ("robots", "/robots.txt", 200),
    ("feed", "/feed/", 200),
    ("figure", "/figures/box.svg", 200),
    ("healthz", "/healthz", 200),
    ("not-found", "/terms/no-such-term/", 404),
]
PAGE_IDS = [name for name, _, _ in PAGE_TYPES]

SITE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

# -- the Observatory's rules ------------------------------------------------------------------------------

# charts.js SCORE_TABLE: expectation -> modifier.
MODIFIERS = {
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    "csp-not-implemented-but-reporting-enabled": -25,
    "csp-implemented-but-duplicate-directives": 0,
    "cookies-secure-with-httponly-sessions-and-samesite": 5,
    "cookies-secure-with-httponly-sessions": 0,
    "cookies-not-found": 0,
    "cookies-without-secure-flag-but-protected-by-hsts": -5,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20,
    "cookies-samesite-flag-invalid": -20,
    "cookies-anticsrf-without-samesite-flag": -20,
    "cookies-session-without-httponly-flag": -30,
    "cookies-session-without-secure-flag": -40,
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    "redirection-all-redirects-preloaded": 0,
    "redirection-to-https": 0,
    "redirection-not-needed-no-http": 0,
    "redirection-off-host-from-http": -5,
    "redirection-not-to-https-on-initial-redirection": -10,
    "redirection-not-to-https": -20,
    "redirection-missing": -20,
    "redirection-invalid-cert": -20,
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    "hsts-preloaded": 5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "hsts-not-implemented-no-https": -20,
    "hsts-invalid-cert": -20,
    "sri-implemented-and-all-scripts-loaded-securely": 5,
    "sri-implemented-and-external-scripts-loaded-securely": 5,
    "sri-not-implemented-response-not-html": 0,
    "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "sri-implemented-but-external-scripts-not-loaded-securely": -20,
    "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 0,
    "x-frame-options-allow-from-origin": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    "corp-header-invalid": -5,
    "corp-implemented-with-cross-origin": 0,
    "corp-implemented-with-same-origin": 10,
    "corp-implemented-with-same-site": 10,
    "corp-not-implemented": 0,
    "html-not-parseable": -20,
}
MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90
GRADES = {100: "A+", 95: "A", 90: "A", 85: "A-", 80: "B+", 75: "B", 70: "B", 65: "B-", 60: "C+", 55: "C", 50: "C"}
GRADES |= {45: "C-", 40: "D+", 35: "D", 30: "D", 25: "D-", 20: "F", 15: "F", 10: "F", 5: "F", 0: "F"}
SCANNER_ORIGIN = "https://http-observatory.security.mozilla.org"  # the Origin the scanner's CORS request sends
HTML_TYPES = {"text/html", "application/xhtml+xml"}

BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
PASSIVE_DIRECTIVES = ("img-src", "media-src")
NONCES_HASHES = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")


@dataclass(frozen=True)
class Response:
    url: str  # as the scanner saw it: https://... for the main answer, though a TLS proxy passed it on as HTTP
    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def first(self, name: str) -> str | None:
        return next(iter(self.values(name)), None)


@dataclass(frozen=True)
class Requests:
    """What one scan fetched: the page over HTTPS, its first answer over plain HTTP, and the CORS probe."""

    auto: Response
    http: Response | None
    cors: Response | None


@dataclass(frozen=True)
class Result:
    test: str
    expectation: str
    passed: bool
    data: dict = field(default_factory=dict, compare=False)

    @property
    def modifier(self) -> int:
        return MODIFIERS[self.expectation]


@dataclass(frozen=True)
class Scan:
    score: int
    grade: str
    results: tuple[Result, ...]

    def explain(self) -> str:
        return ", ".join(f"{r.test}: {r.expectation} ({r.modifier:+d})" for r in self.results)


def parse_csp(policy: str) -> dict[str, set[str]]:
    """cspParser.js parseCsp for one policy; ValueError where the Observatory says csp-header-invalid."""
    policy = re.sub(r"[\r\n]", "", policy).strip()
    if len(policy) < len("img-src") - 1:
        raise ValueError(f"invalid policy {policy!r}")
    csp: dict[str, set[str]] = {}
    duplicates = set()
    for entry in policy.split(";"):
        directive, *values = entry.strip().split() or [""]
        if not directive:
            continue
        directive = directive.lower()
        if directive in csp:
            if directive not in {"report-uri", "report-to"}:
                raise ValueError(f"duplicate directive {directive}")
            duplicates.add(directive)
            continue
        sources = sorted(value.strip().lower() for value in values)
        if not sources and directive.endswith("-src"):
            sources = ["'none'"]
        # A longer source that starts with the one before it adds nothing (https://a.b/c after https://a.b/).
        kept = [source for i, source in enumerate(sources) if i == 0 or not source.startswith(sources[i - 1])]
        csp[directive] = set(kept) or {"'none'"}
    if duplicates:
        csp["_observatory_duplicate_warnings"] = duplicates
    return csp


def csp_test(requests: Requests) -> Result:
    response = requests.auto
    policies = [p.strip() for value in response.values("Content-Security-Policy") for p in value.split(",")]
    if len(policies) > 1:
        raise NotImplementedError("this port parses one Content-Security-Policy per response")
    try:
        csp = parse_csp(policies[0]) if policies else {}
    except ValueError:
        return Result("content-security-policy", "csp-header-invalid", False)
    if not csp:
        reporting = response.first("Content-Security-Policy-Report-Only")
        expectation = "csp-not-implemented-but-reporting-enabled" if reporting else "csp-not-implemented"
        return Result("content-security-policy", expectation, False)
    https = urlsplit(response.url).scheme == "https"
    script_src = set(csp.get("script-src") or csp.get("default-src") or {"*"})
    style_src = set(csp.get("style-src") or csp.get("default-src") or {"*"})
    object_src = csp.get("object-src") or csp.get("default-src") or {"*"}
    for sources in (script_src, style_src):
        if any(s.startswith(NONCES_HASHES) for s in sources):
            sources.discard("'unsafe-inline'")
    result = None
    if any(s.startswith(NONCES_HASHES) for s in script_src) and "'strict-dynamic'" in script_src:
        script_src -= {s for s in script_src if s.startswith(tuple(BROAD)) or s in {"'self'", "'unsafe-inline'"}}
    elif "'strict-dynamic'" in script_src:
        result = "csp-header-invalid"
    active = [s for d, v in csp.items() if d not in PASSIVE_DIRECTIVES and d != "script-src" for s in v]
    active += script_src
    passive = [s for d in PASSIVE_DIRECTIVES for s in (csp.get(d) or csp.get("default-src") or set())]

    def first(expectation: str, applies: bool) -> None:
        nonlocal result
        if applies and result is None:
            result = expectation

    first("csp-implemented-with-unsafe-inline", bool(script_src & (BROAD | UNSAFE_INLINE)) or bool(object_src & BROAD))
    first("csp-implemented-with-insecure-scheme", https and any(s.startswith(("http:", "ftp:")) for s in active))
    first("csp-implemented-with-unsafe-eval", "'unsafe-eval'" in script_src | style_src)
    first(
        "csp-implemented-with-insecure-scheme-in-passive-content-only",
        https and any(s.startswith(("http:", "ftp:")) for s in passive),
    )
    first("csp-implemented-with-unsafe-inline-in-style-src-only", bool(style_src & (BROAD | UNSAFE_INLINE)))
    first("csp-implemented-with-no-unsafe-default-src-none", csp.get("default-src") == {"'none'"})
    first("csp-implemented-with-no-unsafe", True)
    passed = result in {
        "csp-implemented-with-no-unsafe",
        "csp-implemented-with-no-unsafe-default-src-none",
        "csp-implemented-with-unsafe-inline-in-style-src-only",
        "csp-implemented-with-insecure-scheme-in-passive-content-only",
    }
    if passed and "_observatory_duplicate_warnings" in csp:
        result = "csp-implemented-but-duplicate-directives"
    return Result("content-security-policy", result, passed, {"csp": csp})


def hsts_test(requests: Requests) -> Result:
    """Over HTTPS (the main answer, when its URL is https) with a certificate taken as valid; never preloaded."""
    response = requests.auto
    if urlsplit(response.url).scheme != "https":
        return Result("strict-transport-security", "hsts-not-implemented-no-https", False)
    header = (response.first("Strict-Transport-Security") or "")[:1024]
    if not response.values("Strict-Transport-Security"):
        return Result("strict-transport-security", "hsts-not-implemented", False)
    max_age = None
    for parameter in (p.strip().lower() for p in header.split(";")):
        if parameter.startswith("max-age="):
            # Stricter than the JavaScript, where parseInt's NaN for "max-age=x" counts as six months or more.
            digits = re.match(r"\s*[+-]?\d+", parameter[8:128])
            max_age = int(digits.group()) if digits else None
    if "," in header or max_age is None:
        return Result("strict-transport-security", "hsts-header-invalid", False)
    if max_age < 15_552_000:  # six months, "a white lie" for the 15552000 many sites use
        return Result("strict-transport-security", "hsts-implemented-max-age-less-than-six-months", False)
    return Result("strict-transport-security", "hsts-implemented-max-age-at-least-six-months", True)


def _only_if_worse(new: str, old: str | None, order: list[str]) -> str:
    return new if old is None or order.index(new) > order.index(old) else old


def _cookie_jar(requests: Requests) -> tuple[list[tuple[str, dict[str, str]]], bool]:
    """Each cookie set as (its name in lower case, its attributes), and whether any SameSite value is invalid."""
    jar = []
    samesite_invalid = False
    for raw in (c for r in (requests.http, requests.auto) if r for c in r.values("Set-Cookie")):
        name, _, rest = raw.partition("=")
        attributes = {}
        for part in rest.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            attributes[key.strip().lower()] = value.strip()
            if key.strip().lower() == "samesite" and value.strip().lower() not in {"lax", "strict", "none"}:
                samesite_invalid = True
        if name.strip():
            jar.append((name.strip().lower(), attributes))
    return jar, samesite_invalid


def cookies_test(requests: Requests) -> Result:
    order = [
        "cookies-without-secure-flag-but-protected-by-hsts",
        "cookies-without-secure-flag",
        "cookies-session-without-secure-flag-but-protected-by-hsts",
        "cookies-samesite-flag-invalid",
        "cookies-anticsrf-without-samesite-flag",
        "cookies-session-without-httponly-flag",
        "cookies-session-without-secure-flag",
    ]
    hsts = hsts_test(requests).passed
    jar, samesite_invalid = _cookie_jar(requests)
    result = "cookies-samesite-flag-invalid" if samesite_invalid else None
    if not jar:
        return Result("cookies", "cookies-not-found", True)
    missing_samesite = False
    for name, attributes in jar:
        secure, samesite = "secure" in attributes, attributes.get("samesite")
        session = "login" in name or "sess" in name
        if not secure and (samesite or "").lower() == "none":
            result = _only_if_worse("cookies-samesite-flag-invalid", result, order)
        if not secure:
            result = _only_if_worse(
                "cookies-without-secure-flag-but-protected-by-hsts" if hsts else "cookies-without-secure-flag",
                result,
                order,
            )
        if "csrf" in name and not samesite:
            result = _only_if_worse("cookies-anticsrf-without-samesite-flag", result, order)
        if session and not secure:
            result = _only_if_worse(
                "cookies-session-without-secure-flag-but-protected-by-hsts"
                if hsts
                else "cookies-session-without-secure-flag",
                result,
                order,
            )
        if session and "httponly" not in attributes:
            result = _only_if_worse("cookies-session-without-httponly-flag", result, order)
        missing_samesite = missing_samesite or not samesite
    if result is None:
        result = (
            "cookies-secure-with-httponly-sessions"
            if missing_samesite
            else "cookies-secure-with-httponly-sessions-and-samesite"
        )
    passed = result in {"cookies-secure-with-httponly-sessions-and-samesite", "cookies-secure-with-httponly-sessions"}
    return Result("cookies", result, passed)


def cors_test(requests: Requests) -> Result:
    response = requests.cors
    allow_origin = response.first("Access-Control-Allow-Origin") if response else None
    if not allow_origin:
        return Result("cross-origin-resource-sharing", "cross-origin-resource-sharing-not-implemented", True)
    allow_origin = allow_origin[:256].strip().lower()
    credentials = (response.first("Access-Control-Allow-Credentials") or "").strip().lower()
    if allow_origin == "*":
        return Result(
            "cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-public-access", True
        )
    if allow_origin == SCANNER_ORIGIN and credentials == "true":
        return Result(
            "cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-universal-access", False
        )
    return Result(
        "cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-restricted-access", True
    )


def redirection_test(requests: Requests) -> Result:
    """The route from plain HTTP, followed one hop (the only one a server without TLS can show)."""
    response = requests.http
    if response is None:
        return Result("redirection", "redirection-not-needed-no-http", True)
    route = [response.url]
    if 300 <= response.status < 400 and response.first("Location"):
        route.append(urljoin(response.url, response.first("Location")))
    first, last = urlsplit(route[0]), urlsplit(route[-1])
    if len(route) == 1:
        expectation = "redirection-missing"
    elif last.scheme != "https":
        expectation = "redirection-not-to-https"
    elif urlsplit(route[1]).scheme == "http":
        expectation = "redirection-not-to-https-on-initial-redirection"
    elif first.scheme == "http" and first.hostname != urlsplit(route[1]).hostname:
        expectation = "redirection-off-host-from-http"
    else:
        expectation = "redirection-to-https"
    return Result("redirection", expectation, expectation == "redirection-to-https", {"route": route})


def referrer_policy_test(requests: Requests) -> Result:
    good = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]
    bad = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"]
    headers = requests.auto.values("Referrer-Policy")
    if not headers:
        return Result("referrer-policy", "referrer-policy-not-implemented", True)
    known = [v.strip().lower() for v in ", ".join(headers).split(",") if v.strip().lower() in good + bad]
    policy = known[-1] if known else ""
    if policy in good:
        return Result("referrer-policy", "referrer-policy-private", True)
    if policy in bad:
        return Result("referrer-policy", "referrer-policy-unsafe", False)
    return Result("referrer-policy", "referrer-policy-header-invalid", False)


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))


def _registrable(hostname: str | None) -> str:
    return ".".join((hostname or "").split(".")[-2:])


def sri_test(requests: Requests) -> Result:
    order = [
        "sri-implemented-and-all-scripts-loaded-securely",
        "sri-implemented-and-external-scripts-loaded-securely",
        "sri-implemented-but-external-scripts-not-loaded-securely",
        "sri-not-implemented-but-external-scripts-loaded-securely",
        "sri-not-implemented-and-external-scripts-not-loaded-securely",
        "sri-not-implemented-response-not-html",
    ]
    response = requests.auto
    mime = (response.first("Content-Type") or "").split(";")[0]
    if mime and mime not in HTML_TYPES:
        return Result("subresource-integrity", "sri-not-implemented-response-not-html", True)
    parser = _Scripts()
    parser.feed(response.body.decode("utf-8", "replace"))
    result, foreign = None, False
    page = urlsplit(response.url)
    for script in parser.scripts:
        src, integrity = script.get("src"), script.get("integrity")
        if not src:
            continue
        protocol_relative = re.match(r"^//[^/]", src) is not None
        full = re.match(r"^https?://", src) is not None
        relative = not protocol_relative and not full
        same_domain = (
            protocol_relative or relative or _registrable(urlsplit(src).hostname) == _registrable(page.hostname)
        )
        secure_origin = relative or (same_domain and not protocol_relative)
        secure_scheme = (full and urlsplit(src).scheme == "https") or (relative and page.scheme == "https")
        if not secure_origin:
            foreign = True
            if integrity and not secure_scheme:
                result = _only_if_worse("sri-implemented-but-external-scripts-not-loaded-securely", result, order)
            elif not integrity and secure_scheme:
                result = _only_if_worse("sri-not-implemented-but-external-scripts-loaded-securely", result, order)
            elif not integrity:
                result = _only_if_worse("sri-not-implemented-and-external-scripts-not-loaded-securely", result, order)
        elif integrity and secure_scheme and result is None:
            result = "sri-implemented-and-all-scripts-loaded-securely"
    if not parser.scripts:
        result = "sri-not-implemented-but-no-scripts-loaded"
    elif result is None:
        result = (
            "sri-implemented-and-external-scripts-loaded-securely"
            if foreign
            else "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
        )
    passed = result in {
        "sri-implemented-and-all-scripts-loaded-securely",
        "sri-implemented-and-external-scripts-loaded-securely",
        "sri-not-implemented-response-not-html",
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
        "sri-not-implemented-but-no-scripts-loaded",
    }
    return Result("subresource-integrity", result, passed)


def x_content_type_options_test(requests: Requests) -> Result:
    header = requests.auto.first("X-Content-Type-Options")
    if not header:
        return Result("x-content-type-options", "x-content-type-options-not-implemented", False)
    if header[:256].strip().lower() == "nosniff":
        return Result("x-content-type-options", "x-content-type-options-nosniff", True)
    return Result("x-content-type-options", "x-content-type-options-header-invalid", False)


def x_frame_options_test(requests: Requests) -> Result:
    header = (requests.auto.first("X-Frame-Options") or "")[:1024].strip().lower()
    if not header:
        result = "x-frame-options-not-implemented"
    elif header in {"deny", "sameorigin"}:
        result = "x-frame-options-sameorigin-or-deny"
    elif header.startswith("allow-from"):
        result = "x-frame-options-allow-from-origin"
    else:
        result = "x-frame-options-header-invalid"
    if "frame-ancestors" in csp_test(requests).data.get("csp", {}):
        result = "x-frame-options-implemented-via-csp"
    return Result(
        "x-frame-options", result, result not in {"x-frame-options-not-implemented", "x-frame-options-header-invalid"}
    )


def corp_test(requests: Requests) -> Result:
    header = (requests.auto.first("Cross-Origin-Resource-Policy") or "")[:256].strip().lower()
    results = {
        "": "corp-not-implemented",
        "same-site": "corp-implemented-with-same-site",
        "same-origin": "corp-implemented-with-same-origin",
        "cross-origin": "corp-implemented-with-cross-origin",
    }
    result = results.get(header, "corp-header-invalid")
    return Result("cross-origin-resource-policy", result, result != "corp-header-invalid")


TESTS: list[Callable[[Requests], Result]] = [
    csp_test,
    cookies_test,
    cors_test,
    redirection_test,
    referrer_policy_test,
    hsts_test,
    sri_test,
    x_content_type_options_test,
    x_frame_options_test,
    corp_test,
]


def observatory_scan(requests: Requests) -> Scan:
    results = tuple(test(requests) for test in TESTS)
    with_extra_credit = 100 + sum(result.modifier for result in results)
    uncurved = 100 + sum(result.modifier for result in results if result.modifier < 0)
    score = max(with_extra_credit if uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT else uncurved, 0)
    return Scan(score, GRADES[min(score - score % 5, 100)], results)


# -- the scorer itself is checked first: a bare response must fail it --------------------------------------


def _bare(headers: tuple[tuple[str, str], ...] = (), body: bytes = b"") -> Requests:
    return Requests(
        auto=Response("https://glossary.example/", 200, headers, body),
        http=Response("http://glossary.example/", 200, headers, body),
        cors=Response("https://glossary.example/", 200, headers, body),
    )


def test_a_response_without_security_headers_scores_f() -> None:
    scan = observatory_scan(_bare())
    assert (scan.score, scan.grade) == (10, "F"), scan.explain()  # 100 - 25 - 20 - 20 - 5 - 20
    assert scan.score < 50


@pytest.mark.parametrize(
    ("header", "policy", "expected"),
    [
        ("Content-Security-Policy", "script-src 'self' 'unsafe-inline'", "csp-implemented-with-unsafe-inline"),
        ("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-eval'", "csp-implemented-with-unsafe-eval"),
        ("Content-Security-Policy", "default-src 'self'", "csp-implemented-with-no-unsafe"),
        ("Content-Security-Policy", "img-src 'self'; img-src *", "csp-header-invalid"),
        ("Content-Security-Policy-Report-Only", "default-src 'none'", "csp-not-implemented-but-reporting-enabled"),
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'",
            "csp-implemented-with-unsafe-inline-in-style-src-only",
        ),
        (
            "Content-Security-Policy",
            "default-src 'none'; img-src http://cdn.example",
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
        ),
    ],
)
def test_the_scorer_grades_content_security_policies_as_the_observatory_does(
    header: str, policy: str, expected: str
) -> None:
    assert csp_test(_bare(((header, policy),))).expectation == expected


def test_the_scorer_penalises_cookies_weak_hsts_and_foreign_scripts() -> None:
    cookie = _bare((("Set-Cookie", "sessionid=abc; Path=/"),))
    assert cookies_test(cookie).expectation == "cookies-session-without-secure-flag"
    short = _bare((("Strict-Transport-Security", "max-age=86400"),))
    assert hsts_test(short).expectation == "hsts-implemented-max-age-less-than-six-months"
    page = (("Content-Type", "text/html"),)
    foreign = _bare(page, b'<script src="http://cdn.example/x.js"></script>')
    assert sri_test(foreign).expectation == "sri-not-implemented-and-external-scripts-not-loaded-securely"
    hashed = _bare(page, b'<script src="/x.js" integrity="sha384-x"></script>')
    assert sri_test(hashed).expectation == "sri-implemented-and-all-scripts-loaded-securely"


# -- the site in production ------------------------------------------------------------------------------


def directives(policy: str) -> dict[str, str]:
    """A policy's directives: django-csp writes them in no fixed order."""
    return {name: value for name, _, value in (part.strip().partition(" ") for part in policy.split(";"))}


def expected_policy(path: str) -> dict[str, str]:
    return directives(FIGURE_CSP if path.startswith("/figures/") else SITE_CSP)


PROXY = {"X-Forwarded-Proto": "https"}  # what the TLS proxy adds to a request that came in over HTTPS


def _production_env(**extra: str) -> dict[str, str]:
    """Production behind a TLS proxy that sets X-Forwarded-Proto."""
    return production_env(**{"DJANGO_TRUST_X_FORWARDED_PROTO": "1", **extra})


def fetch(base: str, path: str, headers: dict[str, str], scheme: str) -> Response:
    """One request with no redirect followed; the headers exactly as sent, repeated ones included."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        return Response(f"{scheme}://{address.netloc}{path}", answer.status, tuple(answer.getheaders()), answer.read())
    finally:
        connection.close()


def scan_page(base: str, path: str) -> tuple[Requests, Scan]:
    requests = Requests(
        auto=fetch(base, path, PROXY, "https"),
        http=fetch(base, path, {}, "http"),
        cors=fetch(base, path, {**PROXY, "Origin": SCANNER_ORIGIN}, "https"),
    )
    return requests, observatory_scan(requests)


@pytest.fixture(scope="module")
def production() -> Iterator[str]:
    """The fixture site on gunicorn with production settings, behind an (imagined) TLS proxy."""
    port = free_port()
    with serving(gunicorn(port), CONTENT, port, headers=PROXY, **_production_env()) as base:
        yield base


@pytest.mark.parametrize(("path", "status"), [(p, s) for _, p, s in PAGE_TYPES], ids=PAGE_IDS)
def test_every_page_type_scores_a_plus_on_the_observatory(production: str, path: str, status: int) -> None:
    requests, scan = scan_page(production, path)
    assert requests.auto.status == status
    assert scan.score >= 100 and scan.grade == "A+", f"{path}: {scan.score} {scan.grade}; {scan.explain()}"
    assert all(result.passed for result in scan.results), scan.explain()


@pytest.mark.parametrize(("path", "status"), [(p, s) for _, p, s in PAGE_TYPES], ids=PAGE_IDS)
def test_production_headers_on_every_page_type(production: str, path: str, status: int) -> None:
    secure = fetch(production, path, PROXY, "https")
    assert secure.first("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    assert secure.first("X-Content-Type-Options") == "nosniff"
    assert secure.first("X-Frame-Options") == "DENY"
    assert secure.first("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert secure.first("Cross-Origin-Opener-Policy") == "same-origin"
    assert secure.first("Cross-Origin-Resource-Policy") == "same-origin"
    assert secure.first("Permissions-Policy") == PERMISSIONS_POLICY
    assert [directives(policy) for policy in secure.values("Content-Security-Policy")] == [expected_policy(path)]
    assert secure.values("Set-Cookie") == []
    plain = fetch(production, path, {}, "http")
    assert plain.status == 301 and plain.first("Location") == f"https://{urlsplit(production).netloc}{path}"


def test_a_hostile_cookie_gets_no_cookie_back(production: str) -> None:
    """CsrfViewMiddleware answers a malformed csrftoken with a new one; the site drops it (no cookies, ever)."""
    for path in ["/", "/terms/alpha-term/", "/api/search/?q=alph"]:
        answer = fetch(production, path, {**PROXY, "Cookie": "csrftoken=bad; sessionid=x"}, "https")
        assert answer.status == 200 and answer.values("Set-Cookie") == []


# -- start-up and `check --deploy` -------------------------------------------------------------------------


def _manage(*args: str, content: Path = CONTENT, unset: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """manage.py in its own process, so settings are read afresh; `unset` names a variable to leave out."""
    environment = server_env(content, **env)
    environment.pop(unset, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )


def _issue_ids(output: str) -> set[str]:
    return set(re.findall(r"\((\w+\.[EW]\d+)\)", output))


def test_check_deploy_passes_in_production_with_nothing_silenced() -> None:
    # The content checks run too (tests/test_checks.py runs them on the bundled content).
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env(DJANGO_HSTS_PRELOAD="1"))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_the_preload_opt_in_the_only_warning_is_about_preloading() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env())
    assert result.returncode != 0
    assert _issue_ids(result.stderr + result.stdout) == {"security.W021"}
    assert "(0 silenced)" in result.stderr + result.stdout


WEAK_KEYS = {
    "missing": None,
    "empty": "",
    "development": "local-development-only-not-secret",
    "short": secrets.token_urlsafe(30)[:49],
    "few-characters": "ab" * 30,
    "django-insecure": "django-insecure-" + secrets.token_urlsafe(50),
}


@pytest.mark.parametrize("key", WEAK_KEYS.values(), ids=WEAK_KEYS.keys())
def test_production_refuses_to_start_with_a_missing_or_weak_key(key: str | None) -> None:
    env = _production_env() if key is None else _production_env(DJANGO_SECRET_KEY=key)
    result = _manage("check", "--deploy", unset="DJANGO_SECRET_KEY" if key is None else "", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY " in result.stderr
    assert "at least 50 characters" in result.stderr
    assert not key or key not in result.stderr  # the message never repeats the key


def test_gunicorn_stops_at_start_up_on_a_weak_key() -> None:
    port = free_port()
    result = subprocess.run(
        gunicorn(port),
        cwd=settings.BASE_DIR,
        env=server_env(CONTENT, **_production_env(DJANGO_SECRET_KEY="django-insecure-x")),
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY starts with 'django-insecure-'" in result.stderr


def test_secret_key_rules_mirror_djangos_w009() -> None:
    strong = secrets.token_urlsafe(50)
    assert secret_key_problem(strong, "dev") is None
    assert secret_key_problem("", "dev") == "is not set"
    assert secret_key_problem("dev", "dev") == "is the development key, which is public"
    assert secret_key_problem(strong[:49], "dev") == "is 49 characters long; it needs at least 50"
    assert secret_key_problem("abcd" * 13, "dev") == "has fewer than 5 different characters"
    assert "django-insecure-" in secret_key_problem("django-insecure-" + strong, "dev")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS is not set."),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG='maybe' is neither true"),
    ],
)
def test_production_refuses_other_settings_it_cannot_trust(env: dict[str, str], message: str) -> None:
    result = _manage("check", **_production_env(**env))
    assert result.returncode != 0 and message in result.stderr


def _settings(**env: str) -> dict[str, object]:
    code = (
        "import json; from glossary import settings as s; print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD, getattr(s, 'SECURE_PROXY_SSL_HEADER', None)]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=server_env(CONTENT, **env),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return dict(zip(["debug", "redirect", "hsts", "preload", "proxy"], json.loads(result.stdout), strict=True))


def test_modes_local_debug_and_production() -> None:
    local = {"debug": False, "redirect": False, "hsts": 0, "preload": False, "proxy": None}
    assert _settings() == local
    assert _settings(DJANGO_DEBUG="") == local
    assert _settings(DJANGO_DEBUG="1") == {**local, "debug": True}
    production = _settings(**_production_env())
    assert production == {
        "debug": False,
        "redirect": True,
        "hsts": 31_536_000,
        "preload": False,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    assert _settings(**_production_env(DJANGO_HSTS_PRELOAD="1"))["preload"] is True
    assert _settings(**_production_env(DJANGO_TRUST_X_FORWARDED_PROTO="0"))["proxy"] is None


# -- the same headers in local mode, where tests and `make run` live ---------------------------------------


@pytest.mark.parametrize(("path", "status"), [(p, s) for _, p, s in PAGE_TYPES], ids=PAGE_IDS)
def test_local_mode_sends_the_policies_but_no_https_redirect(client: Client, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert directives(response["Content-Security-Policy"]) == expected_policy(path)
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response
    assert not response.cookies


def test_the_site_policy_has_nothing_unsafe() -> None:
    assert not re.search(r"unsafe-|data:|\*|https?:", SITE_CSP)


def test_static_files_stay_embeddable_by_other_sites(client: Client) -> None:
    """WhiteNoise answers before the page headers: chat apps may show the share image from another origin."""
    html = client.get("/").content.decode()
    share = re.search(r'<meta property="og:image" content="https?://[^/"]+(/static/[^"]+)"', html)
    assert share, "the share image's address"
    response = client.get(share.group(1))
    assert response.status_code == 200 and "Cross-Origin-Resource-Policy" not in response
