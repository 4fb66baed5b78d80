"""The permissions matrix: every role × own/other agency × view/edit/submit/approve.

Each case goes through the services (where permissions live), so a denied case is a
PermissionDenied from the workflow a view, the admin, a command or the API would call.
"""

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.catalog import services
from gongkai.catalog.models import ItemStatus

ROLES = ["editor", "reviewer", "admin", "auditor", "zone_admin", "street_admin", "nobody"]
# What each role may do to an item of 民政局 (its own agency, or inside the zone subtree).
OWN_AGENCY = {
    "editor": {"view", "edit", "submit"},
    "reviewer": {"view", "approve"},
    "admin": {"view", "edit", "submit", "approve"},
    "auditor": {"view"},
    "zone_admin": {"view", "edit", "submit", "approve"},  # admin of the county subtree
    "street_admin": set(),  # a street's admin has no say over a county department
    "nobody": set(),
}


def _draft(people, zone, elements):
    return services.create_item(people["editor2"], zone["mzj"], _domain(), **elements)


def _submitted(people, zone, elements):
    item = _draft(people, zone, elements)
    return services.transition(people["editor2"], item, "submit")


def _domain():
    from gongkai.catalog.models import Domain

    return Domain.objects.get(code="social_assistance")


def _attempt(action, user, people, zone, elements) -> bool:
    """Try one action; True if allowed, False if PermissionDenied."""
    try:
        if action == "view":
            item = _draft(people, zone, elements)
            return (
                services.can_view(user, item)
                and services.visible_items(user).filter(pk=item.pk).exists()
            )
        if action == "edit":
            item = _draft(people, zone, elements)
            services.update_item(user, item, content="新的公开内容")
        elif action == "submit":
            item = _draft(people, zone, elements)
            services.transition(user, item, "submit")
        elif action == "approve":
            item = _submitted(people, zone, elements)
            services.transition(user, item, "approve")
        return True
    except PermissionDenied:
        return False


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["view", "edit", "submit", "approve"])
def test_matrix_own_agency(role, action, people, zone, elements):
    allowed = _attempt(action, people[role], people, zone, elements)
    assert allowed == (action in OWN_AGENCY[role]), f"{role} {action}"


@pytest.mark.parametrize("action", ["view", "edit", "submit", "approve"])
def test_other_agency_editor_is_denied_everything(action, people, zone, elements):
    assert _attempt(action, people["other_editor"], people, zone, elements) is False


def test_create_in_other_agency_is_denied(people, zone, elements):
    with pytest.raises(PermissionDenied):
        services.create_item(people["editor"], zone["jyj"], _domain(), **elements)


def test_street_admin_manages_street_agency(people, zone, elements):
    item = services.create_item(people["street_admin"], zone["dh"], _domain(), **elements)
    assert item.agency == zone["dh"]


def test_reviewer_cannot_approve_own_submission(people, zone, elements):
    admin = people["admin"]
    item = services.create_item(admin, zone["mzj"], _domain(), **elements)
    services.transition(admin, item, "submit")
    with pytest.raises(PermissionDenied, match="不能审核自己提交"):
        services.transition(admin, item, "approve")
    services.transition(people["reviewer"], item, "approve")
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert item.reviewed_by == people["reviewer"]


def test_drafts_are_invisible_to_the_public(people, zone, elements, client):
    item = _draft(people, zone, elements)
    assert not services.public_items().filter(pk=item.pk).exists()
    assert client.get(f"/items/{item.pk}/").status_code == 404
    assert client.get(f"/api/v1/items/{item.pk}").status_code == 404
