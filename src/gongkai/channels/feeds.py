"""Feeds from the same source as the portal: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the
whole site, one domain, one agency, or one catalog item.

A feed shows the newest 50 entries among published catalog items and published
disclosure records in its scope (records once gongkai.disclosure is installed). An item's
feed shows its records and its own changes (published, updated, taken down) from the
outbox. Everything is plain text — no HTML is carried, so nothing needs sanitising
downstream. Responses are cacheable: Last-Modified/ETag from the newest change in scope.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Max, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog.models import CatalogItem, Domain
from gongkai.catalog.services import public_items
from gongkai.org.models import Agency, AgencyKind

from .models import ChangeEvent, EventAction, EventKind

FEED_SIZE = 50
SUMMARY_CHARS = 300
SCOPES = ("all", "domain", "agency", "item")
FORMATS = ("rss", "atom", "json")


@dataclass
class Entry:
    guid: str
    title: str
    link: str
    summary: str
    published: datetime
    updated: datetime
    author: str
    categories: tuple[str, ...] = ()
    permalink: bool = True


@dataclass
class Scope:
    kind: str
    code: str
    title: str
    description: str
    page: str  # the portal page the feed belongs to
    items: QuerySet | None = None
    records: QuerySet | None = None
    events: QuerySet | None = None  # what "changed" means here (retirements included)
    item_events: QuerySet | None = None  # entries made of the item's own changes
    author: str = ""
    absolute: Callable[[str], str] = str
    entries: list[Entry] = field(default_factory=list)

    def feed_path(self, fmt: str) -> str:
        if self.kind == "all":
            return reverse(f"channels:feed_all_{fmt}")
        return reverse(f"channels:feed_{fmt}", kwargs={"kind": self.kind, "code": self.code})


def record_model() -> Any | None:
    """The disclosure Record model when that app is installed (it is built separately)."""
    if not apps.is_installed("gongkai.disclosure"):
        return None
    try:
        from gongkai.disclosure.models import Record
    except ImportError:
        return None
    return Record


def published_records() -> QuerySet | None:
    Record = record_model()
    if Record is None:
        return None
    return Record.objects.filter(
        status="published", published_at__isnull=False, item__is_guideline=False
    )


def site_name() -> str:
    return getattr(settings, "SITE_NAME", "") or "政务公开"


def get_scope(kind: str, code: str = "") -> Scope:
    """What a feed covers; Http404 for an unknown scope or a non-public object."""
    site = site_name()
    items, records = public_items(), published_records()
    if kind == "all":
        return Scope(
            "all",
            "",
            f"{site} · 政务公开最新发布",
            f"{site}最新发布的目录事项和公开信息",
            reverse("portal:home"),
            items=items,
            records=records,
            events=ChangeEvent.objects.all(),
        )
    if kind == "domain":
        domain = Domain.objects.filter(code=code).first()
        if domain is None:
            raise Http404("没有这个公开领域。")
        return Scope(
            kind,
            code,
            f"{domain.name} · {site}",
            f"{site}“{domain.name}”领域最新发布的目录事项和公开信息",
            domain.get_absolute_url(),
            items=items.filter(domain=domain),
            records=records.filter(item__domain=domain) if records is not None else None,
            events=ChangeEvent.objects.filter(domain_code=domain.code),
        )
    if kind == "agency":
        agency = (
            Agency.objects.filter(code=code, is_active=True)
            .exclude(kind=AgencyKind.NATIONAL)
            .first()
        )
        if agency is None:
            raise Http404("没有这个机关单位。")
        return Scope(
            kind,
            code,
            f"{agency.name} · 政务公开",
            f"{agency.name}最新发布的目录事项和公开信息",
            reverse("portal:agency", args=[agency.code]),
            items=items.filter(agency=agency),
            records=records.filter(agency=agency) if records is not None else None,
            events=ChangeEvent.objects.filter(agency_code=agency.code),
        )
    if kind == "item":
        item = (
            items.select_related("agency").filter(pk=int(code)).first()
            if str(code).isdigit() and len(str(code)) <= 18  # fits a bigint
            else None
        )
        if item is None:
            raise Http404("没有这个目录事项，或者它尚未发布。")
        own = ChangeEvent.objects.filter(kind=EventKind.ITEM, object_id=item.pk)
        return Scope(
            kind,
            str(item.pk),
            f"{item} · 目录事项动态",
            f"目录事项“{item}”下发布的公开信息和事项本身的变更",
            item.get_absolute_url(),
            records=records.filter(item=item) if records is not None else None,
            events=own,
            item_events=own,
            author=item.agency.name,
        )
    raise Http404("没有这种订阅。")


def _latest_event(scope: Scope) -> tuple[int, datetime] | None:
    """The newest event in scope (ids are in commit order, and every scope's filter has an
    index ending in id, so this is one index probe — no scan of the whole outbox)."""
    if scope.events is None:
        return None
    return scope.events.order_by("-id").values_list("id", "occurred_at").first()


def last_modified(scope: Scope) -> datetime | None:
    """The newest change in scope: a publication, an update, or a removal."""
    stamps = []
    if scope.items is not None:
        # A published item's content changes only together with published_at (approve,
        # direct publication, import), which is indexed; removals are events.
        stamps.append(scope.items.aggregate(m=Max("published_at"))["m"])
    if scope.records is not None:
        stamps.append(scope.records.aggregate(m=Max("updated_at"))["m"])
    latest = _latest_event(scope)
    if latest is not None:
        stamps.append(latest[1])
    stamps = [s for s in stamps if s is not None]
    return max(stamps) if stamps else None


def etag(scope: Scope, fmt: str, modified: datetime | None) -> str:
    latest = _latest_event(scope)
    stamp = modified.isoformat() if modified else ""
    raw = f"{fmt}:{scope.kind}:{scope.code}:{stamp}:{latest[0] if latest else ''}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _plain(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def item_entry(item: CatalogItem, absolute: Callable[[str], str]) -> Entry:
    link = absolute(item.get_absolute_url())
    parts = [
        f"公开内容：{item.content}" if item.content else "",
        f"公开依据：{item.basis}" if item.basis else "",
        f"公开时限：{item.time_limit_text}" if item.time_limit_text else "",
        f"公开主体：{item.subject_text or item.agency.name}",
    ]
    published = item.published_at or item.updated_at
    return Entry(
        guid=link,
        title=str(item),
        link=link,
        summary=_plain("\n".join(p for p in parts if p)),
        published=published,
        updated=max(published, item.updated_at),
        author=item.agency.name,
        categories=(item.domain.name, "目录事项"),
    )


def record_entry(record: Any, absolute: Callable[[str], str]) -> Entry:
    link = absolute(record.get_absolute_url())
    text = record.body_text() if hasattr(record, "body_text") else ""
    head = "，".join(
        p for p in (getattr(record, "doc_number", ""), getattr(record, "issuer", "")) if p
    )
    summary = _plain(f"{head}。{text}" if head and text else head or text)
    categories = [record.item.domain.name, "公开信息"]
    if getattr(record, "topic", "") and hasattr(record, "topic_label"):
        categories.append(record.topic_label())
    return Entry(
        guid=link,
        title=record.title,
        link=link,
        summary=summary,
        published=record.published_at,
        updated=max(record.published_at, record.updated_at),
        author=record.agency.name,
        categories=tuple(c for c in categories if c),
    )


ACTION_TITLES = {
    EventAction.CREATED: "发布",
    EventAction.UPDATED: "更新",
    EventAction.RETIRED: "下线",
}


def event_entry(event: ChangeEvent, absolute: Callable[[str], str], author: str) -> Entry:
    link = absolute(event.url)
    label = ACTION_TITLES.get(event.action, event.action)
    return Entry(
        guid=f"{link}#change-{event.pk}",
        title=f"【事项{label}】{event.title}",
        link=link,
        summary=f"目录事项“{event.title}”于{timezone.localtime(event.occurred_at):%Y-%m-%d %H:%M}"
        f"{label}。",
        published=event.occurred_at,
        updated=event.occurred_at,
        author=author,
        categories=("事项变更",),
        permalink=False,
    )


def entries(scope: Scope) -> list[Entry]:
    """The newest FEED_SIZE entries in scope, newest first."""
    found: list[Entry] = []
    if scope.items is not None:
        qs = scope.items.select_related("domain", "agency").order_by("-published_at", "-id")
        found += [item_entry(i, scope.absolute) for i in qs[:FEED_SIZE]]
    if scope.records is not None:
        qs = scope.records.select_related("agency", "item__domain").order_by("-published_at", "-id")
        found += [record_entry(r, scope.absolute) for r in qs[:FEED_SIZE]]
    if scope.item_events is not None:
        found += [
            event_entry(e, scope.absolute, scope.author)
            for e in scope.item_events.order_by("-id")[:FEED_SIZE]
        ]
    found.sort(key=lambda e: e.published, reverse=True)
    return found[:FEED_SIZE]


def json_feed(scope: Scope) -> dict:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": scope.title,
        "home_page_url": scope.absolute(scope.page),
        "feed_url": scope.absolute(scope.feed_path("json")),
        "description": scope.description,
        "language": "zh-CN",
        "authors": [{"name": site_name()}],
        "items": [
            {
                "id": e.guid,
                "url": e.link,
                "title": e.title,
                "content_text": e.summary or e.title,
                "date_published": timezone.localtime(e.published).isoformat(),
                "date_modified": timezone.localtime(e.updated).isoformat(),
                "authors": [{"name": e.author}] if e.author else [],
                "tags": list(e.categories),
            }
            for e in scope.entries
        ],
    }
