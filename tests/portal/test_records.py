"""Record pages (公开信息): what the public sees of a published record, its attachments, the
records list, and the item page's linkages (records, online services, policy documents,
feeds)."""

import datetime as dt
import re
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.disclosure import column, services
from gongkai.disclosure.models import ServiceLink
from tests.disclosure.builders import make_docx, make_pdf

from .helpers import _staff
from .records import draft_record, moment, publish_record
from .test_pages import get, text_of

PDF = make_pdf("Notice 2026")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def item(publish):
    return publish()  # 民政局 · 社会救助 · 最低生活保障 / 审核确认结果


@pytest.fixture
def record(item):
    return publish_record(
        item,
        title="关于调整2026年城乡最低生活保障标准的通知",
        doc_number="示开民发〔2026〕12号",
        written_on=dt.date(2026, 9, 20),
        formed_on=dt.date(2026, 9, 21),
        categories=["livelihood", "regulations"],
        files=[("2026年低保标准调整表.pdf", PDF)],
    )


def words(markup: str) -> str:
    """Visible text with a space where each tag was (table cells stay apart)."""
    return re.sub(r"\s+", " ", text_of(re.sub(r"<[^>]+>", " ", markup)))


def assert_strict_csp(response):
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    page = response.content.decode()
    assert not re.search(r"<style\b|\sstyle\s*=", page, re.I)
    assert not re.search(r"<script\b", page, re.I)
    assert not re.search(r"\son[a-z]+\s*=", page, re.I)


# ----------------------------------------------------------------------------- record page


def test_record_page_shows_the_document_fields(client, record, item):
    page = get(client, f"/records/{record.pk}/")
    text = words(page)
    assert "关于调整2026年城乡最低生活保障标准的通知" in text
    assert re.search(r"索引号 T-MZJ-\d{4}-\d{5}", text) and record.index_number in text
    assert "文号 示开民发〔2026〕12号" in text
    assert "发文机关 示范经济开发区民政局" in text
    assert "成文日期 2026年9月20日" in text
    published = record.published_on
    assert f"发布日期 {published.year}年{published.month}月{published.day}日" in text
    assert "主题分类 民政、扶贫、救灾" in text
    assert "经审核，以下家庭符合最低生活保障条件，现予公示。" in text
    # The Art. 20 categories link to the column's category pages, in the article's order.
    assert page.index("/xxgk/statutory/regulations/") < page.index("/xxgk/statutory/livelihood/")
    assert "（1）行政法规、规章和规范性文件" in text
    # Filed under its catalog item (linked), with the item's and the agency's feeds.
    assert f'href="/items/{item.pk}/"' in page
    for fmt in ("rss.xml", "atom.xml", "feed.json"):
        assert f'href="/feeds/item/{item.pk}/{fmt}"' in page
        assert f'href="/feeds/agency/T-MZJ/{fmt}"' in page
    attachment = record.attachments.get()
    assert f'href="/records/{record.pk}/attachments/{attachment.pk}/"' in page
    assert "2026年低保标准调整表.pdf" in text and "PDF" in text
    assert "本文件已" not in text  # not a normative document: no validity banner


@pytest.mark.parametrize("state", ["draft", "submitted", "withdrawn"])
def test_unpublished_records_and_their_files_are_404(client, item, state):
    editor, reviewer = _staff(item.agency)
    record = draft_record(item, title="尚未公开的通知")
    services.add_attachment(editor, record, PDF, "内部.pdf")
    if state in ("submitted", "withdrawn"):
        services.submit(editor, record)
    if state == "withdrawn":
        services.approve(reviewer, record)
        assert client.get(f"/records/{record.pk}/").status_code == 200
        services.withdraw(reviewer, record, "信息有误")
    attachment = record.attachments.get()
    assert client.get(f"/records/{record.pk}/").status_code == 404
    assert client.get(f"/records/{record.pk}/attachments/{attachment.pk}/").status_code == 404
    assert "尚未公开的通知" not in text_of(get(client, "/records/"))
    assert "尚未公开的通知" not in text_of(get(client, f"/items/{item.pk}/"))


def test_no_record_is_404(client, zone):
    assert client.get("/records/999999/").status_code == 404


