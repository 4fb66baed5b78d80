"""The disclosure column 政府信息公开 (/xxgk/): index, 指南 and 制度 pages edited in the back
office, 法定主动公开内容 by Art. 20 category, annual reports, 依申请公开."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEntry
from gongkai.core.workdays import add_workdays
from gongkai.disclosure import column
from gongkai.disclosure.models import AnnualReport, ColumnPage
from gongkai.disclosure.vocabularies import STATUTORY_CATEGORIES
from tests.conftest import make_user
from tests.disclosure.builders import make_docx, make_pdf, make_xlsx

from .records import draft_record, moment, publish_record
from .test_pages import get, text_of
from .test_records import assert_strict_csp, words


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def item(publish):
    return publish()


@pytest.fixture
def root(zone):
    return make_user("root", superuser=True)


# ----------------------------------------------------------------------------- navigation


def test_column_is_linked_from_the_navigation_and_the_home_page(client, zone):
    page = get(client, "/")
    nav = re.search(r'<nav class="site-nav".*?</nav>', page, re.S).group(0)
    assert '<a href="/xxgk/">政府信息公开</a>' in nav
    home = re.search(r'<section class="section panel" id="xxgk".*?</section>', page, re.S)
    assert home
    for url in ("/xxgk/guide/", "/xxgk/rules/", "/xxgk/statutory/", "/xxgk/reports/",
                "/xxgk/apply/", "/records/"):  # fmt: skip
        assert f'href="{url}"' in home.group(0)
    column_page = get(client, "/xxgk/")
    nav = re.search(r'<nav class="site-nav".*?</nav>', column_page, re.S).group(0)
    assert 'href="/xxgk/" aria-current="page"' in nav


def test_home_page_lists_the_latest_records(client, item):
    publish_record(item, title="最新的公示", at=moment(2026, 8, 3))
    publish_record(item, title="较早的公示", at=moment(2026, 3, 2))
    draft_record(item, title="草稿不应出现")
    text = text_of(get(client, "/"))
    assert "最新公开信息" in text
    assert text.index("最新的公示") < text.index("较早的公示")
    assert "草稿不应出现" not in text


# ----------------------------------------------------------------------------- index


def test_index_has_every_section_and_counts_per_category(client, item):
    publish_record(item, title="低保通知", categories=["livelihood"])
    publish_record(item, title="预算公开", categories=["budget", "livelihood"])
    draft_record(item, title="草稿", categories=["budget"])
    response = client.get("/xxgk/")
    assert response.status_code == 200
    assert_strict_csp(response)
    page = response.content.decode()
    text = words(page)
    for title in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报",
                  "依申请公开", "公开信息检索"):  # fmt: skip
        assert title in text
    categories = re.findall(r'<ol class="category-list">(.*?)</ol>', page, re.S)[0]
    entries = re.findall(r'href="/xxgk/statutory/([a-z_]+)/"', categories)
    assert entries == [code for code, _ in STATUTORY_CATEGORIES]  # all 15, Art. 20's order
    counts = dict(
        re.findall(r'/xxgk/statutory/([a-z_]+)/".*?category-list__count">(\d+) 条', categories)
    )
    assert counts["livelihood"] == "2" and counts["budget"] == "1" and counts["fees"] == "0"
    assert "（11） 扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况" in text
    assert "低保通知" in text and "草稿" not in text  # latest records


def test_statutory_page_lists_the_15_categories(client, item):
    publish_record(item, title="预算公开", categories=["budget"])
    text = words(get(client, "/xxgk/statutory/"))
    assert "第二十条" in text
    for number, (_, label) in enumerate(STATUTORY_CATEGORIES, 1):
        assert f"（{number}） {label}" in text
    assert re.search(r"财政预算、决算信息 1 条", text)


# ----------------------------------------------------------------------------- category


def test_category_page_lists_the_tagged_records(client, item, publish):
    school = publish("jyj", "compulsory_education", level1="招生管理", level2="招生计划")
    publish_record(item, title="2026年部门预算", categories=["budget"], at=moment(2026, 2, 2))
    publish_record(school, title="教育局2026年预算", categories=["budget"], at=moment(2026, 3, 3))
    publish_record(item, title="低保通知", categories=["livelihood"])
    draft_record(item, title="未发布的预算", categories=["budget"])
    response = client.get("/xxgk/statutory/budget/")
    assert response.status_code == 200
    assert_strict_csp(response)
    text = words(response.content.decode())
    assert "财政预算、决算信息" in text and "第二十条第（7）项" in text
    assert "共 2 条公开信息" in text
    assert text.index("教育局2026年预算") < text.index("2026年部门预算")  # newest first
    assert "低保通知" not in text and "未发布的预算" not in text
    filtered = words(get(client, "/xxgk/statutory/budget/?agency=T-JYJ"))
    assert "教育局2026年预算" in filtered and "2026年部门预算" not in filtered
    # The category is fixed by the address: a category parameter cannot widen it.
    fixed = words(get(client, "/xxgk/statutory/budget/?category=livelihood"))
    assert "低保通知" not in fixed


def test_unknown_category_is_404(client, zone):
    assert client.get("/xxgk/statutory/nope/").status_code == 404


# ----------------------------------------------------------------------------- 指南 and 制度


def test_guide_and_rules_pages_before_anyone_writes_them(client, zone):
    for slug, title in (("guide", "政府信息公开指南"), ("rules", "政府信息公开制度")):
        text = text_of(get(client, f"/xxgk/{slug}/"))
        assert title in text and "本页内容正在编制中。" in text
    assert client.get("/xxgk/other/").status_code == 404


def test_guide_written_in_the_back_office_is_shown_sanitised(client, root, zone):
    column.save_column_page(
        root,
        slug="guide",
        title="示范经济开发区管委会政府信息公开指南",
        body=(
            "<h2>一、主动公开</h2><p>受理机构：党政办公室</p>"
            '<script>alert(1)</script><p onclick="x()" style="color:red">办公时间：工作日</p>'
        ),
    )
    response = client.get("/xxgk/guide/")
    assert response.status_code == 200
    assert_strict_csp(response)
    page = response.content.decode()
    assert "<h2>一、主动公开</h2>" in page and "受理机构：党政办公室" in page
    assert "办公时间：工作日" in page and "alert(1)" not in page
    stored = ColumnPage.objects.get(slug="guide", agency=None)
    assert "<script" not in stored.body and "onclick" not in stored.body


def test_agency_guide_has_its_own_page_and_is_listed(client, people, zone):
    column.save_column_page(
        people["admin"], slug="guide", title="民政局政府信息公开指南", agency=zone["mzj"],
        body="<p>民政局办公室受理申请。</p>",
    )  # fmt: skip
    text = text_of(get(client, "/xxgk/agencies/T-MZJ/guide/"))
    assert "民政局政府信息公开指南" in text and "民政局办公室受理申请。" in text
    assert 'href="/xxgk/agencies/T-MZJ/guide/"' in get(client, "/xxgk/")
    assert 'href="/xxgk/agencies/T-MZJ/guide/"' in get(client, "/xxgk/guide/")
    assert 'href="/xxgk/agencies/T-MZJ/guide/"' in get(client, "/agencies/T-MZJ/")
    assert client.get("/xxgk/agencies/T-JYJ/guide/").status_code == 404


def test_who_may_edit_column_pages(people, zone, root):
    mzj = zone["mzj"]
    # An agency's admin writes the agency's pages, not another agency's nor the government's.
    column.save_column_page(people["admin"], slug="rules", title="民政局制度", agency=mzj)
    with pytest.raises(PermissionDenied):
        column.save_column_page(people["admin"], slug="rules", title="教育局", agency=zone["jyj"])
    with pytest.raises(PermissionDenied):
        column.save_column_page(people["admin"], slug="rules", title="政府制度")
    for role in ("editor", "reviewer", "auditor", "nobody"):
        with pytest.raises(PermissionDenied):
            column.save_column_page(people[role], slug="guide", title="指南", agency=mzj)
    # The government's pages: whoever holds the permission (granted by a superuser).
    writer = people["nobody"]
    writer.user_permissions.add(Permission.objects.get(codename="change_columnpage"))
    writer = type(writer).objects.get(pk=writer.pk)  # fresh permission cache
    page = column.save_column_page(writer, slug="rules", title="政府信息公开制度")
    column.save_column_page(writer, page, body="<p>第一条</p>")
    entries = AuditEntry.objects.filter(action="disclosure.column_page.save").order_by("id")
    assert entries.count() == 3
    last = entries.last()
    assert last.actor == writer and last.before["body_sha256"] != last.after["body_sha256"]


def test_reserved_and_duplicate_slugs_are_refused(root, zone):
    for slug in ("statutory", "reports", "apply", "agencies"):
        with pytest.raises(ValidationError):
            column.save_column_page(root, slug=slug, title="冲突")
    column.save_column_page(root, slug="guide", title="指南")
    with pytest.raises(ValidationError):
        column.save_column_page(root, slug="guide", title="第二份指南")
    # The same slug for an agency is another page.
    column.save_column_page(root, slug="guide", title="民政局指南", agency=zone["mzj"])
    with pytest.raises(ValidationError):
        column.save_column_page(root, slug="guide", title="又一份", agency=zone["mzj"])


def test_custom_page_is_reachable_from_the_index(client, root, zone):
    column.save_column_page(root, slug="catalog", title="政府信息公开目录", body="<p>目录说明</p>")
    assert 'href="/xxgk/catalog/"' in get(client, "/xxgk/")
    assert "目录说明" in text_of(get(client, "/xxgk/catalog/"))


# ----------------------------------------------------------------------------- annual reports


def test_annual_reports_by_year_only_when_published(client, root, zone, people):
    pdf = make_pdf("Annual report 2025")
    gov = column.save_annual_report(
        root, year=2025, title="示范经济开发区管委会2025年政府信息公开工作年度报告",
        body="<p>一、总体情况</p>", is_published=True,
        file_data=pdf, file_name="2025年度报告.pdf",
    )  # fmt: skip
    column.save_annual_report(
        people["admin"], agency=zone["mzj"], year=2025, title="民政局2025年度报告",
        file_data=make_docx("民政局年度报告"), file_name="民政局.docx", is_published=True,
    )  # fmt: skip
    column.save_annual_report(root, year=2024, title="2024年度报告（草稿）", body="<p>草稿</p>")
    response = client.get("/xxgk/reports/")
    assert_strict_csp(response)
    text = words(response.content.decode())
    assert "2025年度" in text and "2024年度" not in text and "草稿" not in text
    assert text.index("示范经济开发区管委会2025年") < text.index("民政局2025年度报告")
    page = get(client, f"/xxgk/reports/{gov.pk}/")
    assert "一、总体情况" in page and f'href="/xxgk/reports/{gov.pk}/file/"' in page
    download = client.get(f"/xxgk/reports/{gov.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    assert download["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert download["X-Content-Type-Options"] == "nosniff"
    draft = AnnualReport.objects.get(year=2024)
    assert client.get(f"/xxgk/reports/{draft.pk}/").status_code == 404
    assert client.get(f"/xxgk/reports/{draft.pk}/file/").status_code == 404
    assert gov.published_at is not None
    assert AuditEntry.objects.filter(action="disclosure.annual_report.publish").count() == 2


def test_annual_report_files_are_pdf_or_docx_and_published_reports_have_content(root, zone):
    with pytest.raises(ValidationError):
        column.save_annual_report(
            root, year=2025, title="表格", file_data=make_xlsx([["a"]]), file_name="a.xlsx"
        )
    with pytest.raises(ValidationError):
        column.save_annual_report(
            root, year=2025, title="伪装", file_data=b"MZ\x90\x00" + b"\0" * 200, file_name="a.pdf"
        )
    with pytest.raises(ValidationError):
        column.save_annual_report(root, year=2025, title="空报告", is_published=True)
    assert not AnnualReport.objects.exists()


def test_unpublishing_a_report_takes_it_off_the_site(client, root, zone):
    report = column.save_annual_report(
        root, year=2025, title="2025年度报告", body="<p>正文</p>", is_published=True
    )
    assert client.get(f"/xxgk/reports/{report.pk}/").status_code == 200
    column.save_annual_report(root, report, is_published=False)
    assert client.get(f"/xxgk/reports/{report.pk}/").status_code == 404
    assert AuditEntry.objects.filter(action="disclosure.annual_report.unpublish").exists()


# ----------------------------------------------------------------------------- 依申请公开


def test_apply_page_states_the_statutory_deadlines(client, zone):
    from django.utils import timezone

    response = client.get("/xxgk/apply/")
    assert response.status_code == 200
    assert_strict_csp(response)
    text = text_of(response.content.decode())
    assert "自收到申请之日起20个工作日内予以答复" in text
    assert "延长的期限最长不得超过20个工作日" in text
    assert "经政府信息公开工作机构负责人同意并告知申请人" in text
    assert "自收到申请之日起7个工作日内一次性告知申请人作出补正" in text
    assert "15个工作日内提出意见" in text
    assert "征求第三方和其他机关意见所需时间不计算在前述期限内" in text
    assert "视为放弃申请" in text and "不收取费用" in text
    # The example works today's dates out on the working-day calendar.
    today = timezone.localdate()
    reply = add_workdays(today, 20).date
    extended = add_workdays(reply, 20).date
    correction = add_workdays(today, 7).date
    for day in (reply, extended, correction):
        assert f"{day.year}年{day.month}月{day.day}日" in text


def test_column_pages_keep_the_strict_csp(client, root, zone):
    column.save_column_page(root, slug="guide", title="指南", body="<p>正文</p>")
    urls = ["/xxgk/", "/xxgk/guide/", "/xxgk/rules/", "/xxgk/statutory/",
            "/xxgk/statutory/budget/", "/xxgk/reports/", "/xxgk/apply/", "/records/"]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_csp(response)


# ----------------------------------------------------------------------------- back office


def test_back_office_saves_a_guide_through_the_service(client, root, zone):
    client.force_login(root)
    assert client.get("/admin/disclosure/columnpage/add/").status_code == 200
    response = client.post(
        "/admin/disclosure/columnpage/add/",
        {
            "slug": "guide",
            "title": "政府信息公开指南",
            "body": "<p>受理机构</p><script>x()</script>",
            "sort_order": 0,
            "agency": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ColumnPage.objects.get(slug="guide")
    assert page.body == "<p>受理机构</p>" and page.updated_by == root
    assert AuditEntry.objects.filter(action="disclosure.column_page.save").count() == 1


def test_back_office_scopes_column_pages_to_the_agency_admin(client, root, people, zone):
    column.save_column_page(root, slug="guide", title="政府指南")
    column.save_column_page(root, slug="guide", title="民政局指南", agency=zone["mzj"])
    column.save_column_page(root, slug="guide", title="教育局指南", agency=zone["jyj"])
    client.force_login(people["admin"])
    text = text_of(get(client, "/admin/disclosure/columnpage/"))
    assert "民政局指南" in text and "教育局指南" not in text and "政府指南" not in text
    client.force_login(people["editor"])
    assert client.get("/admin/disclosure/columnpage/").status_code == 403


def test_back_office_uploads_an_annual_report(client, root, zone):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(root)
    response = client.post(
        "/admin/disclosure/annualreport/add/",
        {
            "agency": "",
            "year": 2025,
            "title": "2025年度报告",
            "body": "",
            "is_published": "on",
            "upload": SimpleUploadedFile("年报.pdf", make_pdf("Report"), "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = AnnualReport.objects.get()
    assert report.is_published and report.original_name == "年报.pdf"
    refused = client.post(
        "/admin/disclosure/annualreport/add/",
        {
            "agency": "",
            "year": 2024,
            "title": "2024",
            "upload": SimpleUploadedFile("a.xlsx", make_xlsx([["a"]])),
        },
    )
    assert refused.status_code == 200 and "只能是PDF或Word" in refused.content.decode()


def test_back_office_links_a_service_to_an_item(client, people, item):
    from gongkai.disclosure.models import ServiceLink

    client.force_login(people["editor"])
    response = client.post(
        "/admin/disclosure/servicelink/add/",
        {"item": item.pk, "name": "低保申请", "url": "javascript:alert(1)", "sort_order": 0},
    )
    assert response.status_code == 200 and not ServiceLink.objects.exists()
    response = client.post(
        "/admin/disclosure/servicelink/add/",
        {"item": item.pk, "name": "低保申请", "url": "https://zwfw.gov.cn/1", "sort_order": 0},
    )
    assert response.status_code == 302
    assert 'href="https://zwfw.gov.cn/1"' in get(client, f"/items/{item.pk}/")
    assert AuditEntry.objects.filter(action="disclosure.service_link.save").count() == 1


def test_back_office_pages_open(client, root, zone):
    client.force_login(root)
    for model in ("columnpage", "annualreport", "servicelink", "policylink"):
        for suffix in ("", "add/"):
            url = f"/admin/disclosure/{model}/{suffix}"
            assert client.get(url).status_code == 200, url


def test_policy_document_can_be_chosen_from_another_agency(client, people, publish, item):
    """An editor of 教育局 links a published 民政局 record to an 教育局 item: the chooser
    offers published records of every agency, but never another agency's drafts."""
    school = publish("jyj", "compulsory_education", level1="招生管理", level2="招生计划")
    published = publish_record(item, title="困难家庭学生资助实施办法")
    draft_record(item, title="困难家庭学生资助草稿")
    client.force_login(people["other_editor"])
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "disclosure", "model_name": "policylink", "field_name": "record",
         "term": "困难家庭"},
    )  # fmt: skip
    assert response.status_code == 200
    found = {r["text"] for r in response.json()["results"]}
    assert found == {"困难家庭学生资助实施办法"}
    response = client.post(
        "/admin/disclosure/policylink/add/",
        {"item": school.pk, "record": published.pk, "sort_order": 0},
    )
    assert response.status_code == 302
    assert f"/records/{published.pk}/" in get(client, f"/items/{school.pk}/")
