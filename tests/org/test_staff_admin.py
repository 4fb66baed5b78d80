"""The back office for staffing: a scoped admin sees and changes only their scope."""

import re

import pytest
from django.contrib.auth import get_user_model

from gongkai.core.models import AuditEntry
from gongkai.org.models import Agency, Membership, Role
from tests.conftest import make_user

User = get_user_model()
LIST = "/admin/org/membership/"


@pytest.fixture
def root(db):
    return make_user("root", superuser=True)


def _page(response) -> str:
    return response.content.decode()


def _listed_users(page: str) -> set[str]:
    """Usernames in the changelist's first column (links to change pages)."""
    return set(re.findall(r'<th class="field-user[^"]*"><a href="[^"]+">([^<]+)</a>', page))


def test_agency_admin_sees_only_their_agencys_memberships(client, people):
    client.force_login(people["admin"])
    page = _page(client.get(LIST))
    assert "岗位角色" in page and "新增工作人员" in page
    users = _listed_users(page)
    # Their own membership is listed too (it opens read-only).
    assert users == {"editor", "editor2", "reviewer", "reviewer2", "auditor", "agency_admin"}


def test_division_admin_sees_the_whole_subtree(client, people):
    client.force_login(people["zone_admin"])
    users = _listed_users(_page(client.get(LIST)))
    assert users == {
        "editor",
        "editor2",
        "reviewer",
        "reviewer2",
        "agency_admin",
        "auditor",
        "other_editor",
        "street_admin",
        "zone_admin",
    }


def test_others_have_no_membership_admin(client, people):
    for who in ("editor", "reviewer", "auditor", "nobody"):
        client.force_login(people[who])
        assert client.get(LIST).status_code == 403
        assert client.get(LIST + "add-staff/").status_code == 403
        assert "岗位角色" not in _page(client.get("/admin/"))


def test_superuser_still_sees_everything(client, people, root):
    client.force_login(root)
    page = _page(client.get(LIST))
    assert len(_listed_users(page)) == Membership.objects.values("user").distinct().count()


def test_agency_admin_adds_an_editor_through_the_form(client, people, zone):
    newcomer = make_user("newcomer")
    client.force_login(people["admin"])
    form = _page(client.get(LIST + "add/"))
    assert "newcomer" in form and "民政局" in form and "教育局" not in form
    response = client.post(
        LIST + "add/", {"user": newcomer.pk, "role": Role.EDITOR, "agency": zone["mzj"].pk}
    )
    assert response.status_code == 302, _page(response)[:3000]
    assert Membership.objects.filter(user=newcomer, role=Role.EDITOR, agency=zone["mzj"]).exists()
    entry = AuditEntry.objects.get(action="org.membership.grant")
    assert entry.actor == people["admin"] and entry.after["user"] == "newcomer"


