"""RSS 2.0, Atom and JSON Feed per site, domain, agency and item: they parse cleanly
(feedparser for RSS/Atom, feedparser-rs for JSON Feed), hold the right entries, and keep
Chinese text intact."""

import datetime as dt
import json

import feedparser
import feedparser_rs
import pytest
from django.utils import timezone

from gongkai.catalog import services
from gongkai.catalog.models import Domain
from gongkai.channels.feeds import FEED_SIZE, record_model

FORMATS = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}
VERSIONS = {"rss": "rss20", "atom": "atom10", "json": "json11"}


def _url(scope: str, code=None, fmt: str = "rss") -> str:
    return (
        f"/feeds/all/{FORMATS[fmt]}" if scope == "all" else f"/feeds/{scope}/{code}/{FORMATS[fmt]}"
    )


def _parse(client, url: str, fmt: str):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    if fmt == "json":
        assert response["Content-Type"].startswith("application/feed+json")
        doc = _check_json_feed(response.content)
        parsed = feedparser_rs.parse(response.content)
        assert not parsed.bozo and parsed.version == VERSIONS[fmt]
        assert [e.title for e in parsed.entries] == [i["title"] for i in doc["items"]]
    else:
        kind = "rss" if fmt == "rss" else "atom"
        assert response["Content-Type"].startswith(f"application/{kind}+xml")
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert parsed.version == VERSIONS[fmt]
    return parsed, response


def _check_json_feed(content: bytes) -> dict:
    """The JSON Feed 1.1 rules a reader relies on (jsonfeed.org/version/1.1)."""
    doc = json.loads(content.decode("utf-8"))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["title"] and doc["feed_url"].startswith("http")
    for item in doc["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_text") or item.get("content_html")
        assert item["url"].startswith("http")
        dt.datetime.fromisoformat(item["date_published"])  # RFC 3339
    return doc


def _titles(parsed) -> list[str]:
    return [e.title for e in parsed.entries]


@pytest.fixture
def catalog(publish, zone, elements):
    """Published items in two domains and two agencies, and a draft that must not show."""
    domain = Domain.objects.get(code="social_assistance")
    draft = services.create_item(
        _editor(zone), zone["mzj"], domain, **{**elements, "level2": "草稿事项不应公开"}
    )
    return {
        "low": publish("mzj", "social_assistance", level2="审核确认结果"),
        "temp": publish("mzj", "social_assistance", level1="临时救助", level2="救助标准"),
        "school": publish("jyj", "compulsory_education", level1="招生入学", level2="划片范围"),
        "draft": draft,
    }


def _editor(zone):
    from tests.portal.helpers import _staff

    return _staff(zone["mzj"])[0]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_site_feed_lists_published_items_with_chinese_titles(client, catalog, fmt):
    parsed, _ = _parse(client, _url("all", fmt=fmt), fmt)
    assert set(_titles(parsed)) == {
        "最低生活保障 / 审核确认结果",
        "临时救助 / 救助标准",
        "招生入学 / 划片范围",
    }
    assert "草稿事项不应公开" not in json.dumps(_titles(parsed), ensure_ascii=False)
    newest = parsed.entries[0]
    assert newest.title == "招生入学 / 划片范围"  # newest first
    assert newest.link == f"http://testserver/items/{catalog['school'].pk}/"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_domain_feed_holds_only_that_domain(client, catalog, fmt):
    parsed, _ = _parse(client, _url("domain", "social_assistance", fmt), fmt)
    assert set(_titles(parsed)) == {"最低生活保障 / 审核确认结果", "临时救助 / 救助标准"}
    assert "社会救助" in parsed.feed.title


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_agency_feed_holds_only_that_agency(client, catalog, fmt):
    parsed, _ = _parse(client, _url("agency", "T-JYJ", fmt), fmt)
    assert _titles(parsed) == ["招生入学 / 划片范围"]
    assert parsed.feed.title.startswith("教育局")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_item_feed_shows_its_own_changes(client, catalog, fmt):
    item = catalog["low"]
    parsed, _ = _parse(client, _url("item", item.pk, fmt), fmt)
    assert _titles(parsed) == ["【事项发布】最低生活保障 / 审核确认结果"]


def test_rss_entries_carry_the_elements_as_plain_text(client, catalog):
    parsed, _ = _parse(client, _url("agency", "T-MZJ"), "rss")
    entry = next(e for e in parsed.entries if e.title == "最低生活保障 / 审核确认结果")
    assert "公开内容：保障对象、保障金额（隐去个人身份信息）" in entry.summary
    assert "《社会救助暂行办法》" in entry.summary
    assert entry.author == "民政局"
    assert {t.term for t in entry.tags} == {"社会救助", "目录事项"}
    assert entry.published_parsed is not None


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_markup_in_the_data_is_shown_as_text_never_rendered(client, publish, fmt):
    publish(level2="名单 <b>公示</b>", content="<script>alert(1)</script> & 其他")
    parsed, response = _parse(client, _url("all", fmt=fmt), fmt)
    assert b"<script>" not in response.content
    (entry,) = parsed.entries
    assert entry.title == "最低生活保障 / 名单 <b>公示</b>"  # the title is text
    # The summary is HTML for readers: the markup arrives escaped, to be shown as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 其他" in entry.summary


