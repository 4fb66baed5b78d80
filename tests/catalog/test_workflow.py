"""Review workflow: allowed transitions, forbidden ones, audit and version history."""

import pytest
from django.core.exceptions import ValidationError

from gongkai.catalog import services, versions
from gongkai.catalog.models import CatalogItem, Domain, ItemStatus
from gongkai.catalog.workflow import TRANSITIONS
from gongkai.core.models import AuditEntry


@pytest.fixture
def item(people, zone, elements):
    domain = Domain.objects.get(code="social_assistance")
    return services.create_item(people["editor"], zone["mzj"], domain, **elements)


def test_full_lifecycle_is_logged(item, people):
    services.transition(people["editor"], item, "submit")
    services.transition(people["reviewer"], item, "approve")
    services.transition(people["reviewer"], item, "retire", note="职能调整，事项取消")
    item.refresh_from_db()
    assert item.status == ItemStatus.RETIRED
    actions = list(
        AuditEntry.objects.filter(object_id=str(item.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["catalog.create", "catalog.submit", "catalog.approve", "catalog.retire"]
    retire = AuditEntry.objects.get(object_id=str(item.pk), action="catalog.retire")
    assert retire.before == {"status": "published"} and retire.after == {"status": "retired"}
    assert retire.actor == people["reviewer"] and retire.note == "职能调整，事项取消"


@pytest.mark.parametrize(
    "status,name",
    [
        ("draft", "approve"),
        ("draft", "retire"),
        ("submitted", "submit"),
        ("published", "approve"),
        ("published", "submit"),
        ("retired", "approve"),
        ("retired", "retire"),
    ],
)
def test_forbidden_transitions(status, name, item):
    CatalogItem.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    with pytest.raises(ValidationError):
        services.transition(_superuser(), item, name, note="理由")
    item.refresh_from_db()
    assert item.status == status


def _superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root_for_test", password="x" * 12)


def test_every_transition_source_and_target_are_real_states():
    states = set(ItemStatus.values)
    for t in TRANSITIONS.values():
        assert set(t.source) <= states and t.target in states


def test_reject_needs_a_reason_and_returns_to_draft(item, people):
    services.transition(people["editor"], item, "submit")
    with pytest.raises(ValidationError, match="理由"):
        services.transition(people["reviewer"], item, "reject", note="  ")
    services.transition(people["reviewer"], item, "reject", note="公开依据不完整")
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT and item.review_note == "公开依据不完整"


def test_published_item_cannot_be_edited_in_place(item, people):
    services.transition(people["editor"], item, "submit")
    services.transition(people["reviewer"], item, "approve")
    with pytest.raises(ValidationError, match="撤回"):
        services.update_item(people["editor"], item, content="偷偷修改")
    services.transition(people["editor"], item, "revise", note="依据文件更新")
    services.update_item(people["editor"], item, basis="《社会救助暂行办法》（2024年修订）")
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT
    assert "2024年修订" in item.basis


def test_every_change_is_a_version_with_a_readable_diff(item, people):
    services.update_item(people["editor"], item, time_limit_text="信息形成之日起10个工作日内")
    services.transition(people["editor"], item, "submit")
    history = list(item.history.order_by("history_id"))
    assert len(history) == 3
    assert history[-1].history_user == people["editor"]
    changes = versions.diff(history[0], history[1])
    assert [c.label for c in changes] == ["公开时限"]
    assert changes[0].old.startswith("信息形成或者变更") and "10个工作日" in changes[0].new
    html = str(changes[0].inline_html)
    assert "<ins>" in html and "<del>" in html
    status_change = versions.diff(history[1], history[2])
    assert [(c.label, c.old, c.new) for c in status_change] == [("状态", "草稿", "待审核")]


def test_update_updates_the_parsed_time_limit(item, people):
    assert item.time_limit_kind == "period"
    services.update_item(people["editor"], item, time_limit_text="实时公开")
    item.refresh_from_db()
    assert item.time_limit_kind == "realtime"
    services.update_item(people["editor"], item, time_limit_text="看情况吧")
    item.refresh_from_db()
    assert item.time_limit_kind == "unparsed"
    assert item.time_limit_text == "看情况吧"  # kept, flagged, never guessed


def test_audit_log_is_append_only(item):
    entry = AuditEntry.objects.first()
    entry.note = "篡改"
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
