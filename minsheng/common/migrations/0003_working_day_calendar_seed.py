"""Load the official holiday schedules chinese-calendar knows (2004 to its last year) into the calendar table.
Re-runnable: `manage.py calendar_seed` does the same and never touches a year the office entered."""

from django.db import migrations


def seed(apps, schema_editor):
    from minsheng.common.workdays import seed_from_library

    seed_from_library(apps.get_model("common", "WorkCalendarYear"), apps.get_model("common", "WorkCalendarDay"))


def unseed(apps, schema_editor):
    apps.get_model("common", "WorkCalendarYear").objects.filter(source="library").delete()


class Migration(migrations.Migration):
    dependencies = [("common", "0002_working_day_calendar")]

    operations = [migrations.RunPython(seed, unseed)]
