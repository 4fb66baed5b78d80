"""Seed the synonym rows added to data/synonyms.json since 0009 (shops and food, gas and
roads, building without approval, city upkeep, culture, schools, contacts and
procedures, taxes, family moves, and agencies by the short names residents use); rows
an administrator already has — edited or not — are left as they are (0003's
get_or_create), so 交税's new expansion 办税 reaches new installations only."""

from importlib import import_module

from django.db import migrations

seed = import_module("gongkai.search.migrations.0003_seed_synonyms").seed


class Migration(migrations.Migration):
    dependencies = [("search", "0009_more_synonyms")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
