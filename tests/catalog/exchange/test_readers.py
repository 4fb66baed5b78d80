"""Readers: every format read back from files built like the real ones."""

import datetime as dt
import zipfile
from collections import defaultdict

import pytest

from gongkai.catalog.exchange.model import SourceTable
from gongkai.catalog.exchange.readers import read_tables
from gongkai.catalog.exchange.safety import Limits, check_file, sniff

from . import builders as b

TITLE = "{sheet}领域基层政务公开标准目录"


def find_row(table: SourceTable, col: int, text: str) -> int:
    return next(i for i, row in enumerate(table.rows) if row[col] == text)


def header_index(table: SourceTable) -> int:
    return find_row(table, 0, "序号")


def assert_standard_header(table: SourceTable) -> int:
    """The two header rows as the template has them, merges included; returns the
    index of the first header row."""
    h = header_index(table)
    assert table.rows[h] == b.STANDARD_TOP
    assert table.rows[h + 1] == b.STANDARD_SUB
    for c0, c1 in b.STANDARD_HEADER_SPANS:
        assert (h, c0, h, c1) in table.merged
    for c in b.STANDARD_HEADER_TALL:
        assert (h, c, h + 1, c) in table.merged
    return h


def data_rows(table: SourceTable, h: int) -> list[list[str]]:
    return table.rows[h + 2 :]


# ---------------------------------------------------------------------------- xlsx


def test_xlsx_standard_template(tmp_path):
    rows = b.sample_rows()
    path = b.build_xlsx(
        tmp_path / "目录.xlsx",
        {"社会救助": rows, "養老服務": b.load_samples(6)},
        title_row=TITLE,
    )
    tables = read_tables(path)
    assert [t.name for t in tables] == ["社会救助", "養老服務"]
    first = tables[0]
    assert first.titles == ["社会救助"]
    assert first.rows[0][0] == "社会救助领域基层政务公开标准目录"
    assert (0, 0, 0, 13) in first.merged  # the title row is merged across
    h = assert_standard_header(first)
    assert first.row_numbers[: h + 3] == [1, 2, 3, 4]
    data = data_rows(first, h)
    assert len(data) == len(rows)
    # checkbox text verbatim, ticks, traditional characters kept
    assert data[0][7] == b.channel_text(rows[0]["channels"])
    assert data[0][7].startswith("■政府网站\n□政府公报\n")
    assert data[1][7].endswith("■其他：管理部门网站")
    assert data[0][8:] == ["√", "", "√", "", "√", "√"]
    assert data[2][2] == "救助結果"
    assert data[2][6] == "各鄉鎮人民政府"
    # 一级事项 merged down over its two rows: text in the first, "" below, range recorded
    assert data[0][1] == "最低生活保障" and data[1][1] == ""
    assert (h + 2, 1, h + 3, 1) in first.merged
    # content with a line break inside the cell
    assert data[0][3] == "《社会救助暂行办法》\n各地配套政策法规文件"
    # all rows of a table have the same width
    assert {len(r) for t in tables for r in t.rows} == {14}


def test_xlsx_variant_layout_keeps_codes_as_text(tmp_path):
    rows = [dict(r, level3="三级" if i == 0 else "") for i, r in enumerate(b.sample_rows())]
    path = b.build_xlsx(tmp_path / "v.xlsx", {"社会救助": rows}, layout="variant")
    (table,) = read_tables(path)
    assert table.rows[0] == b.VARIANT_TOP
    assert table.rows[1][8:] == ["全社会", "特定群众", "主动", "依申请", "县级", "乡、村级"]
    assert [r[0] for r in table.rows[2:]] == ["0501", "0502", "0503"]
    assert table.rows[2][2] == "三级"
    assert (
        table.rows[3][7] == "政府网站、两微一端、社区/企事业单位/村公示栏（电子屏）、管理部门网站"
    )
    assert table.rows[2][8] == "✓"
    assert (0, 8, 0, 9) in table.merged and (0, 0, 1, 0) in table.merged


