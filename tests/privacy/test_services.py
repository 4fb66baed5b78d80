import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEntry
from gongkai.privacy.models import SensitiveWord
from gongkai.privacy.screen import mask_text, screen_text
from gongkai.privacy.services import record_masking, record_override

ID = "330106198507123410"
TEXT = f"联系人：张科长，工作手机13705710001，申请人身份证号{ID}。"


@pytest.fixture
def target(zone):
    # Any model instance can be the audited object; the agency stands in for a record here.
    return zone["mzj"]


def test_reviewer_overrides_with_a_reason_and_it_is_audited(people, zone, target):
    findings = [f for f in screen_text(TEXT) if f.kind == "mobile"]
    entry = record_override(
        people["reviewer"], target, zone["mzj"], findings, "该号码为对外公布的工作电话。"
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.action == "privacy.override"
    assert entry.actor == people["reviewer"] and entry.agency_code == "T-MZJ"
    assert entry.note == "该号码为对外公布的工作电话。"
    assert entry.after["findings"][0]["masked"] == "137****0001"
    assert "13705710001" not in str(entry.after)


def test_override_needs_a_written_reason(people, zone, target):
    findings = screen_text(TEXT)
    for reason in ("", "   ", "可以"):
        with pytest.raises(ValidationError, match="理由"):
            record_override(people["reviewer"], target, zone["mzj"], findings, reason)
    assert not AuditEntry.objects.filter(action="privacy.override").exists()


def test_editors_and_other_agencies_cannot_override(people, zone, target):
    findings = screen_text(TEXT)
    with pytest.raises(PermissionDenied):
        record_override(people["editor"], target, zone["mzj"], findings, "我认为可以公开的理由")
    with pytest.raises(PermissionDenied):
        record_override(people["other_editor"], target, zone["mzj"], findings, "理由理由理由")


def test_one_step_masking_is_audited_without_the_numbers(people, zone, target):
    findings = screen_text(TEXT)
    masked = mask_text(TEXT, findings)
    assert ID not in masked and "13705710001" not in masked
    entry = record_masking(people["editor"], target, zone["mzj"], findings)
    assert entry.action == "privacy.mask" and entry.after["count"] == 2
    assert ID not in str(entry.after)
    with pytest.raises(PermissionDenied):
        record_masking(people["auditor"], target, zone["mzj"], findings)


def test_admin_lists_and_adds_sensitive_words(client, django_user_model, db):
    admin = django_user_model.objects.create_superuser("root", password="correct horse 123")
    client.force_login(admin)
    page = client.get("/admin/privacy/sensitiveword/")
    assert page.status_code == 200
    assert "内部资料" in page.content.decode()
    response = client.post(
        "/admin/privacy/sensitiveword/add/",
        {"word": "送审稿", "category": "internal", "exempt_phrases": "", "active": "on"},
    )
    assert response.status_code == 302
    assert SensitiveWord.objects.filter(word="送审稿").exists()
    assert [f.value for f in screen_text("本件为送审稿。")] == ["送审稿"]
