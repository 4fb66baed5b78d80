"""`gongkai demo [--reset]`: load the demo zone (idempotent)."""

from django.core.management.base import BaseCommand

from gongkai.demo.services import load_demo, reset


class Command(BaseCommand):
    help = (
        "载入演示数据：示范经济开发区、26个领域的标准指引、已发布的目录事项、2026年的公开信息"
        "和政府信息公开专栏内容（可重复运行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="先清除演示数据再重新载入")

    def handle(self, *args, **options):
        if options["reset"]:
            reset()
            self.stdout.write("已清除演示目录数据。")
        report = load_demo()
        if report.created:
            made = "，".join(f"{k} {v}" for k, v in sorted(report.created.items()))
            self.stdout.write(self.style.SUCCESS(f"演示数据已载入：{made}"))
        else:
            self.stdout.write("演示数据已存在，没有新增内容。")
        for username, password in report.passwords.items():
            self.stdout.write(
                self.style.WARNING(f"账号 {username} 的初始密码（只显示这一次）：{password}")
            )
