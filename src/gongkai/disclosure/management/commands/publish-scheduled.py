"""`gongkai publish-scheduled`: publish the records whose scheduled time has come (cron)."""

from django.core.management.base import BaseCommand

from gongkai.disclosure.services import publish_scheduled


class Command(BaseCommand):
    help = "发布已到定时发布时间的公开信息（可反复运行，供 cron 每几分钟调用一次）。"

    def handle(self, *args, **options):
        run = publish_scheduled()
        for record in run.published:
            self.stdout.write(f"已发布：{record.index_number} {record.title}")
        for record, reason in run.held:
            self.stderr.write(f"未发布，已退回待审核：{record.title}：{reason}")
        self.stdout.write(f"定时发布：发布 {len(run.published)} 条，退回 {len(run.held)} 条。")
