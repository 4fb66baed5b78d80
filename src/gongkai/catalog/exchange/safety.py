"""Checks that run before any parser touches an uploaded file.

`check_file` refuses what must never reach a parser: missing, empty and oversized files,
types we cannot read (recognised by content, not by extension), password-protected
workbooks, corrupt zips, zip bombs (declared, by compression ratio, lying headers, too
many entries), XML with a DTD (entity expansion, external entities) and spreadsheets
whose cells lie so far apart that the reader would allocate billions of cells.

Every refusal is an `ExchangeError` whose message is for the user, in Chinese.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .model import ExchangeError

KINDS = ("xlsx", "docx", "xls", "ods", "html", "json", "csv")
ZIP_KINDS = ("xlsx", "docx", "ods")
MiB = 1024 * 1024

MSG_PASSWORD = "文件设有密码保护，请先取消密码后再导入。"  # noqa: S105 - a message
MSG_CORRUPT = "文件已损坏，无法读取。请用 Excel、WPS 或 Word 打开并另存后再导入。"
MSG_DTD = "文件包含不安全的XML实体定义，已拒绝。"
MSG_BOMB = "文件的压缩结构异常（{detail}），疑似“压缩炸弹”，已拒绝。"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * MiB  # size of the uploaded file
    max_cells: int = 3_000_000  # cells of all tables of a file together
    max_cell_chars: int = 20_000  # characters in one cell
    max_uncompressed: int = 400 * MiB  # all members of a zip (xlsx/docx/ods) together
    max_ratio: int = 200  # uncompressed / compressed size of one zip member
    max_zip_entries: int = 2_000

    @classmethod
    def from_settings(cls) -> Limits:
        """Defaults, overridden by GONGKAI_IMPORT_MAX_BYTES / _MAX_CELLS / _MAX_CELL_CHARS."""
        from django.conf import settings

        if not settings.configured:
            return cls()
        return cls(
            max_bytes=int(getattr(settings, "GONGKAI_IMPORT_MAX_BYTES", cls.max_bytes)),
            max_cells=int(getattr(settings, "GONGKAI_IMPORT_MAX_CELLS", cls.max_cells)),
            max_cell_chars=int(
                getattr(settings, "GONGKAI_IMPORT_MAX_CELL_CHARS", cls.max_cell_chars)
            ),
        )


@dataclass
class CheckedFile:
    """What `check_file` learnt while checking (so readers need not look again)."""

    kind: str
    # xlsx: formula cells without a cached value, per worksheet member ("xl/worksheets/…")
    formulas_without_value: dict[str, list[str]] = field(default_factory=dict)
    # xlsx: sheet name → worksheet member
    sheet_members: dict[str, str] = field(default_factory=dict)
    # ods: table name → merged ranges (r0, c0, r1, c1), 0-based sheet coordinates
    ods_merges: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)


# ---------------------------------------------------------------------------- helpers


def _mb(n: int) -> str:
    if n < MiB:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / MiB:.1f} MB" if n < 10 * MiB else f"{n / MiB:.0f} MB"


def _display_name(path: Path) -> str:
    return path.name or str(path)


# What a file that we cannot read looks like (magic bytes → description).
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG图片"),
    (b"\xff\xd8\xff", "JPEG图片"),
    (b"GIF87a", "GIF图片"),
    (b"GIF89a", "GIF图片"),
    (b"%PDF-", "PDF文档"),
    (b"Rar!\x1a\x07", "RAR压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z压缩包"),
    (b"\x1f\x8b", "gzip压缩文件"),
    (b"BZh", "bzip2压缩文件"),
    (b"\xfd7zXZ\x00", "xz压缩文件"),
    (b"{\\rtf", "RTF文档"),
    (b"II*\x00", "TIFF图片"),
    (b"MM\x00*", "TIFF图片"),
    (b"MZ", "Windows程序"),
    (b"\x7fELF", "可执行程序"),
    (b"OggS", "音频文件"),
    (b"ID3", "MP3音频"),
)

_KIND_NAMES = {
    "xlsx": "Excel工作簿（.xlsx）",
    "xls": "Excel 97-2003工作簿（.xls）",
    "ods": "OpenDocument表格（.ods）",
    "docx": "Word文档（.docx）",
    "html": "网页（HTML）",
    "json": "JSON数据",
    "csv": "纯文本（CSV）",
}

# Extensions whose real content is always a zip of the named kinds.
_ZIP_EXTENSIONS = {
    ".xlsx": "Excel工作簿",
    ".xlsm": "Excel工作簿",
    ".docx": "Word文档",
    ".ods": "OpenDocument表格",
}

_SUPPORTED_HINT = "请上传 Excel（.xlsx/.xls）、Word（.docx）、网页（.html）、CSV 或 JSON 文件。"


def _unsupported(desc: str, advice: str = "") -> ExchangeError:
    return ExchangeError(f"不支持导入{desc}。{advice or _SUPPORTED_HINT}")


# ---------------------------------------------------------------------------- OLE2 (CFB)

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def _ole_stream_names(data: bytes) -> set[str]:
    """Names in the directory of an OLE2 compound file (xls, doc, encrypted OOXML).

    A small, bounds-checked reader of the CFB header, FAT and directory chain; on any
    inconsistency it falls back to looking for the well-known names as UTF-16 text.
    """
    try:
        return _ole_directory(data)
    except (struct.error, ValueError, IndexError):
        found = set()
        for name in ("EncryptionInfo", "EncryptedPackage", "Workbook", "Book", "WordDocument"):
            if name.encode("utf-16-le") in data:
                found.add(name)
        return found


def _ole_directory(data: bytes) -> set[str]:
    if len(data) < 512:
        raise ValueError("short")
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        raise ValueError("sector size")
    size = 1 << shift
    n_sectors = (len(data) - 512) // size + 1
    n_fat, first_dir = struct.unpack_from("<II", data, 44)
    first_difat, n_difat = struct.unpack_from("<II", data, 68)
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s < n_sectors][:n_fat]
    seen = 0
    sect = first_difat
    while len(fat_sectors) < n_fat and sect < n_sectors and seen <= n_difat:
        entries = struct.unpack_from(f"<{size // 4}I", data, (sect + 1) * size)
        fat_sectors += [s for s in entries[:-1] if s < n_sectors]
        sect = entries[-1]
        seen += 1
    fat: list[int] = []
    for s in fat_sectors[:n_fat]:
        fat.extend(struct.unpack_from(f"<{size // 4}I", data, (s + 1) * size))
    names = set()
    sect = first_dir
    visited = 0
    while sect < n_sectors and visited < n_sectors:
        base = (sect + 1) * size
        for off in range(base, base + size, 128):
            if off + 128 > len(data):
                break
            name_len, kind = struct.unpack_from("<HB", data, off + 64)
            if kind in (1, 2, 5) and 2 <= name_len <= 64:
                names.add(data[off : off + name_len - 2].decode("utf-16-le", "replace"))
        visited += 1
        sect = fat[sect] if sect < len(fat) else n_sectors
    if not names:
        raise ValueError("empty directory")
    return names


def _sniff_ole(data: bytes) -> str:
    names = _ole_stream_names(data)
    if {"EncryptionInfo", "EncryptedPackage"} & names:
        raise ExchangeError(MSG_PASSWORD)
    if {"Workbook", "Book"} & names:
        return "xls"
    if "WordDocument" in names:
        raise _unsupported("旧版Word文档（.doc）", "请在 Word 或 WPS 中另存为 .docx 格式后再导入。")
    if "PowerPoint Document" in names:
        raise _unsupported("PowerPoint演示文稿")
    raise _unsupported("这种 Office 97-2003 格式的文件")


# ---------------------------------------------------------------------------- zip


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ExchangeError(MSG_CORRUPT) from exc


def _sniff_zip(zf: zipfile.ZipFile) -> str:
    names = set(zf.namelist())
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names and "mimetype" in names:
        try:
            mimetype = zf.read("mimetype")[:100]
        except Exception as exc:  # noqa: BLE001 - any failure means a broken zip
            raise ExchangeError(MSG_CORRUPT) from exc
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
        if b"opendocument.text" in mimetype:
            raise _unsupported(
                "OpenDocument文本文档（.odt）", "请另存为 Word 文档（.docx）后再导入。"
            )
        raise _unsupported("这种 OpenDocument 文件")
    if "xl/workbook.bin" in names:
        raise _unsupported("Excel二进制工作簿（.xlsb）", "请在 Excel 中另存为 .xlsx 后再导入。")
    if "ppt/presentation.xml" in names:
        raise _unsupported("PowerPoint演示文稿（.pptx）")
    if "OFD.xml" in names:
        raise _unsupported("OFD版式文档", "请上传原始的 Word 或 Excel 文件。")
    if any(n.startswith("xl/") for n in names) or any(n.startswith("word/") for n in names):
        raise ExchangeError(MSG_CORRUPT)
    raise _unsupported("普通ZIP压缩包", "请解压后上传其中的 Excel 或 Word 文件。")


# ---------------------------------------------------------------------------- text


def decode_text(data: bytes) -> str:
    """Decode a text file: BOM (UTF-8/UTF-16), then UTF-8, then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head[:8192]


