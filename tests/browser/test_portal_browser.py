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


def test_column_to_category_to_record_and_download(
    live_server, zone, elements, open_page, settings, tmp_path
):
    from tests.disclosure.builders import make_pdf
    from tests.portal.records import publish_record

    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = make_pdf("Budget 2026")
    item = publish_item(zone["mzj"], "social_assistance", elements)
    record = publish_record(
        item,
        title="民政局2026年部门预算",
        doc_number="示开民发〔2026〕1号",
        categories=["budget"],
        files=[("2026年部门预算.pdf", pdf)],
    )

    page = open_page()
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="政府信息公开").click()
    page.wait_for_url("**/xxgk/")
    assert page.get_by_role("heading", level=1).inner_text() == "政府信息公开"
    category = page.locator(".category-list").first.get_by_role("link", name="财政预算、决算信息")
    assert "1 条" in category.inner_text()
    category.click()
    page.wait_for_url("**/xxgk/statutory/budget/")
    assert page.get_by_role("heading", level=1).inner_text() == "财政预算、决算信息"

    page.get_by_role("link", name="民政局2026年部门预算").click()
    page.wait_for_url(f"**/records/{record.pk}/")
    meta = page.locator("table.record-meta")
    assert meta.get_by_role("rowheader", name="索引号").is_visible()
    assert record.index_number in meta.inner_text()
    assert "示开民发〔2026〕1号" in meta.inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="2026年部门预算.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "2026年部门预算.pdf"
    saved = tmp_path / "download.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == pdf
    assert page.csp_violations == []

    # On a phone the document table stacks and nothing scrolls sideways.
    phone = open_page(MOBILE)
    phone.goto(f"{live_server.url}/records/{record.pk}/")
    assert phone.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
