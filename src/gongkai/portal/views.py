"""Public portal pages. Thin: queries come from catalog.services (published items only)."""

import datetime as dt
import io
from itertools import groupby

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from gongkai.catalog.models import CatalogItem, Domain, ItemStatus
from gongkai.catalog.services import public_items
from gongkai.catalog.vocabularies import AUDIENCES, LEVELS, MODES
from gongkai.org.models import Agency, AgencyKind

from .disclosure import agency_disclosure, latest_records


def home(request):
    published = Q(items__status=ItemStatus.PUBLISHED, items__is_guideline=False)
    # Meta.ordering is not applied to GROUP BY (annotate) queries: order explicitly.
    domains = Domain.objects.annotate(item_count=Count("items", filter=published)).order_by(
        "-is_standard", "sort_order", "code"
    )
    agencies = (
        Agency.objects.filter(is_active=True)
        .exclude(kind=AgencyKind.NATIONAL)
        .annotate(
            item_count=Count(
                "catalog_items",
                filter=Q(catalog_items__status=ItemStatus.PUBLISHED),
            )
        )
        .order_by("sort_order", "code")
    )
    context = {
        "standard_domains": [d for d in domains if d.is_standard],
        "other_domains": [d for d in domains if not d.is_standard],
        "departments": [
            a for a in agencies if a.kind in (AgencyKind.DEPARTMENT, AgencyKind.RESIDENT_OFFICE)
        ],
        "townships": [a for a in agencies if a.kind == AgencyKind.TOWNSHIP],
        "item_total": public_items().count(),
        "latest": public_items()
        .select_related("domain", "agency")
        .order_by("-published_at", "-id")[:8],
        "latest_records": latest_records(8),
    }
    return render(request, "portal/home.html", context)


def _filtered(request, qs):
    """Apply the agency/level filters from the query string; return (qs, filters)."""
    agency_code = request.GET.get("agency", "").strip()
    level = request.GET.get("level", "").strip()
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    if level in dict(LEVELS):
        qs = qs.filter(levels__has=level)
    else:
        level = ""
    return qs, {"agency": agency_code, "level": level}


