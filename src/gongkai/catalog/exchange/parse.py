"""SourceTable → RowData + Problems: find the header, recognise columns, normalise rows.

Pure Python (no Django). The header is found among the first rows by the number of header
words it holds; a second header row directly below (一级事项/二级事项, 全社会/特定群体,
主动/依申请, 县级/乡级 …) is merged with it, a sub-header taking the meaning of the merged
group cell above it. Columns are recognised by their header text in all the variants real
catalogs use; unknown columns are ignored (listed in ``TableParse.ignored_columns``) and
kept in ``RowData.original``.

Data rows: blank rows, repeated header rows (tables continued over pages) and rows holding
only a 序号 are skipped; "同上" copies the cell above; a blank 一级事项 is carried down from
the row above (vertically merged cells); every element is cleaned and converted to
simplified characters; "—", "/", "无" mean empty.
"""

from __future__ import annotations

import gc
import re
from functools import lru_cache
from operator import itemgetter

from ..timelimits import is_same_as_above
from ..vocabularies import AUDIENCES, CHANNELS, LEVELS, MODES
from .model import ELEMENT_KEYS, Problem, RowData, SourceTable, TableParse
from .normalize import (
    DomainMatcher,
    _parse_channels_cached,
    clean_text,
    may_need_simplifying,
    parse_audience_text,
    parse_channels,
    parse_levels_text,
    parse_mode_text,
    parse_ticks,
    to_simplified,
)

__all__ = ["HEADER_SCAN_ROWS", "MIN_COLUMNS", "NAME_MAX_CHARS", "parse_table"]

HEADER_SCAN_ROWS = 15
MIN_COLUMNS = 3  # a catalog needs 二级事项 and at least two more recognised columns
NAME_MAX_CHARS = 5000

MSG_HEADER = "未能识别表头：{detail}。请使用标准目录模板或检查表头文字。"
MSG_DOMAIN = "无法确定所属领域：请在表格标题中写明领域，或用 --domain 指定"
MSG_LEVEL2 = "二级事项不能为空"
MSG_TICK = "无法识别的勾选标记"
MSG_TOO_LONG = f"名称超过{NAME_MAX_CHARS}字，请检查单元格内容是否错位"
MSG_FREE = {
    "audience": "无法识别的公开对象",
    "mode": "无法识别的公开方式",
    "levels": "无法识别的公开层级",
}

# Column kinds. A meaning is (kind, key, codes):
#   ("text", element key, ())       code, level1..3, content, basis, time_limit_text, subject_text,
#                                   channels_other, audience_note
#   ("channels", "channels", ())    a 公开渠道和载体 cell (checkbox list or names)
#   ("url", "channels", ())         a 网址 column: its text joins the channels
#   ("free", audience|mode|levels, ()) one column written as text ("全社会", "主动", "县级")
#   ("tick", key, codes)            one √ column (全社会 → audience/public, 乡、村级 → levels/…)
#   ("domain", "domain", ())        a 领域 column (CSV exports): the row's domain
#   ("seq", "", ()) / ("ignore", "", ())  序号 / 五公开, 备注, 编制单位 …: known, not used
Meaning = tuple[str, str, tuple[str, ...]]

_T = "text"
_HEADER_WORDS: dict[str, Meaning] = {}


def _add(kind: str, key: str, words: str, codes: tuple[str, ...] = ()) -> None:
    for word in words.split():
        _HEADER_WORDS[word] = (kind, key, codes)


