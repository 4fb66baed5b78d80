"""Readers: a file → the tables in it, as `SourceTable`s of plain strings.

Formats (recognised by content, see safety.sniff): xlsx, xls and ods through
python-calamine; docx through python-docx's package/XML (own grid logic for merged
cells); HTML through lxml.html; CSV with the standard library. JSON is Gongkai's own
format and is read by the import service, not here (`read_tables` returns []).

Cells are strings as a user sees them: integral numbers without ".0", dates as ISO
dates, merged cells with the text in the top-left cell and "" elsewhere (the ranges in
`SourceTable.merged`, as 0-based inclusive indices into `rows`). Completely blank rows
are dropped (`row_numbers` keep the position in the file), trailing empty columns are
trimmed and every row of a table has the same length.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from pathlib import Path

from .model import ExchangeError, SourceTable
from .safety import KINDS, MSG_CORRUPT, MSG_PASSWORD, CheckedFile, Limits, check_file, decode_text

log = logging.getLogger(__name__)


def read_tables(
    path, limits: Limits | None = None, *, kind: str | None = None
) -> list[SourceTable]:
    """All tables in the file at `path`. Raises ExchangeError (message in Chinese) for a
    file that cannot be imported at all. `kind` forces the format (one of safety.KINDS);
    by default it is recognised from the content."""
    limits = limits or Limits.from_settings()
    checked = check_file(path, limits)
    kind = kind or checked.kind
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if kind == "json":
        return []
    reader = {
        "xlsx": _read_workbook,
        "xls": _read_workbook,
        "ods": _read_workbook,
        "docx": _read_docx,
        "html": _read_html,
        "csv": _read_csv,
    }[kind]
    try:
        tables = reader(Path(path), limits, checked)
    except ExchangeError:
        raise
    except MemoryError as exc:
        raise ExchangeError("文件内容过多，超出了可处理的范围，请拆分后再导入。") from exc
    except Exception as exc:
        # Libraries raise all sorts of things on broken files; the user gets one message.
        log.warning("could not read %s as %s", path, kind, exc_info=True)
        raise ExchangeError(MSG_CORRUPT) from exc
    except BaseException as exc:
        # a Rust panic inside calamine surfaces as pyo3's PanicException (a BaseException)
        if type(exc).__name__ != "PanicException":
            raise
        log.warning("reader panicked on %s as %s", path, kind, exc_info=True)
        raise ExchangeError(MSG_CORRUPT) from exc
    if not tables:
        raise ExchangeError(_NOTHING_FOUND[kind])
    return tables


_NOTHING_FOUND = {
    "xlsx": "工作簿中所有工作表都是空的，没有可导入的内容。",
    "xls": "工作簿中所有工作表都是空的，没有可导入的内容。",
    "ods": "工作簿中所有工作表都是空的，没有可导入的内容。",
    "docx": "Word文档中没有找到表格。请确认目录是以表格形式编排的。",
    "html": "网页中没有找到表格（至少两行两列的<table>）。",
    "csv": "CSV文件中没有内容。",
}


# ---------------------------------------------------------------------------- common


class _Budget:
    """Counts cells over all tables of a file against limits.max_cells."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.used = 0

    def take(self, n: int, where: str) -> None:
        self.used += n
        if self.used > self.limits.max_cells:
            raise ExchangeError(
                f"{where}的单元格总数超过导入上限 {self.limits.max_cells}，请拆分后再导入。"
            )


def _too_long(limits: Limits, where: str, row: int, col: int) -> ExchangeError:
    return ExchangeError(
        f"{where}第{row}行第{col}列的内容超过{limits.max_cell_chars}字，请检查文件。"
    )


def _check_chars(rows, row_numbers, limits: Limits, where: str, col_offset: int = 0) -> None:
    top = limits.max_cell_chars
    for row, number in zip(rows, row_numbers, strict=True):
        if row and max(map(len, row)) > top:
            j = next(j for j, c in enumerate(row) if len(c) > top)
            raise _too_long(limits, where, number, j + 1 + col_offset)


