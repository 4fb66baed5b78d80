"""API shapes: domains, agencies, items (list with filters, detail with every element)."""

import pytest

from gongkai.catalog import services
from gongkai.catalog.models import Domain


def publish(people, agency, domain_code, **elements):
    domain = Domain.objects.get(code=domain_code)
    item = services.create_item(people["admin"], agency, domain, **elements)
    services.transition(people["admin"], item, "submit")
    return services.transition(people["reviewer"], item, "approve")


@pytest.fixture
def published(people, zone, elements):
    a = publish(people, zone["mzj"], "social_assistance", **elements)
    b = publish(
        people,
        zone["mzj"],
        "elderly_care",
        **{**elements, "level1": "养老服务", "level2": "养老机构名录", "levels": ["county"]},
    )
    draft = services.create_item(
        people["editor"],
        zone["mzj"],
        Domain.objects.get(code="social_assistance"),
        **{**elements, "level2": "未发布的草稿"},
    )
    return a, b, draft


def test_domains_list_all_26_with_counts(client, published):
    data = client.get("/api/v1/domains").json()
    assert len([d for d in data if d["is_standard"]]) == 26
    counts = {d["code"]: d["item_count"] for d in data}
    assert counts["social_assistance"] == 1  # the draft is not counted
    assert counts["elderly_care"] == 1
    assert counts["tax"] == 0
    assert {"code", "name", "is_standard", "item_count", "url"} <= set(data[0])


def test_agencies(client, zone):
    data = client.get("/api/v1/agencies").json()
    codes = {a["code"]: a for a in data}
    assert "T-MZJ" in codes and "N-MOE" not in codes  # national departments are not local
    assert codes["T-DH"]["division_code"] == "990171001000"
    assert codes["T-DH"]["kind"] == "township"


def test_items_list_filters_and_paging(client, published):
    a, b, draft = published
    data = client.get("/api/v1/items").json()
    assert data["total"] == 2
    assert {i["id"] for i in data["items"]} == {a.pk, b.pk}
    assert client.get("/api/v1/items?domain=elderly_care").json()["total"] == 1
    assert client.get("/api/v1/items?agency=T-JYJ").json()["total"] == 0
    assert client.get("/api/v1/items?level=township").json()["items"][0]["id"] == a.pk
    page = client.get("/api/v1/items?page_size=1&page=2").json()
    assert page["total"] == 2 and len(page["items"]) == 1


@pytest.mark.parametrize(
    "query",
    ["level=planet", "page=0", "page_size=1000", "page=abc", "domain=%27%20OR%201=1--"],
)
def test_bad_parameters_are_4xx_with_a_message(client, published, query):
    response = client.get(f"/api/v1/items?{query}")
    if query.startswith("domain="):
        assert response.status_code == 200 and response.json()["total"] == 0
        return
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_item_detail_has_every_element_structured(client, published):
    a, _, draft = published
    data = client.get(f"/api/v1/items/{a.pk}").json()
    assert data["level1"] == "最低生活保障" and data["level2"] == "审核确认结果"
    assert data["content"].startswith("保障对象")
    assert "社会救助暂行办法" in data["basis"]["text"]
    assert data["time_limit"]["text"] == "信息形成或者变更之日起20个工作日内"
    assert data["time_limit"]["parsed"] is True
    clause = data["time_limit"]["clauses"][0]
    assert (clause["kind"], clause["number"], clause["unit"], clause["trigger"]) == (
        "period",
        20,
        "workday",
        "formed_or_changed",
    )
    assert data["subject"]["text"] == "民政局"
    assert [c["label"] for c in data["channels"]["selected"]] == [
        "政府网站",
        "社区/企事业单位/村公示栏（电子屏）",
    ]
    assert data["audience"] == [{"code": "public", "label": "全社会"}]
    assert data["mode"] == [{"code": "proactive", "label": "主动"}]
    assert [lv["label"] for lv in data["levels"]] == ["县级", "乡级"]
    assert data["url"].endswith(f"/items/{a.pk}/")


@pytest.mark.parametrize(
    "path", ["/api/v1/items/999999", "/api/v1/items/0", "/api/v1/items/99999999999999999999999"]
)
def test_missing_item_is_404_with_message(client, published, path):
    response = client.get(path)
    assert response.status_code in (404, 422)
    assert response.json()["detail"]


def test_draft_is_not_served(client, published):
    _, _, draft = published
    assert client.get(f"/api/v1/items/{draft.pk}").status_code == 404
