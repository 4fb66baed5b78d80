"""Concurrent writers on PostgreSQL: an event that commits late never hides behind a
reader's cursor (event ids are handed out in commit order)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from gongkai.channels.outbox import changes_after, record_change

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time anyway"
)


def _values(n: int) -> dict:
    return {"object_id": n, "title": f"公开信息{n}", "url": f"/records/{n}/"}


@pytest.mark.django_db(transaction=True)
def test_a_reader_never_skips_an_event_that_commits_late():
    a_written, b_started = threading.Event(), threading.Event()
    errors = []

    def slow_writer():
        try:
            with transaction.atomic():
                record_change("record", _values(1), "created")
                a_written.set()
                b_started.wait(5)
                time.sleep(0.5)  # B tries to write meanwhile
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    def quick_writer():
        try:
            b_started.set()
            record_change("record", _values(2), "created")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    a = threading.Thread(target=slow_writer)
    a.start()
    assert a_written.wait(5)
    b = threading.Thread(target=quick_writer)
    b.start()
    assert b_started.wait(5)
    time.sleep(0.2)
    # A reader polling now must not get past A's uncommitted event.
    seen, _ = changes_after(0, 100)
    cursor = seen[-1].pk if seen else 0
    a.join(10)
    b.join(10)
    assert not errors
    rest, _ = changes_after(cursor, 100)
    walked = [e.object_id for e in seen + rest]
    assert sorted(walked) == [1, 2] and len(walked) == 2
    assert walked == [1, 2]  # commit order
