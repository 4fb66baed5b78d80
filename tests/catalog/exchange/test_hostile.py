"""Hostile and broken files: always an ExchangeError with a Chinese message, quickly."""

import random
import re
import time
import zipfile

import pytest

from gongkai.catalog.exchange.model import ExchangeError
from gongkai.catalog.exchange.readers import read_tables
from gongkai.catalog.exchange.safety import Limits, check_file, sniff

from . import builders as b

CJK = re.compile(r"[\u4e00-\u9fff]")


def refused(path, limits=None, **kw) -> str:
    started = time.perf_counter()
    with pytest.raises(ExchangeError) as info:
        read_tables(path, limits, **kw)
    assert time.perf_counter() - started < 2
    message = str(info.value)
    assert CJK.search(message), message
    assert "Traceback" not in message
    return message


def test_missing_file(tmp_path):
    assert "找不到文件" in refused(tmp_path / "没有.xlsx")


@pytest.mark.parametrize("content", [b"", b"  \r\n\t ", "\ufeff \u3000\n".encode("utf-8")])
def test_empty_file(tmp_path, content):
    path = tmp_path / "空.xlsx"
    path.write_bytes(content)
    assert "空的" in refused(path)


def test_too_large(tmp_path):
    path = b.build_xlsx(tmp_path / "a.xlsx", {"社会救助": b.sample_rows()})
    message = refused(path, Limits(max_bytes=1000))
    assert "超过导入上限" in message


@pytest.mark.parametrize("how", ["truncated", "garbled"])
def test_corrupt_zip(tmp_path, how):
    path = b.build_corrupt_zip(tmp_path / "坏.xlsx", how=how)
    assert "文件已损坏" in refused(path)


def test_png_named_xlsx(tmp_path):
    path = b.build_png(tmp_path / "目录.xlsx")
    message = refused(path)
    assert "“.xlsx”" in message and "PNG图片" in message


def test_text_named_xlsx_and_docx(tmp_path):
    for name in ("目录.xlsx", "目录.docx"):
        path = tmp_path / name
        path.write_text("一级事项,二级事项\n低保,政策\n", encoding="utf-8")
        message = refused(path)
        assert "纯文本" in message and "扩展名" in message


def test_docx_named_xlsx_is_read_by_content(tmp_path):
    path = b.build_docx(tmp_path / "a.docx", [("社会救助领域", b.sample_rows())])
    renamed = tmp_path / "a.xlsx"
    renamed.write_bytes(path.read_bytes())
    assert read_tables(renamed)[0].rows[0][0] == "序号"


def test_password_protected(tmp_path):
    path = b.build_encrypted_ooxml(tmp_path / "加密.xlsx")
    assert refused(path) == "文件设有密码保护，请先取消密码后再导入。"
    # even without a readable directory, the stream names give it away
    raw = tmp_path / "raw.xlsx"
    raw.write_bytes(
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 600
        + "EncryptionInfo".encode("utf-16-le")
        + b"\0" * 100
    )
    assert refused(raw) == "文件设有密码保护，请先取消密码后再导入。"


def test_fake_xls_and_old_doc(tmp_path):
    xls = b.build_cfb(tmp_path / "a.xls", ["Workbook"])  # an empty Workbook stream
    assert re.search("文件已损坏|空的", refused(xls))
    doc = b.build_cfb(tmp_path / "a.doc", ["WordDocument", "1Table"])
    assert ".docx" in refused(doc)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF文档"),
        (b"Rar!\x1a\x07\x01\x00" + b"\0" * 50, "RAR压缩包"),
        (bytes(range(256)) * 4, "无法识别的二进制文件"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
            b"</Workbook>",
            "Excel 2003 XML表格",
        ),
        (b"MIME-Version: 1.0\nContent-Type: multipart/related;\n", "单个文件网页"),
    ],
)
def test_unsupported_types(tmp_path, content, expected):
    path = tmp_path / "file.bin"
    path.write_bytes(content)
    assert expected in refused(path)


def test_unsupported_zips(tmp_path):
    plain = tmp_path / "a.zip"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("目录.xlsx", b"x")
    assert "ZIP压缩包" in refused(plain)
    xlsb = tmp_path / "a.xlsb"
    with zipfile.ZipFile(xlsb, "w") as z:
        z.writestr("xl/workbook.bin", b"x")
    assert ".xlsb" in refused(xlsb)


@pytest.mark.parametrize(
    ("how", "detail"),
    [
        ("declared", "解压后约 500 MB"),
        ("ratio", "压缩比约为"),
        ("lying", "比声明的"),
        ("entries", "个条目"),
    ],
)
def test_zip_bombs(tmp_path, how, detail):
    path = b.build_zip_bomb(tmp_path / "bomb.xlsx", how=how)
    message = refused(path)
    assert "压缩炸弹" in message and detail in message


def test_billion_laughs_in_shared_strings(tmp_path):
    path = b.build_billion_laughs_xlsx(tmp_path / "lol.xlsx")
    assert refused(path) == "文件包含不安全的XML实体定义，已拒绝。"


def test_external_entity_in_docx(tmp_path):
    path = b.build_xxe_docx(tmp_path / "xxe.docx")
    assert refused(path) == "文件包含不安全的XML实体定义，已拒绝。"


