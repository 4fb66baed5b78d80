"""Feeds (/feeds/…) and the sitemap (/sitemap.xml), included from gongkai.urls."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_control

from . import views
from .sitemaps import sitemaps

app_name = "channels"

SITEMAPS = sitemaps()
_sitemap_cache = cache_control(public=True, max_age=3600)

urlpatterns = [
    path("robots.txt", views.robots, name="robots"),
    path("feeds/all/rss.xml", views.rss, {"kind": "all"}, name="feed_all_rss"),
    path("feeds/all/atom.xml", views.atom, {"kind": "all"}, name="feed_all_atom"),
    path("feeds/all/feed.json", views.json, {"kind": "all"}, name="feed_all_json"),
    path("feeds/<str:kind>/<str:code>/rss.xml", views.rss, name="feed_rss"),
    path("feeds/<str:kind>/<str:code>/atom.xml", views.atom, name="feed_atom"),
    path("feeds/<str:kind>/<str:code>/feed.json", views.json, name="feed_json"),
    path(
        "sitemap.xml",
        _sitemap_cache(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "channels:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        _sitemap_cache(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
