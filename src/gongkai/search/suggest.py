"""“您是不是要找”: a suggestion when a query finds few or no documents.

What people get wrong when they type an item's name:
- a homophone (底保 / 低宝 → 低保, 公组房 → 公租房, 居住正 → 居住证), or a near-homophone of
  the southern-accent kind that Chinese input methods forgive (危房改照 → 危房改造: zh/z,
  ch/c, sh/s, l/n and -ng/-n are treated as one sound, "模糊音");
- pinyin instead of characters (dibao → 低保, gongzufang → 公租房) or only its initials
  (gzf → 公租房, when one term clearly dominates those initials);
- one wrong, missing or extra character in a longer name (最低生活保证 → 最低生活保障);
- any of these inside a longer query (公组房申请 → 公租房申请).

The vocabulary is the government dictionary (data/dictionary.json), the standard
domains with their aliases, the synonym table (terms and expansions), and the names
(level1–3) of published catalog items.

Design. Computing pinyin is the cost (pypinyin: ~100 µs per item name), so it is done
once per distinct name and stored: item names live in the SuggestTerm table (term,
pinyin, fuzzy pinyin, initials, first/last two characters, length, weight), looked up by
indexed equality, shared by every worker process and surviving restarts. An in-process
cache keyed by a catalog version was rejected: after every restart or publication each
worker would have to re-pinyin every distinct name (100,000 names ≈ 10 s) on the request
path. The table is rebuilt by `gongkai reindex` (weights = how many published items carry
the name) and kept current by the indexing paths, which add the *new distinct* names of
the items they index: one lookup of which exist, then pinyin for the new ones only,
cached per jieba word (a new name costs ~10 µs, not 100), trailing numbering dropped
(事项12, 第3批: numbered items share one name). Measured on bench/import_catalog.py
--rows 20000: +0.05–0.09 s, plus pypinyin's one-time dictionary load (~0.3 s) in a
process that had not used it yet; 20,000 names that are all new and distinct would cost
~0.45 s. Names of items withdrawn since stay until the next reindex: harmless, because
a suggestion is only made if it finds more documents than the query did. The small
curated vocabulary (~500 words) is held in memory instead, rebuilt when the synonym
table changes (it follows query.synonyms(), which the admin's edits reset).
Lookups take 1–5 ms with 100,000 names (a 10-character query on PostgreSQL included).

A suggestion is offered only when the query matched fewer than ENOUGH documents with all
its terms, differs from the query after normalisation, and itself matches more
documents than the query (within the same filters). It never raises on odd input.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Q

from .analysis import DATA, is_known, normalize, segmenter
from .backends import read_guard
from .models import SuggestTerm

logger = logging.getLogger(__name__)

ENOUGH = 10  # a query matching this many documents (all terms) needs no suggestion
MIN_TERM, MAX_TERM = 2, 50  # vocabulary names, in characters
MAX_QUERY = 60  # characters: a longer paste is not a name with a typo
MAX_PARTS = 6
MAX_WINDOW_PART = 12  # typos inside a part are looked for in parts up to this long
MAX_CHECKS = 3  # candidate suggestions verified against the index per query
SPELLINGS = 8  # pinyin spellings tried for a query part (heteronyms)
LOOKUP_LIMIT = 50
BATCH = 500

CURATED_WEIGHTS = {"synonym": 100, "domain": 50, "dictionary": 20}

_WORD = re.compile(r"[^\W_]+")  # runs of letters/digits (CJK included), as analysis does
_SYLLABLE = re.compile(r"[a-z0-9]+")
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{_CJK}]")
_ALL_CJK = re.compile(f"[{_CJK}]+")
_CJK_OR_ALNUM = re.compile(f"[{_CJK}]|[a-z0-9]+")
_LETTERS = re.compile(r"[a-z]+")


# --- pinyin -------------------------------------------------------------------------


def _fuzzy(syllable: str) -> str:
    """One syllable with the input-method fuzzy sounds merged: zh/ch/sh → z/c/s, l → n,
    -ng → -n. Applied per syllable (on joined pinyin "fanggai" and "fangai" would differ)."""
    if syllable[:2] in ("zh", "ch", "sh"):
        syllable = syllable[0] + syllable[2:]
    elif syllable.startswith("l"):
        syllable = "n" + syllable[1:]
    if len(syllable) > 2 and syllable.endswith("ng"):
        syllable = syllable[:-1]
    return syllable


@lru_cache(maxsize=50_000)
def _word_keys(word: str) -> tuple[str, str, str]:
    """pinyin, fuzzy pinyin and initials of one word, read in context (银行 → yin hang);
    non-Chinese runs count as they are. Cached: item names are made of the same few
    thousand words, so a name costs a segmentation and a few lookups."""
    from pypinyin import Style, lazy_pinyin

    syllables: list[str] = []
    for item in lazy_pinyin(word, style=Style.NORMAL, errors=lambda chars: [chars]):
        syllables += _SYLLABLE.findall(item.lower())
    return (
        "".join(syllables),
        "".join(_fuzzy(s) for s in syllables),
        "".join(s[0] for s in syllables),
    )


@lru_cache(maxsize=20_000)
def _char_readings(char: str) -> tuple[str, ...]:
    """Every reading of one character (着 → zhe zhao zhuo), without tones."""
    from pypinyin import Style, pinyin

    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors=lambda _: [[]])
    found = [r for group in readings for r in group if _SYLLABLE.fullmatch(r)]
    return tuple(dict.fromkeys(found))


def _units(text: str) -> list[list[str]]:
    """The query side: per character its readings, the usual one first; an ASCII run is
    one unit. Characters without a reading are skipped, as on the term side."""
    units: list[list[str]] = []
    for run in _CJK_OR_ALNUM.finditer(text):
        piece = run.group()
        if not _HAS_CJK.match(piece):
            units.append([piece])
        elif readings := _char_readings(piece):
            units.append(list(readings))
    return units


def _spellings(units: list[list[str]], limit: int = SPELLINGS) -> list[list[str]]:
    """The in-context spelling, then each with one character read another way."""
    if not units:
        return []
    base = [u[0] for u in units]
    out = [base]
    for i, unit in enumerate(units):
        for alt in unit[1:]:
            if len(out) >= limit:
                return out
            out.append([*base[:i], alt, *base[i + 1 :]])
    return out


def _in_context_units(text: str) -> list[list[str]]:
    """Units whose first reading comes from the whole text (phrases: 银行 → hang)."""
    units = _units(text)
    if _ALL_CJK.fullmatch(text):
        from pypinyin import Style, lazy_pinyin

        context = lazy_pinyin(text, style=Style.NORMAL)
        if len(context) == len(units):
            units = [list(dict.fromkeys([c, *u])) for c, u in zip(context, units, strict=True)]
    return units


# --- vocabulary ---------------------------------------------------------------------


@dataclass
class Term:
    term: str
    pinyin: str
    fuzzy: str
    initials: str
    weight: int


def term_keys(term: str) -> tuple[str, str, str]:
    """pinyin, fuzzy pinyin, initials of a (normalised) term."""
    pinyin = fuzzy = initials = ""
    for word in segmenter().cut(term, False):
        if word.isascii() and word.isdigit():  # numbering (第3批): not worth a cache slot
            pinyin, fuzzy, initials = pinyin + word, fuzzy + word, initials + word[0]
            continue
        keys = _word_keys(word)
        pinyin, fuzzy, initials = pinyin + keys[0], fuzzy + keys[1], initials + keys[2]
    return pinyin, fuzzy, initials


# Trailing numbering (…事项12, …第3批, …(2)): it tells items apart, is no part of the
# name anyone types, and would make every numbered item a vocabulary entry of its own.
_NUMBERING = re.compile(r"\s*(?:第?\d+[批期号次届项个]?|\(\d+\))$")


def fit(name: str | None) -> str | None:
    """The name as a vocabulary term (normalised, spaces collapsed, trailing numbering
    dropped), or None: too short, too long, or without a Chinese character."""
    term = _NUMBERING.sub("", " ".join(normalize(name).split()))
    if MIN_TERM <= len(term) <= MAX_TERM and _HAS_CJK.search(term):
        return term
    return None


def _row(term: str, weight: int) -> list:
    pinyin, fuzzy, initials = term_keys(term)
    return [term, pinyin[:400], fuzzy[:400], initials[:100], term[:2], term[-2:], len(term), weight]


_COLUMNS = ["term", "pinyin", "fuzzy", "initials", "head", "tail", "length", "weight"]
CHUNK = 5000


def _insert(rows: list[list]) -> None:
    """Insert vocabulary rows, skipping terms another transaction added meanwhile.

    On PostgreSQL the rows are COPYed into a temporary table first (core.bulk's COPY
    cannot skip conflicts; executemany is a round trip per row, 1.1 s for 20,000)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(SuggestTerm._meta.db_table)
    names = ", ".join(quote(c) for c in _COLUMNS)
    conflict = f"ON CONFLICT ({quote('term')}) DO NOTHING"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE suggest_new AS "  # noqa: S608
                f"SELECT {names} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY suggest_new ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM suggest_new {conflict}"  # noqa: S608
            )
            cursor.execute("DROP TABLE suggest_new")
            return
        marks = ", ".join(["%s"] * len(_COLUMNS))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) {conflict}"  # noqa: S608
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])


