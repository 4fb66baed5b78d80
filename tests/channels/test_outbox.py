"""The outbox: every change of what the public sees is one event, written with the change."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.catalog import services
from gongkai.catalog.changes import restore_version
from gongkai.catalog.exchange.importer import import_catalog
from gongkai.catalog.models import CatalogItem, Domain
from gongkai.channels.models import ChangeEvent
from gongkai.channels.outbox import record_change, record_changes_bulk
from tests.catalog.exchange import builders


def _events(**filters):
    return list(
        ChangeEvent.objects.filter(**filters)
        .order_by("id")
        .values_list("kind", "object_id", "action", "title")
    )


def test_lifecycle_of_an_item_as_the_public_sees_it(publish, staff):
    editor, reviewer = staff
    item = publish(level2="审核确认结果公示")
    title = "最低生活保障 / 审核确认结果公示"
    assert _events() == [("item", item.pk, "created", title)]
    event = ChangeEvent.objects.get()
    assert event.url == f"/items/{item.pk}/"
    assert (event.agency_code, event.domain_code) == ("T-MZJ", "social_assistance")

    services.transition(editor, item, "revise", note="更正公开时限")  # off the public pages
    services.transition(editor, item, "submit")
    services.transition(reviewer, item, "approve")  # back, so "updated" for consumers
    services.transition(reviewer, item, "retire", note="职能调整")
    assert [a for _, _, a, _ in _events()] == ["created", "retired", "updated", "retired"]


def test_steps_the_public_does_not_see_leave_no_event(zone, people, elements):
    domain = Domain.objects.get(code="social_assistance")
    item = services.create_item(people["editor"], zone["mzj"], domain, **elements)
    services.transition(people["editor"], item, "submit")
    services.transition(people["reviewer"], item, "reject", note="依据不全")
    services.transition(people["editor"], item, "submit")
    assert ChangeEvent.objects.count() == 0


def test_guideline_items_are_not_announced(zone, elements):
    domain = Domain.objects.get(code="social_assistance")
    guideline = CatalogItem.objects.create(
        agency=zone["moe"], domain=domain, is_guideline=True, status="published", **elements
    )
    assert record_change("item", guideline, "created") is None
    assert record_changes_bulk("item", [guideline], "updated") == 0
    assert ChangeEvent.objects.count() == 0


def test_publish_directly_is_announced(zone, people, elements):
    domain = Domain.objects.get(code="social_assistance")
    item = services.create_item(people["editor"], zone["mzj"], domain, **elements)
    services.publish_directly(people["admin"], item, note="迁移已发布目录")
    assert _events()[0][:3] == ("item", item.pk, "created")


def test_a_rolled_back_change_leaves_no_event(publish, staff):
    editor, reviewer = staff
    item = publish()
    before = ChangeEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.transition(reviewer, item, "retire", note="职能调整")
        assert ChangeEvent.objects.count() == before + 1
        raise RuntimeError("the caller fails after the change")
    assert ChangeEvent.objects.count() == before
    item.refresh_from_db()
    assert item.status == "published"


def test_events_are_append_only(publish):
    publish()
    event = ChangeEvent.objects.get()
    event.title = "改过的标题"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()


def test_records_and_values_are_accepted_generically(db):
    event = record_change(
        "record",
        {
            "object_id": 7,
            "title": "关于2026年城乡低保标准的通知",
            "url": "/records/7/",
            "agency_code": "T-MZJ",
            "domain_code": "social_assistance",
        },
        "published",
    )
    assert (event.kind, event.action, event.title) == (
        "record",
        "created",
        "关于2026年城乡低保标准的通知",
    )
    again = record_change(
        "record", {"object_id": 7, "title": "x", "url": "/records/7/"}, "published"
    )
    assert again.action == "updated"
    with pytest.raises(ValueError):
        record_change("record", {"object_id": 7}, "deleted")
    with pytest.raises(ValueError):
        record_changes_bulk("item", [], "published")


SAMPLE = builders.sample_rows()


def test_import_and_publish_announces_new_and_changed_items(tmp_path, zone, people):
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": SAMPLE})
    import_catalog(path, zone["mzj"], people["admin"], publish=True)
    created = _events(action="created")
    ids = set(CatalogItem.objects.values_list("pk", flat=True))
    assert {e[1] for e in created} == ids and len(created) == len(SAMPLE)
    titles = {str(i) for i in CatalogItem.objects.all()}
    assert {e[3] for e in created} == titles
    assert set(ChangeEvent.objects.values_list("agency_code", "domain_code")) == {
        ("T-MZJ", "social_assistance")
    }
    assert set(ChangeEvent.objects.values_list("url", flat=True)) == {f"/items/{i}/" for i in ids}

    changed = [dict(SAMPLE[0], time_limit="制定或获取信息之日起10个工作日内"), *SAMPLE[1:]]
    path = builders.build_xlsx(tmp_path / "c2.xlsx", {"社会救助": changed})
    import_catalog(path, zone["mzj"], people["admin"], publish=True)
    assert len(_events(action="updated")) == 1


def test_import_for_review_takes_changed_published_items_down(tmp_path, zone, people):
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": SAMPLE})
    import_catalog(path, zone["mzj"], people["admin"], publish=True)
    public_title = str(CatalogItem.objects.order_by("pk").first())
    renamed = [dict(SAMPLE[0], content="新的公开内容（未经审核）"), *SAMPLE[1:]]
    path = builders.build_xlsx(tmp_path / "c2.xlsx", {"社会救助": renamed})
    import_catalog(path, zone["mzj"], people["admin"])  # the changed row goes to review
    retired = _events(action="retired")
    assert len(retired) == 1 and retired[0][3] == public_title


def test_import_for_review_of_new_items_is_silent(tmp_path, zone, people):
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": SAMPLE})
    import_catalog(path, zone["mzj"], people["admin"])
    assert ChangeEvent.objects.count() == 0


def test_restoring_an_old_version_of_a_published_item_takes_it_down(publish, staff):
    editor, reviewer = staff
    item = publish(level2="第一版名称")
    first = item.history.order_by("history_id").first().history_id
    services.transition(editor, item, "revise", note="改名")
    services.update_item(editor, item, level2="第二版名称")
    services.transition(editor, item, "submit")
    services.transition(reviewer, item, "approve")
    restore_version(editor, item, first, note="恢复原名称")
    last = ChangeEvent.objects.order_by("-id").first()
    # The event carries the title the public saw, not the restored (unreviewed) one.
    assert (last.action, last.title) == ("retired", "最低生活保障 / 第二版名称")
