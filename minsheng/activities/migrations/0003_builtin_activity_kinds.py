"""The built-in kinds of activity (their names in Chinese, the users' language; pages show the translated
label of the code for built-in kinds)."""

from django.db import migrations

from minsheng.activities.kinds import ensure_builtin_kinds

def seed(apps, schema_editor):
    ensure_builtin_kinds(apps.get_model("activities", "ActivityKind"))


def unseed(apps, schema_editor):
    apps.get_model("activities", "ActivityKind").objects.filter(congress=None).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_duty_month")]
    operations = [migrations.RunPython(seed, unseed)]
