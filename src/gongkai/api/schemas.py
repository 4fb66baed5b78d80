"""Typed shapes of the public JSON API (OpenAPI at /api/v1/openapi.json)."""

from ninja import Field, Schema
from pydantic import BaseModel


class DomainOut(Schema):
    code: str
    name: str
    is_standard: bool
    item_count: int
    url: str


class AgencyOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    division_code: str
    division_name: str
    url: str


class TimeLimitClauseOut(Schema):
    kind: str
    number: int | None
    unit: str | None
    trigger: str | None
    scope: str


class TimeLimitOut(Schema):
    text: str
    kind: str
    parsed: bool
    clauses: list[TimeLimitClauseOut]


class CodedLabel(Schema):
    code: str
    label: str


class SubjectOut(Schema):
    text: str
    agency_code: str | None
    agency_name: str | None


class ChannelsOut(Schema):
    selected: list[CodedLabel]
    other: str


class BasisOut(Schema):
    text: str
    documents: list[str]


class ItemSummaryOut(Schema):
    id: int
    domain: str
    domain_name: str
    agency: str
    agency_name: str
    level1: str
    level2: str
    level3: str
    levels: list[str]
    published_at: str | None
    url: str


class ItemsPage(Schema):
    total: int
    page: int
    page_size: int
    items: list[ItemSummaryOut]


class ItemOut(Schema):
    id: int
    url: str
    domain: CodedLabel
    agency: CodedLabel
    code: str
    level1: str
    level2: str
    level3: str
    content: str
    basis: BasisOut
    time_limit: TimeLimitOut
    subject: SubjectOut
    channels: ChannelsOut
    audience: list[CodedLabel]
    audience_note: str
    mode: list[CodedLabel]
    levels: list[CodedLabel]
    guideline_id: int | None
    published_at: str | None
    updated_at: str


class ErrorOut(Schema):
    detail: str


# The search response is plain pydantic: ninja.Schema validates through a Django-aware
# getter per field, ~4 ms for one page of hits and facets, a quarter of a search.
class SearchHitOut(BaseModel):
    type: str
    id: int
    title: str
    snippet: str  # HTML-escaped text; matched terms wrapped in <mark>…</mark>
    url: str
    score: float
    domain: str
    agency: str
    published_at: str | None


class FacetValueOut(BaseModel):
    code: str
    name: str
    count: int


class SearchPage(BaseModel):
    total: int
    page: int
    page_size: int
    query: str
    suggestion: str | None
    hits: list[SearchHitOut]
    facets: dict[str, list[FacetValueOut]]
    facets_complete: bool = Field(
        True,
        description="false: more than 2,000 documents matched and the facet counts were "
        "taken over the first 2,000 of them (a sample)",
    )
    total_exact: bool = Field(
        True,
        description="false: more than 10,000 documents matched; total is then 10,001 and "
        "means 'more than 10,000' (counting further would cost more than the search)",
    )
