"""The working-day calendar: 2026 checked by hand against the State Council notice,
the admin table for years the library does not know, the provisional weekends-only
path, and the counting rules as properties."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core import workdays
from gongkai.core.management.commands.workdays import Command as WorkdaysCommand
from gongkai.core.models import AuditEntry, CalendarDay, CalendarYear
from gongkai.core.workdays import (
    DayInfo,
    WorkdayResult,
    add_workdays,
    calendar_days_add,
    is_workday,
    workdays_between,
)

D = date.fromisoformat

# holidays-2026.md, typed in from the 国务院办公厅 notice of 2025-11-04.
NOTICE_2026 = {
    "元旦": (("2026-01-01", "2026-01-03"), ["2026-01-04"]),
    "春节": (("2026-02-15", "2026-02-23"), ["2026-02-14", "2026-02-28"]),
    "清明节": (("2026-04-04", "2026-04-06"), []),
    "劳动节": (("2026-05-01", "2026-05-05"), ["2026-05-09"]),
    "端午节": (("2026-06-19", "2026-06-21"), []),
    "中秋节": (("2026-09-25", "2026-09-27"), []),
    "国庆节": (("2026-10-01", "2026-10-07"), ["2026-09-20", "2026-10-10"]),
}

# The same arrangement as the notice prints it (what an administrator pastes).
NOTICE_2026_TEXT = """\
国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。
国务院办公厅
2025年11月4日
"""


def notice_days(notice):
    holidays, adjusted = {}, {}
    for name, ((first, last), work) in notice.items():
        day = D(first)
        while day <= D(last):
            holidays[day] = name
            day += timedelta(days=1)
        adjusted.update({D(w): name for w in work})
    return holidays, adjusted


HOLIDAYS_2026, ADJUSTED_2026 = notice_days(NOTICE_2026)


@pytest.fixture
def keeper(db):
    """The system administrator, who keeps the calendar."""
    return get_user_model().objects.create_user(
        "keeper", password="x", is_staff=True, is_superuser=True
    )


def enter(keeper, year, text, **kwargs):
    return workdays.enter_schedule(
        keeper, year, workdays.parse_schedule(text, year), notice=f"{year}年通知", **kwargs
    )


# ------------------------------------------------------------ 2026, by hand


@pytest.mark.django_db
def test_every_day_of_2026_follows_the_notice():
    for offset in range(365):
        day = date(2026, 1, 1) + timedelta(days=offset)
        info = is_workday(day)
        assert isinstance(info, DayInfo)
        assert info.date == day and not info.provisional
        assert info.source == "chinesecalendar"
        if day in HOLIDAYS_2026:
            assert not info.workday, day
            assert info.reason == f"{HOLIDAYS_2026[day]}假期", day
        elif day in ADJUSTED_2026:
            assert info.workday, day
            assert info.reason == f"调休上班（{ADJUSTED_2026[day]}）", day
        elif day.weekday() >= 5:
            assert (info.workday, info.reason) == (False, "周末"), day
        else:
            assert (info.workday, info.reason) == (True, "工作日"), day


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # holidays-2026.md's worked example: received Fri 09-18, 20 working days.
        ("2026-09-18", 20, "2026-10-22"),
        # Across 国庆: 10-08 Thu, 10-09 Fri, 10-10 Sat (调休), 10-12 Mon, 10-13 Tue.
        ("2026-09-30", 5, "2026-10-13"),
        ("2026-09-30", 3, "2026-10-10"),
        ("2026-10-09", 1, "2026-10-10"),
        ("2026-10-10", 1, "2026-10-12"),
        # 09-20 is a Sunday worked for 国庆; 中秋 09-25..27 is off.
        ("2026-09-19", 1, "2026-09-20"),
        ("2026-09-24", 1, "2026-09-28"),
        # 春节: 02-14 Sat worked, 02-15..23 off, 02-28 Sat worked.
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-14", 1, "2026-02-24"),
        ("2026-02-26", 2, "2026-02-28"),
        # 元旦 across the year boundary from 2025 (also in the library).
        ("2025-12-31", 1, "2026-01-04"),
        # The start day is not counted, even when it is itself a working day.
        ("2026-10-08", 1, "2026-10-09"),
        # n == 0 is the start itself, whatever it is.
        ("2026-10-03", 0, "2026-10-03"),
    ],
)
def test_add_workdays_2026_by_hand(start, n, expected):
    result = add_workdays(D(start), n)
    assert isinstance(result, WorkdayResult)
    assert result.date == D(expected)
    assert result.provisional is False and result.note == ""


@pytest.mark.django_db
def test_workdays_between_2026():
    assert workdays_between(D("2026-09-18"), D("2026-10-22")).days == 20
    # 09-30 → 10-07 is all 国庆 holiday; 10-08 is the first working day after it.
    assert workdays_between(D("2026-09-30"), D("2026-10-07")).days == 0
    assert workdays_between(D("2026-09-30"), D("2026-10-08")).days == 1
    assert workdays_between(D("2026-10-22"), D("2026-09-18")).days == 0
    assert workdays_between(D("2026-10-22"), D("2026-10-22")).days == 0
    assert workdays_between(D("2026-09-18"), D("2026-10-22")).provisional is False


def test_calendar_days_ignore_holidays():
    # 预算法: 批准后20日内 — calendar days, 国庆 included.
    assert calendar_days_add(D("2026-09-30"), 20) == D("2026-10-20")
    assert calendar_days_add(D("2026-12-31"), 1) == D("2027-01-01")


@pytest.mark.django_db
def test_moments_are_dates_in_beijing():
    # 2026-09-30 20:00 UTC is 10-01 04:00 in Beijing: a 国庆 holiday.
    info = is_workday(datetime(2026, 9, 30, 20, 0, tzinfo=UTC))
    assert info.date == D("2026-10-01") and not info.workday


@pytest.mark.django_db
def test_bad_arguments_are_refused_clearly():
    with pytest.raises(ValueError, match="不能为负数"):
        add_workdays(D("2026-10-01"), -1)
    with pytest.raises(TypeError):
        add_workdays("2026-10-01", 1)
    with pytest.raises(TypeError):
        add_workdays(D("2026-10-01"), 1.5)
    with pytest.raises(ValueError, match="超出"):
        add_workdays(date(9999, 12, 30), 5)


# --------------------------------------------------------- the provisional path


@pytest.mark.django_db
def test_unknown_year_is_weekends_only_and_says_so():
    # 2027's notice is in no library and nobody has entered it.
    national_day = is_workday(D("2027-10-04"))  # a Monday
    assert national_day.workday and national_day.provisional
    assert (national_day.source, national_day.reason) == ("weekends", "工作日")
    sunday = is_workday(D("2027-10-03"))
    assert (sunday.workday, sunday.reason, sunday.provisional) == (False, "周末", True)

    result = add_workdays(D("2026-12-25"), 10)
    assert result.provisional and result.provisional_years == (2027,)
    assert "2027年节假日安排尚未录入" in result.note
    # Weekends only: 12-28..31 (4), then 2027-01-01 Fri (5), 01-04..08 (10).
    assert result.date == D("2027-01-08")

    # Counting that stays inside known years is not provisional.
    assert not add_workdays(D("2026-12-01"), 5).provisional
    # A date before the library's first year is just as unknown.
    assert is_workday(D("2003-05-01")).provisional

    count = workdays_between(D("2026-12-25"), D("2027-01-08"))
    assert (count.days, count.provisional, count.provisional_years) == (10, True, (2027,))
    assert not workdays_between(D("2027-01-08"), D("2026-12-25")).provisional


# ------------------------------------------------------------- the admin table

NOTICE_2027 = """\
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、国庆节：10月1日至7日放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