def add_names(names: Iterable[str | None]) -> int:
    """Make these item names suggestible (those not in the table yet); the number added.

    Called by the indexing paths with the names of the items they index: the work is
    per new distinct name, never per item."""
    wanted = {term for name in set(names) if (term := fit(name))}
    if not wanted:
        return 0
    wanted.difference_update(_existing(sorted(wanted)))
    _insert([_row(term, 1) for term in sorted(wanted)])
    return len(wanted)


def forget_names(names: Iterable[str | None]) -> int:
    """Drop these names from the table unless a published item still carries one; the
    number dropped. Called when items leave the index (withdrawn, retired, sent back
    to review), so a withdrawn item's name is not offered as a suggestion."""
    from gongkai.catalog.services import public_items

    raw = sorted({name for name in names if name and fit(name)})
    if not raw:
        return 0
    kept: set[str] = set()
    public = public_items().order_by()
    for start in range(0, len(raw), BATCH):
        chunk = raw[start : start + BATCH]
        for field in ("level1", "level2", "level3"):
            values = public.filter(**{f"{field}__in": chunk}).values_list(field, flat=True)
            kept.update(fit(v) for v in values.distinct())
    gone = sorted({fit(name) for name in raw} - kept)
    dropped = 0
    for start in range(0, len(gone), CHUNK):
        dropped += SuggestTerm.objects.filter(term__in=gone[start : start + CHUNK]).delete()[0]
    return dropped


