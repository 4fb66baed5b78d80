"""Signed webhooks against a real HTTP server on 127.0.0.1: signature, retries, filters."""

import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from gongkai.catalog import services
from gongkai.catalog.exchange.importer import import_catalog
from gongkai.channels import webhooks
from gongkai.channels.models import (
    ChangeEvent,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
)
from gongkai.core.models import AuditEntry
from tests.catalog.exchange import builders

SECRET = "s3cret-shared-with-the-receiver"


class Receiver:
    """A business system: checks the signature itself (HMAC-SHA256 over timestamp.body)
    and answers with the next status code from `replies` (200 when none are left)."""

    def __init__(self, replies=()):
        self.replies = list(replies)
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                timestamp = self.headers["X-Gongkai-Timestamp"]
                expected = hmac.new(
                    SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
                ).hexdigest()
                receiver.requests.append(
                    {
                        "headers": dict(self.headers),
                        "body": json.loads(body.decode("utf-8")),
                        "signature_ok": hmac.compare_digest(
                            self.headers["X-Gongkai-Signature"], f"sha256={expected}"
                        ),
                        "fresh": abs(time.time() - int(timestamp)) < 60,
                    }
                )
                status = receiver.replies.pop(0) if receiver.replies else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write("收到".encode() if status < 300 else b"server error")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/gongkai"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", password="x" * 12)


def _endpoint(root, url, **fields):
    return webhooks.save_endpoint(
        root, WebhookEndpoint(name="省级平台", url=url, secret=SECRET, **fields)
    )


def _deliver() -> str:
    out = StringIO()
    call_command("deliver-webhooks", "--once", stdout=out)
    return out.getvalue()


