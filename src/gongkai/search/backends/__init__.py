"""Engine backends: the same small interface on SQLite (FTS5) and PostgreSQL (tsvector).

SQL here is assembled from constants and ORM-compiled filter subqueries only; user text
reaches the database solely as a bound parameter, after analysis and quoting.
`get_backend()` picks the one for the default database. A backend renders a
`query.Query` into its own syntax (every token quoted) and returns ids and scores of
matching documents, restricted by a filter subquery, ordered by relevance or date.
"""

from collections import Counter
from contextlib import nullcontext
from operator import itemgetter

from django.db import connection, transaction


def get_backend():
    if connection.vendor == "postgresql":
        from . import postgresql

        return postgresql
    from . import sqlite

    return sqlite


def read_guard():
    """Around a search's reads: on PostgreSQL a savepoint, so an engine error cannot
    poison the caller's transaction; on SQLite nothing — an error there aborts nothing,
    and `transaction.atomic()` would BEGIN IMMEDIATE (settings: transaction_mode), taking
    the write lock for a read, so every search would wait for a running import."""
    if connection.vendor == "postgresql":
        return transaction.atomic()
    return nullcontext()


def facet_rows(
    rows, columns: list[str], facets: dict[str, str], scale: float = 1.0
) -> list[tuple[str, str | None, int]]:
    """(facet, value as text, n) counted over `rows` (tuples of `columns`' values), each
    n × `scale` (at least 1) — counted with Counter, in C."""
    out: list[tuple[str, str | None, int]] = []
    for key, column in facets.items():
        tally = Counter(map(itemgetter(columns.index(column)), rows))
        out += [
            (key, None if v is None else str(v), max(1, round(n * scale))) for v, n in tally.items()
        ]
    return out
