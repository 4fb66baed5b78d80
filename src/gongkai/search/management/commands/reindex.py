from django.core.management.base import BaseCommand
from tqdm import tqdm

from gongkai.catalog.services import public_items
from gongkai.search.indexing import OTHER_SOURCES, reindex_all


class Command(BaseCommand):
    help = "重建全文检索索引（全部已发布的目录事项和公开信息）。"

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options):
        total = public_items().count()
        with tqdm(total=total, unit="项", desc="重建索引", disable=options["no_progress"]) as bar:
            n = reindex_all(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"已索引 {n} 个事项。"))
        for doc_type, rebuild in OTHER_SOURCES.items():
            self.stdout.write(self.style.SUCCESS(f"已索引 {rebuild()} 个文档（{doc_type}）。"))