def test_feed_is_capped_at_the_newest_entries(client, publish):
    for i in range(FEED_SIZE + 3):
        publish(level2=f"第{i}批名单")
    parsed, _ = _parse(client, _url("all"), "rss")
    assert len(parsed.entries) == FEED_SIZE
    assert parsed.entries[0].title == f"最低生活保障 / 第{FEED_SIZE + 2}批名单"


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/domain/no_such_domain/rss.xml",
        "/feeds/agency/N-MOE/atom.xml",  # national departments have no portal page
        "/feeds/agency/NOPE/feed.json",
        "/feeds/item/999999/rss.xml",
        "/feeds/item/abc/rss.xml",
        "/feeds/item/99999999999999999999999/rss.xml",
        "/feeds/planet/x/rss.xml",
    ],
)
def test_unknown_scopes_are_404(client, catalog, url):
    assert client.get(url).status_code == 404


def test_a_draft_has_no_feed(client, catalog):
    assert client.get(_url("item", catalog["draft"].pk)).status_code == 404


def test_retired_item_leaves_the_feeds_and_the_item_feed_goes(client, catalog, zone):
    from tests.portal.helpers import _staff

    reviewer = _staff(zone["mzj"])[1]
    services.transition(reviewer, catalog["temp"], "retire", note="事项取消")
    parsed, _ = _parse(client, _url("domain", "social_assistance", "atom"), "atom")
    assert _titles(parsed) == ["最低生活保障 / 审核确认结果"]
    assert client.get(_url("item", catalog["temp"].pk)).status_code == 404


def test_conditional_get_and_cache_headers(client, catalog, publish):
    url = _url("domain", "social_assistance", "atom")
    first = client.get(url)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # Different formats of the same scope never share an ETag.
    assert client.get(_url("domain", "social_assistance", "rss"))["ETag"] != first["ETag"]
    publish(level2="新发布的事项")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_feeds_answer_only_reads(client, catalog):
    assert client.post(_url("all")).status_code == 405


def test_site_url_setting_makes_links_absolute_to_the_public_host(client, catalog, settings):
    settings.GONGKAI_SITE_URL = "https://gk.example.gov.cn"
    parsed, _ = _parse(client, _url("all", fmt="atom"), "atom")
    assert all(e.link.startswith("https://gk.example.gov.cn/items/") for e in parsed.entries)


needs_records = pytest.mark.skipif(record_model() is None, reason="gongkai.disclosure absent")


def _record(item, title: str, **fields):
    Record = record_model()
    now = timezone.now()
    return Record.objects.create(
        item=item,
        agency=item.agency,
        title=title,
        body="<p>城乡低保标准每人每月提高到<strong>800元</strong>。</p>",
        doc_number="示民发〔2026〕3号",
        issuer="示范经济开发区民政局",
        formed_on=now.date(),
        status=fields.pop("status", "published"),
        published_at=now,
        **fields,
    )


@needs_records
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_published_records_appear_in_their_scopes(client, catalog, fmt):
    _record(catalog["low"], "关于调整2026年城乡最低生活保障标准的通知")
    _record(catalog["low"], "尚未发布的通知", status="draft")
    for url in (
        _url("all", fmt=fmt),
        _url("domain", "social_assistance", fmt),
        _url("agency", "T-MZJ", fmt),
        _url("item", catalog["low"].pk, fmt),
    ):
        parsed, _ = _parse(client, url, fmt)
        titles = _titles(parsed)
        assert "关于调整2026年城乡最低生活保障标准的通知" in titles, url
        assert "尚未发布的通知" not in titles
    parsed, _ = _parse(client, _url("agency", "T-JYJ", fmt), fmt)
    assert "关于调整2026年城乡最低生活保障标准的通知" not in _titles(parsed)


@needs_records
def test_record_entry_is_plain_text_with_its_document_number(client, catalog):
    _record(catalog["low"], "关于调整2026年城乡最低生活保障标准的通知")
    parsed, _ = _parse(client, _url("item", catalog["low"].pk), "rss")
    entry = next(e for e in parsed.entries if e.title.startswith("关于调整"))
    assert "示民发〔2026〕3号" in entry.summary
    assert "800元" in entry.summary and "<strong>" not in entry.summary
