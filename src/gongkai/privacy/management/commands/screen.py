import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from gongkai.privacy.extract import ExtractError, extract_text
from gongkai.privacy.screen import screen_text


class Command(BaseCommand):
    help = (
        "检查文件（或标准输入“-”）中的身份证号、手机号、银行卡号和敏感词，以 JSON 输出结果。"
        "有发现时退出码为 1，没有为 0，文件无法读取为 2。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="文件路径；“-”表示从标准输入读取")
        parser.add_argument(
            "--name", default="", help="标准输入内容的文件名（用于识别格式，如 通知.pdf）"
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                data = sys.stdin.buffer.read()
                name = options["name"] or "标准输入"
            else:
                data = Path(path).read_bytes()
                name = options["name"] or Path(path).name
            text = extract_text(data, name)
        except (OSError, ExtractError) as exc:
            message = (
                exc
                if isinstance(exc, ExtractError)
                else f"无法读取文件“{path}”：{exc.strerror or exc}"
            )
            self.stderr.write(str(message))
            raise SystemExit(2) from exc
        source = "标准输入" if path == "-" else name
        findings = screen_text(text, source=source)
        report = {"findings": [f.as_dict() for f in findings], "count": len(findings)}
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        if findings:
            raise SystemExit(1)
