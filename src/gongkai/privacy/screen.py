"""The privacy and secrecy screen: personal data and sensitive words in text to be published.

What is found
  id_card         18-digit resident ID numbers (region, birth date, ISO 7064 MOD 11-2 check
                  digit), also written in 6-8-4 groups (110105-19491231-002X, or with spaces
                  after an ID label), and 15-digit old ones (region, 19YYMMDD birth date)
  mobile          mainland mobile numbers, also +86/86- prefixed and grouped 3-4-4
  bank_card       16-19 digits (plain or in groups of four) passing Luhn, with a card prefix
                  (62/60/65 UnionPay, 4 Visa, 51-55 Mastercard, 35 JCB, 94/95 old domestic
                  cards) or after a bank keyword (卡号, 账号, 开户行, 银行 …)
  sensitive_word  the active words of the SensitiveWord table plus GONGKAI_SENSITIVE_WORDS

How false alarms are kept down
  Every number must stand alone (no digit or letter run around it), carry a valid check
  digit or date where the format has one, and is dropped when the nearest label before it on
  the same line names a non-personal code (文号, 编号, 索引号, 统一社会信用代码, 流水号 …) —
  unless a personal label (身份证, 电话, 卡号 …) is nearer. Numbers followed by a unit
  (元, 万, 吨, %) are amounts, not phone numbers.

Matching runs on a normalised copy of the text (NFKC: full-width digits and letters; per
character traditional → simplified; whitespace and zero-width characters allowed inside a
sensitive word) but every offset refers to the original text.

Nothing here leaks the numbers it finds: ``Finding.value`` (the raw text) is left out of
``repr()`` and ``as_dict()``; reports, logs, JSON and contexts carry the masked form only.
Sensitive words are shown as they are (a configured word is not personal data).
"""

from __future__ import annotations

import bisect
import datetime
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

PERSONAL_KINDS = frozenset({"id_card", "mobile", "bank_card"})
LABELS = {
    "id_card": "居民身份证号码",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "sensitive_word": "敏感词",
}
CONTEXT_CHARS = 15
MASK = "*"
WORD_MASK = "＊"


@dataclass(frozen=True)
class Finding:
    """One thing the screen found. ``value`` is the raw text and stays out of repr/as_dict."""

    kind: str
    label: str
    start: int
    end: int
    value: str = field(repr=False)
    masked: str
    source: str
    line: int
    context: str
    message: str
    category: str = ""  # sensitive words: 涉密/内部/…

    @property
    def personal(self) -> bool:
        return self.kind in PERSONAL_KINDS

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; never the unmasked number (``word`` only for sensitive words)."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "label": self.label,
            "source": self.source,
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "masked": self.masked,
            "context": self.context,
            "message": self.message,
        }
        if self.kind == "sensitive_word":
            data["word"] = self.value
            data["category"] = self.category
        return data


# --------------------------------------------------------------------------- normalisation


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """Traditional → simplified, one character to one (so offsets survive)."""
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    table: dict[int, str] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                key, _, value = line.rstrip("\n").partition("\t")
                first = value.split(" ")[0]
                if len(key) == 1 and len(first) == 1 and first != key:
                    table[ord(key)] = first
    except OSError:  # pragma: no cover - a packaging change; matching still works on 简体
        return {}
    return table


class _Norm:
    """NFKC + traditional → simplified copy of a text and the way back to its offsets."""

    def __init__(self, text: str) -> None:
        self.original = text
        if unicodedata.is_normalized("NFKC", text):
            norm, index = text, None
        else:
            parts: list[str] = []
            idx: list[int] = []
            pos = 0
            # Line by line: most lines are already normalised and are copied as they are.
            for line in text.splitlines(keepends=True):
                if unicodedata.is_normalized("NFKC", line):
                    parts.append(line)
                    idx.extend(range(pos, pos + len(line)))
                else:
                    for i, ch in enumerate(line, start=pos):
                        n = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
                        parts.append(n)
                        idx.extend([i] * len(n))
                pos += len(line)
            norm, index = "".join(parts), idx
        self.text = norm.translate(_t2s_table()) if not norm.isascii() else norm
        self.index = index

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.index is None:
            return start, end
        return self.index[start], self.index[end - 1] + 1


# --------------------------------------------------------------------------- validators

