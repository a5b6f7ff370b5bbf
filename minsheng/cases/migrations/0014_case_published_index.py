# The published answers' partial index (issue 13): the page ran a parallel scan of every case.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_answer_letter_number_disclosure_contact"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("published_at__isnull", False)),
                fields=["-published_at", "-id"],
                name="case_published_idx",
            ),
        ),
    ]
