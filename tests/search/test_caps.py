"""Frequent terms: exact totals, sampled facets above FACET_CAP, title matches ranked
first above RANK_CAP (caps lowered here), consistent pages across the ranking tiers."""

import pytest

from gongkai.search import services
from gongkai.search.analysis import analyze, characters
from gongkai.search.models import SearchDocument
from gongkai.search.services import search


def doc(i, title, body="", domain="d1"):
    return SearchDocument.objects.create(
        doc_type="item",
        object_id=i,
        title=title,
        body=body,
        url=f"/items/{i}/",
        domain_code=domain,
        agency_code="",
        levels=",county,",
        audience=",public,",
        mode=",proactive,",
        year=2026,
        title_tokens=" ".join(analyze(title)),
        elements_tokens="",
        body_tokens=" ".join(analyze(body)),
        chars=" ".join(characters(title)),
    )


@pytest.fixture
def corpus(db):
    """12 documents with 救助 in the body only (domain d1), then 4 with it in the title
    (domain d2), then 3 with 住房 only."""
    body_only = [doc(i, f"事项{i}", f"临时救助的说明{i}") for i in range(1, 13)]
    in_title = [doc(100 + i, f"临时救助{i}", "说明", domain="d2") for i in range(1, 5)]
    other = [doc(200 + i, f"住房{i}", "公租房说明", domain="d3") for i in range(1, 4)]
    return {"body": body_only, "title": in_title, "other": other}


def ids(result):
    return [h.id for h in result.hits]


def every_page(q, page_size):
    """The ids of every hit, page after page until one comes back empty."""
    seen = []
    for page in range(1, 20):
        result = search(q, page=page, page_size=page_size)
        if not result.hits:
            break
        seen += ids(result)
    return seen


def test_small_match_sets_have_exact_facets(corpus):
    result = search("救助")
    assert result.total == 16 and result.facets_complete
    assert {f.code: f.count for f in result.facets["domain"]} == {"d1": 12, "d2": 4}


def test_facets_sampled_above_the_cap_total_exact(corpus, monkeypatch):
    monkeypatch.setattr(services, "FACET_CAP", 10)
    result = search("救助")
    assert result.total == 16  # exact
    assert not result.facets_complete
    # counted over a sample of 10 matches (which ones is up to the engine's scan order)
    assert sum(f.count for f in result.facets["type"]) == 10
    sampled = {f.code: f.count for f in result.facets["domain"]}
    assert sum(sampled.values()) == 10 and set(sampled) <= {"d1", "d2"}
    assert sampled.get("d1", 0) <= 12 and sampled.get("d2", 0) <= 4
    # with a filter the total stays exact too
    filtered = search("救助", domain="d1")
    assert filtered.total == 12 and not filtered.facets_complete
    assert search("救助", domain="d2").facets_complete


def test_title_matches_rank_first_above_the_cap_and_pages_are_consistent(corpus, monkeypatch):
    monkeypatch.setattr(services, "RANK_CAP", 5)
    title_ids = {d.object_id for d in corpus["title"]}
    all_ids = title_ids | {d.object_id for d in corpus["body"]}
    first = search("救助", page_size=3)
    assert set(ids(first)) <= title_ids  # titles first
    seen = []
    for page in range(1, 7):
        seen += ids(search("救助", page=page, page_size=3))
    assert len(seen) == len(set(seen)) == 16 and set(seen) == all_ids
    assert set(seen[:4]) == title_ids
    # a page that starts past the title tier
    assert ids(search("救助", page=3, page_size=5)) == seen[10:15]
    # date order is not tiered
    by_date = search("救助", sort="date", page_size=20)
    assert len(ids(by_date)) == 16


def test_or_fallback_uses_the_caps(corpus, monkeypatch):
    monkeypatch.setattr(services, "RANK_CAP", 5)
    monkeypatch.setattr(services, "FACET_CAP", 10)
    result = search("救助 住房")  # no document has both: OR
    assert result.total == 19 and not result.facets_complete
    seen = []
    for page in range(1, 5):
        seen += ids(search("救助 住房", page=page, page_size=5))
    assert len(seen) == len(set(seen)) == 19
    title_ids = {d.object_id for d in corpus["title"] + corpus["other"]}
    assert set(seen[:7]) == title_ids