_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
# First two digits of GB/T 2260 province codes (71 台湾, 81-83 港澳台居民居住证).
_PROVINCES = frozenset(
    str(n)
    for n in (*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55),
              *range(61, 66), 71, 81, 82, 83)
)  # fmt: skip


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of an 18-digit resident ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        return False
    return born <= datetime.date.today()


def is_valid_id18(number: str) -> bool:
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in _PROVINCES:
        return False
    year = int(number[6:10])
    if not 1900 <= year <= datetime.date.today().year:
        return False
    if not _valid_date(year, int(number[10:12]), int(number[12:14])):
        return False
    return id_check_digit(number[:17]) == number[17]


def is_valid_id15(number: str) -> bool:
    if len(number) != 15 or not number.isdigit() or number[:2] not in _PROVINCES:
        return False
    # Old numbers were issued 1984-1999 to people born in the 20th century; a year 19(00-09)
    # is far more often a registration number's padding (330106 000123 456) than a person.
    yy = int(number[6:8])
    return yy >= 10 and _valid_date(1900 + yy, int(number[8:10]), int(number[10:12]))


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def is_uscc(code: str) -> bool:
    """GB 32100 统一社会信用代码 check character (MOD 31)."""
    code = code.upper()
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


_CARD_PREFIX = re.compile(r"62|60|65|4|5[1-5]|35|9[45]")

# --------------------------------------------------------------------------- patterns

_ID18 = re.compile(r"(?<![0-9A-Za-z_])[1-8]\d{16}[0-9Xx](?![0-9A-Za-z])")
# 6-8-4 groups (region, birth date, sequence + check), one separator used twice.
_ID18_GROUPED = re.compile(
    r"(?<![0-9A-Za-z_])(?<![0-9A-Za-z][-/.])[1-8]\d{5}([ -])\d{8}\1\d{3}[0-9Xx]"
    r"(?![0-9A-Za-z])(?![-/.][0-9A-Za-z])"
)
_ID15 = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9A-Za-z][-/.])[1-8]\d{14}(?![0-9A-Za-z])(?![-/.][0-9A-Za-z])"
)
# Amount or quantity right after the digits: not a phone number.
_UNIT = r"(?!\s*(?:元|万|亿|千|百|吨|克|公斤|千克|平方|立方|亩|公里|米|%|‰|人次|户))"
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z_.¥￥$])(?:(?:\+|00)?86[ -]?)?1[3-9]\d([ -]?)\d{4}\1\d{4}"
    r"(?![0-9A-Za-z])(?!\.\d)" + _UNIT
)
_CARD_PLAIN = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9A-Za-z][-/.])\d{16,19}(?![0-9A-Za-z])(?![-/.]\d)(?!\.\d)" + _UNIT
)
_CARD_GROUPED = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9A-Za-z][-/.])\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?"
    r"(?![0-9A-Za-z])(?![ -]?\d)"
)

# Labels that say what a number is; the nearest one before a number on its line decides.
# fmt: off
_POSITIVE = {
    "id_card": ["身份证", "身份号码", "证件号", "公民身份", "社会保障号", "社保号", "户籍号"],
    "mobile": ["手机", "电话", "联系方式", "联系人", "联系", "热线", "tel", "mobile", "微信"],
    "bank_card": ["卡号", "银行卡", "账号", "帐号", "账户", "帐户", "开户", "银行", "信用卡",
                  "借记卡", "储蓄卡", "社保卡", "收款", "存折", "支付"],
}
_NEGATIVE = [
    "信用代码", "注册号", "索引号", "统计代码", "区划代码", "代码", "编码", "编号", "文号",
    "订单号", "流水号", "交易号", "单号", "批准号", "备案号", "许可证号", "证书号", "证号",
    "isbn", "issn", "条码", "发票号码", "发票代码", "税号", "识别号", "登记号", "项目号",
    "序列号", "批次号", "合同号", "标准号", "档案号", "案号", "字号",
]
# fmt: on
# Labels of 18-character codes: an all-digit 统一社会信用代码 may pass the ID checks.
_USCC_LABELS = frozenset(["信用代码", "税号", "识别号", "注册号", "代码"])
_LABEL_WINDOW = 24
_LABEL_RE = re.compile(
    "|".join(
        f"(?P<{name}>{'|'.join(sorted(map(re.escape, words), key=len, reverse=True))})"
        for name, words in [
            ("neg", _NEGATIVE),
            *((f"pos_{kind}", words) for kind, words in _POSITIVE.items()),
        ]
    ),
    re.IGNORECASE,
)
_BREAK = re.compile(r"[\n\r。；;]")
_HAS_DIGIT = re.compile(r"\d")


