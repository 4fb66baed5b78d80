"""0003 adds the exempt phrases for wording that denies secrecy to databases seeded before."""

from importlib import import_module

import pytest
from django.apps import apps

from gongkai.privacy.models import SensitiveWord, WordCategory
from gongkai.privacy.screen import screen_text

migration = import_module("gongkai.privacy.migrations.0003_exempt_denials")

pytestmark = pytest.mark.django_db

# The rows as 0002 seeded them before this change, plus a phrase an administrator added and
# a word (涉密) an administrator added by hand.
OLD = {
    "国家秘密": "保守国家秘密法\n确定为国家秘密\n属于国家秘密\n涉及国家秘密的\n泄露国家秘密",
    "工作秘密": (
        "涉及工作秘密的\n泄露工作秘密\n国家秘密和工作秘密\n国家秘密、工作秘密\n工作秘密事项清单"
    ),
    "涉密": "",
}


@pytest.fixture
def old_database():
    SensitiveWord.objects.filter(word__in=OLD).delete()
    for word, phrases in OLD.items():
        SensitiveWord.objects.create(
            word=word, category=WordCategory.SECRET, exempt_phrases=phrases
        )


def phrases() -> dict[str, list[str]]:
    return {w.word: w.exempt_list for w in SensitiveWord.objects.filter(word__in=OLD)}


def test_a_new_database_has_the_phrases():
    denials = "本文件不涉及国家秘密，不含工作秘密。"
    assert screen_text(denials) == []
    assert "不涉及国家秘密" in SensitiveWord.objects.get(word="国家秘密").exempt_list


def test_old_rows_get_the_phrases_once_and_keep_their_own(old_database):
    denials = "本文件不涉及国家秘密，不含工作秘密。密级：非涉密。"
    assert [f.value for f in screen_text(denials)] == ["国家秘密", "工作秘密", "密级", "涉密"]

    migration.add_phrases(apps, None)
    after = phrases()
    assert after["国家秘密"][-3:] == ["不涉及国家秘密", "不含国家秘密", "不包含国家秘密"]
    assert "工作秘密事项清单" in after["工作秘密"]  # the administrator's phrase stays
    assert after["涉密"] == ["非涉密"]
    assert [f.value for f in screen_text(denials)] == ["密级"]
    assert [f.value for f in screen_text("本件涉及国家秘密。")] == ["国家秘密"]

    migration.add_phrases(apps, None)  # idempotent
    assert phrases() == after


def test_reversing_removes_only_what_it_added(old_database):
    migration.add_phrases(apps, None)
    migration.remove_phrases(apps, None)
    assert phrases() == {w: [p for p in text.splitlines() if p] for w, text in OLD.items()}
    migration.remove_phrases(apps, None)  # and again: nothing left to remove
    assert phrases()["工作秘密"][-1] == "工作秘密事项清单"


def test_a_deleted_word_is_not_brought_back(old_database):
    SensitiveWord.objects.filter(word="工作秘密").delete()
    migration.add_phrases(apps, None)
    assert not SensitiveWord.objects.filter(word="工作秘密").exists()
