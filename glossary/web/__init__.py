"""Views, the JSON API, HTTP caching and headers, sitemaps and feeds, structured data."""
