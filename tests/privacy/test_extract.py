import io
import zipfile

import docx
import openpyxl
import pytest

from gongkai.privacy.extract import ExtractError, extract_text
from gongkai.privacy.screen import screen_text

from .files import make_ofd, make_pdf

ID = "330106198507123410"


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("关于2026年临时救助对象的公示")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["姓名", "身份证号码", "手机"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["吴某", ID, "13705710001"], strict=True):
        cell.text = text
    document.sections[0].header.paragraphs[0].text = "内部资料"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["序号", "姓名", "身份证号", "联系电话"])
    ws.append([1, "周某", ID, 13567891234])  # a phone typed as a number
    hidden = wb.create_sheet("备用")
    hidden.sheet_state = "hidden"
    hidden.append(["银行卡号", "6217001234567890122"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("公示.docx", _docx_bytes),
        ("名单.xlsx", _xlsx_bytes),
        ("公示.pdf", lambda: make_pdf(["临时救助公示", f"身份证号：{ID}", "手机：13705710001"])),
        ("公示.ofd", lambda: make_ofd(["临时救助公示", f"身份证号：{ID}", "内部资料"])),
        ("公示.html", lambda: f"<html><body><p>身份证号</p><td>{ID}</td></body></html>".encode()),
        ("公示.txt", lambda: f"身份证号：{ID}".encode("gb18030")),
    ],
)
def test_attachments_are_read_and_screened(name, make):
    text = extract_text(make(), name)
    assert ID in text
    findings = screen_text(text, source=f"附件《{name}》")
    assert "id_card" in {f.kind for f in findings}
    assert findings[0].message.startswith(f"附件《{name}》")


def test_docx_reads_tables_headers_and_body():
    text = extract_text(_docx_bytes(), "x.docx")
    assert "关于2026年临时救助对象的公示" in text and "13705710001" in text
    assert "内部资料" in text


def test_xlsx_reads_hidden_sheets_and_numeric_phones():
    text = extract_text(_xlsx_bytes(), "x.xlsx")
    assert "13567891234" in text and "13567891234.0" not in text
    assert "6217001234567890122" in text


def test_html_without_scripts():
    html = "<html><head><style>p{}</style><script>var x='13812345678';</script></head>"
    html += "<body><p>第一段</p><p>第二段</p></body></html>"
    text = extract_text(html.encode(), "page.html")
    assert "13812345678" not in text and "第一段" in text and "第二段" in text


def test_format_recognised_by_content_not_name():
    assert ID in extract_text(make_pdf([ID]), "attachment.bin")
    assert ID in extract_text(make_ofd([ID]), "未命名")


def test_images_and_empty_files_have_no_text():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert extract_text(png, "扫描件.png") == ""
    assert extract_text(b"", "空.pdf") == ""


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"%PDF-1.7\n1 0 obj broken", "坏.pdf", "已损坏"),
        (b"PK\x03\x04" + b"\x00" * 40, "坏.docx", "已损坏"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600, "旧.doc", "无法"),
        (b"\x00\x01\x02\x03binary", "数据.dat", "无法识别"),
    ],
)
def test_bad_files_raise_extract_error_with_a_chinese_message(data, name, words):
    with pytest.raises(ExtractError) as exc:
        extract_text(data, name)
    assert words in str(exc.value) and name in str(exc.value)


def test_old_word_doc_is_refused_with_advice():
    # An OLE2 file with a WordDocument stream name: .doc cannot be read here.
    data = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 512 + "WordDocument".encode("utf-16-le")
    with pytest.raises(ExtractError, match=r"\.docx"):
        extract_text(data, "通知.doc")


def test_ofd_with_a_dtd_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("OFD.xml", "<ofd/>")
        zf.writestr(
            "Doc_0/Pages/Page_0/Content.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        )
    with pytest.raises(ExtractError, match="实体"):
        extract_text(buf.getvalue(), "a.ofd")


def test_zip_bomb_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", "<ofd/>")
        zf.writestr("Doc_0/Pages/Page_0/Content.xml", b"<x>" + b" " * (20 * 1024 * 1024) + b"</x>")
    with pytest.raises(ExtractError, match="压缩炸弹"):
        extract_text(buf.getvalue(), "a.ofd")


def _encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(make_pdf([f"身份证号：{ID}"]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_pdf_with_only_an_owner_password_is_read():
    assert ID in extract_text(_encrypted_pdf(""), "限制打印.pdf")


def test_pdf_with_an_open_password_is_refused():
    with pytest.raises(ExtractError, match="密码"):
        extract_text(_encrypted_pdf("secret"), "加密.pdf")
