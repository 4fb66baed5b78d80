"""Divisions keyed by statutory code; a subtree is a code prefix."""

import pytest
from django.core.exceptions import ValidationError

from gongkai.org.models import Agency, Division, guess_level
from gongkai.org.permissions import agencies_for
from tests.conftest import make_user


def test_subtree_is_a_code_prefix(zone):
    county = zone["county"]
    codes = set(county.subtree().values_list("code", flat=True))
    assert codes == {"990171", "990171001000"}
    assert zone["street"].prefix == "990171001"
    city = Division.objects.get(code="990100")
    assert set(city.subtree().values_list("code", flat=True)) >= codes | {"990100"}


@pytest.mark.parametrize(
    "code,level",
    [
        ("110000", "province"),
        ("110100", "city"),
        ("110101", "county"),
        ("110101001000", "township"),
        ("110101001001", "village"),
        ("000000", "national"),
    ],
)
def test_guess_level(code, level):
    assert guess_level(code) == level


def test_child_code_must_match_parent(zone):
    bad = Division(code="880101001000", name="错挂街道", level="township", parent=zone["county"])
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_division_admin_sees_agencies_of_the_whole_subtree(zone):
    from gongkai.org.models import Role

    zone_admin = make_user("za", division=zone["county"], role=Role.ADMIN)
    street_admin = make_user("sa", division=zone["street"], role=Role.ADMIN)
    assert set(agencies_for(zone_admin).values_list("code", flat=True)) == {
        "T-MZJ",
        "T-JYJ",
        "T-DH",
    }
    assert set(agencies_for(street_admin).values_list("code", flat=True)) == {"T-DH"}


def test_agency_code_is_unique(zone):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(code="T-MZJ", name="重复", kind="department", division=zone["county"])
