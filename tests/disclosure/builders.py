"""Test data builders: files with real content, a valid ID number, publishing."""

import io
import zipfile

from gongkai.catalog import services as catalog_services
from gongkai.catalog.models import Domain
from gongkai.demo.files import pdf_from_objects
from gongkai.disclosure import services

# GB 11643's own example number (check digit X): a valid 18-digit resident ID.
VALID_ID = "11010519491231002X"


def publish(people, record):
    """Submit by the editor, approve by the reviewer."""
    services.submit(people["editor"], record)
    return services.approve(people["reviewer"], record)


def published_item(people, zone, elements, **changes):
    domain = Domain.objects.get(code="social_assistance")
    item = catalog_services.create_item(
        people["editor"], zone["mzj"], domain, **{**elements, **changes}
    )
    catalog_services.transition(people["editor"], item, "submit")
    catalog_services.transition(people["reviewer"], item, "approve")
    return item


def make_pdf(text: str = "Notice 2026") -> bytes:
    """A small, well-formed one-page PDF (objects, xref table with byte offsets, trailer)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_from_objects(objects)


def make_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx(rows) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_ofd() -> bytes:
    return make_zip(
        {
            "OFD.xml": b'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD '
            b'xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>',
            "Doc_0/Document.xml": b"<ofd:Document/>",
        }
    )


def make_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def make_exe() -> bytes:
    """The start of a Windows PE executable (MZ header, PE signature)."""
    header = bytearray(256)
    header[0:2] = b"MZ"
    header[0x3C] = 0x80
    header[0x80:0x84] = b"PE\x00\x00"
    return bytes(header)
