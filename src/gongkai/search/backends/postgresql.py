"""PostgreSQL: a weighted tsvector column (A title, B elements, C body, D chars) with a
GIN index, kept current by a trigger (migration 0002). Lexemes come from our own
segmentation; 'simple' leaves them as they are."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

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
    return f" {'&' if mode == 'and' else '|'} ".join(groups)


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


def match_ids_sql(expr: str) -> tuple[str, list]:
    return f"SELECT id FROM {DOCS} WHERE search_vector @@ %s::tsquery", [expr]  # noqa: S608


def match_where(expr: str) -> tuple[str, list]:
    """A WHERE condition on the documents table: the document matches `expr`."""
    return f'"{DOCS}"."search_vector" @@ %s::tsquery', [expr]


def sample_sql(expr: str, columns: str, where: str | None, limit: int) -> tuple[str, list]:
    """The first `limit` matching documents (in physical, roughly id, order: the bitmap
    scan stops at the limit), selecting `columns` of the documents table."""
    match_sql, params = match_where(expr)
    sql = (
        f'SELECT {columns} FROM "{DOCS}" WHERE {match_sql}'  # noqa: S608
        + (f" AND {where}" if where else "")
        + f" LIMIT {int(limit)}"
    )
    return sql, params


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
) -> list[tuple[int, float]]:
    """(id, score) of matching documents, best first; `where` is a condition on the
    documents table (ORM-compiled filters), or None for all documents. With `window`
    (relevance order): only the newest `window` matches are ranked, the older ones
    follow newest first (as in the SQLite backend)."""
    if window and sort != "date":
        return _windowed(expr, where, where_params, window, limit, offset)
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


def _windowed(expr, where, where_params, window: int, limit: int, offset: int):
    """Positions offset…offset+limit of: the newest `window` matches ranked, then every
    older match newest first. ts_rank reads each match's tsvector; the window bounds
    that work for terms found in most documents. The newest matches are found walking
    the primary key backwards when they are dense, through the GIN bitmap otherwise
    (`id + 0` keeps the planner off the key, see _dense)."""
    condition, params = _matching(expr, where, where_params)
    source = f'"{DOCS}" WHERE {condition}'
    rows: list[tuple[int, float]] = []
    with connection.cursor() as cursor:
        order = (
            f'"{DOCS}".id DESC'
            if _dense(cursor, expr, where, where_params)
            else (f'"{DOCS}".id + 0 DESC')
        )
        if offset < window:
            cursor.execute(
                f"SELECT id, ts_rank({WEIGHTS}, v, %s::tsquery) AS score FROM "  # noqa: S608
                f'(SELECT "{DOCS}".id, "{DOCS}".search_vector AS v FROM {source} '
                f"ORDER BY {order} LIMIT {int(window)}) w "
                "ORDER BY score DESC, id LIMIT %s OFFSET %s",
                [expr, *params, min(limit, window - offset), offset],
            )
            found = cursor.fetchall()
            rows = [(row[0], float(row[1])) for row in found]
            if len(found) < min(limit, window - offset):
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
