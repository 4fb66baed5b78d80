"""SQLite: FTS5's `rank` column is the weighted bm25 (title, elements, body, chars), so
`ORDER BY rank` sorts inside FTS5. Nothing to do on PostgreSQL."""

from django.db import migrations

UP = "INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 2.0)')"
DOWN = "DELETE FROM search_fts_config WHERE k = 'rank'"


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_seed_synonyms")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
