"""The outbox of public changes: writing events, and reading them back with cursors.

The services that change what the public sees call `record_change` (one object) or
`record_changes_bulk` (imports) inside their own transaction, so a change that rolls back
leaves no event. Every channel reads the same rows: the change feed (/api/v1/changes),
the webhooks (webhooks.py) and the item feeds (feeds.py).

Order is the event id. So that a reader's cursor never skips an event that commits late,
event ids must be handed out in commit order: on PostgreSQL writers take a transaction-level
advisory lock before inserting (held until commit), SQLite has a single writer anyway.

Actions, from the public's point of view: "created" — appears on the public site for the
first time; "updated" — was public and changed, or is public again after a withdrawal;
"retired" — left the public site (retired, withdrawn, or sent back to review). A consumer
upserts on created/updated and removes on retired.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core import signing
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.core.bulk import insert_rows

from .models import ChangeEvent, EventAction, EventKind

ITEM = EventKind.ITEM.value
RECORD = EventKind.RECORD.value
CREATED = EventAction.CREATED.value
UPDATED = EventAction.UPDATED.value
RETIRED = EventAction.RETIRED.value
# For callers that publish: "created" the first time an object is seen, "updated" after.
PUBLISHED = "published"

KINDS = frozenset(EventKind.values)
ACTIONS = frozenset(EventAction.values)
VALUE_KEYS = ("object_id", "title", "url", "agency_code", "domain_code")

# Any constant works; it only has to be the same for every writer of events.
_LOCK_KEY = 0x60_6B_A1_C4


def describe(kind: str, obj: Any) -> dict:
    """The public facts an event keeps about an object (a dict passes through)."""
    if isinstance(obj, dict):
        return {k: obj.get(k, "") for k in VALUE_KEYS}
    if kind == ITEM:
        return {
            "object_id": obj.pk,
            "title": str(obj),
            "url": obj.get_absolute_url(),
            "agency_code": obj.agency.code,
            "domain_code": obj.domain.code,
        }
    if kind == RECORD:
        item = obj.item
        return {
            "object_id": obj.pk,
            "title": getattr(obj, "title", "") or str(obj),
            "url": obj.get_absolute_url(),
            "agency_code": obj.agency.code if getattr(obj, "agency_id", None) else "",
            "domain_code": item.domain.code if item is not None else "",
        }
    raise ValueError(f"unknown event kind: {kind}")


def _check(kind: str, action: str, *, allow_published: bool = True) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown event kind: {kind}")
    if action not in ACTIONS and not (allow_published and action == PUBLISHED):
        raise ValueError(f"unknown event action: {action}")


def _fit(values: dict) -> dict:
    title, url = str(values["title"] or ""), str(values["url"] or "")
    return {
        "object_id": int(values["object_id"]),
        "title": title[:500],
        "url": url[:500],
        "agency_code": str(values["agency_code"] or "")[:64],
        "domain_code": str(values["domain_code"] or "")[:40],
    }


def _lock() -> None:
    """Serialise event writers until commit, so ids are in commit order (see above)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _is_guideline_item(kind: str, obj: Any) -> bool:
    # Guideline catalogs are not on the public site: nothing about them goes out.
    return kind == ITEM and bool(getattr(obj, "is_guideline", False))


@transaction.atomic
def record_change(kind: str, obj: Any, action: str) -> ChangeEvent | None:
    """Record that `obj` (a catalog item, a disclosure record, or a dict of VALUE_KEYS)
    was created/updated/retired on the public site; `PUBLISHED` picks created or updated.

    Call it inside the transaction of the change. Returns None for objects that are never
    public (guideline items)."""
    _check(kind, action)
    if _is_guideline_item(kind, obj):
        return None
    values = _fit(describe(kind, obj))
    _lock()
    if action == PUBLISHED:
        seen = ChangeEvent.objects.filter(kind=kind, object_id=values["object_id"]).exists()
        action = UPDATED if seen else CREATED
    event = ChangeEvent.objects.create(kind=kind, action=action, **values)
    from .webhooks import create_deliveries

    create_deliveries(after_id=event.pk - 1, upto_id=event.pk)
    return event


@transaction.atomic
def record_changes_bulk(kind: str, objs_or_values: Iterable[Any], action: str) -> int:
    """`record_change` for many objects at once (imports): one insert below the ORM.

    Accepts model instances, search.indexing.ItemView rows or dicts of VALUE_KEYS; the
    action must be explicit (created/updated/retired). Returns the number of events."""
    _check(kind, action, allow_published=False)
    values = _bulk_values(kind, list(objs_or_values))
    if not values:
        return 0
    _lock()
    last = ChangeEvent.objects.aggregate(last=Max("id"))["last"] or 0
    when = ChangeEvent._meta.get_field("occurred_at").get_db_prep_save(timezone.now(), connection)
    columns = ["kind", "action", *VALUE_KEYS, "occurred_at"]
    rows = ([kind, action, *(v[k] for k in VALUE_KEYS), when] for v in values)
    insert_rows(ChangeEvent._meta.db_table, columns, rows)
    from .webhooks import create_deliveries

    create_deliveries(after_id=last)
    return len(values)


BATCH = 1000


