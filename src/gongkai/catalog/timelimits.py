"""Parser for the 公开时限 (disclosure time limit) element of a catalog item.

Real catalogs write the limit as free text: "信息形成或者变更之日起20个工作日内",
"本级人大批准后20日内", "按进展情况及时公开", "每季度的首个月20日",
"1.除处罚决定外其他内容:长期公开(动态调整);2.处罚决定:20个工作日内".
Not every limit is in working days, and the trigger event differs per item, so the parsed form keeps
(kind, number, unit, trigger, scope) per clause *and* the untouched original text for display.

The parser never guesses: any part of a phrase that carries time information and is not understood
makes the whole phrase "unparsed" (no clauses).  Parts without any time information
("在村公示栏公开", "其他听证公开内容为依申请公开") are remarks and are dropped; they survive in
``original``.

Pure Python on purpose (no Django), so importers, the API and tests can all use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "KINDS",
    "TRIGGERS",
    "UNITS",
    "Clause",
    "TimeLimit",
    "is_same_as_above",
    "normalize_text",
    "parse_time_limit",
]

KINDS = (
    "period",  # N units after a trigger (or with no trigger stated)
    "realtime",  # 实时/即时
    "timely",  # 及时 (optionally after a trigger, or 按进展情况)
    "anytime",  # 随时
    "permanent",  # 永久
    "long_term",  # 长期(公开)(动态调整)
    "periodic",  # 每月/每季度/半年至少更新1次/每季度的首个月20日/定期
    "before_event",  # 听证7个工作日前 / 提前1周
    "unparsed",  # only ever the kind of a TimeLimit without clauses
)
UNITS = ("workday", "day", "hour", "week", "month", "quarter", "half_year", "year")

# code -> Chinese label.  The label is also what Clause.label() renders, so it must re-parse.
TRIGGERS: dict[str, str] = {
    "formed_or_changed": "信息形成或者变更",
    "made_or_obtained": "制作或获取",
    "decision": "决定作出",
    "approval": "批准",
    "result_determined": "结果确定",
    "investigation_done": "调查结束",
    "application_received": "收到申请",
    # timely: "按进展情况及时公开" -- each step of progress is the event.
    "progress": "进展情况",
    # before_event events.
    "hearing": "听证",
    "meeting": "会议召开",
    # periodic: number is the day of the period's first month ("每季度的首个月20日", "每月20日").
    "day_of_period": "首月指定日",
}

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

# Circled / parenthesised enumerators mark clause boundaries ("①…;②…").  NFKC would turn them
# into bare digits that look like limits, so they become separators *before* NFKC.
_ENUMERATORS = "".join(
    chr(c)
    for c in (
        *range(0x2460, 0x249C),  # ①..⑳ ⑴..⒇ ⒈..⒛
        *range(0x2776, 0x2794),  # ❶..❿ ➀..➉ ➊..➓
        *range(0x3220, 0x322A),  # ㈠..㈩
    )
)
_ENUMERATOR_TABLE = str.maketrans(dict.fromkeys(_ENUMERATORS, ";"))

# Traditional -> simplified for the vocabulary that occurs in time-limit cells (mirror copies of
# catalogs are often in traditional characters).  A table, not OpenCC, so results are identical
# everywhere.  曰 is a common OCR confusion for 日 ("之曰起").
_T2S_PAIRS = (
    "並并佈布個个備备價价兒儿內内兩两則则劃划動动務务勞劳區区員员問问單单園园圖图報报"
    "場场塊块壞坏婦妇學学實实審审寫写寬宽將将專专對对導导屆届層层屬属帶带幣币庫库廠厂"
    "廢废廣广強强彈弹後后徑径從从復复徵征態态應应戰战戶户擔担據据擬拟擴扩攜携數数斷断"
    "於于時时曰日書书會会東东條条業业構构標标樣样機机檔档欄栏權权歲岁歷历歸归殘残殺杀"
    "氣气決决沒没況况準准滅灭漢汉灣湾災灾為为無无營营爭争狀状獎奖獲获現现環环產产畢毕"
    "畫画異异當当療疗發发盡尽監监盤盘確确礙碍禮礼稅税稱称穩稳競竞筆笔節节簽签糧粮紀纪"
    "約约紅红納纳級级細细終终組组結结絡络統统經经綜综綠绿維维網网緊紧線线編编練练縣县"
    "縮缩總总績绩織织續续罰罚罷罢義义聯联聲声職职聽听臺台與与興兴舉举舊旧藝艺藥药蘇苏"
    "處处號号衆众裏里補补裝装製制見见規规視视親亲覽览觀观訂订計计記记訪访設设許许詢询"
    "試试該该詳详認认語语誤误說说課课調调談谈請请論论諮咨證证識识譯译議议護护讀读變变"
    "讓让貧贫貨货責责貸贷費费貼贴資资賠赔質质購购贈赠車车軍军載载輕轻輸输轉转辦办辭辞"
    "農农這这週周進进運运過过達达遞递遠远適适遲迟遷迁選选遺遗還还郵邮鄉乡醫医針针銀银"
    "鋼钢錄录錢钱鎮镇鐵铁長长門门閉闭開开間间閱阅關关陰阴陳陈陽阳隊队階阶際际隨随險险"
    "雜杂離离難难電电靜静頁页頂顶項项順顺須须預预領领頻频題题額额類类顯显風风飛飞養养"
    "館馆馬马驗验體体魚鱼鳥鸟麼么黃黄點点齊齐齡龄龍龙"
)
_T2S = str.maketrans(_T2S_PAIRS[0::2], _T2S_PAIRS[1::2])

# Pinyin glosses that mirror sites insert after characters: "個(gè)工作日內(nèi)".
_PINYIN_GLOSS = re.compile(r"\([a-z\u00e0-\u024f]{1,8}\)")
_SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS |= {"七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# Only numerals that count something are converted, so words like 统一/一般 stay intact.
_CN_NUMBER = re.compile(
    r"[零〇一二两三四五六七八九十百千]+(?=个|工作日|自然日|日|天|小时|周|星期|月|季|年|次|号)"
)


def _cn_to_int(s: str) -> int:
    """一 -> 1, 十五 -> 15, 二十 -> 20, 三百六十五 -> 365, 二〇 -> 20 (digit by digit)."""
    if not any(c in _CN_UNITS for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total, current = 0, 0
    for c in s:
        if c in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[c]
            current = 0
        else:
            current = _CN_DIGITS[c]
    return total + current


_VARIANTS = (
    (re.compile(r"或者"), "或"),
    # 信息形成(变更) / 形成（或变更） -> 形成或变更
    (re.compile(r"(形成|制定|制作|制发)\(或?(变更|获取)\)"), r"\1或\2"),
    (re.compile(r"(形成|制定|制作|制发)[、/和及](变更|获取)"), r"\1或\2"),
    (re.compile(r"批覆"), "批复"),  # 覆 is also a simplified character, so only in this word
)


def normalize_text(text: str | None) -> str:
    """Canonical form used for matching; ``TimeLimit.original`` is never replaced by it.

    Full-width -> ASCII (NFKC), pinyin glosses dropped, traditional -> simplified, whitespace
    removed, Chinese counting numerals -> digits, 或者 -> 或, 形成(变更) -> 形成或变更.
    Idempotent: normalize_text(normalize_text(x)) == normalize_text(x).
    """
    if not text:
        return ""
    s = text.translate(_ENUMERATOR_TABLE)
    s = unicodedata.normalize("NFKC", s)
    s = _SPACES.sub("", s)
    # Removing spaces can bring combining marks together; normalise again so the result is
    # stable (hypothesis found "¨¸").
    s = unicodedata.normalize("NFKC", s)
    s = _PINYIN_GLOSS.sub("", s)
    s = s.translate(_T2S)
    s = s.replace("廿", "二十").replace("卅", "三十")
    s = _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group(0))), s)
    for pattern, repl in _VARIANTS:
        s = pattern.sub(repl, s)
    return s


def is_same_as_above(text: str | None) -> bool:
    """True for "同上" (also 同上栏/同上条, stray spaces/punctuation): copy the row above."""
    s = re.sub(r"[\W_]+", "", normalize_text(text))
    return re.fullmatch(r"同上(?:栏|条|项)?", s) is not None


# --------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------

_UNIT_LABEL = {
    "workday": "个工作日",
    "day": "日",
    "hour": "小时",
    "week": "周",
    "month": "个月",
    "quarter": "个季度",
    "half_year": "个半年",
    "year": "年",
}
_PER_LABEL = {
    "week": "周",
    "month": "月",
    "quarter": "季度",
    "half_year": "半年",
    "year": "年",
    "workday": "工作日",
    "day": "日",
    "hour": "小时",
}
# Triggers counted "from the day of" (之日起); the others read "after" (后).
_FROM_DAY = {"formed_or_changed", "made_or_obtained", "decision", "application_received"}


@dataclass(frozen=True)
class Clause:
    """One time rule.  A phrase can hold several, each for a different ``scope``.

    number: period/before_event -> the count of units; periodic -> publications per period
    (trigger None, e.g. 半年至少更新1次 -> 1) or, with trigger "day_of_period", the day of the
    period's first month (每季度的首个月20日 -> 20); None where the text gives no number.
    unit: for periodic, the period itself (month/quarter/half_year/year/week); None for 定期.
    """

    kind: str
    number: int | None
    unit: str | None
    trigger: str | None
    scope: str = ""

    def __post_init__(self) -> None:
        # Fail loudly on bad stored data rather than rendering nonsense later.
        if self.kind not in KINDS or self.kind == "unparsed":
            raise ValueError(f"bad clause kind: {self.kind!r}")
        if self.unit is not None and self.unit not in UNITS:
            raise ValueError(f"bad unit: {self.unit!r}")
        if self.trigger is not None and self.trigger not in TRIGGERS:
            raise ValueError(f"bad trigger: {self.trigger!r}")
        if self.number is not None and (
            isinstance(self.number, bool) or not isinstance(self.number, int) or self.number < 1
        ):
            raise ValueError(f"bad number: {self.number!r}")
        if not isinstance(self.scope, str):
            raise ValueError(f"bad scope: {self.scope!r}")

    def label(self, with_scope: bool = True) -> str:
        """Normalised Chinese rendering, e.g. "信息形成或者变更之日起20个工作日内".

        With a scope it reads "处罚决定：20个工作日内", which parses back to the same clause.
        """
        body = self._body()
        return f"{self.scope}：{body}" if with_scope and self.scope else body

    def _body(self) -> str:
        k, n, u, t = self.kind, self.number, self.unit, self.trigger
        amount = f"{n or ''}{_UNIT_LABEL.get(u or '', '')}"
        if k == "period":
            if t is None:
                lead = ""
            elif t in _FROM_DAY:
                lead = f"{TRIGGERS[t]}之日起"
            else:
                lead = f"{TRIGGERS[t]}后"
            return f"{lead}{amount}内"
        if k == "realtime":
            return "实时公开"
        if k == "timely":
            if t is None:
                return "及时公开"
            if t == "progress":
                return "按进展情况及时公开"
            return f"{TRIGGERS[t]}后及时公开"
        if k == "anytime":
            return "随时公开"
        if k == "permanent":
            return "永久公开"
        if k == "long_term":
            return "长期公开"
        if k == "periodic":
            if u is None:
                return "定期公开"
            per = _PER_LABEL[u]
            if t == "day_of_period":
                return f"每月{n}日" if u == "month" else f"每{per}首月{n}日"
            return f"每{per}{n}次" if n else f"每{per}"
        # before_event
        if t is None:
            return f"提前{amount}"
        return f"{TRIGGERS[t]}{amount}前"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "number": self.number,
            "unit": self.unit,
            "trigger": self.trigger,
            "scope": self.scope,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Clause:
        return cls(
            kind=d["kind"],
            number=d.get("number"),
            unit=d.get("unit"),
            trigger=d.get("trigger"),
            scope=d.get("scope") or "",
        )


@dataclass(frozen=True)
class TimeLimit:
    """A parsed 公开时限 cell.  ``original`` is shown to users; clauses drive deadlines."""

    original: str
    clauses: tuple[Clause, ...] = ()
    # The phrase carried "法律、法规…另有规定的，从其规定" (a reservation, not a clause).
    statutory_exception: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.clauses, tuple):  # accept lists from callers, stay hashable
            object.__setattr__(self, "clauses", tuple(self.clauses))

    @property
    def kind(self) -> str:
        return self.clauses[0].kind if self.clauses else "unparsed"

    @property
    def is_parsed(self) -> bool:
        return bool(self.clauses)

    @property
    def primary(self) -> Clause | None:
        """The general clause: the first without a scope; else the first whose scope is the
        residual group ("其他相关信息", "除处罚决定外其他内容"); else the first clause."""
        for clause in self.clauses:
            if not clause.scope:
                return clause
        for clause in self.clauses:
            if clause.scope.startswith(("其他", "其它", "除")):
                return clause
        return self.clauses[0] if self.clauses else None

    def label(self) -> str:
        if not self.clauses:
            return self.original
        return "；".join(c.label() for c in self.clauses)

    def to_dict(self) -> dict[str, Any]:
        return {
            "original": self.original,
            "kind": self.kind,
            "statutory_exception": self.statutory_exception,
            "clauses": [c.to_dict() for c in self.clauses],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> TimeLimit:
        # "kind" is derived from the clauses, so it is not read back.
        return cls(
            original=d.get("original") or "",
            clauses=tuple(Clause.from_dict(c) for c in d.get("clauses") or ()),
            statutory_exception=bool(d.get("statutory_exception", False)),
        )


# --------------------------------------------------------------------------------------------
# Grammar
# --------------------------------------------------------------------------------------------

# Trigger events, most specific spelling first inside each group.
_TRIGGER_PATTERNS = {
    "formed_or_changed": r"形成或变更|形成或更新|形成或修改|产生或变更|形成",
    "made_or_obtained": r"(?:制作|制定|制发)或(?:获取|获得)|获取|获得|制作|制定|制发",
    "decision": r"作出(?:行政)?(?:许可|处罚)?决定|(?:决定|决策)作出|作出",
    "approval": (
        r"(?:(?:本级)?(?:人民代表大会|人大)(?:会议)?(?:或其?(?:常务委员会|常委会))?(?:会议)?"
        r"(?:审议|审查)?)?(?:批准|批复)"
    ),
    "result_determined": r"(?:分配|审核|评审|评定|认定|审批)?结果确定",
    "investigation_done": r"(?:现状)?调查(?:工作)?(?:结束|完成|完毕)",
    "application_received": r"收到(?:政府信息公开)?申请",
}
_EVENT_PATTERNS = {
    "hearing": r"(?:组织|召开|举行|举办)?听证会?(?:召开|举行)?",
    "meeting": r"(?:组织|召开|举行)?会议(?:召开|举行)?",
}
_UNIT_PATTERNS = {
    "workday": r"个?工作日",
    "day": r"个?自然日|日历日|日|天",
    "hour": r"个?小时",
    "week": r"个?星期|周",
    "month": r"个月",
    "quarter": r"个季度",
    "year": r"年",
}
_PER_PATTERNS = {
    "half_year": r"半年度?",
    "quarter": r"季度?",
    "month": r"月度?",
    "year": r"年度?",
    "week": r"周|星期",
}


def _alts(prefix: str, patterns: Mapping[str, str]) -> str:
    return "(?:" + "|".join(f"(?P<{prefix}{code}>{p})" for code, p in patterns.items()) + ")"


_TRIG = _alts("t_", _TRIGGER_PATTERNS)
_EVENT = _alts("e_", _EVENT_PATTERNS)
_UNIT = _alts("u_", _UNIT_PATTERNS)
_PER = _alts("p_", _PER_PATTERNS)
_NUM = r"(?P<num>\d{1,4})"
_WITHIN = r"(?P<within>以内|之内|内)?"
_VERB = r"(?:公开|公示|公布|发布|更新|公告|答复)"
# What may follow the limit: an optional channel ("在村公示栏") and a verb ("予以公开").
_TAIL = (
    r"(?:(?:在|于|通过)[^\d;,:日前后时期内]{1,15}?)?(?:应当|应|须)?(?:及时)?"
    rf"(?:予以|进行|完成|主动|向社会)?{_VERB}?"
)
# Object between a trigger verb and 之日起: "制定或获取[扶持政策措施]之日起".
_OBJ = r"[^\d;,:日前后时内期]{0,20}?"
_SINCE = r"(?:之日起|之日|日起|之后|以后|后|起)?"
_PROGRESS = r"(?P<progress>(?:按|根据|依据|视)?(?:工作)?(?:进展|进度)(?:情况)?)"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"^(?P<pre>.*?){pattern}$")


_RE_PERIODIC = _c(
    rf"(?:每|按|逐)个?{_PER}的?(?:(?P<first>首个?月|第1个月)?(?P<day>\d{{1,2}})(?:日|号)"
    rf"(?:以前|之前|前)?)?(?:(?:至少|不少于)?{_VERB}?(?P<count>\d{{1,3}})次)?{_TAIL}"
)
_RE_PERIODIC_COUNT = _c(rf"{_PER}(?:至少|不少于)?{_VERB}?(?P<count>\d{{1,3}})次{_TAIL}")
_RE_BEFORE_A = _c(rf"{_EVENT}{_NUM}{_UNIT}(?:以前|之前|前){_TAIL}")
_RE_BEFORE_B = _c(rf"{_EVENT}(?:以前|之前|前){_NUM}{_UNIT}{_TAIL}")
_RE_BEFORE_C = _c(rf"(?:{_EVENT}(?:以前|之前|前)?)?提前{_NUM}{_UNIT}(?P<rest>[^\d]*)")
_RE_PERIOD = _c(rf"(?:{_TRIG}{_OBJ}{_SINCE})?{_NUM}{_UNIT}{_WITHIN}{_TAIL}")
_RE_TIMELY = _c(rf"(?:{_PROGRESS}|{_TRIG}{_OBJ}(?:之日起|之后|以后|后))?及时{_TAIL}")
_RE_REALTIME = _c(rf"(?:实时|即时){_TAIL}")
_RE_ANYTIME = _c(rf"随时{_TAIL}")
_RE_PERMANENT = _c(rf"永久性?(?:保存|保留|有效)?{_TAIL}")
_RE_LONG_TERM = _c(
    rf"(?:长期(?:保存|保留|有效)?{_TAIL}(?:\((?:动态调整|动态更新|动态管理)\))?|动态(?:调整|更新){_TAIL})"
)
_RE_REGULAR = _c(rf"定期{_TAIL}")

# Time words that must not hide in a scope/prefix: if they do, the phrase says more than we parse.
_PRE_FORBIDDEN = re.compile(
    r"\d|之日|日起|工作日|以内|之后|以后|之前|以前|每|及时|实时|即时|随时|永久|长期|定期|小时|提前"
    r"|延长|延期|[后起前]$"
)
# Any hint of time: a piece with one of these must parse, a piece without is a remark.
_TIME_HINT = re.compile(r"\d|[日天时周月季年期前后]|星期|永久|延长|延期|动态")
_TRAILING_CONNECTORS = (
    "应当自",
    "应当在",
    "应当于",
    "应自",
    "应于",
    "应在",
    "均应",
    "应当",
    "应",
    "自",
    "在",
    "于",
    "从",
    "经",
    "须",
    "均",
    "的",
    "之",
    "并",
    "将",
)
# Subjects that just mean "the information" and so do not narrow the clause.
_GENERIC_SCOPE = re.compile(
    r"(?:自|在|于|从)?(?:该|本|此|其)?(?:公开事项|政府|相关|所有|公开)?(?:信息|文件|事项|内容)?"
    r"|(?:公开)?(?:时限|期限)(?:为|是)?"
)
_MARKER = re.compile(r"^(?:\(\d{1,2}\)|\d{1,2}[.、)](?!\d)|[一二三四五六七八九十]、)+")
_LEADING_LABEL = re.compile(r"^(?:公开)?(?:时限|期限)(?::|为)")
_RESERVATION = re.compile(
    r"\(?(?:如|若|凡)?(?:国家)?(?:法律|法规)[^;。()]{0,30}?另有规定[^;。()]{0,6}?"
    r"(?:从其规定|依其规定|按其规定|除外)\)?[。;,]?"
)


def _clean_scope(text: str, noun: str = "") -> str:
    s = _MARKER.sub("", text)
    stripped = True
    ended_with_connector = False
    while stripped and s:
        stripped = False
        for c in _TRAILING_CONNECTORS:
            if s.endswith(c):
                s = s[: -len(c)]
                stripped = ended_with_connector = True
                break
    # "行政许可和行政处罚[决定]作出后": the noun belongs to the subject as well as the trigger.
    if noun and s and not ended_with_connector:
        s += noun
    return "" if _GENERIC_SCOPE.fullmatch(s) else s


def _which(m: re.Match[str], prefix: str) -> str | None:
    for name, value in m.groupdict().items():
        if value is not None and name.startswith(prefix):
            return name[len(prefix) :]
    return None


def _trigger_noun(m: re.Match[str]) -> str:
    text = m.group("t_decision") if "t_decision" in m.groupdict() else None
    return text[:2] if text and text.startswith(("决定", "决策")) else ""


# A matcher returns (kind, number, unit, trigger, scope) or None.
_Parsed = tuple[str, int | None, str | None, str | None, str]


def _match_periodic(body: str) -> _Parsed | None:
    for regex in (_RE_PERIODIC, _RE_PERIODIC_COUNT):
        m = regex.match(body)
        if not m or _PRE_FORBIDDEN.search(m["pre"]):
            continue
        unit = _which(m, "p_")
        day = int(m["day"]) if m.groupdict().get("day") else None
        count = int(m["count"]) if m["count"] else None
        first = bool(m.groupdict().get("first"))
        if day is not None:
            # The day sits in the first month of the period: 每月20日 / 每季度首月20日 only.
            if count is not None or not 1 <= day <= 31 or unit == "week":
                return None
            if (unit == "month") == first:
                return None
            return ("periodic", day, unit, "day_of_period", _clean_scope(m["pre"]))
        if count == 0:
            return None
        return ("periodic", count, unit, None, _clean_scope(m["pre"]))
    return None


def _match_before_event(body: str) -> _Parsed | None:
    for regex in (_RE_BEFORE_A, _RE_BEFORE_B, _RE_BEFORE_C):
        m = regex.match(body)
        if not m or _PRE_FORBIDDEN.search(m["pre"]):
            continue
        if regex is _RE_BEFORE_C and _TIME_HINT.search(m["rest"]):
            return None
        number = int(m["num"])
        if number == 0:
            return None
        trigger = _which(m, "e_")
        return ("before_event", number, _which(m, "u_"), trigger, _clean_scope(m["pre"]))
    return None


def _match_period(body: str) -> _Parsed | None:
    m = _RE_PERIOD.match(body)
    if not m or _PRE_FORBIDDEN.search(m["pre"]):
        return None
    number, unit = int(m["num"]), _which(m, "u_")
    if number == 0:
        return None
    # "2020年" is a calendar year, not a duration: years only as "N年内" with a small N.
    if unit == "year" and (number > 99 or not m["within"]):
        return None
    scope = _clean_scope(m["pre"], _trigger_noun(m))
    return ("period", number, unit, _which(m, "t_"), scope)


def _match_timely(body: str) -> _Parsed | None:
    m = _RE_TIMELY.match(body)
    if not m or _PRE_FORBIDDEN.search(m["pre"]):
        return None
    trigger = "progress" if m["progress"] else _which(m, "t_")
    return ("timely", None, None, trigger, _clean_scope(m["pre"], _trigger_noun(m)))


def _simple(kind: str, regex: re.Pattern[str]) -> Callable[[str], _Parsed | None]:
    def match(body: str) -> _Parsed | None:
        m = regex.match(body)
        if not m or _PRE_FORBIDDEN.search(m["pre"]):
            return None
        return (kind, None, None, None, _clean_scope(m["pre"]))

    return match


def _match_regular(body: str) -> _Parsed | None:
    m = _RE_REGULAR.match(body)
    if not m or _PRE_FORBIDDEN.search(m["pre"]):
        return None
    return ("periodic", None, None, None, _clean_scope(m["pre"]))


# Order matters: periodic before period ("每月20日" is not "20 days"), period before timely.
_MATCHERS = (
    _match_periodic,
    _match_before_event,
    _match_period,
    _match_timely,
    _simple("realtime", _RE_REALTIME),
    _simple("anytime", _RE_ANYTIME),
    _simple("permanent", _RE_PERMANENT),
    _simple("long_term", _RE_LONG_TERM),
    _match_regular,
)


def _parse_piece(piece: str) -> Clause | None:
    """One clause, optionally headed by "scope:" ("处罚决定:20个工作日内")."""
    piece = _LEADING_LABEL.sub("", _MARKER.sub("", piece))
    heading = ""
    if ":" in piece:
        left, right = piece.split(":", 1)
        if left and not _PRE_FORBIDDEN.search(left):
            heading, piece = _clean_scope(left), right
    if ":" in piece or not piece:
        return None
    for matcher in _MATCHERS:
        parsed = matcher(piece)
        if parsed:
            kind, number, unit, trigger, scope = parsed
            # An explicit heading wins over a subject found inside the sentence.
            return Clause(kind, number, unit, trigger, heading or scope)
    return None


def _parse_segment(segment: str) -> list[Clause] | None:
    """Clauses of one ;/。-separated segment; None if a time-bearing part is not understood."""
    segment = segment.strip(",")
    if not segment:
        return []
    # Commas inside one clause ("形成之日起,20个工作日内") are noise; try that reading first.
    whole = _parse_piece(segment.replace(",", ""))
    if whole:
        return [whole]
    clauses = []
    for piece in filter(None, segment.split(",")):
        clause = _parse_piece(piece)
        if clause:
            clauses.append(clause)
        elif _TIME_HINT.search(_MARKER.sub("", piece)):
            return None  # says something about time that we do not understand: never guess
    return clauses


def _mark_numbering(s: str) -> str:
    """Turn "1.…2.…" / "(1)…(2)…" / "一、…二、…" enumerations into ";" separators.

    Only when the text starts with item 1 and only for the next number in sequence, so that a
    "2." inside a limit is not mistaken for a marker.
    """
    styles = (
        lambda n: rf"(?<!\d){n}\.(?!\d)",
        lambda n: rf"(?<!\d){n}、",
        lambda n: rf"\({n}\)",
        lambda n: rf"(?<![\d(]){n}\)",
        lambda n: "一二三四五六七八九十"[n - 1] + "、" if n <= 10 else "(?!)",
    )
    for style in styles:
        if not re.match(style(1), s):
            continue
        out, pos, n = [], 0, 1
        while m := re.compile(style(n)).search(s, pos):
            out.append(s[pos : m.start()] + ";")
            pos, n = m.end(), n + 1
        out.append(s[pos:])
        return "".join(out)
    return s


def parse_time_limit(text: str | None) -> TimeLimit:
    """Parse a 公开时限 cell.  Never raises; unknown phrasing gives an unparsed TimeLimit."""
    if text is None:
        return TimeLimit(original="")
    original = text if isinstance(text, str) else str(text)  # spreadsheet cells may be numbers
    s = normalize_text(original)
    if not s or is_same_as_above(s):
        return TimeLimit(original=original)  # 同上 is resolved by the importer, not here
    s, reservations = _RESERVATION.subn(";", s)
    s = _mark_numbering(s)
    s = re.sub(r"[,;。]?其中[,:]?", ";", s)  # "…;其中行政许可…" starts a scoped clause
    clauses: list[Clause] = []
    for segment in re.split(r"[;。]+", s):
        parsed = _parse_segment(segment)
        if parsed is None:
            return TimeLimit(original=original, statutory_exception=bool(reservations))
        clauses.extend(parsed)
    return TimeLimit(original, tuple(clauses), bool(reservations))
