"""`gongkai workdays`: count working days on the Chinese holiday calendar."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from gongkai.core import workdays


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{text}", returncode=2) from exc


def _count(text: str) -> int:
    try:
        n = int(text.strip())
    except ValueError as exc:
        raise CommandError(f"工作日数应为整数：{text}", returncode=2) from exc
    if n < 0:
        raise CommandError(f"工作日数不能为负数：{text}", returncode=2)
    return n


class Command(BaseCommand):
    help = (
        "按中国法定节假日和调休安排计算工作日。"
        "发生当日不计算，从次日开始计算；尚未录入安排的年度只按周末计算并标注“临时结果”。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", title="子命令", required=True)
        add = sub.add_parser("add", help="某日之后第 N 个工作日是哪一天")
        add.add_argument("date", help="起算日期（当日不计），YYYY-MM-DD")
        add.add_argument("n", help="工作日数")
        add.add_argument("--json", action="store_true", help="以 JSON 输出")
        is_ = sub.add_parser("is", help="某日是否工作日，以及原因")
        is_.add_argument("date", help="日期，YYYY-MM-DD")
        is_.add_argument("--json", action="store_true", help="以 JSON 输出")
        between = sub.add_parser("between", help="两个日期之间有几个工作日（不含起始日，含截止日）")
        between.add_argument("start", help="起始日期，YYYY-MM-DD")
        between.add_argument("end", help="截止日期，YYYY-MM-DD")
        between.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **options):
        as_json = options.get("json", False)
        action = options["action"]
        try:
            if action == "add":
                start, n = _date(options["date"]), _count(options["n"])
                result = workdays.add_workdays(start, n)
                data = {
                    "start": str(start),
                    "workdays": n,
                    "date": str(result.date),
                    "provisional": result.provisional,
                    "provisional_years": list(result.provisional_years),
                }
                lines = [f"{result.date:%Y-%m-%d}"]
                notes = [result.note]
            elif action == "is":
                info = workdays.is_workday(_date(options["date"]))
                data = {
                    "date": str(info.date),
                    "workday": info.workday,
                    "reason": info.reason,
                    "name": info.name,
                    "provisional": info.provisional,
                    "source": info.source,
                }
                lines = [
                    workdays.describe(info.date, with_note=False),
                    f"依据：{workdays.SOURCE_LABELS[info.source]}",
                ]
                notes = [workdays.provisional_note((info.date.year,)) if info.provisional else ""]
            else:
                start, end = _date(options["start"]), _date(options["end"])
                count = workdays.workdays_between(start, end)
                data = {
                    "start": str(start),
                    "end": str(end),
                    "days": count.days,
                    "provisional": count.provisional,
                    "provisional_years": list(count.provisional_years),
                }
                lines = [f"{count.days} 个工作日（{start:%Y-%m-%d} 之后至 {end:%Y-%m-%d}）"]
                notes = [count.note]
        except ValueError as exc:  # dates beyond year 9999
            raise CommandError(str(exc), returncode=2) from exc
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for line in lines:
            self.stdout.write(line)
        for note in notes:
            if note:
                self.stdout.write(f"（{note}）")
