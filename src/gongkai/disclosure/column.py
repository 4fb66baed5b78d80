"""The disclosure column (政府信息公开专栏) and the catalog item's linkages (五关联):
column pages, annual reports, online service links and policy-document links.

Writes check permissions and are audited here (the admin is thin over them):

* pages and reports of one agency — that agency's admins (管理员);
* pages and reports of the whole government (``agency=None``) — users holding the Django
  permission ``disclosure.change_columnpage`` / ``disclosure.change_annualreport``
  (superusers, or whoever a superuser grants it to; as the working-day calendar does);
* service and policy links of an item — editors and admins of the item's agency.

Reads for the portal are plain querysets over published data only.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongkai.catalog.models import CatalogItem
from gongkai.core import audit
from gongkai.org.models import Agency, Role
from gongkai.org.permissions import EDIT_ROLES, VIEW_ROLES, agencies_for, has_role, require_role

from .attachments import check_attachment, clean_name
from .models import (
    AnnualReport,
    ColumnPage,
    PolicyLink,
    Record,
    RecordStatus,
    ServiceLink,
)
from .vocabularies import STATUTORY_CATEGORIES

ADMIN_ROLES = (Role.ADMIN,)
REPORT_KINDS = ("pdf", "docx")
PAGE_FIELDS = ("slug", "title", "body", "agency", "sort_order")
REPORT_FIELDS = ("agency", "year", "title", "body", "is_published")
LINK_FIELDS = ("item", "name", "url", "sort_order")


# --- permissions ---------------------------------------------------------------------------


def can_edit_column(user, agency: Agency | None, model: type = ColumnPage) -> bool:
    """May `user` edit the column's pages (or reports, `model=AnnualReport`) of `agency`?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if agency is None:
        return user.has_perm(f"disclosure.change_{model._meta.model_name}")
    return agencies_for(user, ADMIN_ROLES).filter(pk=agency.pk).exists()


def column_agencies(user) -> QuerySet[Agency]:
    """Agencies whose column pages and reports `user` may edit."""
    return agencies_for(user, ADMIN_ROLES)


def _require_column(user, agency: Agency | None, model: type, action: str) -> None:
    if not can_edit_column(user, agency, model):
        owner = agency or "本级政府"
        raise PermissionDenied(f"您没有权限{action}（{owner}）。")


def _uid(user) -> int | None:
    return user.pk if getattr(user, "is_authenticated", False) else None


def _code(agency: Agency | None) -> str:
    return agency.code if agency else ""


# --- column pages ---------------------------------------------------------------------------


def _page_snapshot(page: ColumnPage) -> dict[str, Any]:
    return {
        "slug": page.slug,
        "title": page.title,
        "agency": _code(page.agency),
        "sort_order": page.sort_order,
        "body_sha256": hashlib.sha256(page.body.encode()).hexdigest()[:16],
    }


