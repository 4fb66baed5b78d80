"""Seed the synonym rows added to data/synonyms.json since 0007 (benefits, schooling,
employment and business words residents use); rows an administrator already has — edited
or not — are left as they are (0003's get_or_create)."""

from importlib import import_module

from django.db import migrations

seed = import_module("gongkai.search.migrations.0003_seed_synonyms").seed


class Migration(migrations.Migration):
    dependencies = [("search", "0008_fts_detail_column")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
