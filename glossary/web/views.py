"""Thin views: each reads the loaded glossary from the store and renders one template."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from csp.decorators import csp_exempt
from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache

from glossary.content.entries import CATEGORIES, Page, term_url
from glossary.search.engine import MAX_LIMIT, TYPEAHEAD_LIMIT, QueryError, clean_query
from glossary.serving import store
from glossary.web import api, caching, editing, metadata
from glossary.web.api import encode, search_payload


@caching.page
def home(request: HttpRequest) -> HttpResponse:
    glossary = store.glossary()
    counts = {category: len(glossary.in_category(category)) for category in CATEGORIES}
    return render(
        request,
        "home.html",
        {
            "letters": _alphabet(glossary.by_letter()),
            "category_counts": [(c, label, counts[c]) for c, label in CATEGORIES.items() if counts[c]],
            "total": len(glossary.pages),
        },
    )


@caching.page
def term_index(request: HttpRequest) -> HttpResponse:
    by_letter = store.glossary().by_letter()
    return render(
        request,
        "term_index.html",
        {"letters": _alphabet(by_letter), "groups": sorted(by_letter.items())},
    )


@caching.page
def term_detail(request: HttpRequest, slug: str) -> HttpResponse:
    glossary = store.glossary()
    page = glossary.pages.get(slug)
    if page is None:
        store.check_withheld(slug)
        canonical = glossary.resolve(slug)
        if canonical is None:
            raise Http404(f"No entry {slug!r}")
        return redirect(term_url(canonical), permanent=True)
    references = [glossary.references[key] for key in page.citations]
    updated = store.updated()[slug]
    page_url = request.build_absolute_uri(page.entry.url)
    return render(
        request,
        "term.html",
        {
            "page": page,
            "entry": page.entry,
            "related": [glossary.pages[s] for s in page.entry.related],
            "backlinks": [glossary.pages[s] for s in glossary.backlinks.get(page.entry.slug, ())],
            "linked": _by_title(glossary.pages[s] for s in page.links | set(page.entry.related)),
            "references": references,
            "updated": updated,
            "page_url": page_url,
            "json_ld": metadata.entry_json_ld(request, page, references, updated),
            "qr_svg": metadata.qr_svg(page_url),
            "edit_url": editing.edit_url(page.entry.path),
        },
    )


@caching.page
def category_detail(request: HttpRequest, category: str) -> HttpResponse:
    if category not in CATEGORIES:
        raise Http404(f"No category {category!r}")
    pages = store.glossary().in_category(category)
    return render(request, "category.html", {"category": category, "label": CATEGORIES[category], "pages": pages})


@caching.page
def reference_index(request: HttpRequest) -> HttpResponse:
    glossary = store.glossary()
    rows = [(ref, len(glossary.cited_by.get(key, ()))) for key, ref in glossary.references.items()]
    return render(request, "reference_index.html", {"rows": rows})


@caching.page
def reference_detail(request: HttpRequest, key: str) -> HttpResponse:
    glossary = store.glossary()
    reference = glossary.references.get(key)
    if reference is None:
        raise Http404(f"No reference {key!r}")
    citing = [glossary.pages[slug] for slug in glossary.cited_by.get(key, ())]
    return render(request, "reference.html", {"reference": reference, "citing": citing})


@caching.cacheable
def search(request: HttpRequest) -> HttpResponse:
    """Results for `q`; an exact title or alias goes straight to its entry unless `all=1` asks for the list."""
    try:
        query = clean_query(request.GET.get("q", ""))
    except QueryError as error:
        return render(request, "search.html", {"error": str(error)}, status=400)
    if not query:
        return render(request, "search.html")
    index = store.search_index()
    results = index.search(query, correct=request.GET.get("as_typed") != "1")
    if results.exact and request.GET.get("all") != "1":
        return HttpResponseRedirect(f"{results.exact.entry.url}?{urlencode({'q': query})}")
    return render(
        request,
        "search.html",
        {
            "query": query,
            "results": results,
            "closest": [] if results.hits else index.closest(query),
        },
    )


@caching.cacheable
def api_search(request: HttpRequest) -> HttpResponse:
    """Typeahead suggestions, or with `snippets=1` the search page's ranked results, as the contract's JSON."""
    try:
        query = clean_query(request.GET.get("q", ""))
        limit = _limit(request.GET.get("limit"))
    except QueryError as error:
        return JsonResponse({"error": str(error)}, status=400)
    snippets = request.GET.get("snippets") == "1"
    results = None
    if query:
        index = store.search_index()
        results = index.search(query, limit=limit) if snippets else index.suggest(query, limit=limit)
    return HttpResponse(encode(search_payload(query, results, snippets=snippets)), content_type="application/json")


def _limit(value: str | None) -> int:
    if value is None or value == "":
        return TYPEAHEAD_LIMIT
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise QueryError(f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return int(value)


@caching.page
def api_term(request: HttpRequest, slug: str) -> JsonResponse:
    page = store.glossary().pages.get(slug)
    if page is None:
        return JsonResponse({"error": f"No entry {slug[:100]!r}."}, status=404)
    return JsonResponse(api.term_payload(page))


# An SVG opened on its own is a document of this site: whatever the content check missed may
# not run script, load anything or reach the site's pages. Inline styles are all a figure needs.
# csp_exempt: django-csp leaves this policy as it is, rather than the site's policy replacing it.
FIGURE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@csp_exempt()  # outside caching, so a 304 carries no site policy to replace FIGURE_CSP in a browser's copy
@caching.cacheable
def figure(request: HttpRequest, name: str) -> FileResponse:
    """Serve a figure from the content folder; only names the loader listed, so no path can escape it."""
    glossary = store.glossary()
    if name not in glossary.figures:
        raise Http404(f"No figure {name!r}")
    response = FileResponse((glossary.content_dir / "figures" / name).open("rb"))
    response["Content-Security-Policy"] = FIGURE_CSP
    return response


@never_cache  # Cache-Control: no-store and more: a health check must reach this process
def healthz(request: HttpRequest) -> HttpResponse:
    glossary = store.glossary()
    return HttpResponse(f"ok: {len(glossary.pages)} entries\n", content_type="text/plain")


@caching.not_found
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A 404 that offers a search and the entries whose names look most like the path."""
    last = next((part for part in reversed(request.path.split("/")) if part), "")
    suggestions = store.search_index().closest(last) if last else []
    return render(request, "404.html", {"suggestions": suggestions, "path": request.path}, status=404)


def server_error(request: HttpRequest) -> HttpResponseServerError:
    """Django's own 500 handler, given the site's name: no context processor runs, as one may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render({"site_name": settings.GLOSSARY_SITE_NAME}))


def _by_title(pages: Iterable[Page]) -> list[Page]:
    return sorted(pages, key=lambda page: page.entry.title.casefold())


def _alphabet(by_letter: dict) -> list[tuple[str, bool]]:
    """Every letter A-Z with whether any entry starts with it, for a browse bar that keeps its shape."""
    return [(chr(code), chr(code) in by_letter) for code in range(ord("A"), ord("Z") + 1)]
