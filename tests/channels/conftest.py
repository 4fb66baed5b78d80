"""Channel fixtures: items published through the real workflow."""

import pytest

from tests.portal.helpers import _staff, publish_item


@pytest.fixture
def publish(zone, elements):
    """publish(agency_key="mzj", domain_code="social_assistance", **element_overrides)."""

    def _publish(agency="mzj", domain_code="social_assistance", **overrides):
        agency = zone[agency] if isinstance(agency, str) else agency
        return publish_item(agency, domain_code, elements, **overrides)

    return _publish


@pytest.fixture
def staff(zone):
    """(editor, reviewer) of 民政局."""
    return _staff(zone["mzj"])
