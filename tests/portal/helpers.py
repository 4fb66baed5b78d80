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


def fake_hit(n: int = 1, **fields):
    """A search hit shaped like gongkai.search.services.Hit (without needing the engine)."""
    from types import SimpleNamespace

    base = {
        "type": "item",
        "id": n,
        "title": f"最低生活保障审核确认结果{n}",
        "snippet": "保障对象、<mark>最低生活保障</mark>金额",
        "url": f"/items/{n}/",
        "score": 1.5,
        "domain_code": "social_assistance",
        "agency_code": "T-MZJ",
        "published_at": None,
    }
    return SimpleNamespace(**{**base, **fields})


def fake_result(q: str = "低保", *, total=None, hits=None, facets=None, suggestion=None, **kw):
    """A SearchResult look-alike; facets default to one value per facet key."""
    from types import SimpleNamespace

    def fv(code, name, count):
        return SimpleNamespace(code=code, name=name, count=count)

    hits = [fake_hit()] if hits is None else hits
    if facets is None:
        facets = {
            "type": [fv("item", "目录事项", len(hits))],
            "domain": [fv("social_assistance", "社会救助", len(hits)), fv("tax", "税收管理", 0)],
            "agency": [fv("T-MZJ", "民政局", len(hits))],
            "level": [fv("county", "县级", len(hits))],
            "audience": [fv("public", "全社会", len(hits))],
            "mode": [fv("proactive", "主动", len(hits))],
            "year": [fv("2025", "2025年", len(hits))],
        }
    return SimpleNamespace(
        total=len(hits) if total is None else total,
        hits=hits,
        facets=facets,
        query=q,
        suggestion=suggestion,
        page=kw.get("page", 1),
        page_size=kw.get("page_size", 20),
        facets_complete=kw.get("facets_complete", True),
        total_exact=kw.get("total_exact", True),
    )
