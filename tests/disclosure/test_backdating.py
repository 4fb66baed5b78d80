"""Workflow actions dated in the past (`at=`): how a history is loaded (the demo) — the
record shows the dates it was submitted and published on, lateness is measured against
them, and the default (now) is unchanged."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.core.models import AuditEntry
from gongkai.disclosure import services
from gongkai.disclosure.models import RecordStatus

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def test_publication_on_a_past_date_is_late_by_the_working_days_after_the_due_date(people, record):
    # Formed Fri 2026-09-25; 20 working days across 国庆 → due Thu 2026-10-29.
    services.submit(people["editor"], record, at=_at(dt.date(2026, 10, 28), 9))
    services.approve(people["reviewer"], record, at=_at(dt.date(2026, 11, 3), 10))
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED
    assert record.submitted_at == _at(dt.date(2026, 10, 28), 9)
    assert record.published_on == dt.date(2026, 11, 3)
    assert record.published_at == _at(dt.date(2026, 11, 3), 10)
    assert record.index_number.endswith("-2026-00001")
    # 10-30 (Fri), 11-02 (Mon), 11-03 (Tue).
    assert record.is_late and record.days_late == 3


def test_the_index_number_takes_the_year_of_the_past_publication(people, make_record):
    old = make_record(formed_on=dt.date(2025, 12, 1))
    services.submit(people["editor"], old, at=_at(dt.date(2025, 12, 2), 9))
    services.approve(people["reviewer"], old, at=_at(dt.date(2025, 12, 3), 9))
    old.refresh_from_db()
    assert "-2025-" in old.index_number and old.published_on == dt.date(2025, 12, 3)


def test_withdrawal_on_a_past_date(people, record):
    services.submit(people["editor"], record, at=_at(dt.date(2026, 10, 9), 9))
    services.approve(people["reviewer"], record, at=_at(dt.date(2026, 10, 12), 9))
    services.withdraw(
        people["reviewer"], record, "数据有误，更正后重新发布", at=_at(dt.date(2026, 10, 13), 15)
    )
    record.refresh_from_db()
    assert record.withdrawn_at == _at(dt.date(2026, 10, 13), 15)
    assert record.published_on == dt.date(2026, 10, 12)  # the history stays


def test_a_future_date_is_refused(people, record):
    services.submit(people["editor"], record)
    with pytest.raises(ValidationError):
        services.approve(people["reviewer"], record, at=timezone.now() + dt.timedelta(days=1))
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and not record.index_number


def test_without_at_the_record_is_dated_now_and_the_audit_keeps_real_time(people, record):
    before = timezone.now()
    services.submit(people["editor"], record)
    services.approve(people["reviewer"], record)
    record.refresh_from_db()
    assert record.published_at >= before
    assert record.published_on == timezone.localdate(record.published_at)
    # A backdated approval still logs when it was really done.
    other = services.create_record(
        people["editor"],
        record.item,
        title="关于2026年第二季度城乡低保对象的公示",
        body="<p>现予公示。</p>",
        formed_on=dt.date(2026, 6, 1),
    )
    services.submit(people["editor"], other, at=_at(dt.date(2026, 6, 2), 9))
    services.approve(people["reviewer"], other, at=_at(dt.date(2026, 6, 3), 9))
    entry = AuditEntry.objects.filter(action="disclosure.approve", object_id=str(other.pk)).get()
    assert entry.at >= before
