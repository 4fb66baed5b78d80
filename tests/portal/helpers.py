"""Publishing helper shared by the portal and browser tests."""

from django.contrib.auth import get_user_model

from gongkai.catalog import services
from gongkai.catalog.models import Domain
from gongkai.org.models import Role
from tests.conftest import make_user


def _staff(agency):
    """An editor and a reviewer of one agency, created on first use."""
    users = get_user_model().objects
    editor = users.filter(username=f"ed-{agency.code}").first() or make_user(
        f"ed-{agency.code}", agency=agency, role=Role.EDITOR
    )
    reviewer = users.filter(username=f"rv-{agency.code}").first() or make_user(
        f"rv-{agency.code}", agency=agency, role=Role.REVIEWER
    )
    return editor, reviewer


def publish_item(agency, domain_code: str, base: dict, **overrides):
    """Create an item of `agency` in the domain, submit it and approve it."""
    editor, reviewer = _staff(agency)
    domain = Domain.objects.get(code=domain_code)
    item = services.create_item(editor, agency, domain, **{**base, **overrides})
    services.transition(editor, item, "submit")
    return services.transition(reviewer, item, "approve")