@transaction.atomic
def save_column_page(user, page: ColumnPage | None = None, **fields: Any) -> ColumnPage:
    """Create (`page=None`) or change a column page; the body is sanitised on save."""
    unknown = set(fields) - set(PAGE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    before = None
    if page is None:
        page = ColumnPage()
    else:
        page = ColumnPage.objects.select_for_update().get(pk=page.pk)
        _require_column(user, page.agency, ColumnPage, "修改信息公开专栏页面")
        before = _page_snapshot(page)
    for name, value in fields.items():
        setattr(page, name, value)
    _require_column(user, page.agency, ColumnPage, "编辑信息公开专栏页面")
    page.full_clean()
    page.updated_by = user if _uid(user) else None
    page._history_user = page.updated_by
    page.save()
    audit.record(
        user,
        "disclosure.column_page.save",
        page,
        before=before,
        after=_page_snapshot(page),
        agency_code=_code(page.agency),
    )
    return page


def column_page(slug: str, agency: Agency | None = None) -> ColumnPage | None:
    return ColumnPage.objects.filter(slug=slug, agency=agency).select_related("agency").first()


# --- annual reports -------------------------------------------------------------------------


def _report_snapshot(report: AnnualReport) -> dict[str, Any]:
    return {
        "agency": _code(report.agency),
        "year": report.year,
        "title": report.title,
        "is_published": report.is_published,
        "file": report.original_name,
        "sha256": report.sha256,
        "body_sha256": hashlib.sha256(report.body.encode()).hexdigest()[:16],
    }


@transaction.atomic
def save_annual_report(
    user,
    report: AnnualReport | None = None,
    *,
    file_data: bytes | None = None,
    file_name: str = "",
    remove_file: bool = False,
    **fields: Any,
) -> AnnualReport:
    """Create or change an annual report; `file_data` replaces its file (pdf or docx only,
    checked by content). Publishing (`is_published=True`) stamps `published_at` once."""
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    before = None
    if report is None:
        report = AnnualReport()
    else:
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        _require_column(user, report.agency, AnnualReport, "修改年度报告")
        before = _report_snapshot(report)
    for name, value in fields.items():
        setattr(report, name, value)
    _require_column(user, report.agency, AnnualReport, "编辑年度报告")

    old_path = report.file.name if report.file else ""
    kind = None
    if remove_file:
        report.file = ""
        report.original_name, report.size, report.content_type, report.sha256 = "", None, "", ""
    if file_data is not None:
        kind = check_attachment(file_data, file_name)
        if kind.code not in REPORT_KINDS:
            raise ValidationError("年度报告文件只能是PDF或Word（docx）。")
        report.original_name = clean_name(file_name)
        report.size = len(file_data)
        report.content_type = kind.content_type
        report.sha256 = hashlib.sha256(file_data).hexdigest()
    has_file = bool(report.file) or kind is not None
    if report.is_published and not report.body.strip() and not has_file:
        raise ValidationError("发布的年度报告须有正文或报告文件。")
    if report.is_published and report.published_at is None:
        report.published_at = timezone.now()
    if not report.is_published:
        report.published_at = None
    report.full_clean(exclude=["file"])
    if kind is not None:
        # Written only after validation; removed again if the row cannot be saved.
        report.file.save(f"report{kind.extensions[0]}", ContentFile(file_data), save=False)
    try:
        report.save()
    except Exception:
        if kind is not None:
            report.file.delete(save=False)
        raise
    if old_path and old_path != (report.file.name or ""):
        storage = AnnualReport._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(old_path))
    action = "disclosure.annual_report.save"
    if before and before["is_published"] != report.is_published:
        action = (
            "disclosure.annual_report.publish"
            if report.is_published
            else "disclosure.annual_report.unpublish"
        )
    elif before is None and report.is_published:
        action = "disclosure.annual_report.publish"
    audit.record(
        user,
        action,
        report,
        before=before,
        after=_report_snapshot(report),
        agency_code=_code(report.agency),
    )
    return report


def published_reports() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(is_published=True).select_related("agency")


# --- service and policy links ---------------------------------------------------------------


def _link_snapshot(link: ServiceLink) -> dict[str, Any]:
    return {"item": link.item_id, "name": link.name, "url": link.url, "sort_order": link.sort_order}


def _normalise_url(url: str) -> str:
    """Lower-case the scheme so the database check (http:// or https://) agrees with the
    validator, which accepts HTTPS:// too."""
    url = (url or "").strip()
    scheme, sep, rest = url.partition("://")
    return f"{scheme.lower()}{sep}{rest}" if sep else url