@pytest.mark.parametrize("page_size", [2, 5, 20])
def test_or_fallback_puts_the_few_documents_with_every_term_first(corpus, page_size):
    """Fewer than a page hold both words: they lead, ranked among themselves (title
    before body), then every other match once."""
    both = [doc(301, "临时救助住房", "说明"), doc(302, "事项", "临时救助和住房的说明")]
    seen = every_page("救助 住房", page_size)
    assert seen[:2] == [both[0].object_id, both[1].object_id]
    everyone = corpus["body"] + corpus["title"] + corpus["other"] + both
    assert sorted(seen) == sorted(d.object_id for d in everyone)


def test_api_exposes_facets_complete(corpus, client, monkeypatch):
    assert client.get("/api/v1/search", {"q": "救助"}).json()["facets_complete"] is True
    monkeypatch.setattr(services, "FACET_CAP", 10)
    assert client.get("/api/v1/search", {"q": "救助"}).json()["facets_complete"] is False


def test_portal_marks_sampled_facets(corpus, client, monkeypatch):
    assert "抽样估计" not in client.get("/search/", {"q": "救助"}).content.decode()
    monkeypatch.setattr(services, "FACET_CAP", 10)
    assert "（统计为抽样估计）" in client.get("/search/", {"q": "救助"}).content.decode()


@pytest.mark.parametrize("page_size", [3, 5, 16])
def test_ranking_window_pages_through_every_match_exactly_once(corpus, monkeypatch, page_size):
    """Above RANK_CAP only the newest RANK_WINDOW matches of a tier are ranked, older
    ones follow newest first: paging must still give every match once."""
    monkeypatch.setattr(services, "RANK_CAP", 5)
    monkeypatch.setattr(services, "RANK_WINDOW", 2)
    seen = every_page("救助", page_size)
    assert sorted(seen) == sorted(d.object_id for d in corpus["body"] + corpus["title"])
    assert set(seen[:2]) <= {d.object_id for d in corpus["title"]}  # the newest, title-weighted


def test_ranking_window_with_a_filter(corpus, monkeypatch):
    monkeypatch.setattr(services, "RANK_CAP", 5)
    monkeypatch.setattr(services, "RANK_WINDOW", 2)
    seen = []
    for page in (1, 2, 3):
        seen += ids(search("救助", domain="d1", page=page, page_size=5))
    assert sorted(seen) == sorted(d.object_id for d in corpus["body"])


def test_total_is_exact_up_to_the_cap_then_says_more_than(corpus, monkeypatch):
    monkeypatch.setattr(services, "FACET_CAP", 5)
    monkeypatch.setattr(services, "TOTAL_CAP", 10)
    result = search("救助")
    assert result.total == 11 and not result.total_exact  # "more than 10"
    monkeypatch.setattr(services, "TOTAL_CAP", 16)
    result = search("救助")
    assert result.total == 16 and result.total_exact


def test_scored_window_ranks_title_and_repeated_terms_higher():
    from gongkai.search.scoring import ScoreTerms, score, score_all

    terms = ScoreTerms.of({"救助"}, set())
    # columns: title tokens, elements tokens, body tokens, title characters
    in_title = score(("临时 救助", "说明", "", ""), terms)
    in_elements = score(("事项", "临时 救助 的 说明", "", ""), terms)
    twice = score(("事项", "救助 说明 救助 条件", "", ""), terms)
    in_body = score(("事项", "说明", "救助", ""), terms)
    assert in_title > twice > in_elements > in_body > score(("事项", "说明", "", ""), terms) == 0
    # one-character terms count in the title-characters column only
    assert score(("房", "房", "房", "房 屋"), ScoreTerms.of(set(), {"房"})) > 0
    assert score(("房", "房", "房", ""), ScoreTerms.of(set(), {"房"})) == 0
    # IDF over the candidates: of two OR-matched words, the rarer one counts for more
    terms = ScoreTerms.of({"住房", "公租房"}, set())
    rows = [("住房", "", "", "")] * 3 + [("公租房", "", "", "")]
    scores = score_all(rows, terms)
    assert scores[3] > scores[0] == scores[1] == scores[2] > 0


