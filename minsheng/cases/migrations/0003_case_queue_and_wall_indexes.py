"""Partial indexes for the staff's queue counts and the public wish wall, found with the cases benchmark
(1,000,000 cases on PostgreSQL, docs/BENCHMARKS.md "Cases (issue 3)").

- `case_to_publish_idx`: closed cases not yet published, by congress. The "to publish" count of every staff
  list page read ~60,000 closed cases of a city from the heap (225 ms) to find the 10,000 unpublished ones.
- `case_assigned_due_idx`: assigned cases by congress and answer date: the overdue and due-in-7-days counts
  and lists of a region without reading the heap.
- `case_priority_idx`: cases under priority supervision (重点督办), few, by congress and status.
- `case_wall_live_idx`: the wish wall's cases in its order (newest on the wall first), with what its filters
  and its count read, so counting the wall (~200,000 wishes at the province's scale, 500 ms from the heap)
  is an index-only scan.

Raw SQL like 0002 (partial indexes and INCLUDE are not all expressible on both databases alike); the model's
own indexes are unchanged. SQLite gets the same partial indexes without INCLUDE.
"""

from django.db import migrations

WALL_WHERE = (
    "kind = 'wish' AND on_wall_at IS NOT NULL AND verified_at IS NOT NULL "
    "AND status NOT IN ('withdrawn', 'refused')"
)
COMMON = [
    "CREATE INDEX case_to_publish_idx ON cases_case (congress_id) "
    "WHERE status = 'closed' AND published_at IS NULL",
    "CREATE INDEX case_assigned_due_idx ON cases_case (congress_id, answer_due) WHERE status = 'assigned'",
    "CREATE INDEX case_priority_idx ON cases_case (congress_id, status) WHERE is_priority",
]
PG_FORWARD = [
    *COMMON,
    "CREATE INDEX case_wall_live_idx ON cases_case (on_wall_at DESC, id DESC) "
    f"INCLUDE (realised_at, amount, category, place_id) WHERE {WALL_WHERE}",
]
SQLITE_FORWARD = [
    *COMMON,
    f"CREATE INDEX case_wall_live_idx ON cases_case (on_wall_at DESC, id DESC) WHERE {WALL_WHERE}",
]
REVERSE = [
    f"DROP INDEX IF EXISTS {name}"
    for name in ("case_wall_live_idx", "case_priority_idx", "case_assigned_due_idx", "case_to_publish_idx")
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_full_text_search")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": REVERSE, "sqlite": REVERSE}),
        )
    ]
