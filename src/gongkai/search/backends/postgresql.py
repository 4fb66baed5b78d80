"""PostgreSQL: a weighted tsvector column (A title, B elements, C body, D chars) with a
GIN index, kept current by a trigger (migration 0002). Lexemes come from our own
segmentation; 'simple' leaves them as they are."""

from __future__ import annotations

import json
from contextlib import contextmanager

from django.db import connection, transaction

from ..query import Alternative, Query

DOCS = "search_searchdocument"
WEIGHTS = "'{0.3, 0.2, 0.4, 1.0}'"  # D (chars), C (body), B (elements), A (title)


def _quote(token: str, chars: bool, title: bool = False) -> str:
    weight = ":D" if chars else (":A" if title else "")
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'" + weight


def _alt(alt: Alternative, title: bool = False) -> str:
    inner = " & ".join(_quote(t, alt.chars, title) for t in alt.tokens)
    return f"({inner})" if len(alt.tokens) > 1 else inner


def render(query: Query, mode: str = "and", *, title: bool = False) -> str:
    """The query as a tsquery; `title`: matching in the title only (weight A for the
    title's tokens; the title's characters are weight D anyway)."""
    groups = ["(" + " | ".join(_alt(a, title) for a in g.alternatives) + ")" for g in query.groups]
    return (_AND_GROUPS if mode == "and" else " | ").join(groups)


_AND_GROUPS = " & "  # how render() joins a query's groups for "all terms"


def _several_terms(expr: str) -> bool:
    """Is `expr` (from render) an AND of several groups? Groups are parenthesised, so
    only their join puts ")" and "(" around the operator."""
    return f"){_AND_GROUPS}(" in expr


def exclude(expr: str, other: str) -> str:
    """Documents matching `expr` but not `other`."""
    return f"({expr}) & !({other})"


def count(expr: str, where: str | None = None, where_params=(), *, cap: int | None = None) -> int:
    """How many documents match `expr` (within `where`, a condition on the documents
    table): count(*) over the GIN match; with `cap`, counting stops past it (the
    result is then cap + 1)."""
    condition, params = _matching(expr, where, where_params)
    source = f'SELECT 1 FROM "{DOCS}" WHERE {condition}'  # noqa: S608
    if cap is not None:
        source += f" LIMIT {int(cap) + 1}"
    sql = f"SELECT count(*) FROM ({source}) c"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _matching(expr: str, where, where_params) -> tuple[str, list]:
    """The condition on the documents table: matches `expr`, within `where` if given."""
    match_sql, params = match_where(expr)
    if where:
        return f"{match_sql} AND {where}", [*params, *(where_params or ())]
    return match_sql, params


