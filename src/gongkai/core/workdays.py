"""The working-day calendar every app counts deadlines with.

Three sources, in this order for any date:

1. the administrator's table (`CalendarDay`): holidays and adjusted working days
   (调休上班) as entered from the State Council notice — it also corrects the library;
2. chinesecalendar, for the years it knows (2004–2026 in 1.11.0);
3. for a year an administrator has marked complete (`CalendarYear.complete`), the
   remaining dates are ordinary: Monday–Friday work, weekends off;
4. otherwise nobody knows the year yet: weekends only, and the result says so
   (`provisional=True`, `source="weekends"`). Nothing here raises for an unknown year
   and nothing guesses silently.

Counting convention (domain-facts §8): the day something happens is not counted; the
count starts the next day. `add_workdays(d, 20)` is the 20th working day after `d`.

The table is small (a few dozen rows a year), so each process keeps one snapshot of it
and resolves whole years at a time; saves and deletes through the models or the
services below drop the snapshot at once in this process, and other processes reload
theirs within `CACHE_SECONDS`.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import chinese_calendar
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .audit import record
from .models import CalendarDay, CalendarYear

__all__ = [
    "CACHE_SECONDS",
    "DayInfo",
    "EntryResult",
    "ScheduleLine",
    "WorkdayCount",
    "WorkdayResult",
    "add_workdays",
    "calendar_days_add",
    "can_edit_calendar",
    "clear_cache",
    "delete_entry",
    "describe",
    "enter_range",
    "enter_schedule",
    "is_workday",
    "library_years",
    "parse_schedule",
    "provisional_note",
    "save_entry",
    "workdays_between",
]

CACHE_SECONDS = 60
WEEKDAYS = "一二三四五六日"

# chinesecalendar names its holidays in English; people read Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class DayInfo:
    """Whether one date is a working day, and why."""

    date: date
    workday: bool
    reason: str  # Chinese: "国庆节假期", "调休上班（国庆节）", "周末", "工作日"
    provisional: bool  # True when the year is unknown and only weekends were applied
    source: str  # "table" | "chinesecalendar" | "weekends"
    name: str = ""  # the holiday concerned, e.g. "国庆节"


@dataclass(frozen=True)
class WorkdayResult:
    """The date reached by counting working days, flagged when any day counted fell in
    a year whose holidays nobody has entered."""

    date: date
    provisional: bool
    provisional_years: tuple[int, ...] = ()

    @property
    def note(self) -> str:
        return provisional_note(self.provisional_years) if self.provisional else ""


@dataclass(frozen=True)
class WorkdayCount:
    """The number of working days after `start` up to and including `end`."""

    days: int
    provisional: bool
    provisional_years: tuple[int, ...] = ()

    @property
    def note(self) -> str:
        return provisional_note(self.provisional_years) if self.provisional else ""


def provisional_note(years: tuple[int, ...] | list[int] = ()) -> str:
    """The sentence shown next to every provisional result."""
    which = "、".join(f"{y}年" for y in years) if years else "该年度"
    return f"临时结果：{which}节假日安排尚未录入，仅按周末计算"


# ----------------------------------------------------------------- chinesecalendar


# The years chinesecalendar has the State Council's schedule for (its holiday table).
_LIBRARY_YEARS = frozenset(day.year for day in chinese_calendar.holidays)


@functools.lru_cache(maxsize=64)
def _library_year(year: int) -> tuple[tuple[bool, str], ...] | None:
    """chinesecalendar's verdict for every day of `year` as (workday, holiday name),
    or None when the library has no data for that year."""
    if year not in _LIBRARY_YEARS:  # the library would raise for a year it lacks
        return None
    first = date(year, 1, 1)
    days = []
    for offset in range((date(year, 12, 31) - first).days + 1):
        day = first + timedelta(days=offset)
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        days.append((not is_holiday, HOLIDAY_NAMES.get(name, name or "")))
    return tuple(days)


def library_years() -> tuple[int, int]:
    """The first and last year chinesecalendar knows."""
    return (min(_LIBRARY_YEARS), max(_LIBRARY_YEARS)) if _LIBRARY_YEARS else (0, -1)


# ------------------------------------------------------------------------ snapshot


def _weekend(day: date) -> bool:
    return day.weekday() >= 5


def _holiday_reason(name: str) -> str:
    if not name:
        return "节假日"
    return name if name.endswith("假期") else f"{name}假期"


def _workday_reason(day: date, name: str) -> str:
    if _weekend(day):
        return f"调休上班（{name}）" if name else "调休上班"
    return f"工作日（{name}）" if name else "工作日"


def _ordinary(day: date, source: str, provisional: bool) -> DayInfo:
    weekend = _weekend(day)
    return DayInfo(day, not weekend, "周末" if weekend else "工作日", provisional, source)


class _Snapshot:
    """The administrator's table as loaded once, resolving dates a year at a time."""

    def __init__(self, days: dict[date, tuple[str, str]], complete: frozenset[int]):
        self.days = days
        self.complete = complete
        self._years: dict[int, tuple[DayInfo, ...]] = {}

    @classmethod
    def load(cls) -> _Snapshot:
        days = {
            d: (kind, name)
            for d, kind, name in CalendarDay.objects.values_list("date", "kind", "name")
        }
        complete = frozenset(
            CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
        )
        return cls(days, complete)

    def info(self, day: date) -> DayInfo:
        year = self._years.get(day.year)
        if year is None:
            year = self._years[day.year] = self._resolve_year(day.year)
        return year[day.toordinal() - date(day.year, 1, 1).toordinal()]

    def _resolve_year(self, year: int) -> tuple[DayInfo, ...]:
        library = _library_year(year)
        complete = year in self.complete
        first = date(year, 1, 1)
        out = []
        for offset in range((date(year, 12, 31) - first).days + 1):
            day = first + timedelta(days=offset)
            entry = self.days.get(day)
            if entry is not None:
                kind, name = entry
                if kind == CalendarDay.Kind.HOLIDAY:
                    out.append(DayInfo(day, False, _holiday_reason(name), False, "table", name))
                else:
                    out.append(DayInfo(day, True, _workday_reason(day, name), False, "table", name))
            elif library is not None:
                workday, name = library[offset]
                if workday:
                    reason = _workday_reason(day, name) if _weekend(day) else "工作日"
                else:
                    reason = _holiday_reason(name) if name else "周末"
                out.append(DayInfo(day, workday, reason, False, "chinesecalendar", name))
            elif complete:
                out.append(_ordinary(day, "table", False))
            else:
                out.append(_ordinary(day, "weekends", True))
        return tuple(out)


