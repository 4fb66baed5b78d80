"""Staffing agencies: who holds which role where, and new back-office accounts.

The rules live here, not in the admin, so every caller gets them:

* To grant, change or revoke a membership in an agency the actor must hold 管理员 (admin)
  over that agency — directly or through a division membership covering it. For a
  division-wide membership the actor needs an admin membership whose division subtree
  contains that division. Admin is the top role in its scope, so within it any role may
  be granted; what nobody can grant is a wider scope (an agency admin cannot create a
  division-wide admin, a street admin cannot staff the county).
* Nobody grants, changes or revokes their own memberships: no self-escalation, and no
  locking yourself out by accident. A peer admin of the same scope can.
* Superusers may do everything (they hold every scope anyway).
* New accounts are back-office staff (is_staff), never superusers; the password must
  pass Django's AUTH_PASSWORD_VALIDATORS.

Every change is written to the audit log with its before and after.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from gongkai.core.audit import record

from .models import Agency, Division, Membership, Role
from .permissions import agencies_for

ADMIN_ROLES = (Role.ADMIN,)
DIVISION_ROLES = (Role.ADMIN, Role.AUDITOR)

Scope = Agency | Division


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


# ------------------------------------------------------------------ what an actor manages


def managed_agencies(actor: Any) -> QuerySet[Agency]:
    """Agencies whose memberships the actor may manage (admin there, or superuser)."""
    return agencies_for(actor, ADMIN_ROLES)


def managed_divisions(actor: Any) -> QuerySet[Division]:
    """Divisions for which the actor may manage division-wide memberships: every
    division inside the subtree of one of their division-wide admin memberships."""
    if not _active(actor):
        return Division.objects.none()
    if actor.is_superuser:
        return Division.objects.all()
    prefixes = Membership.objects.filter(
        user=actor, role=Role.ADMIN, division__isnull=False
    ).values_list("division__prefix", flat=True)
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(prefix__startswith=prefix)
    return Division.objects.filter(condition)


def managed_memberships(actor: Any) -> QuerySet[Membership]:
    """The memberships the actor may see in the back office (their own included)."""
    if not _active(actor):
        return Membership.objects.none()
    if actor.is_superuser:
        return Membership.objects.all()
    return Membership.objects.filter(
        Q(agency__in=managed_agencies(actor)) | Q(division__in=managed_divisions(actor))
    )


def can_manage_staff(actor: Any) -> bool:
    """Superusers and anyone holding an admin membership may staff their scope."""
    if not _active(actor):
        return False
    return actor.is_superuser or Membership.objects.filter(user=actor, role=Role.ADMIN).exists()


def can_manage_scope(actor: Any, scope: Scope | None) -> bool:
    if scope is None or not _active(actor):
        return False
    if actor.is_superuser:
        return True
    if isinstance(scope, Agency):
        return managed_agencies(actor).filter(pk=scope.pk).exists()
    return managed_divisions(actor).filter(pk=scope.pk).exists()


def staff_candidates() -> QuerySet:
    """Accounts a scoped admin may give a role to: active back-office staff, no superusers."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, is_superuser=False)
        .order_by("username")
    )


def scope_of(membership: Membership) -> Scope:
    return membership.agency if membership.agency_id else membership.division


def _state(membership: Membership) -> dict:
    return {
        "user": membership.user.get_username(),
        "role": membership.role,
        "agency": membership.agency.code if membership.agency_id else None,
        "division": membership.division_id,
    }


def _agency_code(membership: Membership) -> str:
    return membership.agency.code if membership.agency_id else ""


# ------------------------------------------------------------------ checks


def _require_scope(actor: Any, scope: Scope | None) -> None:
    if not can_manage_scope(actor, scope):
        raise PermissionDenied(f"您没有权限管理“{scope or '未指定机关或区划'}”的岗位角色。")


def _require_not_self(actor: Any, user: Any, action: str) -> None:
    if not actor.is_superuser and user is not None and user.pk == actor.pk:
        raise PermissionDenied(f"不能{action}，请由其他管理员办理。")


def _validate(actor: Any, user: Any, role: str, scope: Scope, exclude_pk: int | None) -> None:
    if role not in Role.values:
        raise ValidationError({"role": "角色无效。"})
    if isinstance(scope, Division) and role not in DIVISION_ROLES:
        raise ValidationError({"division": "只有管理员和监督可以按区划授权。"})
    if not user.is_active:
        raise ValidationError({"user": f"账号“{user.get_username()}”已停用，不能授予岗位角色。"})
    if not actor.is_superuser and (user.is_superuser or not user.is_staff):
        raise ValidationError({"user": "只能为工作人员账号（非超级管理员）授予岗位角色。"})
    field = "agency" if isinstance(scope, Agency) else "division"
    duplicates = Membership.objects.filter(user=user, role=role, **{field: scope})
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        raise ValidationError(
            f"“{user.get_username()}”在“{scope}”已经是{Role(role).label}，无需重复授予。"
        )


