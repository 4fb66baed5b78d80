"""The text of an attachment, for the privacy screen.

Read by content first, by file name only where the content cannot tell (text vs. HTML):

  pdf        pypdf, page by page (a scanned PDF has no text layer and gives "")
  docx       python-docx: body, tables, text boxes, headers, footers, footnotes, comments
  xlsx/xls/ods  python-calamine, visible and hidden sheets, one line per row, cells by tabs
  ofd        the page Content.xml text codes (GB/T 33190), one line per text object
  odt        the text of content.xml
  txt/csv/json/html  decoded (BOM, UTF-8, GB18030); HTML without scripts and styles

Images, audio and video give "" — there is no text to read without OCR — and so does an
empty file. Everything else that cannot be read (corrupt, password-protected, old Word .doc,
unknown binary) raises ExtractError with a Chinese message; the caller decides whether an
attachment that could not be checked may still be published. Nothing else is raised.

Office zips (docx/xlsx/ods) and .xls pass the catalog import's safety gate first
(zip bombs, XML entities, absurd sheet ranges); OFD/ODT get the same zip-size checks here.
"""

from __future__ import annotations

import io
import logging
import os
import re
import tempfile
import zipfile
from pathlib import PurePath

log = logging.getLogger(__name__)

MiB = 1024 * 1024
MSG_CORRUPT = "附件“{name}”已损坏，无法读取其中的文字。"
MSG_PASSWORD = "附件“{name}”设有密码，无法检查其中的文字。请上传未加密的文件。"  # noqa: S105
MSG_DOC = "附件“{name}”是旧版 Word（.doc）文件，无法检查其中的文字。请另存为 .docx 或 PDF。"
MSG_UNKNOWN = "无法识别附件“{name}”的格式，无法检查其中的文字。"
MSG_TOO_BIG = "附件“{name}”超过 {limit} MB，无法检查。"
MSG_BOMB = "附件“{name}”的压缩结构异常，疑似“压缩炸弹”，已拒绝。"
MSG_DTD = "附件“{name}”包含不安全的XML实体定义，已拒绝。"

_MEDIA_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
    b"BM",
    b"ID3",
    b"OggS",
    b"fLaC",
)
# fmt: off
_MEDIA_EXT = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".svg",
    ".mp3", ".mp4", ".wav", ".avi", ".mov", ".wmv", ".flv", ".m4a", ".ogg", ".flac",
})
# fmt: on
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_HTML_EXT = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_HTML_RE = re.compile(r"<(?:html|body|head|p|div|table|meta|!doctype\s+html)\b", re.IGNORECASE)


class ExtractError(Exception):
    """The attachment's text cannot be read; the message (Chinese) says why."""


def _limit() -> int:
    try:
        from django.conf import settings

        return int(getattr(settings, "GONGKAI_IMPORT_MAX_BYTES", 50 * MiB))
    except Exception:  # noqa: BLE001 - outside Django
        return 50 * MiB


