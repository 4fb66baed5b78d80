"""Writers: catalog rows → the standard template (xlsx, docx), CSV and Gongkai's own JSON.

Pure functions over plain data, no database: the caller turns items into row dicts keyed
by `ELEMENT_KEYS` (plus optional "agency_name", "domain_name", "status") and groups them
into `ExportSheet`s, one per domain.

The xlsx and docx layouts follow the national template (domain-facts §2.2–2.3): two
header rows with merged cells (公开事项 → 一级/二级事项; 公开对象 → 全社会/特定群体;
公开方式 → 主动/依申请; 公开层级 → 县级/乡级/…), √ in the tick columns and the full
■/□ channel checklist in template order, sized to print on A4 landscape.

Beyond the bare template, and only when needed: a 事项编码 column after 序号 when any row
has a code, a 编制单位 column when the sheet holds rows of several agencies, a 三级事项
column when any row has one. Tick cells hold a bare "√" (what importers read), so the
template carries no 特定群体说明; CSV and JSON keep it.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import escape as xml_escape

from ..vocabularies import AUDIENCES, CHANNELS, LEVELS, MODES
from .model import ELEMENT_KEYS

TICK = "√"
CHECKED = "■"
UNCHECKED = "□"

LIST_KEYS = frozenset({"channels", "audience", "mode", "levels"})
EXTRA_KEYS = ("agency_name", "domain_name", "status")

CSV_COLUMNS = (
    "领域",
    "编制单位",
    "序号",
    "事项编码",
    "一级事项",
    "二级事项",
    "三级事项",
    "公开内容",
    "公开依据",
    "公开时限",
    "公开主体",
    "公开渠道和载体",
    "其他渠道",
    "全社会",
    "特定群体",
    "特定群体说明",
    "主动",
    "依申请",
    "省级",
    "市级",
    "县级",
    "乡级",
    "村级",
)

JSON_FORMAT = "gongkai-catalog"
JSON_VERSION = 1

XLSX_MAX_CELL = 32767  # Excel's limit on the characters in one cell
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_ILLEGAL = re.compile(r"[\[\]:*?/\\]")


@dataclass
class ExportSheet:
    """One domain's catalog: a worksheet in xlsx, a titled table in docx."""

    title: str  # e.g. "社会救助领域基层政务公开标准目录"
    domain_name: str  # "社会救助"
    agency_name: str  # "示范经济开发区民政局" ("" when several)
    rows: list[dict] = field(default_factory=list)
    # Which 公开层级 tick columns to show (codes from LEVELS); widened to every level
    # the rows use.
    levels: tuple[str, ...] = ("county", "township")


# --------------------------------------------------------------------------- helpers


def sheet_title(domain_name: str, agency_name: str = "") -> str:
    """The title line of a domain's catalog, e.g. "社会救助领域基层政务公开标准目录".

    The agency is not repeated in the title (it has its own "编制单位：" line, and an
    agency name inside the title would confuse recognising the domain on import); it
    names the catalog only when there is no single domain.
    """
    domain = (domain_name or "").strip()
    if domain:
        if not domain.endswith("领域"):
            domain += "领域"
        return f"{domain}基层政务公开标准目录"
    return f"{(agency_name or '').strip()}基层政务公开标准目录"


def channel_checklist(codes: Iterable[str] | None, other: str = "") -> str:
    """All 13 template channels, one per line, ■ when ticked and □ when not.

    "其他" is ticked when `codes` holds "other" or when `other` (the free text) is given,
    and then written "■其他：<text>".
    """
    ticked = set(codes or ())
    other = (other or "").strip()
    lines = []
    for code, label in CHANNELS:
        if code == "other":
            on = "other" in ticked or bool(other)
            text = f"{label}：{other}" if other else label
        else:
            on = code in ticked
            text = label
        lines.append((CHECKED if on else UNCHECKED) + text)
    return "\n".join(lines)


def channel_names(codes: Iterable[str] | None) -> list[str]:
    """The ticked channels' names in template order (unknown codes last, as written)."""
    ticked = list(dict.fromkeys(codes or ()))
    known = dict(CHANNELS)
    names = [label for code, label in CHANNELS if code in ticked]
    names += [code for code in ticked if code not in known]
    return names


def _text(value) -> str:
    if value is None:
        return ""
    return str(value)


