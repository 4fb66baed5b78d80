"""Tests for the 公开时限 parser (pure Python: runs with or without Django)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.catalog.timelimits import (
    KINDS,
    TRIGGERS,
    UNITS,
    Clause,
    TimeLimit,
    is_same_as_above,
    normalize_text,
    parse_time_limit,
)

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "catalog_samples.jsonl"

# Shorthand for expected clauses: (kind, number, unit, trigger, scope).
P = "period"
WD = "workday"
FC = "formed_or_changed"
MO = "made_or_obtained"

# Every distinct time_limit of catalog_samples.jsonl, every phrase of domain-facts.md §2.4/§2.5,
# and the traditional/pinyin-glossed spellings seen in the samples' raw cells.
CASES: list[tuple[str, list[tuple], bool]] = [
    # --- catalog_samples.jsonl -------------------------------------------------------------
    ("信息形成或变更之日起20个工作日内", [(P, 20, WD, FC, "")], False),
    ("信息形成或者变更之日起20个工作日内", [(P, 20, WD, FC, "")], False),
    # No trigger in the text: a plain period, trigger None (not assumed to be 形成或变更).
    ("20个工作日", [(P, 20, WD, None, "")], False),
    ("制定或获取信息之日起10个工作日内", [(P, 10, WD, MO, "")], False),
    # Stored as count per period: at least 1 update every half year.
    ("半年至少更新1次", [("periodic", 1, "half_year", None, "")], False),
    ("自制作或获取该信息之日起20个工作日内公开", [(P, 20, WD, MO, "")], False),
    # 预算法: calendar days after approval, not working days.
    ("本级人民代表大会或其常务委员会批准后20日内", [(P, 20, "day", "approval", "")], False),
    ("自该信息形成或者变更之日起20个工作日内", [(P, 20, WD, FC, "")], False),
    ("公开事项信息形成或变更之日起20个工作日内公开", [(P, 20, WD, FC, "")], False),
    ("制定或获取信息之日起20个工作日内", [(P, 20, WD, MO, "")], False),
    ("永久公开", [("permanent", None, None, None, "")], False),
    ("按进展情况及时公开", [("timely", None, None, "progress", "")], False),
    (
        "1.除处罚决定外其他内容:长期公开(动态调整); 2.处罚决定:20个工作日内。",
        [("long_term", None, None, None, "除处罚决定外其他内容"), (P, 20, WD, None, "处罚决定")],
        False,
    ),
    (
        "1.除处罚决定外其他内容:长期公开(动态调整);2.处罚决定:20个工作日内",
        [("long_term", None, None, None, "除处罚决定外其他内容"), (P, 20, WD, None, "处罚决定")],
        False,
    ),
    (
        "1.除处罚决定外其他内容:长期公开(动态调整);2.处罚决定:20个工作日内。",
        [("long_term", None, None, None, "除处罚决定外其他内容"), (P, 20, WD, None, "处罚决定")],
        False,
    ),
    ("信息形成(变更)20个工作日内", [(P, 20, WD, FC, "")], False),
    ("制定或获取文件之日起10个工作日内", [(P, 10, WD, MO, "")], False),
    ("制定或获取扶持政策措施之日起10个工作日内", [(P, 10, WD, MO, "")], False),
    ("制定或获取指南之日起10个工作日内", [(P, 10, WD, MO, "")], False),
    (
        "信息形成20个工作日内公开;其中行政许可、行政处罚事项应自作出行政决定之日起7个工作日内公示",
        [(P, 20, WD, FC, ""), (P, 7, WD, "decision", "行政许可、行政处罚事项")],
        False,
    ),
    # The decision subject is the scope; the timely clause is triggered by the decision.
    ("重大决策作出后及时公开", [("timely", None, None, "decision", "重大决策")], False),
    (
        "信息形成之日起20个工作日内;行政许可和行政处罚决定作出后7个工作日内",
        [(P, 20, WD, FC, ""), (P, 7, WD, "decision", "行政许可和行政处罚决定")],
        False,
    ),
    ("及时公开", [("timely", None, None, None, "")], False),
    # "在村公示栏公开" is a channel, not a time: part of the clause tail, kept in `original`.
    (
        "拟征收土地现状调查结束后5个工作日内,,在村公示栏公开",
        [(P, 5, WD, "investigation_done", "拟征收土地")],
        False,
    ),
    # ② carries no time information (依申请公开 is a mode), so it is a remark, not a clause.
    (
        "①《听证通知书》在组织听证7个工作日前予以公开;②其他听证公开内容为依申请公开,。",
        [("before_event", 7, WD, "hearing", "《听证通知书》")],
        False,
    ),
    (
        "自形成或者变更之日起20个工作日内予以公开,法律法规另有规定的从其规定。",
        [(P, 20, WD, FC, "")],
        True,
    ),
    # --- domain-facts.md §2.4 / §2.5 ---------------------------------------------------------
    (
        "信息形成或者变更之日起20个工作日内。法律、法规对政府信息公开的期限另有规定的，从其规定。",
        [(P, 20, WD, FC, "")],
        True,
    ),
    ("信息形成之日起20个工作日内", [(P, 20, WD, FC, "")], False),
    ("信息形成20个工作日内公开", [(P, 20, WD, FC, "")], False),
    ("实时公开", [("realtime", None, None, None, "")], False),
    ("本级人大或其常委会批准后20日内", [(P, 20, "day", "approval", "")], False),
    ("人大会议批复后20日内", [(P, 20, "day", "approval", "")], False),
    (
        "执法决定信息在决定作出之日起7个工作日内公开，其他相关信息形成或变更之日起20个工作日内公开",
        [(P, 7, WD, "decision", "执法决定信息"), (P, 20, WD, FC, "其他相关信息")],
        False,
    ),
    (
        "行政许可、行政处罚事项应自作出行政决定之日起7个工作日内公示",
        [(P, 7, WD, "decision", "行政许可、行政处罚事项")],
        False,
    ),
    ("信息形成或变更之日起3个工作日内", [(P, 3, WD, FC, "")], False),
    ("分配结果确定后20个工作日内", [(P, 20, WD, "result_determined", "")], False),
    # The action ("发通知邀请") is not a time fact; the clause is "1 week ahead", event unnamed.
    ("提前一周发通知邀请", [("before_event", 1, "week", None, "")], False),
    # Day-of-period form: number = day 20 of the quarter's first month.
    ("每季度的首个月20日", [("periodic", 20, "quarter", "day_of_period", "")], False),
    ("随时公布", [("anytime", None, None, None, "")], False),
    (
        "形成或变更之日起20个工作日内(法律法规另有规定从其规定)",
        [(P, 20, WD, FC, "")],
        True,
    ),
    # --- spellings from the samples' raw cells (mirror sites) --------------------------------
    ("自該信息形成或者變更之日起20個(gè)工作日內(nèi)", [(P, 20, WD, FC, "")], False),
    ("信息形成或變更之日起20個工作日內", [(P, 20, WD, FC, "")], False),
    ("按進展情況及時公開", [("timely", None, None, "progress", "")], False),
    ("永久公開", [("permanent", None, None, None, "")], False),
    (
        "擬征收土地現(xiàn)狀調查結束后5個工作日內,,在村公示欄公開",
        [(P, 5, WD, "investigation_done", "拟征收土地")],
        False,
    ),
    (
        "①《聽證通知書》在組織聽證7個工作日前予以公開;②其他聽證公開內容為依申請公開,。",
        [("before_event", 7, WD, "hearing", "《听证通知书》")],
        False,
    ),
    # --- other spellings the normaliser must absorb ------------------------------------------
    ("信息形成之日起二十个工作日内", [(P, 20, WD, FC, "")], False),
    ("　２０個工作日內", [(P, 20, WD, None, "")], False),
    ("信息形成或者变更之曰起20个工作日内", [(P, 20, WD, FC, "")], False),
    ("信息形成（变更）之日起十五个工作日内", [(P, 15, WD, FC, "")], False),
    ("自收到申请之日起20个工作日内予以答复", [(P, 20, WD, "application_received", "")], False),
    ("批准后三十日内", [(P, 30, "day", "approval", "")], False),
    ("信息形成后24小时内", [(P, 24, "hour", FC, "")], False),
    ("20个自然日内", [(P, 20, "day", None, "")], False),
    ("每季度", [("periodic", None, "quarter", None, "")], False),
    ("每月公开一次", [("periodic", 1, "month", None, "")], False),
    ("每年", [("periodic", None, "year", None, "")], False),
    ("每半年", [("periodic", None, "half_year", None, "")], False),
    ("每月10日前", [("periodic", 10, "month", "day_of_period", "")], False),
    ("定期公开", [("periodic", None, None, None, "")], False),
    ("长期公开", [("long_term", None, None, None, "")], False),
    ("长期", [("long_term", None, None, None, "")], False),
    ("即时公开", [("realtime", None, None, None, "")], False),
    ("会议召开7日前", [("before_event", 7, "day", "meeting", "")], False),
    ("1年内", [(P, 1, "year", None, "")], False),
    ("村务每季度公开一次", [("periodic", 1, "quarter", None, "村务")], False),
    ("自信息形成之日起,20个工作日内", [(P, 20, WD, FC, "")], False),
    ("20个工作日内在政府网站公开", [(P, 20, WD, None, "")], False),
    (
        "一、长期公开 二、及时公开",
        [("long_term", None, None, None, ""), ("timely", None, None, None, "")],
        False,
    ),
    (
        "(1)政策文件:实时公开(2)审批结果:决定作出之日起7个工作日内",
        [
            ("realtime", None, None, None, "政策文件"),
            (P, 7, WD, "decision", "审批结果"),
        ],
        False,
    ),
]

# Phrases that must stay unparsed: the parser never guesses.
UNPARSED = [
    "",
    "同上",
    # "At the time field work starts": an at-event limit that no KIND expresses; not
    # before_event (it is not before) and not timely (it names a moment).  Kept unparsed.
    "在实地启动拟征收土地工作时,,在村公示栏公开,。",
    "依申请公开",  # a disclosure mode, not a time limit
    "收到材料之日起20个工作日内",  # unknown trigger: do not drop it and call it a bare period
    "20个工作日内,经批准可延长",  # the extension is time information we do not model
    "每季度首月",  # anchor without the day
    "每季度20日",  # which month of the quarter?  ambiguous
    "0个工作日内",
    "按规定时限公开",
    "法律法规另有规定的从其规定",
    "7个工作日前",  # before what?
    "2020年",  # a calendar year, not a duration
    "20个工作日内在开标前公开",  # a second time reference hidden in the tail
    "信息形成之日起20个工作日内(如遇节假日顺延)",  # a rule about the count we do not model
    "形成之日起满20个工作日",
    "常态化公开",  # no agreed meaning as a limit
]


def _expected(rows: list[tuple]) -> tuple[Clause, ...]:
    return tuple(Clause(*row) for row in rows)


@pytest.mark.parametrize(("text", "rows", "exception"), CASES, ids=[c[0][:30] for c in CASES])
def test_known_phrases(text: str, rows: list[tuple], exception: bool) -> None:
    tl = parse_time_limit(text)
    assert tl.original == text
    assert tl.clauses == _expected(rows)
    assert tl.kind == rows[0][0]
    assert tl.is_parsed
    assert tl.statutory_exception is exception


@pytest.mark.parametrize("text", UNPARSED)
def test_unparsed_phrases(text: str) -> None:
    tl = parse_time_limit(text)
    assert tl.original == text
    assert tl.clauses == ()
    assert tl.kind == "unparsed"
    assert not tl.is_parsed
    assert tl.primary is None
    assert tl.label() == text


def test_none_is_unparsed_with_empty_original() -> None:
    tl = parse_time_limit(None)
    assert tl.original == ""
    assert tl.kind == "unparsed"


@pytest.mark.skipif(not SAMPLES.exists(), reason="shared sample data not available")
def test_every_sample_phrase_is_in_the_table() -> None:
    known = {c[0] for c in CASES} | set(UNPARSED)
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            phrase = json.loads(line)["time_limit"]
            assert phrase is None or phrase in known, phrase


def test_same_as_above() -> None:
    assert is_same_as_above("同上")
    assert is_same_as_above(" 同 上。")
    assert is_same_as_above("同上栏")
    assert not is_same_as_above("同上级")
    assert not is_same_as_above("")
    assert not is_same_as_above(None)
    assert parse_time_limit("同上").kind == "unparsed"


def test_primary_prefers_unscoped_then_residual_group() -> None:
    tl = parse_time_limit("信息形成之日起20个工作日内;行政许可和行政处罚决定作出后7个工作日内")
    assert tl.primary == tl.clauses[0]
    # Both clauses are scoped; "其他相关信息" is the general rule.
    tl = parse_time_limit(
        "执法决定信息在决定作出之日起7个工作日内公开，其他相关信息形成或变更之日起20个工作日内公开"
    )
    assert tl.primary == tl.clauses[1]
    assert tl.kind == "period"
    tl = parse_time_limit("1.除处罚决定外其他内容:长期公开(动态调整);2.处罚决定:20个工作日内")
    assert tl.primary == tl.clauses[0]
    tl = TimeLimit("x", (Clause(P, 1, WD, None, "甲"), Clause(P, 2, WD, None, "乙")))
    assert tl.primary == tl.clauses[0]


@pytest.mark.parametrize(
    ("clause", "label"),
    [
        (Clause(P, 20, WD, FC), "信息形成或者变更之日起20个工作日内"),
        (Clause(P, 20, WD, MO), "制作或获取之日起20个工作日内"),
        (Clause(P, 20, "day", "approval"), "批准后20日内"),
        (Clause(P, 20, WD, None), "20个工作日内"),
        (Clause(P, 20, WD, None, "处罚决定"), "处罚决定：20个工作日内"),
        (Clause("realtime", None, None, None), "实时公开"),
        (Clause("timely", None, None, "progress"), "按进展情况及时公开"),
        (Clause("timely", None, None, "decision"), "决定作出后及时公开"),
        (Clause("anytime", None, None, None), "随时公开"),
        (Clause("permanent", None, None, None), "永久公开"),
        (Clause("long_term", None, None, None), "长期公开"),
        (Clause("periodic", None, "quarter", None), "每季度"),
        (Clause("periodic", 1, "half_year", None), "每半年1次"),
        (Clause("periodic", 20, "quarter", "day_of_period"), "每季度首月20日"),
        (Clause("periodic", 10, "month", "day_of_period"), "每月10日"),
        (Clause("periodic", None, None, None), "定期公开"),
        (Clause("before_event", 7, WD, "hearing"), "听证7个工作日前"),
        (Clause("before_event", 1, "week", None), "提前1周"),
    ],
)
def test_clause_labels_and_reparse(clause: Clause, label: str) -> None:
    assert clause.label() == label
    assert parse_time_limit(label).clauses == (clause,)


def test_timelimit_label_joins_clauses() -> None:
    tl = parse_time_limit("1.除处罚决定外其他内容:长期公开(动态调整);2.处罚决定:20个工作日内")
    assert tl.label() == "除处罚决定外其他内容：长期公开；处罚决定：20个工作日内"
    assert tl.clauses[1].label(with_scope=False) == "20个工作日内"


def test_to_dict_shape() -> None:
    tl = parse_time_limit("本级人民代表大会或其常务委员会批准后20日内")
    d = tl.to_dict()
    assert d == {
        "original": "本级人民代表大会或其常务委员会批准后20日内",
        "kind": "period",
        "statutory_exception": False,
        "clauses": [{"kind": P, "number": 20, "unit": "day", "trigger": "approval", "scope": ""}],
    }
    assert TimeLimit.from_dict(json.loads(json.dumps(d))) == tl
    assert TimeLimit.from_dict({"original": "同上", "clauses": []}) == parse_time_limit("同上")


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "unparsed", "number": None, "unit": None, "trigger": None},
        {"kind": "soon", "number": None, "unit": None, "trigger": None},
        {"kind": P, "number": 20, "unit": "fortnight", "trigger": None},
        {"kind": P, "number": 20, "unit": WD, "trigger": "whenever"},
        {"kind": P, "number": 0, "unit": WD, "trigger": None},
        {"kind": P, "number": True, "unit": WD, "trigger": None},
        {"kind": P, "number": "20", "unit": WD, "trigger": None},
    ],
)
def test_clause_rejects_bad_values(bad: dict) -> None:
    with pytest.raises(ValueError):
        Clause.from_dict(bad)


def test_normalize_text() -> None:
    assert normalize_text("自該信息形成或者變更之日起２０個(gè)工作日內(nèi)") == (
        "自该信息形成或变更之日起20个工作日内"
    )
    assert normalize_text("三百六十五个工作日") == "365个工作日"
    assert normalize_text("一百零五日") == "105日"
    assert normalize_text("两周") == "2周"
    assert normalize_text("统一公开") == "统一公开"  # only counting numerals are converted
    assert normalize_text(None) == ""


def test_vocabulary_is_consistent() -> None:
    assert KINDS[-1] == "unparsed"
    assert len(set(UNITS)) == len(UNITS)
    for code in ("formed_or_changed", "made_or_obtained", "decision", "approval"):
        assert code in TRIGGERS
    for code in ("result_determined", "investigation_done"):
        assert code in TRIGGERS


def test_long_input_is_fast_and_safe() -> None:
    text = "信息形成或变更之日起" * 2000 + "20个工作日内"
    tl = parse_time_limit(text)
    assert tl.original == text


# --------------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------------

# Characters that reach deep into the grammar, so random text exercises real code paths.
ALPHABET = (
    "0123456789０１２一二两十百个個工作日內内之曰起自该信息形成或者变變更制作获取定决作出批准复后"
    "实时及随永久长期动态调整每季度月年半首次前提周听证会议召开:：;；,，。、（）()1.①其中法律规"
    "另有的从其规定在村公示栏公开同上 \u3000(gè)除外处罚"
)

FW_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
CN_DIGIT = "零一二三四五六七八九"


def spell_chinese(n: int) -> str:
    """1..999 as Chinese numerals (independent of the parser's converter)."""
    h, t, o = n // 100, n // 10 % 10, n % 10
    if h:
        s = CN_DIGIT[h] + "百"
        if t:
            s += CN_DIGIT[t] + "十"
        elif o:
            s += "零"
        return s + (CN_DIGIT[o] if o else "")
    if t:
        return ("" if t == 1 else CN_DIGIT[t]) + "十" + (CN_DIGIT[o] if o else "")
    return CN_DIGIT[o]


def spell_number(draw: st.DrawFn, n: int) -> str:
    style = draw(st.sampled_from(["ascii", "fullwidth", "chinese"]))
    if style == "fullwidth":
        return str(n).translate(FW_DIGITS)
    if style == "chinese":
        return spell_chinese(n)
    return str(n)


TRIGGER_PHRASES = [
    ("信息形成或者变更", FC),
    ("信息形成或变更", FC),
    ("自该信息形成或者变更", FC),
    ("信息形成（变更）", FC),
    ("信息形成", FC),
    ("公开事项信息形成或变更", FC),
    ("自該信息形成或者變更", FC),
    ("制作或获取该信息", MO),
    ("自制作或获取该信息", MO),
    ("制定或获取文件", MO),
    ("制定或获取扶持政策措施", MO),
    ("自製作或獲取該信息", MO),
    ("作出行政决定", "decision"),
    ("自作出行政处罚决定", "decision"),
    ("决定作出", "decision"),
    ("收到申请", "application_received"),
]


def sprinkle_spaces(draw: st.DrawFn, text: str) -> str:
    """Insert ASCII/ideographic spaces at random places; the parser must ignore them."""
    positions = draw(st.lists(st.integers(0, len(text)), max_size=3))
    for pos in sorted(positions, reverse=True):
        text = text[:pos] + draw(st.sampled_from([" ", "\u3000", "\n"])) + text[pos:]
    return text


@st.composite
def trigger_phrase(draw: st.DrawFn) -> tuple[str, int, str]:
    trig, code = draw(st.sampled_from(TRIGGER_PHRASES))
    n = draw(st.integers(1, 365))
    since = draw(st.sampled_from(["之日起", "之曰起"]))
    ge = draw(st.sampled_from(["个", "個"]))
    nei = draw(st.sampled_from(["内", "內"]))
    tail = draw(st.sampled_from(["", "公开", "予以公开", "公示"]))
    text = f"{trig}{since}{spell_number(draw, n)}{ge}工作日{nei}{tail}"
    return sprinkle_spaces(draw, text), n, code


@st.composite
def any_phrase(draw: st.DrawFn) -> str:
    """Grammar-generated phrases covering every kind, optionally with a scope heading."""
    n = draw(st.integers(1, 365))
    num = spell_number(draw, n)
    day = spell_number(draw, draw(st.integers(1, 28)))
    body = draw(
        st.sampled_from(
            [
                f"信息形成或者变更之日起{num}个工作日内",
                f"制定或获取文件之日起{num}个工作日内",
                f"作出行政决定之日起{num}个工作日内公示",
                f"本级人民代表大会或其常务委员会批准后{num}日内",
                f"人大会议批复后{num}天内",
                f"分配结果确定后{num}个工作日内",
                f"调查结束后{num}个工作日内",
                f"信息形成后{num}小时内",
                f"{num}个工作日",
                f"{num}个月内",
                f"{num}周内",
                f"提前{num}个工作日",
                f"组织听证{num}个工作日前予以公开",
                f"会议召开{num}日前",
                f"每季度的首个月{day}日",
                f"每月{day}日前",
                f"半年至少更新{num}次",
                f"每年公开{num}次",
                "每季度",
                "每月",
                "实时公开",
                "及时公开",
                "按进展情况及时公开",
                "决定作出后及时公开",
                "随时公布",
                "永久公开",
                "长期公开(动态调整)",
                "定期公开",
            ]
        )
    )
    scope = draw(st.sampled_from(["", "处罚决定", "行政许可、行政处罚事项", "其他相关信息"]))
    sep = draw(st.sampled_from([":", "：", "："]))
    return sprinkle_spaces(draw, f"{scope}{sep}{body}" if scope else body)


@given(st.text())
def test_parse_never_raises_and_keeps_original(text: str) -> None:
    tl = parse_time_limit(text)
    assert tl.original == text
    assert tl.kind in KINDS
    assert tl.is_parsed == bool(tl.clauses)


@given(st.text(alphabet=ALPHABET, max_size=60))
@settings(max_examples=300)
def test_parse_never_raises_on_grammar_like_text(text: str) -> None:
    tl = parse_time_limit(text)
    assert tl.original == text
    for clause in tl.clauses:
        assert clause.kind in KINDS and clause.kind != "unparsed"
        assert clause.unit is None or clause.unit in UNITS
        assert clause.trigger is None or clause.trigger in TRIGGERS


@given(st.one_of(st.text(alphabet=ALPHABET, max_size=60), any_phrase()))
@settings(max_examples=300)
def test_dict_round_trip_of_parsed(text: str) -> None:
    tl = parse_time_limit(text)
    d = json.loads(json.dumps(tl.to_dict(), ensure_ascii=False))
    assert TimeLimit.from_dict(d) == tl
    assert d["kind"] == tl.kind


clauses = st.builds(
    Clause,
    kind=st.sampled_from([k for k in KINDS if k != "unparsed"]),
    number=st.none() | st.integers(1, 10_000),
    unit=st.none() | st.sampled_from(UNITS),
    trigger=st.none() | st.sampled_from(sorted(TRIGGERS)),
    scope=st.text(max_size=10),
)


@given(st.text(), st.lists(clauses, max_size=4), st.booleans())
def test_dict_round_trip_of_built(original: str, items: list[Clause], exc: bool) -> None:
    tl = TimeLimit(original, tuple(items), exc)
    assert TimeLimit.from_dict(json.loads(json.dumps(tl.to_dict()))) == tl
    assert isinstance(tl.label(), str)


@given(trigger_phrase())
@settings(max_examples=300)
def test_generated_trigger_phrases(case: tuple[str, int, str]) -> None:
    text, n, code = case
    tl = parse_time_limit(text)
    assert tl.clauses == (Clause("period", n, "workday", code),), text
    assert tl.original == text


@given(any_phrase())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_label_reparses_to_same_clause(text: str) -> None:
    tl = parse_time_limit(text)
    assert tl.is_parsed, text
    for clause in tl.clauses:
        assert parse_time_limit(clause.label()).clauses == (clause,), (text, clause.label())


@given(st.text(alphabet=ALPHABET, max_size=60))
@settings(max_examples=500)
def test_label_reparses_for_any_parsed_text(text: str) -> None:
    for clause in parse_time_limit(text).clauses:
        assert parse_time_limit(clause.label()).clauses == (clause,), (text, clause.label())


@given(any_phrase(), any_phrase())
def test_two_clauses_joined(a: str, b: str) -> None:
    first, second = parse_time_limit(a).clauses, parse_time_limit(b).clauses
    joined = parse_time_limit(f"{a}；{b}")
    assert joined.clauses == first + second


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
