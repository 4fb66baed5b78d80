"""Rich text: XSS payloads removed, ordinary official formatting kept."""

import pytest

from gongkai.disclosure.sanitize import html_to_text, sanitize_html

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">点此</a>',
    '<a href="JaVaScRiPt:alert(1)">点此</a>',
    '<a href="&#106;avascript:alert(1)">点此</a>',
    '<a href="  javascript:alert(1)">点此</a>',
    '<p style="width: expression(alert(1))">样式</p>',
    '<div style="background:url(javascript:alert(1))">样式</div>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<body onload="alert(1)">',
    '<form action="https://evil.example/"><input name="q"></form>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>@import 'https://evil.example/x.css';</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<p onmouseover="alert(1)">悬停</p>',
    '<base href="https://evil.example/">',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_defused(payload):
    cleaned = sanitize_html(f"<p>正文</p>{payload}").lower()
    for bad in (
        "<script",
        "javascript:",
        "onerror",
        "onload",
        "onmouseover",
        "expression(",
        "style=",
        "<style",
        "<iframe",
        "<object",
        "<embed",
        "<svg",
        "<form",
        "<meta",
        "<base",
        "data:",
    ):
        assert bad not in cleaned, (payload, cleaned)
    assert "<p>正文</p>" in cleaned


def test_ordinary_formatting_is_kept():
    html = (
        "<h2>一、公示对象</h2>"
        "<p>经<strong>街道审核</strong>、<em>区民政局审批</em>：</p>"
        "<ol><li>张某某家庭</li><li>李某某家庭</li></ol>"
        '<table><thead><tr><th colspan="2">家庭情况</th></tr></thead>'
        '<tbody><tr><td rowspan="2">保障人数</td><td>3</td></tr></tbody></table>'
        '<p>详见<a href="https://www.gov.cn/zhengce/">中国政府网</a>'
        '及<a href="/records/12/">本站</a>。</p>'
    )
    cleaned = sanitize_html(html)
    for kept in (
        "<h2>一、公示对象</h2>",
        "<strong>街道审核</strong>",
        "<em>区民政局审批</em>",
        "<ol><li>张某某家庭</li>",
        '<th colspan="2">家庭情况</th>',
        '<td rowspan="2">保障人数</td>',
        'href="https://www.gov.cn/zhengce/"',
        'href="/records/12/"',
    ):
        assert kept in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_plain_text_reads_like_the_page():
    html = (
        "<p>第一段，<strong>加粗</strong>文字。</p><p>第二段</p>"
        "<table><tr><td>姓名</td><td>金额</td></tr><tr><td>张某某</td><td>800元</td></tr></table>"
    )
    text = html_to_text(html)
    assert text.splitlines()[0] == "第一段，加粗文字。"
    assert "第二段" in text.splitlines()
    assert any("张某某" in line and "800元" in line for line in text.splitlines())
    assert html_to_text("") == "" and html_to_text("<p> </p>") == ""


def test_an_image_from_another_site_becomes_a_link(settings):
    """The portal's CSP shows this site's images only: a pasted external image would be
    a broken box, so it is kept as a link the reader can open."""
    settings.GONGKAI_SITE_URL = "https://gk.example.gov.cn"
    cleaned = sanitize_html(
        "<p>示意图：<img src='https://img.example.com/map.png' alt='安置区位置图'>见上。</p>"
        "<p><img src='/media/records/1/plan.png' alt='本站图片'></p>"
        "<p><img src='https://gk.example.gov.cn/media/x.png' alt='本站绝对地址'></p>"
        "<p><img src='//cdn.example.com/y.png'></p>"
    )
    assert "img.example.com/map.png" in cleaned and '<img src="https://img' not in cleaned
    link = '<a href="https://img.example.com/map.png" rel="noopener noreferrer">'
    assert link + "图片：安置区位置图</a>见上。" in cleaned
    assert '<img src="/media/records/1/plan.png" alt="本站图片">' in cleaned
    assert '<img src="https://gk.example.gov.cn/media/x.png"' in cleaned
    assert '<img src="//cdn' not in cleaned  # protocol-relative is another site too
    assert "图片：安置区位置图" in html_to_text(cleaned)  # searchable and screened as text
