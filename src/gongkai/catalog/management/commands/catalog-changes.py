"""`gongkai catalog-changes --since DATE`: what was added, changed and retired since DATE."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.catalog.changes import changed_since, write_report


class Command(BaseCommand):
    help = "目录动态更新报告：自某日以来新增、变更、停用的事项（可导出 csv/xlsx/json）。"

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="起始日期，如 2026-01-01")
        parser.add_argument("--agency", help="机关代码")
        parser.add_argument("--domain", help="领域代码")
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("--out", help="输出文件（省略则在终端打印摘要）")

    def handle(self, *args, **options):
        try:
            since = dt.date.fromisoformat(options["since"])
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['since']}") from exc
        report = changed_since(since, agency_code=options["agency"], domain_code=options["domain"])
        if options["out"]:
            out = Path(options["out"])
            if not out.parent.is_dir():
                raise CommandError(f"输出目录不存在：{out.parent}")
            write_report(report, options["format"], out)
        self.stdout.write(
            f"自 {since} 以来：新增 {len(report.added)}，变更 {len(report.changed)}，"
            f"停用 {len(report.retired)}" + (f"；已写入 {options['out']}" if options["out"] else "")
        )
