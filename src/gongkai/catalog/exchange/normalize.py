"""Cell-level normalisation for catalog import (pure Python, no Django).

Real catalogs arrive in simplified or traditional characters (mirror sites), with pinyin
glosses ("個(gè)"), full-width and zero-width spaces, ■/□/口/☑ checkbox lists or plain
channel names in every spelling, √ marks, and free-text level/audience/mode cells. The
functions here turn one cell into the codes of ``gongkai.catalog.vocabularies``; the
table-level work (headers, 同上, carried-down cells) is in ``parse.py``.

Speed matters: an import of 100,000 rows calls these a million times, so every function
has a fast path for the common case (already clean, already simplified, a known word).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from ..vocabularies import AUDIENCES, CHANNEL_ALIASES, CHANNELS, LEVELS, MODES

__all__ = [
    "DomainMatcher",
    "clean_text",
    "may_need_simplifying",
    "parse_audience_text",
    "parse_channels",
    "parse_levels_text",
    "parse_mode_text",
    "parse_ticks",
    "to_simplified",
]

# --------------------------------------------------------------------------------------------
# Traditional → simplified
# --------------------------------------------------------------------------------------------

# Pinyin glosses that mirror sites insert after a character: "個(gè)工作日內(nèi)". Only
# right after a CJK character and only with a tone mark (or ü), so "(a)" list markers and
# "(http…)" stay.
_GLOSS = re.compile(
    r"(?<=[\u3400-\u9fff])[(（][a-z]*[\u00e0-\u00fc\u0101-\u01dc\u0300-\u036f][a-z\u00e0-\u00fc"
    r"\u0101-\u01dc\u0300-\u036f]*[)）]"
)


class _T2S:
    """OpenCC t2s with a fast path.

    OpenCC (the pure-Python reimplementation) costs ~200 µs per short cell, so it is only
    called when the text holds a traditional character *and* one of OpenCC's phrases
    (乾隆, 瞭解, …). Without a phrase, its result equals a per-character translation to the
    first candidate of TSCharacters, which ``str.translate`` does in C (tested against
    OpenCC in test_normalize.py).
    """

    def __init__(self) -> None:
        from opencc import OpenCC  # imported lazily: loading the dictionaries takes ~0.1 s

        self.cc = OpenCC("t2s")
        folder = os.path.join(os.path.dirname(__import__("opencc").__file__), "dictionary")
        table: dict[int, str] = {}
        trad: set[str] = set()
        phrases: list[str] = []
        try:
            with open(os.path.join(folder, "TSCharacters.txt"), encoding="utf-8") as f:
                for line in f:
                    key, _, value = line.rstrip("\n").partition("\t")
                    first = value.split(" ")[0]
                    if len(key) == 1 and first and first != key:
                        table[ord(key)] = first
                        trad.add(key)
            with open(os.path.join(folder, "TSPhrases.txt"), encoding="utf-8") as f:
                for line in f:
                    key, _, value = line.rstrip("\n").partition("\t")
                    first = value.split(" ")[0]
                    if not key or first == key:
                        continue
                    phrases.append(key)
                    if len(first) == len(key):
                        trad.update(k for k, v in zip(key, first, strict=True) if k != v)
                    else:
                        trad.update(key)
        except OSError:  # pragma: no cover - a packaging change: always use OpenCC itself
            table, trad, phrases = {}, set(), []
        self.table = table
        self.trad = frozenset(trad)
        self.usable = bool(table)
        self.phrases = (
            re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))
            if phrases
            else None
        )
        # A character class of the BMP ones is a bitmap in `re`: ~10 ns per character.
        bmp = sorted(c for c in self.trad if ord(c) <= 0xFFFF)
        self.trad_bmp = re.compile("[" + "".join(re.escape(c) for c in bmp) + "]") if bmp else None
        self.trad_astral = frozenset(c for c in self.trad if ord(c) > 0xFFFF)
        # The same class plus what a pinyin gloss needs, for one-pass checks of whole tables.
        self.trad_or_gloss = re.compile(
            "[" + "".join(re.escape(c) for c in bmp) + _GLOSS_HINT_CHARS + "]"
        )

    def has_traditional(self, text: str) -> bool:
        if self.trad_bmp is not None and self.trad_bmp.search(text):
            return True
        # Characters outside the BMP would make the class above a slow list; check them apart.
        return (
            bool(self.trad_astral)
            and _ASTRAL.search(text) is not None
            and not (self.trad_astral.isdisjoint(text))
        )

    def convert(self, text: str) -> str:
        if not self.usable:  # pragma: no cover
            return self.cc.convert(text)
        if not self.has_traditional(text):
            return text
        if self.phrases is not None and self.phrases.search(text):
            return self.cc.convert(text)
        return text.translate(self.table)


# Any character a pinyin gloss needs: a tone-marked vowel (or ü). No such character, no gloss.
_GLOSS_HINT_CHARS = "\u00e0-\u00fc\u0101-\u01dc\u0300-\u036f"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_t2s: _T2S | None = None


def _converter() -> _T2S:
    global _t2s
    if _t2s is None:
        _t2s = _T2S()
    return _t2s


def may_need_simplifying(text: str) -> bool:
    """False when ``to_simplified(text) == text`` for sure (one fast pass over ``text``).

    For whole tables: a simplified catalog (the usual case) then skips to_simplified per cell.
    """
    if not text or text.isascii():
        return False
    conv = _converter()
    if not conv.usable or conv.trad_or_gloss.search(text):
        return True
    return (
        bool(conv.trad_astral)
        and _ASTRAL.search(text) is not None
        and not (conv.trad_astral.isdisjoint(text))
    )


def to_simplified(text: str | None) -> str:
    """Traditional → simplified (OpenCC t2s), pinyin glosses "字(pīn)" removed.

    ASCII and already-simplified text is returned unchanged without calling OpenCC.
    """
    if not text:
        return ""
    if not isinstance(text, str):
        text = str(text)
    if text.isascii():
        return text
    if ("(" in text or "（" in text) and _GLOSS.search(text):
        text = _GLOSS.sub("", text)
    return _converter().convert(text)


# --------------------------------------------------------------------------------------------
# Whitespace
# --------------------------------------------------------------------------------------------

_SPACE_CHARS = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
_SPACE_CHARS += "\u200a\u202f\u205f\u3000"
_CLEAN_TABLE: dict[int, str | None] = dict.fromkeys(map(ord, _SPACE_CHARS), " ")
_CLEAN_TABLE |= dict.fromkeys(map(ord, "\u2028\u2029\x0b\x0c\x85"), "\n")
# Zero-width and other invisible format characters, and C0 controls other than \n.
_CLEAN_TABLE |= dict.fromkeys(
    map(ord, "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"),
    None,
)
_CLEAN_TABLE |= dict.fromkeys((c for c in range(32) if c not in (9, 10, 11, 12, 13)), None)
_CLEAN_TABLE[0x7F] = None
_MULTI_SPACE = re.compile(r" {2,}")
_SPACE_AROUND_NL = re.compile(r" *\n[ \n]*")
_XLSX_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def clean_text(text: str | None) -> str:
    """Tidy whitespace, keeping line breaks.

    Full-width spaces, NBSP and tabs become spaces; zero-width characters and control
    characters go; runs of spaces collapse to one; spaces around line breaks and blank lines
    go (PDF and Word copies are full of them); leading/trailing whitespace is stripped.
    Excel's "_x000D_" escapes are decoded. Idempotent.
    """
    if not text:
        return ""
    if not isinstance(text, str):
        text = str(text)
    if (
        text.isprintable()
        and "  " not in text
        and text[0] != " "
        and text[-1] != " "
        and "_x" not in text
    ):
        return text
    if "_x" in text:
        text = _XLSX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CLEAN_TABLE)
    text = _MULTI_SPACE.sub(" ", text)
    if "\n" in text:
        text = _SPACE_AROUND_NL.sub("\n", text)
    return text.strip(" \n")


# --------------------------------------------------------------------------------------------
# Tick marks
# --------------------------------------------------------------------------------------------

_TICK_TRUE = frozenset(
    ["√", "✓", "✔", "✔️", "☑", "■", "●", "◼", "▣", "✅", "是", "有", "对", "对勾"]
    + ["1", "1.0", "Y", "y", "YES", "Yes", "yes", "V", "v", "TRUE", "True", "true"]
)
_TICK_FALSE = frozenset(
    ["", "×", "✗", "✘", "✕", "否", "□", "☐", "○", "N", "n", "NO", "No", "no", "0", "0.0"]
    + ["FALSE", "False", "false", "x", "X", "-", "—", "－", "─", "——", "/", "／", "无"]
)
_TICK_CHARS = frozenset("√✓✔☑■●◼▣✅")


def parse_ticks(text: str | None) -> bool | None:
    """One tick cell: True (√ ✓ ✔ ☑ ■ 是 1 Y …), False (empty, × 否 □ …), None = unreadable."""
    if text is None:
        return False
    if not isinstance(text, str):
        text = str(text)
    if text in _TICK_TRUE:
        return True
    if text in _TICK_FALSE:
        return False
    s = clean_text(text).replace(" ", "").replace("\n", "")
    if s in _TICK_TRUE:
        return True
    if s in _TICK_FALSE:
        return False
    if s and all(c in _TICK_CHARS for c in s):  # "√√"
        return True
    return None


# --------------------------------------------------------------------------------------------
# Levels, audience, mode as free text
# --------------------------------------------------------------------------------------------

_LEVEL_ORDER = [code for code, _ in LEVELS]
_LEVEL_CHAR = {
    "省": "province",
    "市": "city",
    "州": "city",
    "盟": "city",
    "县": "county",
    "区": "county",
    "旗": "county",
    "乡": "township",
    "镇": "township",
    "街": "township",
    "村": "village",
    "居": "village",
}
_LEVEL_WORDS = (
    ("社区", "村"),
    ("居委会", "村"),
    ("村委会", "村"),
    ("嘎查", "村"),
    ("苏木", "乡"),
    ("街道", "街"),
    ("地市", "市"),
    ("地级", "市"),
    ("自治州", "州"),
    ("直辖", ""),
)
_PARENS = re.compile(r"[(（][^()（）]*[)）]")
_NON_LEVEL = re.compile(r"[^省市州盟县区旗乡镇街村居]")


@lru_cache(maxsize=1024)
def _levels(text: str) -> tuple[str, ...]:
    s = to_simplified(clean_text(text))
    # "镇（街）级", "村（居）级", "县（市、区）级": the bracket only widens the level before it.
    s = _PARENS.sub("", s)
    for word, repl in _LEVEL_WORDS:
        s = s.replace(word, repl)
    found = {_LEVEL_CHAR[c] for c in _NON_LEVEL.sub("", s)}
    return tuple(code for code in _LEVEL_ORDER if code in found)


def parse_levels_text(text: str | None) -> list[str]:
    """ "县级、乡级" → [county, township]; "镇（街）级" → [township]; "乡、村级" → [township,
    village]; "区级" → [county]; "州级" → [city]. Unknown text → []."""
    if not text:
        return []
    return list(_levels(str(text)))


_AUDIENCE_WORDS = (
    ("特定群体", "specific"),
    ("特定群众", "specific"),
    ("特定对象", "specific"),
    ("特定人群", "specific"),
    ("全社会", "public"),
    ("社会公众", "public"),
    ("全体公众", "public"),
    ("公众", "public"),
)
_AUDIENCE_ORDER = [code for code, _ in AUDIENCES]
_MODE_ORDER = [code for code, _ in MODES]


def parse_audience_text(text: str | None) -> list[str]:
    """ "全社会" → [public]; "特定群体"/"特定群众" → [specific]; both → both; else []."""
    if not text:
        return []
    s = to_simplified(str(text))
    found = {code for word, code in _AUDIENCE_WORDS if word in s}
    return [code for code in _AUDIENCE_ORDER if code in found]


def parse_mode_text(text: str | None) -> list[str]:
    """ "主动" → [proactive]; "依申请(公开)" → [on_request]; "主动、依申请" → both; else []."""
    if not text:
        return []
    s = to_simplified(str(text))
    found = set()
    if "主动" in s:
        found.add("proactive")
    if "依申请" in s or "申请公开" in s:
        found.add("on_request")
    return [code for code in _MODE_ORDER if code in found]


# --------------------------------------------------------------------------------------------
# Channels
# --------------------------------------------------------------------------------------------

_CHANNEL_ORDER = [code for code, _ in CHANNELS]
# Spelling drift seen in real catalogs beyond the shared alias table.
_EXTRA_CHANNEL_ALIASES = {
    "入户/现场宣传": "on_site",
    "人户/现场": "on_site",  # OCR: 人 for 入
    "入户": "on_site",
    "现场": "on_site",
    "两微一端": "new_media",
    "政务新媒体": "new_media",
    "新媒体": "new_media",
    "政务微博": "new_media",
    "政务微信": "new_media",
    "微博": "new_media",
    "微信": "new_media",
    "微信公众号": "new_media",
    "政务客户端": "new_media",
    "广播电视": "broadcast",
    "纸质媒体": "print",
    "报刊杂志": "print",
    "公开查阅场所": "reading_point",
    "政府信息公开查阅点": "reading_point",
    "便民服务中心": "service_station",
    "便民服务点": "service_station",
    "公示栏": "notice_board",
    "公告栏": "notice_board",
    "电子屏": "notice_board",
    "村公示栏": "notice_board",
    "其它": "other",
}


def _channel_key(text: str) -> str:
    """Comparable form of a channel name: no spaces, ASCII brackets, 、 inside names as /."""
    return (
        text.replace("（", "(")
        .replace("）", ")")
        .replace("／", "/")
        .replace("、", "/")
        .replace(" ", "")
        .replace("\n", "")
    )


_CHANNEL_LABELS: dict[str, str] = {}
for _code, _label in CHANNELS:
    _CHANNEL_LABELS[_channel_key(_label)] = _code
for _alias, _code in {**CHANNEL_ALIASES, **_EXTRA_CHANNEL_ALIASES}.items():
    _CHANNEL_LABELS.setdefault(_channel_key(_alias), _code)
# "社区/企事业单位/村公示栏(电子屏)" with and without the bracket; "发布会/听证会"; …


def _flex(label: str) -> str:
    """A regex for a label whose parts may be split by spaces/line breaks, / or 、."""
    out = []
    for c in label:
        if c == "/":
            out.append(r"\s*[/、／]\s*")
        elif c == "(":
            out.append(r"\s*[(（]\s*")
        elif c == ")":
            out.append(r"\s*[)）]")
        else:
            out.append(re.escape(c) + r"\s*")
    return "".join(out)


# Labels that contain a separator must be found before the text is split on separators.
_PROTECTED_LABELS = sorted((k for k in _CHANNEL_LABELS if "/" in k), key=lambda k: (-len(k), k))
_PROTECTED = re.compile(
    r"(?<![\u4e00-\u9fff])(?:"
    + "|".join(f"(?P<p{i}>{_flex(k)})" for i, k in enumerate(_PROTECTED_LABELS))
    + ")"
)
_URL = re.compile(r"(?:https?://|www\.)[^\s()（）\[\]<>\"'，、；;■□☐|]+", re.IGNORECASE)
_TICKED = "■☑✓✔√☒▣◼●"
_UNTICKED = "□☐◻○"
# 口 (OCR/typing for □) and t (OCR for ■) count as boxes only at the start of an entry and
# right before a name: "口公开查阅点", "t政府网站".
_MARKER = re.compile(
    rf"[{_TICKED}{_UNTICKED}]"
    rf"|(?:^|(?<=[\s、，,;；/|:：\x01\x02{_TICKED}{_UNTICKED}]))[口tT](?=[ ]*[\u4e00-\u9fff\x01])"
)
_STRONG_SEPARATORS = re.compile(r"[、，,;；\s|]+")
_WEAK_SEPARATORS = re.compile(r"[/／]+")
_OR_OTHER = re.compile(r"(?:或者?|及|和|以及|等)(?=其[他它])")
_MOJIBAKE = re.compile(r"[?？\ufffd]+")
_EMPTY_CELLS = frozenset({"—", "-", "/", "无", "─", "——", "－", "／", "–", "―", "\\", "暂无"})
_PIECE_STRIP = " :：.。;；,，、·-—"
_WEBSITE_SUFFIXES = ("政府网站", "政府网", "门户网站", "政府门户网", "人民政府网")
_BOARD_SUFFIXES = ("公示栏", "公告栏", "公开栏", "宣传栏", "公示牌", "公开墙", "电子屏")


def _trim_piece(piece: str) -> str:
    piece = piece.strip(_PIECE_STRIP)
    while piece:
        if piece[0] in "(（" and not any(c in piece for c in ")）") or piece[0] in ")）":
            piece = piece[1:].strip(_PIECE_STRIP)
        elif piece[-1] in "(（" or piece[-1] in ")）" and not any(c in piece for c in "(（"):
            piece = piece[:-1].strip(_PIECE_STRIP)
        elif piece[0] in "(（" and piece[-1] in ")）":
            piece = piece[1:-1].strip(_PIECE_STRIP)
        else:
            break
    return piece


def _map_piece(piece: str, protected: list[str]) -> tuple[str | None, str]:
    """One channel name → (code or None, text for channels_other)."""
    if piece.startswith("\x01"):
        return protected[int(piece.strip("\x01"))], ""
    piece = _trim_piece(piece)
    if not piece:
        return None, ""
    key = _channel_key(piece)
    code = _CHANNEL_LABELS.get(key)
    if code is not None:
        return code, ""
    for suffix in ("公开", "发布", "公示", "公布"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            code = _CHANNEL_LABELS.get(key[: -len(suffix)])
            if code is not None:
                return code, ""
            piece = piece[: -len(suffix)].rstrip()
            key = key[: -len(suffix)]
            break
    if key.startswith(("其他", "其它")):
        return "other", _trim_piece(piece[2:])
    if key.endswith(_WEBSITE_SUFFIXES):
        return "website", piece
    if key.endswith(_BOARD_SUFFIXES):
        return "notice_board", piece
    return "other", piece


_OTHER_ENTRY = re.compile(r"其[他它]\s*[：:]\s*(.+)", re.S)
_URL_SLOT = re.compile(r"\s*\x02(\d+)\x02\s*")


def _segment(text: str, urls: list[str], protected: list[str]) -> tuple[list[str], list[str], bool]:
    """Names in one checkbox entry (or a plain list) → (codes, texts, had_any_name).

    Strong separators (、，; spaces) always split; "/" splits only when a part is a known
    channel ("政府网站/财政部门网站"), so "街道文化站/(社区)综合性文化服务中心公示栏" stays one
    name.
    """
    codes: list[str] = []
    texts: list[str] = []
    trimmed = _trim_piece(text)
    whole = _channel_key(trimmed)
    if whole in _CHANNEL_LABELS:
        return [_CHANNEL_LABELS[whole]], [], True
    # "■其他：A、B" — the text after 其他 is one free-text entry, kept as written.
    other = _OTHER_ENTRY.match(trimmed)
    if other and "\x01" not in other.group(1):
        rest = _URL_SLOT.sub(lambda m: f" {urls[int(m.group(1))]} ", other.group(1))
        rest = " ".join(rest.split())
        return ["other"], [rest] if rest else [], True
    seg_urls: list[str] = []
    named = False
    for chunk in _STRONG_SEPARATORS.split(text):
        if not chunk:
            continue
        if chunk.startswith("\x02"):
            seg_urls.append(urls[int(chunk.strip("\x02"))])
            continue
        pieces = [chunk]
        if "/" in chunk or "／" in chunk:
            parts = [p for p in _WEAK_SEPARATORS.split(chunk) if _trim_piece(p)]
            if any(_channel_key(_trim_piece(p)) in _CHANNEL_LABELS for p in parts):
                pieces = parts
        for piece in pieces:
            code, other = _map_piece(piece, protected)
            if code is None:
                continue
            named = True
            codes.append(code)
            if other:
                texts.append(other)
    if seg_urls:
        # A URL after a name belongs to it ("政府网站(http://…)"); alone it is a website.
        if not codes:
            codes.append("website")
        texts.extend(seg_urls)
        named = True
    return codes, texts, named


@lru_cache(maxsize=8192)
def _channels(text: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    s = to_simplified(clean_text(text))
    if not s or s in _EMPTY_CELLS:
        return (), "", ()
    urls: list[str] = []

    def keep_url(m: re.Match[str]) -> str:
        urls.append(m.group(0).rstrip(".。"))
        return f" \x02{len(urls) - 1}\x02 "

    if "http" in s or "www." in s or "HTTP" in s or "WWW." in s:
        s = _URL.sub(keep_url, s)
    if "?" in s or "？" in s or "\ufffd" in s:
        s = _MOJIBAKE.sub(" ", s)
    protected: list[str] = []
    if "/" in s or "、" in s or "／" in s:

        def keep_label(m: re.Match[str]) -> str:
            protected.append(_CHANNEL_LABELS[_PROTECTED_LABELS[int(m.lastgroup[1:])]])
            return f" \x01{len(protected) - 1}\x01 "

        s = _PROTECTED.sub(keep_label, s)
    s = _OR_OTHER.sub("、", s)

    codes: list[str] = []
    texts: list[str] = []
    problems: list[str] = []
    markers = list(_MARKER.finditer(s))
    if not markers:
        c, t, _ = _segment(s, urls, protected)
        codes += c
        texts += t
    else:
        head = s[: markers[0].start()]
        if head.strip(_PIECE_STRIP + "\n"):
            c, t, _ = _segment(head, urls, protected)  # names written without a box
            codes += c
            texts += t
        for i, m in enumerate(markers):
            end = markers[i + 1].start() if i + 1 < len(markers) else len(s)
            ticked = m.group(0) not in _UNTICKED and m.group(0) != "口"
            if not ticked:
                continue
            c, t, named = _segment(s[m.end() : end], urls, protected)
            if not named:
                problems.append(f"勾选标记“{m.group(0)}”后没有渠道名称")
                continue
            codes += c
            texts += t
    ordered = tuple(code for code in _CHANNEL_ORDER if code in set(codes))
    unique_texts: list[str] = []
    for t in texts:
        if t not in unique_texts:
            unique_texts.append(t)
    return ordered, "；".join(unique_texts), tuple(problems)


def _parse_channels_cached(text: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """parse_channels without the list copies, for the parser's hot loop (do not mutate)."""
    if not text:
        return (), "", ()
    return _channels(text)


