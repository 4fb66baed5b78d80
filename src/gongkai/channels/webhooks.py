"""Signed webhooks to the agencies' business systems (业务系统推送), with retries.

Deliveries are rows, written in the same transaction as the events they carry
(`create_deliveries`, called by outbox.py): a change that rolls back sends nothing, and a
process that dies right after the commit loses nothing — `gongkai deliver-webhooks` (cron
or a long-running loop) sends whatever is due.

A delivery is one POST of the event as JSON (the change feed's shape) with
    X-Gongkai-Event      e.g. item.created
    X-Gongkai-Delivery   the delivery id (the same on every retry: receivers de-duplicate)
    X-Gongkai-Timestamp  Unix seconds of this attempt
    X-Gongkai-Signature  "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body)
Any 2xx answer is success; anything else (or no answer within 10 s) is retried after
1 min, 5 min, 30 min, 2 h and 12 h, then the delivery is dead (the back office can send it
again). Deliveries are independent: one failing event does not hold back later ones, so
receivers order by the event cursor, not by arrival.
"""

from __future__ import annotations

import hmac
import json
import time
from collections import Counter
from datetime import datetime, timedelta

import httpx
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from gongkai.core import audit

from .models import ChangeEvent, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from .outbox import event_payload, site_url

BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
TIMEOUT = 10.0
# A delivery being sent is pushed this far ahead, so a second worker does not take it too.
LEASE = timedelta(minutes=5)
USER_AGENT = "Gongkai-Webhooks/1.0"
DUE = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


def create_deliveries(after_id: int, upto_id: int | None = None) -> int:
    """A pending delivery per active endpoint for each matching event with
    after_id < id <= upto_id (or every later id). One INSERT … SELECT per endpoint, so an
    import of 100,000 items costs a statement, not 100,000."""
    endpoints = list(WebhookEndpoint.objects.filter(active=True).select_related("agency"))
    if not endpoints:
        return 0
    q = connection.ops.quote_name
    column = {f.name: q(f.column) for f in WebhookDelivery._meta.concrete_fields}
    ev = {f.name: q(f.column) for f in ChangeEvent._meta.concrete_fields}
    now = WebhookDelivery._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
    total = 0
    with connection.cursor() as cursor:
        for endpoint in endpoints:
            where, params = [f"{ev['id']} > %s"], [after_id]
            if upto_id is not None:
                where.append(f"{ev['id']} <= %s")
                params.append(upto_id)
            if endpoint.kinds:
                where.append(f"{ev['kind']} IN ({', '.join(['%s'] * len(endpoint.kinds))})")
                params.extend(endpoint.kinds)
            if endpoint.agency_id:
                where.append(f"{ev['agency_code']} = %s")
                params.append(endpoint.agency.code)
            names = ", ".join(
                column[n]
                for n in (
                    "endpoint",
                    "event",
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "last_error",
                    "created_at",
                )
            )
            # Identifiers come from model metadata and are quoted; values are parameters.
            sql = (
                f"INSERT INTO {q(WebhookDelivery._meta.db_table)} ({names}) "  # noqa: S608
                f"SELECT %s, {ev['id']}, %s, 0, %s, %s, %s "
                f"FROM {q(ChangeEvent._meta.db_table)} WHERE {' AND '.join(where)}"
            )
            cursor.execute(sql, [endpoint.pk, DeliveryStatus.PENDING, now, "", now, *params])
            total += max(cursor.rowcount, 0)
    return total


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Gongkai-Signature value for a body sent at `timestamp`."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, "sha256")
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: int = 300
) -> bool:
    """What a receiver checks (for Python receivers): the signature matches and the
    timestamp is within `tolerance` seconds of now (no replays of old deliveries)."""
    try:
        age = abs(time.time() - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature)


def body_of(delivery: WebhookDelivery) -> bytes:
    payload = event_payload(delivery.event, site_url)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def due(now: datetime | None = None) -> QuerySet[WebhookDelivery]:
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        status__in=DUE, next_attempt_at__lte=now, endpoint__active=True
    ).order_by("next_attempt_at", "id")


