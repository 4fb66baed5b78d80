"""`gongkai import-orgs FILE` (also `import_orgs`): load divisions and agencies."""

import json

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.tables import TableError
from gongkai.org.services import import_orgs


class Command(BaseCommand):
    help = "从 csv 或 xlsx 文件导入行政区划和机关（可重复导入，不会产生重复）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="csv 或 xlsx 文件（列：类型 代码 名称 类别 上级 所属区划）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options):
        try:
            report = import_orgs(options["file"], dry_run=options["dry_run"])
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            for e in report.errors:
                self.stderr.write(f"第{e.row}行 [{e.column}] “{e.value}”：{e.message}")
            prefix = "（试运行，未写入）" if options["dry_run"] else ""
            self.stdout.write(
                f"{prefix}新建 {report.created}，更新 {report.updated}，"
                f"未变 {report.unchanged}，错误 {len(report.errors)}"
            )
        if report.errors:
            raise CommandError(f"导入失败：{len(report.errors)} 处错误，未写入任何数据。")
