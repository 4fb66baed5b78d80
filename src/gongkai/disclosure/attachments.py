"""Attachment checks: the type comes from the file's content, never from its name.

Allowed: PDF, Word (docx), Excel (xlsx), OFD (the Chinese fixed-layout standard GB/T 33190:
a zip whose root holds OFD.xml), PNG, JPEG and GIF images. Magic numbers are read by
``filetype`` (pure Python, no libmagic); zip containers are opened to tell docx, xlsx and
OFD apart (their magic number is the same) and refused when they look like a zip bomb or are
encrypted. The size limit is ``GONGKAI_ATTACHMENT_MAX_MB`` (default 20).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

DEFAULT_MAX_MB = 20
# A container is refused when its contents would expand beyond this, or with too many parts.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
MAX_RATIO = 200  # deflate rarely beats ~20:1 on office XML; bombs reach thousands


@dataclass(frozen=True)
class Kind:
    code: str
    content_type: str
    label: str
    extensions: tuple[str, ...]


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("pdf", "application/pdf", "PDF文档", (".pdf",)),
        Kind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word文档（docx）",
            (".docx",),
        ),
        Kind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel表格（xlsx）",
            (".xlsx",),
        ),
        Kind("ofd", "application/ofd", "OFD版式文档", (".ofd",)),
        Kind("png", "image/png", "PNG图片", (".png",)),
        Kind("jpeg", "image/jpeg", "JPEG图片", (".jpg", ".jpeg")),
        Kind("gif", "image/gif", "GIF图片", (".gif",)),
    )
}
IMAGE_KINDS = frozenset({"png", "jpeg", "gif"})

# Names for what is recognised but refused, so the message says what the file really is.
_REFUSED_NAMES = {
    "exe": "可执行程序",
    "elf": "可执行程序",
    "dmg": "安装包",
    "zip": "ZIP压缩包",
    "rar": "RAR压缩包",
    "7z": "7z压缩包",
    "gz": "gzip压缩包",
    "tar": "tar归档文件",
    "doc": "旧版Word文档（doc）或加密的Office文件",
    "xls": "旧版Excel表格（xls）或加密的Office文件",
    "ppt": "旧版PowerPoint演示文稿（ppt）",
    "pptx": "PowerPoint演示文稿（pptx）",
    "odt": "OpenDocument文档",
    "ods": "OpenDocument表格",
    "rtf": "RTF文档",
    "swf": "Flash文件",
    "webp": "WebP图片",
    "bmp": "BMP图片",
    "tif": "TIFF图片",
    "heic": "HEIC图片",
    "mp4": "视频文件",
    "mp3": "音频文件",
}
ALLOWED_TEXT = "PDF、Word（docx）、Excel（xlsx）、OFD、PNG、JPEG、GIF"


def max_bytes() -> int:
    return int(getattr(settings, "GONGKAI_ATTACHMENT_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def clean_name(name: str | None) -> str:
    """The uploaded file's own name, for display only (never used as a path)."""
    base = PurePath(str(name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:200]
    return base or "附件"


def check_attachment(data: bytes, filename: str) -> Kind:
    """The file's kind by content; ValidationError (Chinese) when it must be refused."""
    size = len(data)
    if size == 0:
        raise ValidationError("附件是空文件（0字节）。")
    if size > max_bytes():
        raise ValidationError(
            f"附件大小为 {_mb(size)}，超过上限 {_mb(max_bytes())}。请压缩或拆分后再上传。"
        )
    kind = sniff(data)
    ext = PurePath(filename or "").suffix.lower()
    if ext and ext not in kind.extensions:
        raise ValidationError(
            f"文件扩展名是“{ext}”，但内容实际上是{kind.label}。请确认选择了正确的文件。"
        )
    return kind


def sniff(data: bytes) -> Kind:
    guess = filetype.guess(data[:8192] if len(data) > 8192 else data)
    found = guess.extension if guess else None
    if found in ("zip", "docx", "xlsx", "pptx", "odt", "ods"):
        return _sniff_zip(data)
    if found == "jpg":
        found = "jpeg"
    if found in KINDS:
        if found == "pdf" and b"%%EOF" not in data[-2048:]:
            raise ValidationError("PDF文件不完整（缺少文件结尾），可能已损坏或未上传完整。")
        return KINDS[found]
    what = _REFUSED_NAMES.get(found or "", "无法识别类型的文件" if not found else f"{found}文件")
    raise ValidationError(f"不支持上传{what}。附件只能是{ALLOWED_TEXT}。")


def _sniff_zip(data: bytes) -> Kind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError("文件已损坏，无法打开。") from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ValidationError("文件包含的部件过多，无法安全处理。")
    if any(info.flag_bits & 0x1 for info in infos):
        raise ValidationError("文件已加密（设置了密码），请去除密码后再上传。")
    unzipped = sum(info.file_size for info in infos)
    if unzipped > MAX_UNZIPPED_BYTES or unzipped > MAX_RATIO * max(len(data), 1):
        raise ValidationError("文件解压后体积异常（疑似压缩炸弹），无法安全处理。")
    names = {info.filename for info in infos}
    if "word/document.xml" in names and "[Content_Types].xml" in names:
        return KINDS["docx"]
    if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
        return KINDS["xlsx"]
    if "OFD.xml" in names:
        return KINDS["ofd"]
    if "ppt/presentation.xml" in names:
        raise ValidationError(f"不支持上传{_REFUSED_NAMES['pptx']}。附件只能是{ALLOWED_TEXT}。")
    raise ValidationError(f"不支持上传ZIP压缩包。附件只能是{ALLOWED_TEXT}。")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"
