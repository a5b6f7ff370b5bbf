"""The statistics' summary table and its state, from `cases` (issue 10). State only: the tables are the ones
cases 0004 created, under their names (`db_table`); the content types follow the models, so that permissions
and admin history keep pointing at them."""

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models

MODELS = ("casestatsrollup", "casestatsrefresh")


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="insights", model=model).exists():
            ContentType.objects.filter(app_label="cases", model=model).update(app_label="insights")


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="cases", model=model).exists():
            ContentType.objects.filter(app_label="insights", model=model).update(app_label="cases")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cases", "0012_stats_summary_moves_to_insights"),
        ("congresses", "0002_congresses_text_lengths_and_date_checks"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CaseStatsRefresh',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('as_of', models.DateTimeField(blank=True, null=True)),
                        ('overdue_day', models.DateField(blank=True, null=True)),
                        ('full_at', models.DateTimeField(blank=True, null=True)),
                        ('congresses', models.PositiveIntegerField(default=0)),
                        ('seconds', models.FloatField(default=0)),
                    ],
                    options={
                        'verbose_name': 'statistics summary state',
                        'verbose_name_plural': 'statistics summary state',
                        'db_table': 'cases_casestatsrefresh',
                    },
                ),
                migrations.CreateModel(
                    name='CaseStatsRollup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('county', models.CharField(blank=True, max_length=6, null=True)),
                        ('year', models.PositiveSmallIntegerField()),
                        ('kind', models.CharField(choices=[('wish', 'Micro-wish'), ('micro_project', 'Micro-project'), ('suggestion', 'Suggestion')], max_length=16)),
                        ('answer_class', models.CharField(blank=True, default='', max_length=4)),
                        ('cases', models.PositiveIntegerField(default=0)),
                        ('status_filed', models.PositiveIntegerField(default=0)),
                        ('status_returned', models.PositiveIntegerField(default=0)),
                        ('status_refused', models.PositiveIntegerField(default=0)),
                        ('status_accepted', models.PositiveIntegerField(default=0)),
                        ('status_assigned', models.PositiveIntegerField(default=0)),
                        ('status_answered', models.PositiveIntegerField(default=0)),
                        ('status_dissatisfied', models.PositiveIntegerField(default=0)),
                        ('status_closed', models.PositiveIntegerField(default=0)),
                        ('status_withdrawn', models.PositiveIntegerField(default=0)),
                        ('overdue', models.PositiveIntegerField(default=0)),
                        ('wishes_realised', models.PositiveIntegerField(default=0)),
                        ('answers_due', models.PositiveIntegerField(default=0)),
                        ('answered_on_time', models.PositiveIntegerField(default=0)),
                        ('answers', models.PositiveIntegerField(default=0)),
                        ('rated_satisfied', models.PositiveIntegerField(default=0)),
                        ('rated_mostly', models.PositiveIntegerField(default=0)),
                        ('rated_dissatisfied', models.PositiveIntegerField(default=0)),
                        ('value_donated', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14)),
                        ('parts_assigned', models.PositiveIntegerField(default=0)),
                        ('parts_answered', models.PositiveIntegerField(default=0)),
                        ('answers_met', models.PositiveIntegerField(default=0)),
                        ('answers_implemented', models.PositiveIntegerField(default=0)),
                        ('closed_unrated', models.PositiveIntegerField(default=0)),
                        ('congress', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='congresses.congress')),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='units.unit')),
                    ],
                    options={
                        'verbose_name': 'statistics summary row',
                        'verbose_name_plural': 'statistics summary rows',
                        'db_table': 'cases_casestatsrollup',
                        'indexes': [models.Index(fields=['congress', 'year'], name='case_rollup_congress_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_back),
    ]
