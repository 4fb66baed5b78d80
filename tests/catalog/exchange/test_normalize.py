"""Cell normalisation for catalog import (pure Python, no database)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.catalog.domains import STANDARD_DOMAINS
from gongkai.catalog.exchange import normalize
from gongkai.catalog.exchange.normalize import (
    DomainMatcher,
    clean_text,
    parse_audience_text,
    parse_channels,
    parse_levels_text,
    parse_mode_text,
    parse_ticks,
    to_simplified,
)
from gongkai.catalog.vocabularies import CHANNELS

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "tests" / "data" / "catalog_samples.jsonl"
SAMPLE_ITEMS = ROOT / "src" / "gongkai" / "catalog" / "data" / "sample_items.json"


def _samples() -> list[dict]:
    return [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line]


def _opencc():
    from opencc import OpenCC

    return OpenCC("t2s")


# --------------------------------------------------------------------------- to_simplified


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("信息形成或者變更之日起20個工作日內", "信息形成或者变更之日起20个工作日内"),
        # Pinyin glosses from mirror sites (samples d0042, d0053).
        (
            "自該信息形成或者變更之日起20個(gè)工作日內(nèi)",
            "自该信息形成或者变更之日起20个工作日内",
        ),
        ("建設(shè)項(xiàng)目環(huán)境影響評價(jià)文件審批", "建设项目环境影响评价文件审批"),
        ("民眾鎮(zhèn)教體文旅局", "民众镇教体文旅局"),
        ("社區(qū)/企事業(yè)單位/村公示欄(電子屏)", "社区/企事业单位/村公示栏(电子屏)"),
        ("個（gè）工作日", "个工作日"),
        # OpenCC phrases: 瞭解 → 了解, 乾隆 stays.
        ("瞭解乾隆年間的檔案", "了解乾隆年间的档案"),
        # Already simplified, ASCII, empty: unchanged.
        ("信息形成或变更之日起20个工作日内", "信息形成或变更之日起20个工作日内"),
        ("http://dgsfj.dg.gov.cn/", "http://dgsfj.dg.gov.cn/"),
        ("", ""),
        # Not glosses: list markers, URLs, a bracketed Chinese word.
        ("条款(a)项", "条款(a)项"),
        ("政府网站(http://x.gov.cn)", "政府网站(http://x.gov.cn)"),
        ("报告书(表)全本", "报告书(表)全本"),
        # Traditional characters GB2312 can encode (後, 於) still convert.
        ("批准後20日內", "批准后20日内"),
        ("信息形成於", "信息形成于"),
    ],
)
def test_to_simplified(text, expected):
    assert to_simplified(text) == expected


def test_to_simplified_none_and_numbers():
    assert to_simplified(None) == ""
    assert to_simplified(505) == "505"  # type: ignore[arg-type]


def test_to_simplified_matches_opencc_on_every_sample():
    """The fast path (precheck + per-character table) gives exactly what OpenCC gives."""
    cc = _opencc()
    for row in _samples():
        for field in ("raw", "level1", "level2", "content", "basis", "subject"):
            text = row.get(field)
            if not text:
                continue
            without_gloss = normalize._GLOSS.sub("", text)
            assert to_simplified(text) == cc.convert(without_gloss), (row["id"], field)


def test_to_simplified_matches_opencc_on_random_traditional_text():
    cc = _opencc()
    conv = normalize._converter()
    alphabet = sorted(conv.trad) + list(
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出"
    )
    alphabet += list("，。、；：（）() 0123456789abc")
    rng = random.Random(20240)
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        assert to_simplified(text) == cc.convert(normalize._GLOSS.sub("", text)), text


def test_to_simplified_skips_opencc_for_simplified_text(monkeypatch):
    calls = []
    conv = normalize._converter()
    monkeypatch.setattr(conv.cc, "convert", lambda text: calls.append(text) or text)
    for text in ("信息形成或变更之日起20个工作日内", "ABC 123", "《政府信息公开条例》"):
        to_simplified(text)
    to_simplified("信息形成或者變更之日起")  # translated per character, no OpenCC phrase
    assert calls == []
    to_simplified("一目瞭然")  # an OpenCC phrase: OpenCC itself
    assert calls == ["一目瞭然"]


@given(st.text())
@settings(max_examples=300)
def test_to_simplified_never_raises(text):
    out = to_simplified(text)
    assert isinstance(out, str)


# ------------------------------------------------------------------------------ clean_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  政府网站  ", "政府网站"),
        ("\u3000公开内容\u3000", "公开内容"),
        ("政务\u00a0服务", "政务 服务"),
        ("政务\u200b服务\ufeff", "政务服务"),
        ("a    b\t\tc", "a b c"),
        ("政策\n  法规\n  文件", "政策\n法规\n文件"),
        ("1.机构名称;\n2.开放时间;\n\n3.开放项目", "1.机构名称;\n2.开放时间;\n3.开放项目"),
        ("第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"),
        ("换行_x000D_\n后", "换行\n后"),
        ("", ""),
        ("正常文本", "正常文本"),
    ],
)
def test_clean_text(text, expected):
    assert clean_text(text) == expected


@given(st.text())
@settings(max_examples=300)
def test_clean_text_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once
    assert once == once.strip()
    assert "  " not in once


# ----------------------------------------------------------------------------- parse_ticks


@pytest.mark.parametrize("text", ["√", "✓", "✔", "☑", "■", "是", "1", "Y", " √ ", "√√", "\u3000√"])
def test_parse_ticks_true(text):
    assert parse_ticks(text) is True


@pytest.mark.parametrize("text", ["", " ", "×", "否", "□", "☐", None, "\u200b", "—", "/"])
def test_parse_ticks_false(text):
    assert parse_ticks(text) is False


@pytest.mark.parametrize("text", ["?", "可能", "面向拟征收土地所在地的村集体成员", "√?", "2"])
def test_parse_ticks_unreadable(text):
    assert parse_ticks(text) is None


@given(st.text())
@settings(max_examples=300)
def test_parse_ticks_never_raises(text):
    assert parse_ticks(text) in (True, False, None)


# ------------------------------------------------------------------- levels/audience/mode


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("县级、乡级", ["county", "township"]),
        ("县、乡、村", ["county", "township", "village"]),
        ("区级", ["county"]),
        ("镇（街）级", ["township"]),
        ("镇(街)级", ["township"]),
        ("乡镇级", ["township"]),
        ("街道", ["township"]),
        ("村（居）级", ["village"]),
        ("村级", ["village"]),
        ("社区", ["village"]),
        ("市级", ["city"]),
        ("州级", ["city"]),
        ("省级", ["province"]),
        ("乡、村级", ["township", "village"]),
        ("州级县级", ["city", "county"]),
        ("縣級、鄉級", ["county", "township"]),
        ("县（市、区）级", ["county"]),
        ("", []),
        ("全社会", []),
    ],
)
def test_parse_levels_text(text, expected):
    assert parse_levels_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全社会", ["public"]),
        ("特定群体", ["specific"]),
        ("特定群众", ["specific"]),
        ("全社会、特定群体", ["public", "specific"]),
        ("全社會", ["public"]),
        ("", []),
        ("县级", []),
    ],
)
def test_parse_audience_text(text, expected):
    assert parse_audience_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("主动", ["proactive"]),
        ("主动公开", ["proactive"]),
        ("依申请", ["on_request"]),
        ("依申请公开", ["on_request"]),
        ("主动、依申请", ["proactive", "on_request"]),
        ("依申請公開", ["on_request"]),
        ("", []),
        ("全社会", []),
    ],
)
def test_parse_mode_text(text, expected):
    assert parse_mode_text(text) == expected


# -------------------------------------------------------------------------- parse_channels

ALL_TEMPLATE = "".join(f"□{label}" for _, label in CHANNELS)


@pytest.mark.parametrize(
    ("text", "codes", "other"),
    [
        # Checkbox lists.
        ("■政府网站 □政府公报 ☑两微一端 口公开查阅点", ["website", "new_media"], ""),
        ("✓政府网站 √政务服务中心 ☐便民服务站", ["website", "service_center"], ""),
        ("t政府网站 □政府公报 t两微一端", ["website", "new_media"], ""),  # OCR "t" for ■
        ("t 政府网站", ["website"], ""),
        ("口政府网站 ■两微一端", ["new_media"], ""),  # 口 for □
        (ALL_TEMPLATE, [], ""),
        (ALL_TEMPLATE.replace("□精准推送", "■精准推送"), ["targeted"], ""),
        (
            "■政府网站\n□两微一端\n□社区/企事业单位/村公示栏\n(电子屏)\n■精准推送",
            ["website", "targeted"],
            "",
        ),
        ("□社区/企事业单位/村公示栏 (电子屏)■其他", ["other"], ""),
        # Plain names, every separator.
        ("政府网站、两微一端", ["website", "new_media"], ""),
        ("政府网站，政务服务中心,便民服务站", ["website", "service_center", "service_station"], ""),
        ("政府网站;两微一端；公开查阅点", ["website", "new_media", "reading_point"], ""),
        ("政府网站 两微一端\n公开查阅点", ["website", "new_media", "reading_point"], ""),
        ("政府网站/两微一端", ["website", "new_media"], ""),
        # Spelling drift.
        ("发布会/听证会", ["press_hearing"], ""),
        ("发布会听证会", ["press_hearing"], ""),
        ("发布会", ["press_hearing"], ""),
        ("新闻发布会、听证会", ["press_hearing"], ""),
        ("两微一端", ["new_media"], ""),
        ("一微一端", ["new_media"], ""),
        ("政务服务中心", ["service_center"], ""),
        ("政府服务中心", ["service_center"], ""),
        ("社区/企事业单位/村公示栏（电子屏）", ["notice_board"], ""),
        ("社区/企事业单位、村公示栏（电子屏）", ["notice_board"], ""),
        ("社区/企事业单位/村公示栏(电子屏)", ["notice_board"], ""),
        ("社区/企事业单位/村公示栏", ["notice_board"], ""),
        ("政府网站、社区/企事业单位、村公示栏（电子屏）", ["website", "notice_board"], ""),
        ("广播电视", ["broadcast"], ""),
        ("广播/电视", ["broadcast"], ""),
        ("广播、电视", ["broadcast"], ""),
        ("报刊/报纸", ["print"], ""),
        ("纸质媒体", ["print"], ""),
        ("入户/现场", ["on_site"], ""),
        ("■入户/现场宣传", ["on_site"], ""),
        # 其他 and unknown names.
        ("其他：法律服务网", ["other"], "法律服务网"),
        ("■其他法律服务网", ["other"], "法律服务网"),
        ("■其他：信用中国网站", ["other"], "信用中国网站"),
        ("其他", ["other"], ""),
        ("□其他：不算", [], ""),
        ("政府网站、投资项目在线审批监管平台", ["website", "other"], "投资项目在线审批监管平台"),
        ("12345热线", ["other"], "12345热线"),
        ("管理部门网站", ["other"], "管理部门网站"),
        # URLs.
        ("政府网站(http://www.dg.gov.cn/)", ["website"], "http://www.dg.gov.cn/"),
        ("政府网站（http://www.dg.gov.cn/）", ["website"], "http://www.dg.gov.cn/"),
        ("http://dgsfj.dg.gov.cn/", ["website"], "http://dgsfj.dg.gov.cn/"),
        (
            "东城街道政府网(http://www.dg.gov.cn/dongcheng/)",
            ["website"],
            "东城街道政府网；http://www.dg.gov.cn/dongcheng/",
        ),
        # Named boards are the template's 公示栏; government sites are websites.
        ("政府網站/被征收范圍內公告欄", ["website", "notice_board"], "被征收范围内公告栏"),
        ("铁力市政府网站", ["website"], "铁力市政府网站"),
        # Traditional characters and glosses.
        (
            "■兩微一端 ■入戶/現場 ■社區/企事業單位/村公示欄(電子屏)",
            ["new_media", "on_site", "notice_board"],
            "",
        ),
        ("■政府網(wǎng)站 □政務(wù)服務(wù)中心", ["website"], ""),
        # Mojibake between boxes (sample d0025).
        ("■政府網站?????? □政府公報", ["website"], ""),
        # Dashes and blanks.
        ("", [], ""),
        ("—", [], ""),
        ("无", [], ""),
        ("/", [], ""),
    ],
)
def test_parse_channels(text, codes, other):
    got_codes, got_other, problems = parse_channels(text)
    assert got_codes == codes
    assert got_other == other
    assert problems == []


def test_parse_channels_lone_box_is_a_problem():
    codes, other, problems = parse_channels("■政府网站 ■")
    assert codes == ["website"]
    assert len(problems) == 1 and "■" in problems[0]


def test_parse_channels_returns_fresh_lists():
    codes, _, _ = parse_channels("政府网站")
    codes.append("x")
    assert parse_channels("政府网站")[0] == ["website"]


# The channel part of rows whose excerpt has no ■/□ boxes and no cell borders, as found in
# `raw` by hand (the test checks each is really there).
PLAIN_CHANNEL_TEXT = {
    "d0029": "政府网站\n\n \n\n社区/企事业单位/村公示栏",
    "d0033": "政府网站/财政部门网站公开",
    "d0045": "政府公报、政府网站、新闻发布会、报刊、广播、电视或其他便于公众知晓的方式",
    "d0047": "政府公报、政府网站、新闻发布会、报刊、广播、电视或其他便于公众知晓的方式",
    "d0050": "政府網站/被征收范圍內公告欄",
    "d0051": "政府網站/被征收范圍內公告欄",
    "d0055": "政府网站",
    "d0056": "政府网站",
    "d0057": "政府网站",
}
BOXES = "■□☑"


def channel_parts(row: dict) -> list[str]:
    """The ■/□ part of a sample's raw excerpt, and its 网址 cell (a channel too), as cells."""
    raw = row["raw"]
    if row["id"] in PLAIN_CHANNEL_TEXT:
        part = PLAIN_CHANNEL_TEXT[row["id"]]
        assert part in raw
        return [part]
    if " | " in raw or raw.startswith("| "):
        cells = [c for c in raw.split("|") if any(b in c for b in BOXES) or "http" in c]
        box_cells = [c for c in cells if any(b in c for b in BOXES)]
        # A checkbox list broken over several table lines (d0025) is one cell.
        return ["\n".join(box_cells)] + [c for c in cells if c not in box_cells]
    start = min(raw.index(b) for b in BOXES if b in raw)
    lines = raw[start:].split("\n")
    kept = [lines[0]]
    for line in lines[1:]:
        s = line.strip()
        if s and not s.startswith((*BOXES, "(", "（")):
            break  # the excerpt goes on with another cell
        kept.append(line)
    return ["\n".join(kept)]


