"""Search: the interface the portal and the API build on.

User input never reaches the engine raw: it is analysed (analysis.py), built into a
structure of tokens (query.py) and rendered with every token quoted by the backend.
Query terms are ANDed; when that finds less than a page they are ORed (one term: its
words); when several terms find nothing, any single word of them (query.loosened).
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass
from datetime import datetime

from django.db import DatabaseError, connection

from . import query as query_mod
from .analysis import normalize
from .backends import facet_rows, get_backend, read_guard
from .models import SearchDocument
from .scoring import ScoreTerms
from .suggest import suggest

TYPES = {"item": "目录事项", "record": "公开信息"}
SNIPPET_CHARS = 120
FULL_PAGE = 10  # fewer AND matches than this: widen to OR
FACET_CAP = 2_000  # facets exact up to this many matches, sampled above (_stats)
RANK_CAP = 5_000  # more matches than this: rank only a window of them (_tiers)
RANK_WINDOW = 500  # … the newest this many; older ones follow newest first
TOTAL_CAP = 10_000  # totals exact up to this; above it "more than TOTAL_CAP" (_stats)
# Backends that can sample (PostgreSQL) estimate instead of counting when the table has
# at least ESTIMATE_MIN_DOCS documents and the sample says the matches exceed
# ESTIMATE_MIN, from at least ESTIMATE_MIN_HITS sampled matches (_estimated).
ESTIMATE_MIN_DOCS = 100_000
ESTIMATE_MIN = 3 * TOTAL_CAP
ESTIMATE_MIN_HITS = 30


@dataclass
class Hit:
    type: str
    id: int
    title: str
    snippet: str  # HTML-escaped text with <mark>…</mark> around matched terms
    url: str
    score: float
    domain_code: str
    agency_code: str
    published_at: datetime | None


@dataclass
class FacetValue:
    code: str
    name: str
    count: int


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    query: str
    suggestion: str | None
    page: int
    page_size: int
    # False: more than FACET_CAP documents matched and the facet counts were taken over
    # the first FACET_CAP of them (in id order), a sample.
    facets_complete: bool = True
    # False: more than TOTAL_CAP documents matched; `total` is then TOTAL_CAP + 1 and
    # means "more than TOTAL_CAP" (as Elasticsearch's track_total_hits does).
    total_exact: bool = True


# What a hit shows (the token columns are the engine's, not loaded with a page).
_HIT_FIELDS = (
    "id", "doc_type", "object_id", "title", "body", "url", "domain_code", "agency_code",
    "published_at",
)  # fmt: skip
FACETS = ("type", "domain", "agency", "level", "audience", "mode", "year")


def _filtered(
    *, type=None, domain=None, agency=None, division=None, level=None, audience=None,
    mode=None, year=None,
):  # fmt: skip
    qs = SearchDocument.objects.all()
    if type:
        qs = qs.filter(doc_type=type)
    if domain:
        qs = qs.filter(domain_code=domain)
    if agency:
        qs = qs.filter(agency_code=agency)
    if division:
        qs = qs.filter(division_prefix__startswith=_division_prefix(division))
    if level:
        qs = qs.filter(levels__contains=f",{level},")
    if audience:
        qs = qs.filter(audience__contains=f",{audience},")
    if mode:
        qs = qs.filter(mode__contains=f",{mode},")
    if year:
        qs = qs.filter(year=year)
    return qs


def _division_prefix(code: str) -> str:
    from gongkai.org.models import Division

    code = str(code).strip()
    found = Division.objects.filter(code=code).values_list("prefix", flat=True).first()
    if found is not None:
        return found
    return code.rstrip("0") or code  # an unknown code: its significant digits


def empty(q: str = "", page: int = 1, page_size: int = 20) -> SearchResult:
    return SearchResult(0, [], {k: [] for k in FACETS}, q, None, page, page_size)


def search(
    q: str,
    *,
    type: str | None = None,
    domain: str | None = None,
    agency: str | None = None,
    division: str | None = None,
    level: str | None = None,
    audience: str | None = None,
    mode: str | None = None,
    year: int | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
) -> SearchResult:
    q = q if isinstance(q, str) else ""
    page = max(1, int(page or 1))
    page_size = min(max(1, int(page_size or 20)), 100)
    sort = "date" if sort == "date" else "relevance"
    if not q.strip():
        return empty(q, page, page_size)
    backend = get_backend()
    filtered = _filtered(
        type=type, domain=domain, agency=agency, division=division, level=level,
        audience=audience, mode=mode, year=year,
    )  # fmt: skip

    built = query_mod.build(q)
    if not built:
        return empty(q, page, page_size)
    where, where_params = _where(filtered)
    # All terms (AND); when that gives less than a full page, any term (OR), with the
    # documents matching all terms ranked first. Total exact up to TOTAL_CAP, facets
    # exact up to FACET_CAP matches (see _stats); above RANK_CAP a window is ranked.
    expr = backend.render(built, "and")
    stats = _stats(backend, expr, where, where_params)
    all_terms = stats.total  # what a "did you mean" suggestion must beat (suggest.py)
    first = None
    # One term is widened as several are: a word the dictionary knows (招生计划) must
    # not lose the fallback that its parts, typed as two terms, would get.
    several = len(built.groups) > 1
    widened = None
    if stats.total < FULL_PAGE:  # (only then: no work for the common case)
        widened = built if several else query_mod.loosened(built)
    if widened is not None:
        any_expr = backend.render(widened, "or")
        any_stats = _stats(backend, any_expr, where, where_params)
        if any_stats.total > stats.total:
            first = (expr, stats.total) if stats.total else None
            expr, stats = any_expr, any_stats
    if not stats.total and several and (loose := query_mod.loosened(built)):
        # Several terms and nothing at all: any single word of their parts, rather than
        # an empty page (社区文艺活动 → 群众文化活动 by 活动). Not when something was
        # found: a part alone is often too broad (结婚登记 → 参保登记) to add below.
        expr = backend.render(loose, "or")
        stats = _stats(backend, expr, where, where_params)
    total = stats.total
    if not total:
        result = empty(q, page, page_size)
        result.suggestion = suggest(q, found=0, where=where, where_params=where_params)
        return result

    tiers = _tiers(backend, expr, total, first, ranked=sort != "date")
    rows = _page(
        backend, tiers, where, where_params, sort=sort, limit=page_size,
        offset=(page - 1) * page_size, terms=_score_terms(built), density=stats.density,
        ids=stats.ids if first is None else None,
    )  # fmt: skip
    # The page's documents as plain rows (no model instances), without the token columns.
    found = SearchDocument.objects.filter(id__in=[r[0] for r in rows]).values_list(*_HIT_FIELDS)
    docs = {d[0]: d for d in found}
    pattern = _highlighter(built.highlight)
    hits = []
    for doc_id, score in rows:
        if (d := docs.get(doc_id)) is None:
            continue  # removed between the ranking and this read
        _, doc_type, object_id, title, body, url, domain_code, agency_code, published_at = d
        hits.append(
            Hit(
                type=doc_type,
                id=object_id,
                title=title,
                snippet=snippet(body, pattern, title=title),
                url=url,
                score=round(score, 6),
                domain_code=domain_code,
                agency_code=agency_code,
                published_at=published_at,
            )
        )
    suggestion = suggest(
        q, found=all_terms, where=where, where_params=where_params,
        corrections=built.corrections,
    )  # fmt: skip
    return SearchResult(
        total=total,
        hits=hits,
        facets=_facets(stats.counts),
        facets_complete=stats.complete,
        total_exact=total <= TOTAL_CAP,
        query=q,
        suggestion=suggestion,
        page=page,
        page_size=page_size,
    )


def _where(filtered) -> tuple[str | None, list]:
    """The filters as a WHERE condition on the documents table (None: no filter)."""
    from django.core.exceptions import EmptyResultSet, FullResultSet

    query = filtered.query
    if not query.where:
        return None, []
    compiler = query.get_compiler(using=filtered.db)
    try:
        sql, params = compiler.compile(query.where)
    except FullResultSet:
        return None, []
    except EmptyResultSet:
        return "1 = 0", []
    return sql, list(params)


# Facet columns; the code-set columns (",county,township,") are grouped by their whole
# value and split here, so one grouped scan counts every facet.
_FACET_COLUMNS = {
    "type": "doc_type",
    "domain": "domain_code",
    "agency": "agency_code",
    "level": "levels",
    "audience": "audience",
    "mode": "mode",
    "year": "year",
}


@dataclass
class Stats:
    """What `_stats` learns of a match set before anything is ranked."""

    total: int
    counts: dict[str, dict[str, int]]  # facet → value → count
    complete: bool  # the counts cover every match (not a sample)
    density: float | None = None  # share of documents matching, when a sample measured it
    ids: list[int] | None = None  # every match's id, when a pass held them all


def _stats(backend, expr: str, where, where_params) -> Stats:
    """Total and facet counts of the documents matching `expr` within the filter.

    The facets are counted over at most FACET_CAP matching documents, the first ones in
    id order (cheap: the engine yields matches in that order, nothing is ranked). With
    more matches than that the counts describe that sample only and `complete` is
    False (the portal says the counts are estimates); the backend's `match_stats` counts
    them (PostgreSQL grouping in SQL, SQLite in Python).
    The total is exact up to TOTAL_CAP, above it "more than" (counting a million
    matches costs more than the whole rest of a query); the same pass returns the ids
    when it held every match, so ranking a small match set needs no second engine scan.
    Backends that sample (`_estimated`) skip the scans for very large match sets.
    """
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    columns = ", ".join(f"{table}.{c}" for c in _COLUMNS)
    estimated, density = _estimated(backend, expr, columns, where, where_params)
    if estimated is not None:
        return estimated
    # One pass: the count (up to TOTAL_CAP), the ids when it holds them all, the facet
    # counts of the first FACET_CAP matches (PostgreSQL groups them in SQL in the same
    # scan; SQLite fetches them and counts the rest from where they end).
    try:
        with read_guard():
            total, ids, rows = backend.match_stats(
                expr, where, where_params, cap=TOTAL_CAP, facet_cap=FACET_CAP,
                facets=_FACET_COLUMNS,
            )  # fmt: skip
    except DatabaseError:  # defensive: never let an engine error reach the user
        return Stats(0, {key: {} for key in _FACET_COLUMNS}, True, density)
    counts: dict[str, dict[str, int]] = {key: {} for key in _FACET_COLUMNS}
    _add_counts(counts, rows)
    return Stats(total, counts, total <= min(FACET_CAP, TOTAL_CAP), density, ids)


# The facet columns, each once, in the order `_stats` and `_estimated` select them.
_COLUMNS = tuple(dict.fromkeys(_FACET_COLUMNS.values()))


def _tally(matches: list[tuple], scale: float = 1.0) -> dict[str, dict[str, int]]:
    """Facet counts of matching rows (values of _COLUMNS), each count × `scale`."""
    counts: dict[str, dict[str, int]] = {key: {} for key in _FACET_COLUMNS}
    _add_counts(counts, facet_rows(matches, list(_COLUMNS), _FACET_COLUMNS, scale))
    return counts


def _add_counts(counts: dict[str, dict[str, int]], rows) -> None:
    """Add (facet, value, n) rows to `counts`; code-set values are split into codes."""
    for key, value, n in rows:
        if value in ("", None):
            continue
        bucket = counts[key]
        if key in ("level", "audience", "mode"):
            for code in value.split(","):
                if code:
                    bucket[code] = bucket.get(code, 0) + n
        else:
            bucket[value] = bucket.get(value, 0) + n


def _estimated(backend, expr: str, columns: str, where, where_params):
    """`_stats` from a random sample, for match sets far above TOTAL_CAP in a large
    table, and the share of documents matching; (None, share) when the matches must be
    counted, (None, None) when there was no sample (a small table, or a backend that
    cannot sample: SQLite, whose FTS5 counts cheaply up to a cap).

    The total is reported as "more than TOTAL_CAP" only when the sample shows at least
    ESTIMATE_MIN_HITS matches and an estimate of ESTIMATE_MIN or more — three times the
    cap, so a true count under the cap practically never gets here. The facet counts
    are then the sample's, scaled to the table: estimates, and flagged as such."""
    if not hasattr(backend, "estimate"):
        return None, None
    try:
        with read_guard():
            found = backend.estimate(
                expr, columns, where, where_params, min_docs=ESTIMATE_MIN_DOCS,
                plan_min=ESTIMATE_MIN / 3,
            )  # fmt: skip
    except DatabaseError:  # defensive, as in _stats: fall back to counting
        return None, None
    if found is None:
        return None, None
    estimate, hits, density, matches = found
    if hits < ESTIMATE_MIN_HITS or estimate < ESTIMATE_MIN:
        return None, density
    counts = _tally(matches, scale=estimate / hits)
    return Stats(TOTAL_CAP + 1, counts, False, density), density


