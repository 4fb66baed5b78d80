"""Recording what the reviewer decided about screen findings, and changing the word list.

The publishing workflow (disclosure records, catalog items …) calls record_masking and
record_override when a reviewer masks findings in one step or overrides them with a
written reason; both are audited with the findings' masked form only — the audit log never
holds the numbers themselves.

The sensitive-word list decides what the secrecy screen holds back, so every change to it
(add, edit, activate or deactivate, delete) goes through create_word, update_word,
set_word_active and delete_word: superusers and holders of the change permission only,
each change audited with the row before and after.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from gongkai.core import audit
from gongkai.core.models import AuditEntry
from gongkai.org.models import Agency
from gongkai.org.permissions import EDIT_ROLES, REVIEW_ROLES, require_role

from .models import SensitiveWord, WordCategory
from .screen import Finding

# The shortest written reason accepted for letting findings through (disclosure uses it too).
MIN_REASON_CHARS = 5
WORD_FIELDS = ("word", "category", "exempt_phrases", "active", "note")
WORD_PERMISSION = "privacy.change_sensitiveword"


def _payload(findings: list[Finding]) -> list[dict]:
    return [f.as_dict() for f in findings]


def record_override(
    user, obj: models.Model, agency: Agency, findings: list[Finding], reason: str
) -> AuditEntry:
    """A reviewer lets findings through unmasked, with a written reason (audited)."""
    require_role(user, agency, REVIEW_ROLES, "放行隐私审查提示")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_CHARS:
        raise ValidationError(f"放行需要填写理由（至少{MIN_REASON_CHARS}个字），说明为何可以公开。")
    if not findings:
        raise ValidationError("没有需要放行的审查提示。")
    return audit.record(
        user,
        "privacy.override",
        obj,
        after={"findings": _payload(findings), "reason": reason},
        note=reason,
        agency_code=agency.code,
    )


def record_masking(user, obj: models.Model, agency: Agency, findings: list[Finding]) -> AuditEntry:
    """Findings were masked in one step (mask_text) before saving (audited)."""
    require_role(user, agency, (*EDIT_ROLES, *REVIEW_ROLES), "遮盖个人信息")
    masked = [f for f in findings if f.personal]
    return audit.record(
        user,
        "privacy.mask",
        obj,
        after={"findings": _payload(masked), "count": len(masked)},
        note=f"一键遮盖个人信息 {len(masked)} 处",
        agency_code=agency.code,
    )


# --- the sensitive-word list ------------------------------------------------------------------


def can_manage_words(user) -> bool:
    """Superusers and users holding the model's change permission (one permission for every
    kind of change: deleting or deactivating a word weakens the screen as much as editing)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(WORD_PERMISSION)


def _require_manager(user) -> None:
    if not can_manage_words(user):
        raise PermissionDenied("您没有权限修改敏感词表（需系统管理员或敏感词修改权限）。")


def _snapshot(word: SensitiveWord) -> dict[str, Any]:
    return {name: getattr(word, name) for name in WORD_FIELDS}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    changed = [k for k in WORD_FIELDS if before[k] != after[k]]
    return {k: before[k] for k in changed}, {k: after[k] for k in changed}


@transaction.atomic
def create_word(
    user,
    word: str,
    *,
    category: str = WordCategory.SECRET,
    exempt_phrases: str = "",
    active: bool = True,
    note: str = "",
) -> SensitiveWord:
    """Add a word to the list (audited as privacy.word.create)."""
    _require_manager(user)
    obj = SensitiveWord(
        word=word, category=category, exempt_phrases=exempt_phrases, active=active, note=note
    )
    obj.full_clean()
    obj.save()
    audit.record(user, "privacy.word.create", obj, after=_snapshot(obj), note=f"新增敏感词“{obj}”")
    return obj


@transaction.atomic
def update_word(user, obj: SensitiveWord, **changes: Any) -> SensitiveWord:
    """Change fields of a word (audited as privacy.word.update with before and after).

    ``changes`` may name any of WORD_FIELDS; a change of ``active`` alone is audited as
    privacy.word.activate / privacy.word.deactivate.
    """
    _require_manager(user)
    unknown = set(changes) - set(WORD_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    # Compare with the stored row, not with an instance a form may already have changed.
    obj = SensitiveWord.objects.select_for_update().get(pk=obj.pk)
    before = _snapshot(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    old, new = _changes(before, _snapshot(obj))
    if not new:
        return obj
    obj.save()
    if set(new) == {"active"}:
        action = "privacy.word.activate" if obj.active else "privacy.word.deactivate"
        note = f"{'启用' if obj.active else '停用'}敏感词“{obj}”"
    else:
        names = "、".join(str(SensitiveWord._meta.get_field(k).verbose_name) for k in new)
        action, note = "privacy.word.update", f"修改敏感词“{obj}”：{names}"
    audit.record(user, action, obj, before=old, after=new, note=note)
    return obj


def set_word_active(user, obj: SensitiveWord, active: bool) -> SensitiveWord:
    """Switch a word on or off (audited; no entry when nothing changes)."""
    return update_word(user, obj, active=active)


@transaction.atomic
def delete_word(user, obj: SensitiveWord) -> None:
    """Remove a word from the list; the audit entry keeps what it was."""
    _require_manager(user)
    obj = SensitiveWord.objects.select_for_update().get(pk=obj.pk)
    # Recorded first: the entry needs the row's id, which delete() clears.
    audit.record(user, "privacy.word.delete", obj, before=_snapshot(obj), note=f"删除敏感词“{obj}”")
    obj.delete()