def _channel_rows() -> list[dict]:
    return [row for row in _samples() if row["channels"] is not None]


def test_sample_rows_with_channels_are_all_covered():
    rows = _channel_rows()
    assert len(rows) >= 60
    for row in rows:
        parts = channel_parts(row)
        assert parts and parts[0].strip(), row["id"]


@pytest.mark.parametrize("row", _channel_rows(), ids=lambda r: r["id"])
def test_parse_channels_on_every_sample(row):
    expected = {item["source_id"]: item for item in json.loads(SAMPLE_ITEMS.read_text("utf-8"))}
    codes: set[str] = set()
    for part in channel_parts(row):
        got, _, problems = parse_channels(part)
        codes.update(got)
        assert problems == []
    assert codes == set(expected[row["id"]]["channels"])


@given(st.text())
@settings(max_examples=500)
def test_parse_channels_never_raises(text):
    codes, other, problems = parse_channels(text)
    known = {code for code, _ in CHANNELS}
    assert set(codes) <= known
    assert isinstance(other, str)
    assert all(isinstance(p, str) for p in problems)


@given(
    st.lists(
        st.tuples(
            st.sampled_from("■□☑口t√ "),
            st.sampled_from(
                [label for _, label in CHANNELS] + ["其他：某平台", "xx", "（电子屏）"]
            ),
            st.sampled_from([" ", "", "\n", "、", "??"]),
        ),
        max_size=14,
    )
)
@settings(max_examples=300)
def test_parse_channels_checkbox_lists_never_raise(entries):
    text = "".join(box + label + sep for box, label, sep in entries)
    parse_channels(text)


