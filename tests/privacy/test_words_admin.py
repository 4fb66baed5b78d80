"""Every change to the sensitive-word list in the back office leaves an audit entry, and only
superusers or holders of the change permission can make one."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEntry
from gongkai.privacy import services
from gongkai.privacy.models import SensitiveWord
from gongkai.privacy.screen import screen_text

from ..conftest import make_user

URL = "/admin/privacy/sensitiveword/"


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


@pytest.fixture
def root(client, db):
    user = make_user("root", superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def word(db) -> SensitiveWord:
    return SensitiveWord.objects.get(word="内部资料")


def test_adding_a_word_is_audited(client, root):
    response = client.post(
        f"{URL}add/",
        {"word": "送 审 稿", "category": "internal", "exempt_phrases": "", "active": "on"},
    )
    assert response.status_code == 302
    (entry,) = entries("privacy.word.create")
    added = SensitiveWord.objects.get(word="送审稿")
    assert entry.actor == root and entry.object_id == str(added.pk)
    assert entry.after["word"] == "送审稿" and entry.after["category"] == "internal"
    assert [f.value for f in screen_text("本件为送审稿。")] == ["送审稿"]


def test_editing_exempt_phrases_is_audited_with_before_and_after(client, root, word):
    assert [f.value for f in screen_text("本刊为内部资料汇编。")] == ["内部资料"]
    response = client.post(
        f"{URL}{word.pk}/change/",
        {
            "word": "内部资料",
            "category": "internal",
            "exempt_phrases": "内部资料性出版物\n内部资料汇编",
            "active": "on",
            "note": "",
        },
    )
    assert response.status_code == 302
    (entry,) = entries("privacy.word.update")
    assert entry.actor == root and entry.object_repr == "内部资料"
    assert entry.note == "修改敏感词“内部资料”：不提示的说法"
    assert entry.before == {"exempt_phrases": "内部资料性出版物"}
    assert entry.after == {"exempt_phrases": "内部资料性出版物\n内部资料汇编"}
    assert screen_text("本刊为内部资料汇编。") == []


def test_saving_without_changes_leaves_no_entry(client, root, word):
    data = {"word": "内部资料", "category": "internal", "exempt_phrases": "内部资料性出版物"}
    response = client.post(f"{URL}{word.pk}/change/", {**data, "active": "on", "note": ""})
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action__startswith="privacy.word").exists()


def test_deactivating_in_the_list_is_audited(client, root, word):
    response = client.post(
        URL,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(word.pk),
            # an unticked box is absent from the form: active becomes False
            "_save": "保存",
        },
    )
    assert response.status_code == 302
    word.refresh_from_db()
    assert word.active is False
    (entry,) = entries("privacy.word.deactivate")
    assert entry.before == {"active": True} and entry.after == {"active": False}
    assert screen_text("本材料为内部资料。") == []


def test_the_switch_actions_are_audited_per_word(client, root):
    pks = list(
        SensitiveWord.objects.filter(word__in=["内部资料", "不得外传"]).values_list("pk", flat=True)
    )
    client.post(URL, {"action": "deactivate", "_selected_action": pks})
    assert SensitiveWord.objects.filter(pk__in=pks, active=True).count() == 0
    assert {e.object_id for e in entries("privacy.word.deactivate")} == {str(pk) for pk in pks}
    assert screen_text("本材料为内部资料，不得外传。") == []
    client.post(URL, {"action": "activate", "_selected_action": pks})
    assert len(entries("privacy.word.activate")) == 2
    assert len(screen_text("本材料为内部资料，不得外传。")) == 2


def test_deleting_keeps_the_word_in_the_audit_log(client, root, word):
    pk = word.pk
    response = client.post(f"{URL}{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not SensitiveWord.objects.filter(pk=pk).exists()
    (entry,) = entries("privacy.word.delete")
    assert entry.actor == root and entry.object_id == str(pk)
    assert entry.before["word"] == "内部资料" and entry.before["active"] is True


def test_bulk_delete_is_audited_per_word(client, root):
    pks = list(SensitiveWord.objects.filter(word__in=["绝密", "机密"]).values_list("pk", flat=True))
    client.post(URL, {"action": "delete_selected", "_selected_action": pks, "post": "yes"})
    assert not SensitiveWord.objects.filter(pk__in=pks).exists()
    assert sorted(e.before["word"] for e in entries("privacy.word.delete")) == ["机密", "绝密"]


def test_staff_without_the_change_permission_cannot_touch_the_list(client, people, word):
    # An agency administrator runs the agency's disclosure, not the secrecy screen.
    client.force_login(people["admin"])
    client.post(f"{URL}add/", {"word": "送审稿", "category": "internal", "active": "on"})
    client.post(URL, {"action": "deactivate", "_selected_action": [word.pk]})
    client.post(f"{URL}{word.pk}/delete/", {"post": "yes"})
    client.post(f"{URL}{word.pk}/change/", {"word": "内部资料", "category": "internal"})
    word.refresh_from_db()
    assert word.active and word.exempt_list == ["内部资料性出版物"]
    assert not SensitiveWord.objects.filter(word="送审稿").exists()
    assert not AuditEntry.objects.filter(action__startswith="privacy.word").exists()
    with pytest.raises(PermissionDenied):
        services.set_word_active(people["admin"], word, False)
    with pytest.raises(PermissionDenied):
        services.delete_word(people["admin"], word)


def test_the_change_permission_is_enough_and_is_what_counts(client, db, word):
    clerk = make_user("secrecy_clerk")
    client.force_login(clerk)
    assert client.get(f"{URL}{word.pk}/change/").status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="change_sensitiveword"))
    # Django's add/delete permissions alone do not let anyone weaken the list.
    adder = make_user("adder")
    adder.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_sensitiveword", "delete_sensitiveword"])
    )
    with pytest.raises(PermissionDenied):
        services.delete_word(adder, word)

    response = client.post(URL, {"action": "deactivate", "_selected_action": [word.pk]})
    assert response.status_code == 302
    (entry,) = entries("privacy.word.deactivate")
    assert entry.actor == clerk
    client.post(f"{URL}{word.pk}/delete/", {"post": "yes"})
    assert entries("privacy.word.delete")[0].actor == clerk


def test_services_validate_like_the_form(db):
    root = make_user("root2", superuser=True)
    secret = SensitiveWord.objects.get(word="机密")
    with pytest.raises(ValidationError):
        services.create_word(root, "密")
    with pytest.raises(ValidationError):
        services.update_word(root, secret, exempt_phrases="商业秘密")  # lacks the word
    with pytest.raises(ValidationError):
        services.update_word(root, secret, pk=1)
    assert not AuditEntry.objects.filter(action__startswith="privacy.word").exists()


def test_the_reason_length_is_shared_with_the_disclosure_workflow():
    assert services.MIN_REASON_CHARS == 5