_HTML_RE = re.compile(r"<(?:html|table|body|head|meta|!doctype\s+html)\b", re.IGNORECASE)


def _sniff_text(head: bytes) -> str:
    text = decode_text(head).lstrip("\ufeff \t\r\n\u3000")
    low = text[:65536].lower()
    if low.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in low:
        raise _unsupported("Excel 2003 XML表格", "请在 Excel 或 WPS 中另存为 .xlsx 后再导入。")
    if low.startswith("<?xml") and "schemas.microsoft.com/office/word/2003/wordml" in low:
        raise _unsupported("Word 2003 XML文档", "请在 Word 或 WPS 中另存为 .docx 后再导入。")
    if low.startswith(("mime-version:", "from:")) or (
        "mime-version:" in low[:2000] and "multipart/related" in low[:4000]
    ):
        raise _unsupported(
            "单个文件网页（.mht）", "请在浏览器或 Word 中另存为“网页，仅HTML”（.html）后再导入。"
        )
    if (text.startswith("<") and _HTML_RE.search(low)) or (
        "<table" in low and "</td>" in low and "</tr>" in low
    ):
        return "html"
    if text.startswith(("[", "{")):
        return "json"
    return "csv"


# ---------------------------------------------------------------------------- sniff


def _read_head(path: Path, n: int = 65536) -> bytes:
    with path.open("rb") as fh:
        return fh.read(n)