@pytest.mark.django_db
def test_entered_year_is_known(keeper):
    before = add_workdays(D("2027-09-30"), 3)
    assert before.provisional and before.date == D("2027-10-05")

    result = enter(keeper, 2027, NOTICE_2027)
    assert (result.holidays, result.workdays) == (10, 2)

    info = is_workday(D("2027-10-04"))
    assert (info.workday, info.reason, info.source, info.provisional) == (
        False,
        "国庆节假期",
        "table",
        False,
    )
    saturday = is_workday(D("2027-10-09"))
    assert (saturday.workday, saturday.reason) == (True, "调休上班（国庆节）")
    # The rest of an entered year is ordinary, and no longer provisional.
    assert is_workday(D("2027-10-08")) == DayInfo(D("2027-10-08"), True, "工作日", False, "table")
    assert is_workday(D("2027-10-10")).reason == "周末"
    after = add_workdays(D("2027-09-30"), 3)
    # 10-08 Fri, 10-09 Sat (调休), 10-11 Mon.
    assert (after.date, after.provisional) == (D("2027-10-11"), False)

    assert CalendarYear.objects.get(year=2027).complete
    entry = AuditEntry.objects.get(action="calendar.enter")
    assert entry.actor == keeper and entry.after["2027-10-09"] == "workday:国庆节"