def _codes(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _normalise(row: dict) -> dict:
    """A row with every element key present: strings, and lists of codes."""
    out = {}
    for key in ELEMENT_KEYS:
        out[key] = _codes(row.get(key)) if key in LIST_KEYS else _text(row.get(key))
    for key in EXTRA_KEYS:
        if key in row:
            out[key] = _text(row.get(key))
    return out


def _empty_sheet() -> ExportSheet:
    return ExportSheet(title=sheet_title("", ""), domain_name="", agency_name="", rows=[])


def _clean(text: str) -> str:
    """Drop the control characters XML (and so xlsx/docx) cannot hold."""
    return _XML_ILLEGAL.sub("", text)


# ----------------------------------------------------------------------- column model


@dataclass(frozen=True)
class Column:
    key: str  # "seq", "agency", an element key, or "<element>:<code>" for a tick column
    header: str  # the sub-header, or the only header of an ungrouped column
    group: str = ""  # the merged top header ("" = the header spans both header rows)
    width: float = 10.0  # xlsx width in character units (docx: proportional)
    tick: bool = False


TICK_WIDTH = 5.6


@dataclass
class _Layout:
    columns: list[Column]
    rows: list[dict]
    agency: str  # for the "编制单位：" line ("" = none)


def _layout(sheet: ExportSheet) -> _Layout:
    rows = [_normalise(r) for r in sheet.rows]
    agencies = list(dict.fromkeys(r.get("agency_name", "") for r in rows if r.get("agency_name")))
    agency = (sheet.agency_name or "").strip()
    if not agency and len(agencies) == 1:
        agency = agencies[0]
    several_agencies = not agency and len(agencies) > 1

    cols = [Column("seq", "序号", width=5.5)]
    if any(r["code"] for r in rows):
        cols.append(Column("code", "事项编码", width=8))
    if several_agencies:
        cols.append(Column("agency", "编制单位", width=12))
    cols.append(Column("level1", "一级事项", "公开事项", 10))
    cols.append(Column("level2", "二级事项", "公开事项", 12))
    if any(r["level3"] for r in rows):
        cols.append(Column("level3", "三级事项", "公开事项", 10))
    cols += [
        Column("content", "公开内容（要素）", width=30),
        Column("basis", "公开依据", width=22),
        Column("time_limit_text", "公开时限", width=14),
        Column("subject_text", "公开主体", width=12),
        Column("channels", "公开渠道和载体", width=21),
    ]
    for code, label in AUDIENCES:
        cols.append(Column(f"audience:{code}", label, "公开对象", TICK_WIDTH, tick=True))
    for code, label in MODES:
        cols.append(Column(f"mode:{code}", label, "公开方式", TICK_WIDTH, tick=True))
    wanted = set(sheet.levels or ())
    for r in rows:
        wanted.update(r["levels"])
    for code, label in LEVELS:
        if code in wanted:
            cols.append(Column(f"levels:{code}", label, "公开层级", TICK_WIDTH, tick=True))
    return _Layout(cols, rows, agency)


def _cell_text(col: Column, row: dict, seq: int) -> str:
    key = col.key
    if key == "seq":
        return str(seq)
    if key == "agency":
        return row.get("agency_name", "")
    if key == "channels":
        return channel_checklist(row["channels"], row["channels_other"])
    if col.tick:
        element, code = key.split(":", 1)
        return TICK if code in row[element] else ""
    return row[key]


def _header_spans(columns: Sequence[Column]) -> list[tuple[int, int, str]]:
    """(first, last, text) of each top-row header cell, 0-based column indexes."""
    spans: list[tuple[int, int, str]] = []
    for i, col in enumerate(columns):
        if col.group and spans and spans[-1][2] == col.group and columns[i - 1].group:
            spans[-1] = (spans[-1][0], i, col.group)
        else:
            spans.append((i, i, col.group or col.header))
    return spans


def _level1_runs(layout: _Layout) -> list[tuple[int, int]]:
    """(first, last) row indexes of runs of ≥2 consecutive rows with the same 一级事项."""
    runs = []
    rows = layout.rows
    start = 0
    for i in range(1, len(rows) + 1):
        same = (
            i < len(rows)
            and rows[i]["level1"]
            and rows[i]["level1"] == rows[start]["level1"]
            and rows[i].get("agency_name", "") == rows[start].get("agency_name", "")
        )
        if not same:
            if i - 1 > start:
                runs.append((start, i - 1))
            start = i
    return runs


# --------------------------------------------------------------------------- output


class _Sink:
    """Writes bytes to a path or a stream (binary, or text for CSV/JSON)."""

    def __init__(self, out):
        self.out = out
        self._file = None

    def __enter__(self):
        if isinstance(self.out, (str, os.PathLike)):
            self._file = open(self.out, "wb")  # noqa: SIM115 - closed in __exit__
            self.stream = self._file
        else:
            self.stream = self.out
        self.text = isinstance(self.stream, io.TextIOBase)
        return self

    def write(self, text: str, encoding: str = "utf-8") -> None:
        self.stream.write(text if self.text else text.encode(encoding))

    def __exit__(self, *exc):
        if self._file is not None:
            self._file.close()
        return False


def _binary_target(out):
    return os.fspath(out) if isinstance(out, os.PathLike) else out


# ----------------------------------------------------------------------------- xlsx

_LINE_PT = 13.5  # one line of 10pt 宋体
_MAX_ROW_PT = 409.0  # Excel's limit


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _line_count(text: str, width: float) -> int:
    """Lines a wrapped cell needs (a CJK character is two width units, like Excel's)."""
    if len(text) <= 300:  # the channel lists and short names repeat row after row
        return _line_count_cached(text, width)
    return _count_lines(text, width)


def _count_lines(text: str, width: float) -> int:
    usable = max(width - 1.2, 1.0)
    return sum(max(1, math.ceil(_display_width(seg) / usable)) for seg in text.split("\n"))


_line_count_cached = lru_cache(maxsize=2048)(_count_lines)


def _row_height(lines: int) -> float:
    return min(_MAX_ROW_PT, round(lines * _LINE_PT + 4, 1))


def _unique_sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_NAME_ILLEGAL.sub("_", _clean(name or "")).strip().strip("'").strip()
    base = base or "目录"
    if base.lower() == "history":  # reserved by Excel
        base += "_"
    base = base[:31]
    candidate = base
    n = 2
    while candidate.lower() in used:
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def write_xlsx(sheets: list[ExportSheet], out) -> None:
    """One worksheet per sheet, in the standard template, ready to print on A4 landscape."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = "Gongkai"
    styles = None
    used: set[str] = set()
    sheets = list(sheets) or [_empty_sheet()]
    wb.properties.title = sheets[0].title if len(sheets) == 1 else "基层政务公开标准目录"
    for sheet in sheets:
        ws = wb.create_sheet(_unique_sheet_name(sheet.domain_name or sheet.title, used))
        styles = styles or _XlsxStyles(ws)
        _write_xlsx_sheet(ws, sheet, styles)
    wb.save(_binary_target(out))


class _XlsxStyles:
    """Cell style prototypes; cells copy a prototype's style array (cheap per cell)."""

    def __init__(self, ws):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin", color="000000")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        body = Font(name="宋体", size=10, charset=134)
        head = Font(name="黑体", size=10, bold=True, charset=134)

        def proto(font, alignment, with_border=True):
            cell = WriteOnlyCell(ws)
            cell.font = font
            cell.alignment = alignment
            if with_border:
                cell.border = border
            return cell._style

        self.title = proto(
            Font(name="黑体", size=16, bold=True, charset=134),
            Alignment(horizontal="center", vertical="center", wrap_text=True),
            with_border=False,
        )
        self.agency = proto(
            Font(name="宋体", size=11, charset=134),
            Alignment(horizontal="left", vertical="center"),
            with_border=False,
        )
        self.head = proto(head, Alignment(horizontal="center", vertical="center", wrap_text=True))
        self.body = proto(body, Alignment(horizontal="left", vertical="top", wrap_text=True))
        self.center = proto(body, Alignment(horizontal="center", vertical="top", wrap_text=True))


def _xcell(ws, value, style):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    if isinstance(value, str):
        value = _clean(value)[:XLSX_MAX_CELL]
        if value:
            cell.value = value
            cell.data_type = "s"  # never a formula, whatever the text starts with
    elif value is not None:
        cell.value = value
    cell._style = copy(style)
    return cell


def _write_xlsx_sheet(ws, sheet: ExportSheet, st: _XlsxStyles) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.worksheet import Worksheet

    layout = _layout(sheet)
    cols = layout.columns
    ncols = len(cols)
    widths = [c.width for c in cols]
    header_row = 3 if layout.agency else 2
    first_data = header_row + 2

    # Sheet-level settings that openpyxl writes before the first row.
    for i, col in enumerate(cols, 1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.freeze_panes = f"A{first_data}"

    merged: list[CellRange] = []

    def merge(r0, c0, r1, c1):  # 1-based; set at the end (MultiCellRange.add is O(n))
        merged.append(CellRange(min_row=r0, min_col=c0, max_row=r1, max_col=c1))

    # Title and 编制单位.
    ws.row_dimensions[1].height = 32
    ws.append([_xcell(ws, sheet.title or sheet_title(sheet.domain_name, layout.agency), st.title)])
    merge(1, 1, 1, ncols)
    if layout.agency:
        ws.row_dimensions[2].height = 20
        ws.append([_xcell(ws, f"编制单位：{layout.agency}", st.agency)])
        merge(2, 1, 2, ncols)

    # Two header rows.
    spans = _header_spans(cols)
    top: list = [None] * ncols
    sub: list = [None] * ncols
    for first, last, text in spans:
        top[first] = text
        if cols[first].group:
            merge(header_row, first + 1, header_row, last + 1)
            for i in range(first, last + 1):
                sub[i] = cols[i].header
        else:
            merge(header_row, first + 1, header_row + 1, first + 1)
    group_lines, spanning = [1], [1]
    for first, last, text in spans:
        lines = _line_count(text, sum(widths[first : last + 1]))
        (group_lines if cols[first].group else spanning).append(lines)
    sub_lines = [_line_count(t, w) for t, w in zip(sub, widths, strict=True) if t]
    # An ungrouped header spans both rows: the second row takes what the first cannot hold.
    top_lines = max(group_lines)
    ws.row_dimensions[header_row].height = _row_height(top_lines)
    ws.row_dimensions[header_row + 1].height = _row_height(
        max([*sub_lines, *(n - top_lines for n in spanning), 1])
    )
    ws.append([_xcell(ws, t, st.head) for t in top])
    ws.append([_xcell(ws, s, st.head) for s in sub])

    # Data rows; 一级事项 merged down its runs.
    runs = _level1_runs(layout)
    starts = {first for first, _ in runs}
    continued = set()
    for first, last in runs:
        continued.update(range(first + 1, last + 1))
    level1_col = next(i for i, c in enumerate(cols) if c.key == "level1")
    for n, row in enumerate(layout.rows):
        texts = [_cell_text(c, row, n + 1) for c in cols]
        if n in continued:
            texts[level1_col] = ""
        lines = 1
        for i, (text, width) in enumerate(zip(texts, widths, strict=True)):
            # A merged 一级事项 spreads over its run's rows: it sets no single row's height.
            if text and not (i == level1_col and n in starts):
                lines = max(lines, _line_count(text, width))
        ws.row_dimensions[first_data + n].height = _row_height(lines)
        cells = []
        for col, text in zip(cols, texts, strict=True):
            if col.key == "seq":
                cells.append(_xcell(ws, n + 1, st.center))
            else:
                cells.append(_xcell(ws, text, st.center if col.tick else st.body))
        ws.append(cells)
    for first, last in runs:
        merge(first_data + first, level1_col + 1, first_data + last, level1_col + 1)
    ws.merged_cells = MultiCellRange(merged)

    # Printing: A4 landscape, one page wide, header rows repeated, page numbers.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.3, right=0.3, top=0.5, bottom=0.6, header=0.2, footer=0.3)
    ws.print_title_rows = f"{header_row}:{header_row + 1}"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 9


# ----------------------------------------------------------------------------- docx

_DOCX_BODY_FONT = "宋体"
_DOCX_HEAD_FONT = "黑体"
_DOCX_LATIN_FONT = "Times New Roman"
_DOCX_MARGIN_MM = 12.7
_DOCX_TABLE_PT = 9
_DOCX_NARROW_TWIPS = 560  # 序号 and tick columns: two 9pt characters a line
_DOCX_CELL_MARGIN = 57  # twips (0.1 cm) left and right inside a cell


def write_docx(sheets: list[ExportSheet], out) -> None:
    """An A4 landscape document: per sheet a title and the template as a table."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    sheets = list(sheets) or [_empty_sheet()]
    doc.core_properties.title = sheets[0].title if len(sheets) == 1 else "基层政务公开标准目录"
    doc.core_properties.author = "Gongkai"
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(_DOCX_MARGIN_MM))
    section.top_margin = Mm(15)
    section.bottom_margin = Mm(15)
    section.header_distance = Mm(8)
    section.footer_distance = Mm(8)
    _docx_default_fonts(doc)
    _docx_page_numbers(section)
    usable_twips = int((297 - 2 * _DOCX_MARGIN_MM) / 25.4 * 1440)

    for i, sheet in enumerate(sheets):
        if i:
            doc.add_page_break()
        layout = _layout(sheet)
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_after = Pt(6)
        run = title.add_run(_clean(sheet.title or sheet_title(sheet.domain_name, layout.agency)))
        _docx_run_font(run, _DOCX_HEAD_FONT, 16, bold=False)
        if layout.agency:
            p = doc.add_paragraph()
            p.paragraph_format.space_after = Pt(4)
            _docx_run_font(p.add_run(_clean(f"编制单位：{layout.agency}")), _DOCX_BODY_FONT, 12)
        _docx_table(doc, layout, usable_twips)
    doc.save(_binary_target(out))


def _docx_default_fonts(doc) -> None:
    """宋体 everywhere by default (explicit fonts, not the theme's), no paragraph spacing."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    rpr_default = doc.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault"))
    if rpr_default is not None:
        rfonts = rpr_default.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        if rfonts is not None:
            for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                rfonts.attrib.pop(qn(f"w:{attr}"), None)
            _set_rfonts(rfonts, _DOCX_BODY_FONT)
    normal = doc.styles["Normal"]
    normal.font.name = _DOCX_LATIN_FONT
    normal.font.size = Pt(10.5)
    _set_rfonts(normal.element.get_or_add_rPr().get_or_add_rFonts(), _DOCX_BODY_FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)


def _set_rfonts(rfonts, east_asian: str) -> None:
    from docx.oxml.ns import qn

    rfonts.set(qn("w:ascii"), _DOCX_LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), _DOCX_LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _docx_run_font(run, east_asian: str, size_pt: float, bold: bool = False) -> None:
    from docx.shared import Pt

    run.font.size = Pt(size_pt)
    run.font.bold = bold or None
    _set_rfonts(run._element.get_or_add_rPr().get_or_add_rFonts(), east_asian)


def _docx_page_numbers(section) -> None:
    """Footer "第 N 页 共 M 页" with PAGE / NUMPAGES fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def field(instr):
        return parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" {instr} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        )

    paragraph.add_run("第 ")
    paragraph._p.append(field("PAGE"))
    paragraph._p.append(
        parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> 页 共 </w:t></w:r>')
    )
    paragraph._p.append(field("NUMPAGES"))
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> 页</w:t></w:r>'))


def _docx_table(doc, layout: _Layout, usable_twips: int) -> None:
    """The template as a Word table. Rows are built as XML text and parsed in one go
    (creating elements one by one through python-docx is ~10× slower on big catalogs)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from lxml.etree import SubElement

    cols = layout.columns
    # Narrow columns (序号 and the ticks) get a fixed width that holds two characters per
    # line; the others share the rest in proportion to their xlsx widths.
    fixed = [col.tick or col.key == "seq" for col in cols]
    rest = usable_twips - _DOCX_NARROW_TWIPS * sum(fixed)
    share = sum(c.width for c, f in zip(cols, fixed, strict=True) if not f)
    widths = [
        _DOCX_NARROW_TWIPS if f else int(rest * c.width / share)
        for c, f in zip(cols, fixed, strict=True)
    ]

    table = doc.add_table(rows=0, cols=len(cols))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    tbl = table._tbl
    tbl_w = tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = SubElement(tbl.tblPr, qn("w:tblW"))
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    for grid_col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), str(width))
    margins = parse_xml(
        f"<w:tblCellMar {nsdecls('w')}>"
        f'<w:left w:w="{_DOCX_CELL_MARGIN}" w:type="dxa"/>'
        f'<w:right w:w="{_DOCX_CELL_MARGIN}" w:type="dxa"/>'
        "</w:tblCellMar>"
    )
    tbl.tblPr.find(qn("w:tblLayout")).addnext(margins)  # schema order: …tblLayout, tblCellMar…

    size = int(_DOCX_TABLE_PT * 2)
    latin = xml_escape(_DOCX_LATIN_FONT, {'"': "&quot;"})
    run_props = {
        head: (
            f'<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" '
            f'w:eastAsia="{_DOCX_HEAD_FONT if head else _DOCX_BODY_FONT}"/>'
            + ("<w:b/>" if head else "")
            + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        )
        for head in (False, True)
    }
    centered = '<w:pPr><w:jc w:val="center"/></w:pPr>'

    def cell(text, width, *, head=False, center=False, span=1, vmerge=None) -> str:
        props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
        if span > 1:
            props.append(f'<w:gridSpan w:val="{span}"/>')
        if vmerge == "restart":
            props.append('<w:vMerge w:val="restart"/>')
        elif vmerge == "continue":
            props.append("<w:vMerge/>")
        props.append(f'<w:vAlign w:val="{"center" if head else "top"}"/>')
        p_pr = centered if head or center else ""
        paragraphs = []
        for line in _clean(text or "").split("\n"):
            run = (
                f'<w:r>{run_props[head]}<w:t xml:space="preserve">{xml_escape(line)}</w:t></w:r>'
                if line
                else ""
            )
            paragraphs.append(f"<w:p>{p_pr}{run}</w:p>")
        return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{''.join(paragraphs)}</w:tc>"

    # Two header rows, never split and repeated at the top of every page: groups span
    # columns in the first row; ungrouped headers span both rows.
    header_props = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
    top, sub = [header_props], [header_props]
    for first, last, text in _header_spans(cols):
        width = sum(widths[first : last + 1])
        if cols[first].group:
            top.append(cell(text, width, head=True, span=last - first + 1))
            sub += [cell(cols[i].header, widths[i], head=True) for i in range(first, last + 1)]
        else:
            top.append(cell(text, width, head=True, vmerge="restart"))
            sub.append(cell("", width, head=True, vmerge="continue"))
    xml_rows = [f"<w:tr>{''.join(top)}</w:tr>", f"<w:tr>{''.join(sub)}</w:tr>"]

    runs = _level1_runs(layout)
    starts = {first for first, _ in runs}
    continued = set()
    for first, last in runs:
        continued.update(range(first + 1, last + 1))
    for n, row in enumerate(layout.rows):
        cells = []
        for col, width in zip(cols, widths, strict=True):
            text = _cell_text(col, row, n + 1)
            vmerge = None
            if col.key == "level1":
                if n in starts:
                    vmerge = "restart"
                elif n in continued:
                    vmerge, text = "continue", ""
            cells.append(cell(text, width, center=col.tick or col.key == "seq", vmerge=vmerge))
        xml_rows.append(f"<w:tr>{''.join(cells)}</w:tr>")

    parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(xml_rows)}</w:tbl>")
    tbl.extend(list(parsed))