def _finish(
    name: str,
    rows: list[list[str]],
    numbers: list[int],
    titles: list[str],
    merged: list[tuple[int, int, int, int]],
    *,
    no_blank_rows: bool = False,
) -> SourceTable | None:
    """Drop blank rows, trim trailing empty columns, pad rows, remap merged ranges."""
    if no_blank_rows:
        keep = range(len(rows))
    else:
        keep = [i for i, row in enumerate(rows) if "".join(row).strip()]
    if not keep:
        return None
    if len(keep) != len(rows):
        position = {}
        for new, old in enumerate(keep):
            position[old] = new
        remapped = []
        for r0, c0, r1, c1 in merged:
            inside = [position[r] for r in range(r0, r1 + 1) if r in position]
            if inside and (len(inside) > 1 or c1 > c0):
                remapped.append((inside[0], c0, inside[-1], c1))
        merged = remapped
        rows = [rows[i] for i in keep]
        numbers = [numbers[i] for i in keep]
    width = max(map(len, rows))
    while width and not any(len(r) >= width and r[width - 1].strip() for r in rows):
        width -= 1
    rows = [
        r if len(r) == width else (r[:width] if len(r) > width else r + [""] * (width - len(r)))
        for r in rows
    ]
    merged = [
        (r0, c0, r1, min(c1, width - 1))
        for r0, c0, r1, c1 in merged
        if c0 < width and (r1 > r0 or min(c1, width - 1) > c0)
    ]
    return SourceTable(name=name, rows=rows, row_numbers=numbers, titles=titles, merged=merged)


# ---------------------------------------------------------------------------- workbooks


