"""Engine backends: the same small interface on SQLite (FTS5) and PostgreSQL (tsvector).

SQL here is assembled from constants and ORM-compiled filter subqueries only; user text
reaches the database solely as a bound parameter, after analysis and quoting.
`get_backend()` picks the one for the default database. A backend renders a
`query.Query` into its own syntax (every token quoted) and returns ids and scores of
matching documents, restricted by a filter subquery, ordered by relevance or date.
"""

from contextlib import nullcontext

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