_add("seq", "", "序号 序 编号 顺序号 行号 No. NO. No")
_add(_T, "code", "事项编码 编码 事项代码 代码 目录编码 事项编号 目录代码 标准编码 编码号")
_add(
    _T, "level1", "一级事项 公开事项 事项类别 事项类型 类别 一级事项名称 一级 公开事项类别 事项分类"
)
_add(
    _T,
    "level2",
    "二级事项 事项名称 公开事项名称 二级事项名称 二级 子项 子项名称 名称 事项 项目名称 "
    "信息名称 公开信息名称 目录名称 清单名称 具体事项",
)
_add(_T, "level3", "三级事项 三级事项名称 三级")
_add(
    _T,
    "content",
    "公开内容 公开内容(要素) 公开要素 内容 公开内容要素 主要内容 具体内容 公开的内容 公开标准",
)
_add(_T, "basis", "公开依据 依据 法律依据 政策依据 公开的依据")
_add(_T, "time_limit_text", "公开时限 时限 公开时间 公开期限 时间要求 时限要求 公开时效")
_add(
    _T,
    "subject_text",
    "公开主体 责任主体 责任单位 公开单位 主体 公开责任主体 责任部门 公开部门 公开责任单位 "
    "实施主体 发布主体",
)
_add(
    "channels",
    "channels",
    "公开渠道和载体 公开渠道 公开渠道及载体 公开载体 渠道 载体 公开渠道与载体 渠道和载体 "
    "公开渠道和方式 渠道及载体 公开途径 发布途径 发布渠道 公开平台 公开媒介 公开载体和渠道",
)
_add(_T, "channels_other", "其他渠道 其它渠道 其他公开渠道 其他渠道说明")
_add("url", "channels", "网址 公开网址 链接 网站地址 网站链接 公开网址链接 公开链接 公开网站")
_add("free", "audience", "公开对象 公开范围 对象")
_add("free", "mode", "公开方式 方式 公开形式 公开类型 公开方式(主动/依申请)")
_add("free", "levels", "公开层级 层级 公开层次 实施层级 公开级别 级别 适用层级 公开主体层级")
_add(_T, "audience_note", "特定群体说明 公开对象说明 特定群众说明 特定对象说明")
_add("tick", "audience", "全社会 社会公众 全社会公开 面向全社会", ("public",))
_add("tick", "audience", "特定群体 特定群众 特定对象 特定人群 面向特定群体", ("specific",))
_add("tick", "mode", "主动 主动公开", ("proactive",))
_add("tick", "mode", "依申请 依申请公开 申请公开", ("on_request",))
_add("domain", "domain", "领域 所属领域 公开领域 领域名称 试点领域")
_add(
    "ignore",
    "",
    "五公开 备注 说明 编制单位 填报单位 决策 执行 管理 服务 结果 决策公开 执行公开 管理公开 "
    "服务公开 结果公开 公开类别 是否公开 状态",
)

_CONTAINS: tuple[tuple[str, Meaning], ...] = (
    ("其他渠道", (_T, "channels_other", ())),
    ("渠道", ("channels", "channels", ())),
    ("载体", ("channels", "channels", ())),
    ("途径", ("channels", "channels", ())),
    ("依据", (_T, "basis", ())),
    ("时限", (_T, "time_limit_text", ())),
    ("期限", (_T, "time_limit_text", ())),
    ("主体", (_T, "subject_text", ())),
    ("责任单位", (_T, "subject_text", ())),
    ("责任部门", (_T, "subject_text", ())),
    ("群体说明", (_T, "audience_note", ())),
    ("对象", ("free", "audience", ())),
    ("层级", ("free", "levels", ())),
    ("级别", ("free", "levels", ())),
    ("方式", ("free", "mode", ())),
    ("形式", ("free", "mode", ())),
    ("网址", ("url", "channels", ())),
    ("编码", (_T, "code", ())),
    ("代码", (_T, "code", ())),
    ("三级事项", (_T, "level3", ())),
    ("二级事项", (_T, "level2", ())),
    ("事项名称", (_T, "level2", ())),
    ("一级事项", (_T, "level1", ())),
    ("内容", (_T, "content", ())),
    ("要素", (_T, "content", ())),
    ("序号", ("seq", "", ())),
    ("备注", ("ignore", "", ())),
    ("五公开", ("ignore", "", ())),
)
_BRACKETS = re.compile(r"\([^()]*\)")
_HEADER_STRIP = " *＊★☆:：.。、·"
_ELEMENT_KINDS = frozenset({"text", "channels", "url", "free", "tick", "domain"})
_DASHES = frozenset({"—", "-", "/", "无", "─", "——", "－", "／", "–", "―", "--", "—-", "\\"})
_NUMERIC_CODE = re.compile(r"\d{2,}(?:[.\-]\d+)*")


@lru_cache(maxsize=4096)
def _hkey(text: str) -> str:
    """Comparable form of a header cell: simplified, no whitespace, ASCII brackets."""
    s = to_simplified(clean_text(text))
    s = "".join(s.split())
    s = s.replace("（", "(").replace("）", ")").replace("【", "(").replace("】", ")")
    return s.strip(_HEADER_STRIP)