def _nearest_label(norm: str, start: int) -> tuple[str, str] | None:
    """The last label (group name, text) in the window before ``start`` on the same clause."""
    lo = max(0, start - _LABEL_WINDOW)
    window = norm[lo:start]
    breaks = list(_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    last: tuple[str, str] | None = None
    last_end = -1
    for m in _LABEL_RE.finditer(window):
        if m.end() >= last_end:
            last, last_end = (m.lastgroup or "", m.group()), m.end()
    # A label followed by another number labels that number, not this one.
    if last is not None and _HAS_DIGIT.search(window, last_end):
        return None
    return last


def _digit_positions(value: str) -> list[int]:
    return [i for i, c in enumerate(value) if c.isdigit() or c in "Xx"]


def _mask_positions(value: str, positions: Iterable[int]) -> str:
    chars = list(value)
    for i in positions:
        chars[i] = MASK
    return "".join(chars)


def mask_value(kind: str, value: str) -> str:
    """The masked form of one found value, same length, separators kept.

    ID: first 6 and last 4 (220102********1234); mobile: first 3 and last 4 of the 11-digit
    number (138****5678, a +86 prefix is kept); bank card: first 4 and last 4.
    """
    if kind == "sensitive_word":
        return WORD_MASK * len(value)
    pos = _digit_positions(value)
    if kind == "id_card":
        hidden = pos[6:-4]
    elif kind == "mobile":
        number = pos[-11:]
        hidden = number[3:7]
    else:
        hidden = pos[4:-4]
    return _mask_positions(value, hidden)


# --------------------------------------------------------------------------- detectors


@dataclass
class _Hit:
    kind: str
    start: int  # offsets in the normalised text
    end: int
    priority: int
    category: str = ""


def _personal_hits(norm: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _ID18.finditer(norm):
        if not is_valid_id18(m.group()):
            continue
        label = _nearest_label(norm, m.start())
        if label and label[0] == "neg" and label[1] in _USCC_LABELS and is_uscc(m.group()):
            continue
        hits.append(_Hit("id_card", m.start(), m.end(), 0))
    for m in _ID18_GROUPED.finditer(norm):
        if not is_valid_id18(m.group().replace(m.group(1), "")):
            continue
        label = _nearest_label(norm, m.start())
        if m.group(1) == " ":
            # Space-separated columns of a table (邮编 日期 件数) can line up as 6-8-4 with a
            # valid date and, one time in eleven, check digit: only an ID label makes it one.
            if not label or label[0] != "pos_id_card":
                continue
        elif label and label[0] == "neg":
            continue
        hits.append(_Hit("id_card", m.start(), m.end(), 0))
    for m in _ID15.finditer(norm):
        if not is_valid_id15(m.group()):
            continue
        label = _nearest_label(norm, m.start())
        if label and label[0] == "neg":
            continue
        hits.append(_Hit("id_card", m.start(), m.end(), 0))
    for pattern in (_CARD_PLAIN, _CARD_GROUPED):
        for m in pattern.finditer(norm):
            digits = re.sub(r"\D", "", m.group())
            if not luhn_ok(digits):
                continue
            label = _nearest_label(norm, m.start())
            if label is None:
                if not _CARD_PREFIX.match(digits):
                    continue
            elif label[0] != "pos_bank_card" and (
                label[0] == "neg" or not _CARD_PREFIX.match(digits)
            ):
                continue
            hits.append(_Hit("bank_card", m.start(), m.end(), 1))
    for m in _MOBILE.finditer(norm):
        label = _nearest_label(norm, m.start())
        if label and label[0] == "neg":
            continue
        hits.append(_Hit("mobile", m.start(), m.end(), 2))
    return hits


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """Keep one finding per stretch of text: the stronger kind, then the longer match."""
    kept: list[_Hit] = []
    # Overlaps are rare and local: settle each cluster of overlapping hits on its own.
    cluster: list[_Hit] = []
    cluster_end = -1
    for hit in [*sorted(hits, key=lambda h: h.start), None]:
        if hit is not None and hit.start < cluster_end:
            cluster.append(hit)
            cluster_end = max(cluster_end, hit.end)
            continue
        chosen: list[_Hit] = []
        for c in sorted(cluster, key=lambda h: (h.priority, -(h.end - h.start), h.start)):
            if all(c.end <= k.start or c.start >= k.end for k in chosen):
                chosen.append(c)
        kept.extend(sorted(chosen, key=lambda h: h.start))
        if hit is not None:
            cluster, cluster_end = [hit], hit.end
    return kept


# Whitespace and zero-width characters may sit between the characters of a word (PDF text
# often breaks 内部\n资料); they are allowed inside a match.
_GAP = r"[\s\u200b-\u200d\u2060\ufeff]*"
_GAP_RE = re.compile(_GAP)


def _normalise_word(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).translate(_t2s_table())
    return _GAP_RE.sub("", word).lower()


def _flex(word: str) -> str:
    return _GAP.join(re.escape(c) for c in word)


@dataclass(frozen=True)
class _WordList:
    pattern: re.Pattern | None
    # normalised word → (category, exempt phrases as (pattern, length))
    words: dict[str, tuple[str, tuple[tuple[re.Pattern, int], ...]]]


_CACHE_KEY = "privacy:sensitive-words:version"
_cache: dict[str, Any] = {}


def clear_word_cache(**_kwargs: Any) -> None:
    """Forget the word list here and tell other processes (shared cache) to reload it."""
    _cache.clear()
    try:
        from django.core.cache import cache

        cache.set(_CACHE_KEY, datetime.datetime.now().timestamp(), None)
    except Exception:  # noqa: BLE001,S110 - no cache configured: this process is enough
        pass


def _shared_version() -> Any:
    try:
        from django.core.cache import cache

        return cache.get(_CACHE_KEY)
    except Exception:  # noqa: BLE001 - no cache configured
        return None


def _configured_words() -> list[tuple[str, str, list[str]]]:
    """(word, category label, exempt phrases) from the table and from settings."""
    from django.conf import settings
    from django.db import DatabaseError

    from .models import SensitiveWord, WordCategory

    words: list[tuple[str, str, list[str]]] = []
    try:
        for w in SensitiveWord.objects.filter(active=True).only(
            "word", "category", "exempt_phrases"
        ):
            words.append((w.word, WordCategory(w.category).label, w.exempt_list))
    except DatabaseError:  # table not migrated yet: the shipped list still applies
        import json
        from pathlib import Path

        data = Path(__file__).resolve().parent / "data" / "sensitive_words.json"
        for row in json.loads(data.read_text("utf-8")):
            label = WordCategory(row["category"]).label
            words.append((row["word"], label, row.get("exempt", [])))
    extra = getattr(settings, "GONGKAI_SENSITIVE_WORDS", None) or []
    if isinstance(extra, str):
        extra = extra.split(",")
    words.extend((w.strip(), "配置", []) for w in extra if w.strip())
    return words


def _word_list() -> _WordList:
    version = _shared_version()
    cached = _cache.get("words")
    if cached is not None and _cache.get("version") == version:
        return cached
    table: dict[str, tuple[str, tuple[tuple[re.Pattern, int], ...]]] = {}
    for word, category, exempt in _configured_words():
        key = _normalise_word(word)
        if len(key) < 2 or key in table:
            continue
        phrases = tuple(
            (re.compile(_flex(n), re.IGNORECASE), len(n))
            for n in map(_normalise_word, exempt)
            if key in n
        )
        table[key] = (category, phrases)
    pattern = (
        re.compile("|".join(_flex(w) for w in sorted(table, key=len, reverse=True)), re.I)
        if table
        else None
    )
    result = _WordList(pattern, table)
    _cache.update(words=result, version=version)
    return result


def _word_hits(norm: str) -> list[_Hit]:
    words = _word_list()
    if words.pattern is None:
        return []
    hits: list[_Hit] = []
    for m in words.pattern.finditer(norm):
        key = _GAP_RE.sub("", m.group()).lower()
        category, exempt = words.words.get(key, ("", ()))
        if any(_covered(p, size, norm, m.start(), m.end()) for p, size in exempt):
            continue
        hits.append(_Hit("sensitive_word", m.start(), m.end(), 3, category))
    return hits


def _covered(phrase: re.Pattern, size: int, norm: str, start: int, end: int) -> bool:
    reach = 3 * size + 10  # generous: the phrase may have gaps inside
    lo = max(0, start - reach)
    return any(
        p.start() + lo <= start and p.end() + lo >= end
        for p in phrase.finditer(norm[lo : end + reach])
    )


# --------------------------------------------------------------------------- public API


def _message(kind: str, where: str, masked: str, value: str, category: str) -> str:
    if kind == "id_card":
        return f"{where}有居民身份证号码 {masked}，属于个人信息，公开前应遮盖或删除。"
    if kind == "mobile":
        return f"{where}有手机号码 {masked}，属于个人信息，公开前应遮盖；确属工作电话的请说明理由。"
    if kind == "bank_card":
        return f"{where}有银行卡号 {masked}，属于个人信息，公开前应遮盖或删除。"
    return f"{where}出现敏感词“{value}”（{category}），请确认内容不涉密、不属内部信息后再公开。"


def _apply_masks(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = 0
    for start, end, masked in sorted(spans):
        out.append(text[pos:start])
        out.append(masked)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _clean(s: str) -> str:
    return re.sub(r"[\r\n\t\f\v]", " ", s)


def _findings(text: str, source: str, *, words: bool) -> list[Finding]:
    if not text:
        return []
    n = _Norm(text)
    hits = _personal_hits(n.text)
    if words:
        hits += _word_hits(n.text)
    hits = _resolve(hits)
    located = []
    for h in hits:
        start, end = n.span(h.start, h.end)
        value = text[start:end]
        located.append((h, start, end, value, mask_value(h.kind, value)))
    # Contexts come from the text with every personal finding masked, so a neighbour's
    # number never shows in another finding's context either.
    masked_text = _apply_masks(
        text, ((s, e, m) for h, s, e, _v, m in located if h.kind in PERSONAL_KINDS)
    )
    newlines = [m.start() for m in re.finditer("\n", text)] if located else []
    findings = []
    for h, start, end, value, masked in located:
        line = bisect.bisect_left(newlines, start) + 1
        shown = masked if h.kind in PERSONAL_KINDS else value
        # The context stays on the finding's own line(s).
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        context = (
            _clean(masked_text[max(line_start, start - CONTEXT_CHARS) : start])
            + f"【{_clean(shown)}】"
            + _clean(masked_text[end : min(line_end, end + CONTEXT_CHARS)])
        )
        where = f"{source}第{line}行"
        findings.append(
            Finding(
                kind=h.kind,
                label=LABELS[h.kind],
                start=start,
                end=end,
                value=value,
                masked=masked,
                source=source,
                line=line,
                context=context,
                message=_message(h.kind, where, masked, value, h.category),
                category=h.category,
            )
        )
    return findings


def screen_text(text: str, *, source: str = "正文") -> list[Finding]:
    """Everything in ``text`` that must not be published as it is, in reading order.

    ``source`` names where the text came from ("正文", "附件《通知.pdf》") for messages.
    The sensitive-word list is read from the database (cached per process).
    """
    return _findings(text, source, words=True)


def mask_text(text: str, findings: list[Finding] | None = None) -> str:
    """``text`` with every personal-data finding masked in place (same length).

    Sensitive words are never masked: whether a 机密 marking means the document must not be
    published at all is a human decision. Without ``findings`` the text is screened first;
    given ones must come from this same text (ValueError otherwise).
    """
    if findings is None:
        findings = _findings(text, "", words=False)
    spans = []
    for f in findings:
        if f.kind not in PERSONAL_KINDS:
            continue
        if text[f.start : f.end] != f.value:
            raise ValueError("检查结果与文本不一致，请重新检查后再遮盖。")
        spans.append((f.start, f.end, f.masked))
    return _apply_masks(text, spans)


def summarize(findings: list[Finding]) -> str:
    """One Chinese sentence for a message bar: how many of what, or that all is clear."""
    if not findings:
        return "未发现个人信息或敏感词。"
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.label] = counts.get(f.label, 0) + 1
    parts = "，".join(f"{label}{n}处" for label, n in counts.items())
    return f"发现{len(findings)}处需要处理的内容：{parts}。请遮盖，或由审核人填写理由后放行。"
