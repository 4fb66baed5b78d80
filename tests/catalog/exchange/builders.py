"""Build realistic (and hostile) catalog files for the exchange tests.

Rows are dicts with the keys `level1, level2, content, basis, time_limit, subject,
channels (list of names), audience (list: 全社会/特定群体), mode (list: 主动/依申请),
levels (list: 县级/乡级)`; optional `level3` and `code`. `audience`, `mode` and `levels`
may also be None, a single string or "both" (as in catalog_samples.jsonl).

The layouts copy what county and town governments publish (see
../shared/reference/domain-facts.md §2): two header rows with merged cells, √ in the tick
columns, channels as a ■/□ checkbox list, 一级事项 merged down over its rows.
"""

from __future__ import annotations

import html
import io
import json
import struct
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "catalog_samples.jsonl"

# 公开渠道和载体 in template order (domain-facts §2.3).
CHANNELS = (
    "政府网站",
    "政府公报",
    "两微一端",
    "发布会/听证会",
    "广播电视",
    "纸质媒体",
    "公开查阅点",
    "政务服务中心",
    "便民服务站",
    "入户/现场",
    "社区/企事业单位/村公示栏（电子屏）",
    "精准推送",
)

STANDARD_TOP = [
    "序号",
    "公开事项",
    "",
    "公开内容（要素）",
    "公开依据",
    "公开时限",
    "公开主体",
    "公开渠道和载体",
    "公开对象",
    "",
    "公开方式",
    "",
    "公开层级",
    "",
]
STANDARD_SUB = [
    "",
    "一级事项",
    "二级事项",
    "",
    "",
    "",
    "",
    "",
    "全社会",
    "特定群体",
    "主动",
    "依申请",
    "县级",
    "乡级",
]
# (first column, last column) of the merges in the two header rows, 0-based.
STANDARD_HEADER_SPANS = [(1, 2), (8, 9), (10, 11), (12, 13)]
STANDARD_HEADER_TALL = [0, 3, 4, 5, 6, 7]

VARIANT_TOP = [
    "序号",
    "二级事项",
    "三级事项",
    "公开内容（要素）",
    "公开依据",
    "公开时限",
    "责任主体",
    "公开渠道",
    "公开对象",
    "",
    "公开方式",
    "",
    "公开层级",
    "",
]
VARIANT_SUB = [
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "全社会",
    "特定群众",
    "主动",
    "依申请",
    "县级",
    "乡、村级",
]
VARIANT_HEADER_SPANS = [(8, 9), (10, 11), (12, 13)]
VARIANT_HEADER_TALL = [0, 1, 2, 3, 4, 5, 6, 7]

CSV_HEADER = [
    "一级事项",
    "二级事项",
    "公开内容",
    "公开依据",
    "公开时限",
    "公开主体",
    "公开渠道和载体",
    "全社会",
    "特定群体",
    "主动",
    "依申请",
    "县级",
    "乡级",
]


# ---------------------------------------------------------------------------- rows


def load_samples(limit: int | None = None) -> list[dict]:
    """The real rows of catalog_samples.jsonl (with their `domain`)."""
    rows = []
    with SAMPLES.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows[:limit] if limit else rows


def sample_rows() -> list[dict]:
    """A few hand-written rows covering the awkward cases."""
    return [
        {
            "level1": "最低生活保障",
            "level2": "政策法规文件",
            "content": "《社会救助暂行办法》\n各地配套政策法规文件",
            "basis": "《政府信息公开条例》《社会救助暂行办法》",
            "time_limit": "信息形成或者变更之日起20个工作日内",
            "subject": "县民政局、各乡(镇)人民政府(街道办事处)",
            "channels": ["政府网站", "公开查阅点", "政务服务中心"],
            "audience": ["全社会"],
            "mode": ["主动"],
            "levels": ["县级", "乡级"],
        },
        {
            "level1": "最低生活保障",
            "level2": "办理服务",
            "content": "申请条件、办理流程、办理时限、咨询电话",
            "basis": "《最低生活保障审核审批办法（试行）》",
            "time_limit": "实时公开",
            "subject": "县民政局",
            "channels": [
                "政府网站",
                "两微一端",
                "社区/企事业单位/村公示栏（电子屏）",
                "管理部门网站",
            ],
            "audience": ["全社会"],
            "mode": ["主动"],
            "levels": ["县级"],
        },
        {
            "level1": "特困人员救助供养",
            "level2": "救助結果",  # traditional 結 kept on purpose
            "content": "救助對象姓名、所在村（居）、救助金額",
            "basis": "《社會救助暫行辦法》",
            "time_limit": "每季度的首个月20日",
            "subject": "各鄉鎮人民政府",
            "channels": ["入户/现场"],
            "audience": ["特定群体"],
            "mode": ["依申请"],
            "levels": ["乡级"],
        },
    ]


