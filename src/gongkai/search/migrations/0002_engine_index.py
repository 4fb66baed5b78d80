"""The engine index over the token columns, one twin per database.

SQLite: an FTS5 external-content table `search_fts` with triggers keeping it in sync.
PostgreSQL: a weighted tsvector column `search_vector` (A title, B elements, C body,
D chars) with a GIN index, maintained by a trigger.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_tokens, elements_tokens, body_tokens, chars,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title_tokens, elements_tokens, body_tokens, chars)
        VALUES (new.id, new.title_tokens, new.elements_tokens, new.body_tokens, new.chars);
    END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_tokens, elements_tokens, body_tokens,
            chars)
        VALUES ('delete', old.id, old.title_tokens, old.elements_tokens, old.body_tokens,
            old.chars);
    END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_tokens, elements_tokens, body_tokens,
            chars)
        VALUES ('delete', old.id, old.title_tokens, old.elements_tokens, old.body_tokens,
            old.chars);
        INSERT INTO search_fts(rowid, title_tokens, elements_tokens, body_tokens, chars)
        VALUES (new.id, new.title_tokens, new.elements_tokens, new.body_tokens, new.chars);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]

PG_UP = [
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION search_document_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('simple', coalesce(NEW.title_tokens, '')), 'A') ||
            setweight(to_tsvector('simple', coalesce(NEW.elements_tokens, '')), 'B') ||
            setweight(to_tsvector('simple', coalesce(NEW.body_tokens, '')), 'C') ||
            setweight(to_tsvector('simple', coalesce(NEW.chars, '')), 'D');
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER search_document_vector_trg BEFORE INSERT OR UPDATE
        ON search_searchdocument FOR EACH ROW EXECUTE FUNCTION search_document_vector()""",
    "UPDATE search_searchdocument SET id = id",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (search_vector)",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "DROP TRIGGER IF EXISTS search_document_vector_trg ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_document_vector()",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
