"""Back-office admins whose saves and deletes go through audited services."""

from __future__ import annotations


class AuditedAdminMixin:
    """The services behind this admin write the audit log (core.audit) with before and
    after; Django's LogEntry would be a second, thinner record of the same change."""

    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletion(self, request, obj, object_repr):
        return None

    def log_deletions(self, request, queryset):
        return None
