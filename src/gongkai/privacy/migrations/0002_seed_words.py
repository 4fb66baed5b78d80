"""Seed the sensitive-word list with common secrecy and internal-use markings."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "sensitive_words.json"


def seed(apps, schema_editor):
    SensitiveWord = apps.get_model("privacy", "SensitiveWord")
    for row in json.loads(DATA.read_text("utf-8")):
        SensitiveWord.objects.get_or_create(
            word=row["word"],
            defaults={
                "category": row["category"],
                "exempt_phrases": "\n".join(row.get("exempt", [])),
            },
        )


def unseed(apps, schema_editor):
    SensitiveWord = apps.get_model("privacy", "SensitiveWord")
    words = [row["word"] for row in json.loads(DATA.read_text("utf-8"))]
    SensitiveWord.objects.filter(word__in=words).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