def _as_list(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return ["全社会", "特定群体"] if value == "both" else [value]
    return list(value)


def _norm_channel(name: str) -> str:
    return name.replace("(", "（").replace(")", "）").replace("、", "/")


def channel_text(channels, *, box=("■", "□"), other_prefix="其他：") -> str:
    """The checkbox list as printed in the template: every channel, ticked or not."""
    ticked, unticked = box
    wanted = {_norm_channel(c): c for c in channels or []}
    lines = []
    for name in CHANNELS:
        spelled = wanted.pop(name, None)
        lines.append(f"{ticked}{spelled}" if spelled else f"{unticked}{name}")
    extra = "、".join(wanted.values())
    lines.append(f"{ticked}{other_prefix}{extra}" if extra else f"{unticked}其他")
    return "\n".join(lines)


def _ticks(row: dict, mark: str, sub: list[str]) -> list[str]:
    aud = _as_list(row.get("audience"))
    mode = _as_list(row.get("mode"))
    levels = _as_list(row.get("levels"))
    values = {
        "全社会": "全社会" in aud,
        "特定群体": "特定群体" in aud,
        "特定群众": "特定群体" in aud or "特定群众" in aud,
        "主动": "主动" in mode,
        "依申请": "依申请" in mode,
        "县级": "县级" in levels,
        "乡级": "乡级" in levels,
        "乡、村级": "乡级" in levels or "乡、村级" in levels,
    }
    return [mark if values[s] else "" for s in sub]


def standard_cells(row: dict, n: int) -> list[str]:
    """One data row of the standard template (14 columns)."""
    return [
        str(n),
        row.get("level1") or "",
        row.get("level2") or "",
        row.get("content") or "",
        row.get("basis") or "",
        row.get("time_limit") or "",
        row.get("subject") or "",
        channel_text(row.get("channels")),
        *_ticks(row, "√", STANDARD_SUB[8:]),
    ]


def variant_cells(row: dict, n: int, code_prefix: int = 5) -> list[str]:
    """One data row of the variant layout (code, no 一级事项, 三级事项, plain channel names)."""
    return [
        row.get("code") or f"{code_prefix:02d}{n:02d}",
        row.get("level2") or "",
        row.get("level3") or "",
        row.get("content") or "",
        row.get("basis") or "",
        row.get("time_limit") or "",
        row.get("subject") or "",
        "、".join(row.get("channels") or []),
        *_ticks(row, "✓", VARIANT_SUB[8:]),
    ]


def csv_cells(row: dict) -> list[str]:
    return [
        row.get("level1") or "",
        row.get("level2") or "",
        row.get("content") or "",
        row.get("basis") or "",
        row.get("time_limit") or "",
        row.get("subject") or "",
        channel_text(row.get("channels")),
        *_ticks(row, "√", CSV_HEADER[7:]),
    ]


def level1_runs(rows: list[dict]) -> list[tuple[int, int]]:
    """(first, last) indices of consecutive rows sharing a 一级事项 (merged down in the file)."""
    runs = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or (rows[i].get("level1") or "") != (rows[start].get("level1") or ""):
            runs.append((start, i - 1))
            start = i
    return runs


def _layout(layout: str):
    if layout == "standard":
        return STANDARD_TOP, STANDARD_SUB, STANDARD_HEADER_SPANS, STANDARD_HEADER_TALL
    if layout == "variant":
        return VARIANT_TOP, VARIANT_SUB, VARIANT_HEADER_SPANS, VARIANT_HEADER_TALL
    raise ValueError(layout)


# ---------------------------------------------------------------------------- xlsx


def build_xlsx(
    path,
    sheets: dict[str, list[dict]],
    *,
    title_row: str | None = None,
    layout: str = "standard",
) -> Path:
    """A workbook, one sheet per entry, in the standard (or variant) template.

    `title_row` is written merged across the table above the headers; "{sheet}" in it
    is replaced by the sheet name (e.g. "{sheet}领域基层政务公开标准目录").
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    top, sub, spans, tall = _layout(layout)
    width = len(top)
    wb = Workbook()
    wb.remove(wb.active)
    wrap = Alignment(wrap_text=True, vertical="center")
    for index, (name, rows) in enumerate(sheets.items(), start=1):
        ws = wb.create_sheet(name)
        r = 1
        if title_row:
            ws.cell(r, 1, title_row.replace("{sheet}", name)).font = Font(bold=True, size=16)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            r += 1
        h1, h2 = r, r + 1
        for c, text in enumerate(top, start=1):
            if text:
                ws.cell(h1, c, text).font = Font(bold=True)
        for c, text in enumerate(sub, start=1):
            if text:
                ws.cell(h2, c, text).font = Font(bold=True)
        for c in tall:
            ws.merge_cells(start_row=h1, start_column=c + 1, end_row=h2, end_column=c + 1)
        for c0, c1 in spans:
            ws.merge_cells(start_row=h1, start_column=c0 + 1, end_row=h1, end_column=c1 + 1)
        first = h2 + 1
        for i, row in enumerate(rows):
            if layout == "standard":
                cells = standard_cells(row, i + 1)
            else:
                cells = variant_cells(row, i + 1, code_prefix=4 + index)
            for c, text in enumerate(cells, start=1):
                if text:
                    cell = ws.cell(first + i, c, text)
                    if "\n" in text:
                        cell.alignment = wrap
        if layout == "standard":
            for a, b in level1_runs(rows):
                if b > a:
                    for i in range(a + 1, b + 1):
                        ws.cell(first + i, 2).value = None
                    ws.merge_cells(
                        start_row=first + a, start_column=2, end_row=first + b, end_column=2
                    )
    wb.save(path)
    return Path(path) if isinstance(path, str | Path) else path


def build_big_xlsx(path, n_rows: int, *, sheet: str = "社会救助", title_row: str | None = None):
    """A large standard-template workbook, written quickly (write-only openpyxl, no merges
    in the data area; header merges added to the sheet XML afterwards)."""
    from openpyxl import Workbook

    samples = [r for r in load_samples() if r.get("level1")] or sample_rows()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    offset = 0
    if title_row:
        ws.append([title_row])
        offset = 1
    ws.append(STANDARD_TOP)
    ws.append(STANDARD_SUB)
    for i in range(n_rows):
        row = dict(samples[i % len(samples)])
        row["level2"] = f"{row.get('level2') or ''}{i}"
        ws.append(standard_cells(row, i + 1))
    wb.save(path)
    h1 = offset + 1
    refs = [f"{_col(c)}{h1}:{_col(c)}{h1 + 1}" for c in STANDARD_HEADER_TALL]
    refs += [f"{_col(a)}{h1}:{_col(b)}{h1}" for a, b in STANDARD_HEADER_SPANS]
    if title_row:
        refs.append(f"A1:{_col(len(STANDARD_TOP) - 1)}1")
    merge = (
        f'<mergeCells count="{len(refs)}">'
        + "".join(f'<mergeCell ref="{r}"/>' for r in refs)
        + "</mergeCells>"
    ).encode()
    _rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda d: d.replace(b"</sheetData>", b"</sheetData>" + merge),
    )
    return Path(path)


def _col(index: int) -> str:
    s = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return s


def _rewrite_member(path, member: str, change, *, add: dict[str, bytes] | None = None):
    """Rewrite one member of a zip file in place (and optionally add members)."""
    data = Path(path).read_bytes()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            content = zin.read(info.filename)
            if info.filename == member:
                content = change(content)
            zout.writestr(info.filename, content)
        for name, content in (add or {}).items():
            zout.writestr(name, content)
    Path(path).write_bytes(out.getvalue())


# ---------------------------------------------------------------------------- ods


def build_ods(
    path,
    sheets: dict[str, list[list[str]]],
    *,
    spans: dict[str, dict[tuple[int, int], tuple[int, int]]] | None = None,
    extra_xml: str = "",
) -> Path:
    """A minimal OpenDocument spreadsheet with string cells. `spans[sheet][(r, c)] =
    (rows, cols)` merges cells (the covered ones are written as covered-table-cell);
    `extra_xml` is appended inside the last table (for hostile cases)."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    body = []
    for name, rows in sheets.items():
        merges = (spans or {}).get(name, {})
        covered = {
            (r + i, c + j)
            for (r, c), (nr, nc) in merges.items()
            for i in range(nr)
            for j in range(nc)
            if i or j
        }
        body.append(f'<table:table table:name="{html.escape(name)}">')
        for r, row in enumerate(rows):
            body.append("<table:table-row>")
            for c, cell in enumerate(row):
                if (r, c) in covered:
                    body.append("<table:covered-table-cell/>")
                    continue
                attrs = ""
                if (r, c) in merges:
                    nr, nc = merges[(r, c)]
                    attrs = f' table:number-rows-spanned="{nr}" table:number-columns-spanned="{nc}"'
                if cell:
                    paras = "".join(
                        f"<text:p>{html.escape(line)}</text:p>" for line in cell.split("\n")
                    )
                    body.append(
                        f'<table:table-cell office:value-type="string"{attrs}>{paras}'
                        "</table:table-cell>"
                    )
                else:
                    body.append(f"<table:table-cell{attrs}/>")
            body.append("</table:table-row>")
        body.append("</table:table>")
    if extra_xml:
        body[-1] = extra_xml + body[-1]
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f"<office:body><office:spreadsheet>{''.join(body)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return Path(path)


def template_grid(rows: list[dict], title: str | None = None) -> list[list[str]]:
    """The standard template as a grid of strings (title row, two header rows, data)."""
    grid = [[title] + [""] * (len(STANDARD_TOP) - 1)] if title else []
    grid += [list(STANDARD_TOP), list(STANDARD_SUB)]
    grid += [standard_cells(row, i + 1) for i, row in enumerate(rows)]
    return grid


# ---------------------------------------------------------------------------- docx


def build_docx(path, tables: list[tuple[str, list[dict]]], *, intro: str = "附件1") -> Path:
    """A notice with one standard-template table per (title paragraph, rows)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    doc.add_paragraph("关于印发基层政务公开标准目录的通知")
    for n, (title, rows) in enumerate(tables):
        if intro:
            doc.add_paragraph(f"{intro}-{n + 1}" if n else intro)
        heading = doc.add_paragraph(title)
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        width = len(STANDARD_TOP)
        table = doc.add_table(rows=2 + len(rows), cols=width)
        table.style = "Table Grid"
        # row.cells once per row: table.cell(r, c) walks the whole table every time
        grid = [list(r.cells) for r in table.rows]
        for c in range(width):
            if STANDARD_TOP[c]:
                grid[0][c].text = STANDARD_TOP[c]
            if STANDARD_SUB[c]:
                grid[1][c].text = STANDARD_SUB[c]
        for i, row in enumerate(rows):
            for c, text in enumerate(standard_cells(row, i + 1)):
                if text:
                    grid[2 + i][c].text = text
        # merges after filling (python-docx joins the texts of merged cells)
        for a, b in level1_runs(rows):
            if b > a:
                for i in range(a + 1, b + 1):
                    grid[2 + i][1].text = ""
                grid[2 + a][1].merge(grid[2 + b][1]).text = rows[a].get("level1") or ""
        for c in STANDARD_HEADER_TALL:
            grid[0][c].merge(grid[1][c])
        for c0, c1 in STANDARD_HEADER_SPANS:
            grid[0][c0].merge(grid[0][c1])
        doc.add_paragraph("")
    doc.save(path)
    return Path(path)


# ---------------------------------------------------------------------------- html


def build_html(
    path, rows: list[dict], title: str, *, encoding: str = "utf-8", layout_table: bool = True
) -> Path:
    """A saved government page: navigation, a heading, the catalog as a <table> with
    rowspan/colspan headers and 一级事项 rowspans, channels separated by <br>."""
    e = html.escape
    out = [
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">',
        "<html><head>",
        f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">',
        f"<title>{e(title)}_示范县人民政府</title></head><body>",
        '<table class="nav"><tr><td>首页</td><td>政务公开</td></tr>'
        "<tr><td>信息公开目录</td><td>标准目录</td></tr></table>",
    ]
    if layout_table:
        out.append('<table width="100%"><tr><td>')
    out.append('<div class="article">')
    out.append(f'<h2 class="title">{e(title)}</h2>')
    out.append("<p>发布时间：2024-08-16 来源：县政务服务管理局</p>")
    out.append('<table border="1" cellspacing="0" class="MsoNormalTable">')
    out.append("<tr>")
    c = 0
    while c < len(STANDARD_TOP):
        span = next((b - a + 1 for a, b in STANDARD_HEADER_SPANS if a == c), 1)
        attr = f' colspan="{span}"' if span > 1 else ' rowspan="2"'
        out.append(f"<td{attr}><p><b>{e(STANDARD_TOP[c])}</b></p></td>")
        c += span
    out.append("</tr><tr>")
    for text in STANDARD_SUB:
        if text:
            out.append(f"<td>{e(text)}</td>")
    out.append("</tr>")
    starts = {a: b - a + 1 for a, b in level1_runs(rows)}
    for i, row in enumerate(rows):
        cells = standard_cells(row, i + 1)
        out.append("<tr>")
        for c, text in enumerate(cells):
            if c == 1:
                if i not in starts:
                    continue
                if starts[i] > 1:
                    out.append(f'<td rowspan="{starts[i]}">{e(text)}</td>')
                    continue
            out.append("<td>" + "<br/>".join(e(line) for line in text.split("\n")) + "</td>")
        out.append("</tr>")
    out.append("</table></div>")
    if layout_table:
        out.append("</td></tr><tr><td>版权所有：示范县人民政府</td></tr></table>")
    out.append("</body></html>")
    # pages declaring gb2312 are really GBK/GB18030 (browsers decode them so)
    codec = "gb18030" if encoding.lower() in ("gb2312", "gbk") else encoding
    Path(path).write_bytes("\n".join(out).encode(codec))
    return Path(path)


# ---------------------------------------------------------------------------- csv


def build_csv(path, rows: list[dict], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> Path:
    """A CSV export: one header row, √ ticks, the checkbox channel list in one cell."""
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(csv_cells(row))
    Path(path).write_bytes(buf.getvalue().encode(encoding))
    return Path(path)


# ---------------------------------------------------------------------------- hostile


def build_corrupt_zip(path, *, how: str = "truncated") -> Path:
    """A workbook whose zip is broken: cut in half ("truncated") or with its compressed
    sheet data overwritten ("garbled", the central directory still reads fine)."""
    tmp = Path(path).with_suffix(".tmp.xlsx")
    build_xlsx(tmp, {"社会救助": sample_rows() * 20}, title_row="社会救助领域基层政务公开标准目录")
    data = bytearray(tmp.read_bytes())
    tmp.unlink()
    if how == "truncated":
        data = data[: len(data) // 2]
    else:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
            info = z.getinfo("xl/worksheets/sheet1.xml")
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for i in range(start + 10, start + min(info.compress_size - 10, 400)):
            data[i] = (data[i] * 7 + 13) & 0xFF
    Path(path).write_bytes(bytes(data))
    return Path(path)


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e1c2a60000000049454e44ae426082"
)


def build_png(path) -> Path:
    """A 1×1 PNG (save it under an .xlsx name for the wrong-type case)."""
    Path(path).write_bytes(PNG_1PX)
    return Path(path)


def build_cfb(path, stream_names: list[str]) -> Path:
    """A minimal OLE2 compound file whose directory lists `stream_names` (empty streams).

    With "EncryptionInfo" and "EncryptedPackage" it is what Excel/WPS write for a
    password-protected xlsx; with "Workbook" it looks like an xls.
    """
    sector = 512
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    entries = ["Root Entry", *stream_names]
    n_dir_sectors = (len(entries) * 128 + sector - 1) // sector
    # sector 0: FAT; sectors 1..n: directory
    fat = [fat_sect] + [i + 2 for i in range(n_dir_sectors - 1)] + [end]
    fat += [free] * (sector // 4 - len(fat))
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # number of FAT sectors
    struct.pack_into("<I", header, 48, 1)  # first directory sector
    struct.pack_into("<I", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<IIII", header, 60, end, 0, end, 0)  # mini FAT, DIFAT
    difat = [0] + [free] * 108
    struct.pack_into("<109I", header, 76, *difat)

    def entry(name: str, kind: int, child: int, right: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, free, right, child)
        struct.pack_into("<II", raw, 116, end, 0)
        return bytes(raw)

    directory = bytearray()
    for i, name in enumerate(entries):
        if i == 0:
            directory += entry(name, 5, 1 if len(entries) > 1 else free, free)
        else:
            right = i + 1 if i + 1 < len(entries) else free
            directory += entry(name, 2, free, right)
    directory += b"\0" * (n_dir_sectors * sector - len(directory))
    Path(path).write_bytes(bytes(header) + struct.pack(f"<{sector // 4}I", *fat) + directory)
    return Path(path)


def build_encrypted_ooxml(path) -> Path:
    return build_cfb(path, ["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"])


def _minimal_xlsx_members() -> dict[str, bytes]:
    buf = io.BytesIO()
    build_xlsx(buf, {"社会救助": sample_rows()})
    with zipfile.ZipFile(buf) as z:
        return {n: z.read(n) for n in z.namelist()}


def build_zip_bomb(path, *, how: str = "declared") -> Path:
    """An xlsx-looking zip with a bomb in it, built in milliseconds.

    - "declared": a member whose headers declare 500 MB uncompressed (sizes patched);
    - "ratio": a member of 20 MB of zeros compressed to ~20 KB (ratio ~1000);
    - "lying": the same 20 MB member with its declared sizes patched down to 20 KB;
    - "entries": 2 500 tiny members.
    """
    members = _minimal_xlsx_members()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
        if how == "entries":
            for i in range(2500):
                z.writestr(f"xl/media/image{i}.bin", b"x")
        elif how == "declared":
            z.writestr("xl/worksheets/sheet9.xml", b"<x/>" * 256)
        else:
            payload = b"<worksheet>" + b"\0" * 20_000_000
            z.writestr("xl/worksheets/sheet9.xml", payload)
    data = bytearray(buf.getvalue())
    if how in ("declared", "lying"):
        fake = 500 * 1024 * 1024 if how == "declared" else 20_000
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
            info = z.getinfo("xl/worksheets/sheet9.xml")
        struct.pack_into("<I", data, info.header_offset + 22, fake)
        pos = data.find(b"PK\x01\x02")
        while pos != -1:
            name_len = struct.unpack_from("<H", data, pos + 28)[0]
            if data[pos + 46 : pos + 46 + name_len] == info.filename.encode():
                struct.pack_into("<I", data, pos + 24, fake)
                break
            pos = data.find(b"PK\x01\x02", pos + 4)
    Path(path).write_bytes(bytes(data))
    return Path(path)


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE sst [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol9;</t></si></sst>"""

XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"""


def build_billion_laughs_xlsx(path) -> Path:
    """A workbook whose sharedStrings.xml defines the billion-laughs entities."""
    build_xlsx(path, {"社会救助": sample_rows()})
    ct = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    _rewrite_member(
        path,
        "[Content_Types].xml",
        lambda d: d.replace(b"</Types>", ct + b"</Types>"),
        add={"xl/sharedStrings.xml": BILLION_LAUGHS},
    )
    return Path(path)


def build_xxe_docx(path) -> Path:
    """A Word document whose document.xml declares an external entity."""
    build_docx(path, [("社会救助领域基层政务公开标准目录", sample_rows())])
    _rewrite_member(path, "word/document.xml", lambda d: XXE)
    return Path(path)


def build_long_cell_xlsx(path, n_chars: int = 100_000) -> Path:
    """A standard workbook with a 100 000-character 公开内容 in its second data row."""
    rows = sample_rows()
    rows[1] = dict(rows[1], content="长" * n_chars)
    return build_xlsx(path, {"社会救助": rows}, title_row="{sheet}领域基层政务公开标准目录")


def build_far_cell_xlsx(path) -> Path:
    """Two cells, A1 and XFD1048576: a 5 KB file whose dense grid has 17 billion cells."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "社会救助"
    ws["A1"] = "序号"
    ws["XFD1048576"] = "x"
    wb.save(path)
    return Path(path)


def build_formula_xlsx(path) -> Path:
    """A standard workbook whose 序号 column holds formulas without cached values
    (as openpyxl and other generators write them)."""
    from openpyxl import load_workbook

    build_xlsx(path, {"社会救助": sample_rows()}, title_row="{sheet}领域基层政务公开标准目录")
    wb = load_workbook(path)
    ws = wb["社会救助"]
    for r in range(5, 5 + len(sample_rows()) - 1):
        ws.cell(r, 1).value = f"=A{r - 1}+1"
    wb.save(path)
    return Path(path)
