"""JobRun and TaskHeartbeat moved to common (common 0005): state only, the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0003_notification_key_told_once"),
        ("common", "0005_jobs_move"),
    ]

    state_operations = [
        migrations.DeleteModel(
            name='JobRun',
        ),
        migrations.DeleteModel(
            name='TaskHeartbeat',
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])]
