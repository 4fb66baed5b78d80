"""Export service: catalog items → the standard template (xlsx, docx, csv, json)."""

from collections.abc import Iterable
from typing import BinaryIO

from django.db.models import QuerySet

from ..models import CatalogItem
from .model import ELEMENT_KEYS
from .writers import ExportSheet, sheet_title, write_csv, write_docx, write_json, write_xlsx

WRITERS = {"xlsx": write_xlsx, "docx": write_docx, "csv": write_csv, "json": write_json}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def item_row(item: CatalogItem) -> dict:
    row = {key: getattr(item, key) for key in ELEMENT_KEYS}
    for key in ("channels", "audience", "mode", "levels"):
        row[key] = list(row[key])
    row["agency_name"] = item.agency.name
    row["domain_name"] = item.domain.name
    row["status"] = item.status
    return row


def build_sheets(items: Iterable[CatalogItem], agency_name: str = "") -> list[ExportSheet]:
    """One sheet per domain, in the standard domain order."""
    sheets: dict[int, ExportSheet] = {}
    for item in items:
        sheet = sheets.get(item.domain_id)
        if sheet is None:
            sheet = ExportSheet(
                title=sheet_title(item.domain.name, agency_name),
                domain_name=item.domain.name,
                agency_name=agency_name,
                rows=[],
            )  # the writer widens the 公开层级 columns to every level the rows use
            sheets[item.domain_id] = sheet
        sheet.rows.append(item_row(item))
    return list(sheets.values())


def export_items(
    items: QuerySet[CatalogItem], fmt: str, out: BinaryIO | str, agency_name: str = ""
) -> int:
    """Write `items` in `fmt` to `out`; returns the number of items written."""
    if fmt not in WRITERS:
        raise ValueError(f"不支持的导出格式：{fmt}（支持 xlsx、docx、csv、json）")
    items = items.select_related("domain", "agency").order_by(
        "domain__sort_order", "domain__code", "agency__sort_order", "sort_order", "level1", "id"
    )
    sheets = build_sheets(items, agency_name)
    WRITERS[fmt](sheets, out)
    return sum(len(s.rows) for s in sheets)