# ------------------------------------------------------------------------------ csv

_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(text: str) -> str:
    """Keep spreadsheets from running cell text as a formula (prefix "'")."""
    return "'" + text if text.startswith(_CSV_FORMULA_START) else text


def csv_rows(sheets: Sequence[ExportSheet]) -> Iterable[list[str]]:
    """The CSV body, row by row (without the header row)."""
    for sheet in sheets:
        for n, raw in enumerate(sheet.rows, 1):
            row = _normalise(raw)

            def tick(element, code, row=row):
                return TICK if code in row[element] else ""

            yield [
                row.get("domain_name") or sheet.domain_name or "",
                row.get("agency_name") or sheet.agency_name or "",
                str(n),
                row["code"],
                row["level1"],
                row["level2"],
                row["level3"],
                row["content"],
                row["basis"],
                row["time_limit_text"],
                row["subject_text"],
                "、".join(channel_names(row["channels"])),
                row["channels_other"],
                tick("audience", "public"),
                tick("audience", "specific"),
                row["audience_note"],
                tick("mode", "proactive"),
                tick("mode", "on_request"),
                *(tick("levels", code) for code, _ in LEVELS),
            ]


def write_csv(sheets: list[ExportSheet], out) -> None:
    """One CSV, UTF-8 with a BOM (so Excel reads it), a single header row, all sheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with _Sink(out) as sink:
        sink.write("\ufeff")  # the BOM, written as UTF-8
        writer.writerow(CSV_COLUMNS)
        for n, row in enumerate(csv_rows(list(sheets)), 1):
            writer.writerow([_csv_safe(v) for v in row])
            if n % 2000 == 0:
                sink.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
        sink.write(buffer.getvalue())


# ----------------------------------------------------------------------------- json


def json_document(sheets: Sequence[ExportSheet]) -> dict:
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "sheets": [
            {
                "title": sheet.title,
                "domain_name": sheet.domain_name,
                "agency_name": sheet.agency_name,
                "rows": [_normalise(row) for row in sheet.rows],
            }
            for sheet in sheets
        ],
    }


def write_json(sheets: list[ExportSheet], out) -> None:
    """Gongkai's own format: every element as stored, lists as lists of codes."""
    text = json.dumps(json_document(list(sheets)), ensure_ascii=False, indent=1)
    with _Sink(out) as sink:
        sink.write(text + "\n")