def _cell_str(value) -> str:
    """A calamine value as the text a user sees."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _read_workbook(path: Path, limits: Limits, checked: CheckedFile) -> list[SourceTable]:
    """xlsx/xls/ods with python-calamine.

    Formulas: calamine returns the value Excel/WPS cached when saving the file. A formula
    without a cached value (files written by some generators, e.g. openpyxl) reads as an
    empty cell; for xlsx, safety.check_file finds such cells and we refuse the file rather
    than import blanks. For xls/ods the cached value is always stored by the writers.
    Hidden sheets are skipped (what is imported is what the user sees).
    """
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    _refuse_formulas(checked)
    budget = _Budget(limits)
    tables = []
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except PasswordError as exc:
        raise ExchangeError(MSG_PASSWORD) from exc
    except Exception as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ExchangeError(MSG_PASSWORD) from exc
        raise
    with wb:
        for meta in wb.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
                continue
            name = meta.name
            try:
                sheet = wb.get_sheet_by_name(name)
            except PasswordError as exc:
                raise ExchangeError(MSG_PASSWORD) from exc
            where = f"工作表“{name}”"
            start = sheet.start
            if start is None or not sheet.height or not sheet.width:
                continue
            budget.take(sheet.height * sheet.width, where)
            merged_sheet = sheet.merged_cell_ranges
            if merged_sheet is None:
                merged_sheet = checked.ods_merges.get(name, [])
            else:
                merged_sheet = [(a[0], a[1], b[0], b[1]) for a, b in merged_sheet]
            table = _sheet_table(name, sheet.to_python(), start, merged_sheet, limits, where)
            if table is not None:
                tables.append(table)
    return tables


_STR_ONLY = {str}


def _sheet_table(name, raw, start, merged_sheet, limits: Limits, where: str):
    r0, c0 = start
    top = limits.max_cell_chars
    conv = _cell_str
    str_only = _STR_ONLY
    blank = []
    # the hot loop (100 000 rows × 14 cells in the benchmark): rows of strings as they are
    for i, row in enumerate(raw):
        if set(map(type, row)) != str_only:
            # numbers are mostly 序号: integral floats, converted inline
            row = raw[i] = [
                c
                if c.__class__ is str
                else str(int(c))
                if c.__class__ is float and c.is_integer() and -1e16 < c < 1e16
                else conv(c)
                for c in row
            ]
        joined = "".join(row)
        if len(joined) > top and max(map(len, row)) > top:
            j = next(j for j, c in enumerate(row) if len(c) > top)
            raise _too_long(limits, where, r0 + i + 1, c0 + j + 1)
        if not joined.strip():
            blank.append(i)
    height = len(raw)
    width = len(raw[0]) if raw else 0
    merged = []
    covered = 0
    for a, b, c, d in merged_sheet:
        a, b, c, d = a - r0, b - c0, c - r0, d - c0
        a, b = max(a, 0), max(b, 0)
        c, d = min(c, height - 1), min(d, width - 1)
        if a > c or b > d or (a == c and b == d):
            continue
        merged.append((a, b, c, d))
        covered += (c - a + 1) * (d - b + 1)
        if covered > height * width:  # real merges never overlap
            raise ExchangeError(f"{where}的合并单元格相互重叠，文件结构异常，请检查文件。")
        # covered cells show nothing in Excel/WPS, whatever the file holds
        for r in range(a, c + 1):
            row = raw[r]
            for col in range(b, d + 1):
                if (r != a or col != b) and row[col]:
                    row[col] = ""
                    if not "".join(row).strip():
                        blank.append(r)
    numbers = range(r0 + 1, r0 + 1 + height)
    return _finish(name, raw, list(numbers), [name], merged, no_blank_rows=not blank)


def _refuse_formulas(checked: CheckedFile) -> None:
    if not checked.formulas_without_value:
        return
    names = {m: n for n, m in checked.sheet_members.items()}
    member, refs = next(iter(checked.formulas_without_value.items()))
    sheet = names.get(member, member)
    shown = "、".join(r for r in refs if r and r != "…")
    more = "等" if "…" in refs or len(checked.formulas_without_value) > 1 else ""
    raise ExchangeError(
        f"工作表“{sheet}”中的公式单元格（{shown}{more}）没有保存计算结果，导入后会是空白。"
        "请用 Excel 或 WPS 打开文件并保存后再导入，或把公式复制后“选择性粘贴为数值”。"
    )


# ---------------------------------------------------------------------------- docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

# Symbol fonts used for checkboxes in Word (w:sym or text in a run set in the font).
_SYMBOLS = {
    "wingdings": {
        0x6E: "■",
        0x6F: "□",
        0x71: "❑",
        0x72: "❒",
        0xA8: "□",
        0xFE: "☑",
        0xFD: "☒",
        0xFC: "✓",
        0xFB: "✗",
        0x6C: "●",
        0xA1: "○",
    },
    "wingdings 2": {0x52: "☑", 0x54: "☒", 0xA3: "□", 0x50: "✓", 0x4F: "✗", 0x51: "☒"},
    "symbol": {0xD6: "√", 0xB4: "×"},
}


def _symbol(font: str | None, code: int) -> str | None:
    table = _SYMBOLS.get((font or "").strip().lower())
    if table is None:
        return None
    return table.get(code & 0xFF)


def _run_font(run) -> str | None:
    rpr = run.find(W + "rPr")
    if rpr is None:
        return None
    fonts = rpr.find(W + "rFonts")
    if fonts is None:
        return None
    return fonts.get(W + "ascii") or fonts.get(W + "hAnsi") or fonts.get(W + "eastAsia")


def _paragraph_text(p) -> str:
    parts = []
    has_fallback = any(True for _ in p.iter(MC_FALLBACK))
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "sym", W + "noBreakHyphen"):
        if has_fallback and any(a.tag == MC_FALLBACK for a in el.iterancestors()):
            continue
        tag = el.tag
        if tag == W + "t":
            text = el.text or ""
            if text:
                font = _run_font(el.getparent())
                if font and font.strip().lower() in _SYMBOLS:
                    text = "".join(_symbol(font, ord(ch)) or ch for ch in text)
                parts.append(text)
        elif tag == W + "tab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            if el.get(W + "type") in (None, "textWrapping"):
                parts.append("\n")
        elif tag == W + "sym":
            try:
                code = int(el.get(W + "char") or "0", 16)
            except ValueError:
                code = 0
            parts.append(_symbol(el.get(W + "font"), code) or "")
        else:
            parts.append("-")
    return "".join(parts)


def _blocks(container):
    """Block-level children (w:p, w:tbl), looking through content controls."""
    for child in container:
        tag = child.tag
        if tag in (W + "p", W + "tbl"):
            yield child
        elif tag in (W + "sdt", W + "customXml", W + "ins"):
            content = child.find(W + "sdtContent") if tag == W + "sdt" else child
            if content is not None:
                yield from _blocks(content)


def _row_cells(tr):
    for child in tr:
        if child.tag == W + "tc":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _row_cells(content)


def _table_rows(tbl):
    for child in tbl:
        if child.tag == W + "tr":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _table_rows(content)


def _cell_text(tc) -> str:
    lines = [_paragraph_text(p) for p in _blocks(tc) if p.tag == W + "p"]
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _val(el, tag: str, attr: str = "val"):
    pr = el.find(W + "tcPr") if tag != "gridBefore" else el.find(W + "trPr")
    if pr is None:
        return None
    found = pr.find(W + tag)
    if found is None:
        return None
    return found.get(W + attr, "")


def _int(value, default: int, cap: int) -> int:
    try:
        return max(1 if default else 0, min(cap, int(value)))
    except (TypeError, ValueError):
        return default


def _docx_grid(tbl, budget: _Budget, where: str, limits: Limits):
    grid_cols = tbl.find(W + "tblGrid")
    cap = max(64, len(grid_cols) if grid_cols is not None else 0)
    rows: list[list[str]] = []
    merged: list[list[int]] = []
    open_v: dict[int, list[int]] = {}  # start column → vertical merge being built
    for r, tr in enumerate(_table_rows(tbl)):
        row: list[str] = []
        col = _int(_val(tr, "gridBefore"), 0, cap)
        row.extend([""] * col)
        continued = set()
        for tc in _row_cells(tr):
            span = _int(_val(tc, "gridSpan"), 1, cap)
            vmerge = _val(tc, "vMerge")
            hmerge = _val(tc, "hMerge")
            if vmerge is not None and vmerge != "restart":
                row.extend([""] * span)
                rec = open_v.get(col)
                if rec is None and r > 0:
                    rec = [r - 1, col, r - 1, col + span - 1]
                    merged.append(rec)
                    open_v[col] = rec
                if rec is not None:
                    rec[2] = r
                    continued.add(col)
            elif hmerge is not None and hmerge != "restart" and merged and row:
                row.extend([""] * span)
                last = merged[-1]
                if last[0] == r and last[3] == col - 1:
                    last[3] = col + span - 1
                else:
                    merged.append([r, col - 1, r, col + span - 1])
            else:
                text = _cell_text(tc)
                if len(text) > limits.max_cell_chars:
                    raise _too_long(limits, where, r + 1, col + 1)
                row.append(text)
                row.extend([""] * (span - 1))
                if span > 1 or vmerge == "restart" or hmerge == "restart":
                    rec = [r, col, r, col + span - 1]
                    merged.append(rec)
                    if vmerge == "restart":
                        open_v[col] = rec
                        continued.add(col)
            col += span
            if col > 16384:
                raise ExchangeError(f"{where}的列数异常（超过16384列），已拒绝。")
        for c in list(open_v):
            if c not in continued:
                del open_v[c]
        budget.take(len(row), where)
        rows.append(row)
    merged_t = [tuple(m) for m in merged if m[2] > m[0] or m[3] > m[1]]
    return rows, merged_t


def _read_docx(path: Path, limits: Limits, checked: CheckedFile) -> list[SourceTable]:
    """Every table of a Word document, in document order.

    Titles are the (up to 3) non-empty paragraphs just before the table. A table that
    contains other tables (a layout frame) is not read itself; the tables inside are.
    """
    import docx

    document = docx.Document(str(path))
    budget = _Budget(limits)
    tables: list[SourceTable] = []
    recent: list[str] = []

    def walk(container):
        for block in _blocks(container):
            if block.tag == W + "p":
                text = _paragraph_text(block).strip()
                if text:
                    recent.append(text)
                    del recent[:-3]
                continue
            if any(True for _ in block.iterdescendants(W + "tbl")):
                for tr in _table_rows(block):
                    for tc in _row_cells(tr):
                        walk(tc)
                continue
            n = len(tables) + 1
            where = f"第{n}个表格"
            rows, merged = _docx_grid(block, budget, where, limits)
            table = _finish(f"表{n}", rows, list(range(1, len(rows) + 1)), list(recent), merged)
            recent.clear()
            if table is not None:
                tables.append(table)

    walk(document.element.body)
    return tables


# ---------------------------------------------------------------------------- html

_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "dd",
    "dt",
    "dl",
    "section",
    "article",
    "blockquote",
    "pre",
    "center",
    "address",
}
_TITLE_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "caption", "div", "center", "font"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "select", "option"}
_WS_RE = re.compile(r"[ \t\r\n\f\v\xa0]+")
_NL = "\x1e"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _decode_html(data: bytes) -> str:
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data)
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii").lower()
        if declared in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030"):
            declared = "gb18030"
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def _html_text(el) -> str:
    """Text of an element as a browser lays it out: <br> and blocks → new lines,
    whitespace collapsed, nested tables left out."""
    parts: list[str] = []

    def walk(node):
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            tag = tag.lower()
            if tag == "br":
                parts.append(_NL)
            elif tag == "table" or tag in _SKIP_TAGS or not tag:
                pass
            elif tag in _BLOCK_TAGS:
                parts.append(_NL)
                walk(child)
                parts.append(_NL)
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    lines = (_WS_RE.sub(" ", line).strip() for line in "".join(parts).split(_NL))
    return "\n".join(line for line in lines if line)


def _own_rows(table):
    rows = []
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if isinstance(c.tag, str) and c.tag.lower() == "tr")
    return rows


def _span(value, cap: int) -> int:
    try:
        n = int(str(value).strip().split(".")[0] or 1)
    except (TypeError, ValueError):
        return 1
    if n == 0:  # rowspan="0": to the end of the table
        return cap
    return max(1, min(cap, n))


def _html_grid(trs, budget: _Budget, where: str, limits: Limits):
    n_rows = len(trs)
    grid: list[list[str]] = [[] for _ in range(n_rows)]
    taken: list[set[int]] = [set() for _ in range(n_rows)]
    merged = []
    for r, tr in enumerate(trs):
        col = 0
        for td in tr:
            tag = td.tag.lower() if isinstance(td.tag, str) else ""
            if tag not in ("td", "th"):
                continue
            while col in taken[r]:
                col += 1
            rs = _span(td.get("rowspan", 1), n_rows - r)
            cs = _span(td.get("colspan", 1), 1000)
            budget.take(rs * cs, where)
            text = _html_text(td)
            if len(text) > limits.max_cell_chars:
                raise _too_long(limits, where, r + 1, col + 1)
            for rr in range(r, r + rs):
                row = grid[rr]
                if len(row) < col + cs:
                    row.extend([""] * (col + cs - len(row)))
                taken[rr].update(range(col, col + cs))
            grid[r][col] = text
            if rs > 1 or cs > 1:
                merged.append((r, col, r + rs - 1, col + cs - 1))
            col += cs
    return grid, merged


def _preceding(el, budget: int = 5000):
    """Elements before `el` in reverse document order (not its ancestors), stopping at a
    subtree that holds another table: a title belongs between two tables."""
    node = el
    while node is not None and budget > 0:
        prev = node.getprevious()
        if prev is None:
            node = node.getparent()
            continue
        node = prev
        if not isinstance(prev.tag, str):
            continue
        subtree = [d for d in prev.iter() if isinstance(d.tag, str)]
        if any(d.tag == "table" for d in subtree):
            return
        budget -= len(subtree)
        yield from reversed(subtree)


def _html_titles(table) -> list[str]:
    found: list[str] = []
    for el in _preceding(table):
        tag = el.tag.lower()
        if tag not in _TITLE_TAGS:
            continue
        if tag in ("div", "font") and any(
            isinstance(c.tag, str) and c.tag.lower() in _BLOCK_TAGS for c in el
        ):
            continue
        text = _WS_RE.sub(" ", _html_text(el).replace("\n", " ")).strip()
        if text and (not found or found[-1] != text) and len(text) <= 300:
            found.append(text)
            if len(found) == 3:
                break
    titles = list(reversed(found))
    caption = next(
        (c for c in table if isinstance(c.tag, str) and c.tag.lower() == "caption"), None
    )
    if caption is not None:
        text = _WS_RE.sub(" ", _html_text(caption).replace("\n", " ")).strip()
        if text:
            titles.append(text)
    return titles


def _read_html(path: Path, limits: Limits, checked: CheckedFile) -> list[SourceTable]:
    """Every leaf <table> with at least two rows and two columns. Tables that contain
    other tables are page layout and are not read themselves; their inner tables are."""
    import lxml.html

    text = _XML_DECL.sub("", _decode_html(path.read_bytes()), count=1)
    parser = lxml.html.HTMLParser(remove_comments=True, no_network=True)
    root = lxml.html.document_fromstring(text, parser=parser)
    budget = _Budget(limits)
    tables = []
    for table in root.iter("table"):
        if any(True for _ in table.iterdescendants("table")):
            continue
        trs = _own_rows(table)
        if len(trs) < 2:
            continue
        n = len(tables) + 1
        where = f"网页中第{n}个表格"
        grid, merged = _html_grid(trs, budget, where, limits)
        if max(map(len, grid), default=0) < 2:
            continue
        result = _finish(f"表{n}", grid, list(range(1, len(grid) + 1)), _html_titles(table), merged)
        if result is not None and len(result.rows) >= 2:
            tables.append(result)
    return tables


# ---------------------------------------------------------------------------- csv


def _delimiter(text: str) -> str:
    """The delimiter of the header: the first line holding any of , TAB ; (a title line
    above the table has none), whichever of them it holds most."""
    for line in text.splitlines()[:50]:
        counts = {d: line.count(d) for d in (",", "\t", ";")}
        best = max(counts, key=counts.get)
        if counts[best]:
            return best
    return ","


def _read_csv(path: Path, limits: Limits, checked: CheckedFile) -> list[SourceTable]:
    text = decode_text(path.read_bytes())
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = _delimiter(text[:65536])
    if csv.field_size_limit() <= limits.max_cell_chars:
        csv.field_size_limit(limits.max_cell_chars + 1)
    name = path.stem or "CSV"
    where = f"“{path.name}”"
    budget = _Budget(limits)
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            budget.take(len(row), where)
            rows.append(row)
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise ExchangeError(
                f"{where}第{len(rows) + 1}行的内容超过{limits.max_cell_chars}字，请检查文件。"
            ) from exc
        raise ExchangeError(f"CSV格式有误（第{len(rows) + 1}行附近）：{exc}") from exc
    numbers = list(range(1, len(rows) + 1))
    _check_chars(rows, numbers, limits, where)
    table = _finish(name, rows, numbers, [name], [])
    return [table] if table else []
