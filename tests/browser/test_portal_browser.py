"""The portal in a real browser: navigation, the nine elements, the mobile layout."""

import pytest

from gongkai.catalog.models import Domain
from tests.portal.helpers import publish_item

from .conftest import MOBILE

pytestmark = pytest.mark.browser

NINE_LABELS = (
    "一、公开事项",
    "二、公开内容（要素）",
    "三、公开依据",
    "四、公开时限",
    "五、公开主体",
    "六、公开渠道和载体",
    "七、公开对象",
    "八、公开方式",
    "九、公开层级",
)


def test_home_to_domain_to_item(live_server, zone, elements, open_page, tmp_path):
    item = publish_item(zone["mzj"], "social_assistance", elements)
    publish_item(zone["mzj"], "social_assistance", elements, level2="办事指南")

    page = open_page()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator(".domain-card").count() == Domain.objects.filter(is_standard=True).count()

    page.get_by_role("link", name="社会救助").first.click()
    page.wait_for_url("**/domains/social_assistance/")
    assert page.get_by_role("heading", level=1).inner_text() == "社会救助"
    assert page.locator(".item-group__title").first.inner_text().endswith("最低生活保障")

    page.get_by_role("link", name=item.level2, exact=True).click()
    page.wait_for_url(f"**/items/{item.pk}/")
    elements_table = page.locator("table.elements")
    for label in NINE_LABELS:
        assert elements_table.get_by_role("rowheader", name=label).is_visible(), label
    assert "信息形成或者变更之日起20个工作日内" in elements_table.inner_text()
    website = elements_table.locator('li[data-code="website"]')
    gazette = elements_table.locator('li[data-code="gazette"]')
    assert website.inner_text().startswith("■") and gazette.inner_text().startswith("□")
    # The stylesheet loaded (the CSP allows 'self') and nothing was blocked.
    header_bg = page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundImage")
    assert "gradient" in header_bg
    assert page.csp_violations == []

    shot = tmp_path / "item.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0


def test_domain_filter_form_submits_without_js(live_server, zone, elements, open_page):
    publish_item(zone["mzj"], "social_assistance", elements, levels=["county"])
    publish_item(zone["dh"], "social_assistance", elements, level2="街道公示", levels=["township"])
    page = open_page()
    page.goto(live_server.url + "/domains/social_assistance/")
    page.get_by_label("公开层级").select_option("township")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**level=township**")
    assert page.get_by_role("link", name="街道公示").is_visible()
    assert page.get_by_role("link", name=elements["level2"]).count() == 0


def test_mobile_domain_grid_has_no_horizontal_overflow(live_server, zone, elements, open_page):
    publish_item(zone["mzj"], "social_assistance", elements)
    page = open_page(MOBILE)
    page.goto(live_server.url + "/")
    grid = page.locator(".domain-grid").first
    assert grid.is_visible()
    overflow = page.evaluate(
        """() => {
            const vw = document.documentElement.clientWidth;
            const grid = document.querySelector('.domain-grid');
            const cards = [...grid.querySelectorAll('.domain-card')];
            return {
                page: document.documentElement.scrollWidth - vw,
                grid: grid.scrollWidth - grid.clientWidth,
                cards: cards.filter(c => c.getBoundingClientRect().right > vw + 0.5).length,
                columns: new Set(cards.map(c => Math.round(c.getBoundingClientRect().left))).size,
            };
        }"""
    )
    assert overflow == {"page": 0, "grid": 0, "cards": 0, "columns": 1}

    page.goto(live_server.url + "/domains/social_assistance/")
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
