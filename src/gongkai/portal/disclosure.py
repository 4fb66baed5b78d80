"""Public pages of disclosure records (公开信息) and the disclosure column 政府信息公开
(国办公开办函〔2019〕61号). Thin: only published records and reports are ever read
(disclosure.services.public_records, disclosure.column); files are served through views
that check that, never from /media/.

Record bodies, column pages and report texts are sanitised by nh3 whenever they are saved,
so the templates render those three fields with |safe and nothing else.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import condition, require_safe

from gongkai.catalog.models import Domain
from gongkai.catalog.services import public_items
from gongkai.disclosure import column
from gongkai.disclosure.models import (
    COLUMN_PAGE_SLUGS,
    AnnualReport,
    Attachment,
    ColumnPage,
)
from gongkai.disclosure.services import public_records
from gongkai.disclosure.vocabularies import STATUTORY_CATEGORIES, TOPICS
from gongkai.org.models import Agency, AgencyKind

KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word",
    "xlsx": "Excel",
    "ofd": "OFD",
    "png": "图片",
    "jpeg": "图片",
    "gif": "图片",
}
ITEM_RECORDS_SHOWN = 10


def feed_links(kind: str, code) -> list[dict[str, str]]:
    """RSS, Atom and JSON Feed addresses of a channels scope (domain, agency, item)."""
    kwargs = {"kind": kind, "code": str(code)}
    formats = (
        ("RSS", "application/rss+xml", "channels:feed_rss"),
        ("Atom", "application/atom+xml", "channels:feed_atom"),
        ("JSON Feed", "application/feed+json", "channels:feed_json"),
    )
    return [
        {"label": label, "type": mime, "url": reverse(name, kwargs=kwargs)}
        for label, mime, name in formats
    ]


def _listed(qs):
    return qs.select_related("agency", "item__domain").order_by("-published_at", "-id")


# --- records ------------------------------------------------------------------------------


def _record_filters(request, qs, fixed: tuple[str, ...] = ()):
    """Apply domain/agency/topic/category/year/item from the query string (unknown values
    are ignored, never an error); return (qs, filters)."""
    filters: dict[str, str] = {}
    get = {k: request.GET.get(k, "").strip()[:64] for k in request.GET}
    domain = get.get("domain", "")
    if domain and "domain" not in fixed:
        qs, filters["domain"] = qs.filter(item__domain__code=domain), domain
    agency = get.get("agency", "")
    if agency and "agency" not in fixed:
        qs, filters["agency"] = qs.filter(agency__code=agency), agency
    topic = get.get("topic", "")
    if topic in dict(TOPICS) and "topic" not in fixed:
        qs, filters["topic"] = qs.filter(topic=topic), topic
    category = get.get("category", "")
    if category in dict(STATUTORY_CATEGORIES) and "category" not in fixed:
        qs, filters["category"] = qs.filter(categories__has=category), category
    year = get.get("year", "")
    if year.isascii() and year.isdigit() and 1949 <= int(year) <= 2999:
        qs, filters["year"] = qs.filter(published_on__year=int(year)), year
    item = get.get("item", "")
    if item.isascii() and item.isdigit() and "item" not in fixed:
        qs, filters["item"] = qs.filter(item_id=int(item)), item
    return qs, filters


def _page(request, qs):
    return Paginator(qs, settings.PORTAL_PAGE_SIZE).get_page(request.GET.get("page"))


def _filter_choices(base) -> dict:
    """The values the filter form offers: only those that have published records."""
    return {
        "filter_domains": Domain.objects.filter(pk__in=base.values("item__domain")).order_by(
            "-is_standard", "sort_order", "code"
        ),
        "filter_agencies": Agency.objects.filter(pk__in=base.values("agency")).order_by(
            "sort_order", "code"
        ),
        "filter_years": [d.year for d in base.dates("published_on", "year", order="DESC")],
        "topics": TOPICS,
        "categories": STATUTORY_CATEGORIES,
    }


@require_safe
def record_list(request):
    """公开信息: every published record, newest first, with filters and pages."""
    base = public_records()
    qs, filters = _record_filters(request, base)
    filter_item = public_items().filter(pk=filters["item"]).first() if "item" in filters else None
    context = {
        "page_obj": _page(request, _listed(qs)),
        "filters": filters,
        "filter_item": filter_item,
        **_filter_choices(base),
    }
    return render(request, "portal/records.html", context)


@require_safe
def record_detail(request, pk: int):
    record = get_object_or_404(
        public_records().select_related("agency", "item__domain", "item__agency"), pk=pk
    )
    attachments = [
        {"a": a, "label": KIND_LABELS.get(a.kind, a.kind.upper())} for a in record.attachments.all()
    ]
    item = record.item
    item_public = public_items().filter(pk=item.pk).exists()
    categories = [
        {"number": n, "code": code, "label": label}
        for n, (code, label) in enumerate(STATUTORY_CATEGORIES, 1)
        if code in record.categories
    ]
    context = {
        "record": record,
        "attachments": attachments,
        "item": item,
        "item_public": item_public,
        "categories": categories,
        "item_feeds": feed_links("item", item.pk) if item_public else [],
        "agency_feeds": feed_links("agency", record.agency.code),
    }
    return render(request, "portal/record.html", context)


def _attachment(pk: int, attachment_id: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.filter(record__in=public_records()), pk=attachment_id, record_id=pk
    )


def _attachment_etag(request, pk: int, attachment_id: int) -> str | None:
    attachment = (
        Attachment.objects.filter(record__in=public_records(), pk=attachment_id, record_id=pk)
        .values_list("sha256", flat=True)
        .first()
    )
    return attachment or None


def _file_response(field_file, name: str, content_type: str) -> FileResponse:
    """A download: the original name (RFC 5987 filename*), never sniffed or rendered inline;
    revalidated on every use (no-cache + ETag) so a withdrawn record's file stops at once."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("文件不存在。") from exc
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-cache"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
@condition(etag_func=_attachment_etag)
def attachment_download(request, pk: int, attachment_id: int):
    """An attachment of a published record (Art. 24: 检索、查阅、下载)."""
    attachment = _attachment(pk, attachment_id)
    return _file_response(attachment.file, attachment.original_name, attachment.content_type)


