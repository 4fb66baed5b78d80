"""The back office: Chinese, scoped to the user's agencies, transitions via services."""

import pytest

from gongkai.catalog import services
from gongkai.catalog.models import CatalogItem, Domain, ItemStatus


@pytest.fixture
def items(people, zone, elements):
    domain = Domain.objects.get(code="social_assistance")
    own = services.create_item(people["editor"], zone["mzj"], domain, **elements)
    other = services.create_item(
        people["other_editor"],
        zone["jyj"],
        Domain.objects.get(code="compulsory_education"),
        **{**elements, "level2": "教育局的事项"},
    )
    return own, other


def test_admin_is_in_chinese(client, people):
    client.force_login(people["editor"])
    page = client.get("/admin/").content.decode()
    assert "政务公开管理后台" in page and "目录事项" in page


def test_editor_list_shows_only_own_agency(client, people, items):
    own, other = items
    client.force_login(people["editor"])
    page = client.get("/admin/catalog/catalogitem/").content.decode()
    assert own.level2 in page and "教育局的事项" not in page
    assert client.get(f"/admin/catalog/catalogitem/{other.pk}/change/").status_code in (302, 403)


def test_editor_adds_item_through_the_form(client, people, zone):
    client.force_login(people["editor"])
    domain = Domain.objects.get(code="social_assistance")
    response = client.post(
        "/admin/catalog/catalogitem/add/",
        {
            "agency": zone["mzj"].pk,
            "domain": domain.pk,
            "sort_order": 0,
            "level1": "临时救助",
            "level2": "临时救助标准",
            "content": "救助标准",
            "basis": "《社会救助暂行办法》",
            "basis_documents": "[]",
            "time_limit_text": "信息形成或者变更之日起20个工作日内",
            "subject_text": "民政局",
            "channels": ["website", "gazette"],
            "audience": ["public"],
            "mode": ["proactive"],
            "levels": ["county"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = CatalogItem.objects.get(level2="临时救助标准")
    assert item.channels == ["website", "gazette"] and item.created_by == people["editor"]
    assert item.time_limit_kind == "period"


def test_editor_cannot_add_to_another_agency(client, people, zone):
    client.force_login(people["editor"])
    domain = Domain.objects.get(code="social_assistance")
    response = client.post(
        "/admin/catalog/catalogitem/add/",
        {
            "agency": zone["jyj"].pk,
            "domain": domain.pk,
            "sort_order": 0,
            "level2": "越权",
            "basis_documents": "[]",
        },
    )
    assert response.status_code == 200  # the form refuses the agency choice
    assert "选择一个有效的选项" in response.content.decode()
    assert not CatalogItem.objects.filter(level2="越权").exists()


def test_transition_views_submit_and_approve(client, people, items):
    own, _ = items
    client.force_login(people["editor"])
    page = client.get(f"/admin/catalog/catalogitem/{own.pk}/change/").content.decode()
    assert "提交审核" in page and "审核通过并发布" not in page
    client.post(f"/admin/catalog/catalogitem/{own.pk}/transition/submit/", {"note": ""})
    own.refresh_from_db()
    assert own.status == ItemStatus.SUBMITTED

    # The editor may not approve, even by posting to the URL directly.
    client.post(f"/admin/catalog/catalogitem/{own.pk}/transition/approve/", {"note": ""})
    own.refresh_from_db()
    assert own.status == ItemStatus.SUBMITTED

    client.force_login(people["reviewer"])
    client.post(f"/admin/catalog/catalogitem/{own.pk}/transition/approve/", {"note": "同意"})
    own.refresh_from_db()
    assert own.status == ItemStatus.PUBLISHED


def test_versions_page_shows_a_diff(client, people, items):
    own, _ = items
    services.update_item(people["editor"], own, content="新的公开内容要素")
    client.force_login(people["auditor"])
    page = client.get(f"/admin/catalog/catalogitem/{own.pk}/versions/").content.decode()
    assert "公开内容" in page and "<ins>" in page


def test_auditor_can_read_but_not_change(client, people, items):
    own, _ = items
    client.force_login(people["auditor"])
    page = client.get(f"/admin/catalog/catalogitem/{own.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    client.post(f"/admin/catalog/catalogitem/{own.pk}/transition/submit/", {"note": ""})
    own.refresh_from_db()
    assert own.status == ItemStatus.DRAFT


def test_comparison_view_adopt_and_exclude(client, people, zone, elements):
    from gongkai.catalog.models import GuidelineExclusion

    domain = Domain.objects.get(code="social_assistance")
    guideline = [
        CatalogItem.objects.create(
            agency=zone["moe"],
            domain=domain,
            is_guideline=True,
            status=ItemStatus.PUBLISHED,
            **{**elements, "level2": f"指引事项{i}"},
        )
        for i in range(3)
    ]
    client.force_login(people["editor"])
    url = f"/admin/catalog/catalogitem/comparison/?agency={zone['mzj'].code}&domain={domain.code}"
    page = client.get(url).content.decode()
    assert "待处理 3 项" in page
    client.post(url, {"guideline": guideline[0].pk, "action": "adopt"})
    client.post(url, {"guideline": guideline[1].pk, "action": "exclude", "reason": "不涉及"})
    client.post(url, {"guideline": guideline[2].pk, "action": "exclude", "reason": " "})
    page = client.get(url).content.decode()
    assert "照搬领取 1 项" in page and "未纳入 1 项" in page and "待处理 1 项" in page
    assert "不涉及" in page
    adopted = CatalogItem.objects.get(agency=zone["mzj"], guideline=guideline[0])
    assert adopted.status == ItemStatus.DRAFT
    assert GuidelineExclusion.objects.filter(agency=zone["mzj"]).count() == 1
    # An adapted element shows up with the difference.
    services.update_item(people["editor"], adopted, time_limit_text="信息形成之日起10个工作日内")
    page = client.get(url).content.decode()
    assert "调整后领取 1 项" in page and "10个工作日" in page


def test_restore_button_on_versions_page(client, people, items):
    own, _ = items
    original = own.history.earliest("history_date")
    services.update_item(people["editor"], own, content="改过的内容")
    client.force_login(people["editor"])
    url = f"/admin/catalog/catalogitem/{own.pk}/versions/"
    assert "恢复此版本" in client.get(url).content.decode()
    client.post(url, {"restore": original.history_id, "note": ""})
    own.refresh_from_db()
    assert own.content == original.content and own.status == ItemStatus.SUBMITTED