def _existing(terms: list[str]) -> set[str]:
    """Which of these terms the table has. Raw SQL: the ORM's per-value preparation of
    an IN list costs 8× the query (0.14 s against 0.02 s for 20,000 names)."""
    quote = connection.ops.quote_name
    select = (
        f"SELECT {quote('term')} FROM {quote(SuggestTerm._meta.db_table)} WHERE {quote('term')}"  # noqa: S608
    )
    postgres = connection.vendor == "postgresql"
    size = CHUNK if postgres else BATCH
    found: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(terms), size):
            chunk = terms[start : start + size]
            if postgres:
                cursor.execute(f"{select} = ANY(%s::text[])", [chunk])
            else:
                cursor.execute(f"{select} IN ({', '.join(['%s'] * len(chunk))})", chunk)
            found.update(row[0] for row in cursor.fetchall())
    return found


def rebuild(items) -> int:
    """Replace the table with the names of `items` (a queryset of published items),
    each weighted by how many items carry it."""
    weights: dict[str, int] = {}
    for field in ("level1", "level2", "level3"):
        rows = items.order_by().values_list(field).annotate(n=Count("pk"))
        for name, n in rows.iterator(chunk_size=5000):
            if term := fit(name):
                weights[term] = weights.get(term, 0) + n
    SuggestTerm.objects.all().delete()
    _insert([_row(term, n) for term, n in sorted(weights.items())])
    if connection.vendor == "postgresql":
        # Fresh statistics: without them the planner scans the table for a lookup of
        # many keys (_inside) instead of using the index (17 ms against 0.2 ms).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(SuggestTerm._meta.db_table)}")
    return len(weights)


