"""Recording what the reviewer decided about screen findings: masked, or let through.

The publishing workflow (disclosure records, catalog items …) calls these when a reviewer
masks findings in one step or overrides them with a written reason; both are audited with
the findings' masked form only — the audit log never holds the numbers themselves.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from gongkai.core import audit
from gongkai.core.models import AuditEntry
from gongkai.org.models import Agency
from gongkai.org.permissions import EDIT_ROLES, REVIEW_ROLES, require_role

from .screen import Finding

MIN_REASON_CHARS = 5


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