def check_grant(actor: Any, user: Any, role: str, scope: Scope | None) -> None:
    """Raise PermissionDenied or ValidationError if `actor` may not grant this."""
    if scope is None:
        raise ValidationError("请选择一个机关，或（管理员、监督）选择一个区划。")
    _require_scope(actor, scope)
    _require_not_self(actor, user, "为自己授予岗位角色")
    _validate(actor, user, role, scope, None)


def check_change(
    actor: Any,
    membership: Membership,
    *,
    role: str | None = None,
    scope: Scope | None = None,
    user: Any = None,
) -> None:
    """`membership` as it is stored; the keyword arguments are what it would become."""
    _require_scope(actor, scope_of(membership))
    _require_not_self(actor, membership.user, "修改自己的岗位角色")
    new_scope = scope or scope_of(membership)
    new_user = user or membership.user
    _require_scope(actor, new_scope)
    _require_not_self(actor, new_user, "为自己授予岗位角色")
    _validate(actor, new_user, role or membership.role, new_scope, membership.pk)


def check_revoke(actor: Any, membership: Membership) -> None:
    _require_scope(actor, scope_of(membership))
    _require_not_self(actor, membership.user, "撤销自己的岗位角色")


def may_change(actor: Any, membership: Membership) -> bool:
    """Whether the back office should offer editing/revoking this membership."""
    try:
        check_revoke(actor, membership)
    except PermissionDenied:
        return False
    return True


# ------------------------------------------------------------------ changes


def _save(membership: Membership) -> None:
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:  # a concurrent grant of the same role won the race
        raise ValidationError("该用户在此范围内已有这一角色。") from exc


def _set_scope(membership: Membership, scope: Scope) -> None:
    membership.agency = scope if isinstance(scope, Agency) else None
    membership.division = scope if isinstance(scope, Division) else None


@transaction.atomic
def grant_membership(actor: Any, user: Any, role: str, scope: Scope | None) -> Membership:
    """Give `user` the `role` in an agency, or (admin/auditor) over a division subtree."""
    check_grant(actor, user, role, scope)
    membership = Membership(user=user, role=role)
    _set_scope(membership, scope)
    membership.full_clean(validate_constraints=False)  # checked above, and by the DB
    _save(membership)
    record(
        actor,
        "org.membership.grant",
        membership,
        after=_state(membership),
        agency_code=_agency_code(membership),
    )
    return membership


@transaction.atomic
def change_membership(
    actor: Any,
    membership: Membership,
    *,
    role: str | None = None,
    scope: Scope | None = None,
    user: Any = None,
) -> Membership:
    """Change a membership's role (or, rarely, its scope or user). The stored row is
    read again, so a caller's unsaved edits never stand in for the "before"."""
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    check_change(actor, current, role=role, scope=scope, user=user)
    before = _state(current)
    if user is not None:
        current.user = user
    if role is not None:
        current.role = role
    if scope is not None:
        _set_scope(current, scope)
    after = _state(current)
    if after == before:
        return current
    current.full_clean(validate_constraints=False)
    _save(current)
    record(
        actor,
        "org.membership.change",
        current,
        before=before,
        after=after,
        agency_code=_agency_code(current),
    )
    return current


def change_role(actor: Any, membership: Membership, role: str) -> Membership:
    return change_membership(actor, membership, role=role)


@transaction.atomic
def revoke_membership(actor: Any, membership: Membership) -> None:
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    check_revoke(actor, current)
    record(
        actor,
        "org.membership.revoke",
        current,
        before=_state(current),
        agency_code=_agency_code(current),
    )
    current.delete()


# ------------------------------------------------------------------ accounts


@transaction.atomic
def create_staff_user(actor: Any, username: str, display_name: str, password: str) -> Any:
    """A new back-office account (is_staff, never superuser) without any role yet; the
    creator then grants it roles in their scope."""
    if not can_manage_staff(actor):
        raise PermissionDenied("您没有权限新增工作人员账号。")
    User = get_user_model()
    username, display_name = (username or "").strip(), (display_name or "").strip()
    errors: dict[str, Any] = {}
    if not username:
        errors["username"] = "请填写用户名。"
    elif len(username) > 150:
        errors["username"] = "用户名不能超过150个字符。"
    else:
        try:
            User.username_validator(username)
        except ValidationError:
            errors["username"] = "用户名只能包含字母、数字和 @ . + - _ 字符。"
        else:
            # Logins are case-sensitive; two accounts differing only in case would confuse.
            if User.objects.filter(username__iexact=username).exists():
                errors["username"] = f"用户名“{username}”已被使用。"
    if not display_name:
        errors["display_name"] = "请填写姓名。"
    elif len(display_name) > 150:
        errors["display_name"] = "姓名不能超过150个字符。"
    user = User(username=username, first_name=display_name, is_staff=True, is_superuser=False)
    try:
        validate_password(password or "", user)
    except ValidationError as exc:
        errors["password"] = exc.error_list
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError({"username": f"用户名“{username}”已被使用。"}) from exc
    record(
        actor,
        "org.staff.create",
        user,
        after={
            "username": username,
            "display_name": display_name,
            "is_staff": True,
            "is_superuser": False,
        },
    )
    return user