def test_an_agency_outside_scope_is_a_form_error(client, people, zone):
    newcomer = make_user("newcomer")
    client.force_login(people["admin"])
    response = client.post(
        LIST + "add/", {"user": newcomer.pk, "role": Role.EDITOR, "agency": zone["jyj"].pk}
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in _page(response)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_agency_admin_cannot_add_a_division_wide_admin(client, people, zone):
    client.force_login(people["admin"])
    response = client.post(
        LIST + "add/",
        {"user": people["nobody"].pk, "role": Role.ADMIN, "division": zone["county"].code},
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=people["nobody"]).exists()
    assert 'name="division"' not in _page(client.get(LIST + "add/"))
    # A street admin has the choice, but only their own street.
    client.force_login(people["street_admin"])
    form = _page(client.get(LIST + "add/"))
    assert 'name="division"' in form and "东湖街道" in form and "示范经济开发区" not in form
    response = client.post(
        LIST + "add/",
        {"user": people["nobody"].pk, "role": Role.ADMIN, "division": zone["county"].code},
    )
    assert response.status_code == 200 and "选择一个有效的选项" in _page(response)
    assert not Membership.objects.filter(user=people["nobody"]).exists()


def test_granting_oneself_is_a_form_error(client, people, zone):
    client.force_login(people["admin"])
    # The admin is a staff account, so they appear in the list of users to pick.
    response = client.post(
        LIST + "add/", {"user": people["admin"].pk, "role": Role.EDITOR, "agency": zone["mzj"].pk}
    )
    assert response.status_code == 200 and "不能为自己授予" in _page(response)
    assert Membership.objects.filter(user=people["admin"]).count() == 1


def test_a_duplicate_is_a_form_error_in_chinese(client, people, zone):
    client.force_login(people["admin"])
    response = client.post(
        LIST + "add/",
        {"user": people["editor"].pk, "role": Role.EDITOR, "agency": zone["mzj"].pk},
    )
    assert response.status_code == 200 and "已经是编辑" in _page(response)


def test_division_admin_adds_a_street_admin(client, people, zone):
    client.force_login(people["zone_admin"])
    response = client.post(
        LIST + "add/",
        {"user": people["nobody"].pk, "role": Role.ADMIN, "division": zone["street"].code},
    )
    assert response.status_code == 302, _page(response)[:3000]
    assert Membership.objects.filter(user=people["nobody"], division=zone["street"]).exists()


def test_admin_changes_a_role(client, people, zone):
    membership = Membership.objects.get(user=people["editor"])
    client.force_login(people["admin"])
    response = client.post(
        f"{LIST}{membership.pk}/change/", {"role": Role.REVIEWER, "agency": zone["mzj"].pk}
    )
    assert response.status_code == 302, _page(response)[:3000]
    membership.refresh_from_db()
    assert membership.role == Role.REVIEWER and membership.user == people["editor"]
    entry = AuditEntry.objects.get(action="org.membership.change")
    assert (entry.before["role"], entry.after["role"]) == ("editor", "reviewer")


def test_admin_cannot_edit_or_delete_own_membership(client, people, zone):
    own = Membership.objects.get(user=people["admin"])
    client.force_login(people["admin"])
    view = client.get(f"{LIST}{own.pk}/change/")
    assert view.status_code == 200 and 'name="_save"' not in _page(view)
    response = client.post(
        f"{LIST}{own.pk}/change/", {"role": Role.AUDITOR, "agency": zone["mzj"].pk}
    )
    assert response.status_code == 403
    assert client.post(f"{LIST}{own.pk}/delete/", {"post": "yes"}).status_code == 403
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_out_of_scope_memberships_cannot_be_opened(client, people):
    other = Membership.objects.get(user=people["other_editor"])
    client.force_login(people["admin"])
    assert client.get(f"{LIST}{other.pk}/change/").status_code == 302  # "does not exist"
    client.post(f"{LIST}{other.pk}/delete/", {"post": "yes"})
    assert Membership.objects.filter(pk=other.pk).exists()


def test_admin_revokes_through_the_delete_page(client, people):
    membership = Membership.objects.get(user=people["editor"])
    client.force_login(people["admin"])
    assert client.post(f"{LIST}{membership.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.get(action="org.membership.revoke").before["user"] == "editor"


def test_bulk_revoke_refuses_a_selection_with_ones_own(client, people):
    own = Membership.objects.get(user=people["admin"])
    editor = Membership.objects.get(user=people["editor"])
    client.force_login(people["admin"])
    client.post(
        LIST,
        {"action": "delete_selected", "_selected_action": [own.pk, editor.pk], "post": "yes"},
    )
    assert Membership.objects.filter(pk__in=[own.pk, editor.pk]).count() == 2
    client.post(LIST, {"action": "delete_selected", "_selected_action": [editor.pk], "post": "yes"})
    assert not Membership.objects.filter(pk=editor.pk).exists()


# ------------------------------------------------------------------ 新增工作人员


def test_admin_creates_a_staff_account_then_grants_it(client, people, zone):
    client.force_login(people["admin"])
    assert "初始密码" in _page(client.get(LIST + "add-staff/"))
    response = client.post(
        LIST + "add-staff/",
        {
            "username": "wangfang",
            "display_name": "王芳",
            "password": "Qiu-feng-2031!",
            "password2": "Qiu-feng-2031!",
        },
    )
    user = User.objects.get(username="wangfang")
    assert user.is_staff and not user.is_superuser and user.first_name == "王芳"
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}add/?user={user.pk}"
    form = _page(client.get(response["Location"]))
    assert f'<option value="{user.pk}" selected>wangfang（王芳）</option>' in form
    response = client.post(
        LIST + "add/", {"user": user.pk, "role": Role.EDITOR, "agency": zone["mzj"].pk}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, agency=zone["mzj"]).exists()


def test_a_weak_password_is_shown_as_form_errors(client, people):
    client.force_login(people["admin"])
    response = client.post(
        LIST + "add-staff/",
        {"username": "wangfang", "display_name": "王芳", "password": "123", "password2": "123"},
    )
    assert response.status_code == 200
    page = _page(response)
    assert "密码" in page and "errorlist" in page
    assert not User.objects.filter(username="wangfang").exists()


def test_mismatched_passwords(client, people):
    client.force_login(people["admin"])
    response = client.post(
        LIST + "add-staff/",
        {
            "username": "wangfang",
            "display_name": "王芳",
            "password": "Qiu-feng-2031!",
            "password2": "Qiu-feng-2032!",
        },
    )
    assert "两次输入的密码不一致" in _page(response)
    assert not User.objects.filter(username="wangfang").exists()


# ------------------------------------------------------------------ the agency page's inline


def _inline_post(agency: Agency, rows: list[dict], extra: dict | None = None) -> dict:
    """The agency change form as a scoped admin submits it: only the membership rows."""
    data = {
        "memberships-TOTAL_FORMS": len(rows),
        "memberships-INITIAL_FORMS": sum(1 for r in rows if r.get("id")),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data[f"memberships-{i}-agency"] = agency.pk
        for key, value in row.items():
            data[f"memberships-{i}-{key}"] = value
    return {**data, **(extra or {})}


def _existing_rows(agency: Agency) -> list[dict]:
    return [
        {"id": m.pk, "user": m.user_id, "role": m.role}
        for m in Membership.objects.filter(agency=agency).order_by("pk")
    ]


def test_agency_admin_staffs_through_the_agency_page(client, people, zone):
    mzj = zone["mzj"]
    newcomer = make_user("newcomer")
    client.force_login(people["admin"])
    page = _page(client.get(f"/admin/org/agency/{mzj.pk}/change/"))
    assert 'name="name"' not in page and "民政局" in page  # agency fields read-only
    rows = _existing_rows(mzj) + [{"user": newcomer.pk, "role": Role.EDITOR}]
    response = client.post(
        f"/admin/org/agency/{mzj.pk}/change/", _inline_post(mzj, rows, {"name": "改名"})
    )
    assert response.status_code == 302, _page(response)[:3000]
    mzj.refresh_from_db()
    assert mzj.name == "民政局"
    assert Membership.objects.filter(user=newcomer, role=Role.EDITOR, agency=mzj).exists()
    assert AuditEntry.objects.filter(action="org.membership.grant").count() == 1


def test_agency_inline_refuses_revoking_ones_own_row(client, people, zone):
    mzj = zone["mzj"]
    own = Membership.objects.get(user=people["admin"])
    rows = [dict(r, DELETE="on") if r["id"] == own.pk else r for r in _existing_rows(mzj)]
    client.force_login(people["admin"])
    response = client.post(f"/admin/org/agency/{mzj.pk}/change/", _inline_post(mzj, rows))
    assert response.status_code == 200 and "不能撤销自己" in _page(response)
    assert Membership.objects.filter(pk=own.pk).exists()


def test_agency_inline_refuses_changing_ones_own_row(client, people, zone):
    mzj = zone["mzj"]
    own = Membership.objects.get(user=people["admin"])
    rows = [dict(r, role=Role.AUDITOR) if r["id"] == own.pk else r for r in _existing_rows(mzj)]
    client.force_login(people["admin"])
    response = client.post(f"/admin/org/agency/{mzj.pk}/change/", _inline_post(mzj, rows))
    assert response.status_code == 200 and "不能修改自己" in _page(response)
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_agency_inline_revokes_and_changes_others(client, people, zone):
    mzj = zone["mzj"]
    editor = Membership.objects.get(user=people["editor"])
    reviewer = Membership.objects.get(user=people["reviewer"])
    rows = []
    for row in _existing_rows(mzj):
        if row["id"] == editor.pk:
            row = dict(row, DELETE="on")
        elif row["id"] == reviewer.pk:
            row = dict(row, role=Role.AUDITOR)
        rows.append(row)
    client.force_login(people["zone_admin"])
    response = client.post(f"/admin/org/agency/{mzj.pk}/change/", _inline_post(mzj, rows))
    assert response.status_code == 302, _page(response)[:3000]
    assert not Membership.objects.filter(pk=editor.pk).exists()
    assert Membership.objects.get(pk=reviewer.pk).role == Role.AUDITOR
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"org.membership.revoke", "org.membership.change"} <= actions


def test_agency_page_is_read_only_without_admin_role(client, people, zone):
    mzj = zone["mzj"]
    client.force_login(people["editor"])
    page = _page(client.get(f"/admin/org/agency/{mzj.pk}/change/"))
    assert "memberships-TOTAL_FORMS" not in page  # no staffing inline for editors
    rows = [{"user": people["nobody"].pk, "role": Role.EDITOR}]
    response = client.post(f"/admin/org/agency/{mzj.pk}/change/", _inline_post(mzj, rows))
    assert response.status_code == 403
    assert not Membership.objects.filter(user=people["nobody"]).exists()


def test_agency_admin_cannot_open_another_agency(client, people, zone):
    client.force_login(people["admin"])
    jyj = zone["jyj"]
    rows = [{"user": people["nobody"].pk, "role": Role.EDITOR}]
    client.post(f"/admin/org/agency/{jyj.pk}/change/", _inline_post(jyj, rows))
    assert not Membership.objects.filter(user=people["nobody"]).exists()


def test_superuser_still_edits_agencies(client, people, zone, root):
    mzj = zone["mzj"]
    client.force_login(root)
    data = _inline_post(
        mzj,
        _existing_rows(mzj),
        {
            "code": mzj.code,
            "name": "民政局（新）",
            "kind": mzj.kind,
            "division": mzj.division_id,
            "sort_order": mzj.sort_order,
            "is_active": "on",
        },
    )
    response = client.post(f"/admin/org/agency/{mzj.pk}/change/", data)
    assert response.status_code == 302, _page(response)[:3000]
    mzj.refresh_from_db()
    assert mzj.name == "民政局（新）"


def test_division_admin_stays_superuser_only(client, people):
    client.force_login(people["zone_admin"])
    assert client.get("/admin/org/division/").status_code == 403


def test_superuser_adds_a_national_admin_through_the_form(client, people, root):
    client.force_login(root)
    response = client.post(
        LIST + "add/", {"user": people["nobody"].pk, "role": Role.ADMIN, "division": "000000"}
    )
    assert response.status_code == 302, _page(response)[:3000]
    assert Membership.objects.filter(user=people["nobody"], division_id="000000").exists()
    assert AuditEntry.objects.get(action="org.membership.grant").actor == root