@pytest.mark.parametrize(
    ("validity", "validity_date", "banner"),
    [
        ("valid", dt.date(2026, 10, 1), None),
        ("expired", dt.date(2026, 10, 31), "本文件已失效"),
        ("repealed", dt.date(2026, 11, 2), "本文件已废止"),
    ],
)
def test_normative_record_shows_its_validity(client, item, validity, validity_date, banner):
    record = publish_record(
        item,
        title="示范区最低生活保障实施办法",
        is_normative=True,
        validity=validity,
        validity_date=validity_date,
        categories=["regulations"],
    )
    page = get(client, f"/records/{record.pk}/")
    text = words(page)
    label = {"valid": "有效", "expired": "失效", "repealed": "废止"}[validity]
    assert f"效力状态 {label}" in text
    when = f"{validity_date.year}年{validity_date.month}月{validity_date.day}日"
    if banner is None:
        assert "banner" not in page and "本文件已" not in text
        assert re.search(rf"施行日期：\s*{when}", text)
    else:
        found = re.search(r'<div class="banner banner--warn" role="note">(.*?)</div>', page, re.S)
        assert found, "a record that is no longer in force says so before anything else"
        assert banner in text_of(found.group(1)) and when in text_of(found.group(1))
        assert page.index("banner--warn") < page.index("record-meta")