class _Cache:
    snapshot: _Snapshot | None = None
    loaded_at: float = 0.0


_cache = _Cache()
# Per thread (Django connections are per thread): a calendar write not yet committed.
# While it is pending this thread reads the table afresh and never shares what it read,
# so a rolled-back write cannot linger in the snapshot.
_pending = threading.local()


def clear_cache() -> None:
    """Forget the loaded table (this process); the next lookup reads it again."""
    _cache.snapshot = None


def _committed() -> None:
    _pending.write = False
    clear_cache()


def _note_write() -> None:
    clear_cache()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        _pending.write = True
        transaction.on_commit(_committed)


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
@receiver(post_save, sender=CalendarYear)
@receiver(post_delete, sender=CalendarYear)
def _calendar_changed(**kwargs: Any) -> None:
    _note_write()


def _snapshot() -> _Snapshot:
    if getattr(_pending, "write", False):
        if transaction.get_connection().in_atomic_block:
            return _Snapshot.load()
        _committed()  # the transaction ended (committed or rolled back)
    snapshot = _cache.snapshot
    now = time.monotonic()
    if snapshot is None or now - _cache.loaded_at > CACHE_SECONDS:
        snapshot = _Snapshot.load()
        _cache.snapshot, _cache.loaded_at = snapshot, now
    return snapshot