@lru_cache(maxsize=4096)
def _meaning(text: str) -> Meaning | None:
    """What a header cell names, or None."""
    if not text or len(text) > 40:
        return None
    key = _hkey(text)
    if not key:
        return None
    found = _HEADER_WORDS.get(key)
    if found:
        return found
    bare = _BRACKETS.sub("", key).strip(_HEADER_STRIP)
    if bare != key:
        if not bare:
            return None
        found = _HEADER_WORDS.get(bare)
        if found:
            return found
    if len(bare) <= 8 and bare.endswith("级"):
        codes = parse_levels_text(bare)
        if codes:
            return ("tick", "levels", tuple(codes))
    if len(bare) <= 12:
        for word, meaning in _CONTAINS:
            if word in bare:
                return meaning
    return None


@lru_cache(maxsize=4096)
def _sub_meaning(group: Meaning | None, text: str) -> Meaning | None:
    """A sub-header under a merged group cell: 特定群众 under 公开对象, 乡、村级 under 公开层级."""
    if group is not None and group[0] in ("free", "channels"):
        key = group[1]
        if key == "audience":
            codes = parse_audience_text(_hkey(text))
        elif key == "mode":
            codes = parse_mode_text(_hkey(text))
        elif key == "levels":
            codes = parse_levels_text(_hkey(text))
        else:
            codes, _, _ = parse_channels(text)
        if codes:
            return ("tick", key, tuple(codes))
    return _meaning(text)


def _is_blank(text: str) -> bool:
    return not text or not clean_text(text)


class _Column:
    __slots__ = ("index", "kind", "key", "codes", "name", "group")

    def __init__(self, index: int, meaning: Meaning | None, name: str, group: str) -> None:
        self.index = index
        self.kind, self.key, self.codes = meaning or ("unknown", "", ())
        self.name = name
        self.group = group


class _Header:
    """Where the header is and what each column means."""

    def __init__(self, table: SourceTable) -> None:
        rows = table.rows
        scan = rows[:HEADER_SCAN_ROWS]
        scores = [self._score(r) for r in scan]
        self.top = max(range(len(scan)), key=lambda i: (scores[i], -i)) if scan else 0
        self.sub: int | None = None
        self.score = scores[self.top] if scan else 0
        if self.score == 0:
            self.columns: list[_Column] = []
            return
        best = self.top
        if best > 0 and scores[best - 1] >= 2 and self._is_sub_row(rows[best - 1], rows[best]):
            self.top, self.sub = best - 1, best
        elif best + 1 < len(rows) and self._is_sub_row(rows[best], rows[best + 1]):
            self.sub = best + 1
        width = max((len(r) for r in rows), default=0)
        self.columns = self._columns(rows, width)

    @staticmethod
    def _score(row: list[str]) -> int:
        return sum(1 for c in row if c and _meaning(c) is not None)

    @staticmethod
    def _groups(top: list[str], sub: list[str]) -> list[tuple[str, str]]:
        """(group text, sub text) per column; a group label carries right over "" cells."""
        out = []
        carry = ""
        for j in range(max(len(top), len(sub))):
            t = clean_text(top[j]) if j < len(top) else ""
            s = clean_text(sub[j]) if j < len(sub) else ""
            if s and _hkey(s) == _hkey(t):
                s = ""  # a vertically merged cell repeated in both rows (docx)
            if t:
                carry = t
                group = t
            elif s and carry:
                group = carry
            else:
                group = ""
            out.append((group, s))
        return out

    def _is_sub_row(self, top: list[str], sub: list[str]) -> bool:
        seen = False
        for group, s in self._groups(top, sub):
            if not s:
                continue
            if _sub_meaning(_meaning(group) if group else None, s) is None:
                return False
            seen = True
        return seen

    def _columns(self, rows: list[list[str]], width: int) -> list[_Column]:
        top = list(rows[self.top]) + [""] * (width - len(rows[self.top]))
        sub = list(rows[self.sub]) if self.sub is not None else []
        columns = []
        names: set[str] = set()
        for j, (group, s) in enumerate(self._groups(top, sub)):
            if s:
                meaning = _sub_meaning(_meaning(group) if group else None, s)
                name = "".join(s.split())
            else:
                meaning = _meaning(group) if group else None
                name = "".join(group.split())
            group_name = "".join(group.split())
            if not name:
                name = f"第{j + 1}列"
                meaning = ("blank", "", ())
            if name in names:
                for candidate in (f"{group_name}/{name}", f"{name}（第{j + 1}列）"):
                    if candidate not in names:
                        name = candidate
                        break
            names.add(name)
            columns.append(_Column(j, meaning, name, group_name if s else ""))
        return columns


