"""What an entry page tells machines: schema.org JSON-LD, and the handout's QR code.

Search engines read the JSON-LD to know the page is a medical web page for patients
about one defined term of a glossary; the QR code lets a patient holding the printed
handout find the page again. Both need absolute URLs, so both take the request.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from glossary.content.entries import Page, Reference

# json.dumps leaves these as they are; inside <script> they could end it early or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def entry_json_ld(request: HttpRequest, page: Page, references: list[Reference], updated: datetime) -> SafeString:
    """A MedicalWebPage about a DefinedTerm in the glossary's DefinedTermSet, safe to put inside <script>."""
    entry = page.entry
    url = request.build_absolute_uri(entry.url)
    term: dict[str, Any] = {
        "@type": "DefinedTerm",
        "@id": f"{url}#term",
        "name": entry.title,
        "description": entry.summary,
        "termCode": entry.slug,
        "url": url,
        "inDefinedTermSet": {
            "@type": "DefinedTermSet",
            "@id": request.build_absolute_uri(reverse("term-index")),
            "name": settings.GLOSSARY_SITE_NAME,
        },
    }
    if entry.aliases:
        term["alternateName"] = list(entry.aliases)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": entry.title,
        "description": entry.summary,
        "inLanguage": "en-GB",
        "audience": {"@type": "Patient"},
        "about": term,
        "dateModified": updated.date().isoformat(),
        "isPartOf": {
            "@type": "WebSite",
            "name": settings.GLOSSARY_SITE_NAME,
            "url": request.build_absolute_uri(reverse("home")),
        },
    }
    if entry.reviewed:
        data["lastReviewed"] = entry.reviewed.isoformat()
    if entry.reviewed_by:
        data["reviewedBy"] = {"@type": "Person", "name": entry.reviewed_by}
    if references:
        data["citation"] = [_citation(reference) for reference in references]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # JSON with <, > and & escaped, as Django's json_script does


def _citation(reference: Reference) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "name": reference.title,
        "author": [{"@type": "Person", "name": name} for name in reference.authors],
        "datePublished": str(reference.year),
        "isPartOf": {"@type": "CreativeWork", "name": reference.container},  # a journal, book or website
    }
    links = [link for link in (reference.doi_url, reference.pubmed_url, reference.url) if link]
    if links:
        work["sameAs"] = links
    return work


@lru_cache(maxsize=4096)
def qr_svg(url: str) -> SafeString:
    """An inline SVG QR code of `url`: drawn here, so the printed page needs no other host or file."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=3, border=2, dark="#000", light="#fff", omitsize=True, svgclass="qr")
    return mark_safe(svg)  # segno writes only the SVG elements of the code's modules