# --- the disclosure column ------------------------------------------------------------------

COLUMN_SECTIONS = (
    ("guide", "政府信息公开指南", "申请渠道、办理流程、受理机构和联系方式"),
    ("rules", "政府信息公开制度", "政府信息公开的工作制度和规定"),
    ("statutory", "法定主动公开内容", "《条例》第二十条规定的15类主动公开内容"),
    ("reports", "政府信息公开年报", "各年度政府信息公开工作报告"),
    ("apply", "依申请公开", "如何申请获取政府信息、答复期限"),
    ("records", "公开信息检索", "按领域、机关、主题、年度查找公开信息"),
)


def _section_url(code: str) -> str:
    if code in dict(COLUMN_PAGE_SLUGS):
        return reverse("portal:xxgk_page", args=[code])
    if code == "records":
        return reverse("portal:records")
    return reverse(f"portal:xxgk_{code}")


def _sections() -> list[dict[str, str]]:
    return [
        {"code": code, "title": title, "note": note, "url": _section_url(code)}
        for code, title, note in COLUMN_SECTIONS
    ]


@require_safe
def xxgk_index(request):
    records = public_records()
    context = {
        "sections": _sections(),
        "categories": column.category_counts(records),
        "latest": _listed(records)[:10],
        "record_total": records.count(),
        "reports": _reports_in_order()[:6],
        "extra_pages": ColumnPage.objects.filter(agency__isnull=True).exclude(
            slug__in=dict(COLUMN_PAGE_SLUGS)
        ),
        "agency_guides": ColumnPage.objects.filter(slug="guide", agency__isnull=False)
        .select_related("agency")
        .order_by("agency__sort_order", "agency__code"),
    }
    return render(request, "portal/xxgk/index.html", context)


def _page_context(slug: str, page: ColumnPage | None, agency: Agency | None) -> dict:
    default_title = dict(COLUMN_PAGE_SLUGS).get(slug)
    if page is None and default_title is None:
        raise Http404("没有这个页面。")
    others = []
    if slug == "guide" and agency is None:
        others = (
            ColumnPage.objects.filter(slug=slug, agency__isnull=False)
            .select_related("agency")
            .order_by("agency__sort_order", "agency__code")
        )
    return {
        "slug": slug,
        "page": page,
        "title": page.title if page else default_title,
        "agency": agency,
        "agency_pages": others,
        "sections": _sections(),
    }


