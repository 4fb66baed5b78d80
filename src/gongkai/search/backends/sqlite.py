"""SQLite FTS5 (external content over search_searchdocument, see migration 0002)."""

from __future__ import annotations

from django.db import connection

from ..query import Alternative, Query

TABLE = "search_fts"
DOCS = "search_searchdocument"
# bm25 weights: title_tokens, elements_tokens, body_tokens, chars.
RANK = f"bm25({TABLE}, 10.0, 4.0, 1.0, 2.0)"


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _alt(alt: Alternative) -> str:
    inner = " AND ".join(_quote(t) for t in alt.tokens)
    if alt.chars:
        return f"chars : ({inner})"
    return f"({inner})" if len(alt.tokens) > 1 else inner


def render(query: Query, mode: str = "and") -> str:
    groups = ["(" + " OR ".join(_alt(a) for a in g.alternatives) + ")" for g in query.groups]
    return f" {'AND' if mode == 'and' else 'OR'} ".join(groups)


def match_ids_sql(expr: str) -> tuple[str, list]:
    """A subquery giving the ids of matching documents (for ORM `id__in=RawSQL(...)`)."""
    return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [expr]  # noqa: S608


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
    """(id, score) of matching documents within the filter, best first; higher is better.
    With `first`, documents matching that expression too rank before the others."""
    order = "d.published_at DESC, d.id DESC" if sort == "date" else "score DESC, d.id"
    params = [expr, *filter_params]
    if first and sort != "date":
        order = (
            f"CASE WHEN d.id IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s) "  # noqa: S608
            f"THEN 0 ELSE 1 END, {order}"
        )
        params.append(first)
    sql = (
        f"SELECT d.id, -{RANK} AS score FROM {TABLE} JOIN {DOCS} d ON d.id = {TABLE}.rowid "  # noqa: S608
        f"WHERE {TABLE} MATCH %s AND d.id IN ({filter_sql}) ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]