def _domain_texts(table: SourceTable, header_top: int) -> list[str]:
    texts = []
    for row in table.rows[:header_top]:
        line = " ".join(c for c in row if c and c.strip())
        if line:
            texts.append(line)
    texts.extend(t for t in table.titles if t)
    if table.name:
        texts.append(table.name)
    return texts


def _text_value(raw: str) -> str:
    s = clean_text(raw)
    if s in _DASHES:
        return ""
    return to_simplified(s)


def _clean_value(raw: str) -> str:
    """_text_value for a table known to hold no traditional character and no gloss."""
    s = clean_text(raw)
    return "" if s in _DASHES else s


def _fill_merged(table: SourceTable, start: int) -> list[list[str]]:
    """Rows with vertically merged data cells filled down (readers that know merges)."""
    rows = table.rows
    if not table.merged:
        return rows
    rows = list(rows)
    copied: set[int] = set()
    for r0, c0, r1, _c1 in table.merged:
        if r1 <= r0 or r0 < start or r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        if not value:
            continue
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            if c0 < len(rows[r]) and not rows[r][c0]:
                if r not in copied:
                    rows[r] = list(rows[r])
                    copied.add(r)
                rows[r][c0] = value
    return rows


def parse_table(
    table: SourceTable, matcher: DomainMatcher, domain_override: str | None = None
) -> TableParse:
    """One table → normalised rows and every problem found (never raises on cell content)."""
    rows = table.rows
    numbers = table.row_numbers
    name = table.name

    def number(i: int) -> int:
        return numbers[i] if i < len(numbers) else i + 1

    filled_columns = {j for r in rows for j, c in enumerate(r) if c and c.strip()}
    if len(filled_columns) < MIN_COLUMNS:
        # Blank, or too narrow to be a catalog: a page's navigation or footer table.
        return TableParse(rows=[], problems=[])

    header = _Header(table)
    cols = header.columns
    ignored = [c.name for c in cols if c.kind not in _ELEMENT_KINDS and c.kind != "seq"]
    start = (header.sub if header.sub is not None else header.top) + 1

    # A numeric column without a header of its own (锡林浩特's 0505 beside 二级事项), or a 序号
    # column holding such codes, is the item code when no column is named so.
    by_key: dict[str, _Column] = {}
    for c in cols:
        if c.kind == "text" and c.key not in by_key:
            by_key[c.key] = c
        elif c.kind == "text":
            c.kind = "dup"
            ignored.append(c.name)
    if "code" not in by_key:
        sample = rows[start : start + 50]
        for c in cols:
            if c.kind not in ("blank", "seq"):
                continue
            values = [r[c.index].strip() for r in sample if c.index < len(r) and r[c.index].strip()]
            numeric = bool(values) and all(_NUMERIC_CODE.fullmatch(v) for v in values)
            if numeric and (
                any(v[0] == "0" and len(v) >= 3 for v in values)
                or (c.kind == "blank" and any(len(v) >= 4 or "." in v for v in values))
            ):
                if c.name in ignored:
                    ignored.remove(c.name)
                c.kind, c.key = "text", "code"
                by_key["code"] = c
                break
    # A table with a 公开事项 column and no 二级事项 names its items there.
    if "level2" not in by_key and "level1" in by_key:
        c = by_key.pop("level1")
        c.key = "level2"
        by_key["level2"] = c

    element_cols = [c for c in cols if c.kind in _ELEMENT_KINDS]
    first_row = number(0)
    if header.score == 0 or "level2" not in by_key or len(element_cols) < 3:
        found = "、".join(c.name for c in element_cols) or "无"
        if "level2" not in by_key:
            detail = f"没有找到“二级事项”（事项名称）列，已识别的列：{found}"
        else:
            detail = f"只识别出{len(element_cols)}列（{found}）"
        problem = Problem(first_row, "", "", MSG_HEADER.format(detail=detail), name)
        return TableParse(rows=[], problems=[problem], ignored_columns=ignored)

    # Domain: override, else title rows above the header, the table's titles, its name.
    domain_col = next((c for c in cols if c.kind == "domain"), None)
    domain = domain_override
    if domain is None:
        for text in _domain_texts(table, header.top):
            domain = matcher.match(text)
            if domain:
                break
    problems: list[Problem] = []

    columns: dict[str, str] = {}
    for c in element_cols:
        if c.kind in ("text", "channels", "free"):
            columns.setdefault(c.key, c.name)
    for key in ("audience", "mode", "levels", "channels"):
        ticks = [c for c in element_cols if c.kind == "tick" and c.key == key]
        if ticks and key not in columns:
            groups = {c.group for c in ticks if c.group}
            columns[key] = groups.pop() if len(groups) == 1 else "、".join(c.name for c in ticks)
    url_col = next((c for c in element_cols if c.kind == "url"), None)
    if url_col is not None:
        columns.setdefault("channels", url_col.name)

    gc_was_enabled = gc.isenabled()
    # The rows are acyclic (dicts and lists of strings): the cyclic collector would only walk
    # the growing result again and again (it doubles the time of a 100,000-row table).
    gc.disable()
    try:
        rows_out, row_problems = _parse_rows(
            table,
            header,
            cols,
            by_key,
            element_cols,
            start,
            domain,
            domain_col,
            domain_override,
            matcher,
        )
    finally:
        if gc_was_enabled:
            gc.enable()
    if (
        domain is None
        and domain_col is None
        and (not rows_out or any(r.domain is None for r in rows_out))
    ):  # nor did a section heading name one ("二、社会救助领域") above every row
        problems.append(Problem(number(header.top), "", name, MSG_DOMAIN, name))
    problems.extend(row_problems)
    if domain is None:
        found = {r.domain for r in rows_out}
        if len(found) == 1:
            domain = found.pop()
    # Columns with a header nobody recognised (or a second 公开内容) whose cells hold text:
    # their content is not imported, and the preview says so (not 备注/五公开, known).
    unread = [
        c.name
        for c in cols
        if c.kind in ("unknown", "dup")
        and any(
            c.index < len(rows[i]) and rows[i][c.index].strip() for i in range(start, len(rows))
        )
    ]
    return TableParse(
        rows=rows_out,
        problems=problems,
        columns=columns,
        domain=domain,
        ignored_columns=ignored,
        unread_columns=unread,
    )