@pytest.mark.django_db
def test_days_entered_before_the_year_is_complete(keeper):
    enter(keeper, 2027, NOTICE_2027, complete=False)
    # The entered dates are certain; the rest of 2027 is still a weekends-only estimate.
    assert not is_workday(D("2027-10-04")).provisional
    assert is_workday(D("2027-10-08")).provisional
    assert add_workdays(D("2027-09-30"), 3).provisional


@pytest.mark.django_db
def test_table_corrects_the_library_and_reentering_replaces(keeper):
    assert is_workday(D("2026-10-09")).workday
    assert add_workdays(D("2026-09-30"), 2).date == D("2026-10-09")
    workdays.enter_range(keeper, D("2026-10-09"), D("2026-10-09"), "holiday", "国庆节")
    corrected = is_workday(D("2026-10-09"))
    assert (corrected.workday, corrected.source) == (False, "table")
    # 10-08 Thu, then 10-10 Sat (调休) now that 10-09 is off.
    assert add_workdays(D("2026-09-30"), 2).date == D("2026-10-10")

    enter(keeper, 2027, NOTICE_2027)
    enter(keeper, 2027, "国庆节 10-01~10-03")
    # Re-entering the year replaced it: 10-04 and the 调休 Sunday are gone.
    assert is_workday(D("2027-10-04")).workday
    assert not is_workday(D("2027-09-26")).workday
    assert CalendarDay.objects.filter(date__year=2027).count() == 3


@pytest.mark.django_db
def test_deleting_an_entry_takes_effect_at_once(keeper):
    enter(keeper, 2027, NOTICE_2027)
    assert not is_workday(D("2027-10-04")).workday
    workdays.delete_entry(keeper, CalendarDay.objects.get(date=D("2027-10-04")))
    assert is_workday(D("2027-10-04")).workday
    workdays.delete_entry(keeper, CalendarYear.objects.get(year=2027))
    assert is_workday(D("2027-10-08")).provisional


