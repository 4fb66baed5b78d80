"""Precision and recall of the screen on a labelled set of realistic official texts.

tests/privacy/labelled.jsonl: one text per line with the findings a careful reviewer
expects ({"kind", "value"}); hard negatives (文号, dates, amounts, landlines, hotlines,
统一社会信用代码, 索引号, 区划代码, ISBN, 流水号, 已遮盖的号码, 法律名称 …) expect none.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from gongkai.privacy.screen import screen_text

SET = Path(__file__).with_name("labelled.jsonl")


def load() -> list[dict]:
    return [json.loads(line) for line in SET.read_text("utf-8").splitlines() if line.strip()]


def test_the_labelled_set_is_big_and_balanced():
    rows = load()
    assert len(rows) >= 60
    positives = [r for r in rows if r["expect"]]
    negatives = [r for r in rows if not r["expect"]]
    assert len(positives) >= 30 and len(negatives) >= 30
    kinds = Counter(e["kind"] for r in rows for e in r["expect"])
    assert set(kinds) == {"id_card", "mobile", "bank_card", "sensitive_word"}
    assert min(kinds.values()) >= 8
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:  # every expected value is really in its text
        for e in r["expect"]:
            assert e["value"] in r["text"], r["id"]


@pytest.mark.django_db
def test_precision_and_recall_on_the_labelled_set():
    tp = fp = fn = 0
    errors = []
    for row in load():
        expected = [(e["kind"], e["value"]) for e in row["expect"]]
        for f in screen_text(row["text"]):
            assert row["text"][f.start : f.end] == f.value
            if (f.kind, f.value) in expected:
                expected.remove((f.kind, f.value))
                tp += 1
            else:
                fp += 1
                errors.append(f"误报 {row['id']} {f.kind} {f.masked}（{row['note']}）")
        fn += len(expected)
        errors += [f"漏报 {row['id']} {k}（{row['note']}）" for k, _ in expected]
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    print(f"privacy screen: precision {precision:.3f}, recall {recall:.3f}, tp={tp}")
    assert precision >= 0.95, errors
    assert recall >= 0.95, errors


@pytest.mark.django_db
def test_hard_negatives_one_by_one():
    """No false alarm on any negative: each is a kind of text that is published daily."""
    alarms = {
        row["id"]: [f.masked for f in screen_text(row["text"])]
        for row in load()
        if not row["expect"]
    }
    assert {k: v for k, v in alarms.items() if v} == {}
