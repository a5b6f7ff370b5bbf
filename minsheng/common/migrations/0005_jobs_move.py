"""JobRun and TaskHeartbeat moved from notifications to common (the scheduler's floor): state only, the tables
keep their names; their content types follow them so that permissions and admin history stay."""

from django.db import migrations, models


MODELS = ("jobrun", "taskheartbeat")


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def _move_content_types(apps, schema_editor):
    _relabel(apps, "notifications", "common")


def _move_content_types_back(apps, schema_editor):
    _relabel(apps, "common", "notifications")


class Migration(migrations.Migration):

    dependencies = [
        ("common", "0004_calendar_date_checks"),
        ("notifications", "0003_notification_key_told_once"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    state_operations = [
        migrations.CreateModel(
            name='TaskHeartbeat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('task_id', models.CharField(max_length=64, unique=True)),
                ('worker_id', models.CharField(max_length=64)),
                ('beat_at', models.DateTimeField(editable=False)),
            ],
            options={
                'verbose_name': 'task heartbeat',
                'verbose_name_plural': 'task heartbeats',
                'db_table': 'notifications_taskheartbeat',
            },
        ),
        migrations.CreateModel(
            name='JobRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100)),
                ('day', models.DateField()),
                ('enqueued_at', models.DateTimeField(auto_now_add=True)),
                ('status', models.CharField(choices=[('enqueued', 'Enqueued'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='enqueued', max_length=10, verbose_name='status')),
                ('task_id', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='task result')),
                ('attempts', models.PositiveSmallIntegerField(default=1, verbose_name='attempts')),
                ('finished_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='finished at')),
            ],
            options={
                'verbose_name': 'periodic job run',
                'verbose_name_plural': 'periodic job runs',
                'db_table': 'notifications_jobrun',
                'constraints': [models.UniqueConstraint(fields=('name', 'day'), name='one_job_run_per_day')],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
        migrations.RunPython(_move_content_types, _move_content_types_back),
    ]
