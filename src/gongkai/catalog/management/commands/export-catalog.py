"""`gongkai export-catalog --format xlsx|docx|csv|json --out FILE`: the standard template."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.catalog.exchange.exporter import WRITERS, export_items
from gongkai.catalog.models import Domain
from gongkai.catalog.services import public_items
from gongkai.org.models import Agency


class Command(BaseCommand):
    help = "按标准目录模板导出已发布的目录事项（xlsx、docx、csv、json）。"

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(WRITERS), help="导出格式")
        parser.add_argument("--out", required=True, help="输出文件路径")
        parser.add_argument("--agency", help="只导出该机关（机关代码）")
        parser.add_argument("--domain", help="只导出该领域（领域代码）")

    def handle(self, *args, **options):
        items = public_items()
        agency_name = ""
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"找不到机关：{options['agency']}")
            items, agency_name = items.filter(agency=agency), agency.name
        if options["domain"]:
            if not Domain.objects.filter(code=options["domain"]).exists():
                raise CommandError(f"未知的领域代码：{options['domain']}")
            items = items.filter(domain__code=options["domain"])
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"输出目录不存在：{out.parent}")
        try:
            count = export_items(items, options["format"], options["out"], agency_name)
        except OSError as exc:
            raise CommandError(f"无法写入 {options['out']}：{exc.strerror}") from exc
        self.stdout.write(f"已导出 {count} 项到 {options['out']}")
