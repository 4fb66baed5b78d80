"""Who may do what, by agency and role. Services call these; views only mirror them.

Roles (per agency, or for admins/auditors over a division subtree):
  editor   — draft, edit and submit the agency's items
  reviewer — approve, reject and retire the agency's items (never their own submission)
  admin    — everything editors and reviewers do, for the agency or the whole subtree
  auditor  — read everything in scope, change nothing
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .models import Agency, Membership, Role

VIEW_ROLES = (Role.EDITOR, Role.REVIEWER, Role.ADMIN, Role.AUDITOR)
EDIT_ROLES = (Role.EDITOR, Role.ADMIN)
REVIEW_ROLES = (Role.REVIEWER, Role.ADMIN)


def agencies_for(user, roles: tuple[str, ...] = VIEW_ROLES) -> QuerySet[Agency]:
    """The agencies in which the user holds one of `roles`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    memberships = Membership.objects.filter(user=user, role__in=roles)
    condition = Q(pk__in=memberships.filter(agency__isnull=False).values("agency_id"))
    for prefix in memberships.filter(division__isnull=False).values_list(
        "division__prefix", flat=True
    ):
        condition |= Q(division__prefix__startswith=prefix)
    return Agency.objects.filter(condition)


def has_role(user, agency: Agency | int | None, roles: tuple[str, ...]) -> bool:
    if agency is None:
        return False
    agency_id = agency if isinstance(agency, int) else agency.pk
    return agencies_for(user, roles).filter(pk=agency_id).exists()


def require_role(user, agency: Agency | None, roles: tuple[str, ...], action: str) -> None:
    if not has_role(user, agency, roles):
        raise PermissionDenied(f"您没有权限{action}（{agency or '未指定机关'}）。")


def is_staff_user(user) -> bool:
    """Anyone with at least one membership may enter the back office."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or Membership.objects.filter(user=user).exists())
    )
