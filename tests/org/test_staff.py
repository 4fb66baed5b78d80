"""Staffing agencies: admins grant, change and revoke roles within their own scope only,
never their own; every change is in the audit log; the back office follows the same rules."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.models import AuditEntry
from gongkai.org import staff
from gongkai.org.models import Agency, Division, Membership, Role
from tests.conftest import make_user

User = get_user_model()


@pytest.fixture
def root(db):
    return make_user("root", superuser=True)


def _has(user, role, scope) -> bool:
    field = "agency" if isinstance(scope, Agency) else "division"
    return Membership.objects.filter(user=user, role=role, **{field: scope}).exists()


def _own(user) -> Membership:
    return Membership.objects.get(user=user)


# ------------------------------------------------------------------ granting


def test_agency_admin_grants_an_editor_in_their_agency(people, zone):
    newcomer = make_user("newcomer")
    membership = staff.grant_membership(people["admin"], newcomer, Role.EDITOR, zone["mzj"])
    assert _has(newcomer, Role.EDITOR, zone["mzj"])
    entry = AuditEntry.objects.get(action="org.membership.grant")
    assert entry.actor == people["admin"] and entry.object_id == str(membership.pk)
    assert entry.agency_code == "T-MZJ" and entry.before is None
    assert entry.after == {
        "user": "newcomer",
        "role": "editor",
        "agency": "T-MZJ",
        "division": None,
    }


def test_agency_admin_may_appoint_a_fellow_admin_of_the_same_agency(people, zone):
    staff.grant_membership(people["admin"], people["editor"], Role.ADMIN, zone["mzj"])
    assert _has(people["editor"], Role.ADMIN, zone["mzj"])


@pytest.mark.parametrize("target", ["jyj", "dh", "moe"])
def test_agency_admin_cannot_staff_another_agency(people, zone, target):
    with pytest.raises(PermissionDenied, match="没有权限"):
        staff.grant_membership(people["admin"], people["nobody"], Role.EDITOR, zone[target])
    assert not Membership.objects.filter(user=people["nobody"]).exists()
    assert not AuditEntry.objects.filter(action__startswith="org.membership").exists()


def test_agency_admin_cannot_create_a_division_wide_admin(people, zone):
    for division in (zone["county"], zone["street"]):
        with pytest.raises(PermissionDenied):
            staff.grant_membership(people["admin"], people["nobody"], Role.ADMIN, division)
    assert not Membership.objects.filter(user=people["nobody"]).exists()


def test_division_admin_staffs_every_agency_and_division_in_the_subtree(people, zone):
    zone_admin, nobody = people["zone_admin"], people["nobody"]
    staff.grant_membership(zone_admin, nobody, Role.EDITOR, zone["dh"])
    staff.grant_membership(zone_admin, nobody, Role.REVIEWER, zone["jyj"])
    staff.grant_membership(zone_admin, nobody, Role.ADMIN, zone["street"])
    staff.grant_membership(zone_admin, nobody, Role.AUDITOR, zone["county"])
    assert Membership.objects.filter(user=nobody).count() == 4


def test_division_admin_cannot_reach_above_or_beside_the_subtree(people, zone):
    city = Division.objects.get(code="990100")
    with pytest.raises(PermissionDenied):
        staff.grant_membership(people["zone_admin"], people["nobody"], Role.ADMIN, city)
    with pytest.raises(PermissionDenied):
        staff.grant_membership(people["zone_admin"], people["nobody"], Role.EDITOR, zone["moe"])
    street_admin = people["street_admin"]
    with pytest.raises(PermissionDenied):
        staff.grant_membership(street_admin, people["nobody"], Role.ADMIN, zone["county"])
    with pytest.raises(PermissionDenied):
        staff.grant_membership(street_admin, people["nobody"], Role.EDITOR, zone["mzj"])
    staff.grant_membership(street_admin, people["nobody"], Role.EDITOR, zone["dh"])


@pytest.mark.parametrize("who", ["editor", "reviewer", "auditor", "other_editor", "nobody"])
def test_roles_below_admin_cannot_staff_anything(people, zone, who):
    target = make_user("target")
    with pytest.raises(PermissionDenied):
        staff.grant_membership(people[who], target, Role.EDITOR, zone["mzj"])
    assert not staff.can_manage_staff(people[who])


def test_a_division_wide_auditor_cannot_staff(people, zone):
    auditor = make_user("zone_auditor", division=zone["county"], role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        staff.grant_membership(auditor, people["nobody"], Role.EDITOR, zone["mzj"])


def test_an_inactive_admin_cannot_staff(people, zone):
    admin = people["admin"]
    admin.is_active = False
    admin.save()
    with pytest.raises(PermissionDenied):
        staff.grant_membership(admin, people["nobody"], Role.EDITOR, zone["mzj"])


def test_nobody_grants_themselves_a_role(people, zone):
    with pytest.raises(PermissionDenied, match="自己"):
        staff.grant_membership(people["admin"], people["admin"], Role.EDITOR, zone["mzj"])
    with pytest.raises(PermissionDenied, match="自己"):
        staff.grant_membership(people["zone_admin"], people["zone_admin"], Role.ADMIN, zone["dh"])


def test_division_memberships_are_for_admins_and_auditors_only(people, zone):
    with pytest.raises(ValidationError, match="只有管理员和监督"):
        staff.grant_membership(people["zone_admin"], people["nobody"], Role.EDITOR, zone["street"])


def test_the_same_role_twice_is_refused_in_chinese(people, zone):
    with pytest.raises(ValidationError, match="已经是编辑"):
        staff.grant_membership(people["admin"], people["editor"], Role.EDITOR, zone["mzj"])
    assert Membership.objects.filter(user=people["editor"]).count() == 1


def test_scoped_admins_grant_only_to_active_staff_accounts(people, zone, root):
    inactive = make_user("left")
    inactive.is_active = False
    inactive.save()
    with pytest.raises(ValidationError, match="已停用"):
        staff.grant_membership(people["admin"], inactive, Role.EDITOR, zone["mzj"])
    with pytest.raises(ValidationError, match="工作人员账号"):
        staff.grant_membership(people["admin"], root, Role.EDITOR, zone["mzj"])
    clerk = User.objects.create_user("clerk", is_staff=False)
    with pytest.raises(ValidationError, match="工作人员账号"):
        staff.grant_membership(people["admin"], clerk, Role.EDITOR, zone["mzj"])


def test_a_missing_scope_is_a_validation_error(people):
    with pytest.raises(ValidationError):
        staff.grant_membership(people["admin"], people["nobody"], Role.EDITOR, None)


def test_superuser_may_grant_anything_anywhere(root, people, zone):
    national = Division.objects.get(code="000000")
    staff.grant_membership(root, people["nobody"], Role.ADMIN, national)
    staff.grant_membership(root, people["nobody"], Role.EDITOR, zone["moe"])
    assert Membership.objects.filter(user=people["nobody"]).count() == 2


# ------------------------------------------------------------------ changing and revoking


def test_admin_changes_a_role_with_before_and_after_in_the_log(people, zone):
    membership = _own(people["editor"])
    staff.change_role(people["admin"], membership, Role.REVIEWER)
    membership.refresh_from_db()
    assert membership.role == Role.REVIEWER
    entry = AuditEntry.objects.get(action="org.membership.change")
    assert entry.before["role"] == "editor" and entry.after["role"] == "reviewer"
    assert entry.actor == people["admin"] and entry.agency_code == "T-MZJ"


def test_an_unchanged_role_writes_nothing(people):
    staff.change_role(people["admin"], _own(people["editor"]), Role.EDITOR)
    assert not AuditEntry.objects.filter(action="org.membership.change").exists()


def test_changing_into_a_duplicate_is_refused(people, zone):
    staff.grant_membership(people["admin"], people["editor"], Role.REVIEWER, zone["mzj"])
    editing = Membership.objects.get(user=people["editor"], role=Role.EDITOR)
    with pytest.raises(ValidationError, match="已经是审核"):
        staff.change_role(people["admin"], editing, Role.REVIEWER)


def test_nobody_changes_their_own_membership(people, zone):
    for who in ("admin", "zone_admin"):
        membership = _own(people[who])
        with pytest.raises(PermissionDenied, match="不能修改自己"):
            staff.change_role(people[who], membership, Role.AUDITOR)
        membership.refresh_from_db()
        assert membership.role == Role.ADMIN


def test_nobody_revokes_their_own_membership(people):
    for who in ("admin", "zone_admin", "street_admin"):
        with pytest.raises(PermissionDenied, match="不能撤销自己"):
            staff.revoke_membership(people[who], _own(people[who]))
        assert Membership.objects.filter(user=people[who]).exists()


def test_cannot_change_or_revoke_outside_scope(people, zone):
    other = _own(people["other_editor"])  # 教育局
    with pytest.raises(PermissionDenied):
        staff.change_role(people["admin"], other, Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        staff.revoke_membership(people["admin"], other)
    # The agency admin cannot touch the division admin's membership either.
    with pytest.raises(PermissionDenied):
        staff.revoke_membership(people["admin"], _own(people["zone_admin"]))
    with pytest.raises(PermissionDenied):
        staff.revoke_membership(people["street_admin"], _own(people["zone_admin"]))
    assert Membership.objects.filter(pk=other.pk, role=Role.EDITOR).exists()


def test_cannot_move_a_membership_out_of_scope(people, zone):
    membership = _own(people["editor"])
    with pytest.raises(PermissionDenied):
        staff.change_membership(people["admin"], membership, scope=zone["jyj"])
    with pytest.raises(PermissionDenied):
        staff.change_membership(people["admin"], membership, user=people["admin"])
    membership.refresh_from_db()
    assert membership.agency == zone["mzj"] and membership.user == people["editor"]


def test_the_stored_row_decides_not_the_callers_copy(people, zone):
    """An out-of-scope membership edited in memory to look in-scope is still refused."""
    other = _own(people["other_editor"])
    other.agency = zone["mzj"]
    with pytest.raises(PermissionDenied):
        staff.change_role(people["admin"], other, Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        staff.revoke_membership(people["admin"], other)


def test_admin_revokes_with_the_before_in_the_log(people, zone):
    membership = _own(people["editor"])
    staff.revoke_membership(people["admin"], membership)
    assert not Membership.objects.filter(user=people["editor"]).exists()
    entry = AuditEntry.objects.get(action="org.membership.revoke")
    assert entry.before == {"user": "editor", "role": "editor", "agency": "T-MZJ", "division": None}
    assert entry.after is None and entry.actor == people["admin"]


def test_division_admin_revokes_a_sub_division_admin(people):
    staff.revoke_membership(people["zone_admin"], _own(people["street_admin"]))
    assert not Membership.objects.filter(user=people["street_admin"]).exists()
    assert AuditEntry.objects.get(action="org.membership.revoke").before["division"] == (
        "990171001000"
    )


def test_superuser_may_change_and_revoke_anything(root, people, zone):
    staff.change_membership(root, _own(people["zone_admin"]), scope=zone["street"])
    staff.revoke_membership(root, _own(people["other_editor"]))
    assert _has(people["zone_admin"], Role.ADMIN, zone["street"])
    assert not Membership.objects.filter(user=people["other_editor"]).exists()


# ------------------------------------------------------------------ staff accounts


def test_admin_creates_a_staff_account(people):
    user = staff.create_staff_user(people["admin"], " wangfang ", "王芳", "Qiu-feng-2031!")
    user.refresh_from_db()
    assert user.username == "wangfang" and user.first_name == "王芳"
    assert user.is_staff and user.is_active and not user.is_superuser
    assert user.check_password("Qiu-feng-2031!")
    entry = AuditEntry.objects.get(action="org.staff.create")
    assert entry.actor == people["admin"] and entry.object_id == str(user.pk)
    assert entry.after["username"] == "wangfang" and entry.after["is_superuser"] is False
    assert "Qiu-feng-2031!" not in str(entry.after) and "password" not in entry.after


@pytest.mark.parametrize(
    "password,code",
    [
        ("short1!", "password_too_short"),
        ("1234567890123", "password_entirely_numeric"),
        ("password123", "password_too_common"),
        ("wangfang2031", "password_too_similar"),
    ],
)
def test_passwords_must_pass_the_validators(people, password, code):
    with pytest.raises(ValidationError) as info:
        staff.create_staff_user(people["admin"], "wangfang", "王芳", password)
    codes = [e.code for e in info.value.error_dict["password"]]
    assert code in codes
    assert not User.objects.filter(username="wangfang").exists()


def test_usernames_are_unique_ignoring_case(people):
    with pytest.raises(ValidationError, match="已被使用") as info:
        staff.create_staff_user(people["admin"], "Editor", "另一个编辑", "Qiu-feng-2031!")
    assert "username" in info.value.error_dict


def test_username_and_name_are_required(people):
    with pytest.raises(ValidationError) as info:
        staff.create_staff_user(people["admin"], "  ", "", "Qiu-feng-2031!")
    assert set(info.value.error_dict) == {"username", "display_name"}
    with pytest.raises(ValidationError, match="用户名只能包含"):
        staff.create_staff_user(people["admin"], "wang fang", "王芳", "Qiu-feng-2031!")


@pytest.mark.parametrize("who", ["editor", "reviewer", "auditor", "nobody"])
def test_only_admins_create_accounts(people, who):
    with pytest.raises(PermissionDenied):
        staff.create_staff_user(people[who], "wangfang", "王芳", "Qiu-feng-2031!")
    assert not User.objects.filter(username="wangfang").exists()


def test_superuser_creates_staff_never_superusers(root):
    user = staff.create_staff_user(root, "liming", "李明", "Qiu-feng-2031!")
    assert user.is_staff and not user.is_superuser


# ------------------------------------------------------------------ the rule as a property

# Scope names → (is division, code); the containment below is written out by hand.
SCOPES = {
    "mzj": (False, "T-MZJ"),
    "jyj": (False, "T-JYJ"),
    "dh": (False, "T-DH"),
    "moe": (False, "N-MOE"),
    "national": (True, "000000"),
    "city": (True, "990100"),
    "county": (True, "990171"),
    "street": (True, "990171001000"),
}
INSIDE = {
    "mzj": {"mzj"},
    "jyj": {"jyj"},
    "dh": {"dh"},
    "moe": {"moe"},
    "street": {"street", "dh"},
    "county": {"county", "street", "mzj", "jyj", "dh"},
    "city": {"city", "county", "street", "mzj", "jyj", "dh"},
    "national": set(SCOPES),
}


def _scope(name):
    is_division, code = SCOPES[name]
    return Division.objects.get(code=code) if is_division else Agency.objects.get(code=code)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    held=st.lists(
        st.tuples(st.sampled_from(sorted(SCOPES)), st.sampled_from(Role.values)),
        max_size=3,
        unique=True,
    ),
    superuser=st.booleans(),
    target=st.sampled_from(sorted(SCOPES)),
    role=st.sampled_from(Role.values),
    to_self=st.booleans(),
)
def test_property_grant_succeeds_exactly_within_held_admin_scope(
    zone, held, superuser, target, role, to_self
):
    """Whatever the actor holds, a grant succeeds iff the actor is a superuser or holds
    admin over a scope containing the target, and is not granting to themselves."""
    with transaction.atomic():
        actor = make_user("actor", superuser=superuser)
        for scope_name, held_role in held:
            scope = _scope(scope_name)
            if isinstance(scope, Division) and held_role not in (Role.ADMIN, Role.AUDITOR):
                continue
            field = "agency" if isinstance(scope, Agency) else "division"
            Membership.objects.create(user=actor, role=held_role, **{field: scope})
        admin_of = set()
        for scope_name, held_role in held:
            if held_role == Role.ADMIN:
                admin_of |= INSIDE[scope_name]
        grantee = actor if to_self else make_user("grantee")
        already = to_self and any(n == target and r == role for n, r in held)
        allowed = superuser or (target in admin_of and not to_self)
        invalid = SCOPES[target][0] and role not in (Role.ADMIN, Role.AUDITOR)
        count = Membership.objects.count()
        if not allowed:
            with pytest.raises(PermissionDenied):
                staff.grant_membership(actor, grantee, role, _scope(target))
            assert Membership.objects.count() == count
        elif invalid or already:
            with pytest.raises(ValidationError):
                staff.grant_membership(actor, grantee, role, _scope(target))
            assert Membership.objects.count() == count
        else:
            staff.grant_membership(actor, grantee, role, _scope(target))
            assert _has(grantee, role, _scope(target))
        transaction.set_rollback(True)
