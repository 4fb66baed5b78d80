"""The privacy screen applied to a record: title, 文号, 发文机关, body (its text and the
attribute values that survive sanitising: img alt/src, link addresses), and each
attachment's file name and text.

Findings (privacy.screen.Finding.as_dict(): masked values only, never the raw number) are
stored on the record with where they are (标题 / 文号 / 发文机关 / 正文 / 正文属性 /
附件《…》 / 附件《…》的文件名, line and context; file names shown masked).
Attachments without a text layer (images, scanned PDFs) give *warnings*: they are shown to
the reviewer to check by eye but do not block publication, since no OCR runs. (Files whose
text cannot be read at all — damaged, password-protected — are refused at upload.)

An override (services.override_screen) holds for one set of findings, identified by
``digest``: any finding added later blocks publication again.
"""

from __future__ import annotations

import hashlib
import json

from django.utils import timezone
from lxml import html as lxml_html

from gongkai.privacy.screen import mask_text, screen_text

from .attachments import IMAGE_KINDS
from .sanitize import BLOCK_TAGS, CELL_TAGS, SCREENED_ATTRIBUTES, attribute_text, sanitize_html


def sources(record) -> list[tuple[str, str]]:
    """(where, text) pairs the screen reads: everything that is published with the record."""
    out = [
        ("标题", record.title),
        ("文号", record.doc_number),
        ("发文机关", record.issuer),
        ("正文", record.body_text()),
        ("正文属性", attribute_text(record.body)),  # img alt/src, link addresses
    ]
    if record.pk:
        for a in record.attachments.all():
            out.append((f"{_label(a)}的文件名", _name_text(a.original_name)))
            if a.extracted_text:
                out.append((_label(a), a.extracted_text))
    return [(where, text) for where, text in out if text]


def _name_text(name: str) -> str:
    # "名单_110105…" : an underscore is a word character, so the number would not stand
    # apart and the screen would miss it. Same length, so offsets and masks line up.
    return name.replace("_", " ")


def _label(attachment) -> str:
    """附件《name》 with personal data in the name masked: findings never hold a raw number."""
    name = attachment.original_name
    masked = mask(_name_text(name))  # same length as the name
    kept = (o if o == "_" and m == " " else m for o, m in zip(name, masked, strict=True))
    return f"附件《{''.join(kept)}》"


def warnings(record) -> list[str]:
    if not record.pk:
        return []
    out = []
    for a in record.attachments.all():
        if a.kind in IMAGE_KINDS:
            out.append(f"{_label(a)}是图片，无法自动识别其中的文字，请人工核查。")
        elif not a.extracted_text.strip():
            out.append(f"{_label(a)}没有可提取的文字（可能是扫描件），请人工核查。")
    return out


def screen(record) -> list[dict]:
    """Screen the record now and store the result on it (the caller saves)."""
    findings: list[dict] = []
    for where, text in sources(record):
        findings += [f.as_dict() for f in screen_text(text, source=where)]
    record.screen_findings = findings
    record.screen_warnings = warnings(record)
    record.screened_at = timezone.now()
    return findings


def digest(findings: list[dict]) -> str:
    """What an override was given for: the findings without their offsets (an edit
    elsewhere in the text does not void it; a new or different finding does)."""
    keys = sorted(
        json.dumps(
            [f.get("kind"), f.get("source"), f.get("masked"), f.get("word"), f.get("context")],
            ensure_ascii=False,
        )
        for f in findings
    )
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def summary(findings: list[dict]) -> str:
    counts: dict[str, int] = {}
    for f in findings:
        label = f.get("label") or f.get("kind", "")
        counts[label] = counts.get(label, 0) + 1
    return "，".join(f"{label}{n}处" for label, n in counts.items())


def mask(text: str) -> str:
    return mask_text(text) if text else text


def mask_html(value: str) -> str:
    """Mask personal data inside a sanitised body, also where a number spans inline tags
    (2201<b>02…</b>): the text nodes are screened as the reader sees them and changed
    character by character, the markup is kept."""
    if not value or not value.strip():
        return value
    root = lxml_html.fragment_fromstring(value, create_parent="div")
    segments: list[tuple[object, str]] = []
    chars: list[str] = []
    where: list[tuple[int, int] | None] = []

    def add(el, attr: str) -> None:
        text = getattr(el, attr)
        if text:
            segments.append((el, attr))
            for k, ch in enumerate(text):
                chars.append(ch)
                where.append((len(segments) - 1, k))

    def brk() -> None:
        chars.append("\n")
        where.append(None)

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag in BLOCK_TAGS or tag in CELL_TAGS
        if block:
            brk()
        add(el, "text")
        for child in el:
            walk(child)
        if block:
            brk()
        if el is not root:
            add(el, "tail")

    walk(root)
    attributes_changed = _mask_attributes(root)
    plain = "".join(chars)
    masked = mask_text(plain)
    if masked == plain and not attributes_changed:
        return value
    if len(masked) != len(plain):  # mask_text keeps the length; never corrupt the body
        raise ValueError("遮盖结果长度不一致。")
    pieces = [list(getattr(el, attr)) for el, attr in segments]
    for i, (old, new) in enumerate(zip(plain, masked, strict=True)):
        if old != new and where[i] is not None:
            seg, k = where[i]
            pieces[seg][k] = new
    for (el, attr), piece in zip(segments, pieces, strict=True):
        setattr(el, attr, "".join(piece))
    out = lxml_html.tostring(root, encoding="unicode")
    return sanitize_html(out.removeprefix("<div>").removesuffix("</div>"))


def _mask_attributes(root) -> bool:
    """Mask the attribute values the screen reads (img alt/src, a href: sanitize's
    SCREENED_ATTRIBUTES) in place; whether any changed."""
    changed = False
    for el in root.iter("img", "a"):
        for tag, attr in SCREENED_ATTRIBUTES:
            value = el.get(attr) if el.tag == tag else None
            if value:
                masked = mask_text(value)
                if masked != value:
                    el.set(attr, masked)
                    changed = True
    return changed


def extract(data: bytes, filename: str) -> tuple[str, str]:
    """(text, error) of an attachment for the screen and the search index; the error is
    privacy.extract's Chinese message when the text cannot be read."""
    from gongkai.privacy.extract import ExtractError, extract_text

    try:
        return extract_text(data, filename) or "", ""
    except ExtractError as exc:
        return "", str(exc) or "无法读取"