def deliver_due(*, limit: int = 100, client: httpx.Client | None = None) -> Counter:
    """Send up to `limit` due deliveries; returns how many ended in each status."""
    now = timezone.now()
    batch = list(due(now).select_related("endpoint", "event")[:limit])
    counts: Counter = Counter()
    own = client is None
    if own:
        client = httpx.Client(
            timeout=TIMEOUT, follow_redirects=False, headers={"User-Agent": USER_AGENT}
        )
    try:
        for delivery in batch:
            if _claim(delivery, now):
                counts[attempt(delivery, client)] += 1
    finally:
        if own:
            client.close()
    return counts


def _claim(delivery: WebhookDelivery, now: datetime) -> bool:
    """Take the delivery unless another worker took it since we read it."""
    taken = WebhookDelivery.objects.filter(
        pk=delivery.pk, attempts=delivery.attempts, status__in=DUE, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    return taken == 1


def attempt(delivery: WebhookDelivery, client: httpx.Client) -> str:
    """POST the delivery once and record the outcome; returns the new status."""
    endpoint = delivery.endpoint
    body = body_of(delivery)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Gongkai-Event": delivery.event.topic,
        "X-Gongkai-Delivery": str(delivery.pk),
        "X-Gongkai-Timestamp": timestamp,
        "X-Gongkai-Signature": sign(endpoint.secret, timestamp, body),
    }
    code, error = None, ""
    try:
        response = client.post(endpoint.url, content=body, headers=headers, timeout=TIMEOUT)
        code = response.status_code
        if not 200 <= code < 300:
            error = f"HTTP {code} {response.text[:300]}".strip()
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__
    return _finish(delivery, code, error)


def _finish(delivery: WebhookDelivery, code: int | None, error: str) -> str:
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = code
    delivery.last_error = error
    if code is not None and not error:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, None
    elif delivery.attempts > len(BACKOFF):
        delivery.status, delivery.next_attempt_at = DeliveryStatus.DEAD, None
    else:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "status",
            "next_attempt_at",
        ]
    )
    return delivery.status


# --- back-office services --------------------------------------------------------------


def _require_superuser(user, action: str) -> None:
    if not getattr(user, "is_superuser", False):
        raise PermissionDenied(f"只有系统管理员可以{action}。")


ENDPOINT_FIELDS = ("name", "url", "active", "kinds", "agency_id")


@transaction.atomic
def save_endpoint(user, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Create or change an endpoint (system administrators only; audited, the secret never)."""
    _require_superuser(user, "配置推送接口")
    old = WebhookEndpoint.objects.filter(pk=endpoint.pk).first() if endpoint.pk else None
    endpoint.full_clean()
    endpoint.save()
    after = {f: getattr(endpoint, f) for f in ENDPOINT_FIELDS}
    before = None
    if old is not None:
        before = {f: getattr(old, f) for f in ENDPOINT_FIELDS}
        after["secret_changed"] = old.secret != endpoint.secret
    action = "channels.webhook_change" if old else "channels.webhook_create"
    audit.record(user, action, endpoint, before=before, after=after)
    return endpoint


@transaction.atomic
def retry_deliveries(user, deliveries: QuerySet[WebhookDelivery]) -> int:
    """Send failed or dead deliveries again now, with a fresh retry schedule."""
    _require_superuser(user, "重新推送")
    targets = list(
        deliveries.filter(status__in=(DeliveryStatus.FAILED, DeliveryStatus.DEAD)).values_list(
            "pk", flat=True
        )
    )
    n = WebhookDelivery.objects.filter(pk__in=targets).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    for delivery in WebhookDelivery.objects.filter(pk__in=targets).select_related("endpoint"):
        audit.record(user, "channels.webhook_retry", delivery, note=str(delivery.endpoint))
    return n
