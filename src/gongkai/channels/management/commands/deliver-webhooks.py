import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from gongkai.channels import webhooks


class Command(BaseCommand):
    help = (
        "推送到期的变更通知到已配置的业务系统（带签名，失败按 1分钟、5分钟、30分钟、2小时、"
        "12小时重试）。默认持续运行；--once 推送完当前到期的通知后退出（适合 cron）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="推送完当前到期的通知后退出")
        parser.add_argument(
            "--interval", type=float, default=15.0, help="持续运行时每轮间隔秒数（默认15）"
        )
        parser.add_argument("--limit", type=int, default=200, help="每批条数（默认200）")

    def handle(self, *args, **options):
        if options["limit"] < 1 or options["interval"] <= 0:
            raise CommandError("--limit 须为正整数，--interval 须大于0。")
        limit = options["limit"]
        try:
            while True:
                done = Counter()
                while True:  # drain: a full batch means more may be due
                    counts = webhooks.deliver_due(limit=limit)
                    done.update(counts)
                    if sum(counts.values()) < limit:
                        break
                if done or options["once"]:
                    self.stdout.write(self._summary(done))
                if options["once"]:
                    return
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            self.stdout.write("已停止。")

    def _summary(self, counts) -> str:
        total = sum(counts.values())
        if not total:
            return "没有到期的推送。"
        return (
            f"推送 {total} 条：成功 {counts.get('succeeded', 0)}，"
            f"失败待重试 {counts.get('failed', 0)}，放弃 {counts.get('dead', 0)}。"
        )
