"""bench/search_relevance.py loads other catalogs' rows: domains by name or alias, odd
fields blank, no row lost — the relevance figures depend on every row being there."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import search_relevance  # noqa: E402


@pytest.mark.django_db
def test_rows_of_other_catalogs_load_whatever_their_shape(tmp_path):
    from gongkai.catalog.models import CatalogItem

    rows = [
        {"id": "a", "domain": "社会保险", "level1": "参保登记", "level2": "办事指南"},
        {"id": "b", "domain": "社保", "level1": "城乡居民养老保险", "content": ["条件", "材料"]},
        {"id": "c", "domain": "乡村振兴", "level1": "衔接资金", "level2": None},
        {"id": "d", "domain": None, "level1": 123},
        {"id": "e", "domain": "城市更新", "level1": "老旧小区改造"},
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", "utf-8")
    mapping = search_relevance.load(path)
    assert sorted(mapping.values()) == ["a", "b", "c", "d", "e"]
    items = {mapping[i.pk]: i for i in CatalogItem.objects.select_related("domain")}
    assert items["a"].domain.code == items["b"].domain.code == "social_insurance"
    assert items["c"].domain.code == "poverty_alleviation"  # an alias
    assert items["b"].content == "条件、材料" and items["d"].level1 == "123"
    assert items["e"].domain.name == "城市更新" and not items["e"].domain.is_standard
    assert items["d"].domain.name == "其他"
    # a second file loads beside the first (--samples A B)
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "f", "domain": "社会保险", "level1": "参保"}), "utf-8")
    assert list(search_relevance.load(more).values()) == ["f"]
    assert CatalogItem.objects.count() == 6


def test_metrics_reward_finding_nothing_when_nothing_is_relevant():
    assert search_relevance.metrics([], set()) == (1.0, 1.0)
    assert search_relevance.metrics(["x"], set()) == (0.0, 0.0)
    recall, ndcg = search_relevance.metrics(["b", "a"], {"a"})
    assert recall == 1.0 and 0.6 < ndcg < 0.7
