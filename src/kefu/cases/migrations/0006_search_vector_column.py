"""PostgreSQL: keep the search terms' tsvector in a stored generated column.

Matching no longer recomputes to_tsvector for every candidate row, and the
column carries its own statistics, so the planner knows how common a term is.
The column is PostgreSQL-only and not a model field: only the search selector
reads it. SQLite keeps its FTS5 table (0002).
"""

from django.db import migrations

POSTGRES_UP = [
    "ALTER TABLE cases_case ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_terms)) STORED",
    "CREATE INDEX IF NOT EXISTS case_search_vector_gin ON cases_case USING gin (search_vector)",
    "DROP INDEX IF EXISTS case_search_terms_gin",
    "ALTER TABLE cases_case ALTER COLUMN search_vector SET STATISTICS 1000",
]
POSTGRES_DOWN = [
    "CREATE INDEX IF NOT EXISTS case_search_terms_gin ON cases_case "
    "USING gin (to_tsvector('simple', search_terms))",
    "DROP INDEX IF EXISTS case_search_vector_gin",
    "ALTER TABLE cases_case DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_default_reply_templates")]
    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