def test_far_apart_cells_do_not_crash_the_reader(tmp_path):
    # 5 KB, but A1…XFD1048576 is 17 billion cells: calamine would abort the process
    path = b.build_far_cell_xlsx(tmp_path / "far.xlsx")
    message = refused(path)
    assert "工作表“社会救助”的数据范围过大" in message


@pytest.mark.parametrize("variant", ["prefixed", "no_cell_refs", "quoted", "lowercase"])
def test_far_cells_in_unusual_xml(tmp_path, variant):
    path = b.build_far_cell_xlsx(tmp_path / "far.xlsx")

    def change(xml: bytes) -> bytes:
        if variant == "prefixed":
            xml = re.sub(rb"<(/?)(\w+)", rb"<\1x:\2", xml).replace(b"xmlns=", b"xmlns:x=")
        elif variant == "no_cell_refs":
            # the far cell sits at column 16384 by a long row of unnamed cells
            xml = re.sub(rb'<c r="XFD1048576"', b"<c", xml)
            xml = xml.replace(b'<row r="1">', b'<row r="1">' + b"<c><v>1</v></c>" * 16383)
        elif variant == "quoted":
            xml = xml.replace(b'r="XFD1048576"', b"r = 'XFD1048576'")
        else:
            xml = xml.replace(b'r="XFD1048576"', b'r="xfd1048576"')  # calamine reads it
        return xml

    b._rewrite_member(path, "xl/worksheets/sheet1.xml", change)
    assert "数据范围过大" in refused(path)


def test_too_many_cells(tmp_path):
    path = b.build_xlsx(tmp_path / "a.xlsx", {"社会救助": b.sample_rows() * 10})
    assert "超过导入上限" in refused(path, Limits(max_cells=100))
    csv_path = b.build_csv(tmp_path / "a.csv", b.sample_rows() * 10)
    assert "超过导入上限" in refused(csv_path, Limits(max_cells=100))


def test_hundred_thousand_character_cell(tmp_path):
    path = b.build_long_cell_xlsx(tmp_path / "long.xlsx")
    assert refused(path) == "工作表“社会救助”第5行第4列的内容超过20000字，请检查文件。"
    rows = b.sample_rows()
    rows[1] = dict(rows[1], content="长" * 100_000)
    assert "第3行" in refused(b.build_csv(tmp_path / "long.csv", rows))
    assert "第4行第4列" in refused(b.build_docx(tmp_path / "long.docx", [("标题", rows)]))
    assert "第4行第4列" in refused(b.build_html(tmp_path / "long.html", rows, "标题"))


def test_formulas_without_cached_values(tmp_path):
    path = b.build_formula_xlsx(tmp_path / "f.xlsx")
    message = refused(path)
    assert "工作表“社会救助”" in message and "A5" in message and "没有保存计算结果" in message


def test_html_span_bomb(tmp_path):
    rows = "".join("<tr><td>x</td></tr>" for _ in range(5000))
    path = tmp_path / "span.html"
    path.write_text(
        f'<table><tr><td rowspan="65534" colspan="1000">x</td><td>y</td></tr>{rows}</table>',
        encoding="utf-8",
    )
    assert "超过导入上限" in refused(path)


def test_ods_repeated_cells_bomb(tmp_path):
    grid = b.template_grid(b.sample_rows())
    bomb = (
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="1000" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
    )
    path = b.build_ods(tmp_path / "bomb.ods", {"社会救助": grid}, extra_xml=bomb)
    assert "数据范围过大" in refused(path)


def test_html_without_tables_and_docx_without_tables(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><p>社会救助领域基层政务公开标准目录</p></body></html>")
    assert "没有找到表格" in refused(page)
    from docx import Document

    doc = Document()
    doc.add_paragraph("只有文字")
    doc.save(tmp_path / "d.docx")
    assert "没有找到表格" in refused(tmp_path / "d.docx")


def test_wrong_kind_forced(tmp_path):
    path = b.build_csv(tmp_path / "a.csv", b.sample_rows())
    assert "文件已损坏" in refused(path, kind="xlsx")


def test_fuzzed_workbooks_never_raise_anything_else(tmp_path):
    good = b.build_xlsx(tmp_path / "good.xlsx", {"社会救助": b.sample_rows()}).read_bytes()
    rng = random.Random(3)
    for i in range(40):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"fuzz{i}.xlsx"
        path.write_bytes(bytes(data))
        try:
            read_tables(path)
        except ExchangeError as exc:
            assert CJK.search(str(exc))


def test_check_file_and_sniff_raise_only_exchange_errors(tmp_path):
    path = b.build_encrypted_ooxml(tmp_path / "x.docx")
    with pytest.raises(ExchangeError):
        sniff(path)
    with pytest.raises(ExchangeError):
        check_file(path)


def test_overlapping_merges(tmp_path):
    path = b.build_xlsx(tmp_path / "m.xlsx", {"社会救助": b.sample_rows()})
    merges = "".join('<mergeCell ref="A1:N5"/>' for _ in range(3000))

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"<mergeCells.*?</mergeCells>", b"", xml)
        return xml.replace(
            b"</sheetData>", f"</sheetData><mergeCells>{merges}</mergeCells>".encode()
        )

    b._rewrite_member(path, "xl/worksheets/sheet1.xml", change)
    assert "合并单元格相互重叠" in refused(path)