def _parse_rows(
    table: SourceTable,
    header: _Header,
    cols: list[_Column],
    by_key: dict[str, _Column],
    element_cols: list[_Column],
    start: int,
    domain: str | None,
    domain_col: _Column | None,
    domain_override: str | None,
    matcher: DomainMatcher,
) -> tuple[list[RowData], list[Problem]]:
    rows = table.rows
    numbers = table.row_numbers
    name = table.name
    text_cols = [(c.index, c.key) for c in by_key.values()]
    name_cols = [(c.index, c.name) for c in by_key.values() if c.key in _NAME_KEYS]
    chan_cols = [(c.index, c.name) for c in element_cols if c.kind in ("channels", "url")]
    tick_cols = [c for c in element_cols if c.kind == "tick"]
    free_cols = [c for c in element_cols if c.kind == "free"]
    marks_idx = [c.index for c in tick_cols + free_cols]
    marks_key = itemgetter(*marks_idx) if marks_idx else None
    seq_cols = [c.index for c in cols if c.kind == "seq"]
    level1_col = by_key["level1"].index if "level1" in by_key else None
    level2_col = by_key["level2"].index
    level2_name = by_key["level2"].name
    has_level3 = "level3" in by_key
    width = max(len(cols), max((len(r) for r in rows), default=0))
    names = [c.name for c in cols] + [f"第{j + 1}列" for j in range(len(cols), width)]

    # Repeated header rows (a table continued over pages) repeat these texts.
    header_rows = [rows[header.top]] + ([rows[header.sub]] if header.sub is not None else [])
    header_texts = {_hkey(c) for r in header_rows for c in r if c} - {""}
    header_raw = {c.strip() for r in header_rows for c in r if c}
    header_raw |= {"".join(c.split()) for c in header_raw} | {c for r in header_rows for c in r}
    header_raw.discard("")
    content_col = by_key["content"].index if "content" in by_key else level2_col

    data_rows = _fill_merged(table, start)
    # One look at the whole table decides whether cells need OpenCC or gloss removal at all:
    # a simplified catalog (the usual case) then costs only clean_text per cell.
    text_value = _text_value
    if text_cols:
        cells_of = itemgetter(*(j for j, _ in text_cols), 0)
        need = max(j for j, _ in text_cols) + 1
        parts = []
        for r in data_rows[start:]:
            parts.append("\x1f".join(cells_of(r if len(r) >= need else r + [""] * (need - len(r)))))
        if not may_need_simplifying("\x1f".join(parts)):
            text_value = _clean_value
        del parts

    template = dict.fromkeys(ELEMENT_KEYS, "")
    text_cache: dict[str, str] = {}
    marks_cache: dict[object, _Marks] = {}
    out: list[RowData] = []
    problems: list[Problem] = []
    prev: list[str] = [""] * width
    prev_level1 = ""
    section = ""  # the last section heading row's text (_section_heading)
    heading_cols = {0, level1_col} - {level2_col}
    prev_level2 = ""
    empty_row = [""] * width
    n_numbers = len(numbers)

    for i in range(start, len(data_rows)):
        cells = data_rows[i]
        joined = "".join(cells)
        stripped = joined.strip()
        if not stripped or (len(stripped) < 8 and _is_blank(stripped)):
            continue
        if len(cells) < width:
            cells = cells + empty_row[len(cells) :]
        if (
            cells[level2_col] in header_raw or cells[content_col] in header_raw
        ) and _looks_like_header(cells, header_texts):
            continue
        level2_raw = cells[level2_col].strip()
        # (A heading row has no name, or its text repeated in every cell: a data row
        # costs one comparison here.)
        single = _single_text(cells) if not level2_raw or level2_raw == cells[0].strip() else None
        if single is not None and _heading_column(cells) in heading_cols:
            # One text across the row, from the first or the 一级事项 column (where a cell
            # merged over the table starts): a note, the title repeated on a new page, a
            # heading naming a domain ("二、义务教育领域": the domain of the rows below)
            # or one naming an 一级事项 ("一、最低生活保障"). A lone text elsewhere, or a
            # row with just a name in the name column, is an item whose gaps are reported.
            if single.startswith(_NOTE_STARTS):
                continue
            heading = _section_heading(single)
            if heading is not None:
                if _names_a_domain(heading, matcher):
                    found = matcher.match(heading)
                    if found and domain_override is None and domain_col is None:
                        domain, section = found, ""
                    continue
                if not _is_title(heading):
                    section = prev_level1 = heading
                continue
        if not level2_raw or level2_raw.isdigit():
            if level2_raw and _is_number_row(cells):
                continue  # column numbers under the header: 1 2 3 4 …
            if (
                not level2_raw
                and seq_cols
                and stripped.isdigit()
                and all(not cells[j].strip() or j in seq_cols for j in range(width))
            ):
                continue  # a numbered but empty row of a template
            if not level2_raw and _is_note_row(cells):
                continue  # "注：…" under the table, or its title repeated on a new page
        row_no = numbers[i] if i < n_numbers else i + 1
        if "同" in joined:
            copied = False
            for j in range(width):
                c = cells[j]
                if c and len(c) <= 12 and "同" in c and is_same_as_above(c):
                    if not copied:
                        cells = list(cells)
                        copied = True
                    cells[j] = prev[j]
        prev = cells

        e = template.copy()
        for j, key in text_cols:
            raw = cells[j]
            v = text_cache.get(raw)
            if v is None:
                v = text_cache[raw] = text_value(raw)
            e[key] = v
        code = e["code"]
        if code and code.endswith(".0") and code[:-2].isdigit():
            e["code"] = code[:-2]  # a number cell read as a float
        if level1_col is None:
            e["level1"] = section  # no 一级事项 column: the section heading above, if any
        else:
            if e["level1"]:
                prev_level1 = e["level1"]
            elif cells[level1_col] and _is_dash(cells[level1_col]):
                prev_level1 = ""
            else:
                e["level1"] = prev_level1
        if e["level2"]:
            prev_level2 = e["level2"]
        elif has_level3 and e["level3"] and not level2_raw:
            e["level2"] = prev_level2  # 二级事项 merged down over its 三级事项

        if not e["level2"]:
            problems.append(Problem(row_no, level2_name, "", MSG_LEVEL2, name))
        if len(joined) > NAME_MAX_CHARS:
            for j, col_name in name_cols:
                if len(cells[j]) > NAME_MAX_CHARS:
                    value = cells[j][:50] + "…"
                    problems.append(Problem(row_no, col_name, value, MSG_TOO_LONG, name))

        # Channels: the channel cell(s), a 网址 column, ticked channel columns, 其他渠道.
        channels: tuple[str, ...] = ()
        other_text = e["channels_other"]
        others: list[str] | None = None
        for j, col_name in chan_cols:
            raw = cells[j]
            if not raw:
                continue
            codes, other, messages = _parse_channels_cached(raw)
            channels = _union(channels, codes, _CHANNEL_ORDER) if channels else codes
            if other:
                if not other_text:
                    other_text = other
                elif other != other_text:
                    others = others or [other_text]
                    if other not in others:
                        others.append(other)
            for message in messages:
                problems.append(Problem(row_no, col_name, raw[:200], message, name))

        # 公开对象/方式/层级 (and ticked channel columns): the same few patterns repeat.
        if marks_key is not None:
            key = marks_key(cells)
            marks = marks_cache.get(key)
            if marks is None:
                marks = _marks(tick_cols, free_cols, cells)
                if len(marks_cache) < 10000:
                    marks_cache[key] = marks
            if marks.channels:
                channels = _union(channels, marks.channels, _CHANNEL_ORDER)
            for text in marks.others:
                others = others or ([other_text] if other_text else [])
                if text not in others:
                    others.append(text)
            for col_name, value, message in marks.problems:
                problems.append(Problem(row_no, col_name, value, message, name))
            e["audience"] = list(marks.audience)
            e["mode"] = list(marks.mode)
            e["levels"] = list(marks.levels)
            if marks.note:
                note = e["audience_note"]
                e["audience_note"] = f"{note}；{marks.note}" if note else marks.note
        else:
            e["audience"] = []
            e["mode"] = []
            e["levels"] = []
        e["channels"] = list(channels)
        e["channels_other"] = "；".join(others) if others else other_text

        row_domain = domain
        if domain_col is not None and domain_override is None:
            cell = cells[domain_col.index]
            found = matcher.match(cell) if cell.strip() else None
            if found:
                row_domain = found
            elif row_domain is None:
                problems.append(Problem(row_no, domain_col.name, cell[:200], MSG_DOMAIN, name))

        out.append(RowData(row_no, name, row_domain, e, dict(zip(names, rows[i], strict=False))))
    return out, problems


