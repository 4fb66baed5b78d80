"""GET /api/v1/changes: a client walking the cursors sees every event exactly once, in order."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.channels.models import ChangeEvent
from gongkai.channels.outbox import decode_cursor, encode_cursor, record_change

URL = "/api/v1/changes"


def _write(n: int, start: int = 0, kind: str = "record") -> None:
    for i in range(start, start + n):
        record_change(
            kind,
            {
                "object_id": i,
                "title": f"公开信息第{i}号",
                "url": f"/records/{i}/",
                "agency_code": "T-MZJ" if i % 2 else "T-JYJ",
                "domain_code": "social_assistance",
            },
            "created",
        )


def _walk(client, limit: int, *, between=None, since=None, **filters):
    """Follow `next` until has_more is false; `between(page_no)` writes between pages."""
    seen, page_no = [], 0
    while True:
        params = {"limit": limit, **filters}
        if since:
            params["since"] = since
        body = client.get(URL, params).json()
        seen += body["changes"]
        since = body["next"]
        page_no += 1
        if between:
            between(page_no)
        if not body["has_more"]:
            return seen, since


def test_walks_every_event_exactly_once_with_writes_between_pages(client, db):
    _write(23)
    written = {"n": 23}

    def between(page_no):
        if page_no <= 3:  # new events arrive while the client is paging
            _write(4, start=written["n"])
            written["n"] += 4

    seen, last = _walk(client, 5, between=between)
    assert written["n"] == 35
    assert [c["id"] for c in seen] == list(range(35))  # all of them, once, in order
    assert len({c["cursor"] for c in seen}) == len(seen)
    # Whatever was written after the last page comes on the next poll, and only that.
    _write(2, start=written["n"])
    more, _ = _walk(client, 5, since=last)
    assert [c["id"] for c in seen + more] == list(range(written["n"] + 2))


def test_page_shape_and_public_fields(client, db, publish):
    item = publish(level2="审核确认结果")
    body = client.get(URL).json()
    assert body["has_more"] is False
    (change,) = body["changes"]
    assert change["kind"] == "item" and change["id"] == item.pk
    assert change["action"] == "created"
    assert change["title"] == "最低生活保障 / 审核确认结果"
    assert change["url"] == f"http://testserver/items/{item.pk}/"
    assert (change["agency"], change["domain"]) == ("T-MZJ", "social_assistance")
    assert change["occurred_at"].endswith("+08:00")
    assert set(change) == {
        "cursor",
        "kind",
        "id",
        "action",
        "title",
        "url",
        "agency",
        "domain",
        "occurred_at",
    }
    assert body["next"] == change["cursor"]
    # Nothing new: the same cursor comes back, so a poller can keep asking.
    again = client.get(URL, {"since": body["next"]}).json()
    assert again == {"changes": [], "next": body["next"], "has_more": False}


def test_empty_feed_gives_a_starting_cursor(client, db):
    body = client.get(URL).json()
    assert body["changes"] == [] and body["has_more"] is False
    assert decode_cursor(body["next"]) == 0


def test_cursors_are_stable_and_opaque(db):
    assert encode_cursor(42) == encode_cursor(42)
    assert "42" not in encode_cursor(42).split(":")[0]
    assert decode_cursor(encode_cursor(42)) == 42


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",
        "eyJhIjo1fQ:forged",
        "eyJhIjogLTF9:x",
    ],
)
def test_tampered_or_forged_cursor_is_a_400_in_chinese(client, db, cursor):
    _write(3)
    response = client.get(URL, {"since": cursor or " "})
    assert response.status_code == 400
    assert "游标" in response.json()["detail"]


def test_a_cursor_with_its_position_edited_is_refused(client, db):
    _write(3)
    real = encode_cursor(1)
    payload, signature = real.split(":", 1)
    import base64

    forged = base64.urlsafe_b64encode(b'{"a":0}').decode().rstrip("=")
    response = client.get(URL, {"since": f"{forged}:{signature}"})
    assert response.status_code == 400
    assert client.get(URL, {"since": real}).status_code == 200


def test_limit_bounds(client, db):
    _write(3)
    assert len(client.get(URL, {"limit": 2}).json()["changes"]) == 2
    assert client.get(URL).status_code == 200
    for bad in (0, 1001, "x"):
        response = client.get(URL, {"limit": bad})
        assert response.status_code == 422
        assert "limit" in response.json()["detail"]


def test_filters_by_agency_and_kind(client, db, publish):
    _write(6)
    publish()
    seen, _ = _walk(client, 2, agency="T-MZJ")
    assert {c["agency"] for c in seen} == {"T-MZJ"} and len(seen) == 4
    items, _ = _walk(client, 10, kind="item")
    assert [c["kind"] for c in items] == ["item"]


def test_a_rolled_back_transaction_leaves_nothing_to_read(client, db):
    _write(2)
    try:
        with transaction.atomic():
            _write(3, start=2)
            raise RuntimeError
    except RuntimeError:
        pass
    _write(1, start=5)
    seen, _ = _walk(client, 100)
    assert [c["id"] for c in seen] == [0, 1, 5]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    initial=st.integers(0, 12),
    limit=st.integers(1, 6),
    bursts=st.lists(st.integers(0, 4), max_size=6),
)
def test_property_every_event_exactly_once_in_order(client, db, initial, limit, bursts):
    """Any page size, any writes between pages: the walk (plus one final poll) yields the
    events written, each once, in the order they were written."""
    with transaction.atomic():
        start = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        since = encode_cursor(start)
        counter = {"n": 0}

        def write(n):
            _write(n, start=counter["n"])
            counter["n"] += n

        write(initial)
        queue = list(bursts)

        def between(_page_no):
            if queue:
                write(queue.pop(0))

        seen, last = _walk(client, limit, between=between, since=since)
        for burst in queue:  # the rest arrive after the client caught up
            write(burst)
        tail, _ = _walk(client, limit, since=last)
        assert [c["id"] for c in seen + tail] == list(range(counter["n"]))
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_change_feed_links_use_the_public_site_url_behind_a_proxy(client, settings):
    """Like the feeds and the sitemap, the change feed gives the public address, not the
    host the request happened to reach."""
    _write(1)
    assert client.get("/api/v1/changes").json()["changes"][0]["url"] == (
        "http://testserver/records/0/"
    )
    settings.GONGKAI_SITE_URL = "https://gk.example.gov.cn"
    assert client.get("/api/v1/changes").json()["changes"][0]["url"] == (
        "https://gk.example.gov.cn/records/0/"
    )


def test_a_withdrawn_record_leaves_the_change_feed_too(client, publish):
    """A record taken down (say, a resident's name in its title) must not live on in
    the change feed: every event of it reads as withdrawn, with no address."""
    from gongkai.disclosure import services
    from tests.portal.helpers import _staff
    from tests.portal.records import publish_record

    item = publish()
    kept = publish_record(item, title="关于城乡低保对象的公示")
    gone = publish_record(item, title="关于张三家庭低保资格的公示")
    _, reviewer = _staff(item.agency)
    services.withdraw(reviewer, gone, "标题含个人信息")

    changes = client.get(URL, {"kind": "record"}).json()["changes"]
    by_id: dict[int, list] = {}
    for change in changes:
        by_id.setdefault(change["id"], []).append(change)
    assert [c["action"] for c in by_id[gone.pk]] == ["created", "retired"]
    assert all(c["title"] == "（该信息已撤回）" and c["url"] == "" for c in by_id[gone.pk])
    assert "张三" not in str(changes)
    assert by_id[kept.pk][0]["title"] == "关于城乡低保对象的公示"
    # the outbox itself is unchanged (append-only)
    assert ChangeEvent.objects.filter(object_id=gone.pk, title__contains="张三").exists()