# --------------------------------------------------------------------------- DomainMatcher


@pytest.fixture(scope="module")
def matcher():
    return DomainMatcher([(d.code, d.name, d.aliases) for d in STANDARD_DOMAINS])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("社会救助领域基层政务公开标准目录", "social_assistance"),
        ("附件3：生態環境領域基層政務公開標準目錄", "ecology"),
        ("5.财政预决算", "budget"),
        ("国有土地上房屋征收与补偿领域基层政务公开标准目录", "housing_expropriation"),
        ("房屋征收", "housing_expropriation"),
        ("公共法律服务领域", "public_legal"),
        ("法律服务", "public_legal"),
        ("XX县征地补偿领域", "land_acquisition"),
        ("城市综合执法", "urban_law_enforcement"),
        ("义务教育", "compulsory_education"),
        ("social_assistance", "social_assistance"),
        ("涉农补贴领域基层政务公开标准目录", "agri_subsidies"),
        ("公共资源交易领域", "public_resources_trading"),
        # "市政务公开" and "市政府" hold 市政 (an alias of 市政服务) only by accident.
        ("某某市政务公开标准目录", None),
        ("某某市政府", None),
        ("Sheet1", None),
        ("", None),
        (None, None),
    ],
)
def test_domain_matcher(matcher, text, code):
    assert matcher.match(text) == code


def test_domain_matcher_prefers_longest(matcher):
    # 国有土地上房屋征收与补偿 (housing) also contains 土地征收? No — but it holds 房屋征收
    # and 征收与补偿; the longest name decides.
    assert matcher.match("关于国有土地上房屋征收与补偿的目录") == "housing_expropriation"
    m = DomainMatcher([("a", "法律服务", ()), ("b", "公共法律服务", ())])
    assert m.match("公共法律服务领域") == "b"


@given(st.text())
@settings(max_examples=200)
def test_domain_matcher_never_raises(matcher, text):
    code = matcher.match(text)
    assert code is None or re.fullmatch(r"[a-z_]+", code)