def _identify(path: Path, head: bytes) -> str:
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        with _open_zip(path) as zf:
            return _sniff_zip(zf)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(path.read_bytes())
    for magic, desc in _MAGIC:
        if head.startswith(magic):
            raise _unsupported(desc)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise _unsupported("WebP图片")
    if head[4:8] == b"ftyp":
        raise _unsupported("视频或图片文件")
    if _looks_binary(head):
        raise _unsupported("无法识别的二进制文件")
    return _sniff_text(head)


def sniff(path) -> str:
    """The file's kind by its content: one of KINDS. Raises ExchangeError for
    password-protected, corrupt and unsupported files."""
    path = Path(path)
    return _identify(path, _read_head(path))


def describe(path) -> str:
    """What the file looks like, in words for a message (never raises ExchangeError)."""
    path = Path(path)
    try:
        return _KIND_NAMES[sniff(path)]
    except ExchangeError as exc:
        text = str(exc)
        m = re.match(r"不支持导入(.+?)。", text)
        if m:
            return m.group(1).removeprefix("这种 ")
        if text == MSG_PASSWORD:
            return "加密的Office文件"
        return "已损坏的文件"


# ---------------------------------------------------------------------------- check_file


def check_file(path, limits: Limits | None = None) -> CheckedFile:
    """Refuse a file that must not be parsed; return its kind and what was learnt."""
    limits = limits or Limits()
    path = Path(path)
    if not path.exists():
        raise ExchangeError(f"找不到文件：{_display_name(path)}")
    if not path.is_file():
        raise ExchangeError(f"“{_display_name(path)}”不是文件。")
    size = path.stat().st_size
    if size == 0:
        raise ExchangeError("文件是空的（0字节），没有可导入的内容。")
    if size > limits.max_bytes:
        raise ExchangeError(
            f"文件大小为 {_mb(size)}，超过导入上限 {_mb(limits.max_bytes)}。"
            "请拆分成几个较小的文件后再导入。"
        )
    head = _read_head(path)
    if size <= 1024 * 1024 and not _looks_binary(head):
        text = decode_text(path.read_bytes() if size > len(head) else head)
        if not text.strip("\ufeff \t\r\n\x0b\x0c\u3000\xa0"):
            raise ExchangeError("文件是空的（只有空白字符），没有可导入的内容。")

    ext = path.suffix.lower()
    try:
        kind = _identify(path, head)
    except ExchangeError as exc:
        if ext in _ZIP_EXTENSIONS and str(exc).startswith("不支持导入"):
            desc = describe(path)
            raise ExchangeError(
                f"文件扩展名是“{ext}”，但内容实际上是{desc}，不是{_ZIP_EXTENSIONS[ext]}。"
                "请确认选择了正确的文件。"
            ) from exc
        raise
    if ext in _ZIP_EXTENSIONS and kind not in ZIP_KINDS:
        raise ExchangeError(
            f"文件扩展名是“{ext}”，但内容实际上是{_KIND_NAMES[kind]}，"
            f"不是{_ZIP_EXTENSIONS[ext]}。请确认选择了正确的文件。"
        )
    checked = CheckedFile(kind=kind)
    if kind in ZIP_KINDS:
        _check_zip(path, limits, checked)
    return checked


