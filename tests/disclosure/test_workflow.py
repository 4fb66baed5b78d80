"""The record workflow: draft → submitted → published/scheduled → withdrawn, who may do
what, separation of duties, audit entries and the version history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from gongkai.core.models import AuditEntry
from gongkai.disclosure import services
from gongkai.disclosure.models import Record, RecordStatus

from .builders import publish


def _actions(record):
    return list(
        AuditEntry.objects.filter(object_type="disclosure.record", object_id=str(record.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_full_lifecycle_keeps_record_history_and_audit(people, record):
    publish(people, record)
    services.withdraw(people["reviewer"], record, "政策已调整，信息需更正后重新发布")
    record.refresh_from_db()
    assert record.status == RecordStatus.WITHDRAWN
    assert record.withdraw_reason == "政策已调整，信息需更正后重新发布"
    assert record.index_number  # kept: nothing is deleted
    assert Record.objects.filter(pk=record.pk).exists()
    assert _actions(record) == [
        "disclosure.create",
        "disclosure.submit",
        "disclosure.approve",
        "disclosure.withdraw",
    ]
    statuses = [h.status for h in record.history.order_by("history_id")]
    assert statuses == ["draft", "submitted", "published", "withdrawn"]
    withdraw = AuditEntry.objects.get(object_id=str(record.pk), action="disclosure.withdraw")
    assert withdraw.actor == people["reviewer"]
    assert withdraw.before == {"status": "published"}
    assert withdraw.note == "政策已调整，信息需更正后重新发布"
    assert withdraw.agency_code == "T-MZJ"


def test_publication_sets_date_and_index_number(people, record):
    publish(people, record)
    record.refresh_from_db()
    today = timezone.localdate()
    assert record.status == RecordStatus.PUBLISHED
    assert record.published_on == today
    assert record.index_number == f"T-MZJ-{today.year}-00001"
    assert record.reviewed_by == people["reviewer"]


def test_drafts_have_no_index_number(people, record):
    services.submit(people["editor"], record)
    record.refresh_from_db()
    assert record.index_number is None


def test_reviewer_cannot_approve_own_submission(people, make_record):
    record = make_record(user=people["admin"])
    services.submit(people["admin"], record)
    with pytest.raises(PermissionDenied, match="另一位审核人"):
        services.approve(people["admin"], record)
    with pytest.raises(PermissionDenied, match="另一位审核人"):
        services.schedule(people["admin"], record, timezone.now() + dt.timedelta(days=1))
    services.approve(people["reviewer"], record)  # another person may
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED


def test_the_author_cannot_approve_what_another_editor_submitted(people, make_record):
    # The agency admin drafts, an editor submits: the admin is still not a second person.
    record = make_record(user=people["admin"])
    services.submit(people["editor"], record)
    with pytest.raises(PermissionDenied, match="自己编写"):
        services.approve(people["admin"], record)
    with pytest.raises(PermissionDenied, match="自己编写"):
        services.schedule(people["admin"], record, timezone.now() + dt.timedelta(days=1))
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.index_number is None
    services.approve(people["reviewer"], record)  # anyone else with the role may
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED


@pytest.mark.parametrize(
    "who,action",
    [
        ("reviewer", "submit"),  # reviewers do not draft
        ("auditor", "submit"),
        ("other_editor", "submit"),  # another agency's editor
        ("nobody", "submit"),
    ],
)
def test_who_may_submit(people, record, who, action):
    with pytest.raises(PermissionDenied):
        services.transition(people[who], record, action)
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT


@pytest.mark.parametrize("who", ["editor", "editor2", "auditor", "other_editor", "street_admin"])
def test_who_may_not_approve(people, record, who):
    services.submit(people["editor"], record)
    with pytest.raises(PermissionDenied):
        services.approve(people[who], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


@pytest.mark.parametrize("who", ["reviewer2", "admin", "zone_admin"])
def test_reviewers_and_admins_of_the_agency_approve(people, record, who):
    services.submit(people["editor"], record)
    services.approve(people[who], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED


def test_editor_of_another_agency_cannot_draft_under_the_item(people, item):
    with pytest.raises(PermissionDenied):
        services.create_record(
            people["other_editor"], item, title="x", formed_on=dt.date(2026, 9, 1)
        )


def test_editor_cannot_withdraw(people, record):
    publish(people, record)
    with pytest.raises(PermissionDenied):
        services.withdraw(people["editor"], record, "理由")


def test_withdraw_and_reject_need_a_reason(people, record):
    services.submit(people["editor"], record)
    with pytest.raises(ValidationError, match="理由"):
        services.reject(people["reviewer"], record, "  ")
    services.reject(people["reviewer"], record, "请补充公示期限")
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT and record.review_note == "请补充公示期限"
    publish(people, record)
    with pytest.raises(ValidationError, match="理由"):
        services.withdraw(people["reviewer"], record, "")
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED


@pytest.mark.parametrize(
    "status,name",
    [
        ("draft", "approve"),
        ("draft", "withdraw"),
        ("submitted", "submit"),
        ("published", "approve"),
        ("published", "submit"),
        ("published", "reject"),
        ("withdrawn", "approve"),
        ("withdrawn", "withdraw"),
    ],
)
def test_forbidden_transitions(people, record, status, name):
    Record.objects.filter(pk=record.pk).update(status=status)
    record.refresh_from_db()
    with pytest.raises(ValidationError):
        services.transition(people["zone_admin"], record, name, note="理由")
    record.refresh_from_db()
    assert record.status == status


def test_published_records_are_not_edited_in_place(people, record):
    publish(people, record)
    with pytest.raises(ValidationError, match="不能直接修改"):
        services.update_record(people["editor"], record, title="改过的标题")


def test_withdrawn_record_reopened_and_published_again_keeps_its_number(people, record):
    publish(people, record)
    record.refresh_from_db()
    number = record.index_number
    services.withdraw(people["reviewer"], record, "附件有误")
    services.transition(people["editor"], record, "reopen")
    services.update_record(people["editor"], record, body="<p>更正后的正文。</p>")
    publish(people, record)
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED and record.index_number == number


def test_submit_needs_content(people, make_record):
    record = make_record(body="<p> </p>")
    with pytest.raises(ValidationError, match="正文和附件"):
        services.submit(people["editor"], record)


def test_body_is_sanitised_when_saved(people, make_record):
    record = make_record(body='<p onclick="x()">正文<script>alert(1)</script></p>')
    assert record.body == "<p>正文</p>"
    services.update_record(people["editor"], record, body='<img src=x onerror="alert(1)">')
    record.refresh_from_db()
    assert "onerror" not in record.body


def test_normative_documents_need_a_validity(people, make_record):
    with pytest.raises(ValidationError, match="效力状态"):
        make_record(is_normative=True)
    with pytest.raises(ValidationError, match="失效、废止日期"):
        make_record(is_normative=True, validity="repealed")
    with pytest.raises(ValidationError, match="只有规范性文件"):
        make_record(validity="valid")
    record = make_record(is_normative=True, validity="valid", doc_number="示开民〔2026〕3号")
    publish(people, record)
    services.set_validity(
        people["reviewer"], record, "repealed", dt.date(2026, 12, 31), note="新办法施行"
    )
    record.refresh_from_db()
    assert record.validity == "repealed" and record.validity_date == dt.date(2026, 12, 31)
    assert "disclosure.validity" in _actions(record)


# --- scheduled publication ---------------------------------------------------------------


def test_schedule_needs_a_future_time(people, record):
    services.submit(people["editor"], record)
    with pytest.raises(ValidationError, match="将来"):
        services.schedule(people["reviewer"], record, timezone.now() - dt.timedelta(minutes=1))


def test_scheduled_record_is_published_by_the_command_once(people, record, make_record):
    later = make_record(title="下周发布的通知")
    for r in (record, later):
        services.submit(people["editor"], r)
    services.schedule(people["reviewer"], record, timezone.now() + dt.timedelta(hours=1))
    services.schedule(people["reviewer"], later, timezone.now() + dt.timedelta(days=7))
    record.refresh_from_db()
    assert record.status == RecordStatus.SCHEDULED and record.index_number is None

    # Not yet due: the command publishes nothing.
    call_command("publish-scheduled")
    record.refresh_from_db()
    assert record.status == RecordStatus.SCHEDULED

    Record.objects.filter(pk=record.pk).update(publish_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("publish-scheduled")
    call_command("publish-scheduled")  # idempotent: a second run changes nothing
    record.refresh_from_db()
    later.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED and record.index_number.endswith("-00001")
    assert record.publish_at is None
    assert later.status == RecordStatus.SCHEDULED
    assert _actions(record).count("disclosure.publish_scheduled") == 1


def test_scheduled_record_blocked_by_screen_goes_back_to_review(people, make_record):
    from gongkai.privacy.models import SensitiveWord

    record = make_record(body="<p>本方案经局务会研究通过，请各科室传阅执行。</p>")
    services.submit(people["editor"], record)
    services.schedule(people["reviewer"], record, timezone.now() + dt.timedelta(hours=1))
    # The word list grows after scheduling, and the text contains the new word: hold it.
    SensitiveWord.objects.create(word="传阅执行", category="internal")
    Record.objects.filter(pk=record.pk).update(publish_at=timezone.now() - dt.timedelta(seconds=1))
    run = services.publish_scheduled()
    record.refresh_from_db()
    assert run.published == [] and len(run.held) == 1
    assert record.status == RecordStatus.SUBMITTED and record.index_number is None
    assert record.review_note.startswith("定时发布未执行")
    assert "disclosure.schedule_held" in _actions(record)


def test_reject_a_scheduled_record(people, record):
    services.submit(people["editor"], record)
    services.schedule(people["reviewer"], record, timezone.now() + dt.timedelta(hours=1))
    services.reject(people["reviewer"], record, "发布时间需调整")
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT and record.publish_at is None