# ------------------------------------------------------------------------ public API


def _as_date(value: date) -> date:
    if isinstance(value, datetime):
        # An aware moment is a date in Beijing time (TIME_ZONE), not in UTC.
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, date):
        raise TypeError(f"需要日期，收到的是 {type(value).__name__}")
    return value


def _count(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"工作日数应为整数，收到的是 {n!r}")
    if n < 0:
        raise ValueError(f"工作日数不能为负数：{n}")
    return n


def is_workday(day: date) -> DayInfo:
    """Whether `day` is a working day, why, and from which source."""
    return _snapshot().info(_as_date(day))


def add_workdays(start: date, n: int) -> WorkdayResult:
    """The `n`th working day after `start` (the start day itself is not counted);
    `n == 0` gives `start`. Raises ValueError for negative `n` or beyond year 9999."""
    start, n = _as_date(start), _count(n)
    snapshot = _snapshot()
    day, found = start, 0
    unknown: set[int] = set()
    try:
        while found < n:
            day += timedelta(days=1)
            info = snapshot.info(day)
            if info.provisional:
                unknown.add(day.year)
            if info.workday:
                found += 1
    except OverflowError as exc:
        raise ValueError("结果超出可计算的日期范围") from exc
    return WorkdayResult(day, bool(unknown), tuple(sorted(unknown)))


def workdays_between(start: date, end: date) -> WorkdayCount:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    start, end = _as_date(start), _as_date(end)
    snapshot = _snapshot()
    days = 0
    unknown: set[int] = set()
    for offset in range(1, (end - start).days + 1):
        info = snapshot.info(start + timedelta(days=offset))
        if info.provisional:
            unknown.add(info.date.year)
        if info.workday:
            days += 1
    return WorkdayCount(days, bool(unknown), tuple(sorted(unknown)))


def calendar_days_add(start: date, n: int) -> date:
    """Plain calendar days (for limits in 日, e.g. 预算法's 批准后20日内)."""
    start = _as_date(start)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"天数应为整数，收到的是 {n!r}")
    try:
        return start + timedelta(days=n)
    except OverflowError as exc:
        raise ValueError("结果超出可计算的日期范围") from exc


def describe(day: date, *, with_note: bool = True) -> str:
    """One Chinese line for people: `2026-10-10（星期六）是工作日：调休上班（国庆节）`."""
    info = is_workday(day)
    verdict = "是工作日" if info.workday else "不是工作日"
    text = f"{info.date:%Y-%m-%d}（星期{WEEKDAYS[info.date.weekday()]}）{verdict}：{info.reason}"
    if info.provisional and with_note:
        return f"{text}（{provisional_note((info.date.year,))}）"
    return text


SOURCE_LABELS = {
    "table": "后台录入的节假日安排",
    "chinesecalendar": f"内置日历（chinesecalendar {chinese_calendar.__version__}）",
    "weekends": "仅按周末推算",
}


# ------------------------------------------------------------- entering a notice


@dataclass
class ScheduleLine:
    """One holiday of a notice: its days off and its adjusted working days."""

    line_no: int
    name: str
    holidays: list[date] = field(default_factory=list)
    workdays: list[date] = field(default_factory=list)


_PARENS = re.compile(r"（[^）]*）|\([^)]*\)")
_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.．]\s*")
_NAME = re.compile(r"^\s*([^\d\s：:，,。；;、]+(?:、[^\d\s：:，,。；;、]+)*)\s*[：:]?")
_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*[年\-/.]\s*)?(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*日?"
    r"|(?P<dd>\d{1,2})\s*日"
)
_RANGE = re.compile(r"^\s*(?:至|到|~|～|—|–|－|--)\s*$")
_WORK = re.compile(r"上班|补班")
_CLAUSE = re.compile(r"[。；;\n]")


