"""The statistics' summary table and its state move to `insights` (issue 10). State only: the tables stay,
with their names (`cases_casestatsrollup`, `cases_casestatsrefresh`); insights 0001 takes them over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_files_under_random_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CaseStatsRollup"),
                migrations.DeleteModel(name="CaseStatsRefresh"),
            ],
            database_operations=[],
        ),
    ]
