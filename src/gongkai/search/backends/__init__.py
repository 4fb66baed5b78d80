"""Engine backends: the same small interface on SQLite (FTS5) and PostgreSQL (tsvector).

SQL here is assembled from constants and ORM-compiled filter subqueries only; user text
reaches the database solely as a bound parameter, after analysis and quoting.
`get_backend()` picks the one for the default database. A backend renders a
`query.Query` into its own syntax (every token quoted) and returns ids and scores of
matching documents, restricted by a filter subquery, ordered by relevance or date.
"""

from django.db import connection


def get_backend():
    if connection.vendor == "postgresql":
        from . import postgresql

        return postgresql
    from . import sqlite

    return sqlite