def _make_due(delivery):
    """Let the retry wait pass (the row's time is the clock the sender reads)."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_publication_is_pushed_signed(root, publish):
    with Receiver() as receiver:
        _endpoint(root, receiver.url)
        item = publish(level2="审核确认结果")
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.PENDING
        output = _deliver()
    assert "成功 1" in output
    (request,) = receiver.requests
    assert request["signature_ok"] and request["fresh"]
    headers = request["headers"]
    assert headers["X-Gongkai-Event"] == "item.created"
    assert headers["X-Gongkai-Delivery"] == str(delivery.pk)
    assert headers["Content-Type"].startswith("application/json")
    body = request["body"]
    assert body["kind"] == "item" and body["id"] == item.pk and body["action"] == "created"
    assert body["title"] == "最低生活保障 / 审核确认结果"
    assert body["url"] == f"/items/{item.pk}/"  # no GONGKAI_SITE_URL: the site path
    assert body["cursor"] and body["agency"] == "T-MZJ"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert (delivery.attempts, delivery.last_status_code) == (1, 200)
    assert _deliver().strip() == "没有到期的推送。"  # sent once only


def test_failure_is_retried_after_a_minute_then_succeeds(root, publish):
    with Receiver(replies=[500]) as receiver:
        _endpoint(root, receiver.url)
        publish()
        before = timezone.now()
        assert "失败待重试 1" in _deliver()
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.FAILED and delivery.last_status_code == 500
        assert "500" in delivery.last_error
        wait = delivery.next_attempt_at - before
        assert dt.timedelta(seconds=59) <= wait <= dt.timedelta(seconds=65)
        assert "没有到期" in _deliver()  # not due yet: nothing sent
        assert len(receiver.requests) == 1
        _make_due(delivery)
        assert "成功 1" in _deliver()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2
    assert delivery.last_error == ""
    first, second = receiver.requests
    # Same delivery id on the retry (receivers de-duplicate), fresh signature each time.
    assert first["headers"]["X-Gongkai-Delivery"] == second["headers"]["X-Gongkai-Delivery"]
    assert first["signature_ok"] and second["signature_ok"]


def test_backoff_schedule_then_dead(root, publish):
    waits = []
    with Receiver(replies=[503] * 10) as receiver:
        _endpoint(root, receiver.url)
        publish()
        delivery = WebhookDelivery.objects.get()
        for _ in range(6):
            _make_due(delivery)
            started = timezone.now()
            _deliver()
            delivery.refresh_from_db()
            if delivery.next_attempt_at:
                waits.append(round((delivery.next_attempt_at - started).total_seconds() / 60))
    assert waits == [1, 5, 30, 120, 720]
    assert delivery.status == DeliveryStatus.DEAD and delivery.attempts == 6
    assert len(receiver.requests) == 6


def test_unreachable_endpoint_is_a_failure_with_the_reason(root, publish):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _endpoint(root, f"http://127.0.0.1:{port}/hook")
    publish()
    _deliver()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_status_code is None and "Connect" in delivery.last_error


def test_endpoint_filters_and_inactive_endpoints(root, publish, zone):
    _endpoint(root, "http://127.0.0.1:9/all")
    _endpoint(root, "http://127.0.0.1:9/records-only", kinds=["record"])
    _endpoint(root, "http://127.0.0.1:9/education", agency=zone["jyj"])
    _endpoint(root, "http://127.0.0.1:9/civil", agency=zone["mzj"], kinds=["item"])
    _endpoint(root, "http://127.0.0.1:9/off", active=False)
    publish()  # a 民政局 item
    got = set(WebhookDelivery.objects.values_list("endpoint__url", flat=True))
    assert got == {"http://127.0.0.1:9/all", "http://127.0.0.1:9/civil"}


def test_rolled_back_change_sends_nothing(root, publish, zone):
    from tests.portal.helpers import _staff

    item = publish()
    _endpoint(root, "http://127.0.0.1:9/all")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.transition(_staff(zone["mzj"])[1], item, "retire", note="职能调整")
        raise RuntimeError
    assert WebhookDelivery.objects.count() == 0


def test_an_import_queues_one_delivery_per_event(root, tmp_path, zone, people):
    _endpoint(root, "http://127.0.0.1:9/all")
    rows = builders.sample_rows()
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": rows})
    import_catalog(path, zone["mzj"], people["admin"], publish=True)
    events = set(ChangeEvent.objects.values_list("pk", flat=True))
    assert len(events) == len(rows)
    assert set(WebhookDelivery.objects.values_list("event_id", flat=True)) == events


def test_only_system_administrators_configure_endpoints_and_it_is_audited(root, people):
    with pytest.raises(PermissionDenied):
        _endpoint(people["admin"], "http://127.0.0.1:9/x")
    endpoint = _endpoint(root, "http://127.0.0.1:9/x")
    endpoint.secret = "rotated-secret"
    webhooks.save_endpoint(root, endpoint)
    entries = AuditEntry.objects.filter(object_type="channels.webhookendpoint").order_by("id")
    assert [e.action for e in entries] == ["channels.webhook_create", "channels.webhook_change"]
    assert entries.last().after["secret_changed"] is True
    assert all(SECRET not in json.dumps(e.after) for e in entries)
    assert "rotated-secret" not in json.dumps(entries.last().after)


def test_dead_deliveries_can_be_sent_again(root, publish):
    with Receiver(replies=[500] * 6) as receiver:
        _endpoint(root, receiver.url)
        publish()
        delivery = WebhookDelivery.objects.get()
        for _ in range(6):
            _make_due(delivery)
            _deliver()
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.DEAD
        assert webhooks.retry_deliveries(root, WebhookDelivery.objects.all()) == 1
        assert "成功 1" in _deliver()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert AuditEntry.objects.filter(action="channels.webhook_retry").count() == 1


def test_verify_helper_for_python_receivers():
    body = '{"title":"公开"}'.encode()
    now = str(int(time.time()))
    signature = webhooks.sign(SECRET, now, body)
    assert webhooks.verify(SECRET, now, body, signature)
    assert not webhooks.verify(SECRET, now, body + b" ", signature)
    assert not webhooks.verify("other", now, body, signature)
    old = str(int(time.time()) - 3600)
    assert not webhooks.verify(SECRET, old, body, webhooks.sign(SECRET, old, body))


def test_back_office_pages(client, root, people, publish):
    _endpoint(root, "http://127.0.0.1:9/all")
    publish()
    client.force_login(root)
    for url in (
        "/admin/channels/webhookendpoint/",
        "/admin/channels/webhookendpoint/add/",
        "/admin/channels/webhookdelivery/",
        "/admin/channels/changeevent/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "推送接口" in client.get("/admin/").content.decode()
    response = client.post(
        "/admin/channels/webhookendpoint/add/",
        {
            "name": "新媒体平台",
            "url": "https://wx.example.cn/hook",
            "active": "on",
            "kinds": ["item"],
            "secret": "abc123abc123",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    added = WebhookEndpoint.objects.get(name="新媒体平台")
    assert added.kinds == ["item"]
    assert AuditEntry.objects.filter(action="channels.webhook_create", object_id=str(added.pk))
    client.force_login(people["admin"])
    assert client.get("/admin/channels/webhookendpoint/").status_code == 403


def test_once_sends_everything_due_in_batches(root, publish):
    with Receiver() as receiver:
        _endpoint(root, receiver.url)
        for i in range(5):
            publish(level2=f"第{i}批名单")
        out = StringIO()
        call_command("deliver-webhooks", "--once", "--limit", "2", stdout=out)
    assert "推送 5 条：成功 5" in out.getvalue()
    assert sorted(r["body"]["title"] for r in receiver.requests) == sorted(
        f"最低生活保障 / 第{i}批名单" for i in range(5)
    )
    assert all(r["signature_ok"] for r in receiver.requests)


def test_bad_options_are_refused_in_chinese(db):
    with pytest.raises(CommandError, match="--limit"):
        call_command("deliver-webhooks", "--once", "--limit", "0")
