"""PostgreSQL: a weighted tsvector column (A title, B elements, C body, D chars) with a
GIN index, kept current by a trigger (migration 0002). Lexemes come from our own
segmentation; 'simple' leaves them as they are."""

from __future__ import annotations

from django.db import connection

from ..query import Alternative, Query

DOCS = "search_searchdocument"
WEIGHTS = "'{0.3, 0.2, 0.4, 1.0}'"  # D (chars), C (body), B (elements), A (title)


def _quote(token: str, chars: bool) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'" + (":D" if chars else "")


def _alt(alt: Alternative) -> str:
    inner = " & ".join(_quote(t, alt.chars) for t in alt.tokens)
    return f"({inner})" if len(alt.tokens) > 1 else inner


def render(query: Query, mode: str = "and") -> str:
    groups = ["(" + " | ".join(_alt(a) for a in g.alternatives) + ")" for g in query.groups]
    return f" {'&' if mode == 'and' else '|'} ".join(groups)


def match_ids_sql(expr: str) -> tuple[str, list]:
    return f"SELECT id FROM {DOCS} WHERE search_vector @@ %s::tsquery", [expr]  # noqa: S608


def ranked(
    expr: str,
    filter_sql: str,
    filter_params,
    *,
    sort: str,
    limit: int,
    offset: int,
    first: str | None = None,
) -> list[tuple[int, float]]:
    order = "d.published_at DESC NULLS LAST, d.id DESC" if sort == "date" else "score DESC, d.id"
    params = [expr, *filter_params]
    if first and sort != "date":
        order = f"CASE WHEN d.search_vector @@ %s::tsquery THEN 0 ELSE 1 END, {order}"
        params.append(first)
    sql = (
        f"SELECT d.id, ts_rank({WEIGHTS}, d.search_vector, q.q) AS score "  # noqa: S608
        f"FROM {DOCS} d, (SELECT %s::tsquery AS q) q "
        f"WHERE d.search_vector @@ q.q AND d.id IN ({filter_sql}) "
        f"ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]
