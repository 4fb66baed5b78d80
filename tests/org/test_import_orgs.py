"""`gongkai import-orgs`: csv and xlsx, Chinese headers, idempotent, row-level errors."""

import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from gongkai.org.models import Agency, Division
from gongkai.org.services import import_orgs

CSV = """type,code,name,kind,parent,division
division,990000,示范省,province,,
division,990100,示范市,city,990000,
division,990171,示范经济开发区,county,990100,
division,990171001000,东湖街道,township,990171,
agency,990171-mzj,示范经济开发区民政局,department,,990171
agency,990171-dh,东湖街道办事处,township,,990171001000
"""


def test_csv_import_is_idempotent(db, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(CSV, encoding="utf-8")
    first = import_orgs(path)
    assert first.ok and first.created == 6
    again = import_orgs(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert Division.objects.get(code="990171001000").parent_id == "990171"
    assert Agency.objects.get(code="990171-dh").division_id == "990171001000"


def test_changed_name_is_updated(db, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(CSV, encoding="utf-8")
    import_orgs(path)
    path.write_text(
        CSV.replace("示范经济开发区民政局", "示范经济开发区社会事业局"), encoding="utf-8"
    )
    report = import_orgs(path)
    assert report.updated == 1
    assert Agency.objects.get(code="990171-mzj").name == "示范经济开发区社会事业局"


def test_xlsx_with_chinese_headers_children_before_parents(db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["类型", "代码", "名称", "类别", "上级", "所属区划"])
    ws.append(["机关", "990171-jyj", "教育局", "部门", "", "990171"])
    ws.append(["区划", "990171", "示范经济开发区", "县", "990100", ""])
    ws.append(["区划", "990100", "示范市", "市", "", ""])
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    report = import_orgs(path)
    assert report.ok, report.errors
    assert report.created == 3
    assert Agency.objects.get(code="990171-jyj").kind == "department"


def test_every_bad_row_is_reported_and_nothing_written(db, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(
        "类型,代码,名称,类别,上级,所属区划\n"
        "区划,990000,示范省,province,,\n"
        "区划,99AB,坏代码,city,990000,\n"
        "区划,880100,错上级,city,990000,\n"
        "机关,X1,某局,department,,123456\n"
        "部门,X2,某局,department,,990000\n"
        "机关,X3,,星球,,990000\n",
        encoding="utf-8",
    )
    report = import_orgs(path)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "code"),
        (4, "parent"),
        (5, "division"),
        (6, "type"),
        (7, "name"),
        (7, "kind"),
    ]
    assert all(e.message for e in report.errors)
    assert Division.objects.count() == 0 and Agency.objects.count() == 0


def test_command_json_and_exit_code(db, tmp_path, capsys):
    path = tmp_path / "orgs.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import-orgs", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["created"] == 6 and out["errors"] == []
    bad = tmp_path / "bad.csv"
    bad.write_text("名称\n某局\n", encoding="utf-8")
    with pytest.raises(CommandError, match="导入失败"):
        call_command("import-orgs", str(bad))
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import-orgs", str(tmp_path / "missing.csv"))