def _page(request, qs):
    paginator = Paginator(qs, settings.PORTAL_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def _grouped(items) -> list[tuple[str, list[CatalogItem]]]:
    """Items grouped by 一级事项 in page order (the catalog tables' merged first column)."""
    return [(key or "其他", list(group)) for key, group in groupby(items, lambda i: i.level1)]


def domain_detail(request, code: str):
    domain = get_object_or_404(Domain, code=code)
    base = public_items().filter(domain=domain).select_related("agency")
    qs, filters = _filtered(request, base)
    page = _page(
        request, qs.order_by("agency__sort_order", "agency__code", "sort_order", "level1", "id")
    )
    agencies = Agency.objects.filter(pk__in=base.values("agency")).order_by("sort_order", "code")
    context = {
        "domain": domain,
        "page_obj": page,
        "groups": _grouped(page.object_list),
        "filters": filters,
        "filter_agencies": agencies,
        "levels": LEVELS,
        "total": qs.count(),
    }
    return render(request, "portal/domain.html", context)


def agency_list(request):
    agencies = (
        Agency.objects.filter(is_active=True)
        .exclude(kind=AgencyKind.NATIONAL)
        .select_related("division")
        .annotate(
            item_count=Count("catalog_items", filter=Q(catalog_items__status=ItemStatus.PUBLISHED))
        )
        .order_by("sort_order", "code")
    )
    return render(request, "portal/agencies.html", {"agencies": agencies})


def agency_detail(request, code: str):
    agency = get_object_or_404(
        Agency.objects.select_related("division").exclude(kind=AgencyKind.NATIONAL), code=code
    )
    base = public_items().filter(agency=agency).select_related("domain")
    domain_code = request.GET.get("domain", "").strip()
    qs = base.filter(domain__code=domain_code) if domain_code else base
    qs, filters = _filtered(request, qs)
    filters["domain"] = domain_code
    page = _page(
        request, qs.order_by("domain__sort_order", "domain__code", "sort_order", "level1", "id")
    )
    domains = (
        Domain.objects.filter(pk__in=base.values("domain"))
        .annotate(
            item_count=Count(
                "items", filter=Q(items__agency=agency, items__status=ItemStatus.PUBLISHED)
            )
        )
        .order_by("sort_order", "code")
    )
    context = {
        "agency": agency,
        "page_obj": page,
        "filters": filters,
        "agency_domains": domains,
        "levels": LEVELS,
        "total": qs.count(),
        **agency_disclosure(agency),
    }
    return render(request, "portal/agency.html", context)


def item_detail(request, pk: int):
    item = get_object_or_404(
        public_items().select_related("domain", "agency", "subject_agency", "guideline"), pk=pk
    )
    siblings = (
        public_items()
        .filter(domain=item.domain, agency=item.agency, level1=item.level1)
        .exclude(pk=item.pk)
        .order_by("sort_order", "id")[:10]
    )
    from gongkai.disclosure import column

    from .disclosure import ITEM_RECORDS_SHOWN, feed_links

    records = column.item_records(item).select_related("agency")
    context = {
        "item": item,
        "time_limit": item.parsed_time_limit(),
        "siblings": siblings,
        # 五关联: the item's records, online services, policy documents and feeds.
        "records": records[:ITEM_RECORDS_SHOWN],
        "record_total": records.count(),
        "service_links": item.service_links.all(),
        "policies": column.item_policies(item)[:20],
        "feeds": feed_links("item", item.pk),
    }
    return render(request, "portal/item.html", context)


# --- downloads and the catalog change log --------------------------------------------

EXPORT_FORMATS = ("xlsx", "docx")


def _download(items, fmt: str, filename: str, agency_name: str = "") -> HttpResponse:
    from gongkai.catalog.exchange.exporter import CONTENT_TYPES, export_items

    if fmt not in EXPORT_FORMATS:
        raise Http404
    buffer = io.BytesIO()
    export_items(items, fmt, buffer, agency_name)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response


def domain_export(request, code: str, fmt: str):
    domain = get_object_or_404(Domain, code=code)
    items = public_items().filter(domain=domain)
    return _download(items, fmt, f"{domain.name}领域政务公开标准目录")


def agency_export(request, code: str, fmt: str):
    agency = get_object_or_404(Agency.objects.exclude(kind=AgencyKind.NATIONAL), code=code)
    items = public_items().filter(agency=agency)
    return _download(items, fmt, f"{agency.name}政务公开标准目录", agency.name)


def _changes_report(request):
    from gongkai.catalog.changes import changed_since

    today = timezone.localdate()
    try:
        since = dt.date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        since = today - dt.timedelta(days=90)
    since = min(since, today)
    agency_code = request.GET.get("agency", "").strip() or None
    domain_code = request.GET.get("domain", "").strip() or None
    report = changed_since(since, agency_code=agency_code, domain_code=domain_code)
    return report, since, agency_code, domain_code


def changes(request):
    """目录更新记录: what was added, changed or retired since a date (default: 90 days)."""
    report, since, agency_code, domain_code = _changes_report(request)
    context = {
        "report": report,
        "since": since,
        "filters": {"agency": agency_code or "", "domain": domain_code or ""},
        "filter_agencies": Agency.objects.exclude(kind=AgencyKind.NATIONAL).order_by(
            "sort_order", "code"
        ),
        "filter_domains": Domain.objects.order_by("-is_standard", "sort_order", "code"),
    }
    return render(request, "portal/changes.html", context)


def changes_export(request, fmt: str):
    from gongkai.catalog.changes import write_report

    if fmt not in ("xlsx", "csv"):
        raise Http404
    report, since, _, _ = _changes_report(request)
    buffer = io.BytesIO()
    write_report(report, fmt, buffer, request.build_absolute_uri("/").rstrip("/"))
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"目录更新记录_{since:%Y%m%d}.{fmt}"
    )
    return response


# --- search ------------------------------------------------------------------------------

SEARCH_FILTERS = ("type", "domain", "agency", "division", "level", "audience", "mode", "year")
FACET_TITLES = {
    "type": "内容类型",
    "domain": "公开领域",
    "agency": "机关单位",
    "level": "公开层级",
    "audience": "公开对象",
    "mode": "公开方式",
    "year": "发布年份",
}
SEARCH_SORTS = (("relevance", "按相关度"), ("date", "按发布时间"))
_VOCABULARY_FILTERS = {"level": LEVELS, "audience": AUDIENCES, "mode": MODES}


