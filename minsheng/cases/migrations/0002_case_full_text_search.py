"""Full-text search over Case.search_text (segmented words): an FTS5 table kept in step by triggers on SQLite,
a GIN index on to_tsvector('simple', search_text) on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE cases_case_fts USING fts5(search_text, content='cases_case', content_rowid='id')",
    """CREATE TRIGGER cases_case_fts_ai AFTER INSERT ON cases_case BEGIN
         INSERT INTO cases_case_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
    """CREATE TRIGGER cases_case_fts_ad AFTER DELETE ON cases_case BEGIN
         INSERT INTO cases_case_fts(cases_case_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
       END""",
    """CREATE TRIGGER cases_case_fts_au AFTER UPDATE OF search_text ON cases_case BEGIN
         INSERT INTO cases_case_fts(cases_case_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
         INSERT INTO cases_case_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
    "INSERT INTO cases_case_fts(cases_case_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_case_fts_au",
    "DROP TRIGGER IF EXISTS cases_case_fts_ad",
    "DROP TRIGGER IF EXISTS cases_case_fts_ai",
    "DROP TABLE IF EXISTS cases_case_fts",
]
PG_FORWARD = [
    "CREATE INDEX case_search_text_gin ON cases_case USING gin (to_tsvector('simple', search_text))",
]
PG_REVERSE = ["DROP INDEX IF EXISTS case_search_text_gin"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": PG_REVERSE}),
        )
    ]
