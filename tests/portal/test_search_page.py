"""The search box on every page and the /search/ results page.

Most tests replace the engine call (gongkai.portal.views.run_search) with a fake, so they
check the page alone; the `engine` tests run the real gongkai.search.services.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.template import Context, Template

from gongkai.portal import views
from gongkai.portal.templatetags.portal_tags import safe_snippet

from .helpers import fake_hit, fake_result

XSS = ["<script>alert(1)</script>", '"><img src=x onerror=1>', "'><svg onload=alert(1)>"]


class _Calls(list):
    pass


@pytest.fixture
def calls(monkeypatch):
    recorded = _Calls()
    recorded.answer = None

    def fake(q, **filters):
        recorded.append({"q": q, **filters})
        if recorded.answer:
            return recorded.answer(q, **filters)
        return fake_result(q, **filters)

    monkeypatch.setattr(views, "run_search", fake)
    return recorded


def page(client, url, params=None, status=200) -> str:
    response = client.get(url, params or {})
    assert response.status_code == status, url
    return response.content.decode()


def header_form(markup: str) -> str:
    match = re.search(r'<form class="site-search".*?</form>', markup, re.S)
    assert match, "no search form in the header"
    return match.group(0)


# --- the box ------------------------------------------------------------------------------


def test_search_box_on_every_page(client, zone, publish, calls):
    item = publish()
    urls = [
        "/",
        "/domains/social_assistance/",
        "/agencies/",
        f"/agencies/{zone['mzj'].code}/",
        f"/items/{item.pk}/",
        "/changes/",
        "/search/",
        "/search/?q=低保",
    ]
    for url in urls:
        form = header_form(page(client, url))
        assert 'method="get"' in form and 'action="/search/"' in form, url
        assert 'role="search"' in form
        # An accessible name: a <label for> pointing at the input.
        label_for = re.search(r'<label[^>]*for="([^"]+)"[^>]*>([^<]+)</label>', form)
        assert label_for and f'id="{label_for.group(1)}"' in form and label_for.group(2)
        assert 'name="q"' in form and 'type="submit"' in form
    assert header_form(page(client, "/no-such-page/", status=404))


def test_box_keeps_the_query_on_the_results_page(client, calls, db):
    form = header_form(page(client, "/search/", {"q": "公租房"}))
    assert 'value="公租房"' in form


# --- the results page ---------------------------------------------------------------------


def test_blank_query_shows_a_prompt_without_searching(client, calls, db):
    markup = page(client, "/search/", {"q": "   "})
    assert calls == []
    assert "站内搜索" in markup and "低保" in markup


def test_results_render_hits_facets_and_count(client, calls, db):
    markup = page(client, "/search/", {"q": "低保"})
    assert calls[0]["q"] == "低保" and calls[0]["sort"] == "relevance"
    assert '<a href="/items/1/">最低生活保障审核确认结果1</a>' in markup
    assert "保障对象、<mark>最低生活保障</mark>金额" in markup  # the highlight is real HTML
    assert re.search(r"找到 <strong>1</strong> 条结果", markup)
    for title in (
        "内容类型",
        "公开领域",
        "机关单位",
        "公开层级",
        "公开对象",
        "公开方式",
        "发布年份",
    ):
        assert title in markup
    assert "社会救助" in markup and "民政局" in markup  # facet names, also used in hit meta


def _links(markup: str) -> dict[str, str]:
    """Facet link text (name) -> href."""
    pattern = r'<a href="([^"]+)"[^>]*>\s*<span class="facet__name">([^<]+)</span>'
    return {name: href.replace("&amp;", "&") for href, name in re.findall(pattern, markup)}


def test_facet_links_add_and_remove_filters_keeping_the_rest(client, calls, db):
    markup = page(client, "/search/", {"q": "低保", "level": "county", "page": "2"})
    assert calls[0]["level"] == "county"
    links = _links(markup)
    add = parse_qs(urlsplit(links["社会救助"]).query)
    assert add == {"q": ["低保"], "level": ["county"], "domain": ["social_assistance"]}
    remove = parse_qs(urlsplit(links["县级"]).query)  # the active value removes itself
    assert remove == {"q": ["低保"]}
    assert 'aria-current="true"' in markup

    page(client, "/search/" + links["社会救助"])
    assert calls[-1]["domain"] == "social_assistance" and calls[-1]["level"] == "county"


def test_filters_are_validated_softly(client, calls, db):
    page(
        client,
        "/search/",
        {
            "q": "低保",
            "level": "galaxy",
            "mode": "on_request",
            "year": "二〇二五",
            "sort": "x",
            "page": "-3",
            "division": "990171",
        },
    )
    call = calls[0]
    assert "level" not in call and "year" not in call
    assert call["mode"] == "on_request" and call["division"] == "990171"
    assert call["sort"] == "relevance" and call["page"] == 1
    page(client, "/search/", {"q": "低保", "year": "2024", "sort": "date", "page": "2"})
    assert calls[-1]["year"] == 2024 and calls[-1]["sort"] == "date"


def test_sort_links(client, calls, db):
    markup = page(client, "/search/", {"q": "低保", "domain": "tax", "sort": "date"})
    assert re.search(r'<a href="[^"]*sort=date[^"]*" aria-current="true">按发布时间</a>', markup)
    relevance = re.search(r'<a href="([^"]*)">按相关度</a>', markup).group(1)
    query = parse_qs(urlsplit(relevance.replace("&amp;", "&")).query)
    assert query == {"q": ["低保"], "domain": ["tax"], "sort": ["relevance"]}


def test_pagination(client, calls, db):
    calls.answer = lambda q, **f: fake_result(
        q, total=95, hits=[fake_hit(n) for n in range(20)], **f
    )
    markup = page(client, "/search/", {"q": "低保", "page": "2"})
    assert calls[0]["page"] == 2 and calls[0]["page_size"] == 20
    assert 'aria-label="分页"' in markup
    assert "第 2 / 5 页，共 95 项" in markup
    assert 'href="?q=%E4%BD%8E%E4%BF%9D&amp;page=3" rel="next"' in markup
    assert '<ol class="search-results" start="21">' in markup


def test_page_past_the_end_shows_the_last_page(client, calls, db):
    calls.answer = lambda q, **f: fake_result(
        q, total=25, hits=[] if f["page"] > 2 else [fake_hit(1)], **f
    )
    markup = page(client, "/search/", {"q": "低保", "page": "9"})
    assert [c["page"] for c in calls] == [9, 2]
    assert "第 2 / 2 页" in markup


def test_did_you_mean(client, calls, db):
    calls.answer = lambda q, **f: fake_result(q, hits=[], suggestion="最低生活保障")
    markup = page(client, "/search/", {"q": "最低生活保帐", "domain": "social_assistance"})
    match = re.search(r'您是不是要找：<a href="([^"]+)">最低生活保障</a>', markup)
    assert match
    query = parse_qs(urlsplit(match.group(1).replace("&amp;", "&")).query)
    assert query == {"q": ["最低生活保障"], "domain": ["social_assistance"]}


def test_empty_state(client, calls, db):
    calls.answer = lambda q, **f: fake_result(q, hits=[], facets={})
    markup = page(client, "/search/", {"q": "火星移民", "domain": "tax"})
    assert "没有找到与“火星移民”相关的内容" in markup
    assert "清除筛选条件" in markup
    assert "找到 <strong>0</strong> 条结果" in markup
    assert 'class="search-results"' not in markup


# --- escaping -----------------------------------------------------------------------------


@pytest.mark.parametrize("evil", XSS)
def test_query_is_escaped_everywhere_it_is_echoed(client, calls, db, evil):
    calls.answer = lambda q, **f: fake_result(q, hits=[], suggestion=evil + "建议")
    markup = page(client, "/search/", {"q": evil, "domain": evil})
    assert evil not in markup
    assert "<script>alert" not in markup and "<img" not in markup and "<svg" not in markup
    assert "&lt;" in markup  # echoed, escaped (title, heading, header box, empty state)


def test_hostile_hit_fields_are_escaped(client, calls, db):
    hit = fake_hit(
        1,
        title="<script>alert(1)</script>",
        snippet='<mark onclick="x">a</mark><img src=x onerror=1><mark>b</mark>&lt;i&gt;',
        url="/items/1/",
    )
    calls.answer = lambda q, **f: fake_result(q, hits=[hit])
    markup = page(client, "/search/", {"q": "a"})
    assert "<script>alert" not in markup and "<img" not in markup
    assert "<mark onclick" not in markup and "&lt;mark onclick=&quot;x&quot;&gt;" in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "<mark>b</mark>&lt;i&gt;" in markup


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("保障对象、<mark>低保</mark>金额", "保障对象、<mark>低保</mark>金额"),
        ("&lt;b&gt; &amp; &quot;", "&lt;b&gt; &amp; &quot;"),  # entities survive once
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<mark class="x">a</mark>', "&lt;mark class=&quot;x&quot;&gt;a"),
        ("<MARK>a</MARK>", "&lt;MARK&gt;a&lt;/MARK&gt;"),
        ("<mark>a", "<mark>a</mark>"),  # unclosed: closed
        ("a</mark>b", "ab"),  # stray close: dropped
        ("<mark><mark>a</mark>", "<mark>a</mark>"),  # nested: flattened
        ("&lt;mark&gt;x", "&lt;mark&gt;x"),  # escaped tags stay text
        ("\"'><img src=x onerror=1>", "&quot;&#x27;&gt;&lt;img src=x onerror=1&gt;"),
        ("", ""),
        (None, ""),
    ],
)
def test_snippet_sanitiser_lets_only_mark_through(snippet, expected):
    assert str(safe_snippet(snippet)) == expected


def test_snippet_sanitiser_output_has_no_other_tags():
    from hypothesis import given
    from hypothesis import strategies as st

    pieces = st.sampled_from(["<mark>", "</mark>", "<", ">", "&", "&lt;", "'", '"', "a", "低保"])

    @given(st.lists(st.one_of(pieces, st.text(max_size=5)), max_size=20).map("".join))
    def check(snippet):
        out = str(safe_snippet(snippet))
        assert re.sub(r"</?mark>", "", out).count("<") == 0
        assert out.count("<mark>") == out.count("</mark>")

    check()


def test_safe_snippet_is_usable_in_templates():
    out = Template("{% load portal_tags %}{{ s|safe_snippet }}").render(
        Context({"s": "<mark>低保</mark><i>"})
    )
    assert out == "<mark>低保</mark>&lt;i&gt;"


# --- the real engine -----------------------------------------------------------------------


@pytest.fixture
def engine(db):
    """The real engine: publishing indexes the items (catalog.services → search.indexing)."""


def test_real_search_finds_dibao(client, engine, publish):
    item = publish()
    other = publish("jyj", level1="学生资助", level2="资助名单", content="学生资助对象名单")
    markup = page(client, "/search/", {"q": "低保"})
    assert f'href="/items/{item.pk}/"' in markup
    assert f'href="/items/{other.pk}/"' not in markup
    assert "找到 <strong>1</strong> 条结果" in markup
    assert "社会救助" in markup  # the domain facet


@pytest.mark.parametrize("evil", XSS)
def test_real_search_escapes_hostile_queries(client, engine, publish, evil):
    publish()
    markup = page(client, "/search/", {"q": evil})
    assert evil not in markup and "<script>alert" not in markup and "<img" not in markup


def test_a_capped_total_says_more_than(client, calls, db):
    calls.answer = lambda q, **f: fake_result(q, total=10_001, total_exact=False)
    markup = page(client, "/search/", {"q": "信息"})
    assert "找到<strong>超过 10000</strong> 条结果" in markup
