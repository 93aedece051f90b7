"""The report reader's page (`/explain/`) and JSON API (`POST /api/explain/`).

A report is health data, so the text goes in a POST body and nowhere else:

- never in a URL (POST only; the form page ignores any query string) and so never in an
  access log, which records the request line and not the body (gunicorn.conf.py);
- never kept: answers are `Cache-Control: no-store`, and a POST never reaches the site's
  memory of rendered pages (glossary/caching.py keeps only GET and HEAD answers);
- never in an error report: `sensitive_post_parameters` hides the form's field, and
  `sensitive_variables` every local variable of this code and of the engine under it, in
  the reports Django makes of a failure;
- never written anywhere: a body over MAX_BODY_BYTES is refused before it is read, so
  Django never spools one to a temporary file;
- no cookie, so no CSRF cookie either: the views are `csrf_exempt`. Cross-site request
  forgery makes a browser change something with its user's authority; these views change
  nothing on the server and there is no authority (no login, no session) to borrow. A
  form elsewhere that posts here shows its user an explanation of the text it sent, in
  this site's own escaped page, which cannot be framed; the Content-Security-Policy's
  `form-action 'self'` keeps this site's own pages from posting anywhere else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from glossary.content.entries import Page
from glossary.explain import spine
from glossary.explain.limits import MAX_BODY_BYTES, MAX_CHARS
from glossary.explain.pieces import pieces
from glossary.explain.results import Explanation
from glossary.serving import store
from glossary.web import caching
from glossary.web.security import allow_methods

FIELD = "text"  # the form field and the JSON member that carry the report


class TextError(Exception):
    """A request whose text cannot be explained; the message says why and never quotes the text."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@csrf_exempt  # no cookie and no state to protect; the module's notes say why
@allow_methods("GET", "HEAD", "POST")
@sensitive_post_parameters(FIELD)
def explain_page(request: HttpRequest) -> HttpResponseBase:
    """GET: the form. POST: the report with every term and level marked and explained."""
    if request.method == "POST":
        return _no_store(_explained_page(request))
    return _form(request)


@caching.page
def _form(request: HttpRequest) -> HttpResponseBase:
    return render(request, "explain.html", _limits())


@sensitive_variables()
def _explained_page(request: HttpRequest) -> HttpResponse:
    try:
        text = _form_text(request)
    except TextError as error:
        text = request.POST.get(FIELD, "") if error.status == 400 else ""
        return render(request, "explain.html", {**_limits(), "error": str(error), "text": text}, status=error.status)
    explanation = store.explainer().explain(text)
    return render(request, "explain.html", _page_context(request, text, explanation))


@csrf_exempt  # as for explain_page
@allow_methods("POST")
@sensitive_post_parameters()
@sensitive_variables()
def api_explain(request: HttpRequest) -> HttpResponse:
    """`{"text": ...}` in, the contract's terms and levels out (README, "The contract")."""
    try:
        text = _json_text(request)
    except TextError as error:
        return _no_store(JsonResponse({"error": str(error)}, status=error.status))
    explanation = store.explainer().explain(text)
    return _no_store(JsonResponse(_payload(explanation)))


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private
    return response


def _limits() -> dict[str, Any]:
    return {"max_chars": MAX_CHARS, "max_chars_shown": f"{MAX_CHARS:,}"}


def _body_fits(request: HttpRequest) -> None:
    """Refuse a body over the limit before reading it (by its Content-Length; Django's own limit behind that)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise TextError("The request's Content-Length is not a number.") from None
    if length > MAX_BODY_BYTES:
        raise TextError(_too_large(), status=413)


def _too_large() -> str:
    return f"The request is larger than {MAX_BODY_BYTES // 1024} KB; a report of up to {MAX_CHARS:,} characters fits."


@sensitive_variables()
def _form_text(request: HttpRequest) -> str:
    _body_fits(request)
    try:
        value = request.POST.get(FIELD)
    except RequestDataTooBig:
        raise TextError(_too_large(), status=413) from None
    except TooManyFieldsSent:
        raise TextError("The form has too many fields; it needs only the report's text.") from None
    if value is None or not value.strip():
        raise TextError("Paste your report into the box first.")
    # A browser sends each line break in a text box as CR LF; its own count (maxlength) takes each as one.
    return _within_limit(value.replace("\r\n", "\n"))


@sensitive_variables()
def _json_text(request: HttpRequest) -> str:
    _body_fits(request)
    try:
        payload = json.loads(request.body)
    except RequestDataTooBig:
        raise TextError(_too_large(), status=413) from None
    except (ValueError, RecursionError):  # RecursionError: deeply nested arrays
        raise TextError('The body must be JSON: {"text": "..."}.') from None
    if not isinstance(payload, dict) or not isinstance(payload.get(FIELD), str):
        raise TextError('The JSON must be an object with a "text" string: {"text": "..."}.')
    return _within_limit(payload[FIELD])


def _within_limit(text: str) -> str:
    if len(text) > MAX_CHARS:
        raise TextError(f"The text is {len(text):,} characters long; the limit is {MAX_CHARS:,} characters.")
    return text


def _payload(explanation: Explanation) -> dict[str, list[dict[str, Any]]]:
    """The contract's shape (section 5), both lists in order of position."""
    pages = store.glossary().pages
    terms = []
    for term in explanation.terms:
        entry = pages[term.slug].entry
        terms.append(
            {
                "slug": entry.slug,
                "title": entry.title,
                "summary": entry.summary,
                "url": entry.url,
                "start": term.start,
                "end": term.end,
                "text": term.text,
                "negated": term.negated,
            }
        )
    levels = [
        {"start": level.start, "end": level.end, "text": level.text, "label": level.label, "region": level.region}
        for level in explanation.levels
    ]
    return {"terms": terms, "levels": levels}


def _page_context(request: HttpRequest, text: str, explanation: Explanation) -> dict[str, Any]:
    pages = store.glossary().pages
    present, absent = explanation.entries()
    levels = explanation.distinct_levels()
    today: date = timezone.localdate()
    return {
        **_limits(),
        "explained": True,
        "text": text,
        "pieces": pieces(text, explanation),
        "present": _pages(pages, present),
        "absent": _pages(pages, absent),
        "levels": levels,
        "drawing": spine.drawing(levels) if levels else None,
        "explain_url": request.build_absolute_uri(reverse("explain")),
        "today": today,
    }


def _pages(pages: Mapping[str, Page], slugs: tuple[str, ...]) -> list[Page]:
    return [pages[slug] for slug in slugs]
