"""sitemap.xml: the portal's public pages (home, domains, agencies, published items and,
once gongkai.disclosure is installed, published records). /sitemap.xml is an index of
sections, each paginated at PAGE_SIZE addresses (the protocol allows 50,000)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.catalog.models import Domain
from gongkai.catalog.services import public_items
from gongkai.org.models import Agency, AgencyKind

from .feeds import published_records, record_model

PAGE_SIZE = 10_000


class _Site(Sitemap):
    limit = PAGE_SIZE

    def _base(self):
        base = getattr(settings, "GONGKAI_SITE_URL", "") or ""
        return urlsplit(base) if base else None

    def get_domain(self, site=None):
        base = self._base()
        return base.netloc if base else super().get_domain(site)

    def get_protocol(self, protocol=None):
        base = self._base()
        return base.scheme if base else super().get_protocol(protocol)


class PagesSitemap(_Site):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return [
            "portal:home",
            "portal:agencies",
            "portal:records",
            "portal:xxgk",
            "portal:xxgk_statutory",
            "portal:xxgk_reports",
            "portal:xxgk_apply",
            "portal:changes",
        ]

    def location(self, name):
        return reverse(name)


class DomainSitemap(_Site):
    changefreq = "weekly"

    def items(self):
        return Domain.objects.order_by("sort_order", "code")


class AgencySitemap(_Site):
    changefreq = "weekly"

    def items(self):
        return (
            Agency.objects.filter(is_active=True)
            .exclude(kind=AgencyKind.NATIONAL)
            .order_by("sort_order", "code")
        )

    def location(self, agency):
        return reverse("portal:agency", args=[agency.code])


class ItemSitemap(_Site):
    changefreq = "monthly"

    def items(self):
        return public_items().only("id", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


class RecordSitemap(_Site):
    changefreq = "monthly"

    def items(self):
        return published_records().order_by("id")

    def lastmod(self, record):
        return record.updated_at


def sitemaps() -> dict[str, type[Sitemap]]:
    sections = {
        "pages": PagesSitemap,
        "domains": DomainSitemap,
        "agencies": AgencySitemap,
        "items": ItemSitemap,
    }
    if record_model() is not None:
        sections["records"] = RecordSitemap
    return sections