# ---------------------------------------------------------------------------- zip checks

# Members never handed to an XML parser (not inflated again, only their sizes are checked).
_MEDIA_SUFFIXES = (
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".wdp",
    ".jfif", ".svgz", ".bin", ".mp3", ".mp4", ".wav", ".avi", ".ttf", ".odttf", ".fntdata",
)  # fmt: skip
_DTD_MARKERS = tuple(
    m.encode(enc)
    for m in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")
    for enc in ("ascii", "utf-16-le", "utf-16-be")
)
_MAYBE_DTD = (b"<!", "<!".encode("utf-16-le"), "<!".encode("utf-16-be"))

# Worksheet XML as Excel, WPS, LibreOffice and openpyxl write it: unprefixed elements,
# every cell opening with `<c r="A1"`. Anything else (prefixes, cells without r, other
# quoting or spacing) is checked by the slower, exact `_sheet_extent_exact`.
_CELL_REF = re.compile(rb' r="([A-Za-z]+)([0-9]+)"')  # calamine takes lowercase too
_PREFIXED_CELL = re.compile(rb":c[\s>/]")
_UNUSUAL_CELL = re.compile(rb'<c(?! r=")[\s>/]')
_FORMULA_HINT = re.compile(rb"<f[\s>/]")
_FORMULA_CELL = re.compile(
    rb"<c\b([^>]*)>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)?\s*</c>"
)
_ATTR_R = re.compile(rb'\sr="([A-Za-z]+[0-9]+)"')
_ATTR_T = re.compile(rb'\st="(\w+)"')


def _col_number(letters: bytes | str) -> int:
    n = 0
    for ch in (letters.encode() if isinstance(letters, str) else letters).upper():
        n = n * 26 + ch - 64
    return n


def _ci(ch: str) -> str:
    return f"[{ch}{ch.lower()}]" if ch.isalpha() else ch


def _greater(value: str, letters: bool) -> str:
    """A regex for cell-reference parts greater than `value`: row numbers (compared as
    numbers) or column letters (compared as columns, either case)."""
    unit = "[A-Za-z]" if letters else "[0-9]"
    if not value:
        return f"{unit}+"
    alts = [f"{unit}{{{len(value) + 1},}}"]  # longer is greater
    last = "Z" if letters else "9"
    for i, ch in enumerate(value):
        if ch != last:
            up = chr(ord(ch) + 1)
            span = f"{up}-{last}{up.lower()}-z" if letters else f"{up}-{last}"
            prefix = "".join(_ci(c) for c in value[:i])
            alts.append(f"{prefix}[{span}]{unit}{{{len(value) - i - 1}}}")
    return "(?:" + "|".join(alts) + ")"


def _col_letters(n: int) -> str:
    s = ""
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


