"""Index the bigram search terms: a GIN tsvector index on PostgreSQL, FTS5 on SQLite.

The SQLite FTS5 table uses the case table as external content and is kept in
step by triggers on the search_terms column (database triggers, not Django
signals: every writer, bulk loads included, stays indexed).
"""

from django.db import migrations

POSTGRES_UP = [
    "CREATE INDEX IF NOT EXISTS case_search_terms_gin ON cases_case "
    "USING gin (to_tsvector('simple', search_terms))",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS case_search_terms_gin"]

SQLITE_UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS cases_case_fts USING fts5("
    "search_terms, content='cases_case', content_rowid='id')",
    "CREATE TRIGGER IF NOT EXISTS cases_case_fts_insert AFTER INSERT ON cases_case BEGIN "
    "INSERT INTO cases_case_fts(rowid, search_terms) VALUES (new.id, new.search_terms); END",
    "CREATE TRIGGER IF NOT EXISTS cases_case_fts_delete AFTER DELETE ON cases_case BEGIN "
    "INSERT INTO cases_case_fts(cases_case_fts, rowid, search_terms) "
    "VALUES ('delete', old.id, old.search_terms); END",
    "CREATE TRIGGER IF NOT EXISTS cases_case_fts_update AFTER UPDATE OF search_terms "
    "ON cases_case BEGIN "
    "INSERT INTO cases_case_fts(cases_case_fts, rowid, search_terms) "
    "VALUES ('delete', old.id, old.search_terms); "
    "INSERT INTO cases_case_fts(rowid, search_terms) VALUES (new.id, new.search_terms); END",
    "INSERT INTO cases_case_fts(cases_case_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS cases_case_fts_insert",
    "DROP TRIGGER IF EXISTS cases_case_fts_delete",
    "DROP TRIGGER IF EXISTS cases_case_fts_update",
    "DROP TABLE IF EXISTS cases_case_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
