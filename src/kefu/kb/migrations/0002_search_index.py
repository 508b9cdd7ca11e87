"""Index the published articles' bigram terms: FTS5 on SQLite, GIN on PostgreSQL.

SQLite: an FTS5 table over the article table (external content) with one column
for the title's terms and one for the text's, kept in step by triggers
(every writer stays indexed, as for cases, migration cases 0002). PostgreSQL:
GIN indexes over the same expressions the search selector matches.
"""

from django.db import migrations

POSTGRES_UP = [
    "CREATE INDEX IF NOT EXISTS kb_article_title_terms_gin ON kb_article "
    "USING gin (to_tsvector('simple', title_terms))",
    "CREATE INDEX IF NOT EXISTS kb_article_terms_gin ON kb_article "
    "USING gin (to_tsvector('simple', title_terms || ' ' || body_terms))",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS kb_article_title_terms_gin",
    "DROP INDEX IF EXISTS kb_article_terms_gin",
]

SQLITE_UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS kb_article_fts USING fts5("
    "title_terms, body_terms, content='kb_article', content_rowid='id')",
    "CREATE TRIGGER IF NOT EXISTS kb_article_fts_insert AFTER INSERT ON kb_article BEGIN "
    "INSERT INTO kb_article_fts(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
    "CREATE TRIGGER IF NOT EXISTS kb_article_fts_delete AFTER DELETE ON kb_article BEGIN "
    "INSERT INTO kb_article_fts(kb_article_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); END",
    "CREATE TRIGGER IF NOT EXISTS kb_article_fts_update AFTER UPDATE OF title_terms, body_terms "
    "ON kb_article BEGIN "
    "INSERT INTO kb_article_fts(kb_article_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    "INSERT INTO kb_article_fts(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
    "INSERT INTO kb_article_fts(kb_article_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS kb_article_fts_insert",
    "DROP TRIGGER IF EXISTS kb_article_fts_delete",
    "DROP TRIGGER IF EXISTS kb_article_fts_update",
    "DROP TABLE IF EXISTS kb_article_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("kb", "0001_articles")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
