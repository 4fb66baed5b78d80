"""sitemap.xml: an index of sections; published items are listed, drafts never."""

import re

import pytest
from django.test import override_settings

from gongkai.catalog import services
from gongkai.catalog.models import Domain
from gongkai.channels import sitemaps


def _locs(content: bytes) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", content.decode("utf-8"))


@pytest.fixture
def items(publish, zone, people, elements):
    domain = Domain.objects.get(code="social_assistance")
    draft = services.create_item(
        people["editor"], zone["mzj"], domain, **{**elements, "level2": "草稿"}
    )
    return {"published": publish(level2="审核确认结果"), "draft": draft}


def _all_urls(client) -> list[str]:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert index["Content-Type"].startswith("application/xml")
    urls = []
    for section in _locs(index.content):
        response = client.get(section.removeprefix("http://testserver"))
        assert response.status_code == 200
        urls += _locs(response.content)
    return urls


def test_sitemap_lists_published_items_and_not_drafts(client, items):
    urls = _all_urls(client)
    assert f"http://testserver/items/{items['published'].pk}/" in urls
    assert f"http://testserver/items/{items['draft'].pk}/" not in urls


def test_sitemap_covers_home_domains_and_agencies(client, items):
    urls = _all_urls(client)
    assert "http://testserver/" in urls
    assert "http://testserver/agencies/" in urls
    assert "http://testserver/domains/social_assistance/" in urls
    assert "http://testserver/agencies/T-MZJ/" in urls
    assert "http://testserver/agencies/N-MOE/" not in urls  # no portal page
    assert {"http://testserver/xxgk/", "http://testserver/records/"} <= set(urls)


def test_large_sections_are_split_into_pages(client, publish, monkeypatch):
    monkeypatch.setattr(sitemaps.ItemSitemap, "limit", 2)
    made = [publish(level2=f"第{i}批") for i in range(5)]
    index = _locs(client.get("/sitemap.xml").content)
    pages = [u for u in index if "sitemap-items.xml" in u]
    assert pages == [
        "http://testserver/sitemap-items.xml",
        "http://testserver/sitemap-items.xml?p=2",
        "http://testserver/sitemap-items.xml?p=3",
    ]
    listed = []
    for page in pages:
        listed += _locs(client.get(page.removeprefix("http://testserver")).content)
    assert sorted(listed) == sorted(f"http://testserver/items/{i.pk}/" for i in made)


@override_settings(GONGKAI_SITE_URL="https://gk.example.gov.cn")
def test_sitemap_uses_the_public_site_url(client, items):
    response = client.get("/sitemap-items.xml")
    assert _locs(response.content) == [f"https://gk.example.gov.cn/items/{items['published'].pk}/"]


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_back_office(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text
