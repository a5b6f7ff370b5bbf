import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Awards (DutyAward) can be edited (`updated_at`) and withdrawn with a reason (`withdrawn_at`,
    `withdrawn_by`, `withdrawal_reason`): a withdrawn award is kept but no longer counts."""

    dependencies = [
        ("insights", "0007_duty_summary_refresh"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="dutyaward",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="updated at"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="dutyaward",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="withdrawn at"),
        ),
        migrations.AddField(
            model_name="dutyaward",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="dutyaward",
            name="withdrawal_reason",
            field=models.TextField(blank=True, max_length=2000, verbose_name="reason for the withdrawal"),
        ),
        migrations.AddConstraint(
            model_name="dutyaward",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("withdrawal_reason"), 2000
                ),
                name="duty_award_withdrawal_reason_max_length",
            ),
        ),
    ]