def _dates_in(text: str, year: int, line_no: int) -> list[tuple[int, list[date]]]:
    """Dates and ranges in `text`, each with its position: (pos, [days])."""
    found: list[tuple[int, int, date]] = []
    cur_year, cur_month = year, None
    for m in _DATE.finditer(text):
        if m.group("dd"):
            if cur_month is None:
                raise ValidationError(f"第{line_no}行：“{m.group(0)}”缺少月份")
            y, mo, d = cur_year, cur_month, int(m.group("dd"))
        else:
            y = int(m.group("y")) if m.group("y") else year
            mo, d = int(m.group("m")), int(m.group("d"))
        try:
            day = date(y, mo, d)
        except ValueError as exc:
            raise ValidationError(f"第{line_no}行：日期“{m.group(0)}”不存在") from exc
        cur_year, cur_month = y, mo
        found.append((m.start(), m.end(), day))
    out: list[tuple[int, list[date]]] = []
    i = 0
    while i < len(found):
        start_pos, end_pos, first = found[i]
        if i + 1 < len(found) and _RANGE.match(text[end_pos : found[i + 1][0]]):
            last = found[i + 1][2]
            if last < first or (last - first).days > 40:
                raise ValidationError(
                    f"第{line_no}行：起止日期有误（{first:%Y-%m-%d} 至 {last:%Y-%m-%d}）"
                )
            out.append(
                (start_pos, [first + timedelta(days=k) for k in range((last - first).days + 1)])
            )
            i += 2
        else:
            out.append((start_pos, [first]))
            i += 1
    return out


def parse_schedule(text: str, year: int) -> list[ScheduleLine]:
    """Read a year's holiday arrangement, one holiday a line, either as pasted from the
    State Council notice —

        七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。

    — or written compactly: `国庆节 10-01~10-07 上班 09-20 10-10`. Dates without a year
    are in `year`. Lines without any date (headings, remarks) are skipped; a line with
    dates but no holiday name, an impossible date, or a date given twice is an error
    (ValidationError listing every problem) — the reader never guesses."""
    lines: list[ScheduleLine] = []
    errors: list[str] = []
    seen: dict[date, int] = {}
    for line_no, raw in enumerate(text.splitlines(), start=1):
        body = _PARENS.sub("", _ORDINAL.sub("", raw, count=1)).strip()
        if not _DATE.search(body) or _DATE.fullmatch(body):
            continue  # headings and remarks; a lone date is the notice's signature date
        name_match = _NAME.match(body)
        if not name_match:
            errors.append(f"第{line_no}行：看不出是哪个节日（行首应为节日名称，如“国庆节：”）")
            continue
        name = re.sub(r"(?:放假|假期)$", "", name_match.group(1)) or name_match.group(1)
        line = ScheduleLine(line_no, name)
        try:
            for clause in _CLAUSE.split(body[name_match.end() :]):
                work = _WORK.search(clause)
                for pos, days in _dates_in(clause, year, line_no):
                    # "9月20日、10月10日上班" lists the dates before the word;
                    # "10-01~10-07 上班 09-20" lists them after it.
                    if work and (pos > work.start() or not _after(clause, work.start())):
                        line.workdays.extend(days)
                    else:
                        line.holidays.extend(days)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        for day in line.holidays + line.workdays:
            if day in seen:
                errors.append(f"第{line_no}行：{day:%Y-%m-%d} 已在第{seen[day]}行出现")
            seen[day] = line_no
        lines.append(line)
    if errors:
        raise ValidationError(errors)
    return lines


def _after(clause: str, pos: int) -> bool:
    """Whether any date follows position `pos` in the clause."""
    return bool(_DATE.search(clause, pos))