def _tiers(
    backend, expr: str, total: int, first: tuple[str, int] | None, ranked: bool
) -> list[tuple[str, int | None, int | None]]:
    """The relevance order as tiers, each ranked on its own, listed one after the other:
    (expression, its size if known, ranking window).

    `first` (the AND matches of an OR fallback, fewer than a page) comes before the
    rest. With more than RANK_CAP matches ranking them all is the slow part (a term in
    most of a million documents: over a second), so only the newest RANK_WINDOW matches
    are ranked — title matches weigh ten times the body, so they lead — and the older
    ones follow newest first (the backend's `window`). An earlier version ranked all
    title matches first as a tier of their own; on SQLite the column-filtered match
    that needs cost 15–25 ms for two common words, a third of the query.
    Without `ranked` (date order): one tier."""
    if not ranked:
        return [(expr, total, None)]
    own_scoring = getattr(backend, "SCORES_SMALL_TIERS", False)
    tiers: list[tuple[str, int | None, int | None]] = []
    rest = expr
    if first is not None:
        # A window as large as the tier (fewer than a page): SQLite scores it itself.
        tiers.append((*first, first[1] if own_scoring else None))
        rest = backend.exclude(expr, first[0])
    # A window as large as the match set ranks all of it; on SQLite that skips bm25's
    # per-phrase row counts (20+ ms when the words are common, however few matches).
    # Between RANK_WINDOW and RANK_CAP matches SQLite's bm25 ranks them all: scoring
    # thousands of documents here costs more (their token columns are read and copied).
    window = RANK_WINDOW if total > RANK_CAP or total <= RANK_WINDOW else None
    tiers.append((rest, None, window))
    return tiers