def run_search(q: str, **filters):
    """The engine call (a seam for tests; imported late so the portal loads without it)."""
    from gongkai.search.services import search as engine_search

    return engine_search(q, **filters)


class _ResultWindow:
    """A sequence of `total` hits of which only the current page is held (for Paginator)."""

    def __init__(self, total: int, hits: list, offset: int):
        self.total, self.hits, self.offset = total, hits, offset

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list:
        start = (window.start or 0) - self.offset
        return self.hits[max(start, 0) : max(start, 0) + (window.stop - window.start)]


def _search_params(request) -> tuple[str, dict, str, int]:
    """q, filters, sort and page from the query string; values that make no sense are dropped."""
    from gongkai.api.search_api import clean_query

    q = clean_query(request.GET.get("q", ""))
    filters: dict = {}
    for name in SEARCH_FILTERS:
        value = request.GET.get(name, "").strip()[:64]
        if not value:
            continue
        if name in _VOCABULARY_FILTERS and value not in dict(_VOCABULARY_FILTERS[name]):
            continue
        if name == "year":
            if not (value.isascii() and value.isdigit() and 1949 <= int(value) <= 2999):
                continue
            value = int(value)
        filters[name] = value
    sort = request.GET.get("sort", "")
    sort = sort if sort in dict(SEARCH_SORTS) else "relevance"
    page = request.GET.get("page", "")
    page = min(int(page), 10000) if page.isascii() and page.isdigit() and int(page) > 0 else 1
    return q, filters, sort, page


def _with_params(request, **changes) -> str:
    """The current query string with `changes` applied (None removes a key); page reset."""
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return f"?{params.urlencode()}"


def _facets(request, result, filters: dict) -> list[dict]:
    groups = []
    for key, title in FACET_TITLES.items():
        values = result.facets.get(key) or []
        active = str(filters[key]) if key in filters else None
        entries = [
            {
                "code": str(v.code),
                "name": v.name,
                "count": v.count,
                "active": str(v.code) == active,
                "url": _with_params(request, **{key: None if str(v.code) == active else v.code}),
            }
            for v in values
        ]
        if entries or active:
            groups.append(
                {
                    "key": key,
                    "title": title,
                    "values": entries,
                    "active": active,
                    "clear_url": _with_params(request, **{key: None}),
                }
            )
    return groups


def search(request):
    """站内搜索: results with highlighted snippets, facets that filter, sort and pages."""
    q, filters, sort, page_number = _search_params(request)
    context = {"query": q, "filters": filters, "sort": sort, "sorts": SEARCH_SORTS}
    if not q:
        return render(request, "portal/search.html", context)
    page_size = settings.PORTAL_PAGE_SIZE
    result = run_search(q, **filters, sort=sort, page=page_number, page_size=page_size)
    last_page = max(1, -(-result.total // page_size))
    if page_number > last_page:  # past the end (a stale link): show the last page instead
        page_number = last_page
        result = run_search(q, **filters, sort=sort, page=page_number, page_size=page_size)
    offset = (page_number - 1) * page_size
    page_obj = Paginator(_ResultWindow(result.total, result.hits, offset), page_size).get_page(
        page_number
    )
    names = {key: {str(v.code): v.name for v in values} for key, values in result.facets.items()}
    hits = [
        {
            "hit": hit,
            "type_name": names.get("type", {}).get(hit.type, ""),
            "domain_name": names.get("domain", {}).get(hit.domain_code, ""),
            "agency_name": names.get("agency", {}).get(hit.agency_code, ""),
        }
        for hit in page_obj.object_list
    ]
    context.update(
        {
            "result": result,
            "hits": hits,
            "page_obj": page_obj,
            "facet_groups": _facets(request, result, filters),
            "suggestion_url": _with_params(request, q=result.suggestion)
            if result.suggestion
            else "",
            "clear_filters_url": _with_params(request, **dict.fromkeys(SEARCH_FILTERS)),
        }
    )
    return render(request, "portal/search.html", context)
