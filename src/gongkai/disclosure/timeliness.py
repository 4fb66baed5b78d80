"""Timeliness: a record's due date from its catalog item's time limit, and the periodic
disclosures an agency has missed.

Due date of a record (``due_date``)
    The trigger date is the record's 信息形成日期 (``formed_on``); the day itself is not
    counted. A ``period`` clause of the item's parsed time limit decides — of several, the
    one giving the latest date (a scoped clause without days, "其他内容：长期公开", counts
    as the statutory limit below), so a record is never late against a clause that may not
    be its own:
    ``workday`` → that many working days on the holiday calendar (core.workdays); ``day`` →
    calendar days; ``hour`` → whole calendar days (24小时内 → the next day); ``week`` → 7 days
    each; ``month``/``quarter``/``half_year``/``year`` → calendar months (clamped to the
    month's last day). Every other case — the item's limit is unparsed, or says 实时/及时/
    随时/长期/定期/每季度… without a number of days — falls back to the Regulation's
    statutory outer limit, Art. 26: 20 working days from formation or change. Nothing is
    guessed: the stored ``due_basis`` says which rule was used.

    Due dates are stored on the record when computed (when the draft is created) and
    recomputed only when the record's 信息形成日期 or its catalog item changes, or on the
    audited back-office action 重新计算期限 — so entering next year's holidays later does not
    move a deadline silently.

Periodic gaps (``periodic_gaps``)
    For each published item of the agency whose time limit has a periodic clause with a
    known period (每月/每季度/每半年/每年/每周; 定期 without a period is not measurable): the
    period checked is the latest one whose expected-by date has passed — for "每月20日"/
    "每季度首月20日" the given day of the period's first month, otherwise the period's last day.
    The period needs at least one published record (or N for "每半年至少更新N次") with its
    发布日期 inside the period. None → "missing"; only after the expected-by date →
    "overdue". Items published after that date are not yet due and are skipped.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gongkai.catalog.timelimits import Clause, TimeLimit
from gongkai.core.workdays import add_workdays, calendar_days_add

STATUTORY_WORKDAYS = 20
STATUTORY_BASIS = "条例第二十六条：信息形成或者变更之日起20个工作日内"

_FALLBACK_REASON = {
    "unparsed": "目录时限未能解析",
    "realtime": "目录时限为实时公开，未规定天数",
    "timely": "目录时限为及时公开，未规定天数",
    "anytime": "目录时限为随时公开，未规定天数",
    "permanent": "目录时限为永久公开，未规定天数",
    "long_term": "目录时限为长期公开，未规定天数",
    "periodic": "目录时限为定期公开，每条信息按法定时限",
    "before_event": "目录时限以事件日期为准，系统按法定时限",
}
_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


@dataclass(frozen=True)
class Due:
    due_on: dt.date
    basis: str
    provisional: bool  # a working-day count ran into a year whose holidays nobody entered


def due_date(time_limit: TimeLimit | Mapping[str, Any] | None, formed_on: dt.date) -> Due:
    """The due date of information formed on `formed_on` under an item's time limit.

    With several clauses ("处罚决定：7个工作日内；其他：20个工作日内") the record does not say
    which one it falls under, so the latest due date wins: a record is never flagged late
    against a shorter clause that may not be its own. A clause for another part of the
    content without a number of days ("除处罚决定外其他内容：长期公开") stands for the
    statutory 20 working days. `basis` names the clause used."""
    limit = _as_limit(time_limit)
    periods = [c for c in limit.clauses if c.kind == "period" and c.number and c.unit]
    if not periods:
        return _statutory(formed_on, _FALLBACK_REASON.get(limit.kind, "目录时限未规定天数"))
    candidates = [_period_due(c, formed_on) for c in periods]
    # Scoped clauses without days cover content of their own: Art. 26 applies to it.
    # (Unscoped ones — "及时公开，最迟不超过5个工作日" — are capped by the period clause.)
    for clause in limit.clauses:
        if clause.kind != "period" and clause.scope:
            candidates.append(_statutory(formed_on, f"“{clause.label()}”未规定天数"))
    due = candidates[0]
    for other in candidates[1:]:
        if other.due_on > due.due_on:  # ties keep the earlier, stated clause
            due = other
    if len(candidates) > 1:
        note = f"；目录列有{len(candidates)}项时限，按期限最长的一项计算）"
        due = Due(due.due_on, due.basis.removesuffix("）") + note, due.provisional)
    return due


def _period_due(clause: Clause, formed_on: dt.date) -> Due:
    n, unit = clause.number, clause.unit
    basis = f"目录时限：{clause.label()}（自信息形成日期起算）"
    if unit == "workday":
        result = add_workdays(formed_on, n)
        return Due(result.date, basis, bool(result.provisional))
    if unit == "day":
        return Due(calendar_days_add(formed_on, n), basis, False)
    if unit == "hour":
        return Due(calendar_days_add(formed_on, math.ceil(n / 24)), basis, False)
    if unit == "week":
        return Due(calendar_days_add(formed_on, 7 * n), basis, False)
    return Due(add_months(formed_on, _MONTHS[unit] * n), basis, False)


def _statutory(formed_on: dt.date, reason: str) -> Due:
    result = add_workdays(formed_on, STATUTORY_WORKDAYS)
    return Due(result.date, f"{STATUTORY_BASIS}（{reason}）", bool(result.provisional))


def _as_limit(value: TimeLimit | Mapping[str, Any] | None) -> TimeLimit:
    if isinstance(value, TimeLimit):
        return value
    return TimeLimit.from_dict(value) if value else TimeLimit(original="")


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later, or that month's last day (1-31 + 1 month → 2-28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- periodic disclosures ------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    unit: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        y, m = self.start.year, self.start.month
        if self.unit == "month":
            return f"{y}年{m}月"
        if self.unit == "quarter":
            return f"{y}年第{(m - 1) // 3 + 1}季度"
        if self.unit == "half_year":
            return f"{y}年{'上' if m == 1 else '下'}半年"
        if self.unit == "year":
            return f"{y}年"
        iso = self.start.isocalendar()
        return f"{iso.year}年第{iso.week}周"

    def previous(self) -> Period:
        return period_of(self.unit, self.start - dt.timedelta(days=1))


PERIOD_UNITS = ("week", "month", "quarter", "half_year", "year")


def period_of(unit: str, day: dt.date) -> Period:
    """The calendar period (ISO week, month, quarter, half year, year) containing `day`."""
    if unit == "week":
        start = day - dt.timedelta(days=day.weekday())
        return Period(unit, start, start + dt.timedelta(days=6))
    months = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[unit]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    return Period(unit, start, add_months(start, months) - dt.timedelta(days=1))


def expected_by(clause: Clause, period: Period) -> dt.date:
    if clause.trigger == "day_of_period" and clause.number:
        y, m = period.start.year, period.start.month
        return dt.date(y, m, min(clause.number, calendar.monthrange(y, m)[1]))
    return period.end


def period_to_check(clause: Clause, today: dt.date) -> Period:
    """The latest period whose expected-by date is already behind `today`."""
    period = period_of(clause.unit, today)
    while expected_by(clause, period) >= today:
        period = period.previous()
    return period


def periodic_clause(item) -> Clause | None:
    limit = item.parsed_time_limit()
    return next((c for c in limit.clauses if c.kind == "periodic" and c.unit in PERIOD_UNITS), None)


@dataclass(frozen=True)
class PeriodicGap:
    item: Any  # CatalogItem
    clause: Clause
    period: Period
    expected_by: dt.date
    status: str  # "missing" | "overdue"
    required: int
    on_time: int  # records published inside the period by the expected-by date
    in_period: int  # records published inside the period at all
    last_record_on: dt.date | None  # the item's latest 发布日期, any period

    @property
    def period_label(self) -> str:
        return self.period.label

    @property
    def status_label(self) -> str:
        return {"missing": "未公开", "overdue": "逾期公开"}[self.status]


def periodic_gaps(agency, today: dt.date | None = None) -> list[PeriodicGap]:
    """Items of `agency` whose disclosure for the period just due is missing or late."""
    from django.db.models import Max
    from django.utils import timezone

    from gongkai.catalog.models import CatalogItem, ItemStatus

    from .models import Record, RecordStatus

    today = today or timezone.localdate()
    items = CatalogItem.objects.filter(
        agency=agency, is_guideline=False, status=ItemStatus.PUBLISHED
    ).order_by("domain__sort_order", "sort_order", "id")
    gaps: list[PeriodicGap] = []
    for item in items:
        clause = periodic_clause(item)
        if clause is None:
            continue
        period = period_to_check(clause, today)
        deadline = expected_by(clause, period)
        if item.published_at and timezone.localdate(item.published_at) > deadline:
            continue  # the item was not in the catalog yet when this period was due
        published = Record.objects.filter(item=item, status=RecordStatus.PUBLISHED)
        dates = list(
            published.filter(
                published_on__gte=period.start, published_on__lte=period.end
            ).values_list("published_on", flat=True)
        )
        required = clause.number if clause.trigger is None and clause.number else 1
        on_time = sum(1 for d in dates if d <= deadline)
        if on_time >= required:
            continue
        gaps.append(
            PeriodicGap(
                item=item,
                clause=clause,
                period=period,
                expected_by=deadline,
                status="overdue" if len(dates) >= required else "missing",
                required=required,
                on_time=on_time,
                in_period=len(dates),
                last_record_on=published.aggregate(last=Max("published_on"))["last"],
            )
        )
    return gaps