def _score_terms(built) -> ScoreTerms:
    """The query's tokens, for scoring a ranking window (scoring.py)."""
    words = {t for g in built.groups for a in g.alternatives if not a.chars for t in a.tokens}
    chars = {t for g in built.groups for a in g.alternatives if a.chars for t in a.tokens}
    return ScoreTerms.of(words, chars)


def _page(
    backend,
    tiers,
    where,
    where_params,
    *,
    sort: str,
    limit: int,
    offset: int,
    terms: ScoreTerms | None = None,
    density: float | None = None,
    ids: list[int] | None = None,
) -> list[tuple[int, float]]:
    """Rows `offset`…`offset + limit` of the tiers' concatenated rankings (`density`:
    the share of documents matching, when a sample measured it; `ids`: every match,
    when `_stats` saw them all — one tier only)."""
    if len(tiers) == 1:
        expr, _, window = tiers[0]
        return backend.ranked(
            expr,
            where,
            where_params,
            sort=sort,
            limit=limit,
            offset=offset,
            window=window,
            terms=terms,
            density=density,
            ids=ids,
        )
    rows: list[tuple[int, float]] = []
    for i, (expr, size, window) in enumerate(tiers):
        if size is not None and offset >= size:
            offset -= size
            continue
        want = limit - len(rows)
        got = backend.ranked(
            expr,
            where,
            where_params,
            sort=sort,
            limit=want,
            offset=offset,
            window=window,
            terms=terms,
            density=density,
        )
        rows += got
        if len(rows) >= limit or i == len(tiers) - 1:
            break
        if not got and offset:  # the page starts past this tier: how far past it
            offset = max(0, offset - backend.count(expr, where, where_params))
        else:
            offset = 0
    return rows