@pytest.mark.django_db
def test_only_calendar_keepers_may_change_it(people):
    lines = workdays.parse_schedule(NOTICE_2027, 2027)
    for user in (people["zone_admin"], people["editor"], None):
        with pytest.raises(PermissionDenied):
            workdays.enter_schedule(user, 2027, lines)
    assert not CalendarDay.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_table_is_read_once_per_process(django_assert_num_queries):
    workdays.clear_cache()
    add_workdays(D("2027-09-30"), 20)
    with django_assert_num_queries(0):
        for k in range(200):
            add_workdays(D("2026-01-01") + timedelta(days=k), 20)
            is_workday(D("2027-01-01") + timedelta(days=k))


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_entry_leaves_no_trace():
    keeper = get_user_model().objects.create_user("keeper", is_superuser=True, is_staff=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        enter(keeper, 2027, NOTICE_2027)
        assert not is_workday(D("2027-10-04")).workday  # seen inside the transaction
        raise RuntimeError
    info = is_workday(D("2027-10-04"))
    assert info.workday and info.provisional
    enter(keeper, 2027, NOTICE_2027)  # committed: seen by the next lookups
    assert not is_workday(D("2027-10-04")).workday
    assert not is_workday(D("2027-10-05")).workday


# ---------------------------------------------------------- reading the notice


def test_the_pasted_notice_reads_as_the_notice_says():
    lines = workdays.parse_schedule(NOTICE_2026_TEXT, 2026)
    holidays = {d: ln.name for ln in lines for d in ln.holidays}
    adjusted = {d: ln.name for ln in lines for d in ln.workdays}
    assert (holidays, adjusted) == (HOLIDAYS_2026, ADJUSTED_2026)


@pytest.mark.django_db
def test_the_pasted_notice_agrees_with_the_library(keeper):
    # Entered by hand, 2026 gives the same answer for every day as chinesecalendar.
    library = [is_workday(date(2026, 1, 1) + timedelta(days=k)) for k in range(365)]
    enter(keeper, 2026, NOTICE_2026_TEXT)
    for old in library:
        new = is_workday(old.date)
        assert (new.workday, new.reason) == (old.workday, old.reason), old.date


def test_compact_lines_and_other_spellings():
    text = """\
国庆节 10-01~10-07 上班 09-26 10-09
元旦：2026年12月31日至2027年1月2日放假
中秋节、国庆节：2027/9/15 ～ 2027/9/17；9月19日补班
"""
    lines = workdays.parse_schedule(text, 2027)
    assert [ln.name for ln in lines] == ["国庆节", "元旦", "中秋节、国庆节"]
    assert lines[0].holidays[0] == D("2027-10-01") and len(lines[0].holidays) == 7
    assert lines[0].workdays == [D("2027-09-26"), D("2027-10-09")]
    assert lines[1].holidays == [D("2026-12-31"), D("2027-01-01"), D("2027-01-02")]
    assert lines[2].holidays == [D("2027-09-15"), D("2027-09-16"), D("2027-09-17")]
    assert lines[2].workdays == [D("2027-09-19")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("春节：2月30日放假", "不存在"),
        ("10月1日至7日放假", "看不出是哪个节日"),
        ("国庆节：10月7日至1日放假", "起止日期有误"),
        ("国庆节：10月1日至7日放假\n中秋节：10月1日放假", "已在第1行出现"),
        ("国庆节：7日放假", "缺少月份"),
    ],
)
def test_unreadable_lines_are_errors_not_guesses(text, message):
    with pytest.raises(ValidationError) as exc:
        workdays.parse_schedule(text, 2027)
    assert any(message in m for m in exc.value.messages)


# ------------------------------------------------------------------ properties

DAYS = st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31))
N = st.integers(min_value=0, max_value=60)
SLOW = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def partly_entered_2027(keeper):
    """Part of 2027 entered, the year not complete: three sources in one calendar.
    Gives the dates that nobody knows: 2027 and 2028 outside the entered ones."""
    enter(keeper, 2027, NOTICE_2027, complete=False)
    entered = set(CalendarDay.objects.values_list("date", flat=True))
    return lambda day: day.year in (2027, 2028) and day not in entered


@SLOW
@given(start=DAYS, n=N)
def test_every_result_is_a_working_day_after_the_start(partly_entered_2027, start, n):
    result = add_workdays(start, n)
    if n == 0:
        assert result.date == start and not result.provisional
        return
    assert result.date > start
    assert is_workday(result.date).workday
    # Exactly n working days lie after the start up to the result.
    assert workdays_between(start, result.date).days == n
    # Provisional exactly when a weekends-only day was counted.
    span = [start + timedelta(days=k) for k in range(1, (result.date - start).days + 1)]
    assert result.provisional == any(map(partly_entered_2027, span))


@SLOW
@given(start=DAYS, n=N, m=N)
def test_adding_working_days_is_monotonic_and_additive(partly_entered_2027, start, n, m):
    later = start + timedelta(days=m)
    assert add_workdays(start, n).date <= add_workdays(later, n).date
    if m:
        assert add_workdays(start, n).date < add_workdays(start, n + m).date
    assert add_workdays(add_workdays(start, n).date, m).date == add_workdays(start, n + m).date


@SLOW
@given(start=DAYS, end=DAYS)
def test_counting_never_crashes_and_is_consistent(partly_entered_2027, start, end):
    count = workdays_between(start, end)
    assert count.days >= 0
    if count.days:
        assert add_workdays(start, count.days).date <= end
        assert add_workdays(start, count.days + 1).date > end


# -------------------------------------------------------------------- command


