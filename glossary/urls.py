"""The contract's URL scheme."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from glossary.web import caching, discovery, explain, views

urlpatterns = [
    path("", views.home, name="home"),
    path("terms/", views.term_index, name="term-index"),
    path("terms/<str:slug>/", views.term_detail, name="term"),
    path("categories/<str:category>/", views.category_detail, name="category"),
    path("references/", views.reference_index, name="reference-index"),
    path("references/<str:key>/", views.reference_detail, name="reference"),
    path("search/", views.search, name="search"),
    path("api/search/", views.api_search, name="api-search"),
    path("api/terms/<str:slug>/", views.api_term, name="api-term"),
    path("explain/", explain.explain_page, name="explain"),
    path("api/explain/", explain.api_explain, name="api-explain"),
    path("figures/<str:name>", views.figure, name="figure"),
    path("healthz", views.healthz, name="healthz"),
    # Caching as for the pages (glossary/web/caching.py); the sitemap reads its page number from the query string.
    path("sitemap.xml", caching.cacheable(sitemap), {"sitemaps": discovery.SITEMAPS}, name="sitemap"),
    path("robots.txt", caching.page(discovery.robots_txt), name="robots"),
    path("feed/", caching.page(discovery.EntryFeed()), name="feed"),
]

handler404 = "glossary.web.views.not_found"
handler500 = "glossary.web.views.server_error"