def _ordered(bucket: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(bucket.items(), key=lambda r: (-r[1], r[0]))


NAMES_TTL = 60.0  # seconds a process keeps the domain and agency names of the facets
_names_cache: dict[str, tuple[float, dict[str, str]]] = {}


def _names(kind: str) -> dict[str, str]:
    """code → name of every domain or agency, kept NAMES_TTL seconds per process: two
    queries a search cost ~1.5 ms, and a renamed agency may show its old name in the
    facets for up to a minute."""
    from gongkai.catalog.models import Domain
    from gongkai.org.models import Agency

    now = time.monotonic()
    cached = _names_cache.get(kind)
    if cached is None or now - cached[0] > NAMES_TTL:
        model = Domain if kind == "domain" else Agency
        cached = _names_cache[kind] = (now, dict(model.objects.values_list("code", "name")))
    return cached[1]


def clear_names(**_kwargs) -> None:
    _names_cache.clear()


def _facets(counts: dict[str, dict[str, int]]) -> dict[str, list[FacetValue]]:
    from gongkai.catalog.vocabularies import AUDIENCES, LEVELS, MODES

    out: dict[str, list[FacetValue]] = {}
    out["type"] = [FacetValue(c, TYPES.get(c, c), n) for c, n in _ordered(counts["type"])]
    for key in ("domain", "agency"):
        bucket = _ordered(counts[key])
        names = _names(key)
        if any(c not in names for c, _ in bucket):  # new since the names were read
            _names_cache.pop(key, None)
            names = _names(key)
            for c, _ in bucket:  # still unknown (a deleted agency): its code, until TTL
                names.setdefault(c, c)
        out[key] = [FacetValue(c, names.get(c, c), n) for c, n in bucket]
    for key, vocabulary in (("level", LEVELS), ("audience", AUDIENCES), ("mode", MODES)):
        out[key] = [
            FacetValue(code, label, counts[key][code])
            for code, label in vocabulary
            if counts[key].get(code)
        ]
    years = sorted(counts["year"].items(), key=lambda r: -int(r[0]))
    out["year"] = [FacetValue(str(int(y)), f"{int(y)}年", n) for y, n in years]
    return out


def _highlighter(terms: list[str]) -> re.Pattern | None:
    terms = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms[:50]), re.IGNORECASE)


def snippet(
    text: str, pattern: re.Pattern | None, width: int = SNIPPET_CHARS, title: str = ""
) -> str:
    """A window of the text around the first match, HTML-escaped, matches in <mark>.

    Matches are looked for in the text as stored first (the terms are normalised, and
    stored text mostly is too); only a text without one is normalised (NFKC,
    traditional → simplified) and searched again — normalising every hit's text cost
    50 µs a hit."""
    text = " ".join((text or "").split())
    spans = [m.span() for m in pattern.finditer(text)] if pattern else []
    if not spans and pattern:
        norm = normalize(text)
        if len(norm) != len(text):  # NFKC changed lengths: show the normalised text
            text = norm
        spans = [m.span() for m in pattern.finditer(norm)]
    if not spans and title:
        return snippet(f"{title}：{text}", pattern, width)
    start = 0
    if spans and spans[0][0] > width // 3:
        start = spans[0][0] - width // 3
    end = min(len(text), start + width)
    out, pos = [], start
    for a, b in spans:
        if a < pos or b > end:
            continue
        out.append(html.escape(text[pos:a]))
        out.append("<mark>" + html.escape(text[a:b]) + "</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    return ("…" if start else "") + "".join(out) + ("…" if end < len(text) else "")
