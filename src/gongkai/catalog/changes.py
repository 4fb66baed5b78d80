"""Dynamic updates of the catalog (动态更新): what changed since a date, and restoring versions.

"Changed since DATE" compares what the public saw at the start of DATE with what it
sees now, item by item: the public version then is the latest historical record before
DATE whose status was published. That gives three lists — added, changed (with a field
diff), retired/withdrawn — per agency and domain.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.org.permissions import EDIT_ROLES, require_role

from . import versions
from .models import CatalogItem, ItemStatus


@dataclass
class ChangeEntry:
    item: CatalogItem
    kind: str  # added | changed | retired
    changes: list[versions.FieldChange] = field(default_factory=list)
    at: dt.datetime | None = None

    @property
    def kind_label(self) -> str:
        return {"added": "新增", "changed": "变更", "retired": "停用"}[self.kind]


@dataclass
class ChangeReport:
    since: dt.date
    entries: list[ChangeEntry]

    def of(self, kind: str) -> list[ChangeEntry]:
        return [e for e in self.entries if e.kind == kind]

    @property
    def added(self) -> list[ChangeEntry]:
        return self.of("added")

    @property
    def changed(self) -> list[ChangeEntry]:
        return self.of("changed")

    @property
    def retired(self) -> list[ChangeEntry]:
        return self.of("retired")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def changed_since(
    since: dt.date, *, agency_code: str | None = None, domain_code: str | None = None
) -> ChangeReport:
    start = _start_of(since)
    items = CatalogItem.objects.filter(is_guideline=False).select_related("agency", "domain")
    if agency_code:
        items = items.filter(agency__code=agency_code)
    if domain_code:
        items = items.filter(domain__code=domain_code)
    touched = items.filter(updated_at__gte=start)
    history = CatalogItem.history.filter(
        id__in=touched.values("id"), history_date__lt=start
    ).order_by("id", "history_date", "history_id")
    before: dict[int, object] = {}
    for record in history:
        before[record.id] = record  # ends as the latest record before `since`
    entries = []
    for item in touched.order_by("domain__sort_order", "agency__sort_order", "id"):
        then = before.get(item.pk)
        was_public = then is not None and then.status == ItemStatus.PUBLISHED
        is_public = item.status == ItemStatus.PUBLISHED
        if is_public and not was_public:
            entries.append(ChangeEntry(item, "added", at=item.published_at))
        elif was_public and not is_public:
            entries.append(ChangeEntry(item, "retired", at=item.retired_at or item.updated_at))
        elif was_public and is_public:
            diff = [c for c in versions.diff(then, item) if c.field != "status"]
            if diff:
                entries.append(ChangeEntry(item, "changed", diff, at=item.published_at))
    return ChangeReport(since, entries)


@transaction.atomic
def restore_version(user, item: CatalogItem, history_id: int, note: str = "") -> CatalogItem:
    """Bring back the elements of an old version as a new version, submitted for review."""
    item = CatalogItem.objects.select_for_update().get(pk=item.pk)
    require_role(user, item.agency, EDIT_ROLES, "恢复历史版本")
    record = item.history.filter(history_id=history_id).first()
    if record is None:
        raise ValidationError("找不到该历史版本。")
    before = item.elements()
    for name in versions.DIFF_FIELDS:
        if name != "status":
            setattr(item, name, getattr(record, name))
    item.basis_documents = record.basis_documents
    item.subject_agency_id = record.subject_agency_id
    if item.elements() == before:
        raise ValidationError("该历史版本与当前内容相同，无需恢复。")
    number = item.history.filter(history_date__lte=record.history_date).count()
    if item.status == ItemStatus.PUBLISHED:  # off the public site until approved again
        from gongkai.channels.outbox import RETIRED, record_change

        record_change("item", CatalogItem.objects.get(pk=item.pk), RETIRED)
    item.status = ItemStatus.SUBMITTED
    item.submitted_by = user if getattr(user, "is_authenticated", False) else None
    item.submitted_at = timezone.now()
    item._history_user = item.submitted_by
    item._change_reason = f"恢复到第{number}版" + (f"：{note}" if note else "")
    item.save()
    # Submitted for review again: off the public search index until approved.
    from gongkai.search.indexing import unindex_items

    unindex_items([item.pk])
    audit.record(
        user,
        "catalog.restore",
        item,
        before=before,
        after=item.elements(),
        note=item._change_reason,
        agency_code=item.agency.code,
    )
    return item


REPORT_COLUMNS = (
    "类型",
    "公开领域",
    "编制单位",
    "一级事项",
    "二级事项",
    "时间",
    "变更内容",
    "链接",
)


def report_rows(report: ChangeReport, base_url: str = "") -> list[list[str]]:
    """The report as table rows (for csv/xlsx downloads and the command)."""
    rows = []
    for e in report.entries:
        rows.append(
            [
                e.kind_label,
                e.item.domain.name,
                e.item.agency.name,
                e.item.level1,
                e.item.level2,
                e.at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d")
                if e.at
                else "",
                "；".join(f"{c.label}：{c.old} → {c.new}" for c in e.changes),
                base_url + e.item.get_absolute_url()
                if e.item.status == ItemStatus.PUBLISHED
                else "",
            ]
        )
    return rows


def write_report(report: ChangeReport, fmt: str, out, base_url: str = "") -> None:
    """Write the report as csv (UTF-8 with BOM), xlsx or json to a binary stream or path."""
    import csv
    import io
    import json

    rows = report_rows(report, base_url)
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        wb = Workbook()
        ws = wb.active
        ws.title = "目录更新记录"
        ws.append([f"目录更新记录（自 {report.since:%Y-%m-%d} 起）"])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append(list(REPORT_COLUMNS))
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        for letter, width in zip("ABCDEFGH", (8, 14, 26, 18, 26, 12, 60, 40), strict=True):
            ws.column_dimensions[letter].width = width
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A3"
        wb.save(out)
        return
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(REPORT_COLUMNS)
        writer.writerows(rows)
        data = ("\ufeff" + text.getvalue()).encode("utf-8")
    elif fmt == "json":
        data = json.dumps(
            {
                "since": report.since.isoformat(),
                "entries": [dict(zip(REPORT_COLUMNS, row, strict=True)) for row in rows],
            },
            ensure_ascii=False,
            indent=2,
        ).encode("utf-8")
    else:
        raise ValueError(f"不支持的格式：{fmt}")
    if hasattr(out, "write"):
        out.write(data)
    else:
        with open(out, "wb") as fh:
            fh.write(data)
