"""Dynamic updates: changed-since report (added / changed / retired) and version restore."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.catalog import services
from gongkai.catalog.changes import changed_since, restore_version
from gongkai.catalog.models import CatalogItem, Domain, ItemStatus


def _publish(people, item):
    services.transition(people["editor"], item, "submit")
    return services.transition(people["reviewer"], item, "approve")


def _backdate(item, when):
    """Move an item's whole history before `when`, as if it happened long ago."""
    item.history.update(history_date=when)
    CatalogItem.objects.filter(pk=item.pk).update(updated_at=when, published_at=when)


@pytest.fixture
def domain(zone):
    return Domain.objects.get(code="social_assistance")


def test_changed_since_lists_added_changed_retired(people, zone, elements, domain):
    long_ago = timezone.now() - dt.timedelta(days=30)
    changed = _publish(
        people,
        services.create_item(
            people["editor"], zone["mzj"], domain, **{**elements, "level2": "将被修改"}
        ),
    )
    retired = _publish(
        people,
        services.create_item(
            people["editor"], zone["mzj"], domain, **{**elements, "level2": "将被停用"}
        ),
    )
    untouched = _publish(
        people,
        services.create_item(
            people["editor"], zone["mzj"], domain, **{**elements, "level2": "保持不变"}
        ),
    )
    for item in (changed, retired, untouched):
        _backdate(item, long_ago)
    since = timezone.localdate() - dt.timedelta(days=7)

    added = _publish(
        people,
        services.create_item(
            people["editor"], zone["mzj"], domain, **{**elements, "level2": "新增的事项"}
        ),
    )
    services.transition(people["editor"], changed, "revise", note="依据更新")
    services.update_item(people["editor"], changed, basis="《社会救助暂行办法》（2026年修订）")
    _publish(people, changed)
    services.transition(people["reviewer"], retired, "retire", note="事项取消")
    services.create_item(
        people["editor"], zone["mzj"], domain, **{**elements, "level2": "草稿不算"}
    )

    report = changed_since(since)
    assert [e.item.pk for e in report.added] == [added.pk]
    assert [e.item.pk for e in report.retired] == [retired.pk]
    assert [e.item.pk for e in report.changed] == [changed.pk]
    assert [c.label for c in report.changed[0].changes] == ["公开依据"]
    assert "2026年修订" in report.changed[0].changes[0].new
    assert changed_since(since, agency_code="T-JYJ").entries == []


def test_changes_page(client, people, zone, elements, domain):
    _publish(people, services.create_item(people["editor"], zone["mzj"], domain, **elements))
    page = client.get("/changes/?since=2020-01-01").content.decode()
    assert "目录更新记录" in page and "审核确认结果" in page
    assert client.get("/changes/?since=not-a-date").status_code == 200


def test_restore_old_version_goes_through_review(people, zone, elements, domain):
    item = _publish(people, services.create_item(people["editor"], zone["mzj"], domain, **elements))
    first_published = item.history.filter(status=ItemStatus.PUBLISHED).earliest("history_date")
    services.transition(people["editor"], item, "revise", note="改时限")
    services.update_item(people["editor"], item, time_limit_text="实时公开")
    _publish(people, item)

    with pytest.raises(PermissionDenied):
        restore_version(people["other_editor"], item, first_published.history_id)
    restored = restore_version(people["editor"], item, first_published.history_id, "恢复原时限")
    assert restored.status == ItemStatus.SUBMITTED  # back through review
    assert restored.time_limit_text == elements["time_limit_text"]
    assert restored.time_limit_kind == "period"
    assert "恢复到第" in restored.history.latest("history_date").history_change_reason
    with pytest.raises(ValidationError, match="相同"):
        restore_version(people["editor"], restored, first_published.history_id)


def test_changes_export_and_command(client, people, zone, elements, domain, tmp_path, capsys):
    import io
    import json

    import openpyxl
    from django.core.management import CommandError, call_command

    _publish(people, services.create_item(people["editor"], zone["mzj"], domain, **elements))
    response = client.get("/changes/export.xlsx?since=2020-01-01")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert (
        ws["A2"].value == "类型" and ws["A3"].value == "新增" and ws["E3"].value == "审核确认结果"
    )
    csv_text = client.get("/changes/export.csv?since=2020-01-01").content.decode("utf-8-sig")
    assert "新增,社会救助" in csv_text
    assert client.get("/changes/export.pdf").status_code == 404

    out = tmp_path / "changes.json"
    call_command("catalog-changes", "--since", "2020-01-01", "--format", "json", "--out", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["entries"][0]["二级事项"] == "审核确认结果"
    assert "新增 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="日期格式"):
        call_command("catalog-changes", "--since", "昨天")
