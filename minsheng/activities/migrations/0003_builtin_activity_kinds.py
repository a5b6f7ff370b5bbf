"""The built-in kinds of activity (their names in Chinese, the users' language; pages show the translated
label of the code for built-in kinds)."""

from django.db import migrations

BUILTIN = [
    ("research", "专题调研"),
    ("inspection", "集中视察"),
    ("group", "代表小组活动"),
    ("meet_leader", "约见市长"),
    ("briefing", "“一府两院”政情通报会"),
    ("training", "培训"),
    ("report", "述职"),
    ("electoral_unit", "回选举单位"),
    ("planting", "植树（人大代表林）"),
    ("custom", "其他"),
]


def seed(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    for position, (code, name) in enumerate(BUILTIN, start=1):
        ActivityKind.objects.update_or_create(
            code=code, congress=None, defaults={"name": name, "position": position * 10}
        )


def unseed(apps, schema_editor):
    apps.get_model("activities", "ActivityKind").objects.filter(congress=None).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_duty_month")]
    operations = [migrations.RunPython(seed, unseed)]
