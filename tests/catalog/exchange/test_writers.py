"""Tests for the catalog writers (pure: no database).

The xlsx and docx files are opened again with openpyxl / python-docx and checked cell by
cell against the national template (domain-facts §2.2–2.3).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import time
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl.utils import get_column_letter

from gongkai.catalog.exchange.model import ELEMENT_KEYS
from gongkai.catalog.exchange.writers import (
    CSV_COLUMNS,
    ExportSheet,
    channel_checklist,
    channel_names,
    sheet_title,
    write_csv,
    write_docx,
    write_json,
    write_xlsx,
)
from gongkai.catalog.vocabularies import CHANNELS


def item(**kw) -> dict:
    row = {
        "code": "",
        "level1": "",
        "level2": "",
        "level3": "",
        "content": "",
        "basis": "",
        "time_limit_text": "",
        "subject_text": "",
        "channels": [],
        "channels_other": "",
        "audience": ["public"],
        "audience_note": "",
        "mode": ["proactive"],
        "levels": ["county"],
    }
    row.update(kw)
    return row


# Real rows (domain-facts §2.5), with a few variations for the tick columns.
SOCIAL_ASSISTANCE = [
    item(
        level1="综合业务",
        level2="政策法规文件",
        content="《社会救助暂行办法》\n各地配套政策法规文件",
        basis="《中华人民共和国政府信息公开条例》及相关规定",
        time_limit_text="制定或获取信息之日起10个工作日内",
        subject_text="县民政局、各乡(镇)人民政府(街道办事处)",
        channels=["website", "reading_point", "service_center"],
        levels=["county", "township"],
    ),
    item(
        level1="综合业务",
        level2="监督检查",
        content="社会救助信访通讯地址\n社会救助投诉举报电话",
        basis="《中华人民共和国政府信息公开条例》及相关规定",
        time_limit_text="制定或获取信息之日起10个工作日内",
        subject_text="县民政局",
        channels=["website", "other"],
        channels_other="社会救助服务热线",
        mode=["proactive", "on_request"],
    ),
    item(
        level1="最低生活保障",
        level2="审核审批结果",
        content="城乡低保对象名单（姓名、保障人数、保障金额）",
        basis="《社会救助暂行办法》",
        time_limit_text="信息形成或者变更之日起20个工作日内",
        subject_text="县民政局",
        channels=["notice_board", "on_site"],
        audience=["specific"],
        audience_note="低保对象",
        levels=["township", "village"],
    ),
]
ELDERLY_CARE = [
    item(
        level1="养老服务通用政策",
        level2="国家和地方层面养老服务相关法律、法规、政策文件",
        content="●文件名称 ●文号 ●发文部门",
        basis="《中华人民共和国政府信息公开条例》",
        time_limit_text="制定或获取文件之日起10个工作日内",
        subject_text="县级人民政府民政部门",
        channels=["website", "new_media", "service_center"],
    )
]


def social_sheet(**kw) -> ExportSheet:
    fields = {
        "title": sheet_title("社会救助", "示范经济开发区民政局"),
        "domain_name": "社会救助",
        "agency_name": "示范经济开发区民政局",
        "rows": [dict(r) for r in SOCIAL_ASSISTANCE],
    }
    fields.update(kw)
    return ExportSheet(**fields)


def elderly_sheet(**kw) -> ExportSheet:
    fields = {
        "title": sheet_title("养老服务", ""),
        "domain_name": "养老服务",
        "agency_name": "",
        "rows": [dict(r) for r in ELDERLY_CARE],
    }
    fields.update(kw)
    return ExportSheet(**fields)


def load_xlsx(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the file must open without any warning
        return openpyxl.load_workbook(path)


def columns_by_header(ws, row: int) -> dict[str, str]:
    """Sub-header (or spanning header) text → column letter."""
    found = {}
    for col in range(1, ws.max_column + 1):
        letter = get_column_letter(col)
        text = ws[f"{letter}{row + 1}"].value or ws[f"{letter}{row}"].value
        found[text] = letter
    return found


# ------------------------------------------------------------------------- helpers


def test_sheet_title():
    assert sheet_title("社会救助", "示范经济开发区民政局") == "社会救助领域基层政务公开标准目录"
    assert sheet_title("卫生健康领域", "") == "卫生健康领域基层政务公开标准目录"
    assert sheet_title("", "示范经济开发区民政局") == "示范经济开发区民政局基层政务公开标准目录"


def test_channel_checklist_lists_all_13_channels_in_template_order():
    text = channel_checklist(["service_center", "website"], "")
    lines = text.split("\n")
    assert len(lines) == 13
    assert [line[1:] for line in lines] == [label for _, label in CHANNELS]
    assert lines[0] == "■政府网站"
    assert lines[1] == "□政府公报"
    assert lines[7] == "■政务服务中心"
    assert lines[-1] == "□其他"


def test_channel_checklist_other_with_text():
    assert channel_checklist(["other"], "").split("\n")[-1] == "■其他"
    assert channel_checklist(["other"], "信用中国网站").split("\n")[-1] == "■其他：信用中国网站"
    # Free text alone ticks 其他 too.
    assert channel_checklist([], "法律服务网").split("\n")[-1] == "■其他：法律服务网"
    assert channel_checklist(None, "").count("■") == 0


def test_channel_names_in_template_order():
    assert channel_names(["other", "notice_board", "website"]) == [
        "政府网站",
        "社区/企事业单位/村公示栏（电子屏）",
        "其他",
    ]


# ---------------------------------------------------------------------------- xlsx


def test_xlsx_title_agency_and_two_merged_header_rows(tmp_path):
    path = tmp_path / "catalog.xlsx"
    write_xlsx([social_sheet()], path)
    ws = load_xlsx(path)["社会救助"]

    assert ws["A1"].value == "社会救助领域基层政务公开标准目录"
    assert ws["A1"].font.b and ws["A1"].font.sz == 16 and ws["A1"].font.name == "黑体"
    assert ws["A1"].alignment.horizontal == "center"
    assert ws["A2"].value == "编制单位：示范经济开发区民政局"

    top = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    sub = [ws.cell(4, c).value for c in range(1, ws.max_column + 1)]
    assert top == [
        "序号",
        "公开事项",
        None,
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        None,
        "公开方式",
        None,
        "公开层级",
        None,
        None,
    ]
    # 公开层级: the sheet's county/township widened by the 村级 a row uses.
    assert sub == [
        None,
        "一级事项",
        "二级事项",
        None,
        None,
        None,
        None,
        None,
        "全社会",
        "特定群体",
        "主动",
        "依申请",
        "县级",
        "乡级",
        "村级",
    ]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:O1", "A2:O2"} <= merged
    header_merges = {r for r in merged if r[1] in "34" and r[-1] in "34"}
    assert header_merges == {
        "A3:A4",  # 序号
        "B3:C3",  # 公开事项
        "D3:D4",
        "E3:E4",
        "F3:F4",
        "G3:G4",
        "H3:H4",  # 公开渠道和载体
        "I3:J3",  # 公开对象
        "K3:L3",  # 公开方式
        "M3:O3",  # 公开层级
    }
    for cell in ("A3", "B3", "I3", "B4", "M4"):
        assert ws[cell].font.name == "黑体" and ws[cell].font.b
        assert ws[cell].alignment.horizontal == "center"
        assert ws[cell].border.left.style == "thin"


def test_xlsx_ticks_channels_and_level1_merge(tmp_path):
    path = tmp_path / "catalog.xlsx"
    write_xlsx([social_sheet()], path)
    ws = load_xlsx(path)["社会救助"]
    col = columns_by_header(ws, 3)

    # Data starts below the two header rows.
    assert [ws[f"A{r}"].value for r in (5, 6, 7)] == [1, 2, 3]
    assert ws[f"{col['二级事项']}5"].value == "政策法规文件"
    assert ws[f"{col['公开内容（要素）']}5"].value == "《社会救助暂行办法》\n各地配套政策法规文件"

    def ticks(row):
        names = ("全社会", "特定群体", "主动", "依申请", "县级", "乡级", "村级")
        return {n: ws[f"{col[n]}{row}"].value for n in names if ws[f"{col[n]}{row}"].value}

    assert ticks(5) == {"全社会": "√", "主动": "√", "县级": "√", "乡级": "√"}
    assert ticks(6) == {"全社会": "√", "主动": "√", "依申请": "√", "县级": "√"}
    assert ticks(7) == {"特定群体": "√", "主动": "√", "乡级": "√", "村级": "√"}
    assert ws[f"{col['全社会']}5"].alignment.horizontal == "center"

    channels = ws[f"{col['公开渠道和载体']}5"].value
    assert channels == channel_checklist(["website", "reading_point", "service_center"], "")
    assert channels.split("\n")[:2] == ["■政府网站", "□政府公报"]
    assert ws[f"{col['公开渠道和载体']}6"].value.endswith("■其他：社会救助服务热线")

    # 综合业务 covers rows 5–6, merged vertically; 最低生活保障 stands alone.
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "B5:B6" in merged
    assert not any(r.startswith("B7") for r in merged)
    assert ws["B5"].value == "综合业务"
    assert ws["B7"].value == "最低生活保障"

    body = ws[f"{col['公开内容（要素）']}5"]
    assert body.font.name == "宋体"
    assert body.alignment.wrap_text and body.alignment.vertical == "top"
    assert body.border.top.style == body.border.bottom.style == "thin"
    # Row heights are set for the wrapped text: 13+ channel lines, within Excel's limit.
    assert 150 < ws.row_dimensions[5].height <= 409


def test_xlsx_print_setup(tmp_path):
    path = tmp_path / "catalog.xlsx"
    write_xlsx([social_sheet(), elderly_sheet()], path)
    wb = load_xlsx(path)
    ws = wb["社会救助"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$4"
    assert ws.freeze_panes == "A5"
    assert ws.page_margins.left < 0.5
    assert "第 &P 页 共 &N 页" in ws.oddFooter.center.text
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, 16)]
    assert all(w > 0 for w in widths)
    assert max(widths) == ws.column_dimensions["D"].width  # 公开内容 is the widest

    # Without an agency line the headers start on row 2.
    ws2 = wb["养老服务"]
    assert ws2["A2"].value == "序号"
    assert ws2.print_title_rows == "$2:$3"
    assert ws2.freeze_panes == "A4"
    # This sheet uses the default 县级/乡级 only.
    assert [ws2.cell(3, c).value for c in (13, 14)] == ["县级", "乡级"]
    assert ws2.max_column == 14


def test_xlsx_sheet_names_for_several_domains(tmp_path):
    sheets = [
        social_sheet(),
        elderly_sheet(),
        elderly_sheet(),  # the same domain twice gets a distinct name
        elderly_sheet(domain_name="国有土地上房屋征收与补偿/农村集体土地征收与补偿[试点]领域"),
        elderly_sheet(domain_name="", title="基层政务公开标准目录"),  # falls back to the title
        elderly_sheet(domain_name="history"),
    ]
    path = tmp_path / "catalog.xlsx"
    write_xlsx(sheets, path)
    names = load_xlsx(path).sheetnames
    assert names[:3] == ["社会救助", "养老服务", "养老服务(2)"]
    assert len(names) == len(set(n.lower() for n in names)) == 6
    for name in names:
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
    assert names[3].startswith("国有土地上房屋征收与补偿_农村集体土地征收与补偿")
    assert names[4] == "基层政务公开标准目录"
    assert names[5] != "history"


def test_xlsx_optional_columns(tmp_path):
    rows = [
        item(code="0505", level1="政策文件", level2="法律法规", level3="国家层面"),
        item(code="0506", level1="政策文件", level2="规范性文件", agency_name="甲街道"),
    ]
    rows[0]["agency_name"] = "乙街道"
    sheet = ExportSheet("某某目录", "公共法律服务", "", rows, levels=("township",))
    path = tmp_path / "catalog.xlsx"
    write_xlsx([sheet], path)
    ws = load_xlsx(path).active
    # No agency line (several agencies): headers on row 2, with 事项编码, 编制单位, 三级事项.
    assert [ws.cell(2, c).value for c in range(1, 7)] == [
        "序号",
        "事项编码",
        "编制单位",
        "公开事项",
        None,
        None,
    ]
    assert [ws.cell(3, c).value for c in (4, 5, 6)] == ["一级事项", "二级事项", "三级事项"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"B2:B3", "C2:C3", "D2:F2"} <= merged
    assert ws["B4"].value == "0505"
    assert ws["C4"].value == "乙街道"
    # Same 一级事项 but different agencies: no merge.
    assert not any(r.startswith("D4") for r in merged)
    # Levels: only the ones asked for and used, in LEVELS order.
    assert [c.value for c in ws[3] if c.value in ("县级", "乡级")] == ["县级", "乡级"]


def test_xlsx_text_is_never_a_formula_and_control_chars_are_dropped(tmp_path):
    rows = [item(level2='=HYPERLINK("http://x")', content="bad\x00\x07text", basis="+1")]
    out = io.BytesIO()
    write_xlsx([ExportSheet("t", "社会救助", "", rows)], out)
    ws = load_xlsx(io.BytesIO(out.getvalue())).active
    cell = ws["C4"]
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"
    assert ws["D4"].value == "badtext"
    assert ws["E4"].value == "+1"


def test_xlsx_empty_inputs(tmp_path):
    path = tmp_path / "empty.xlsx"
    write_xlsx([], path)
    ws = load_xlsx(path).active
    assert ws["A2"].value == "序号"
    path = tmp_path / "norows.xlsx"
    write_xlsx([elderly_sheet(rows=[])], path)
    ws = load_xlsx(path).active
    assert ws.max_row == 3


def test_xlsx_is_a_valid_package(tmp_path):
    path = tmp_path / "catalog.xlsx"
    write_xlsx([social_sheet(), elderly_sheet()], path)
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
        workbook = zf.read("xl/workbook.xml").decode()
    assert {"[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml"} <= names
    assert "_xlnm.Print_Titles" in workbook


# ---------------------------------------------------------------------------- docx


def test_docx_layout(tmp_path):
    path = tmp_path / "catalog.docx"
    write_docx([social_sheet(), elderly_sheet()], path)
    doc = Document(path)

    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210

    titles = [p.text for p in doc.paragraphs if p.text.endswith("标准目录")]
    assert titles == ["社会救助领域基层政务公开标准目录", "养老服务领域基层政务公开标准目录"]
    title = next(p for p in doc.paragraphs if p.text == titles[0])
    assert title.alignment == 1  # centered
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert any(p.text == "编制单位：示范经济开发区民政局" for p in doc.paragraphs)

    # A page break between the two sheets.
    body = doc.element.body
    breaks = body.xpath(".//w:br[@w:type='page']")
    assert len(breaks) == 1
    assert len(doc.tables) == 2


def test_docx_table_headers_merges_and_cells(tmp_path):
    path = tmp_path / "catalog.docx"
    write_docx([social_sheet()], path)
    table = Document(path).tables[0]
    assert table.style.name == "Table Grid"

    top = table.rows[0].cells
    sub = table.rows[1].cells
    assert [c.text for c in top] == [
        "序号",
        "公开事项",
        "公开事项",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        "公开对象",
        "公开方式",
        "公开方式",
        "公开层级",
        "公开层级",
        "公开层级",
    ]
    assert [c.text for c in sub][1:3] == ["一级事项", "二级事项"]
    assert [c.text for c in sub][8:] == [
        "全社会",
        "特定群体",
        "主动",
        "依申请",
        "县级",
        "乡级",
        "村级",
    ]
    # Horizontal merges in the top row, vertical merges over both header rows.
    assert top[1]._tc is top[2]._tc and top[1]._tc.grid_span == 2
    assert top[12]._tc is top[14]._tc and top[12]._tc.grid_span == 3
    for i in (0, 3, 4, 5, 6, 7):
        assert top[i]._tc is sub[i]._tc
    assert sub[8]._tc is not sub[9]._tc

    # Header rows repeat on every page.
    for row in table.rows[:2]:
        assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[2]._tr.trPr is None

    # Data rows: ticks, channel list, 一级事项 merged down.
    r1, r2, r3 = (table.rows[i].cells for i in (2, 3, 4))
    assert r1[0].text == "1"
    assert [c.text for c in r1[8:]] == ["√", "", "√", "", "√", "√", ""]
    assert [c.text for c in r3[8:]] == ["", "√", "√", "", "", "√", "√"]
    assert r1[7].text == channel_checklist(["website", "reading_point", "service_center"], "")
    assert len(r1[7].paragraphs) == 13  # one channel per paragraph
    assert r1[1]._tc is r2[1]._tc and r1[1].text == "综合业务"
    assert r3[1]._tc is not r2[1]._tc and r3[1].text == "最低生活保障"

    # Every run names an East Asian font.
    for run in table._tbl.iter(qn("w:r")):
        assert run.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) in ("宋体", "黑体")


def test_docx_footer_has_page_numbers(tmp_path):
    path = tmp_path / "catalog.docx"
    write_docx([social_sheet()], path)
    footer = Document(path).sections[0].footer._element
    instrs = [f.get(qn("w:instr")).strip() for f in footer.iter(qn("w:fldSimple"))]
    assert instrs == ["PAGE", "NUMPAGES"]


def test_docx_to_stream_and_empty(tmp_path):
    out = io.BytesIO()
    write_docx([], out)
    doc = Document(io.BytesIO(out.getvalue()))
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == 2


# ----------------------------------------------------------------------------- csv


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_csv(tmp_path):
    path = tmp_path / "catalog.csv"
    write_csv([social_sheet(), elderly_sheet()], path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(path)
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 1 + len(SOCIAL_ASSISTANCE) + len(ELDERLY_CARE)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["领域"] == "社会救助"
    assert first["编制单位"] == "示范经济开发区民政局"
    assert first["序号"] == "1"
    assert first["一级事项"] == "综合业务"
    assert first["公开内容"] == "《社会救助暂行办法》\n各地配套政策法规文件"
    assert first["公开渠道和载体"] == "政府网站、公开查阅点、政务服务中心"
    assert (first["全社会"], first["特定群体"], first["主动"], first["依申请"]) == (
        "√",
        "",
        "√",
        "",
    )
    assert [first[k] for k in ("省级", "市级", "县级", "乡级", "村级")] == ["", "", "√", "√", ""]
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["公开渠道和载体"] == "政府网站、其他"
    assert second["其他渠道"] == "社会救助服务热线"
    third = dict(zip(rows[0], rows[3], strict=True))
    assert (third["特定群体"], third["特定群体说明"]) == ("√", "低保对象")
    last = dict(zip(rows[0], rows[-1], strict=True))
    assert (last["领域"], last["编制单位"], last["序号"]) == ("养老服务", "", "1")


def test_csv_neutralises_formulas_and_writes_to_streams():
    rows = [item(level2="=1+1", content="@SUM(A1)")]
    out = io.BytesIO()
    write_csv([ExportSheet("t", "社会救助", "", rows)], out)
    parsed = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert parsed[1][5] == "'=1+1"
    assert parsed[1][7] == "'@SUM(A1)"
    text = io.StringIO()
    write_csv([ExportSheet("t", "社会救助", "", rows)], text)
    assert text.getvalue().startswith("\ufeff领域,")


# ---------------------------------------------------------------------------- json


def test_json_round_trips_rows(tmp_path):
    sheets = [social_sheet(), elderly_sheet()]
    sheets[0].rows[0]["status"] = "published"
    sheets[0].rows[0]["agency_name"] = "示范经济开发区民政局"
    path = tmp_path / "catalog.json"
    write_json(sheets, path)
    raw = path.read_bytes()
    assert "社会救助".encode() in raw  # ensure_ascii=False
    data = json.loads(raw.decode("utf-8"))
    assert data["format"] == "gongkai-catalog"
    assert data["version"] == 1
    assert [s["domain_name"] for s in data["sheets"]] == ["社会救助", "养老服务"]
    assert data["sheets"][0]["title"] == "社会救助领域基层政务公开标准目录"
    assert data["sheets"][0]["agency_name"] == "示范经济开发区民政局"
    for sheet, written in zip(sheets, data["sheets"], strict=True):
        assert written["rows"] == sheet.rows
    assert set(data["sheets"][1]["rows"][0]) == set(ELEMENT_KEYS)


def test_json_fills_missing_keys_and_lists():
    out = io.BytesIO()
    write_json([ExportSheet("t", "社会救助", "", [{"level2": "x", "levels": ("county",)}])], out)
    row = json.loads(out.getvalue())["sheets"][0]["rows"][0]
    assert row["level2"] == "x"
    assert row["levels"] == ["county"]
    assert row["channels"] == [] and row["content"] == ""


# ---------------------------------------------------------------------- performance


def test_300_rows_export_quickly(tmp_path):
    rows = []
    for i in range(300):
        base = (SOCIAL_ASSISTANCE + ELDERLY_CARE)[i % 4]
        rows.append(dict(base, level1=f"{base['level1']}{i // 3}", level2=f"事项{i}"))
    sheet = social_sheet(rows=rows)
    for writer, suffix in (
        (write_xlsx, "xlsx"),
        (write_docx, "docx"),
        (write_csv, "csv"),
        (write_json, "json"),
    ):
        start = time.perf_counter()
        writer([sheet], tmp_path / f"big.{suffix}")
        assert time.perf_counter() - start < 5, suffix
    ws = load_xlsx(tmp_path / "big.xlsx").active
    assert ws.max_row == 4 + 300
    assert len(Document(tmp_path / "big.docx").tables[0].rows) == 302


# --------------------------------------------------------------- LibreOffice (optional)

SOFFICE = "/usr/bin/soffice"


@pytest.mark.skipif(not Path(SOFFICE).exists(), reason="LibreOffice is not installed")
@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_converts_to_pdf_with_a_plausible_page_count(tmp_path, suffix):
    rows = [dict(SOCIAL_ASSISTANCE[i % 3], level2=f"事项{i}") for i in range(30)]
    source = tmp_path / f"catalog.{suffix}"
    (write_xlsx if suffix == "xlsx" else write_docx)([social_sheet(rows=rows)], source)
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=180,
        capture_output=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pdf = tmp_path / "catalog.pdf"
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
        pages = int(
            next(ln.split()[-1] for ln in info.stdout.splitlines() if ln.startswith("Pages"))
        )
    else:  # uncompressed page objects only; good enough without poppler
        data = pdf.read_bytes()
        pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    # 30 rows of ~14 lines each: a few rows a page, one page wide.
    assert 4 <= pages <= 30
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "catalog.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert "公开渠道和载体" in text
