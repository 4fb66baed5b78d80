"""Portal fixtures: publish items through the real workflow (editor submits, reviewer approves)."""

import pytest

from .helpers import publish_item


@pytest.fixture
def publish(zone, elements):
    """publish(agency_key_or_agency, domain_code="social_assistance", **element_overrides)."""

    def _publish(agency="mzj", domain_code="social_assistance", **overrides):
        agency = zone[agency] if isinstance(agency, str) else agency
        return publish_item(agency, domain_code, elements, **overrides)

    return _publish
