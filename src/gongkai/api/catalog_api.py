"""Catalog endpoints: domains, agencies, items."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from gongkai.catalog.models import CatalogItem, Domain, ItemStatus
from gongkai.catalog.services import public_items
from gongkai.catalog.vocabularies import AUDIENCES, CHANNELS, LEVELS, MODES
from gongkai.org.models import Agency

from .schemas import AgencyOut, DomainOut, ErrorOut, ItemOut, ItemsPage

router = Router(tags=["catalog"])


def _abs(request, path: str) -> str:
    return request.build_absolute_uri(path)


@router.get("/domains", response=list[DomainOut], summary="公开领域列表")
def domains(request):
    published = Q(items__status=ItemStatus.PUBLISHED, items__is_guideline=False)
    qs = Domain.objects.annotate(item_count=Count("items", filter=published))
    return [
        {
            "code": d.code,
            "name": d.name,
            "is_standard": d.is_standard,
            "item_count": d.item_count,
            "url": _abs(request, d.get_absolute_url()),
        }
        for d in qs
    ]


@router.get("/agencies", response=list[AgencyOut], summary="机关单位列表")
def agencies(request):
    qs = Agency.objects.filter(is_active=True).exclude(kind="national").select_related("division")
    return [
        {
            "code": a.code,
            "name": a.name,
            "kind": a.kind,
            "kind_label": a.get_kind_display(),
            "division_code": a.division_id,
            "division_name": a.division.name,
            "url": _abs(request, f"/agencies/{a.code}/"),
        }
        for a in qs
    ]


class ItemFilters(Schema):
    domain: str | None = Field(None, description="领域代码，如 social_assistance")
    agency: str | None = Field(None, description="机关代码")
    level: str | None = Field(None, description="公开层级：province/city/county/township/village")
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(20, ge=1, le=100)


@router.get("/items", response={200: ItemsPage, 400: ErrorOut}, summary="目录事项列表")
def items(request, filters: Query[ItemFilters]):
    qs = public_items().select_related("domain", "agency")
    if filters.domain:
        qs = qs.filter(domain__code=filters.domain)
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    if filters.level:
        if filters.level not in dict(LEVELS):
            raise HttpError(400, f"未知的公开层级：{filters.level}")
        qs = qs.filter(levels__has=filters.level)
    total = qs.count()
    start = (filters.page - 1) * filters.page_size
    page = qs.order_by("domain__sort_order", "agency__sort_order", "sort_order", "id")[
        start : start + filters.page_size
    ]
    return {
        "total": total,
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [
            {
                "id": i.pk,
                "domain": i.domain.code,
                "domain_name": i.domain.name,
                "agency": i.agency.code,
                "agency_name": i.agency.name,
                "level1": i.level1,
                "level2": i.level2,
                "level3": i.level3,
                "levels": list(i.levels),
                "published_at": i.published_at.isoformat() if i.published_at else None,
                "url": _abs(request, i.get_absolute_url()),
            }
            for i in page
        ],
    }


def _coded(vocabulary, codes) -> list[dict]:
    names = dict(vocabulary)
    return [{"code": c, "label": names.get(c, c)} for c in codes]


def item_payload(request, item: CatalogItem) -> dict:
    tl = item.parsed_time_limit()
    return {
        "id": item.pk,
        "url": _abs(request, item.get_absolute_url()),
        "domain": {"code": item.domain.code, "label": item.domain.name},
        "agency": {"code": item.agency.code, "label": item.agency.name},
        "code": item.code,
        "level1": item.level1,
        "level2": item.level2,
        "level3": item.level3,
        "content": item.content,
        "basis": {"text": item.basis, "documents": list(item.basis_documents or [])},
        "time_limit": {
            "text": item.time_limit_text,
            "kind": tl.kind,
            "parsed": tl.is_parsed,
            "clauses": [
                {
                    "kind": c.kind,
                    "number": c.number,
                    "unit": c.unit,
                    "trigger": c.trigger,
                    "scope": c.scope,
                }
                for c in tl.clauses
            ],
        },
        "subject": {
            "text": item.subject_text,
            "agency_code": item.subject_agency.code if item.subject_agency else None,
            "agency_name": item.subject_agency.name if item.subject_agency else None,
        },
        "channels": {"selected": _coded(CHANNELS, item.channels), "other": item.channels_other},
        "audience": _coded(AUDIENCES, item.audience),
        "audience_note": item.audience_note,
        "mode": _coded(MODES, item.mode),
        "levels": _coded(LEVELS, item.levels),
        "guideline_id": item.guideline_id,
        "published_at": item.published_at.isoformat() if item.published_at else None,
        "updated_at": item.updated_at.isoformat(),
    }


@router.get("/items/{item_id}", response={200: ItemOut, 404: ErrorOut}, summary="目录事项详情")
def item_detail(request, item_id: int):
    if item_id < 1 or item_id > 2**62:
        raise Http404
    item = get_object_or_404(
        public_items().select_related("domain", "agency", "subject_agency"), pk=item_id
    )
    return item_payload(request, item)