def parse_channels(text: str | None) -> tuple[list[str], str, list[str]]:
    """A 公开渠道和载体 cell → (channel codes in template order, other text, problems).

    Checkbox lists ("■政府网站 □政府公报 ☑两微一端 口公开查阅点"; ■☑✓√ and an OCR "t" are
    ticked, □☐口 are not) and plain lists (政府网站、两微一端/广播 电视) are both read, with the
    spelling drift of real catalogs. Unknown names and "其他：…" give ``other`` with the text;
    a URL gives ``website`` (unless it follows another channel) with the URL as text; named
    government sites (XX政府网) give ``website`` and named boards (XX公告栏) ``notice_board``,
    keeping their text. Problems (Chinese) are only for a ticked box with no name after it.
    """
    if not text:
        return [], "", []
    codes, other, problems = _channels(text if isinstance(text, str) else str(text))
    return list(codes), other, list(problems)


# --------------------------------------------------------------------------------------------
# Domains
# --------------------------------------------------------------------------------------------

# Words that contain domain aliases by accident: "市政务公开" holds 市政, "市政府" too.
_DOMAIN_NOISE = re.compile(r"政务|政府|[\s\u3000]+")


class DomainMatcher:
    """Find a domain in a title, sheet name or caption.

    ``domains`` are (code, name, aliases). The longest name or alias found anywhere in the
    (simplified) text wins, so 国有土地上房屋征收与补偿 beats 房屋征收 and 公共法律服务 beats
    法律服务. A text equal to a domain code also matches.
    """

    def __init__(self, domains: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        needles: dict[str, str] = {}
        self.codes: dict[str, str] = {}
        self.names: set[str] = set()  # the domains' own names, simplified
        for code, name, aliases in domains:
            self.codes[code.lower()] = code
            self.names.add(to_simplified(clean_text(name)))
            for word in (name, *(aliases or ())):
                key = _DOMAIN_NOISE.sub("", to_simplified(clean_text(word)))
                if key and key not in needles:
                    needles[key] = code
        self._needles = sorted(needles.items(), key=lambda kv: -len(kv[0]))

    def match(self, text: str | None) -> str | None:
        if not text:
            return None
        if not isinstance(text, str):
            text = str(text)
        plain = text.strip()
        if plain.lower() in self.codes:
            return self.codes[plain.lower()]
        s = _DOMAIN_NOISE.sub("", to_simplified(unicodedata.normalize("NFKC", text)))
        for needle, code in self._needles:
            if needle in s:
                return code
        return None
