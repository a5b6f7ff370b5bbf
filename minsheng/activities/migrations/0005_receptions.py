"""Receptions followed to an answer: each existing reception's single matter becomes its first
`ReceptionMatter` (only for receptions that have none yet), in set-based SQL by ranges of ids (the benchmark
holds a million receptions), then the matters sent on get their answer date (one UPDATE per reception date),
and the receptions whose every matter is closed are archived.

How the old outcome maps: answered on the spot → answered (closed, the note as the answer); referred to a unit
→ sent to the town (open, answer due N working days after); recorded as a case → a suggestion, or a wish when
the linked case is a micro-wish (closed once the case exists, else open); nothing further → answered (closed).
The old fields stay on `Reception` as the summary of its first matter (the log's filters and the duty record's
counts read them).
"""

import datetime as dt

from django.conf import settings
from django.db import migrations
from django.utils import timezone

BATCH = 50_000


def _tables(apps):
    Reception = apps.get_model("activities", "Reception")
    Matter = apps.get_model("activities", "ReceptionMatter")
    Case = apps.get_model("cases", "Case")
    return Reception._meta.db_table, Matter._meta.db_table, Case._meta.db_table


def move_matters(apps, schema_editor):
    reception, matter, case = _tables(apps)
    connection = schema_editor.connection
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {q(reception)}")
        low, high = cursor.fetchone()
        if low is None:
            return
        insert = f"""
            INSERT INTO {q(matter)} (created_at, updated_at, reception_id, position, text, category, disposal,
                referred_to_id, referred_to_name, case_id, status, answer_due, answer, answered_at, feedback_at,
                feedback_how, feedback_note)
            SELECT r.created_at, r.updated_at, r.id, 1, r.matter, r.category,
                CASE r.outcome WHEN 'referred' THEN 'town'
                    WHEN 'case' THEN (CASE WHEN c.kind = 'wish' THEN 'wish' ELSE 'suggestion' END)
                    ELSE 'answered' END,
                r.referred_to_id, '', r.case_id,
                CASE WHEN r.outcome = 'referred' THEN 'open'
                    WHEN r.outcome = 'case' AND r.case_id IS NULL THEN 'open'
                    ELSE 'closed' END,
                NULL,
                CASE WHEN r.outcome IN ('answered', 'none') THEN r.outcome_note ELSE '' END,
                CASE WHEN r.outcome IN ('answered', 'none') THEN r.received_at ELSE NULL END,
                CASE WHEN r.outcome IN ('answered', 'none') THEN r.received_at ELSE NULL END,
                CASE WHEN r.outcome IN ('answered', 'none') THEN 'in_person' ELSE '' END,
                ''
            FROM {q(reception)} r LEFT JOIN {q(case)} c ON c.id = r.case_id
            WHERE r.id >= %s AND r.id < %s
              AND NOT EXISTS (SELECT 1 FROM {q(matter)} m WHERE m.reception_id = r.id)
        """
        archive = f"""
            UPDATE {q(reception)} SET archived_at = updated_at
            WHERE id >= %s AND id < %s AND archived_at IS NULL
              AND EXISTS (SELECT 1 FROM {q(matter)} m WHERE m.reception_id = {q(reception)}.id)
              AND NOT EXISTS (SELECT 1 FROM {q(matter)} m WHERE m.reception_id = {q(reception)}.id
                              AND m.status <> 'closed')
        """
        start = low
        while start <= high:
            cursor.execute(insert, [start, start + BATCH])
            cursor.execute(archive, [start, start + BATCH])
            start += BATCH


def set_answer_due(apps, schema_editor):
    """One UPDATE per local date of reception among the matters sent on (a few thousand dates at most)."""
    from django.db.models.functions import TruncDate

    from minsheng.common.clock import working_deadline

    Matter = apps.get_model("activities", "ReceptionMatter")
    days = settings.MINSHENG.get("RECEPTION_MATTER_ANSWER_WORKING_DAYS", 15)
    pending = Matter.objects.filter(disposal__in=["town", "higher"], answer_due__isnull=True)
    dates = (
        pending.annotate(d=TruncDate("reception__received_at"))
        .order_by("d")
        .values_list("d", flat=True)
        .distinct()
    )
    tz = timezone.get_current_timezone()
    for day in list(dates):
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz)
        end = start + dt.timedelta(days=1)
        pending.filter(reception__received_at__gte=start, reception__received_at__lt=end).update(
            answer_due=working_deadline(day, days).date
        )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_activities"),
        ("cases", "0012_stats_summary_moves_to_insights"),
    ]

    operations = [
        migrations.RunPython(move_matters, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(set_answer_due, migrations.RunPython.noop, elidable=True),
    ]
