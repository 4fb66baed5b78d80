"""Wording that denies secrecy is not a secrecy marking.

“本文件不涉及国家秘密”, “不含工作秘密”, “非涉密” are what a 保密审查 note says about a
publishable document; the screen flagged them. 0002 seeds new databases from
data/sensitive_words.json (which now lists these phrases); this adds them to the rows of
databases seeded before, keeping whatever phrases the back office added.

Idempotent (a phrase already there is not added twice). A word the back office deleted is
not brought back. Reversing removes exactly these phrases (also where someone had typed
one of them by hand before this migration ran).
"""

from django.db import migrations

ADDED = {
    "国家秘密": ["不涉及国家秘密", "不含国家秘密", "不包含国家秘密"],
    "工作秘密": ["不涉及工作秘密", "不含工作秘密", "不包含工作秘密"],
    # Not a seeded word, but a back office may have added it.
    "涉密": ["非涉密"],
}


def _lines(text):
    return [p.strip() for p in text.splitlines() if p.strip()]


def add_phrases(apps, schema_editor):
    SensitiveWord = apps.get_model("privacy", "SensitiveWord")
    for row in SensitiveWord.objects.filter(word__in=ADDED):
        lines = _lines(row.exempt_phrases)
        new = [p for p in ADDED[row.word] if p not in lines]
        if new:
            row.exempt_phrases = "\n".join([*lines, *new])
            row.save(update_fields=["exempt_phrases", "updated_at"])


def remove_phrases(apps, schema_editor):
    SensitiveWord = apps.get_model("privacy", "SensitiveWord")
    for row in SensitiveWord.objects.filter(word__in=ADDED):
        lines = _lines(row.exempt_phrases)
        kept = [p for p in lines if p not in ADDED[row.word]]
        if kept != lines:
            row.exempt_phrases = "\n".join(kept)
            row.save(update_fields=["exempt_phrases", "updated_at"])


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_seed_words")]

    operations = [migrations.RunPython(add_phrases, remove_phrases)]