class _Curated:
    """The curated vocabulary in memory, indexed like the table."""

    def __init__(self, weighted: dict[str, int]) -> None:
        self.terms: dict[str, Term] = {}
        self.by_fuzzy: dict[str, list[Term]] = {}
        self.by_pinyin: dict[str, list[Term]] = {}
        self.by_initials: dict[str, list[Term]] = {}
        for term, weight in weighted.items():
            entry = Term(term, *term_keys(term), weight)
            self.terms[term] = entry
            self.by_fuzzy.setdefault(entry.fuzzy, []).append(entry)
            self.by_pinyin.setdefault(entry.pinyin, []).append(entry)
            self.by_initials.setdefault(entry.initials, []).append(entry)


_curated_cache: list = []  # [(the synonym table it was built from, _Curated)]


def _curated() -> _Curated:
    from gongkai.catalog.domains import STANDARD_DOMAINS

    from .query import synonyms

    table = synonyms()  # a new object after every edit of the synonym table
    if _curated_cache and _curated_cache[0][0] is table:
        return _curated_cache[0][1]
    weighted: dict[str, int] = {}

    def add(words, source: str) -> None:
        for word in words:
            if term := fit(word):
                weighted[term] = weighted.get(term, 0) + CURATED_WEIGHTS[source]

    add(json.loads((DATA / "dictionary.json").read_text("utf-8")), "dictionary")
    add([w for spec in STANDARD_DOMAINS for w in (spec.name, *spec.aliases)], "domain")
    add({w for term, exps in table.items() for w in (term, *exps)}, "synonym")
    curated = _Curated(weighted)
    _curated_cache[:] = [(table, curated)]
    return curated


def _merge(*groups: Iterable[Term]) -> dict[str, Term]:
    """Terms by name; one found in both the curated vocabulary and the table weighs both."""
    out: dict[str, Term] = {}
    for group in groups:
        for t in group:
            if t.term in out:
                seen = out[t.term]
                out[t.term] = Term(t.term, t.pinyin, t.fuzzy, t.initials, seen.weight + t.weight)
            else:
                out[t.term] = t
    return out


def _table(condition: Q, limit: int = LOOKUP_LIMIT) -> list[Term]:
    rows = SuggestTerm.objects.filter(condition).order_by("-weight", "term")
    fields = ("term", "pinyin", "fuzzy", "initials", "weight")
    return [Term(*r) for r in rows.values_list(*fields)[:limit]]


def _is_term(text: str, curated: _Curated) -> bool:
    return text in curated.terms or SuggestTerm.objects.filter(term=text).exists()


# --- candidates ---------------------------------------------------------------------


def _homophones(part: str, curated: _Curated) -> list[str]:
    """Terms that sound like the part: the same pinyin first, then the fuzzy same."""
    spellings = _spellings(_in_context_units(part))
    plain = {"".join(s) for s in spellings}
    fuzzy = {"".join(_fuzzy(x) for x in s) for s in spellings}
    found = _merge(
        (t for key in fuzzy for t in curated.by_fuzzy.get(key, [])),
        _table(Q(fuzzy__in=sorted(fuzzy))),
    )
    ranked = sorted(
        (t for t in found.values() if t.term != part),
        key=lambda t: (t.pinyin not in plain, -t.weight, t.term),
    )
    return [t.term for t in ranked]