def test_script_in_a_body_never_reaches_the_page(client, item):
    payload = (
        "<p>通知正文</p><script>alert('x')</script>"
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">点击</a>'
        '<p style="color:red" onclick="alert(3)">样式</p><iframe src="https://evil.example"></iframe>'
        '<svg onload="alert(4)"></svg>'
    )
    record = publish_record(item, title="含有脚本的通知", body=payload)
    response = client.get(f"/records/{record.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "通知正文" in page and "样式" in page
    assert "<script" not in page.lower()
    assert "javascript:" not in page.lower()
    assert "<iframe" not in page.lower() and "<svg" not in page.lower()
    assert_strict_csp(response)


def test_record_pages_keep_the_strict_csp(client, record, item):
    for url in ("/records/", f"/records/{record.pk}/", f"/items/{item.pk}/", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_csp(response)


# ----------------------------------------------------------------------------- attachments


def test_attachment_downloads_with_its_original_name(client, record):
    attachment = record.attachments.get()
    response = client.get(f"/records/{record.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("2026年低保标准调整表.pdf")
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(PDF))
    assert "sandbox" in response["Content-Security-Policy"]
    # Revalidated each time (a withdrawn record's file must stop at once), cheap when unchanged.
    assert response["Cache-Control"] == "no-cache"
    again = client.get(
        f"/records/{record.pk}/attachments/{attachment.pk}/",
        headers={"if-none-match": response["ETag"]},
    )
    assert again.status_code == 304


def test_attachment_of_another_record_is_404(client, item, record):
    other = publish_record(item, title="另一条通知", files=[("名单.docx", make_docx("名单"))])
    attachment = other.attachments.get()
    assert client.get(f"/records/{record.pk}/attachments/{attachment.pk}/").status_code == 404
    response = client.get(f"/records/{other.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_withdrawing_stops_the_download(client, record, item):
    attachment = record.attachments.get()
    url = f"/records/{record.pk}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 200
    _, reviewer = _staff(item.agency)
    services.withdraw(reviewer, record, "附件有误，撤回更正")
    assert client.get(url).status_code == 404


def test_attachment_view_answers_only_reads(client, record):
    attachment = record.attachments.get()
    url = f"/records/{record.pk}/attachments/{attachment.pk}/"
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200


# ----------------------------------------------------------------------------- records list


def test_records_list_newest_first_and_only_published(client, item):
    publish_record(item, title="一月的通知", at=moment(2026, 1, 15))
    publish_record(item, title="六月的通知", at=moment(2026, 6, 15))
    publish_record(item, title="三月的通知", at=moment(2026, 3, 16))
    draft_record(item, title="草稿通知")
    text = text_of(get(client, "/records/"))
    assert "共 3 条公开信息" in text
    assert text.index("六月的通知") < text.index("三月的通知") < text.index("一月的通知")
    assert "草稿通知" not in text


def test_records_list_filters(client, publish, zone, item):
    school = publish("jyj", "compulsory_education", level1="招生管理", level2="招生计划")
    publish_record(item, title="低保通知", categories=["livelihood"], at=moment(2025, 12, 1))
    publish_record(
        item, title="预算公开", categories=["budget"], topic="finance", at=moment(2026, 2, 2)
    )
    publish_record(
        school, title="招生计划公告", categories=["livelihood"], topic="science_education"
    )

    def titles(query):
        text = text_of(get(client, f"/records/?{query}"))
        return {t for t in ("低保通知", "预算公开", "招生计划公告") if t in text}

    assert titles("") == {"低保通知", "预算公开", "招生计划公告"}
    assert titles("category=budget") == {"预算公开"}
    assert titles("category=livelihood") == {"低保通知", "招生计划公告"}
    assert titles("agency=T-JYJ") == {"招生计划公告"}
    assert titles("domain=social_assistance") == {"低保通知", "预算公开"}
    assert titles("topic=finance") == {"预算公开"}
    assert titles("year=2025") == {"低保通知"}
    assert titles(f"item={school.pk}") == {"招生计划公告"}
    assert titles("category=livelihood&agency=T-MZJ") == {"低保通知"}
    # Nonsense is ignored, never an error.
    assert titles("category=nope&year=abc&topic=<script>&item=x") == {
        "低保通知",
        "预算公开",
        "招生计划公告",
    }
    page = get(client, "/records/?year=2025")
    assert '<option value="2025" selected>' in page


def test_records_list_pages(client, item, settings):
    settings.PORTAL_PAGE_SIZE = 2
    for n in range(5):
        publish_record(item, title=f"第{n}号通知", at=moment(2026, 1, 10 + n))
    first = text_of(get(client, "/records/"))
    assert "第4号通知" in first and "第3号通知" in first and "第2号通知" not in first
    last = text_of(get(client, "/records/?page=3"))
    assert "第0号通知" in last and "第1号通知" not in last
    assert "第 3 / 3 页，共 5 项" in last


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    params=st.dictionaries(
        st.sampled_from(["domain", "agency", "topic", "category", "year", "item", "page"]),
        st.text(max_size=30),
        max_size=5,
    )
)
def test_records_list_never_fails_on_any_query(client, zone, params):
    response = client.get("/records/", params)
    assert response.status_code == 200


# ----------------------------------------------------------------------------- item page


def test_item_page_lists_records_services_policies_and_feeds(client, item, publish, zone):
    editor, _ = _staff(item.agency)
    publish_record(item, title="较早的公示", at=moment(2026, 3, 2))
    publish_record(item, title="最新的公示", at=moment(2026, 8, 3))
    rule = publish_record(
        item,
        title="示范区最低生活保障实施办法",
        doc_number="示开管发〔2026〕3号",
        is_normative=True,
        validity="valid",
        validity_date=dt.date(2026, 4, 1),
        categories=["regulations"],
        at=moment(2026, 4, 1),
    )
    # A policy document of another agency, linked explicitly.
    other_item = publish("jyj", "compulsory_education", level1="招生管理", level2="招生计划")
    national = publish_record(other_item, title="困难学生资助办法", at=moment(2026, 5, 6))
    column.link_policy(editor, item, national)
    column.save_service_link(
        editor, item=item, name="最低生活保障申请", url="https://zwfw.example.gov.cn/item/123"
    )
    column.save_service_link(
        editor, item=item, name="低保待遇查询", url="https://zwfw.example.gov.cn/q", sort_order=1
    )

    page = get(client, f"/items/{item.pk}/")
    text = text_of(page)
    records = re.search(r'<section class="section panel item-records".*?</section>', page, re.S)
    assert records
    records_text = text_of(records.group(0))
    assert records_text.index("最新的公示") < records_text.index("实施办法")
    assert records_text.index("实施办法") < records_text.index("较早的公示")
    assert "困难学生资助办法" not in records_text  # filed under another item
    # 在线办事: links to the service platform, in their order.
    assert 'href="https://zwfw.example.gov.cn/item/123"' in page
    assert text.index("最低生活保障申请") < text.index("低保待遇查询")
    # 政策文件: the normative record filed here and the linked one.
    policies = re.search(r'id="policies-title".*?</section>', page, re.S).group(0)
    assert f"/records/{rule.pk}/" in policies and f"/records/{national.pk}/" in policies
    assert "示开管发〔2026〕3号" in text_of(policies) and "有效" in text_of(policies)
    assert "较早的公示" not in text_of(policies)
    # Feeds, also announced in <head> for feed readers.
    for fmt in ("rss.xml", "atom.xml", "feed.json"):
        assert f'href="/feeds/item/{item.pk}/{fmt}"' in page
    assert re.search(
        rf'<link rel="alternate" type="application/rss\+xml"[^>]*/feeds/item/{item.pk}/', page
    )


def test_item_page_caps_records_with_a_link_to_all(client, item):
    for n in range(12):
        publish_record(item, title=f"第{n:02d}期公示", at=moment(2026, 1, 5 + n))
    page = get(client, f"/items/{item.pk}/")
    text = text_of(page)
    assert "第11期公示" in text and "第02期公示" in text and "第01期公示" not in text
    assert f'href="/records/?item={item.pk}"' in page and "全部12条" in text
    listed = text_of(get(client, f"/records/?item={item.pk}"))
    assert "共 12 条公开信息" in listed and "所属公开事项：审核确认结果" in listed


def test_item_page_without_linkages_says_so(client, item):
    text = text_of(get(client, f"/items/{item.pk}/"))
    assert "本事项暂无已发布的公开信息。" in text
    assert "本事项暂无关联的在线办事事项。" in text
    assert "暂无关联的政策文件。" in text


# ----------------------------------------------------------------------------- links (rules)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example.gov.cn/a",
        "zwfw.example.gov.cn/item/1",
        "https://",
    ],
)
def test_service_link_accepts_only_http_addresses(item, url):
    editor, _ = _staff(item.agency)
    with pytest.raises(ValidationError):
        column.save_service_link(editor, item=item, name="办理", url=url)
    assert not ServiceLink.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(url=st.text(max_size=60) | st.from_regex(r"[A-Za-z]{2,6}://[a-z]{1,10}\.cn/[a-z]*"))
