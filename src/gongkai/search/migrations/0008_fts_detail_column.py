"""SQLite: the FTS5 index keeps which columns hold a term, not where (detail=column).

Every query term is a single pre-segmented token and columns are filtered, never
phrases or NEAR, so positions were never read; without them the doclists are a fraction
of the size and walking them (counts, AND of several terms) is 2–3× faster at a million
documents. The 'ascii' tokenizer splits the token columns on the spaces between our
tokens only (every non-ASCII character is a token character), so a query token is always
one FTS5 token — with detail=column a token split in two would be a phrase, an error.
bm25 then counts a term once per column (its term frequency is 0 or 1 there); the
ranking window (scoring.py) still counts every occurrence. Nothing to do on PostgreSQL.
"""

from django.db import migrations

COLUMNS = "title_tokens, elements_tokens, body_tokens, chars"
CONTENT = "content='search_searchdocument', content_rowid='id'"
TRIGGERS = ("search_fts_ai", "search_fts_ad", "search_fts_au")


def _recreate(options: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        # The triggers (migration 0002) name the table, so they go and come back with it.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
                list(TRIGGERS),
            )
            triggers = [row[0] for row in cursor.fetchall()]
        for name in TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)
        schema_editor.execute("DROP TABLE IF EXISTS search_fts", params=None)
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, {CONTENT}, {options})",
            params=None,
        )
        for sql in triggers:
            schema_editor.execute(sql, params=None)
        schema_editor.execute(
            "INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 2.0)')",
            params=None,
        )
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')", params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0007_more_synonyms")]

    operations = [
        migrations.RunPython(
            _recreate("tokenize='ascii', detail=column"),
            _recreate("tokenize='unicode61 remove_diacritics 0'"),
        )
    ]
