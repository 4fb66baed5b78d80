"""PostgreSQL, large tables: match sets far above the total cap are estimated from a
random sample instead of counted (services._estimated), the ranking window then walks
the newest documents with the sample's density as a bound (postgresql._windowed).
Thresholds are lowered here so a small table takes those paths."""

import pytest
from django.db import connection

from gongkai.search import services
from gongkai.search.backends import postgresql
from gongkai.search.services import search

from .test_caps import doc, ids

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the sampled path is PostgreSQL's"
)


def analyse_table():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")  # sets reltuples


@pytest.fixture
def large(db, monkeypatch):
    """60 documents: 40 about 救助 (30 in domain d1, 10 in d2), 20 about 住房."""
    docs = [doc(i, f"事项{i}", f"临时救助的说明{i}") for i in range(1, 31)]
    docs += [doc(100 + i, f"临时救助{i}", "说明", domain="d2") for i in range(1, 11)]
    docs += [doc(200 + i, f"住房{i}", "公租房说明", domain="d3") for i in range(1, 21)]
    analyse_table()
    monkeypatch.setattr(services, "ESTIMATE_MIN_DOCS", 50)
    monkeypatch.setattr(services, "ESTIMATE_MIN", 30)
    monkeypatch.setattr(services, "ESTIMATE_MIN_HITS", 5)
    monkeypatch.setattr(services, "TOTAL_CAP", 25)
    return docs


def test_a_large_match_set_is_estimated_not_counted(large):
    result = search("救助")
    assert result.total == 26 and not result.total_exact  # "more than 25"
    assert not result.facets_complete  # the portal says the counts are estimates
    # the sample of a 60-row table is the whole table, so the scaled counts are exact
    assert {f.code: f.count for f in result.facets["domain"]} == {"d1": 30, "d2": 10}
    assert len(result.hits) == 20
    assert set(ids(result)[:10]) == set(range(101, 111))  # title matches lead


def test_every_match_is_reached_by_paging(large):
    seen = []
    for page in range(1, 6):
        seen += ids(search("救助", page=page, page_size=10))
    assert sorted(seen) == list(range(1, 31)) + list(range(101, 111))


def test_small_match_sets_are_still_counted(large):
    result = search("住房")  # 20 matches: under the estimate threshold of 30
    assert result.total == 20 and result.total_exact
    assert {f.code: f.count for f in result.facets["domain"]} == {"d3": 20}


def test_small_tables_are_always_counted(large, monkeypatch):
    monkeypatch.setattr(services, "ESTIMATE_MIN_DOCS", 1000)
    result = search("救助")
    assert result.total == 26 and not result.total_exact  # counted, up to the cap
    assert not result.facets_complete  # counted over the first 26 matches only
    monkeypatch.setattr(services, "TOTAL_CAP", 100)
    result = search("救助")
    assert result.total == 40 and result.total_exact and result.facets_complete
    assert {f.code: f.count for f in result.facets["domain"]} == {"d1": 30, "d2": 10}


def test_a_filter_applies_to_the_estimate(large):
    result = search("救助", domain="d1")  # 30 of 60 sampled: at the threshold
    assert not result.total_exact
    assert {f.code for f in result.facets["domain"]} == {"d1"}
    assert all(h.domain_code == "d1" for h in result.hits)


@pytest.mark.parametrize("walk_density", [0.2, 1.0])  # walked / bounded bitmap
def test_a_bounded_search_that_falls_short_still_finds_the_newest(large, monkeypatch, walk_density):
    """The sample says 救助 is dense, but the newest documents (住房) lack it: the
    bound is reached before the window fills, and the whole bitmap takes over."""
    monkeypatch.setattr(postgresql, "WALK_DENSITY", walk_density)
    monkeypatch.setattr(services, "RANK_WINDOW", 5)
    monkeypatch.setattr(services, "RANK_CAP", 1)
    monkeypatch.setattr(postgresql, "WALK_MARGIN", 0.1)  # a bound of a few ids only
    seen = []
    for page in range(1, 6):
        seen += ids(search("救助", page=page, page_size=10))
    assert sorted(seen) == list(range(1, 31)) + list(range(101, 111))


def test_the_sample_is_skipped_when_the_planner_expects_few_matches(large):
    """The planner's lexeme statistics gate the sample: a rare word is counted, not
    sampled; a frequent one is sampled."""
    from gongkai.search import query as query_mod

    def estimate(q, plan_min):
        expr = postgresql.render(query_mod.build(q), "and")
        return postgresql.estimate(expr, "doc_type", None, [], min_docs=50, plan_min=plan_min)

    assert estimate("救助", plan_min=30) is not None  # ~40 expected: sampled
    assert estimate("救助", plan_min=1000) is None  # fewer expected than the gate
    assert estimate("公租房", plan_min=30) is None  # ~20 expected
    # and the search still counts such a set exactly
    assert search("住房").total == 20


def test_one_pass_gives_total_ids_and_facets(large):
    from gongkai.search import query as query_mod

    expr = postgresql.render(query_mod.build("救助"), "and")
    facets = {"domain": "domain_code", "year": "year"}
    total, ids_, rows = postgresql.match_stats(
        expr, None, [], cap=100, facet_cap=100, facets=facets
    )
    from gongkai.search.models import SearchDocument

    objects = SearchDocument.objects.filter(id__in=ids_).values_list("object_id", flat=True)
    assert total == 40 and sorted(objects) == list(range(1, 31)) + list(range(101, 111))
    assert {(k, v): n for k, v, n in rows if k == "domain"} == {
        ("domain", "d1"): 30,
        ("domain", "d2"): 10,
    }
    # past the cap: "cap + 1", no ids; facets over the first facet_cap matches only
    total, ids_, rows = postgresql.match_stats(expr, None, [], cap=10, facet_cap=5, facets=facets)
    assert total == 11 and ids_ is None
    assert sum(n for k, _, n in rows if k == "domain") == 5