@dataclass
class _SheetScan:
    """Farthest cell of a worksheet (what the reader will allocate: max_row × max_col)
    and formula cells without a cached value, fed with chunks of the XML."""

    max_row: int = 0
    max_col: int = 0
    unusual: bool = False
    formulas: list[str] = field(default_factory=list)
    n_formulas: int = 0
    _beyond: re.Pattern | None = None
    _beyond_key: tuple[int, int] = (-1, -1)

    def _update(self, refs) -> None:
        if refs:
            self.max_col = max(self.max_col, max(_col_number(c) for c in {c for c, _ in refs}))
            self.max_row = max(self.max_row, max(int(d) for _, d in refs))

    def _beyond_pattern(self) -> re.Pattern:
        """Matches a cell reference beyond the farthest row or column seen so far."""
        key = (self.max_row, self.max_col)
        if self._beyond is None or key != self._beyond_key:
            rows = _greater(str(self.max_row) if self.max_row else "", letters=False)
            cols = _greater(_col_letters(self.max_col), letters=True)
            self._beyond = re.compile(f' r="(?:{cols}[0-9]+|[A-Za-z]+{rows})"'.encode())
            self._beyond_key = key
        return self._beyond

    def feed(self, buf: bytes) -> None:
        if self.unusual:
            return
        if _PREFIXED_CELL.search(buf) or _UNUSUAL_CELL.search(buf):
            self.unusual = True
            return
        # rows come in order, so the last references of a chunk are its largest
        self._update(_CELL_REF.findall(buf, max(0, len(buf) - 16384)))
        if self._beyond_pattern().search(buf):
            self._update(_CELL_REF.findall(buf))
        if _FORMULA_HINT.search(buf):
            for m in _FORMULA_CELL.finditer(buf):
                attrs, empty_v = m.group(1), m.group(2)
                t = _ATTR_T.search(attrs)
                if empty_v and t and t.group(1) in (b"str", b"inlineStr", b"s"):
                    continue  # a formula whose cached result is the empty string
                self.n_formulas += 1
                if len(self.formulas) < 5:
                    r = _ATTR_R.search(attrs)
                    self.formulas.append(r.group(1).decode().upper() if r else "")


_REF_TEXT = re.compile(r"([A-Za-z]+)([0-9]+)")


