"""`gongkai import-catalog FILE --agency CODE`: import a catalog table (xlsx/docx/html/csv/json)."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from gongkai.catalog.exchange.importer import apply_import, plan_import
from gongkai.catalog.exchange.model import ExchangeError
from gongkai.org.models import Agency


class Command(BaseCommand):
    help = "导入政务公开标准目录（xlsx、xls、docx、html、csv 或本系统的 JSON）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="目录文件")
        parser.add_argument("--agency", required=True, help="编制单位（机关代码）")
        parser.add_argument("--domain", help="指定领域代码（覆盖表格标题中的领域）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="跳过有错误的行，导入其余各行"
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="直接发布（仅限管理员迁移已发布的目录；默认进入待审核）",
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument(
            "--user", default=None, help="以哪个用户的身份导入（默认：第一个超级管理员）"
        )

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"找不到机关：{options['agency']}")
        user = self._user(options["user"])
        try:
            plan = plan_import(options["file"], agency, domain=options["domain"])
            if not options["dry_run"] and (not plan.has_errors or options["skip_invalid"]):
                total = plan.count("create") + plan.count("update")
                with tqdm(
                    total=total, unit="项", disable=options["json"] or total < 500, file=self.stderr
                ) as bar:
                    apply_import(
                        plan,
                        user,
                        skip_invalid=options["skip_invalid"],
                        publish=options["publish"],
                        progress=bar.update,
                    )
        except (ExchangeError, ValidationError, PermissionDenied) as exc:
            message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "created": 0,
                            "updated": 0,
                            "unchanged": 0,
                            "skipped": 0,
                            "errors": [{"row": 0, "column": "", "value": "", "message": message}],
                        },
                        ensure_ascii=False,
                    )
                )
            raise CommandError(message) from exc
        self._report(plan, options)
        if plan.has_errors and not options["skip_invalid"]:
            raise CommandError(f"文件有 {len(plan.problems)} 处错误，未导入任何数据。")

    def _user(self, username):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"找不到用户：{username}")
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("没有可用的超级管理员，请用 --user 指定导入人。")
        return user

    def _report(self, plan, options):
        data = plan.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for notice in plan.notices:
            self.stderr.write(f"提示：{notice}")
        for p in plan.problems:
            where = f"{p.table} " if p.table else ""
            self.stderr.write(f"{where}第{p.row}行 [{p.column}] “{p.value}”：{p.message}")
        if options["skip_invalid"]:
            for r in plan.rows:
                if r.action == "skip":
                    self.stderr.write(
                        f"已跳过：{r.data.table} 第{r.data.row}行 "
                        f"{r.data.elements.get('level2', '')}"
                    )
        mode = "（试运行，未写入）" if options["dry_run"] or not plan.applied else ""
        state = "已直接发布" if options["publish"] and plan.applied else "进入待审核"
        self.stdout.write(
            f"{mode}新建 {data['created']}，更新 {data['updated']}，未变 {data['unchanged']}，"
            f"跳过 {data['skipped']}，错误 {len(data['errors'])}"
            + (f"；{state}" if plan.applied else "")
        )
