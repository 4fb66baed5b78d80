"""The public portal pages: what anyone sees, rendered from published items only."""

import html
import re

import pytest
from django.template import loader

from gongkai.catalog import services
from gongkai.catalog.domains import STANDARD_DOMAINS
from gongkai.catalog.models import CatalogItem, Domain, ItemStatus
from gongkai.catalog.vocabularies import CHANNELS

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


def text_of(markup: str) -> str:
    """The visible text of a page, tags removed and whitespace collapsed."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    markup = re.sub(r"<[^>]+>", "", markup)
    return re.sub(r"\s+", " ", html.unescape(markup))


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def group_titles(page: str) -> list[str]:
    """The 一级事项 group headings of a domain page, in order."""
    titles = re.findall(r'<h2 class="item-group__title"[^>]*>(.*?)</h2>', page, re.S)
    return [text_of(t).replace("一级事项", "", 1).strip() for t in titles]


# ------------------------------------------------------------------------------------- home


def test_home_lists_all_26_standard_domains_in_order(client, publish):
    publish()  # one item in 社会救助
    page = get(client, "/")
    text = text_of(page)
    names = [spec.name for spec in STANDARD_DOMAINS]
    assert len(names) == 26
    positions = [text.find(name) for name in names]
    missing = [name for name in names if name not in text]
    assert not missing, missing
    assert positions == sorted(positions), "domains should follow the standard order"
    assert len(re.findall(r"<li class=\"domain-card[ \"]", page)) == 26
    card = re.search(
        r'<li class="domain-card[^"]*">\s*<a href="/domains/social_assistance/">'
        r"(.*?)</a>",
        page,
        re.S,
    )
    assert card and "1 项" in text_of(card.group(1))
    assert "民政局" in text and "东湖街道办事处" in text  # departments and townships


def test_home_counts_only_published_items(client, zone, people, elements, publish):
    publish()
    domain = Domain.objects.get(code="social_assistance")
    services.create_item(people["editor"], zone["mzj"], domain, **{**elements, "level2": "草稿"})
    page = get(client, "/")
    assert "已发布公开事项" in page
    assert re.search(r"<strong>1</strong> 项", page)
    assert "草稿" not in text_of(page)


# ------------------------------------------------------------------------------------- domain


@pytest.fixture
def assistance(publish):
    """社会救助 items of three agencies, levels and 一级事项 varied."""
    return {
        "mzj_a": publish(level1="最低生活保障", level2="审核确认结果", levels=["county"]),
        "mzj_b": publish(level1="最低生活保障", level2="办事指南", levels=["county", "township"]),
        "mzj_c": publish(level1="特困人员救助供养", level2="救助供养标准", levels=["county"]),
        "jyj": publish("jyj", level1="临时救助", level2="教育局临时救助名单", levels=["county"]),
        "dh": publish("dh", level1="最低生活保障", level2="街道低保公示", levels=["township"]),
    }


def test_domain_groups_items_by_level1(client, assistance):
    page = get(client, "/domains/social_assistance/")
    text = text_of(page)
    titles = group_titles(page)
    # Agencies in order (equal sort_order, so by code: T-DH, T-JYJ, T-MZJ), then 一级事项.
    assert titles == ["最低生活保障", "临时救助", "最低生活保障", "特困人员救助供养"]
    groups = page.split('class="item-group"')[1:]
    mzj_group = next(g for g in groups if "审核确认结果" in g)
    assert "办事指南" in mzj_group and "救助供养标准" not in mzj_group
    assert "街道低保公示" not in mzj_group
    for item in assistance.values():
        assert f'href="/items/{item.pk}/"' in page
    # Columns: 二级事项, agency, 公开时限, 公开层级.
    assert "信息形成或者变更之日起20个工作日内" in text
    assert "教育局" in text and "县级" in text and "乡级" in text
    assert "共 5 项公开事项" in text


def test_domain_filters_by_agency(client, assistance):
    page = get(client, "/domains/social_assistance/?agency=T-MZJ")
    assert "教育局临时救助名单" not in page and "街道低保公示" not in page
    assert "审核确认结果" in page and "救助供养标准" in page
    assert '<option value="T-MZJ" selected>' in page
    assert "共 3 项公开事项" in text_of(page)


def test_domain_filters_by_level(client, assistance):
    page = get(client, "/domains/social_assistance/?level=township")
    assert "办事指南" in page and "街道低保公示" in page
    assert "审核确认结果" not in page and "教育局临时救助名单" not in page
    assert '<option value="township" selected>' in page


def test_domain_filters_combine_and_can_be_empty(client, assistance):
    page = get(client, "/domains/social_assistance/?agency=T-JYJ&level=township")
    assert "没有符合筛选条件的公开事项" in page
    assert "清除筛选" in page


def test_domain_filter_form_works_without_js(client, assistance):
    page = get(client, "/domains/social_assistance/")
    form = re.search(r'<form class="filters" method="get" action="([^"]+)"', page)
    assert form and form.group(1) == "/domains/social_assistance/"
    assert 'name="agency"' in page and 'name="level"' in page and 'type="submit"' in page
    # Only agencies with items in this domain are offered.
    assert '<option value="T-JYJ">' in page and "N-MOE" not in page


def test_pagination_keeps_filters(client, settings, publish, zone):
    settings.PORTAL_PAGE_SIZE = 2
    for n in range(5):
        publish(level2=f"县级事项{n}", levels=["county"])
    publish(level2="乡级事项", levels=["township"])
    publish("jyj", level2="教育局事项", levels=["county"])

    page = get(client, "/domains/social_assistance/?agency=T-MZJ&level=county")
    nav = re.search(r'<nav class="pagination".*?</nav>', page, re.S).group(0)
    links = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', nav)]
    assert links and all("agency=T-MZJ" in h and "level=county" in h for h in links)
    assert "?agency=T-MZJ&level=county&page=2" in links
    assert 'aria-current="page"' in nav and "第 1 / 3 页" in text_of(nav)

    page3 = get(client, "/domains/social_assistance/?agency=T-MZJ&level=county&page=3")
    assert "县级事项4" in page3
    assert "乡级事项" not in page3 and "教育局事项" not in page3
    nav3 = re.search(r'<nav class="pagination".*?</nav>', page3, re.S).group(0)
    assert 'rel="prev"' in nav3 and 'rel="next"' not in nav3


def test_unknown_domain_is_a_chinese_404(client, zone):
    page = get(client, "/domains/no-such-domain/", status=404)
    assert '<html lang="zh-CN">' in page
    assert "您访问的页面不存在" in page and "返回首页" in page


def test_breadcrumbs_on_every_page(client, assistance):
    item = assistance["mzj_a"]
    for url, last in (
        ("/", "首页"),
        ("/domains/social_assistance/", "社会救助"),
        ("/agencies/", "机关单位"),
        ("/agencies/T-MZJ/", "民政局"),
        (f"/items/{item.pk}/", "审核确认结果"),
    ):
        page = get(client, url)
        crumbs = re.search(
            r'<nav class="breadcrumbs" aria-label="当前位置">(.*?)</nav>', page, re.S
        )
        assert crumbs, url
        current = re.search(r'aria-current="page">([^<]+)<', crumbs.group(1))
        assert current and current.group(1) == last, url
        assert "首页" in text_of(crumbs.group(1))


def test_main_nav_marks_the_current_section(client, assistance):
    home = get(client, "/")
    assert re.search(r'<a href="/" aria-current="page">首页</a>', home)
    domain = get(client, "/domains/social_assistance/")
    assert re.search(r'<a href="/#domains" aria-current="true">公开领域</a>', domain)
    agencies = get(client, "/agencies/")
    assert re.search(r'<a href="/agencies/" aria-current="page">机关单位</a>', agencies)
    assert 'href="/api/v1/docs"' in home


# ------------------------------------------------------------------------------------- agencies


def test_agency_list_groups_by_kind_and_hides_national_departments(client, assistance):
    page = get(client, "/agencies/")
    text = text_of(page)
    assert "民政局" in text and "教育局" in text and "东湖街道办事处" in text
    assert "教育部" not in text  # national departments own guidelines, not local catalogs
    assert text.index("管委会/政府工作部门") < text.index("乡镇/街道")
    assert 'href="/agencies/T-MZJ/"' in page


def test_agency_page_lists_own_items_with_domain_filter(client, assistance, publish):
    publish(domain_code="elderly_care", level1="养老服务", level2="养老机构名录")
    page = get(client, "/agencies/T-MZJ/")
    text = text_of(page)
    assert "审核确认结果" in text and "养老机构名录" in text
    assert "教育局临时救助名单" not in text and "街道低保公示" not in text
    assert "共 4 项公开事项" in text
    # Domain chips with counts; the filter keeps only one domain.
    assert re.search(r"社会救助<span class=\"chips__count\">3</span>", page)
    filtered = get(client, "/agencies/T-MZJ/?domain=elderly_care")
    assert "养老机构名录" in filtered and "审核确认结果" not in filtered
    assert '<option value="elderly_care" selected>' in filtered
    by_level = get(client, "/agencies/T-MZJ/?level=township")
    assert "办事指南" in by_level and "审核确认结果" not in by_level


def test_national_department_and_unknown_agency_404(client, zone):
    get(client, "/agencies/N-MOE/", status=404)
    get(client, "/agencies/NOPE/", status=404)


# ------------------------------------------------------------------------------------- item


def test_item_page_shows_the_nine_elements(client, publish):
    item = publish(
        level3="城市低保",
        channels=["website", "notice_board", "other"],
        channels_other="低保信息查询平台",
        audience=["public", "specific"],
        audience_note="低保申请人",
        mode=["proactive"],
        levels=["county", "township"],
    )
    page = get(client, f"/items/{item.pk}/")
    text = text_of(page)
    positions = [text.find(label) for label in NINE_LABELS]
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions)
    for value in (
        "最低生活保障",
        "审核确认结果",
        "城市低保",
        "保障对象、保障金额（隐去个人身份信息）",
        "《社会救助暂行办法》《中华人民共和国政府信息公开条例》",
        "信息形成或者变更之日起20个工作日内",
        "民政局",
        "其他：低保信息查询平台",
        "特定群体：低保申请人",
    ):
        assert value in text, value
    assert "规则识别：信息形成或者变更之日起20个工作日内" in text
    assert "编制单位" in text and "发布时间" in text
    assert "对应标准指引" not in text  # no guideline linked


def test_item_channels_are_ticked_exactly_as_stored(client, publish):
    chosen = {"website", "service_center", "targeted"}
    item = publish(channels=sorted(chosen))
    page = get(client, f"/items/{item.pk}/")
    text = text_of(page)
    marks = re.findall(
        r'<li class="tick[^"]*" data-code="([a-z_]+)"><span class="tick__box"[^>]*>([■□])</span>',
        page,
    )
    assert [code for code, _ in marks] == [code for code, _ in CHANNELS]  # all 13, in order
    assert {code for code, box in marks if box == "■"} == chosen
    for code, label in CHANNELS:
        assert ("■" if code in chosen else "□") + label in text, label
    assert text.count("■") == 3


def test_item_audience_mode_and_levels_ticked(client, publish):
    item = publish(audience=["specific"], mode=["proactive", "on_request"], levels=["township"])
    page = get(client, f"/items/{item.pk}/")
    found = {
        code: bool(on)
        for on, code in re.findall(r'<li class="check( is-on)?" data-code="([a-z_]+)">', page)
    }
    assert found == {
        "public": False,
        "specific": True,
        "proactive": True,
        "on_request": True,
        "province": False,
        "city": False,
        "county": False,
        "township": True,
        "village": False,
    }
    assert text_of(page).count("√") == 4


def test_item_unparsed_time_limit_is_flagged(client, publish):
    item = publish(time_limit_text="视情况而定，原则上尽快")
    text = text_of(get(client, f"/items/{item.pk}/"))
    assert "视情况而定，原则上尽快" in text
    assert "未能自动识别，以原文为准" in text
    assert "规则识别" not in text


def test_item_shows_guideline_and_siblings(client, zone, publish, elements):
    guideline = CatalogItem.objects.create(
        agency=zone["moe"],
        domain=Domain.objects.get(code="social_assistance"),
        is_guideline=True,
        status=ItemStatus.PUBLISHED,
        level1="最低生活保障",
        level2="审核确认结果（指引）",
    )
    item = publish(guideline=guideline)
    sibling = publish(level2="办事指南")
    other_group = publish(level1="临时救助", level2="临时救助对象")
    page = get(client, f"/items/{item.pk}/")
    text = text_of(page)
    assert "对应标准指引" in text and "审核确认结果（指引）" in text and "教育部" in text
    assert f'href="/items/{sibling.pk}/"' in page
    assert f'href="/items/{other_group.pk}/"' not in page
    # Guidelines are not public pages of their own.
    get(client, f"/items/{guideline.pk}/", status=404)


@pytest.mark.parametrize("stage", ["draft", "submitted", "retired"])
def test_unpublished_items_404(client, zone, people, elements, stage):
    domain = Domain.objects.get(code="social_assistance")
    item = services.create_item(people["editor"], zone["mzj"], domain, **elements)
    if stage != "draft":
        services.transition(people["editor"], item, "submit")
    if stage == "retired":
        services.transition(people["reviewer"], item, "approve")
        services.transition(people["reviewer"], item, "retire", note="事项取消")
    page = get(client, f"/items/{item.pk}/", status=404)
    assert "您访问的页面不存在" in page
    assert elements["level2"] not in page


# ------------------------------------------------------------------------------------- security


def test_csp_header_and_no_inline_style_or_script(client, assistance):
    item = assistance["mzj_a"]
    urls = [
        "/",
        "/domains/social_assistance/",
        "/domains/social_assistance/?agency=T-MZJ&level=county",
        "/agencies/",
        "/agencies/T-MZJ/",
        f"/items/{item.pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "style-src 'self'" in csp, url
        assert "'unsafe-inline'" not in csp
        page = response.content.decode()
        assert not re.search(r"<style\b", page, re.I), url
        assert not re.search(r"\sstyle\s*=", page, re.I), url
        assert not re.search(r"<script\b(?![^>]*\bsrc=)", page, re.I), url
        assert not re.search(r"\son[a-z]+\s*=", page, re.I), url
        assert not re.search(r"(href|src)=\"(https?:)?//", page), url  # no external assets
        assert '<html lang="zh-CN">' in page
        assert 'class="skip-link" href="#main"' in page and 'id="main"' in page


def test_404_page_has_csp_and_no_inline_code(client, zone):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers
    page = response.content.decode()
    assert "页面不存在" in page and not re.search(r"<style\b|\sstyle=|<script\b", page)


def test_500_page_renders_without_context_or_database():
    # No db fixture: any database access while rendering would raise.
    page = loader.get_template("500.html").render()
    assert '<html lang="zh-CN">' in page and "系统暂时无法处理您的请求" in page
    assert "portal/portal.css" in page
    assert not re.search(r"<style\b|\sstyle=|<script\b", page)


def test_footer_and_header_identity(client, zone, settings):
    settings.SITE_NAME = "测试开发区管委会"
    text = text_of(get(client, "/"))
    assert "测试开发区管委会" in text and "政务公开" in text
    assert "主办单位：测试开发区管委会" in text
    assert "本站内容由各公开主体按标准目录发布" in text


def test_stylesheet_is_served(client):
    response = client.get("/static/portal/portal.css")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Noto Sans CJK SC" in body and b"max-width: 600px" in body
