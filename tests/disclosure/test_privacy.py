"""The privacy screen in the workflow: findings block publication until masked or
overridden with a written, audited reason; ordinary official text passes."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEntry
from gongkai.disclosure import services
from gongkai.disclosure.models import RecordStatus

from . import builders
from .builders import VALID_ID

OFFICIAL_TEXT = (
    "<p>根据《示范市最低生活保障办法》（示民发〔2025〕12号）和区政府第15次常务会议精神，"
    "自2026年10月1日起，城市低保标准由每人每月850元提高到每人每月900元，"
    "农村低保标准提高到每人每年8400元，所需资金1,250.5万元由区财政安排。</p>"
    "<p>咨询电话：0991-12345678（工作日9:00—17:00）。统一社会信用代码：11650100MB1234567X。"
    "行政区划代码：990171。</p>"
)


def _submitted(people, make_record, body, **fields):
    record = make_record(body=body, **fields)
    services.submit(people["editor"], record)
    record.refresh_from_db()
    return record


def test_ordinary_official_text_passes(people, make_record):
    record = _submitted(people, make_record, OFFICIAL_TEXT, doc_number="示开民〔2026〕7号")
    assert record.screen_findings == [] and record.screened_at
    services.approve(people["reviewer"], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED


def test_valid_id_number_blocks_publication(people, make_record):
    body = f"<p>公示对象：张某某</p><p>身份证号：{VALID_ID}，保障人数3人。</p>"
    record = _submitted(people, make_record, body)
    [finding] = record.screen_findings
    assert finding["kind"] == "id_card" and finding["source"] == "正文" and finding["line"] == 2
    assert VALID_ID not in json.dumps(record.screen_findings)  # only the masked form is kept
    with pytest.raises(ValidationError, match="居民身份证号码"):
        services.approve(people["reviewer"], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.index_number is None


def test_mask_makes_it_publishable(people, make_record):
    body = f"<p>身份证号：<strong>{VALID_ID[:6]}</strong>{VALID_ID[6:]}，住址略。</p>"
    record = _submitted(people, make_record, body)
    assert len(record.screen_findings) == 1
    with pytest.raises(PermissionDenied):
        services.mask_personal_data(record, people["editor"])  # under review: reviewer's step
    services.mask_personal_data(record, people["reviewer"])
    record.refresh_from_db()
    assert VALID_ID not in record.body and "<strong>" in record.body  # markup kept
    assert record.body_text().startswith("身份证号：110105")
    assert record.body_text().endswith("002X，住址略。")
    assert record.screen_findings == []
    services.approve(people["reviewer2"], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED
    mask = AuditEntry.objects.get(action="disclosure.mask")
    assert mask.before == {"findings": 1} and mask.after["findings"] == 0
    # The public version no longer holds the number; the history keeps who masked it.
    assert record.history.filter(history_change_reason="遮盖个人信息").exists()


def test_mask_also_masks_the_title(people, make_record):
    record = _submitted(people, make_record, "<p>正文</p>", title=f"关于{VALID_ID}的公示")
    services.mask_personal_data(record, people["reviewer"])
    record.refresh_from_db()
    assert VALID_ID not in record.title and record.screen_findings == []


def test_override_needs_a_reason_and_another_person_and_is_audited(people, make_record):
    record = _submitted(people, make_record, "<p>联系人手机：13912345678</p>")
    assert record.screen_findings[0]["kind"] == "mobile"
    with pytest.raises(ValidationError, match="理由"):
        services.override_screen(record, people["reviewer"], "   ")
    with pytest.raises(PermissionDenied):
        services.override_screen(record, people["editor"], "公开的工作值班手机")
    services.override_screen(record, people["reviewer"], "该号码为街道办公开的工作值班手机")
    record.refresh_from_db()
    assert not record.screen_blocks
    entry = AuditEntry.objects.get(action="disclosure.override_screen")
    assert entry.actor == people["reviewer"]
    assert entry.note == "该号码为街道办公开的工作值班手机"
    assert entry.after == {"findings": 1, "kinds": ["mobile"]}
    services.approve(people["reviewer2"], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED


def test_override_needs_a_real_reason(people, make_record):
    record = _submitted(people, make_record, "<p>联系人手机：13912345678</p>")
    with pytest.raises(ValidationError, match="至少5个字"):
        services.override_screen(record, people["reviewer"], "可")
    record.refresh_from_db()
    assert record.screen_blocks and not record.screen_override
    assert not AuditEntry.objects.filter(action="disclosure.override_screen").exists()


def test_submitter_cannot_override_own_submission(people, make_record):
    record = make_record(user=people["admin"], body="<p>联系人手机：13912345678</p>")
    services.submit(people["admin"], record)
    with pytest.raises(PermissionDenied, match="提交人"):
        services.override_screen(record, people["admin"], "公开的工作值班手机")


def test_override_holds_only_for_the_findings_it_was_given_for(people, make_record):
    record = _submitted(people, make_record, "<p>值班手机：13912345678</p>")
    services.override_screen(record, people["reviewer"], "公开的工作值班手机")
    services.reject(people["reviewer"], record, "补充公示名单")
    services.update_record(
        people["editor"], record, body=f"<p>值班手机：13912345678</p><p>{VALID_ID}</p>"
    )
    services.submit(people["editor"], record)
    record.refresh_from_db()
    assert record.screen_blocks
    with pytest.raises(ValidationError):
        services.approve(people["reviewer"], record)


def test_attachment_text_is_screened_and_cannot_be_masked(people, record):
    pdf = builders.make_pdf(f"Applicant ID {VALID_ID}")
    services.add_attachment(people["editor"], record, pdf, "名单.pdf")
    services.submit(people["editor"], record)
    record.refresh_from_db()
    [finding] = record.screen_findings
    assert finding["source"] == "附件《名单.pdf》"
    services.mask_personal_data(record, people["reviewer"])
    record.refresh_from_db()
    assert record.screen_blocks  # the file itself is unchanged: replace it or override
    services.override_screen(record, people["reviewer"], "经核，附件中为法人代表公开登记信息")
    services.approve(people["reviewer2"], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED


def test_replacing_the_attachment_clears_the_finding(people, record):
    bad = services.add_attachment(
        people["editor"], record, builders.make_pdf(f"ID {VALID_ID}"), "名单.pdf"
    )
    services.submit(people["editor"], record)
    services.reject(people["reviewer"], record, "附件含身份证号，请替换")
    services.remove_attachment(people["editor"], bad)
    services.add_attachment(people["editor"], record, builders.make_pdf("ID hidden"), "名单.pdf")
    services.submit(people["editor"], record)
    services.approve(people["reviewer"], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED and record.screen_findings == []


def test_images_are_flagged_for_a_human_check_without_blocking(people, record):
    services.add_attachment(people["editor"], record, builders.make_png(), "公示照片.png")
    services.submit(people["editor"], record)
    record.refresh_from_db()
    assert record.screen_warnings == [
        "附件《公示照片.png》是图片，无法自动识别其中的文字，请人工核查。"
    ]
    services.approve(people["reviewer"], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED


def test_unreadable_attachment_is_refused(people, record):
    broken = b"%PDF-1.4\nthis is not a pdf\n%%EOF\n"  # looks like a PDF, is none
    with pytest.raises(ValidationError, match="已损坏"):
        services.add_attachment(people["editor"], record, broken, "公文.pdf")
    assert record.attachments.count() == 0


# --- everything that is published with the record is screened --------------------------


@pytest.mark.parametrize(
    "fields,where",
    [
        ({"body": f'<p>公示照片</p><p><img src="/media/a.png" alt="{VALID_ID}"></p>'},
         "正文属性"),
        ({"body": f'<p><a href="https://x.example/q?sfz={VALID_ID}">查询</a></p>'}, "正文属性"),
        ({"doc_number": f"示民〔2026〕{VALID_ID}号"}, "文号"),
        ({"issuer": f"示范经济开发区民政局（经办人{VALID_ID}）"}, "发文机关"),
    ],
)  # fmt: skip
def test_personal_data_outside_the_text_blocks_publication(people, make_record, fields, where):
    record = _submitted(people, make_record, fields.pop("body", "<p>公示如下。</p>"), **fields)
    assert record.body_text() and VALID_ID not in record.body_text()  # not in the text itself
    [finding] = record.screen_findings
    assert finding["kind"] == "id_card" and finding["source"] == where
    assert VALID_ID not in json.dumps(record.screen_findings)
    with pytest.raises(ValidationError, match="居民身份证号码"):
        services.approve(people["reviewer"], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.index_number is None


@pytest.mark.parametrize(
    "fields",
    [
        {"body": f'<p>公示照片</p><p><img src="/media/a.png" alt="{VALID_ID}"></p>'},
        {"body": f'<p><a href="https://x.example/q?sfz={VALID_ID}">查询</a></p>'},
        {"doc_number": f"示民〔2026〕{VALID_ID}号"},
        {"issuer": f"示范经济开发区民政局（经办人{VALID_ID}）"},
    ],
)
def test_masking_reaches_everything_the_screen_reads(people, make_record, fields):
    """The one-step mask covers 文号, 发文机关 and the body's attributes too, so the
    reviewer need not edit them by hand before the record can go out."""
    record = _submitted(people, make_record, fields.pop("body", "<p>公示如下。</p>"), **fields)
    assert record.screen_findings
    services.mask_personal_data(record, people["reviewer"])
    record.refresh_from_db()
    assert record.screen_findings == []
    stored = " ".join((record.title, record.doc_number, record.issuer, record.body))
    assert VALID_ID not in stored and "110105********002X" in stored
    services.approve(people["reviewer"], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED


@pytest.mark.parametrize("name", [f"{VALID_ID}.pdf", f"低保名单_{VALID_ID}.pdf"])
def test_an_id_number_in_an_attachment_name_blocks_publication(people, record, name):
    services.add_attachment(people["editor"], record, builders.make_pdf("Notice"), name)
    services.submit(people["editor"], record)
    record.refresh_from_db()
    [finding] = record.screen_findings
    assert finding["kind"] == "id_card" and finding["source"].endswith("的文件名")
    # Where it was found is named with the number masked, like the finding itself.
    assert "110105********002X" in finding["source"]
    assert VALID_ID not in json.dumps(record.screen_findings)
    with pytest.raises(ValidationError, match="居民身份证号码"):
        services.approve(people["reviewer"], record)


def test_a_title_attribute_does_not_survive(people, make_record):
    record = make_record(
        body=f'<p title="{VALID_ID}">公示</p><p><a href="https://x.example/" title="{VALID_ID}">'
        "链接</a></p>"
    )
    assert VALID_ID not in record.body and "title=" not in record.body


def test_rescreening_is_audited_and_not_for_auditors(people, make_record):
    from gongkai.privacy.models import SensitiveWord

    record = _submitted(people, make_record, "<p>本方案请各科室传阅执行。</p>")
    assert record.screen_findings == []
    with pytest.raises(PermissionDenied):
        services.screen_record(people["auditor"], record)  # read-only role
    SensitiveWord.objects.create(word="传阅执行", category="internal")
    services.screen_record(people["reviewer"], record)
    record.refresh_from_db()
    assert record.screen_blocks
    entry = AuditEntry.objects.get(action="disclosure.rescreen")
    assert entry.actor == people["reviewer"]
    assert entry.before["findings"] == 0 and entry.after["findings"] == 1
