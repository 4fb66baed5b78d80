"""`gongkai export-catalog`: formats, filters, clear errors."""

import json

import pytest
from django.core.management import CommandError, call_command

from tests.portal.helpers import publish_item


@pytest.fixture
def published(zone, elements):
    publish_item(zone["mzj"], "social_assistance", elements)
    publish_item(zone["jyj"], "compulsory_education", elements, level2="招生计划")


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "csv", "json"])
def test_every_format_writes_a_file(published, tmp_path, fmt, capsys):
    out = tmp_path / f"catalog.{fmt}"
    call_command("export-catalog", "--format", fmt, "--out", str(out))
    assert out.stat().st_size > 0
    assert "已导出 2 项" in capsys.readouterr().out


def test_filters(published, tmp_path, zone):
    out = tmp_path / "c.json"
    call_command(
        "export-catalog", "--format", "json", "--out", str(out), "--agency", zone["jyj"].code
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["level2"] for s in data["sheets"] for r in s["rows"]] == ["招生计划"]


@pytest.mark.parametrize(
    "args,message",
    [
        (["--agency", "NOPE"], "找不到机关"),
        (["--domain", "nope"], "未知的领域代码"),
    ],
)
def test_bad_arguments(published, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export-catalog", "--format", "xlsx", "--out", str(tmp_path / "x.xlsx"), *args)


def test_missing_output_directory(published, tmp_path):
    with pytest.raises(CommandError, match="输出目录不存在"):
        call_command("export-catalog", "--format", "xlsx", "--out", str(tmp_path / "no" / "x.xlsx"))
