"""Seed the synonym table with common colloquial terms and abbreviations."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "synonyms.json"


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for term, expansions in json.loads(DATA.read_text("utf-8")):
        Synonym.objects.get_or_create(term=term, defaults={"expansions": expansions})


def unseed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    terms = [term for term, _ in json.loads(DATA.read_text("utf-8"))]
    Synonym.objects.filter(term__in=terms).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine_index")]

    operations = [migrations.RunPython(seed, unseed)]
