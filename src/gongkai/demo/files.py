"""Small, real attachment files for the demo records: PDF, Word (docx) and Excel (xlsx).

The PDF is written by hand (as tests/disclosure/builders.py does) with the standard
Adobe CJK font STSong-Light and the UniGB-UCS2-H encoding, so Chinese text needs no
embedded font file, renders in common viewers and comes back out of pypdf's text
extraction (which the privacy screen and the search index read).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

# A4 in points; 12-point text with a 72-point margin holds about 37 CJK characters a line.
PAGE_WIDTH, PAGE_HEIGHT = 595, 842
LINE_CHARS = 36
LINES_PER_PAGE = 48


def _wrap(lines: Iterable[str], width: int = LINE_CHARS) -> list[str]:
    out: list[str] = []
    for line in lines:
        line = line.rstrip().replace("\t", "　　")  # table cells: the font has no tab glyph
        if not line:
            out.append("")
            continue
        while line:
            out.append(line[:width])
            line = line[width:]
    return out


def _pdf_string(text: str) -> str:
    # UniGB-UCS2-H takes UCS-2 big-endian codes; characters outside the BMP are dropped.
    return "<" + "".join(f"{ord(c):04X}" for c in text if ord(c) <= 0xFFFF) + ">"


def _content_stream(title: str, lines: list[str]) -> bytes:
    ops = ["BT", "/F1 16 Tf", f"72 {PAGE_HEIGHT - 80} Td", "24 TL", f"{_pdf_string(title)} Tj"]
    ops += ["/F1 12 Tf", "20 TL", "T*", "T*"]
    ops += [f"{_pdf_string(line)} Tj T*" for line in lines]
    ops.append("ET")
    return "\n".join(ops).encode("ascii")


def make_pdf(title: str, lines: Sequence[str]) -> bytes:
    """A well-formed PDF: a title and wrapped lines of text, one page per 48 lines."""
    wrapped = _wrap(lines) or [""]
    pages = [wrapped[i : i + LINES_PER_PAGE] for i in range(0, len(wrapped), LINES_PER_PAGE)]
    font = 3  # object numbers: 1 catalog, 2 pages, 3-5 font, then (page, content) pairs
    first_page = 6
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages)))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [4 0 R] >>",
        # CIDs 1-95 and 814-939 are the half-width Latin glyphs of Adobe-GB1.
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor 5 0 R /DW 1000 /W [1 95 500 814 939 500] >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    for i, page_lines in enumerate(pages):
        content = first_page + 2 * i + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>".encode()
        )
        stream = _content_stream(title if i == 0 else "", page_lines)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return pdf_from_objects(objects)


def pdf_from_objects(objects: Sequence[bytes], version: str = "1.4") -> bytes:
    """A PDF file from its numbered objects (1 is the catalog): header, the objects,
    an xref table with their byte offsets, trailer."""
    out = io.BytesIO()
    out.write(b"%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n" % version.encode())
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def make_docx(title: str, paragraphs: Sequence[str], table: Sequence[Sequence[str]] = ()) -> bytes:
    """A Word document: a heading, paragraphs and an optional table (first row = header)."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=0, cols=len(table[0]))
        grid.style = "Table Grid"
        for row in table:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx(title: str, rows: Sequence[Sequence[object]]) -> bytes:
    """A one-sheet workbook: the title in A1, then the rows (first row = header)."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    for row in rows:
        sheet.append(list(row))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