def extract_text(data: bytes, filename: str) -> str:
    """All readable text of the file; "" for images/media. Raises only ExtractError."""
    name = PurePath(filename or "").name or "附件"
    if not data or not data.strip():
        return ""
    limit = _limit()
    if len(data) > limit:
        raise ExtractError(MSG_TOO_BIG.format(name=name, limit=limit // MiB))
    try:
        return _extract(data, name)
    except ExtractError:
        raise
    except MemoryError as exc:
        raise ExtractError(MSG_TOO_BIG.format(name=name, limit=limit // MiB)) from exc
    except Exception as exc:
        # Libraries raise all sorts of things on broken files; the user gets one message.
        log.info("could not extract text from %s", name, exc_info=True)
        raise ExtractError(MSG_CORRUPT.format(name=name)) from exc
    except BaseException as exc:
        # A Rust panic inside calamine surfaces as pyo3's PanicException (a BaseException).
        if type(exc).__name__ != "PanicException":
            raise
        raise ExtractError(MSG_CORRUPT.format(name=name)) from exc


def _extract(data: bytes, name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    head = data[:1024]
    if b"%PDF-" in head:
        return _pdf(data, name)
    if data.startswith(b"PK\x03\x04"):
        return _zip(data, name)
    if data.startswith(_OLE_MAGIC):
        return _ole(data, name)
    if data.startswith(_MEDIA_MAGIC) or (data[:4] == b"RIFF") or data[4:8] == b"ftyp":
        return ""
    if ext in _MEDIA_EXT and _looks_binary(data):
        return ""
    if _looks_binary(data):
        raise ExtractError(MSG_UNKNOWN.format(name=name))
    from gongkai.catalog.exchange.safety import decode_text

    text = decode_text(data)
    if ext in _HTML_EXT or (ext not in {".txt", ".csv", ".json"} and _looks_html(text)):
        return _html(text)
    return text


def _looks_binary(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in data[:8192]


def _looks_html(text: str) -> bool:
    start = text.lstrip("\ufeff \t\r\n\u3000")[:4096]
    return start.startswith("<") and bool(_HTML_RE.search(start))


# --------------------------------------------------------------------------- pdf


def _pdf(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs carry only an owner password (no printing etc.): they open with "".
            try:
                if not reader.decrypt(""):
                    raise ExtractError(MSG_PASSWORD.format(name=name))
            except ExtractError:
                raise
            except Exception as exc:
                raise ExtractError(MSG_PASSWORD.format(name=name)) from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise ExtractError(MSG_CORRUPT.format(name=name)) from exc
    return "\n".join(pages)


# --------------------------------------------------------------------------- zips


def _zip(data: bytes, name: str) -> str:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ExtractError(MSG_CORRUPT.format(name=name)) from exc
    with zf:
        names = set(zf.namelist())
        if "word/document.xml" in names:
            return _office(data, name, "docx")
        if "xl/workbook.xml" in names:
            return _office(data, name, "xlsx")
        if "OFD.xml" in names:
            _check_zip(zf, name)
            return _ofd(zf, name)
        if "mimetype" in names and "content.xml" in names:
            mimetype = zf.read("mimetype")[:100]
            if b"opendocument.spreadsheet" in mimetype:
                return _office(data, name, "ods")
            if b"opendocument.text" in mimetype:
                _check_zip(zf, name)
                return _xml_text(zf.read("content.xml"), name, block="p h")
    raise ExtractError(MSG_UNKNOWN.format(name=name))


def _check_zip(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if len(infos) > 10_000 or total > 8 * _limit():
        raise ExtractError(MSG_BOMB.format(name=name))
    for i in infos:
        if i.compress_size and i.file_size / i.compress_size > 200 and i.file_size > MiB:
            raise ExtractError(MSG_BOMB.format(name=name))


def _ole(data: bytes, name: str) -> str:
    from gongkai.catalog.exchange.safety import _ole_stream_names  # the one CFB reader

    streams = _ole_stream_names(data)
    if {"EncryptionInfo", "EncryptedPackage"} & streams:
        raise ExtractError(MSG_PASSWORD.format(name=name))
    if {"Workbook", "Book"} & streams:
        return _office(data, name, "xls")
    if "WordDocument" in streams:
        raise ExtractError(MSG_DOC.format(name=name))
    raise ExtractError(MSG_UNKNOWN.format(name=name))


def _office(data: bytes, name: str, kind: str) -> str:
    """docx/xlsx/xls/ods through the import safety gate, then their reader."""
    from gongkai.catalog.exchange.model import ExchangeError
    from gongkai.catalog.exchange.safety import MSG_PASSWORD as IMPORT_PASSWORD
    from gongkai.catalog.exchange.safety import Limits, check_file

    with tempfile.TemporaryDirectory(prefix="gongkai-extract-") as tmp:
        path = os.path.join(tmp, f"file.{kind}")
        with open(path, "wb") as fh:
            fh.write(data)
        try:
            check_file(path, Limits.from_settings())
        except ExchangeError as exc:
            if str(exc) == IMPORT_PASSWORD:
                raise ExtractError(MSG_PASSWORD.format(name=name)) from exc
            raise ExtractError(f"附件“{name}”无法读取：{exc}") from exc
        if kind == "docx":
            return _docx(path)
        return _workbook(path, name)


def _docx(path: str) -> str:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(path)
    w_p, w_t, w_tab, w_br = qn("w:p"), qn("w:t"), qn("w:tab"), qn("w:br")
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

    def part_text(element) -> list[str]:
        lines = []
        for p in element.iter(w_p):
            # Text boxes come twice (DrawingML and a VML fallback): read the first only.
            if any(a.tag == fallback for a in p.iterancestors()):
                continue
            parts = []
            for el in p.iter(w_t, w_tab, w_br):
                # A text box's paragraphs inside this one are read as their own lines.
                if next(el.iterancestors(w_p), None) is not p:
                    continue
                if el.tag == w_t:
                    parts.append(el.text or "")
                else:
                    parts.append("\t" if el.tag == w_tab else "\n")
            lines.append("".join(parts))
        return lines

    lines: list[str] = []
    seen: set[str] = set()
    parts = [document.part]
    for section in document.sections:
        for hf in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            if not hf.is_linked_to_previous:
                parts.append(hf.part)
    # Footnotes, endnotes and comments are related parts of the main document.
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype.rsplit("/", 1)[-1] in {
            "footnotes",
            "endnotes",
            "comments",
        }:
            parts.append(rel.target_part)
    for part in parts:
        key = str(part.partname)
        if key in seen:
            continue
        seen.add(key)
        element = getattr(part, "element", None)
        if element is None:
            from docx.oxml.parser import parse_xml

            element = parse_xml(part.blob)
        lines.extend(part_text(element))
    return "\n".join(lines)


def _cell(value) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    return str(value)


def _workbook(path: str, name: str) -> str:
    from python_calamine import CalamineWorkbook, PasswordError

    lines: list[str] = []
    try:
        wb = CalamineWorkbook.from_path(path)
    except PasswordError as exc:
        raise ExtractError(MSG_PASSWORD.format(name=name)) from exc
    with wb:
        # Hidden sheets too: what is published is the file, not what Excel shows.
        for sheet_name in wb.sheet_names:
            try:
                rows = wb.get_sheet_by_name(sheet_name).to_python()
            except PasswordError as exc:
                raise ExtractError(MSG_PASSWORD.format(name=name)) from exc
            lines.append(sheet_name)
            for row in rows:
                cells = [_cell(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    lines.append("\t".join(cells))
    return "\n".join(lines)


# --------------------------------------------------------------------------- xml formats


def _safe_xml(raw: bytes, name: str):
    from lxml import etree

    if b"<!DOCTYPE" in raw[:4096].upper() or b"<!ENTITY" in raw.upper():
        raise ExtractError(MSG_DTD.format(name=name))
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(raw, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ExtractError(MSG_CORRUPT.format(name=name)) from exc


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml_text(raw: bytes, name: str, *, block: str) -> str:
    """Text of an XML document, one line per element whose local name is in ``block``."""
    root = _safe_xml(raw, name)
    blocks = set(block.split())
    lines = [
        "".join(el.itertext())
        for el in root.iter()
        if _local(el.tag) in blocks and not any(_local(a.tag) in blocks for a in el.iterancestors())
    ]
    return "\n".join(lines)


_OFD_PAGE = re.compile(r"^Doc_(\d+)/Pages/Page_(\d+)/Content\.xml$", re.IGNORECASE)


def _ofd(zf: zipfile.ZipFile, name: str) -> str:
    pages = sorted(
        (int(m.group(1)), int(m.group(2)), n) for n in zf.namelist() if (m := _OFD_PAGE.match(n))
    )
    texts = [_xml_text(zf.read(n), name, block="TextObject") for _d, _p, n in pages]
    return "\n".join(texts)


# --------------------------------------------------------------------------- html


def _html(text: str) -> str:
    import lxml.html

    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (ValueError, TypeError) as exc:  # lxml: "Document is empty" and the like
        if text.strip():
            return re.sub(r"<[^>]*>", " ", text)
        raise ExtractError("网页没有内容。") from exc
    for el in list(root.iter("script", "style", "noscript", "template")):
        el.drop_tree()
    for el in root.iter("br"):
        el.tail = "\n" + (el.tail or "")
    for el in root.iter("td", "th"):
        el.tail = "\t" + (el.tail or "")
    for el in root.iter(
        "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "title"
    ):
        el.tail = "\n" + (el.tail or "")
    return root.text_content()