def _union(a, b, order: list[str]) -> tuple[str, ...]:
    both = set(a) | set(b)
    return tuple(code for code in order if code in both)


def _is_dash(text: str) -> bool:
    return clean_text(text) in _DASHES


class _Marks:
    """What the tick and free-text 公开对象/方式/层级 (and channel tick) cells of a row say."""

    __slots__ = ("audience", "note", "mode", "levels", "channels", "others", "problems")

    def __init__(self) -> None:
        self.audience: tuple[str, ...] = ()
        self.note = ""
        self.mode: tuple[str, ...] = ()
        self.levels: tuple[str, ...] = ()
        self.channels: tuple[str, ...] = ()
        self.others: list[str] = []
        self.problems: list[tuple[str, str, str]] = []


_SPECIFIC_PREFIX = re.compile(r"^(?:特定群体|特定群众|特定对象|特定人群)\s*[:：]\s*")


def _marks(tick_cols: list[_Column], free_cols: list[_Column], cells: list[str]) -> _Marks:
    m = _Marks()
    sets: dict[str, set[str]] = {
        "audience": set(),
        "mode": set(),
        "levels": set(),
        "channels": set(),
    }
    notes: list[str] = []
    for c in tick_cols:
        raw = cells[c.index]
        ticked = _TICK_FAST.get(raw)
        if ticked is None:
            ticked = parse_ticks(raw)
        if ticked:
            sets[c.key].update(c.codes)
            continue
        if ticked is False:
            continue
        text = _text_value(raw)
        if c.key == "audience" and c.codes == ("specific",):
            sets["audience"].add("specific")  # the group written out: "面向…村集体成员"
            notes.append(_SPECIFIC_PREFIX.sub("", text) or text)
        elif c.key == "channels" and "other" in c.codes:
            sets["channels"].add("other")
            if text not in m.others:
                m.others.append(text)
        elif set(c.codes) <= set(_FREE_PARSERS[c.key](text)):
            sets[c.key].update(c.codes)  # the column's own label written in: "主动" under 主动
        else:
            m.problems.append((c.name, raw[:200], MSG_TICK))
    for c in free_cols:
        raw = cells[c.index]
        text = _text_value(raw) if raw else ""
        if not text:
            continue
        codes = _FREE_PARSERS[c.key](text)
        if codes:
            sets[c.key].update(codes)
            if c.key == "audience" and _AUDIENCE_RESIDUE.sub("", text):
                notes.append(_SPECIFIC_PREFIX.sub("", text) or text)  # "特定群体：低保对象"
        elif c.key == "audience" and parse_ticks(text) is None:
            sets["audience"].add("specific")
            notes.append(text)
        else:
            m.problems.append((c.name, raw[:200], MSG_FREE[c.key]))
    m.audience = tuple(code for code in _AUDIENCE_ORDER if code in sets["audience"])
    m.mode = tuple(code for code in _MODE_ORDER if code in sets["mode"])
    m.levels = tuple(code for code in _LEVEL_ORDER if code in sets["levels"])
    m.channels = tuple(code for code in _CHANNEL_ORDER if code in sets["channels"])
    m.note = "；".join(dict.fromkeys(notes))
    return m


