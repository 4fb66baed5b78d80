"""Feed views: thin over feeds.py. RSS and Atom are written by django.contrib.syndication,
JSON Feed by a small view; all three share the scope, the entries and the caching."""

from functools import partial

from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from . import feeds
from .outbox import site_url

MAX_AGE = 300  # feed readers poll; five minutes of staleness is fine for disclosures


def _state(request, kind: str, code: str = ""):
    """The scope and its change stamp, computed once per request (condition() asks twice)."""
    key = (kind, str(code))
    cache = request.__dict__.setdefault("_channels_feeds", {})
    if key not in cache:
        scope = feeds.get_scope(kind, str(code))
        scope.absolute = partial(site_url, request=request)
        cache[key] = (scope, feeds.last_modified(scope))
    return cache[key]


def _last_modified(request, kind: str, code: str = ""):
    return _state(request, kind, code)[1]


class ScopeFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-cn"

    def get_object(self, request, kind, code=""):
        scope, _ = _state(request, kind, code)
        scope.entries = feeds.entries(scope)
        return scope

    def title(self, obj):
        return obj.title

    def link(self, obj):
        return obj.absolute(obj.page)

    def feed_url(self, obj):
        return obj.absolute(obj.feed_path("atom" if self.feed_type is Atom1Feed else "rss"))

    def description(self, obj):
        return obj.description

    def subtitle(self, obj):
        return obj.description

    def author_name(self, obj):
        return feeds.site_name()

    def items(self, obj):
        return obj.entries

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        # RSS descriptions and Django's Atom summaries are HTML: escape the plain text so
        # readers show it literally and never render markup from the data.
        return escape(entry.summary)

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        return entry.guid

    def item_guid_is_permalink(self, entry):
        return entry.permalink

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_author_name(self, entry):
        return entry.author or None

    def item_categories(self, entry):
        return entry.categories


class AtomFeed(ScopeFeed):
    feed_type = Atom1Feed


_rss, _atom = ScopeFeed(), AtomFeed()


def _cached(fmt: str):
    """Conditional GET (304 on a matching ETag / If-Modified-Since) and public caching."""

    def etag(request, kind: str, code: str = ""):
        scope, modified = _state(request, kind, code)
        return feeds.etag(scope, fmt, modified)

    def decorate(view):
        view = condition(etag_func=etag, last_modified_func=_last_modified)(view)
        return require_safe(cache_control(public=True, max_age=MAX_AGE)(view))

    return decorate


def _stamp(response, request, kind, code):
    # Syndication sets Last-Modified from the newest entry; a removal is newer still.
    modified = _state(request, kind, code)[1]
    if modified is not None:
        response.headers["Last-Modified"] = http_date(modified.timestamp())
    return response


@_cached("rss")
def rss(request, kind: str, code: str = ""):
    return _stamp(_rss(request, kind=kind, code=str(code)), request, kind, code)


@_cached("atom")
def atom(request, kind: str, code: str = ""):
    return _stamp(_atom(request, kind=kind, code=str(code)), request, kind, code)


@_cached("json")
def json(request, kind: str, code: str = ""):
    scope, _ = _state(request, kind, code)
    scope.entries = feeds.entries(scope)
    response = JsonResponse(
        feeds.json_feed(scope),
        content_type="application/feed+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
    return _stamp(response, request, kind, code)


@require_safe
@cache_control(public=True, max_age=86400)
def robots(request):
    """Crawlers may read everything public; the back office and the API are not pages."""
    from django.http import HttpResponse
    from django.urls import reverse

    sitemap = site_url(reverse("channels:sitemap"), request)
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
