"""Due dates on the 2026 holiday calendar, lateness in working days, stored due dates
that do not move by themselves, and missing periodic disclosures."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.catalog.models import CatalogItem
from gongkai.catalog.timelimits import parse_time_limit
from gongkai.core.models import AuditEntry, CalendarDay
from gongkai.core.workdays import is_workday, workdays_between
from gongkai.disclosure import services
from gongkai.disclosure.models import Record
from gongkai.disclosure.timeliness import (
    STATUTORY_BASIS,
    add_months,
    due_date,
    period_of,
    periodic_gaps,
)

from .builders import publish, published_item

D = dt.date
days_2026 = st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 10, 31))
# The calendar reads the administrators' table of holidays.
pytestmark = pytest.mark.django_db


def test_twenty_working_days_across_national_day_2026():
    # Formed on Fri 2026-09-25 (中秋节, a day off; the day itself is not counted anyway).
    # 09-26 Sat, 09-27 Sun: 中秋 holiday. Then 09-28 Mon (1), 09-29 (2), 09-30 (3);
    # 10-01..10-07: 国庆 holiday; 10-08 Thu (4), 10-09 Fri (5), 10-10 Sat — a 调休
    # working day (6); 10-11 Sun off; 10-12..10-16 (7–11); 10-19..10-23 (12–16);
    # 10-26 (17), 10-27 (18), 10-28 (19), 10-29 Thu (20).
    due = due_date(parse_time_limit("信息形成或者变更之日起20个工作日内"), D(2026, 9, 25))
    assert due.due_on == D(2026, 10, 29)
    assert not due.provisional
    assert due.basis.startswith("目录时限：信息形成或者变更之日起20个工作日内")


def test_reference_example_from_the_holiday_notice():
    # holidays-2026.md: from 2026-09-18 (Fri) the 20th working day is 10-22,
    # counting 09-20 (Sun) and 10-10 (Sat) as working days.
    due = due_date(parse_time_limit("20个工作日内"), D(2026, 9, 18))
    assert due.due_on == D(2026, 10, 22)


def test_record_due_date_is_set_when_the_draft_is_created(people, record):
    # The limit counts from 信息形成日期, so a draft has its due date from the start.
    assert record.due_on == D(2026, 10, 29)
    assert record.due_basis.startswith("目录时限") and record.due_computed_at
    create = AuditEntry.objects.get(action="disclosure.create")
    assert create.after["due"]["due_on"] == "2026-10-29"
    services.submit(people["editor"], record)
    record.refresh_from_db()
    assert record.due_on == D(2026, 10, 29)  # submission keeps it


def test_a_draft_left_past_its_due_date_is_late(people, make_record):
    old = make_record(title="久拖未报的草稿", formed_on=D(2025, 3, 3))
    fresh = make_record(title="今天形成的草稿", formed_on=timezone.localdate())
    assert old.status == "draft" and old.is_late and old.days_late > 0
    assert not fresh.is_late
    assert list(Record.objects.filter(Record.late_q())) == [old]


def test_a_formation_date_beyond_the_calendar_is_refused_in_chinese(people, make_record):
    with pytest.raises(ValidationError, match="信息形成日期无法计算公开期限"):
        make_record(formed_on=D(9999, 12, 30))
    assert not Record.objects.exists()


@pytest.mark.parametrize(
    "text,formed,due",
    [
        ("批准后20日内", D(2026, 9, 25), D(2026, 10, 15)),  # calendar days (预算法)
        ("1周内", D(2026, 9, 25), D(2026, 10, 2)),
        ("3个月内", D(2026, 11, 30), D(2027, 2, 28)),  # month end clamps
        ("24小时内", D(2026, 9, 25), D(2026, 9, 26)),
    ],
)
def test_calendar_units(text, formed, due):
    result = due_date(parse_time_limit(text), formed)
    assert result.due_on == due and not result.provisional


@pytest.mark.parametrize("text", ["及时公开", "实时公开", "长期公开", "每季度", "", "看情况"])
def test_limits_without_days_fall_back_to_article_26(text):
    result = due_date(parse_time_limit(text), D(2026, 9, 25))
    assert result.due_on == D(2026, 10, 29)  # 20 working days, as computed above
    assert result.basis.startswith(STATUTORY_BASIS)


@pytest.mark.parametrize(
    "text,used",
    [
        ("1.处罚决定:7个工作日内;2.其他:20个工作日内", "其他：20个工作日内"),
        ("执法决定7个工作日内公开，其他信息20个工作日内公开", "其他信息：20个工作日内"),
        ("1.其他:20个工作日内;2.处罚决定:7个工作日内", "其他：20个工作日内"),
    ],
)
def test_the_longest_of_several_clauses_decides(text, used):
    # The record does not say which clause it falls under: never late against the shorter
    # one (7 working days from 09-25 would be 10-12).
    due = due_date(parse_time_limit(text), D(2026, 9, 25))
    assert due.due_on == D(2026, 10, 29)
    assert due.basis.startswith(f"目录时限：{used}")  # the clause used, with its scope
    assert "目录列有2项时限，按期限最长的一项计算" in due.basis


def test_a_scoped_clause_without_days_counts_as_article_26():
    # Records of "其他内容" fall under 长期公开 → the statutory 20 working days, not 7.
    limit = parse_time_limit("1.除处罚决定外其他内容:长期公开;2.处罚决定:7个工作日内")
    due = due_date(limit, D(2026, 9, 25))
    assert due.due_on == D(2026, 10, 29)
    assert due.basis.startswith(STATUTORY_BASIS)
    assert "“除处罚决定外其他内容：长期公开”未规定天数" in due.basis


def test_a_cap_on_timely_publication_still_applies():
    # Unscoped: 及时公开 is capped by the 5 days, not widened to Art. 26.
    due = due_date(parse_time_limit("及时公开，最迟不超过5个工作日"), D(2026, 9, 25))
    assert due.due_on == D(2026, 10, 9)  # 09-28, 09-29, 09-30, 10-08, 10-09


@settings(max_examples=60, deadline=None)
@given(formed=days_2026, a=st.integers(1, 30), b=st.integers(1, 45))
def test_several_clauses_are_never_stricter_than_any_one_of_them(formed, a, b):
    both = due_date(parse_time_limit(f"1.甲类:{a}个工作日内;2.乙类:{b}日内"), formed)
    alone = [due_date(parse_time_limit(t), formed) for t in (f"{a}个工作日内", f"{b}日内")]
    assert both.due_on == max(d.due_on for d in alone)


def test_unknown_year_gives_a_provisional_due_date():
    result = due_date(parse_time_limit("20个工作日内"), D(2099, 6, 1))
    assert result.provisional


def test_record_published_late_is_flagged_with_working_days(people, record):
    services.submit(people["editor"], record)
    services.approve(people["reviewer"], record)
    # Published on Thu 2026-11-05 against a due date of Thu 10-29:
    # 10-30 (1), 11-02 (2), 11-03 (3), 11-04 (4), 11-05 (5) → 5 working days late.
    Record.objects.filter(pk=record.pk).update(published_on=D(2026, 11, 5))
    record.refresh_from_db()
    assert record.is_late and record.days_late == 5
    assert list(Record.objects.filter(Record.late_q())) == [record]


def test_on_time_and_weekend_cases(people, record):
    publish(people, record)
    Record.objects.filter(pk=record.pk).update(published_on=D(2026, 10, 29))
    record.refresh_from_db()
    assert not record.is_late and record.days_late == 0
    assert not Record.objects.filter(Record.late_q()).exists()
    # Weekends do not count: Fri 10-30, Sat 10-31 and Sun 11-01 are all one working day late.
    for day in (D(2026, 10, 30), D(2026, 10, 31), D(2026, 11, 1)):
        Record.objects.filter(pk=record.pk).update(published_on=day)
        record.refresh_from_db()
        assert record.is_late and record.days_late == 1


def test_unpublished_record_is_late_once_its_due_date_passed(people, record):
    services.submit(people["editor"], record)
    record.refresh_from_db()
    assert not record.late_on(D(2026, 10, 29))
    assert record.late_on(D(2026, 10, 30)) and record.days_late_on(D(2026, 10, 30)) == 1
    assert Record.objects.filter(Record.late_q(D(2026, 11, 2))).count() == 1
    assert Record.objects.filter(Record.late_q(D(2026, 10, 29))).count() == 0


def test_stored_due_date_does_not_move_when_the_calendar_changes(people, record):
    services.submit(people["editor"], record)
    record.refresh_from_db()
    assert record.due_on == D(2026, 10, 29)

    # An administrator later enters an extra day off inside the count.
    CalendarDay.objects.create(date=D(2026, 10, 20), kind="holiday", name="地方假日")
    assert due_date(record.item.time_limit, record.formed_on).due_on == D(2026, 10, 30)
    services.reject(people["reviewer"], record, "补充材料")
    services.update_record(people["editor"], record, title="关于最低生活保障对象的公示（补充）")
    services.submit(people["editor"], record)
    record.refresh_from_db()
    assert record.due_on == D(2026, 10, 29)  # not silently moved

    # Only the explicit, audited action applies the new calendar — and only admins may.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.recompute_due(people["reviewer"], record)
    services.recompute_due(people["admin"], record, note="录入地方假日后重算")
    record.refresh_from_db()
    assert record.due_on == D(2026, 10, 30)
    entry = AuditEntry.objects.get(action="disclosure.recompute_due")
    assert entry.before["due_on"] == "2026-10-29" and entry.after["due_on"] == "2026-10-30"
    assert entry.actor == people["admin"]


def test_changing_formed_on_recomputes(people, record):
    services.submit(people["editor"], record)
    services.reject(people["reviewer"], record, "信息形成日期有误")
    services.update_record(people["editor"], record, formed_on=D(2026, 9, 18))
    record.refresh_from_db()
    assert record.due_on == D(2026, 10, 22)
    update = AuditEntry.objects.filter(action="disclosure.update").latest("id")
    assert update.after["due"]["due_on"] == "2026-10-22"


def test_changing_item_recomputes(people, zone, elements, record):
    budget = published_item(
        people, zone, elements, level2="部门预算", time_limit_text="批准后20日内"
    )
    services.submit(people["editor"], record)
    services.reject(people["reviewer"], record, "归错事项")
    services.update_record(people["editor"], record, item=budget)
    record.refresh_from_db()
    assert record.due_on == D(2026, 10, 15)


# --- properties --------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(formed=days_2026, n=st.integers(min_value=1, max_value=30))
def test_workday_due_dates_are_working_days_exactly_n_after(formed, n):
    due = due_date(parse_time_limit(f"{n}个工作日内"), formed)
    assert due.due_on > formed
    assert is_workday(due.due_on).workday
    assert workdays_between(formed, due.due_on).days == n


@settings(max_examples=60, deadline=None)
@given(a=days_2026, b=days_2026)
def test_later_formation_never_gives_an_earlier_due_date(a, b):
    limit = parse_time_limit("信息形成或者变更之日起20个工作日内")
    first, second = sorted((a, b))
    assert due_date(limit, first).due_on <= due_date(limit, second).due_on


@given(day=st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), n=st.integers(0, 60))
def test_add_months(day, n):
    result = add_months(day, n)
    assert (result.year - day.year) * 12 + result.month - day.month == n
    assert result.day == day.day or (result.day < day.day and (result + dt.timedelta(1)).day == 1)


# --- periodic disclosures ---------------------------------------------------------------


def _periodic_item(people, zone, elements, text, level2):
    item = published_item(people, zone, elements, level2=level2, time_limit_text=text)
    CatalogItem.objects.filter(pk=item.pk).update(
        published_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    return item


def _published_on(people, item, day, title="定期公开"):
    record = services.create_record(
        people["editor"], item, title=title, body="<p>内容</p>", formed_on=day
    )
    publish(people, record)
    Record.objects.filter(pk=record.pk).update(published_on=day)
    return record


def test_periods():
    assert period_of("quarter", D(2026, 11, 25)).label == "2026年第4季度"
    assert period_of("quarter", D(2026, 11, 25)).previous().label == "2026年第3季度"
    assert period_of("month", D(2026, 3, 1)).end == D(2026, 3, 31)
    assert period_of("half_year", D(2026, 7, 1)).label == "2026年下半年"
    assert period_of("week", D(2026, 11, 25)).start == D(2026, 11, 23)


def test_periodic_gaps(people, zone, elements):
    quarterly = _periodic_item(people, zone, elements, "每季度", "低保对象名单")
    monthly = _periodic_item(people, zone, elements, "每月20日", "临时救助月报")
    yearly = _periodic_item(people, zone, elements, "每年", "年度报告")
    published_item(people, zone, elements, level2="一次性事项")  # not periodic: never listed

    # On 2026-11-25: the quarter checked is Q3 (due by 09-30); the month is November
    # (due by 11-20, already past); the year checked is 2025.
    _published_on(people, quarterly, D(2026, 8, 10))
    _published_on(people, monthly, D(2026, 11, 23))  # three days after the 20th
    gaps = {g.item.pk: g for g in periodic_gaps(zone["mzj"], D(2026, 11, 25))}
    assert quarterly.pk not in gaps
    assert gaps[monthly.pk].status == "overdue"
    assert gaps[monthly.pk].period_label == "2026年11月"
    assert gaps[monthly.pk].expected_by == D(2026, 11, 20)
    assert gaps[yearly.pk].status == "missing" and gaps[yearly.pk].period_label == "2025年"
    assert gaps[yearly.pk].last_record_on is None
    assert len(gaps) == 2

    # Before the 20th the month checked is the previous one (October): nothing then.
    gaps = {g.item.pk: g for g in periodic_gaps(zone["mzj"], D(2026, 11, 15))}
    assert gaps[monthly.pk].status == "missing" and gaps[monthly.pk].period_label == "2026年10月"
    assert gaps[monthly.pk].last_record_on == D(2026, 11, 23)


def test_items_added_after_the_period_are_not_yet_due(people, zone, elements):
    item = published_item(people, zone, elements, level2="新增事项", time_limit_text="每季度")
    CatalogItem.objects.filter(pk=item.pk).update(
        published_at=dt.datetime(2026, 10, 15, tzinfo=dt.UTC)
    )
    assert periodic_gaps(zone["mzj"], D(2026, 11, 25)) == []
