"""SQLite FTS5 (external content over search_searchdocument, see migration 0002).

Relevance is FTS5's `rank` column, configured as weighted bm25 in migration 0004, so
`ORDER BY rank` lets FTS5 sort inside the virtual table."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

from ..query import Alternative, Query
from ..scoring import SCORED_COLUMNS, ScoreTerms, score_all
from . import facet_rows

TABLE = "search_fts"
DOCS = "search_searchdocument"
# services._tiers: a small tier is ranked as a window (scoring.score_all), not by bm25,
# whose per-phrase row counts cost 20–35 ms for a common word however few rows match.
SCORES_SMALL_TIERS = True
# bm25 weights: title_tokens, elements_tokens, body_tokens, chars (the `rank` setting).
RANK_WEIGHTS = "10.0, 4.0, 1.0, 2.0"
RANK = f"bm25({TABLE}, {RANK_WEIGHTS})"


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _alt(alt: Alternative) -> str:
    inner = " AND ".join(_quote(t) for t in alt.tokens)
    if alt.chars:
        return f"chars : ({inner})"
    return f"({inner})" if len(alt.tokens) > 1 else inner


TITLE_COLUMNS = "{title_tokens chars}"  # the title's tokens and its characters


def render(query: Query, mode: str = "and", *, title: bool = False) -> str:
    """The query as an FTS5 expression; `title`: matching in the title columns only
    (a column filter; the `chars :` filters inside intersect with it)."""
    groups = ["(" + " OR ".join(_alt(a) for a in g.alternatives) + ")" for g in query.groups]
    expr = f" {'AND' if mode == 'and' else 'OR'} ".join(groups)
    return f"{TITLE_COLUMNS} : ({expr})" if title else expr


def exclude(expr: str, other: str) -> str:
    """Documents matching `expr` but not `other`."""
    return f"({expr}) NOT ({other})"


def count(
    expr: str,
    where: str | None = None,
    where_params=(),
    *,
    cap: int | None = None,
    after: int | None = None,
) -> int:
    """How many documents match `expr` (within `where`, a condition on the documents
    table; `after`: with a rowid above it). Without filters FTS5 counts its own
    doclists, no join. With `cap`, counting stops past it (the result is then cap + 1):
    a count over a million matches is ~30 ms, the first 10,001 well under 5."""
    source, params = _source(expr, where, where_params)
    if after is not None:
        source += f" AND {TABLE}.rowid > %s"
        params = [*params, after]
    source = f"SELECT {TABLE}.rowid FROM {source}"  # noqa: S608
    if cap is not None:
        source += f" LIMIT {int(cap) + 1}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({source})", params)  # noqa: S608
        return cursor.fetchone()[0]


def match_stats(
    expr: str, where, where_params, *, cap: int, facet_cap: int, facets: dict[str, str]
) -> tuple[int, list[int] | None, list[tuple[str, str, int]]]:
    """As postgresql.match_stats: the number of matches (counting stops past `cap`),
    their ids when this pass saw them all (no more than `facet_cap` here), and the facet
    counts (facet, value, n) of the first `facet_cap`. The facet rows are fetched and
    counted here (Counter, in C): grouping them in SQL costs SQLite a sort per facet,
    1–1.5 ms more for 2,000. Past them the count goes on from the last one's rowid —
    FTS5 seeks there — rather than walking those first matches a second time."""
    source, params = _source(expr, where, where_params, join=True)
    columns = list(dict.fromkeys(facets.values()))
    selected = ", ".join(f'"{DOCS}".{c}' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "{DOCS}".id, {selected} FROM {source} '  # noqa: S608
            f"ORDER BY {TABLE}.rowid LIMIT {int(facet_cap) + 1}",
            params,
        )
        found = cursor.fetchall()
    sample = found[:facet_cap]
    rows = facet_rows(sample, ["id", *columns], facets)
    if len(found) <= facet_cap:  # every match seen
        total = len(found)
        return min(total, cap + 1), [r[0] for r in found] if total <= cap else None, rows
    if cap <= facet_cap:  # the sample alone passes the cap
        return cap + 1, None, rows
    rest = count(expr, where, where_params, cap=cap - facet_cap, after=sample[-1][0])
    return facet_cap + rest, None, rows


def match_ids_sql(expr: str) -> tuple[str, list]:
    """A subquery giving the ids of matching documents (for ORM `id__in=RawSQL(...)`)."""
    return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [expr]  # noqa: S608


def match_where(expr: str) -> tuple[str, list]:
    """A WHERE condition on the documents table: the document matches `expr`."""
    return f'"{DOCS}"."id" IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)', [expr]  # noqa: S608


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
    terms: ScoreTerms | None = None,
    density: float | None = None,  # PostgreSQL's hint (postgresql._windowed); unused here
    ids: list[int] | None = None,
) -> list[tuple[int, float]]:
    """(id, score) of matching documents, best first; higher is better. `where` is a
    condition on the documents table (ORM-compiled filters), or None for all documents.
    With `first`, documents matching that expression too rank before the others.
    With `window` (relevance order): only the newest `window` matches are ranked, by
    scoring.score_all over `terms`; the older ones follow newest first (_windowed).
    `ids`: every matching document, when the caller already has them (services._stats),
    which spares a window that holds them all its second pass over the doclists."""
    if window and sort != "date":
        return _windowed(expr, where, where_params, window, limit, offset, terms, ids)
    params: list = [expr]
    if sort == "date":
        order = f'"{DOCS}".published_at DESC, "{DOCS}".id DESC'
    else:
        order = f"{TABLE}.rank, {TABLE}.rowid"
    if first and sort != "date":
        order = (
            f"CASE WHEN {TABLE}.rowid IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s) "  # noqa: S608
            f"THEN 0 ELSE 1 END, {order}"
        )
    if where is None and sort != "date":
        sql = (
            f"SELECT rowid, -rank FROM {TABLE} WHERE {TABLE} MATCH %s "  # noqa: S608
            f"ORDER BY {order} LIMIT %s OFFSET %s"
        )
        params += [first] if first else []
    else:
        sql = (
            f'SELECT {TABLE}.rowid, -{TABLE}.rank FROM {TABLE} JOIN "{DOCS}" '  # noqa: S608
            f'ON "{DOCS}".id = {TABLE}.rowid WHERE {TABLE} MATCH %s'
            + (f" AND {where}" if where else "")
            + f" ORDER BY {order} LIMIT %s OFFSET %s"
        )
        params += list(where_params or ())
        params += [first] if first and sort != "date" else []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def _source(expr: str, where, where_params, *, join: bool = False) -> tuple[str, list]:
    """FROM … WHERE for the matches of `expr` within `where` (a condition on the
    documents table, joined when there is one, or with `join`)."""
    if not where and not join:
        return f"{TABLE} WHERE {TABLE} MATCH %s", [expr]
    source = f'{TABLE} JOIN "{DOCS}" ON "{DOCS}".id = {TABLE}.rowid WHERE {TABLE} MATCH %s'
    if not where:
        return source, [expr]
    return f"{source} AND {where}", [expr, *(where_params or ())]


def _windowed(expr, where, where_params, window: int, limit: int, offset: int, terms, ids=None):
    """Positions offset…offset+limit of: the newest `window` matches ranked, then every
    older match newest first. Ranking a term found in a million documents means scoring
    them all (over a second); FTS5 walks its doclist backwards by rowid for free.
    bm25 itself first counts every row holding each phrase (~20–35 ms for a term in
    most documents, whatever the window), so the window is scored here from the
    documents' token columns instead (scoring.score_all)."""
    source, params = _source(expr, where, where_params)
    rows: list[tuple[int, float]] = []
    with connection.cursor() as cursor:
        if offset < window:
            columns = ", ".join("d." + c for c in SCORED_COLUMNS)
            if ids is not None and len(ids) < window:  # all of them: read by key
                marks = ", ".join(["%s"] * len(ids))
                cursor.execute(
                    f'SELECT d.id, {columns} FROM "{DOCS}" d WHERE d.id IN ({marks})',  # noqa: S608
                    list(ids),
                )
            else:
                cursor.execute(
                    f"SELECT d.id, {columns} FROM "  # noqa: S608
                    f"(SELECT {TABLE}.rowid AS id FROM {source} ORDER BY {TABLE}.rowid DESC "
                    f'LIMIT {int(window)}) w JOIN "{DOCS}" d ON d.id = w.id',
                    params,
                )
            found = cursor.fetchall()
            scores = score_all([r[1:] for r in found], terms or ScoreTerms.of((), ()))
            scored = sorted(
                zip([r[0] for r in found], scores, strict=True), key=lambda r: (-r[1], -r[0])
            )
            rows = scored[offset : offset + limit]
            if len(found) < window:  # the window held every match
                return rows
        rest = limit - len(rows)
        if rest > 0:
            cursor.execute(
                f"SELECT {TABLE}.rowid FROM {source} "  # noqa: S608
                f"ORDER BY {TABLE}.rowid DESC LIMIT %s OFFSET %s",
                [*params, rest, max(offset, window)],
            )
            rows += [(row[0], 0.0) for row in cursor.fetchall()]
    return rows


@contextmanager
def bulk_load():
    """For loading many documents at once: the insert trigger is dropped for the
    duration and the FTS index rebuilt from the content table at the end (much faster
    than one FTS insert per row). Run inside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS search_fts_ai")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")  # noqa: S608
            cursor.execute(INSERT_TRIGGER)


INSERT_TRIGGER = """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title_tokens, elements_tokens, body_tokens, chars)
        VALUES (new.id, new.title_tokens, new.elements_tokens, new.body_tokens, new.chars);
    END"""
