"""The full-text index for SQLite: an FTS5 table kept in step with SearchDocument by
triggers. PostgreSQL computes its tsvector at query time and needs nothing here."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE community_search_fts USING fts5(
        title, body, content='community_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER community_search_ai AFTER INSERT ON community_searchdocument BEGIN
        INSERT INTO community_search_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER community_search_ad AFTER DELETE ON community_searchdocument BEGIN
        INSERT INTO community_search_fts(community_search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER community_search_au AFTER UPDATE ON community_searchdocument BEGIN
        INSERT INTO community_search_fts(community_search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO community_search_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
    "INSERT INTO community_search_fts(community_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS community_search_au",
    "DROP TRIGGER IF EXISTS community_search_ad",
    "DROP TRIGGER IF EXISTS community_search_ai",
    "DROP TABLE IF EXISTS community_search_fts",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