def test_any_saved_service_link_is_http_or_https(item, url):
    editor, _ = _staff(item.agency)
    try:
        link = column.save_service_link(editor, item=item, name="办理", url=url)
    except ValidationError:
        return
    assert link.url.startswith(("http://", "https://"))


def test_service_link_scheme_case_is_normalised(item):
    editor, _ = _staff(item.agency)
    link = column.save_service_link(editor, item=item, name="办理", url="HTTPS://zwfw.gov.cn/a")
    assert link.url == "https://zwfw.gov.cn/a"


def test_only_the_items_agency_edits_its_links(item, people, record):
    with pytest.raises(PermissionDenied):
        column.save_service_link(
            people["other_editor"], item=item, name="办理", url="https://zwfw.gov.cn/a"
        )
    with pytest.raises(PermissionDenied):
        column.link_policy(people["other_editor"], item, record)
    with pytest.raises(PermissionDenied):
        column.save_service_link(people["auditor"], item=item, name="办理", url="https://a.cn/")


def test_another_agencys_draft_cannot_be_linked(item, people, publish):
    school = publish("jyj", "compulsory_education", level1="招生管理", level2="招生计划")
    draft = draft_record(item, title="民政局的草稿")
    with pytest.raises(PermissionDenied):
        column.link_policy(people["other_editor"], school, draft)
    column.link_policy(people["editor"], item, draft)  # its own draft: shown once published


def test_links_are_audited(item, record):
    from gongkai.core.models import AuditEntry

    editor, _ = _staff(item.agency)
    link = column.save_service_link(editor, item=item, name="办理", url="https://zwfw.gov.cn/a")
    column.remove_service_link(editor, link)
    policy = column.link_policy(editor, item, record)
    column.unlink_policy(editor, policy)
    actions = list(
        AuditEntry.objects.filter(action__contains="_link.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "disclosure.service_link.save",
        "disclosure.service_link.remove",
        "disclosure.policy_link.save",
        "disclosure.policy_link.remove",
    ]


def test_withdrawn_record_cannot_become_a_policy_document(item, record):
    editor, reviewer = _staff(item.agency)
    services.withdraw(reviewer, record, "撤回")
    with pytest.raises(ValidationError):
        column.link_policy(editor, item, record)


# ----------------------------------------------------------------------------- search


def test_search_finds_records_with_their_type(client, record):
    page = get(client, "/search/?q=低保标准")
    assert f'href="/records/{record.pk}/"' in page
    hit = re.search(rf'<li class="search-hit">.*?/records/{record.pk}/.*?</li>', page, re.S)
    assert hit and "公开信息" in text_of(hit.group(0))
    # The type facet names the records in Chinese and filters to them.
    assert re.search(r'<span class="facet__name">公开信息</span>', page)
    only = text_of(get(client, "/search/?q=低保标准&type=record"))
    assert "关于调整2026年城乡最低生活保障标准的通知" in only