@pytest.mark.parametrize("page_size", [2, 5, 16])
def test_pages_are_complete_when_the_count_pass_yields_every_id(corpus, monkeypatch, page_size):
    """More matches than the facet sample but no more than the total cap: on PostgreSQL
    the counting pass returns every id and the window is cut from them with no further
    scan; either way every match comes exactly once, the newest title matches first."""
    monkeypatch.setattr(services, "FACET_CAP", 5)
    monkeypatch.setattr(services, "RANK_CAP", 5)
    monkeypatch.setattr(services, "RANK_WINDOW", 3)
    first = search("救助", page_size=page_size)
    assert first.total == 16 and first.total_exact and not first.facets_complete
    seen = every_page("救助", page_size)
    assert sorted(seen) == sorted(d.object_id for d in corpus["body"] + corpus["title"])
    assert set(seen[:3]) <= {d.object_id for d in corpus["title"]}


def test_one_grouped_pass_gives_total_ids_and_facets(corpus):
    """Both backends' match_stats: the count up to a cap, every id under it, and the
    facet counts of the first facet_cap matches, grouped in SQL."""
    from gongkai.search import query as query_mod
    from gongkai.search.backends import get_backend
    from gongkai.search.models import SearchDocument

    backend = get_backend()
    expr = backend.render(query_mod.build("救助"), "and")
    facets = {"domain": "domain_code", "year": "year"}
    total, found, rows = backend.match_stats(expr, None, [], cap=20, facet_cap=20, facets=facets)
    objects = set(SearchDocument.objects.filter(id__in=found).values_list("object_id", flat=True))
    assert total == 16 and objects == {d.object_id for d in corpus["body"] + corpus["title"]}
    assert {v: n for k, v, n in rows if k == "domain"} == {"d1": 12, "d2": 4}
    # past the cap: cap + 1 and no ids; the facets count the first facet_cap only
    total, found, rows = backend.match_stats(expr, None, [], cap=10, facet_cap=5, facets=facets)
    assert (total, found) == (11, None)
    assert sum(n for k, _, n in rows if k == "domain") == 5
    # within a filter, and nothing found
    total, found, rows = backend.match_stats(
        expr, '"search_searchdocument"."domain_code" = %s', ["d2"], cap=20, facet_cap=20,
        facets=facets,
    )  # fmt: skip
    assert (
        total == 4
        and len(found) == 4
        and [r for r in rows if r[0] == "domain"] == [("domain", "d2", 4)]
    )
    nothing = backend.render(query_mod.build("不存在的词语"), "and")
    assert backend.match_stats(nothing, None, [], cap=20, facet_cap=20, facets=facets) == (
        0,
        [],
        [],
    )


@pytest.mark.parametrize(
    ("facet_cap", "cap", "total"),
    [(5, 10, 11), (5, 15, 16), (5, 16, 16), (5, 40, 16), (20, 10, 11)],
)
def test_match_stats_counts_on_past_the_facet_sample(corpus, facet_cap, cap, total):
    """The count goes on past the facet sample up to the cap (cap + 1: "more than"),
    and the facets describe the sample: the first `facet_cap` matches by id."""
    from gongkai.search import query as query_mod
    from gongkai.search.backends import get_backend

    backend = get_backend()
    expr = backend.render(query_mod.build("救助"), "and")
    got, found, rows = backend.match_stats(
        expr, None, [], cap=cap, facet_cap=facet_cap, facets={"domain": "domain_code"}
    )
    assert got == total
    if facet_cap <= cap:  # as services uses it (FACET_CAP below TOTAL_CAP)
        assert sum(n for _, _, n in rows) == min(facet_cap, 16)
    assert found is None or (got <= cap and len(found) == 16)
    # within a filter the count goes on past the sample the same way
    where, params = "search_searchdocument.domain_code = %s", ["d1"]
    got, _, _ = backend.match_stats(
        expr, where, params, cap=cap, facet_cap=facet_cap, facets={"domain": "domain_code"}
    )
    assert got == min(12, cap + 1)