def _no_codes(text: str) -> list[str]:
    return []


def _looks_like_header(cells: list[str], header_texts: set[str]) -> bool:
    filled = [c for c in cells if c and c.strip()]
    known = sum(1 for c in filled if len(c) <= 40 and (_hkey(c) in header_texts or _meaning(c)))
    return known >= 2 and known * 10 >= len(filled) * 6


_NOTE_STARTS = ("注", "备注", "说明", "附注", "填表说明", "填报说明", "註", "備註", "說明")


def _is_note_row(cells: list[str]) -> bool:
    """A single-cell row that is a footnote or a (repeated) title, not an item."""
    filled = [c for c in cells if c and c.strip()]
    if len(filled) != 1:
        return False
    text = filled[0].strip()
    return text.startswith(_NOTE_STARTS) or _is_title(text)


_SECTION_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|"
    r"\d{1,2}\s*[、．]|第[一二三四五六七八九十\d]+(?:部分|类|章|节|项|大类)[、:：.．\s]*)\s*"
)
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


def _single_text(cells: list[str]) -> str | None:
    """The one text of a row that has one (in one cell, or repeated by a reader in every
    cell of a merged range), else None."""
    filled = {c.strip() for c in cells if c and c.strip()}
    return next(iter(filled)) if len(filled) == 1 else None