def _sheet_extent_exact(zf: zipfile.ZipFile, name: str, scan: _SheetScan) -> None:
    """Walk a worksheet with lxml the way the reader places cells (r attribute, or the
    row's r / previous row + 1 and the previous cell + 1), for unusually written XML."""
    from lxml import etree

    scan.max_row = scan.max_col = 0
    row = -1
    col = -1
    with zf.open(name) as fh:
        for event, el in etree.iterparse(
            fh,
            events=("start", "end"),
            tag=("{*}row", "{*}c"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        ):
            local = etree.QName(el).localname
            if local == "row":
                if event == "start":
                    r = el.get("r")
                    row = int(r) - 1 if r and r.strip().isdigit() else row + 1
                    col = -1
                else:
                    el.clear()
                continue
            if event != "end":
                continue
            m = _REF_TEXT.fullmatch((el.get("r") or "").strip())
            if m:
                r_, col = int(m.group(2)) - 1, _col_number(m.group(1)) - 1
            else:
                r_, col = row, col + 1
            children = {etree.QName(c).localname: c for c in el if isinstance(c.tag, str)}
            if "v" in children or "is" in children:
                scan.max_row = max(scan.max_row, r_ + 1)
                scan.max_col = max(scan.max_col, col + 1)
            v = children.get("v")
            no_value = v is None or (
                not (v.text or "").strip() and el.get("t") not in ("str", "inlineStr", "s")
            )
            if "f" in children and no_value:
                scan.n_formulas += 1
                if len(scan.formulas) < 5:
                    scan.formulas.append(f"{_col_letters(col + 1)}{r_ + 1}")
            el.clear()


def _member_data_offset(fh, info: zipfile.ZipInfo) -> int:
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise ExchangeError(MSG_CORRUPT)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    return info.header_offset + 30 + name_len + extra_len


def _iter_member(fh, info: zipfile.ZipInfo, cap: int, chunk: int = 1 << 20):
    """Yield the uncompressed bytes of a member, never more than `cap` + 1 bytes in all."""
    fh.seek(_member_data_offset(fh, info))
    left = info.compress_size
    produced = 0
    if info.compress_type == zipfile.ZIP_STORED:
        while left > 0 and produced <= cap:
            data = fh.read(min(left, chunk * 4))
            if not data:
                raise ExchangeError(MSG_CORRUPT)
            left -= len(data)
            produced += len(data)
            yield data
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ExchangeError("文件使用了不支持的压缩方式，请用 Excel、WPS 或 Word 另存后再导入。")
    dec = zlib.decompressobj(-15)
    try:
        while left > 0 and produced <= cap:
            data = fh.read(min(left, chunk))
            if not data:
                raise ExchangeError(MSG_CORRUPT)
            left -= len(data)
            while data and produced <= cap:
                out = dec.decompress(data, max(1, min(chunk * 4, cap + 1 - produced)))
                data = dec.unconsumed_tail
                produced += len(out)
                if out:
                    yield out
                if dec.eof:
                    return
        if produced <= cap:
            out = dec.flush()
            produced += len(out)
            if out:
                yield out
    except zlib.error as exc:
        raise ExchangeError(MSG_CORRUPT) from exc


def _xlsx_sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """sheet name → worksheet member, from xl/workbook.xml and its relationships."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        book_xml = zf.read("xl/workbook.xml")
        rels_xml = zf.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, zlib.error, ValueError):
        return {}
    if any(m in data for data in (book_xml, rels_xml) for m in _DTD_MARKERS):
        raise ExchangeError(MSG_DTD)
    try:
        book = etree.fromstring(book_xml, parser)
        rels = etree.fromstring(rels_xml, parser)
    except (etree.XMLSyntaxError, ValueError):
        return {}
    targets = {}
    for rel in rels:
        target = (rel.get("Target") or "").replace("\\", "/")
        if target.startswith("/"):
            target = target[1:]
        elif target:
            target = "xl/" + target
        parts: list[str] = []
        for part in target.split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part and part != ".":
                parts.append(part)
        targets[rel.get("Id")] = "/".join(parts)
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    out = {}
    for el in book.iter("{*}sheet"):
        member = targets.get(el.get(rid))
        if member:
            out[el.get("name") or member] = member
    return out


def _check_zip(path: Path, limits: Limits, checked: CheckedFile) -> None:
    with _open_zip(path) as zf:
        infos = zf.infolist()
        if len(infos) > limits.max_zip_entries:
            raise ExchangeError(
                MSG_BOMB.format(detail=f"包含 {len(infos)} 个条目，上限 {limits.max_zip_entries}")
            )
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_uncompressed:
            raise ExchangeError(
                MSG_BOMB.format(
                    detail=f"解压后约 {_mb(declared)}，上限 {_mb(limits.max_uncompressed)}"
                )
            )
        for info in infos:
            if info.flag_bits & 0x1:
                raise ExchangeError(MSG_PASSWORD)
            if info.file_size > MiB and info.file_size > limits.max_ratio * max(
                1, info.compress_size
            ):
                ratio = info.file_size // max(1, info.compress_size)
                raise ExchangeError(
                    MSG_BOMB.format(detail=f"“{info.filename}”的压缩比约为 {ratio}:1")
                )
        by_member: dict[str, str] = {}
        if checked.kind == "xlsx":
            checked.sheet_members = _xlsx_sheet_members(zf)
            by_member = {m: n for n, m in checked.sheet_members.items()}
        total = 0
        with path.open("rb") as fh:
            for info in infos:
                media = info.filename.lower().endswith(_MEDIA_SUFFIXES)
                if info.is_dir() or (media and info.filename not in by_member):
                    continue
                total += _scan_member(zf, fh, info, limits, checked, total, by_member)
        if checked.kind == "ods":
            _check_ods(zf, limits, checked)


def _scan_member(zf, fh, info, limits: Limits, checked: CheckedFile, total: int, by_member) -> int:
    """Inflate one member (bounded): true size, DTDs, and for worksheets the farthest
    cell and formulas without a cached value."""
    name = info.filename
    is_sheet = name in by_member or (
        checked.kind == "xlsx" and name.startswith("xl/worksheets/") and name.endswith(".xml")
    )
    cap = min(info.file_size, limits.max_uncompressed - total)
    sheet = _SheetScan() if is_sheet else None
    produced = 0
    tail = b""
    for out in _iter_member(fh, info, cap):
        if (
            not produced
            and is_sheet
            and (out.startswith((b"\xff\xfe", b"\xfe\xff")) or out[1:2] == b"\x00")
        ):
            raise ExchangeError("工作簿中的工作表使用了不常见的XML编码（UTF-16），已拒绝。")
        produced += len(out)
        if produced > info.file_size or produced > limits.max_uncompressed - total:
            raise ExchangeError(
                MSG_BOMB.format(detail=f"“{name}”解压后比声明的 {_mb(info.file_size)} 更大")
            )
        buf = tail + out
        if any(m in buf for m in (_MAYBE_DTD[:1] if is_sheet else _MAYBE_DTD)) and any(
            m in buf for m in _DTD_MARKERS
        ):
            raise ExchangeError(MSG_DTD)
        cut = buf.rfind(b">") + 1
        if cut == 0:
            tail = buf[-64:]  # text only: keep enough for a marker split across chunks
            continue
        if sheet is not None:
            sheet.feed(buf[:cut])
        tail = buf[cut:]
        if len(tail) > MiB:
            tail = tail[-64:]
    if produced < info.file_size:
        raise ExchangeError(MSG_CORRUPT)
    if sheet is not None:
        if tail:
            sheet.feed(tail)
        if sheet.unusual:
            try:
                _sheet_extent_exact(zf, name, sheet)
            except ExchangeError:
                raise
            except Exception as exc:  # lxml syntax errors, bad numbers: a broken sheet
                raise ExchangeError(MSG_CORRUPT) from exc
        label = by_member.get(name, name)
        cells = sheet.max_row * sheet.max_col
        if cells > limits.max_cells:
            raise ExchangeError(
                f"工作表“{label}”的数据范围过大（最远的单元格在第 {sheet.max_row} 行、"
                f"第 {sheet.max_col} 列，共约 {cells} 个单元格），超过导入上限 {limits.max_cells}。"
                "请删除表格下方或右侧多余的内容后再导入。"
            )
        if sheet.n_formulas:
            checked.formulas_without_value[name] = sheet.formulas + (
                ["…"] if sheet.n_formulas > len(sheet.formulas) else []
            )
    return produced


# ---------------------------------------------------------------------------- ods

_ODS_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
_T = "{" + _ODS_NS["table"] + "}"
_O = "{" + _ODS_NS["office"] + "}"


def _ods_too_big(name: str, rows: int, cols: int, limits: Limits) -> ExchangeError:
    return ExchangeError(
        f"工作表“{name}”的数据范围过大（约 {rows} 行 × {cols} 列），"
        f"超过导入上限 {limits.max_cells} 个单元格。"
    )


def _int_attr(el, name: str, default: int = 1, cap: int = 1 << 24) -> int:
    try:
        return max(1, min(cap, int(el.get(name, default))))
    except (TypeError, ValueError):
        return default


def _check_ods(zf: zipfile.ZipFile, limits: Limits, checked: CheckedFile) -> None:
    """Extents (with repeated rows/columns) and merged ranges of every table in content.xml."""
    from lxml import etree

    total = 0
    try:
        with zf.open("content.xml") as fh:
            events = etree.iterparse(
                fh,
                events=("start", "end"),
                tag=(_T + "table", _T + "table-row"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
            )
            name = ""
            row = 0
            last_row = 0
            last_col = 0
            merges: list[tuple[int, int, int, int]] = []
            for event, el in events:
                if el.tag == _T + "table":
                    if event == "start":
                        name = el.get(_T + "name") or f"表{len(checked.ods_merges) + 1}"
                        row = last_row = last_col = 0
                        merges = []
                    else:
                        cells = last_row * last_col
                        total += cells
                        if total > limits.max_cells:
                            raise _ods_too_big(name, last_row, last_col, limits)
                        checked.ods_merges[name] = merges
                        el.clear()
                    continue
                if event != "end":
                    continue
                rep_rows = _int_attr(el, _T + "number-rows-repeated")
                col = 0
                row_has_value = False
                for cell in el:
                    if not isinstance(cell.tag, str) or not cell.tag.endswith("table-cell"):
                        continue
                    rep = _int_attr(cell, _T + "number-columns-repeated")
                    has_value = cell.get(_O + "value-type") is not None or len(cell) > 0
                    if has_value:
                        row_has_value = True
                        last_col = max(last_col, col + rep)
                    cs = _int_attr(cell, _T + "number-columns-spanned")
                    rs = _int_attr(cell, _T + "number-rows-spanned")
                    if (cs > 1 or rs > 1) and len(merges) < 100_000:
                        merges.append((row, col, row + rs - 1, col + cs - 1))
                    col += rep
                if row_has_value:
                    last_row = row + rep_rows
                    if last_row * last_col > limits.max_cells:
                        raise _ods_too_big(name, last_row, last_col, limits)
                row += rep_rows
                el.clear()
                while el.getprevious() is not None:
                    del el.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise ExchangeError(MSG_CORRUPT) from exc
