"""Shared fixtures: a small zone with two agencies and users in every role."""

import pytest
from django.contrib.auth import get_user_model

from gongkai.catalog.models import Domain
from gongkai.catalog.reference import ensure_standard_domains
from gongkai.org.models import Agency, Division, Membership, Role


@pytest.fixture
def zone(db):
    """A county-level zone with one street; two departments and the street office."""
    Division.objects.create(code="000000", name="中华人民共和国", level="national")
    Division.objects.create(code="990000", name="示范省", level="province", parent_id="000000")
    Division.objects.create(code="990100", name="示范市", level="city", parent_id="990000")
    county = Division.objects.create(
        code="990171", name="示范经济开发区", level="county", parent_id="990100"
    )
    street = Division.objects.create(
        code="990171001000", name="东湖街道", level="township", parent_id="990171"
    )
    ensure_standard_domains(Domain)
    return {
        "county": county,
        "street": street,
        "mzj": Agency.objects.create(
            code="T-MZJ", name="民政局", kind="department", division=county
        ),
        "jyj": Agency.objects.create(
            code="T-JYJ", name="教育局", kind="department", division=county
        ),
        "dh": Agency.objects.create(
            code="T-DH", name="东湖街道办事处", kind="township", division=street
        ),
        "moe": Agency.objects.create(
            code="N-MOE", name="教育部", kind="national", division_id="000000"
        ),
    }


def make_user(username: str, *, agency=None, division=None, role=None, superuser=False):
    user = get_user_model().objects.create_user(
        username=username,
        password="correct horse battery",
        is_staff=True,
        is_superuser=superuser,
    )
    if role:
        Membership.objects.create(user=user, role=role, agency=agency, division=division)
    return user


@pytest.fixture
def people(zone):
    """One user per role in 民政局, plus a division admin and auditor of the whole zone."""
    mzj = zone["mzj"]
    return {
        "editor": make_user("editor", agency=mzj, role=Role.EDITOR),
        "editor2": make_user("editor2", agency=mzj, role=Role.EDITOR),
        "reviewer": make_user("reviewer", agency=mzj, role=Role.REVIEWER),
        "reviewer2": make_user("reviewer2", agency=mzj, role=Role.REVIEWER),
        "admin": make_user("agency_admin", agency=mzj, role=Role.ADMIN),
        "auditor": make_user("auditor", agency=mzj, role=Role.AUDITOR),
        "zone_admin": make_user("zone_admin", division=zone["county"], role=Role.ADMIN),
        "street_admin": make_user("street_admin", division=zone["street"], role=Role.ADMIN),
        "other_editor": make_user("other_editor", agency=zone["jyj"], role=Role.EDITOR),
        "nobody": make_user("nobody"),
    }


ELEMENTS = {
    "level1": "最低生活保障",
    "level2": "审核确认结果",
    "content": "保障对象、保障金额（隐去个人身份信息）",
    "basis": "《社会救助暂行办法》《中华人民共和国政府信息公开条例》",
    "time_limit_text": "信息形成或者变更之日起20个工作日内",
    "subject_text": "民政局",
    "channels": ["website", "notice_board"],
    "audience": ["public"],
    "mode": ["proactive"],
    "levels": ["county", "township"],
}


@pytest.fixture
def elements():
    return dict(ELEMENTS)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher; tests create many users, so hash them cheaply.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
