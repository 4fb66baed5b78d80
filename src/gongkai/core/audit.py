"""Writing the audit log: the one function every service calls."""

from typing import Any

from django.db import models

from .models import AuditEntry


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    agency_code: str = "",
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        agency_code=agency_code,
        before=before,
        after=after,
        note=note,
    )
