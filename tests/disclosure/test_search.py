"""Published records are searchable; drafts, scheduled and withdrawn ones are not."""

import datetime as dt

from django.utils import timezone

from gongkai.disclosure import services
from gongkai.disclosure.search import document_values, reindex_records
from gongkai.search.models import SearchDocument
from gongkai.search.services import search

from . import builders
from .builders import publish


def _record(make_record):
    return make_record(
        title="关于东湖片区房屋征收补偿安置方案的公告",
        body="<p>东湖片区旧城改造项目房屋征收补偿安置方案已经区政府批准，现予公告。</p>",
        doc_number="示开征〔2026〕5号",
    )


def _hits(q, **filters):
    return [(h.type, h.id) for h in search(q, **filters).hits]


def test_published_record_is_found_and_withdrawn_one_is_not(people, make_record):
    record = _record(make_record)
    services.submit(people["editor"], record)
    assert ("record", record.pk) not in _hits("征收补偿")  # under review: not public

    services.approve(people["reviewer"], record)
    assert ("record", record.pk) in _hits("征收补偿")
    assert ("record", record.pk) in _hits("旧城改造", type="record")
    result = search("安置方案", type="record", agency="T-MZJ")
    [hit] = result.hits
    assert hit.url == record.get_absolute_url() and hit.title == record.title

    services.withdraw(people["reviewer"], record, "方案调整")
    assert ("record", record.pk) not in _hits("征收补偿")
    assert not SearchDocument.objects.filter(doc_type="record").exists()


def test_scheduled_record_is_indexed_when_published(people, make_record):
    record = _record(make_record)
    services.submit(people["editor"], record)
    services.schedule(people["reviewer"], record, timezone.now() + dt.timedelta(minutes=5))
    assert _hits("征收补偿", type="record") == []
    services.publish_scheduled(now=timezone.now() + dt.timedelta(minutes=6))
    assert _hits("征收补偿", type="record") == [("record", record.pk)]


def test_words_inside_attachments_find_the_record(people, make_record):
    record = _record(make_record)
    services.add_attachment(
        people["editor"], record, builders.make_docx("附表：补偿标准每平方米6800元"), "附表.docx"
    )
    publish(people, record)
    assert _hits("补偿标准", type="record") == [("record", record.pk)]


def test_document_fields(people, make_record):
    record = publish(people, _record(make_record))
    record.refresh_from_db()
    values = document_values(record)
    assert values["doc_type"] == "record" and values["object_id"] == record.pk
    assert values["domain_code"] == "social_assistance"
    assert values["agency_code"] == "T-MZJ" and values["division_prefix"] == "990171"
    assert values["year"] == record.published_on.year
    assert values["body"].startswith("东湖片区旧城改造项目")
    assert "<p>" not in values["body"]


def test_reindex_records(people, make_record):
    record = publish(people, _record(make_record))
    SearchDocument.objects.filter(doc_type="record").delete()
    assert reindex_records() == 1
    assert _hits("征收补偿", type="record") == [("record", record.pk)]


def test_reindex_command_rebuilds_items_and_records(people, make_record):
    from io import StringIO

    from django.core.management import call_command

    record = publish(people, _record(make_record))
    SearchDocument.objects.all().delete()
    out = StringIO()
    call_command("reindex", "--no-progress", stdout=out)
    assert "record" in out.getvalue()
    assert _hits("征收补偿", type="record") == [("record", record.pk)]


def test_publish_and_withdraw_reach_the_change_feed(people, make_record, client):
    """The same source: the change feed (and so webhooks) hears of record changes."""
    record = publish(people, _record(make_record))
    services.withdraw(people["reviewer"], record, "方案调整")
    changes = client.get("/api/v1/changes").json()["changes"]
    mine = [(c["kind"], c["id"], c["action"]) for c in changes if c["kind"] == "record"]
    assert mine == [("record", record.pk, "created"), ("record", record.pk, "retired")]