def test_xlsx_all_sample_rows_round_trip(tmp_path):
    samples = b.load_samples()
    by_domain = defaultdict(list)
    for row in samples:
        by_domain[row["domain"]].append(row)
    path = b.build_xlsx(tmp_path / "all.xlsx", dict(by_domain), title_row=TITLE)
    tables = {t.name: t for t in read_tables(path)}
    assert set(tables) == set(by_domain)
    for domain, rows in by_domain.items():
        table = tables[domain]
        data = data_rows(table, header_index(table))
        assert [r[3] for r in data] == [row["content"] or "" for row in rows]
        assert [r[4] for r in data] == [row["basis"] or "" for row in rows]
        assert [r[2] for r in data] == [row["level2"] or "" for row in rows]
        assert [r[7] for r in data] == [b.channel_text(row["channels"]) for row in rows]


def test_xlsx_values_offsets_blank_rows_and_hidden_sheets(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "数值"
    ws["B3"] = "序号"
    ws["C3"] = "日期"
    ws["D3"] = "小数"
    ws["E3"] = "逻辑"
    ws["B4"] = 12.0
    ws["C4"] = dt.date(2024, 3, 1)
    ws["D4"] = 0.1 + 0.2
    ws["E4"] = True
    ws["B6"] = 13  # row 5 is blank
    ws["C6"] = dt.datetime(2024, 3, 1, 8, 30)
    ws["F6"] = "  "  # whitespace only: trimmed away as an empty column
    hidden = wb.create_sheet("隐藏")
    hidden["A1"] = "不导入"
    hidden.sheet_state = "hidden"
    wb.create_sheet("空表")
    wb.save(tmp_path / "v.xlsx")
    (table,) = read_tables(tmp_path / "v.xlsx")
    assert table.name == "数值"
    assert table.rows == [
        ["序号", "日期", "小数", "逻辑"],
        ["12", "2024-03-01", "0.3", "TRUE"],
        ["13", "2024-03-01 08:30:00", "", ""],
    ]
    assert table.row_numbers == [3, 4, 6]


def test_xlsx_merges_inside_data_area_blank_covered_cells(tmp_path):
    from openpyxl import load_workbook

    path = b.build_xlsx(tmp_path / "m.xlsx", {"社会救助": b.sample_rows()})
    wb = load_workbook(path)
    ws = wb["社会救助"]
    ws.merge_cells("F3:F5")  # one 公开时限 for the three items
    wb.save(path)
    (table,) = read_tables(path)
    assert (2, 5, 4, 5) in table.merged
    assert [r[5] for r in table.rows[2:]] == ["信息形成或者变更之日起20个工作日内", "", ""]


def test_ods(tmp_path):
    grid = b.template_grid(b.sample_rows(), "社会救助领域基层政务公开标准目录")
    spans = {(0, 0): (1, 14), (1, 0): (2, 1), (1, 1): (1, 2), (1, 8): (1, 2)}
    path = b.build_ods(tmp_path / "a.ods", {"社会救助": grid}, spans={"社会救助": spans})
    assert sniff(path) == "ods"
    (table,) = read_tables(path)
    assert table.name == "社会救助"
    assert table.rows[1] == b.STANDARD_TOP
    assert {(0, 0, 0, 13), (1, 0, 2, 0), (1, 1, 1, 2), (1, 8, 1, 9)} <= set(table.merged)
    assert table.rows[3][7] == b.channel_text(b.sample_rows()[0]["channels"])


# ---------------------------------------------------------------------------- docx


def test_docx_tables_titles_and_merges(tmp_path):
    rows = b.sample_rows()
    path = b.build_docx(
        tmp_path / "通知.docx",
        [
            ("社会救助领域基层政务公开标准目录", rows),
            ("養老服務領域基層政務公開標準目錄", rows[:1]),
        ],
    )
    first, second = read_tables(path)
    assert first.titles == [
        "关于印发基层政务公开标准目录的通知",
        "附件1",
        "社会救助领域基层政务公开标准目录",
    ]
    assert second.titles == ["附件1-2", "養老服務領域基層政務公開標準目錄"]
    h = assert_standard_header(first)
    assert h == 0
    data = data_rows(first, h)
    assert data[0][1] == "最低生活保障" and data[1][1] == ""
    assert (2, 1, 3, 1) in first.merged
    assert data[0][7] == b.channel_text(rows[0]["channels"])
    assert data[2][3] == "救助對象姓名、所在村（居）、救助金額"
    assert first.row_numbers == [1, 2, 3, 4, 5]
    assert len(second.rows) == 3


def test_docx_symbol_checkboxes_and_nested_layout_table(tmp_path):
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    doc.add_paragraph("社会救助领域基层政务公开标准目录")
    frame = doc.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.paragraphs[0].text = "表格说明"
    inner = cell.add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "公开渠道和载体"
    inner.cell(0, 1).text = "公开对象"
    p = inner.cell(1, 0).paragraphs[0]
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p._p.append(parse_xml(f'<w:r {w}><w:sym w:font="Wingdings 2" w:char="F052"/></w:r>'))
    p.add_run("政府网站")
    run = p.add_run("£")
    run.font.name = "Wingdings 2"
    p.add_run("政府公报")
    inner.cell(1, 1).text = "√"
    doc.save(tmp_path / "n.docx")
    (table,) = read_tables(tmp_path / "n.docx")
    assert table.rows == [["公开渠道和载体", "公开对象"], ["☑政府网站□政府公报", "√"]]
    assert table.titles == ["社会救助领域基层政务公开标准目录", "表格说明"]


# ---------------------------------------------------------------------------- html


@pytest.mark.parametrize("encoding", ["utf-8", "gb2312"])
def test_html_saved_page(tmp_path, encoding):
    rows = b.sample_rows()
    path = b.build_html(
        tmp_path / "page.html", rows, "社会救助领域基层政务公开标准目录", encoding=encoding
    )
    assert sniff(path) == "html"
    tables = read_tables(path)
    catalog = next(t for t in tables if t.rows[0][0] == "序号")
    assert catalog.titles[0] == "社会救助领域基层政务公开标准目录"
    h = assert_standard_header(catalog)
    data = data_rows(catalog, h)
    assert data[0][7] == b.channel_text(rows[0]["channels"])  # <br> → "\n"
    assert data[0][1] == "最低生活保障" and data[1][1] == ""  # rowspan
    assert (2, 1, 3, 1) in catalog.merged
    assert data[2][2] == "救助結果"
    assert {len(r) for r in catalog.rows} == {14}
    # the layout table holding the catalog is not read itself
    assert not any("版权所有" in c for t in tables for r in t.rows for c in r)


def test_html_copied_fragment_rowspan_colspan(tmp_path):
    html = """<table>
    <tr><th rowspan="2">序号</th><th colspan="2">公开事项</th><th rowspan=2>公开渠道和载体</th></tr>
    <tr><th>一级事项</th><th>二级事项</th></tr>
    <tr><td>1</td><td rowspan="2">低保</td><td>政策&nbsp;文件</td>
        <td>■政府网站<br>□政府公报</td></tr>
    <tr><td>2</td><td><p>办理</p><p>流程</p></td><td>■两微一端</td></tr>
    </table>"""
    path = tmp_path / "copied.htm"
    path.write_text(html, encoding="utf-8")
    (table,) = read_tables(path)
    assert table.rows == [
        ["序号", "公开事项", "", "公开渠道和载体"],
        ["", "一级事项", "二级事项", ""],
        ["1", "低保", "政策 文件", "■政府网站\n□政府公报"],
        ["2", "", "办理\n流程", "■两微一端"],
    ]
    assert set(table.merged) == {(0, 0, 1, 0), (0, 1, 0, 2), (0, 3, 1, 3), (2, 1, 3, 1)}


def test_html_named_xls_is_read_as_html(tmp_path):
    # many systems "export to Excel" as an HTML table named .xls
    path = tmp_path / "导出.xls"
    path.write_bytes(
        '<html><meta charset="gbk"><table><tr><td>一级事项</td><td>二级事项</td></tr>'
        "<tr><td>財政預決算</td><td>政府预算</td></tr></table></html>".encode("gbk", "replace")
    )
    assert sniff(path) == "html"
    (table,) = read_tables(path)
    assert table.rows[1] == ["財政預決算", "政府预算"]


# ---------------------------------------------------------------------------- csv


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ","), ("gb18030", ","), ("utf-8", "\t"), ("gb18030", ";"), ("utf-16", "\t")],
)
def test_csv(tmp_path, encoding, delimiter):
    rows = b.sample_rows()
    path = b.build_csv(tmp_path / "目录.csv", rows, encoding=encoding, delimiter=delimiter)
    assert sniff(path) == "csv"
    (table,) = read_tables(path)
    assert table.name == "目录"
    assert table.rows[0] == b.CSV_HEADER
    assert table.rows[1][6] == b.channel_text(rows[0]["channels"])
    assert table.rows[3][1] == "救助結果"
    assert table.rows[1][7:] == ["√", "", "√", "", "√", "√"]
    # a record with line breaks inside quotes is one spreadsheet row
    assert table.row_numbers == [1, 2, 3, 4]


