"""Full-text search: GET /api/v1/search.

The engine (gongkai.search.services) sanitises the query itself; this layer only checks the
parameters' shapes, so that a bad parameter is a 4xx with a Chinese ``detail`` and never a 500.
"""

import unicodedata
from typing import Literal

from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from gongkai.catalog.vocabularies import AUDIENCES, LEVELS, MODES

from .schemas import ErrorOut, SearchPage

router = Router(tags=["search"])

MAX_QUERY_CHARS = 1000
VOCABULARIES = {
    "level": ("公开层级", LEVELS),
    "audience": ("公开对象", AUDIENCES),
    "mode": ("公开方式", MODES),
}


def clean_query(q: str | None) -> str:
    """The query as the engine gets it: control characters become spaces, at most 1,000 chars."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in (q or ""))
    return text.strip()[:MAX_QUERY_CHARS]


def run_search(q: str, **filters):
    """The engine call (a seam for tests; imported late so the API loads without it)."""
    from gongkai.search.services import search

    return search(q, **filters)


class SearchParams(Schema):
    q: str = Field("", description="检索词（最多1000字；引号、AND/OR 等按普通文字处理）")
    type: str | None = Field(None, max_length=40, description="内容类型，如 item（目录事项）")
    domain: str | None = Field(None, max_length=64, description="领域代码")
    agency: str | None = Field(None, max_length=64, description="机关代码")
    division: str | None = Field(
        None, max_length=12, description="行政区划代码，含其下级区划（整棵子树）"
    )
    level: str | None = Field(None, description="公开层级：province/city/county/township/village")
    audience: str | None = Field(None, description="公开对象：public/specific")
    mode: str | None = Field(None, description="公开方式：proactive/on_request")
    year: int | None = Field(None, ge=1949, le=2999, description="发布年份")
    sort: Literal["relevance", "date"] = Field("relevance", description="relevance 或 date")
    page: int = Field(1, ge=1, le=10000)
    page_size: int = Field(20, ge=1, le=100)


def _blank_to_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _iso(value) -> str | None:
    return value.isoformat() if value else None


@router.get(
    "/search",
    response={200: SearchPage, 400: ErrorOut, 422: ErrorOut},
    summary="全文检索",
    description=(
        "中文分词检索已发布的内容，支持常用简称（如“低保”查到“最低生活保障”）。"
        "返回命中（含高亮摘要，<mark> 标记命中词，其余文字已做 HTML 转义）和各维度的分面计数。"
    ),
)
def search(request, params: Query[SearchParams]):
    filters = {
        name: _blank_to_none(getattr(params, name))
        for name in ("type", "domain", "agency", "division", "level", "audience", "mode")
    }
    for name, (label, vocabulary) in VOCABULARIES.items():
        if filters[name] is not None and filters[name] not in dict(vocabulary):
            raise HttpError(400, f"未知的{label}：{filters[name]}")
    query = clean_query(params.q)
    try:
        result = run_search(
            query,
            **filters,
            year=params.year,
            sort=params.sort,
            page=params.page,
            page_size=params.page_size,
        )
    except ValueError as exc:  # the engine rejects a filter value it cannot use
        raise HttpError(400, f"检索参数有误：{exc}") from exc
    root = request.build_absolute_uri("/")[:-1]  # scheme and host, once for every hit
    return {
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
        "query": result.query,
        "suggestion": result.suggestion or None,
        "hits": [
            {
                "type": hit.type,
                "id": hit.id,
                "title": hit.title,
                "snippet": hit.snippet,
                "url": root + hit.url if hit.url.startswith("/") else hit.url,
                "score": float(hit.score),
                "domain": hit.domain_code or "",
                "agency": hit.agency_code or "",
                "published_at": _iso(hit.published_at),
            }
            for hit in result.hits
        ],
        "facets": {
            key: [{"code": str(v.code), "name": v.name, "count": v.count} for v in values]
            for key, values in result.facets.items()
        },
        "facets_complete": getattr(result, "facets_complete", True),
        "total_exact": getattr(result, "total_exact", True),
    }
