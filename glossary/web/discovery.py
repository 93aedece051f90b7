"""What search engines and feed readers fetch: the sitemap, robots.txt and the Atom feed.

All three are Django's own frameworks (sitemaps, syndication) fed from the loaded
glossary, so a new entry appears in them the moment the content loads.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from glossary.content.entries import CATEGORIES, Page, Reference
from glossary.serving import store

FEED_LENGTH = 50


class EntrySitemap(Sitemap):
    """Every entry, with the date it last changed or was reviewed."""

    def items(self) -> list[Page]:
        return sorted(store.glossary().pages.values(), key=lambda page: page.entry.slug)

    def location(self, item: Page) -> str:
        return item.entry.url

    def lastmod(self, item: Page) -> datetime:
        return store.updated()[item.entry.slug]


class BrowseSitemap(Sitemap):
    """The pages that lead to entries: home, A to Z, the categories that have entries, and the bibliography."""

    def items(self) -> list[str]:
        glossary = store.glossary()
        categories = [reverse("category", args=[c]) for c in CATEGORIES if glossary.in_category(c)]
        return [reverse("home"), reverse("term-index"), *categories, reverse("reference-index")]

    def location(self, item: str) -> str:
        return item


class ReferenceSitemap(Sitemap):
    def items(self) -> list[Reference]:
        return sorted(store.glossary().references.values(), key=lambda reference: reference.key)

    def location(self, item: Reference) -> str:
        return reverse("reference", args=[item.key])


SITEMAPS = {"entries": EntrySitemap, "browse": BrowseSitemap, "references": ReferenceSitemap}


class EntryFeed(Feed):
    """The most recently changed or reviewed entries, newest first."""

    feed_type = Atom1Feed
    title = settings.GLOSSARY_SITE_NAME
    author_name = settings.GLOSSARY_SITE_NAME  # Atom requires an author; the entries are the site's, not one person's
    subtitle = "New and updated entries: plain-English explanations of the words in spine scan reports."

    def link(self) -> str:
        return reverse("home")

    def items(self) -> list[Page]:
        updated = store.updated()
        pages = store.glossary().pages.values()
        return sorted(pages, key=lambda page: (updated[page.entry.slug], page.entry.slug), reverse=True)[:FEED_LENGTH]

    def item_title(self, item: Page) -> str:
        return item.entry.title

    def item_description(self, item: Page) -> str:
        return item.entry.summary

    def item_link(self, item: Page) -> str:
        return item.entry.url

    def item_updateddate(self, item: Page) -> datetime:
        return store.updated()[item.entry.slug]

    def item_pubdate(self, item: Page) -> datetime:
        return store.updated()[item.entry.slug]

    def item_categories(self, item: Page) -> tuple[str, ...]:
        return (item.entry.category_label,)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawl everything but search results and the JSON API, which only repeat the entries."""
    lines = [
        "User-agent: *",
        "Disallow: /search/",
        "Disallow: /api/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
