"""`gongkai serve`: the production server (gunicorn + whitenoise), not runserver."""

import multiprocessing

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动网站服务（gunicorn，生产级，含静态文件）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument(
            "--workers",
            type=int,
            default=min(4, multiprocessing.cpu_count() * 2 + 1),
            help="工作进程数",
        )
        parser.add_argument("--no-collectstatic", action="store_true", help="跳过收集静态文件")

    def handle(self, *args, **options):
        from gunicorn.app.base import BaseApplication

        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)

        bind = f"{options['host']}:{options['port']}"
        config = {
            "bind": bind,
            "workers": options["workers"],
            "accesslog": "-",
            "timeout": 60,
            "preload_app": True,
        }

        class App(BaseApplication):
            def load_config(self):
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                from gongkai.wsgi import application

                return application

        self.stdout.write(f"公开 · {settings.SITE_NAME}：http://{bind}/  （Ctrl+C 停止）")
        App().run()