def _heading_column(cells: list[str]) -> int:
    """Where a row's text starts: its first non-blank cell."""
    return next((j for j, c in enumerate(cells) if c and c.strip()), -1)


def _section_heading(text: str) -> str | None:
    """A section heading row's text (`_single_text`: a cell merged over the table) —
    short, with a Chinese character — without its numbering ("一、", "（二）",
    "第三部分"); None for anything else."""
    name = to_simplified(clean_text(_SECTION_NUMBER.sub("", text, count=1))).strip(" ：:")
    if not name or len(name) > 40 or not _HAS_CJK.search(name):
        return None
    return name


def _names_a_domain(heading: str, matcher: DomainMatcher) -> bool:
    """A heading that names a domain ("社会救助领域", "二、义务教育") rather than an 一级事项
    that merely contains a domain's alias (最低生活保障 is one of 社会救助's)."""
    return "领域" in heading or heading in matcher.names


def _is_title(text: str) -> bool:
    """A table title ("…标准目录", "…领域"), as repeated at the top of a new page."""
    simple = to_simplified(text)
    return len(simple) >= 6 and simple.endswith(("目录", "领域", "清单", "一览表"))


def _is_number_row(cells: list[str]) -> bool:
    """A row of column numbers under the header: 1 2 3 4 5 …"""
    values = [c.strip() for c in cells if c and c.strip()]
    if len(values) < 4 or not all(v.isdigit() for v in values):
        return False
    return [int(v) for v in values] == list(range(int(values[0]), int(values[0]) + len(values)))


# Element fields holding free text (the rest are code sets parsed from ticks/checkboxes).
_TEXT_KEYS = tuple(k for k in ELEMENT_KEYS if k not in ("channels", "audience", "mode", "levels"))
_NAME_KEYS = frozenset({"code", "level1", "level2", "level3"})
_TICK_FAST = {"": False, "√": True, "✓": True, "✔": True, "☑": True, "■": True, "□": False}
_FREE_PARSERS = {
    "audience": parse_audience_text,
    "mode": parse_mode_text,
    "levels": parse_levels_text,
    "channels": lambda text: parse_channels(text)[0],
}
_AUDIENCE_RESIDUE = re.compile(
    r"特定群体|特定群众|特定对象|特定人群|全社会|社会公众|全体公众|公众|面向|[\s、，,;；/:：()（）和及或]"
)


_CHANNEL_ORDER = [code for code, _ in CHANNELS]
_AUDIENCE_ORDER = [code for code, _ in AUDIENCES]
_MODE_ORDER = [code for code, _ in MODES]
_LEVEL_ORDER = [code for code, _ in LEVELS]