@require_safe
def xxgk_page(request, slug: str):
    """指南, 制度 or another column page of the whole government."""
    page = column.column_page(slug)
    return render(request, "portal/xxgk/page.html", _page_context(slug, page, None))


@require_safe
def xxgk_agency_page(request, code: str, slug: str):
    """An agency's own page (e.g. 民政局政府信息公开指南)."""
    agency = get_object_or_404(Agency.objects.exclude(kind=AgencyKind.NATIONAL), code=code)
    page = column.column_page(slug, agency)
    if page is None:
        raise Http404("该机关尚未发布这个页面。")
    return render(request, "portal/xxgk/page.html", _page_context(slug, page, agency))


@require_safe
def xxgk_statutory(request):
    """法定主动公开内容: the 15 categories of Art. 20 with their record counts."""
    context = {"categories": column.category_counts(), "sections": _sections()}
    return render(request, "portal/xxgk/statutory.html", context)


@require_safe
def xxgk_category(request, code: str):
    """The published records of one Art. 20 category, newest first."""
    labels = dict(STATUTORY_CATEGORIES)
    if code not in labels:
        raise Http404("没有这个类别。")
    number = [c for c, _ in STATUTORY_CATEGORIES].index(code) + 1
    base = public_records().filter(categories__has=code)
    qs, filters = _record_filters(request, base, fixed=("category",))
    context = {
        "code": code,
        "number": number,
        "label": labels[code],
        "page_obj": _page(request, _listed(qs)),
        "filters": filters,
        "sections": _sections(),
        **_filter_choices(base),
    }
    return render(request, "portal/xxgk/category.html", context)


def _reports_in_order():
    """Newest year first; within a year the government's report, then the agencies' (NULL
    sorts first on SQLite, last on PostgreSQL: say which)."""
    return column.published_reports().order_by(
        "-year",
        F("agency__sort_order").asc(nulls_first=True),
        F("agency__code").asc(nulls_first=True),
        "id",
    )


@require_safe
def xxgk_reports(request):
    """政府信息公开年报, by year (newest first): the government's, then the agencies'."""
    reports = _reports_in_order()
    years: dict[int, list[AnnualReport]] = {}
    for report in reports:
        years.setdefault(report.year, []).append(report)
    context = {"years": list(years.items()), "sections": _sections()}
    return render(request, "portal/xxgk/reports.html", context)


@require_safe
def xxgk_report(request, pk: int):
    report = get_object_or_404(column.published_reports(), pk=pk)
    return render(request, "portal/xxgk/report.html", {"report": report, "sections": _sections()})


@require_safe
def xxgk_report_file(request, pk: int):
    report = get_object_or_404(column.published_reports(), pk=pk)
    if not report.file:
        raise Http404("该年度报告没有文件。")
    return _file_response(report.file, report.original_name, report.content_type)


@require_safe
def xxgk_apply(request):
    """依申请公开: how to apply (Regulation Arts. 27–33, 36, 42), with today's deadline worked
    out on the working-day calendar as an example."""
    from gongkai.core.workdays import add_workdays

    today = timezone.localdate()
    reply = add_workdays(today, 20)
    extended = add_workdays(reply.date, 20)
    correction = add_workdays(today, 7)
    context = {
        "today": today,
        "reply": reply,
        "extended": extended,
        "correction": correction,
        "provisional": reply.provisional or extended.provisional or correction.provisional,
        "note": extended.note or reply.note,
        "guide": column.column_page("guide"),
        "sections": _sections(),
    }
    return render(request, "portal/xxgk/apply.html", context)


def agency_disclosure(agency: Agency) -> dict:
    """For the agency page: its published records, its own 指南 and its feeds."""
    return {
        "record_count": public_records().filter(agency=agency).count(),
        "agency_guide": column.column_page("guide", agency),
        "feeds": feed_links("agency", agency.code),
    }


def latest_records(limit: int = 8):
    """For the home page."""
    return _listed(public_records())[:limit]
