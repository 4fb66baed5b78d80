"""Search in a real browser: the header box, the results page, facets, the mobile layout."""

import pytest

from tests.portal.helpers import publish_item

from .conftest import MOBILE

pytestmark = pytest.mark.browser


@pytest.fixture
def items(zone, elements):
    dibao = publish_item(zone["mzj"], "social_assistance", elements)
    other = publish_item(
        zone["jyj"],
        "affordable_housing",
        elements,
        level1="公共租赁住房",
        level2="公租房配租结果",
        content="公共租赁住房配租对象",
    )
    return dibao, other


def test_header_box_finds_the_formal_item(live_server, items, open_page, tmp_path):
    dibao, _ = items
    page = open_page()
    page.goto(live_server.url + "/agencies/")
    box = page.get_by_role("searchbox", name="站内搜索")
    box.fill("低保")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator(".search-results")
    assert results.get_by_role("link", name=dibao.level1, exact=False).first.is_visible()
    assert "最低生活保障" in results.inner_text()
    assert page.get_by_role("searchbox", name="站内搜索").input_value() == "低保"
    assert page.locator(".result-count").inner_text().startswith("找到")
    # The domain facet filters, and clicking the active value again removes the filter.
    facet = page.locator(".facets").get_by_role("link", name="社会救助")
    facet.click()
    page.wait_for_url("**domain=social_assistance**")
    assert page.locator(".facets a[aria-current]").count() == 1
    page.locator(".facets a[aria-current]").click()
    page.wait_for_url(lambda url: "domain=" not in url)
    assert page.csp_violations == []

    page.screenshot(path=str(tmp_path / "search-desktop.png"), full_page=True)
    page.get_by_role("link", name=dibao.level1, exact=False).first.click()
    page.wait_for_url(f"**/items/{dibao.pk}/")


def test_search_works_with_the_button_and_escapes_the_query(live_server, items, open_page):
    page = open_page()
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="站内搜索").fill('"><img src=x onerror=alert(1)>')
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/search/**")
    assert page.locator("main img").count() == 0
    assert "没有找到" in page.locator("main").inner_text()


def test_mobile_search_page_has_no_horizontal_overflow(live_server, items, open_page, tmp_path):
    page = open_page(MOBILE)
    fits = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    page.goto(live_server.url + "/search/?q=" + "低保" * 30)
    assert page.get_by_role("searchbox", name="站内搜索").is_visible()
    assert page.evaluate(fits)
    page.goto(live_server.url + "/search/?q=低保")
    assert page.locator(".search-hit").count() >= 1
    assert page.evaluate(fits)
    page.screenshot(path=str(tmp_path / "search-mobile.png"), full_page=True)
