"""Reference data: the 26 standard domains exist in every installation."""

from django.db import migrations


def forwards(apps, schema_editor):
    from gongkai.catalog.reference import ensure_standard_domains

    ensure_standard_domains(apps.get_model("catalog", "Domain"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
