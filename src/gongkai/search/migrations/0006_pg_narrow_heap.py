"""PostgreSQL: keep the documents table's heap rows narrow.

A search visits the heap row of every match it counts (a GIN index holds no columns),
so the rows' width decides how many pages a count reads. With the text columns inline
a row took ~1.7 KB and a million documents 1.7 GB of heap, far more than
shared_buffers: counting 10,000 matches read ~9,500 pages through the OS cache, 45–125
ms. With toast_tuple_target = 128, a row that is toasted at all keeps only its short
columns inline (ids, facet codes, dates) and moves title, body, tokens and tsvector to
the TOAST table: ~250 MB of heap for a million documents, read from shared buffers.
A hit's title and body are then read from TOAST, for the 20 hits of a page only. Rows
already stored keep their layout until rewritten (`gongkai reindex`, or VACUUM FULL).
Nothing to do on SQLite.
"""

from django.db import migrations

UP = "ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)"
DOWN = "ALTER TABLE search_searchdocument RESET (toast_tuple_target)"


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_suggestterm")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
