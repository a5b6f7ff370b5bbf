"""Receptions move to the activities app (issue 10): out of the stations app's state only. The tables
(stations_reception, stations_reception_deputies) stay where they are: activities 0001 takes them over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0003_stations_text_lengths_and_date_checks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Reception")],
            database_operations=[],
        ),
    ]
