from django.db import migrations, models


def fill_name_pinyin(apps, schema_editor):
    """Give every existing deputy the compact pinyin the prefix search filters on."""
    from minsheng.deputies.models import compact_pinyin

    Deputy = apps.get_model("deputies", "Deputy")
    batch = []
    for deputy in Deputy.objects.only("id", "name").iterator(chunk_size=2000):
        deputy.name_pinyin = compact_pinyin(deputy.name)
        batch.append(deputy)
        if len(batch) >= 2000:
            Deputy.objects.bulk_update(batch, ["name_pinyin"])
            batch = []
    if batch:
        Deputy.objects.bulk_update(batch, ["name_pinyin"])


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="deputy",
            name="name_pinyin",
            field=models.CharField(db_index=True, default="", editable=False, max_length=200),
        ),
        migrations.RunPython(fill_name_pinyin, migrations.RunPython.noop),
    ]