def can_edit_calendar(user: Any) -> bool:
    """The calendar is shared by every agency: system administrators (superusers) and
    users given the `core.change_calendarday` permission may change it."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("core.change_calendarday")
    )


def require_calendar_editor(user: Any) -> None:
    if not can_edit_calendar(user):
        raise PermissionDenied("您没有权限修改节假日安排。")


@dataclass(frozen=True)
class EntryResult:
    year: CalendarYear
    holidays: int
    workdays: int
    removed: int


@transaction.atomic
def enter_schedule(
    actor: Any,
    year: int,
    lines: list[ScheduleLine],
    *,
    notice: str = "",
    url: str = "",
    replace: bool = True,
    complete: bool = True,
) -> EntryResult:
    """Store a year's holidays and adjusted working days in one go. With `replace`, the
    year's earlier entries are removed first (re-entering a notice corrects it)."""
    require_calendar_editor(actor)
    dates = [(d, CalendarDay.Kind.HOLIDAY, ln.name) for ln in lines for d in ln.holidays]
    dates += [(d, CalendarDay.Kind.WORKDAY, ln.name) for ln in lines for d in ln.workdays]
    before = {
        str(d): f"{k}:{n}"
        for d, k, n in CalendarDay.objects.filter(date__year=year).values_list(
            "date", "kind", "name"
        )
    }
    removed = 0
    if replace:
        removed, _ = CalendarDay.objects.filter(date__year=year).delete()
    for day, kind, name in sorted(dates):
        CalendarDay.objects.update_or_create(
            date=day, defaults={"kind": kind, "name": name, "note": notice[:255]}
        )
    entry, _ = CalendarYear.objects.update_or_create(
        year=year, defaults={"complete": complete, "notice": notice, "url": url}
    )
    holidays = sum(1 for _, k, _ in dates if k == CalendarDay.Kind.HOLIDAY)
    record(
        actor,
        "calendar.enter",
        entry,
        before=before or None,
        after={str(d): f"{k}:{n}" for d, k, n in sorted(dates)},
        note=f"{notice or ''}（放假 {holidays} 天，调休上班 {len(dates) - holidays} 天）",
    )
    _note_write()
    return EntryResult(entry, holidays, len(dates) - holidays, removed)


def _day_state(obj: CalendarDay) -> dict:
    return {"date": str(obj.date), "kind": obj.kind, "name": obj.name, "note": obj.note}


def _year_state(obj: CalendarYear) -> dict:
    return {"year": obj.year, "complete": obj.complete, "notice": obj.notice, "url": obj.url}


def _state(obj: CalendarDay | CalendarYear) -> dict:
    return _day_state(obj) if isinstance(obj, CalendarDay) else _year_state(obj)


@transaction.atomic
def save_entry(actor: Any, obj: CalendarDay | CalendarYear) -> None:
    """Save one calendar row edited in the back office, with its audit entry."""
    require_calendar_editor(actor)
    before = None
    if obj.pk is not None:
        old = type(obj).objects.filter(pk=obj.pk).first()
        before = _state(old) if old else None
    obj.full_clean()
    obj.save()
    record(
        actor,
        "calendar.change" if before else "calendar.add",
        obj,
        before=before,
        after=_state(obj),
    )


@transaction.atomic
def delete_entry(actor: Any, obj: CalendarDay | CalendarYear) -> None:
    require_calendar_editor(actor)
    record(actor, "calendar.delete", obj, before=_state(obj))
    obj.delete()


@transaction.atomic
def enter_range(
    actor: Any, first: date, last: date, kind: str, name: str = "", note: str = ""
) -> list[CalendarDay]:
    """The same status for every date from `first` to `last` (e.g. 国庆节 10-01 至 10-07)."""
    require_calendar_editor(actor)
    if last < first:
        raise ValidationError("截止日期不能早于开始日期。")
    if (last - first).days > 40:
        raise ValidationError("一次最多录入 41 天。")
    rows = []
    for k in range((last - first).days + 1):
        row, _ = CalendarDay.objects.update_or_create(
            date=first + timedelta(days=k), defaults={"kind": kind, "name": name, "note": note}
        )
        rows.append(row)
    record(
        actor,
        "calendar.add",
        rows[0],
        after={"from": str(first), "to": str(last), "kind": kind, "name": name, "note": note},
        note=f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}",
    )
    return rows
