"""Query building: user text → a structure of quoted tokens, never raw text.

A query is a list of groups (one per query term, ANDed; ORed as a fallback); a group
is a list of alternatives (the term, its parts, its synonyms' analysed phrases, its
characters); an alternative is a list of tokens that must all match, optionally only
in the `chars` column. Backends render this structure in their own syntax, quoting
every token; tokens are runs of letters/digits only (see analysis._TOKEN).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .analysis import analyze, characters, is_known, normalize, query_terms

MAX_TERMS = 12  # a 1,000-character paste is not a query; keep the first terms


@dataclass(frozen=True)
class Alternative:
    tokens: tuple[str, ...]
    chars: bool = False  # match in the title-characters column only


@dataclass
class Group:
    term: str
    alternatives: list[Alternative] = field(default_factory=list)

    def add(self, tokens, chars: bool = False) -> None:
        tokens = tuple(dict.fromkeys(t for t in tokens if t))
        if tokens:
            alt = Alternative(tokens, chars)
            if alt not in self.alternatives:
                self.alternatives.append(alt)


@dataclass
class Query:
    text: str
    groups: list[Group]
    highlight: list[str]  # surface strings to mark in snippets
    # unknown terms searched for as the known words they sound like too (底保 → 低保)
    corrections: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.groups)


def _synonym_table() -> dict[str, list[str]]:
    """term → expansions, both directions for bidirectional rows (normalised)."""
    from .models import Synonym

    table: dict[str, list[str]] = {}
    try:
        rows = list(Synonym.objects.values_list("term", "expansions", "bidirectional"))
    except Exception:  # table missing (before migrate): no synonyms  # noqa: BLE001
        return table
    for term, expansions, bidirectional in rows:
        term = normalize(term).strip()
        for exp in (normalize(e).strip() for e in expansions.split("|")):
            if not exp or exp == term:
                continue
            table.setdefault(term, []).append(exp)
            if bidirectional:
                table.setdefault(exp, []).append(term)
    return table


_cache: dict[str, object] = {}


def synonyms() -> dict[str, list[str]]:
    """The synonym table, cached per process; `clear_synonyms()` after edits."""
    table = _cache.get("synonyms")
    if table is None:
        table = _cache["synonyms"] = _synonym_table()
        from .analysis import add_words

        add_words([*table, *(e for exps in table.values() for e in exps)])
        _parts.cache_clear()
    return table  # type: ignore[return-value]


def clear_synonyms(**_kwargs) -> None:
    _cache.pop("synonyms", None)


@lru_cache(maxsize=4096)
def _parts(term: str) -> tuple[str, ...]:
    return tuple(p for p in analyze(term) if p != term)


def _covers(term: str, parts) -> bool:
    covered: set[int] = set()
    for part in parts:
        start = term.find(part)
        if start >= 0:
            covered.update(range(start, start + len(part)))
    return len(covered) == len(term)


SOUNDS_LIKE_CHARS = (2, 4)  # unknown terms this long may be homophone typos (CJK)


def _sounds_like(term: str, table: dict[str, list[str]]) -> str | None:
    """A known word that sounds exactly like an unknown term (suggest.same_sound), or
    that a term of pinyin letters spells (suggest.spelled_by: hukou → 户口)."""
    low, high = SOUNDS_LIKE_CHARS
    if term in table or len(term) < low:
        return None
    from .suggest import same_sound, spelled_by

    if term.isascii():
        return spelled_by(term)
    if len(term) > high or is_known(term):
        return None
    return same_sound(term)


def _tiling(term: str, parts) -> list[str] | None:
    """The finest parts that cover `term` end to end without overlapping (招生计划 →
    招生, 计划; 农村环境整治 → 农村, 环境, 整治), or None. A term that is a dictionary
    word itself has no precise split, and its parts also hold words spanning a boundary
    (生计) and longer ones (环境整治): requiring those would find the words only side by
    side — 农村环境综合整治 holds 环境 and 整治, not 环境整治. The finest split is what
    search mode emits for any text holding the words."""
    known = {p for p in parts if len(p) > 1 and p != term}
    n = len(term)
    # best[i]: the most pieces tiling term[i:], and the first piece's length (0: none)
    best: list[tuple[int, int]] = [(0, 0)] * n + [(0, 0)]
    for i in range(n - 1, -1, -1):
        for size in range(2, n - i + 1):
            rest = best[i + size]
            tiles = term[i : i + size] in known and (i + size == n or rest[1])
            if tiles and rest[0] + 1 > best[i][0]:
                best[i] = (rest[0] + 1, size)
    if not best[0][1]:
        return None
    out, pos = [], 0
    while pos < n:
        size = best[pos][1]
        out.append(term[pos : pos + size])
        pos += size
    return out


def build(text: str | None) -> Query:
    text = (text or "")[:1000]
    table = synonyms()
    terms = query_terms(text)[:MAX_TERMS]
    groups: list[Group] = []
    highlight: list[str] = []
    corrections: dict[str, str] = {}
    for term in terms:
        group = Group(term)
        group.add([term])
        highlight.append(term)
        parts = _parts(term)
        if parts and not term.isascii() and _covers(term, parts):
            # 农村环境整治 also finds 农村人居环境整治 and 农村环境综合整治: all of its
            # finest words, anywhere (only when they cover the whole term: 公租房 is not
            # 租房).
            group.add(_tiling(term, parts) or list(parts))
        sounds_like = _sounds_like(term, table)
        if sounds_like:  # 底保 → 低保 and what 低保 stands for
            group.add(query_terms(sounds_like))
            highlight.append(sounds_like)
            corrections[term] = sounds_like
        for exp in table.get(term, []) + table.get(sounds_like or "", []):
            exp_terms = query_terms(exp)
            group.add(exp_terms)
            highlight.append(exp)
        if not term.isascii() and (len(term) == 1 or not is_known(term)):
            group.add(characters(term), chars=True)  # one character, or unknown to jieba
        groups.append(group)
        highlight += [t for alt in group.alternatives for t in alt.tokens if len(t) > 1]
    return Query(text, groups, highlight, corrections)


def loosened(query: Query) -> Query | None:
    """The last fallback: every word of two or more characters in any alternative, on
    its own (社区文艺活动 finds 群众文化活动 by 活动). None when that changes nothing (no
    alternative has several words). Single characters stay out: alone they match too
    much to be worth showing."""
    groups, changed = [], False
    for group in query.groups:
        loose = Group(group.term)
        for alt in group.alternatives:
            if alt.chars:
                continue
            if len(alt.tokens) > 1:
                changed = True
            for token in alt.tokens:
                if len(token) > 1:
                    loose.add([token])
        if loose.alternatives:
            groups.append(loose)
    if not (changed and groups):
        return None
    return Query(query.text, groups, query.highlight, query.corrections)
