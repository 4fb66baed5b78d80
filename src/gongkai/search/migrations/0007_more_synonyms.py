"""Seed the synonym rows added to data/synonyms.json since 0003 (colloquial terms across
the 26 domains) into existing databases; rows an administrator already has — edited or
not — are left as they are (0003's get_or_create)."""

from importlib import import_module

from django.db import migrations

seed = import_module("gongkai.search.migrations.0003_seed_synonyms").seed


class Migration(migrations.Migration):
    dependencies = [("search", "0006_pg_narrow_heap")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