@pytest.mark.django_db
def test_command_add(capsys):
    call_command("workdays", "add", "2026-09-30", "5")
    assert capsys.readouterr().out == "2026-10-13\n"
    call_command("workdays", "add", "2026-12-25", "10")
    out = capsys.readouterr().out.splitlines()
    assert out == ["2027-01-08", "（临时结果：2027年节假日安排尚未录入，仅按周末计算）"]
    call_command("workdays", "add", "2026-12-25", "10", "--json")
    assert '"provisional": true' in capsys.readouterr().out


@pytest.mark.django_db
def test_command_is_says_why(capsys):
    call_command("workdays", "is", "2026-10-10")
    out = capsys.readouterr().out
    assert "2026-10-10（星期六）是工作日：调休上班（国庆节）" in out
    assert "chinesecalendar" in out
    call_command("workdays", "is", "2026-10-05")
    assert "不是工作日：国庆节假期" in capsys.readouterr().out
    call_command("workdays", "is", "2027-10-04")
    out = capsys.readouterr().out
    assert "是工作日：工作日" in out and "临时结果" in out
    call_command("workdays", "between", "2026-09-18", "2026-10-22")
    assert capsys.readouterr().out.startswith("20 个工作日")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "2026-13-01", "3"], "日期格式应为 YYYY-MM-DD"),
        (["add", "2026-10-01", "-1"], "不能为负数"),
        (["add", "2026-10-01", "五"], "应为整数"),
        (["add", "9999-12-30", "5"], "超出"),
        (["is", "昨天"], "日期格式"),
    ],
)
def test_command_bad_input_exits_2_in_chinese(capsys, args, message):
    with pytest.raises(CommandError) as exc:
        call_command("workdays", *args)
    assert exc.value.returncode == 2 and message in str(exc.value)
    # From the shell: exit status 2, one Chinese line, no traceback.
    with pytest.raises(SystemExit) as exit_:
        WorkdaysCommand().run_from_argv(["gongkai", "workdays", *args])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


# ---------------------------------------------------------------------- admin


@pytest.mark.django_db
def test_admin_enters_a_notice_by_pasting_it(client, keeper):
    client.force_login(keeper)
    listing = client.get(reverse("admin:core_calendaryear_changelist")).content.decode()
    assert "录入年度节假日安排" in listing and "2004–2026" in listing
    url = reverse("admin:core_calendaryear_enter")
    assert client.get(url).status_code == 200
    form = {"year": 2027, "notice": "2027年通知", "text": NOTICE_2027, "replace": "on"}
    form["complete"] = "on"
    preview = client.post(url, {**form, "step": "preview"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "10-09（周六）" in html and "保存" in html
    assert not CalendarDay.objects.exists()  # a preview writes nothing

    saved = client.post(url, {**form, "step": "save"})
    assert saved.status_code == 302
    assert CalendarDay.objects.filter(date__year=2027).count() == 12
    assert not is_workday(D("2027-10-04")).workday
    assert not is_workday(D("2027-12-01")).provisional

    bad = client.post(url, {**form, "text": "国庆节：10月7日至1日放假", "step": "save"})
    assert "起止日期有误" in bad.content.decode()


@pytest.mark.django_db
def test_admin_enters_a_range_in_one_form(client, keeper):
    client.force_login(keeper)
    response = client.post(
        reverse("admin:core_calendarday_add"),
        {"date": "2027-10-01", "until": "2027-10-07", "kind": "holiday", "name": "国庆节"},
    )
    assert response.status_code == 302
    assert CalendarDay.objects.filter(kind="holiday", name="国庆节").count() == 7
    assert is_workday(D("2027-10-07")).reason == "国庆节假期"
    assert AuditEntry.objects.filter(action="calendar.add").exists()


@pytest.mark.django_db
def test_other_staff_may_look_but_not_change(client, people):
    client.force_login(people["zone_admin"])
    assert client.get(reverse("admin:core_calendaryear_changelist")).status_code == 200
    assert client.get(reverse("admin:core_calendarday_changelist")).status_code == 200
    assert client.get(reverse("admin:core_calendaryear_enter")).status_code == 403
    response = client.post(
        reverse("admin:core_calendarday_add"),
        {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"},
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()
