"""Every free text of a case has a maximum length, checked by the database too; the dates of visits and handling
records are checked against sense (minsheng/common/validators.py).

On SQLite adding a check constraint remakes the table, which drops the full-text search triggers of
0002_case_full_text_search: they are created again (and the index rebuilt) after the change, both ways."""

import importlib

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

import minsheng.common.crypto
import minsheng.common.validators

_search = importlib.import_module("minsheng.cases.migrations.0002_case_full_text_search")


def restore_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in _search.SQLITE_REVERSE[:3]:  # the triggers, if any survived
        schema_editor.execute(sql)
    for sql in _search.SQLITE_FORWARD[1:]:  # the triggers and the rebuild, not the FTS table
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_provisional_deadlines"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_search_triggers),
        migrations.AlterField(
            model_name="answer",
            name="text",
            field=models.TextField(max_length=10000, verbose_name="answer"),
        ),
        migrations.AlterField(
            model_name="assignment",
            name="opinion",
            field=models.TextField(blank=True, max_length=5000, verbose_name="assisting opinion"),
        ),
        migrations.AlterField(
            model_name="case",
            name="content",
            field=models.TextField(max_length=5000, verbose_name="content"),
        ),
        migrations.AlterField(
            model_name="case",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, max_length=100000),
        ),
        migrations.AlterField(
            model_name="case",
            name="status_note",
            field=models.TextField(blank=True, max_length=2000, verbose_name="note on the last decision"),
        ),
        migrations.AlterField(
            model_name="claim",
            name="withdraw_reason",
            field=models.TextField(blank=True, max_length=2000, verbose_name="reason for withdrawing"),
        ),
        migrations.AlterField(
            model_name="followupvisit",
            name="note",
            field=models.TextField(blank=True, max_length=2000, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="followupvisit",
            name="visited_on",
            field=models.DateField(
                validators=[minsheng.common.validators.validate_past_date], verbose_name="visited on"
            ),
        ),
        migrations.AlterField(
            model_name="handlingrecord",
            name="happened_on",
            field=models.DateField(
                validators=[minsheng.common.validators.validate_past_date], verbose_name="date"
            ),
        ),
        migrations.AlterField(
            model_name="handlingrecord",
            name="note",
            field=models.TextField(max_length=2000, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="homeverification",
            name="findings",
            field=models.TextField(max_length=5000, verbose_name="findings"),
        ),
        migrations.AlterField(
            model_name="homeverification",
            name="visited_on",
            field=models.DateField(
                validators=[minsheng.common.validators.validate_past_date], verbose_name="visited on"
            ),
        ),
        migrations.AlterField(
            model_name="rating",
            name="comment",
            field=models.TextField(blank=True, max_length=2000, verbose_name="comment"),
        ),
        migrations.AlterField(
            model_name="reassignmentrequest",
            name="decision_note",
            field=models.TextField(blank=True, max_length=2000, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="reassignmentrequest",
            name="reason",
            field=models.TextField(max_length=2000, verbose_name="reason"),
        ),
        migrations.AlterField(
            model_name="supervisionaction",
            name="note",
            field=models.TextField(blank=True, max_length=2000, verbose_name="note"),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("text"), 10000
                ),
                name="answer_text_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("opinion"), 5000
                ),
                name="assignment_opinion_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("content"), 5000
                ),
                name="case_content_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("status_note"), 2000
                ),
                name="case_status_note_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("search_text"), 100000
                ),
                name="case_search_text_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("withdraw_reason"), 2000
                ),
                name="claim_withdraw_reason_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="followupvisit",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("note"), 2000
                ),
                name="followup_note_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="handlingrecord",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("note"), 2000
                ),
                name="handlingrecord_note_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="homeverification",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("findings"), 5000
                ),
                name="homeverification_findings_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("comment"), 2000
                ),
                name="rating_comment_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="reassignmentrequest",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("reason"), 2000
                ),
                name="reassignment_reason_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="reassignmentrequest",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("decision_note"), 2000
                ),
                name="reassignment_decision_note_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="supervisionaction",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("note"), 2000
                ),
                name="supervision_note_max_length",
            ),
        ),
        migrations.AlterField(
            model_name="beneficiary",
            name="address",
            field=minsheng.common.crypto.EncryptedCharField(max_length=200, verbose_name="address"),
        ),
        migrations.AlterField(
            model_name="beneficiary",
            name="id_number",
            field=minsheng.common.crypto.EncryptedCharField(
                blank=True, default="", max_length=30, verbose_name="ID number"
            ),
        ),
        migrations.AlterField(
            model_name="beneficiary",
            name="name",
            field=minsheng.common.crypto.EncryptedCharField(max_length=50, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="beneficiary",
            name="phone",
            field=minsheng.common.crypto.EncryptedCharField(
                blank=True, default="", max_length=20, verbose_name="phone"
            ),
        ),
        migrations.AddConstraint(
            model_name="beneficiary",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("name"), 356
                ),
                name="beneficiary_name_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="beneficiary",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("id_number"), 248
                ),
                name="beneficiary_id_number_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="beneficiary",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("phone"), 204
                ),
                name="beneficiary_phone_max_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="beneficiary",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("address"), 1164
                ),
                name="beneficiary_address_max_length",
            ),
        ),
        migrations.RunPython(restore_search_triggers, migrations.RunPython.noop),
    ]