@transaction.atomic
def save_service_link(user, link: ServiceLink | None = None, **fields: Any) -> ServiceLink:
    """Create or change an online service link of a catalog item."""
    unknown = set(fields) - set(LINK_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    before = None
    if link is None:
        link = ServiceLink()
    else:
        link = (
            ServiceLink.objects.select_for_update().select_related("item__agency").get(pk=link.pk)
        )
        require_role(user, link.item.agency, EDIT_ROLES, "修改在线办事链接")
        before = _link_snapshot(link)
    for name, value in fields.items():
        setattr(link, name, _normalise_url(value) if name == "url" else value)
    item = link.item
    if item.is_guideline:
        raise ValidationError("标准指引不能关联在线办事事项。")
    require_role(user, item.agency, EDIT_ROLES, "编辑在线办事链接")
    link.full_clean()
    link.save()
    audit.record(
        user,
        "disclosure.service_link.save",
        link,
        before=before,
        after=_link_snapshot(link),
        agency_code=item.agency.code,
    )
    return link


@transaction.atomic
def remove_service_link(user, link: ServiceLink) -> None:
    link = ServiceLink.objects.select_related("item__agency").get(pk=link.pk)
    require_role(user, link.item.agency, EDIT_ROLES, "删除在线办事链接")
    before = _link_snapshot(link)
    audit.record(
        user,
        "disclosure.service_link.remove",
        link,
        before=before,
        agency_code=link.item.agency.code,
    )
    link.delete()


@transaction.atomic
def link_policy(user, item: CatalogItem, record: Record, sort_order: int = 0) -> PolicyLink:
    """Name `record` as a policy document `item` rests on (idempotent)."""
    if item.is_guideline:
        raise ValidationError("标准指引不能关联政策文件。")
    require_role(user, item.agency, EDIT_ROLES, "关联政策文件")
    record = Record.objects.get(pk=record.pk)  # the status as stored, not as passed in
    if record.status == RecordStatus.WITHDRAWN:
        raise ValidationError("已撤回的公开信息不能作为政策文件关联。")
    if record.status != RecordStatus.PUBLISHED and not has_role(user, record.agency, VIEW_ROLES):
        raise PermissionDenied("只能关联已发布的公开信息或本机关的公开信息。")
    link, created = PolicyLink.objects.get_or_create(
        item=item, record=record, defaults={"sort_order": sort_order}
    )
    if not created and link.sort_order != sort_order:
        link.sort_order = sort_order
        link.save(update_fields=["sort_order"])
    audit.record(
        user,
        "disclosure.policy_link.save",
        link,
        after={"item": item.pk, "record": record.pk, "sort_order": sort_order},
        agency_code=item.agency.code,
    )
    return link


@transaction.atomic
def unlink_policy(user, link: PolicyLink) -> None:
    link = PolicyLink.objects.select_related("item__agency").get(pk=link.pk)
    require_role(user, link.item.agency, EDIT_ROLES, "取消政策文件关联")
    audit.record(
        user,
        "disclosure.policy_link.remove",
        link,
        before={"item": link.item_id, "record": link.record_id},
        agency_code=link.item.agency.code,
    )
    link.delete()


# --- public reads ---------------------------------------------------------------------------


def _published() -> QuerySet[Record]:
    return Record.objects.filter(status=RecordStatus.PUBLISHED)


def item_records(item: CatalogItem) -> QuerySet[Record]:
    """The item's published records, newest first."""
    return _published().filter(item=item).order_by("-published_at", "-id")


def item_policies(item: CatalogItem) -> QuerySet[Record]:
    """政策文件 of an item: published normative records filed under it, plus published
    records linked to it explicitly (PolicyLink), newest first."""
    linked = PolicyLink.objects.filter(item=item).values("record_id")
    return (
        _published()
        .filter(Q(item=item, is_normative=True) | Q(pk__in=linked))
        .select_related("agency")
        .order_by("-published_at", "-id")
    )


def category_counts(records: QuerySet[Record] | None = None) -> list[dict[str, Any]]:
    """The 15 Art. 20 categories in order, each with its number of published records
    (one query: a filtered count per category)."""
    records = _published() if records is None else records
    counts = records.aggregate(
        **{code: Count("pk", filter=Q(categories__has=code)) for code, _ in STATUTORY_CATEGORIES}
    )
    return [
        {"number": n, "code": code, "label": label, "count": counts[code]}
        for n, (code, label) in enumerate(STATUTORY_CATEGORIES, 1)
    ]
