"""The back office for records: Chinese, scoped to the user's agencies, every step
through the services, findings and lateness visible where people look."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.core.models import AuditEntry
from gongkai.disclosure import services
from gongkai.disclosure.models import Record, RecordStatus

from . import builders
from .builders import VALID_ID, published_item

URL = "/admin/disclosure/record/"


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_list_is_in_chinese_and_scoped(client, people, zone, elements, record):
    other_item = published_item(people, zone, elements, level2="教育局事项")
    other_item.agency = zone["jyj"]
    other_item.save()
    other = services.create_record(
        people["other_editor"], other_item, title="教育局的通知", formed_on=dt.date(2026, 9, 1)
    )
    client.force_login(people["editor"])
    page = _page(client, URL)
    assert "公开信息" in page and record.title in page and "教育局的通知" not in page
    assert client.get(f"{URL}{other.pk}/change/").status_code in (302, 403)
    assert "政务公开管理后台" in _page(client, "/admin/")


def test_editor_adds_a_draft_through_the_form(client, people, item):
    client.force_login(people["editor"])
    response = client.post(
        f"{URL}add/",
        {
            "item": item.pk,
            "title": "关于临时救助标准的通知",
            "body": '<p onclick="steal()">正文</p><script>alert(1)</script>',
            "formed_on": "2026-09-25",
            "topic": "civil_affairs",
            "categories": ["livelihood"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Record.objects.get(title="关于临时救助标准的通知")
    assert record.body == "<p>正文</p>" and record.status == RecordStatus.DRAFT
    assert record.created_by == people["editor"]
    assert AuditEntry.objects.filter(action="disclosure.create", object_id=str(record.pk)).exists()


def test_workflow_buttons_drive_the_services(client, people, record):
    client.force_login(people["editor"])
    page = _page(client, f"{URL}{record.pk}/change/")
    assert "提交审核" in page and "审核通过并发布" not in page
    response = client.post(f"{URL}{record.pk}/step/submit/", {"note": ""})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED

    client.force_login(people["reviewer"])
    page = _page(client, f"{URL}{record.pk}/change/")
    assert "审核通过并发布" in page and "退回修改" in page
    client.post(f"{URL}{record.pk}/step/approve/", {"note": "同意"})
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED and record.index_number


def test_reject_without_reason_shows_the_error(client, people, record):
    services.submit(people["editor"], record)
    client.force_login(people["reviewer"])
    response = client.post(f"{URL}{record.pk}/step/reject/", {"note": ""}, follow=True)
    assert "需要填写理由" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_schedule_from_the_form(client, people, record):
    services.submit(people["editor"], record)
    client.force_login(people["reviewer"])
    when = timezone.localtime() + dt.timedelta(days=2)
    client.post(f"{URL}{record.pk}/step/schedule/", {"publish_at": when.strftime("%Y-%m-%dT%H:%M")})
    record.refresh_from_db()
    assert record.status == RecordStatus.SCHEDULED
    assert abs((record.publish_at - when).total_seconds()) < 60


def test_findings_are_shown_with_where_they_are_and_masked(client, people, make_record):
    record = make_record(body=f"<p>第一行</p><p>身份证号：{VALID_ID}</p>")
    services.submit(people["editor"], record)
    client.force_login(people["reviewer"])
    page = _page(client, f"{URL}{record.pk}/change/")
    assert "居民身份证号码" in page and "第2行" in page and "正文" in page
    findings = page.split("field-findings_display")[1].split("field-warnings_display")[0]
    assert "110105" in findings and VALID_ID not in findings  # shown masked
    assert "遮盖个人信息" in page and "放行筛查结果" in page
    client.post(f"{URL}{record.pk}/step/mask/")
    record.refresh_from_db()
    assert record.screen_findings == [] and VALID_ID not in record.body


def test_override_from_the_form_requires_a_reason(client, people, make_record):
    record = make_record(body="<p>值班手机：13912345678</p>")
    services.submit(people["editor"], record)
    client.force_login(people["reviewer"])
    response = client.post(f"{URL}{record.pk}/step/override/", {"note": ""}, follow=True)
    assert "须填写理由" in response.content.decode()
    client.post(f"{URL}{record.pk}/step/override/", {"note": "公开的值班电话"})
    record.refresh_from_db()
    assert record.screen_override["reason"] == "公开的值班电话"


def test_upload_and_refusal_messages(client, people, record):
    client.force_login(people["editor"])
    url = f"{URL}{record.pk}/attachments/"
    pdf = SimpleUploadedFile("通知.pdf", builders.make_pdf(), content_type="application/pdf")
    client.post(url, {"file": pdf})
    assert record.attachments.count() == 1
    fake = SimpleUploadedFile("通知.pdf", builders.make_exe(), content_type="application/pdf")
    response = client.post(url, {"file": fake}, follow=True)
    assert "可执行程序" in response.content.decode()
    assert record.attachments.count() == 1
    page = _page(client, f"{URL}{record.pk}/change/")
    attachment = record.attachments.get()
    download = f"{URL}{record.pk}/attachments/{attachment.pk}/"
    assert "通知.pdf" in page and download in page
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == builders.make_pdf()
    client.force_login(people["other_editor"])  # another agency: not even the file
    assert client.get(download).status_code == 404


def test_late_records_are_flagged_in_the_list(client, people, record):
    services.submit(people["editor"], record)
    services.approve(people["reviewer"], record)
    Record.objects.filter(pk=record.pk).update(published_on=dt.date(2026, 11, 5))
    client.force_login(people["reviewer"])
    page = _page(client, f"{URL}?late=yes")
    assert record.title in page and "逾期5个工作日" in page
    assert record.title not in _page(client, f"{URL}?late=no").split("</thead>")[-1]
    assert record.title in _page(client, f"{URL}?category=livelihood")


def test_recompute_due_is_offered_to_admins_only(client, people, record):
    services.submit(people["editor"], record)
    client.force_login(people["reviewer"])
    assert "重新计算期限" not in _page(client, f"{URL}{record.pk}/change/")
    client.force_login(people["admin"])
    assert "重新计算期限" in _page(client, f"{URL}{record.pk}/change/")
    client.post(f"{URL}{record.pk}/step/recompute_due/", {"note": "核对"})
    assert AuditEntry.objects.filter(action="disclosure.recompute_due").count() == 1


def test_periodic_gaps_page(client, people, zone, elements):
    published_item(people, zone, elements, level2="低保对象名单", time_limit_text="每季度")
    client.force_login(people["reviewer"])
    page = _page(client, f"{URL}periodic/?agency=T-MZJ")
    assert "定期公开缺漏" in page


def test_nothing_can_be_deleted(client, people, record):
    client.force_login(people["admin"])
    assert client.get(f"{URL}{record.pk}/delete/").status_code in (302, 403)
    assert Record.objects.filter(pk=record.pk).exists()


def test_a_draft_formed_long_ago_is_listed_as_late(client, people, make_record):
    old = make_record(title="久拖未报的草稿", formed_on=dt.date(2025, 3, 3))
    make_record(title="今天形成的草稿", formed_on=timezone.localdate())
    client.force_login(people["reviewer"])
    rows = _page(client, f"{URL}?late=yes").split("</thead>")[-1]
    assert old.title in rows and "今天形成的草稿" not in rows
    assert "逾期" in rows and "尚未发布" in rows
    assert old.title not in _page(client, f"{URL}?late=no").split("</thead>")[-1]


def test_auditors_are_not_offered_rescreen_and_cannot_post_it(client, people, record):
    services.submit(people["editor"], record)
    client.force_login(people["auditor"])
    assert "重新筛查" not in _page(client, f"{URL}{record.pk}/change/")
    response = client.post(f"{URL}{record.pk}/step/rescreen/", follow=True)
    assert "您没有权限重新筛查" in response.content.decode()
    assert not AuditEntry.objects.filter(action="disclosure.rescreen").exists()
    client.force_login(people["reviewer"])
    assert "重新筛查" in _page(client, f"{URL}{record.pk}/change/")
    client.post(f"{URL}{record.pk}/step/rescreen/")
    assert AuditEntry.objects.filter(action="disclosure.rescreen").count() == 1


def test_a_bad_attachment_number_is_a_message_not_an_error(client, people, record):
    services.add_attachment(people["editor"], record, builders.make_pdf(), "通知.pdf")
    client.force_login(people["editor"])
    response = client.post(f"{URL}{record.pk}/attachments/", {"remove": "abc"}, follow=True)
    assert response.status_code == 200
    assert "要删除的附件不存在" in response.content.decode()
    assert record.attachments.count() == 1


def test_a_file_missing_from_storage_is_a_404(client, people, record):
    attachment = services.add_attachment(people["editor"], record, builders.make_pdf(), "通知.pdf")
    attachment.file.storage.delete(attachment.file.name)  # lost on disk (restore, disk fault)
    client.force_login(people["editor"])
    response = client.get(f"{URL}{record.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_a_service_refusal_is_shown_on_the_form(client, people, item):
    # The form accepts the date; the service cannot count a due date from it.
    client.force_login(people["editor"])
    data = {
        "item": item.pk,
        "title": "关于临时救助标准的通知",
        "body": "<p>正文</p>",
        "formed_on": "9999-12-30",
        "topic": "civil_affairs",
        "categories": ["livelihood"],
    }
    response = client.post(f"{URL}add/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "信息形成日期无法计算公开期限" in page
    assert 'value="关于临时救助标准的通知"' in page  # what was typed is kept
    assert not Record.objects.exists()
    assert not AuditEntry.objects.filter(action="disclosure.create").exists()


def test_no_remove_button_once_a_record_was_published(client, people, record):
    services.add_attachment(people["editor"], record, builders.make_pdf(), "通知.pdf")
    client.force_login(people["editor"])
    assert 'name="remove"' in _page(client, f"{URL}{record.pk}/change/")
    builders.publish(people, record)
    services.withdraw(people["reviewer"], record, "附件需更正")
    services.transition(people["editor"], record, "reopen")
    page = _page(client, f"{URL}{record.pk}/change/")
    assert "通知.pdf" in page and 'name="remove"' not in page and 'name="file"' in page