# ---------------------------------------------------------------------------- sniff etc.


def test_sniff_by_content_not_extension(tmp_path):
    xlsx = b.build_xlsx(tmp_path / "a.xlsx", {"社会救助": b.sample_rows()})
    renamed = tmp_path / "a.dat"
    renamed.write_bytes(xlsx.read_bytes())
    assert sniff(renamed) == "xlsx"
    docx = b.build_docx(tmp_path / "a.docx", [("标题", b.sample_rows())])
    assert sniff(docx) == "docx"
    (tmp_path / "a.json").write_text('  {"items": []}', encoding="utf-8")
    assert sniff(tmp_path / "a.json") == "json"
    assert read_tables(tmp_path / "a.json") == []
    (tmp_path / "a.txt").write_text("一级事项,二级事项\n低保,政策\n", encoding="utf-8")
    assert sniff(tmp_path / "a.txt") == "csv"
    assert check_file(renamed).kind == "xlsx"
    assert b.build_cfb(tmp_path / "old.xls", ["Workbook", "\x05SummaryInformation"])
    assert sniff(tmp_path / "old.xls") == "xls"


def test_kind_forces_the_reader(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("<p>不是网页</p>\n一级事项,二级事项\n低保,政策\n", encoding="utf-8")
    assert sniff(path) == "csv"
    assert read_tables(path, kind="json") == []


def test_limits_from_settings(settings):
    settings.GONGKAI_IMPORT_MAX_BYTES = 1234
    settings.GONGKAI_IMPORT_MAX_CELLS = 99
    settings.GONGKAI_IMPORT_MAX_CELL_CHARS = 7
    limits = Limits.from_settings()
    assert (limits.max_bytes, limits.max_cells, limits.max_cell_chars) == (1234, 99, 7)
    assert limits.max_ratio == 200 and limits.max_zip_entries == 2000


def test_big_workbook_checked_fast(tmp_path):
    """The sheet scan stays on its fast path for a normal workbook (no exact re-parse)."""
    path = b.build_xlsx(tmp_path / "a.xlsx", {"社会救助": b.sample_rows() * 50})
    checked = check_file(path)
    assert checked.sheet_members == {"社会救助": "xl/worksheets/sheet1.xml"}
    assert checked.formulas_without_value == {}
    with zipfile.ZipFile(path) as z:
        assert b'<c r="A' in z.read("xl/worksheets/sheet1.xml")


def test_html_fragment_after_text_and_csv_with_title_line(tmp_path):
    page = tmp_path / "paste.txt"
    page.write_text(
        "社会救助领域基层政务公开标准目录\n<table><tr><td>一级事项</td><td>二级事项</td></tr>"
        "<tr><td>低保</td><td>政策</td></tr></table>",
        encoding="utf-8",
    )
    assert sniff(page) == "html"
    assert read_tables(page)[0].rows == [["一级事项", "二级事项"], ["低保", "政策"]]
    csv_path = tmp_path / "t.csv"
    csv_path.write_text(
        "社会救助领域目录\n一级事项;二级事项;公开内容\n低保;政策;a,b,c\n", encoding="utf-8"
    )
    (table,) = read_tables(csv_path)
    assert table.rows == [
        ["社会救助领域目录", "", ""],
        ["一级事项", "二级事项", "公开内容"],
        ["低保", "政策", "a,b,c"],
    ]