def same_sound(term: str) -> str | None:
    """The curated word (dictionary, domains, synonyms) spelled with exactly the same
    pinyin as `term`, the weightiest if several: 底保 → 低保, 补尝 → 补偿. For query
    terms the segmenter does not know — a pinyin input method's commonest slip is the
    right sound with the wrong character. In memory only: no lookup per query."""
    if not _ALL_CJK.fullmatch(term):
        return None
    return _weightiest_spelled(term_keys(term)[0], besides=term)


def spelled_by(letters: str) -> str | None:
    """The curated word whose full pinyin is `letters` (hukou → 户口, dibao → 低保), the
    weightiest if several: a resident typing with the input method switched off."""
    if not _LETTERS.fullmatch(letters) or len(letters) > 6 * MAX_TERM:
        return None
    return _weightiest_spelled(letters)


def _weightiest_spelled(pinyin: str, besides: str = "") -> str | None:
    """The weightiest curated word with exactly this pinyin (other than `besides`)."""
    found = [t for t in _curated().by_pinyin.get(pinyin, []) if t.term != besides]
    return min(found, key=lambda t: (-t.weight, t.term)).term if found else None


def _one_edit_apart(a: str, b: str) -> bool:
    """Levenshtein distance exactly 1."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def _near(part: str, curated: _Curated) -> list[str]:
    """Terms one character edit away (parts of 4+ characters). One edit leaves a common
    prefix and suffix of together at least n - 1 characters, so the term shares the
    first or the last n // 2 characters: an indexed lookup by the first or last two
    narrowed by that prefix or suffix finds every candidate."""
    n = len(part)
    if n < 4:
        return []
    k = n // 2
    lengths = {"length__gte": n - 1, "length__lte": n + 1}
    rows = _table(
        Q(head=part[:2], term__startswith=part[:k], **lengths)
        | Q(tail=part[-2:], term__endswith=part[-k:], **lengths),
        limit=500,
    )
    close = [t for t in curated.terms.values() if abs(len(t.term) - n) <= 1]
    found = _merge(close, rows)
    ranked = sorted(
        (t for t in found.values() if _one_edit_apart(part, t.term)),
        key=lambda t: (-t.weight, t.term),
    )
    return [t.term for t in ranked]


def _inside(part: str, curated: _Curated) -> list[str]:
    """A homophone typo inside a longer part (公组房申请 → 公租房申请): the longest run of
    2+ characters that is no word itself but sounds like a term is replaced."""
    if not _ALL_CJK.fullmatch(part) or len(part) > MAX_WINDOW_PART:
        return []
    units = _in_context_units(part)
    if len(units) != len(part):
        return []
    keys: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
    for i in range(len(part)):
        for j in range(i + 2, len(part) + 1):
            window = part[i:j]
            if (i, j) == (0, len(part)) or is_known(window) or window in curated.terms:
                continue
            spellings = _spellings(units[i:j], limit=4)
            plain = frozenset("".join(s) for s in spellings)
            for s in spellings:
                keys.setdefault("".join(_fuzzy(x) for x in s), []).append((i, j, plain))
    if not keys:
        return []
    found = _merge(
        (t for key in keys for t in curated.by_fuzzy.get(key, [])),
        _table(Q(fuzzy__in=sorted(keys)), limit=200),
    )
    options = []
    for t in found.values():
        for i, j, plain in keys.get(t.fuzzy, []):
            if t.term != part[i:j]:
                rank = (-(j - i), t.pinyin not in plain, -t.weight, t.term)
                options.append((rank, part[:i] + t.term + part[j:]))
    return list(dict.fromkeys(text for _, text in sorted(options)))


def _from_pinyin(letters: str, curated: _Curated) -> list[str]:
    """Terms spelled by typed pinyin (dibao), or else by its initials (gzf) when one term
    clearly dominates them (at least twice the weight of the next)."""
    if not MIN_TERM <= len(letters) <= 6 * MAX_TERM:
        return []
    found = _merge(curated.by_pinyin.get(letters, []), _table(Q(pinyin=letters)))
    if found:
        return [t.term for t in sorted(found.values(), key=lambda t: (-t.weight, t.term))]
    if len(letters) > 8:
        return []
    found = _merge(curated.by_initials.get(letters, []), _table(Q(initials=letters), limit=2))
    ranked = sorted(found.values(), key=lambda t: (-t.weight, t.term))
    if ranked and (len(ranked) == 1 or ranked[0].weight >= 2 * ranked[1].weight):
        return [ranked[0].term]
    return []


def _options(part: str, curated: _Curated, *, found: int = 0) -> list[str]:
    """Corrections of one query part, best first (none: leave it as it is).

    A real word (known to the segmenter) that found something is left alone: Chinese
    is full of homophones (公式/公示), and a correct query should not be second-guessed."""
    if _LETTERS.fullmatch(part):
        return _from_pinyin(part, curated)
    if len(part) < MIN_TERM or not _HAS_CJK.search(part) or _is_term(part, curated):
        return []
    if found and is_known(part):
        return []
    options = _homophones(part, curated) + _near(part, curated)
    if not options:
        options = _inside(part, curated)
    return list(dict.fromkeys(options))[:MAX_CHECKS]


def candidates(text: str, found: int = 0) -> list[str]:
    """Suggestions for a normalised query that matched `found` documents, best first,
    not yet checked against the index."""
    parts = _WORD.findall(text)
    if not parts or len(parts) > MAX_PARTS:
        return []
    curated = _curated()
    if len(parts) > 1 and all(_LETTERS.fullmatch(p) for p in parts):
        whole = _from_pinyin("".join(parts), curated)  # "di bao", "di'bao"
        if whole:
            return whole[:MAX_CHECKS]
    options = [_options(p, curated, found=found) for p in parts]
    if not any(options):
        return []
    out: list[str] = []
    for rank in range(MAX_CHECKS):
        picked = [o[min(rank, len(o) - 1)] if o else p for o, p in zip(options, parts, strict=True)]
        out.append(" ".join(picked))
    return list(dict.fromkeys(out))


def _finds_more(text: str, found: int, where, where_params) -> bool:
    from . import query as query_mod
    from .backends import get_backend

    built = query_mod.build(text)
    if not built:
        return False
    backend = get_backend()
    expr = backend.render(built, "and")
    return backend.count(expr, where, where_params, cap=found) > found


def suggest(
    q: str,
    *,
    found: int,
    where: str | None = None,
    where_params: Iterable = (),
    corrections: dict[str, str] | None = None,
) -> str | None:
    """A better query than `q`, or None.

    `found`: how many documents `q` matched with all its terms; `where`/`where_params`:
    the search's filter (services._where), which the suggestion must find documents in.
    `corrections`: typed term → the word the query searched for too (query.build: 底保 →
    低保, hukou → 户口). The query already found what they find, so no candidate "finds
    more"; the corrected query is offered instead — if it finds anything — to say what
    was searched for besides what was typed."""
    if not isinstance(q, str):
        return None
    text = " ".join(_WORD.findall(normalize(q)))
    if not text or len(text) > MAX_QUERY:
        return None
    params = list(where_params)
    try:
        with read_guard():  # PostgreSQL: a savepoint, the search's transaction intact
            if found < ENOUGH:
                for suggestion in candidates(text, found):
                    if suggestion != text and _finds_more(suggestion, found, where, params):
                        return suggestion
            corrected = text
            for typed, meant in (corrections or {}).items():
                corrected = corrected.replace(typed, meant)
            if corrected != text and _finds_more(corrected, 0, where, params):
                return corrected
    except DatabaseError:  # a suggestion is a nicety: never let it break the search
        logger.warning("suggestion for %r failed", q[:100], exc_info=True)
    return None