def _bulk_values(kind: str, objs: list[Any]) -> list[dict]:
    if kind != ITEM:
        return [_fit(describe(kind, o)) for o in objs if not _is_guideline_item(kind, o)]
    from gongkai.catalog.models import CatalogItem, Domain
    from gongkai.org.models import Agency

    # Rows without the flag (ItemView, dicts): ask the database which are guidelines.
    unknown = [_pk(o) for o in objs if not hasattr(o, "is_guideline")]
    guidelines: set[int] = set()
    for start in range(0, len(unknown), BATCH):
        guidelines.update(
            CatalogItem.objects.filter(
                pk__in=unknown[start : start + BATCH], is_guideline=True
            ).values_list("pk", flat=True)
        )
    objs = [o for o in objs if not _is_guideline_item(kind, o) and _pk(o) not in guidelines]
    plain = [o for o in objs if not isinstance(o, dict)]
    agencies = dict(
        Agency.objects.filter(pk__in={_fk(o, "agency") for o in plain}).values_list("pk", "code")
    )
    domains = dict(
        Domain.objects.filter(pk__in={_fk(o, "domain") for o in plain}).values_list("pk", "code")
    )
    url = CatalogItem.url_formatter()
    out = []
    for o in objs:
        if isinstance(o, dict):
            out.append(_fit(describe(kind, o)))
            continue
        out.append(
            _fit(
                {
                    "object_id": o.pk,
                    "title": str(o),
                    "url": url(o.pk),
                    "agency_code": agencies.get(_fk(o, "agency"), ""),
                    "domain_code": domains.get(_fk(o, "domain"), ""),
                }
            )
        )
    return out


def _pk(obj: Any) -> int:
    return int(obj["object_id"]) if isinstance(obj, dict) else obj.pk


def _fk(obj: Any, name: str) -> int | None:
    """A foreign key's id without loading the related row (ItemView carries the object)."""
    value = getattr(obj, f"{name}_id", None)
    if value is None:
        related = getattr(obj, name, None)
        value = getattr(related, "pk", None)
    return value


# --- reading: cursors and pages ---------------------------------------------------------

CURSOR_SALT = "gongkai.channels.changes"


class InvalidCursor(ValueError):
    """The cursor was not made by this site (tampered, truncated, or another secret)."""


def encode_cursor(event_id: int) -> str:
    """An opaque, signed cursor meaning "after event `event_id`". The same position always
    gives the same cursor (no timestamp inside), so clients may store and compare them."""
    return signing.Signer(salt=CURSOR_SALT).sign_object({"a": int(event_id)})


def decode_cursor(cursor: str) -> int:
    try:
        data = signing.Signer(salt=CURSOR_SALT).unsign_object(cursor)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise InvalidCursor("游标无效或已被篡改，请使用接口返回的游标。") from exc
    value = data.get("a") if isinstance(data, dict) else None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidCursor("游标无效或已被篡改，请使用接口返回的游标。")
    return value


def changes_after(
    after_id: int,
    limit: int,
    *,
    kind: str | None = None,
    agency_code: str | None = None,
    domain_code: str | None = None,
) -> tuple[list[ChangeEvent], bool]:
    """Up to `limit` events after `after_id`, oldest first, and whether more follow."""
    qs = ChangeEvent.objects.filter(id__gt=after_id)
    if kind:
        qs = qs.filter(kind=kind)
    if agency_code:
        qs = qs.filter(agency_code=agency_code)
    if domain_code:
        qs = qs.filter(domain_code=domain_code)
    events = list(qs.order_by("id")[: limit + 1])
    page = events[:limit]
    _redact_withdrawn(page)
    return page, len(events) > limit


WITHDRAWN_TITLE = "（该信息已撤回）"


def _redact_withdrawn(events: list[ChangeEvent]) -> None:
    """Blank the title and address of every event of a record that has since left the
    site (its newest event is "retired"): a record is withdrawn for a reason — a wrong
    name, a personal detail in its title — and the change feed must not go on
    publishing what the portal took down. Only the in-memory events change; the
    outbox stays as written (and a record published again shows its titles again)."""
    ids = {e.object_id for e in events if e.kind == EventKind.RECORD}
    if not ids:
        return
    newest = (
        ChangeEvent.objects.filter(kind=EventKind.RECORD, object_id__in=ids)
        .values("object_id")
        .annotate(last=Max("id"))
    )
    last_ids = [row["last"] for row in newest]
    gone = set(
        ChangeEvent.objects.filter(id__in=last_ids, action=EventAction.RETIRED).values_list(
            "object_id", flat=True
        )
    )
    for event in events:
        if event.kind == EventKind.RECORD and event.object_id in gone:
            event.title, event.url = WITHDRAWN_TITLE, ""


def event_payload(event: ChangeEvent, absolute: Callable[[str], str]) -> dict:
    """An event as the change feed and the webhooks send it (public facts only)."""
    return {
        "cursor": encode_cursor(event.pk),
        "kind": event.kind,
        "id": event.object_id,
        "action": event.action,
        "title": event.title,
        "url": absolute(event.url) if event.url else "",
        "agency": event.agency_code,
        "domain": event.domain_code,
        "occurred_at": timezone.localtime(event.occurred_at).isoformat(),
    }


def site_url(path: str, request=None) -> str:
    """The public address of a site path: settings.GONGKAI_SITE_URL + path when set
    (behind a proxy), else from the request; webhooks have no request and send the
    path alone when the setting is empty."""
    from django.conf import settings

    base = settings.GONGKAI_SITE_URL
    if not path.startswith("/"):
        return path
    if base:
        return f"{base}{path}"
    return request.build_absolute_uri(path) if request is not None else path