def match_stats(
    expr: str, where, where_params, *, cap: int, facet_cap: int, facets: dict[str, str]
) -> tuple[int, list[int] | None, list[tuple[str, str, int]]]:
    """One scan for what `services._stats` needs: how many documents match (counting
    stops past `cap`), their ids when there are no more than `cap`, and the facet
    counts (facet, value, n) of the first `facet_cap` of them (`facets`: facet →
    column). Each GIN scan builds the whole match bitmap before its first row, so a
    separate facet sample and count cost that twice (义务教育招生 at a million
    documents: 20 + 25 ms, one pass 30 ms)."""
    condition, params = _matching(expr, where, where_params)
    columns = dict.fromkeys(facets.values())
    selected = ", ".join(f'"{DOCS}".{c}' for c in columns)
    parts = [
        "SELECT NULL, NULL, count(*), "  # noqa: S608
        f"CASE WHEN count(*) <= {int(cap)} THEN array_agg(id) END FROM m"
    ]
    parts += [
        f"SELECT '{key}', {column}::text, count(*), NULL FROM f GROUP BY {column}"  # noqa: S608
        for key, column in facets.items()
    ]
    sql = (
        f'WITH m AS MATERIALIZED (SELECT "{DOCS}".id, {selected} FROM "{DOCS}" '  # noqa: S608
        f"WHERE {condition} LIMIT {int(cap) + 1}), "
        f"f AS (SELECT * FROM m LIMIT {int(facet_cap)}) " + " UNION ALL ".join(parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total, ids = rows[0][2], rows[0][3]
    if total == 0:
        ids = []  # array_agg over no rows is NULL
    return total, ids, [(key, value, n) for key, value, n, _ in rows[1:]]


def match_ids_sql(expr: str) -> tuple[str, list]:
    return f"SELECT id FROM {DOCS} WHERE search_vector @@ %s::tsquery", [expr]  # noqa: S608


def match_where(expr: str) -> tuple[str, list]:
    """A WHERE condition on the documents table: the document matches `expr`."""
    return f'"{DOCS}"."search_vector" @@ %s::tsquery', [expr]


def ranked(
    expr: str,
    where: str | None = None,
    where_params=(),
    *,
    sort: str,
    limit: int,
    offset: int,
    first: str | None = None,
    window: int | None = None,
    terms=None,  # SQLite scores its window itself; ts_rank has no fixed cost to avoid
    density: float | None = None,
    ids: list[int] | None = None,
) -> list[tuple[int, float]]:
    """(id, score) of matching documents, best first; `where` is a condition on the
    documents table (ORM-compiled filters), or None for all documents. With `window`
    (relevance order): only the newest `window` matches are ranked, the older ones
    follow newest first (as in the SQLite backend)."""
    if window and sort != "date":
        return _windowed(expr, where, where_params, window, limit, offset, density, ids)
    order = (
        f'"{DOCS}".published_at DESC NULLS LAST, "{DOCS}".id DESC'
        if sort == "date"
        else f'score DESC, "{DOCS}".id'
    )
    params = [expr, *(where_params or ())]
    if first and sort != "date":
        order = f'CASE WHEN "{DOCS}".search_vector @@ %s::tsquery THEN 0 ELSE 1 END, {order}'
        params.append(first)
    sql = (
        f'SELECT "{DOCS}".id, ts_rank({WEIGHTS}, "{DOCS}".search_vector, q.q) AS score '  # noqa: S608
        f'FROM "{DOCS}", (SELECT %s::tsquery AS q) q '
        f'WHERE "{DOCS}".search_vector @@ q.q'
        + (f" AND {where}" if where else "")
        + f" ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


SAMPLE_ROWS = 2_000  # rows read by `estimate`'s random sample of the table


def estimate(
    expr: str, columns: str, where, where_params, *, min_docs: int, plan_min: float = 0
) -> tuple[float, int, float, list[tuple]] | None:
    """A random sample of the documents table, for match sets too large to count.

    Returns (estimated number of matches, matches in the sample, their share of the
    sample, the sampled matches' `columns`), or None when the table holds fewer than
    `min_docs` documents (then exact counting is cheap enough). Every GIN scan builds
    the whole match bitmap before the first row comes back, so counting even up to a
    cap costs 50–250 ms for a term in a tenth of a million documents; a block sample
    (TABLESAMPLE SYSTEM, REPEATABLE so the figures stay put from page to page) reads
    ~2,000 rows in 5–12 ms and tests each one. Also None when the planner expects
    fewer than `plan_min` matches (its lexeme statistics are good for frequent words;
    an underestimate only means counting, which is always right): the sample would
    be wasted on them."""
    condition, params = _matching(expr, where, where_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [DOCS])
        found = cursor.fetchone()
        docs = float(found[0]) if found else 0.0
        if docs < min_docs:  # also -1: never analysed (a new or tiny table)
            return None
        if plan_min and _planned_rows(cursor, condition, params) < plan_min:
            return None
        percent = min(100.0, 100.0 * SAMPLE_ROWS / docs)
        cursor.execute(
            f'SELECT {condition}, {columns} FROM "{DOCS}" '  # noqa: S608
            "TABLESAMPLE SYSTEM (%s) REPEATABLE (7)",
            [*params, percent],
        )
        rows = cursor.fetchall()
    if not rows:
        return None
    matches = [row[1:] for row in rows if row[0]]
    share = len(matches) / len(rows)
    return share * docs, len(matches), share, matches


def _planned_rows(cursor, condition: str, params) -> float:
    """The planner's estimate of how many documents meet `condition` (no execution)."""
    cursor.execute(f'EXPLAIN (FORMAT JSON) SELECT 1 FROM "{DOCS}" WHERE {condition}', params)  # noqa: S608
    plan = cursor.fetchone()[0]
    if isinstance(plan, str | bytes):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


# The two ways to the newest matches (_windowed): walking the primary key backwards, or
# the GIN bitmap sorted — `id + 0` keeps the planner off the key.
WALK = f'"{DOCS}".id DESC'
BITMAP = f'"{DOCS}".id + 0 DESC'

PROBE = 2_000  # newest documents sampled to choose the plan of a window (_dense)
DENSE = 0.01  # … matching at least this share of them: walk the primary key backwards


def _dense(cursor, expr: str, where, where_params) -> bool:
    """Do the newest documents match `expr` densely?

    The newest matches come fastest by walking the primary key backwards and testing
    each row while they are dense (a term in most documents), and fastest through the
    GIN bitmap and a sort while they are sparse: walking back in search of a term rare
    among the newest documents reads the whole table (3–5 s at a million). PostgreSQL's
    estimates for weighted tsqueries cannot tell the two apart, so look."""
    condition, params = _matching(expr, where, where_params)
    cursor.execute(
        f'SELECT count(*) FROM (SELECT * FROM "{DOCS}" ORDER BY id DESC LIMIT {PROBE}) "{DOCS}" '  # noqa: S608
        f"WHERE {condition}",
        params,
    )
    return cursor.fetchone()[0] >= PROBE * DENSE


def _windowed(
    expr, where, where_params, window: int, limit: int, offset: int, density=None, known=None
) -> list[tuple[int, float]]:
    """Positions offset…offset+limit of: the newest `window` matches ranked, then every
    older match newest first. The newest matches are found walking the primary key
    backwards when they are dense, through the GIN bitmap otherwise (`id + 0` keeps
    the planner off the key, see _dense). `density`: the share of documents matching,
    from `estimate`'s sample (saves the probe); the search is then bounded to the
    newest ids, a generous multiple of the rows it should need — walked when one term
    is in a fifth of the documents or more (several terms: a hundredth), else through
    the GIN bitmap ANDed with the key range (a walk tests each row's tsvector, read
    from TOAST: 25–50 ms for a term in 2–5% of a million documents, the bounded bitmap
    10–15 ms) — and falls back to the whole bitmap if a skewed table (the term rare
    among the newest documents) leaves it short. The window's ids come first and
    ts_rank reads the tsvectors of those ids only; `known`: every match's id, when the
    caller has them all (no scan needed)."""
    condition, params = _matching(expr, where, where_params)
    source = f'"{DOCS}" WHERE {condition}'
    rows: list[tuple[int, float]] = []
    with connection.cursor() as cursor:
        if known is not None:  # every match is known: no scan, newest first by id
            return _known_window(cursor, expr, sorted(known, reverse=True), window, limit, offset)
        if density is not None:
            # The bitmap of an AND reads every term's postings, however few documents
            # have them all (救助 名单: 40 ms against a 25 ms walk); one term's postings
            # are just its matches.
            dense_enough = DENSE if _several_terms(expr) else WALK_DENSITY
            order = WALK if density >= dense_enough else BITMAP
        else:
            order = WALK if _dense(cursor, expr, where, where_params) else BITMAP
        if offset < window:
            ids = _newest(cursor, source, params, order, window, density)
            if density is not None and len(ids) < window:
                order = BITMAP  # the bounded search fell short: the whole bitmap has them
                ids = _newest(cursor, source, params, order, window, None)
            rows = _rank(cursor, expr, ids, min(limit, window - offset), offset)
            if len(ids) < window:
                return rows  # the matches ran out inside the window: none are older
        rest = limit - len(rows)
        if rest > 0 and offset + limit > window:
            cursor.execute(
                f'SELECT "{DOCS}".id FROM {source} '  # noqa: S608
                f"ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, rest, max(offset, window)],
            )
            rows += [(row[0], 0.0) for row in cursor.fetchall()]
    return rows


def _known_window(cursor, expr: str, newest: list[int], window: int, limit: int, offset: int):
    """`_windowed` over a known list of every match, newest first."""
    rows = _rank(cursor, expr, newest[:window], min(limit, window - offset), offset)
    rest = limit - len(rows)
    if rest > 0 and offset + limit > window:
        start = max(offset, window)
        rows += [(i, 0.0) for i in newest[start : start + rest]]
    return rows


def _rank(cursor, expr: str, ids: list[int], limit: int, offset: int) -> list[tuple[int, float]]:
    """(id, ts_rank) of these documents, best first, positions offset…offset+limit."""
    if not ids or limit <= 0:
        return []
    cursor.execute(
        f"SELECT id, ts_rank({WEIGHTS}, search_vector, %s::tsquery) AS score "  # noqa: S608
        f'FROM "{DOCS}" WHERE id = ANY(%s) '
        "ORDER BY score DESC, id LIMIT %s OFFSET %s",
        [expr, ids, limit, offset],
    )
    return [(row[0], float(row[1])) for row in cursor.fetchall()]


WALK_MARGIN = 4  # a bounded search reads up to this many times the rows it should need
WALK_DENSITY = 0.2  # with a known density at least this: walk the key, else bounded bitmap


def _newest(cursor, source: str, params, order: str, window: int, density) -> list[int]:
    """Ids of the newest `window` matches, in `order`; with a `density` the search is
    bounded to the newest window / density × WALK_MARGIN ids."""
    bound = ""
    if density:
        span = int(window / density * WALK_MARGIN)
        if order == BITMAP:
            # The bitmap: the bound as a constant, so the planner knows how few ids it
            # admits and ANDs the key range into the bitmap (a subquery's bound gets a
            # default third of the table, and the plan visits every match: 190 ms).
            cursor.execute(f'SELECT max(id) FROM "{DOCS}"')  # noqa: S608
            newest = cursor.fetchone()[0] or 0
            bound = f' AND "{DOCS}".id > {int(newest - span)}'
        else:
            # The walk: a subquery's bound, which the planner cannot see through, keeps
            # it walking the key (given the constant it prefers the bitmap: 41 ms
            # against 22 ms for 救助 名单).
            bound = f' AND "{DOCS}".id > (SELECT max(id) FROM "{DOCS}") - {span}'  # noqa: S608
    sql = f'SELECT "{DOCS}".id FROM {source}{bound} ORDER BY {order} LIMIT {int(window)}'  # noqa: S608
    if order != BITMAP:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
    # The bitmap, for this statement only: index scans off. Given the key range, the
    # planner may otherwise walk the range testing every row's tsvector — it costs the
    # tsvector test as nothing, but each is a TOAST read: 110–250 ms against 10–20 ms
    # for the bitmaps ANDed. SET LOCAL needs a transaction; the old value is put back
    # in case that is the caller's.
    with transaction.atomic():
        cursor.execute("SELECT current_setting('enable_indexscan')")
        before = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT set_config('enable_indexscan', %s, true)", [before])
    return ids


@contextmanager
def bulk_load():
    """For loading many documents at once: the GIN index is dropped for the duration
    and built once at the end. Run inside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS search_document_vector_gin")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE INDEX search_document_vector_gin ON {DOCS} USING GIN (search_vector)"
            )
