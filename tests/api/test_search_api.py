"""GET /api/v1/search: the response shape, filters passed to the engine, 4xx on bad input.

Most tests replace the engine call (gongkai.api.search_api.run_search) with a recorder, so
they check this layer alone; the `engine` tests run the real gongkai.search.services.
"""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.api import search_api
from tests.portal.helpers import fake_hit, fake_result, publish_item

URL = "/api/v1/search"


@pytest.fixture
def calls(monkeypatch):
    """Record the engine calls; answer with a fake result."""
    recorded = []

    def fake(q, **filters):
        recorded.append({"q": q, **filters})
        return fake_result(q, page=filters.get("page", 1), page_size=filters.get("page_size", 20))

    monkeypatch.setattr(search_api, "run_search", fake)
    return recorded


@pytest.fixture
def engine(db):
    """The real engine: publishing indexes the items (catalog.services → search.indexing)."""


def test_shape(client, calls):
    response = client.get(URL, {"q": "低保"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "total",
        "page",
        "page_size",
        "query",
        "suggestion",
        "hits",
        "facets",
        "facets_complete",
        "total_exact",
    }
    assert data["facets_complete"] is True and data["total_exact"] is True
    assert data["total"] == 1 and data["page"] == 1 and data["page_size"] == 20
    assert data["query"] == "低保" and data["suggestion"] is None
    hit = data["hits"][0]
    assert {"type", "id", "title", "snippet", "url", "score"} <= set(hit)
    assert hit["url"] == "http://testserver/items/1/"  # absolute
    assert hit["snippet"] == "保障对象、<mark>最低生活保障</mark>金额"
    assert isinstance(hit["score"], float)
    assert set(data["facets"]) == {"type", "domain", "agency", "level", "audience", "mode", "year"}
    assert data["facets"]["domain"][0] == {
        "code": "social_assistance",
        "name": "社会救助",
        "count": 1,
    }
    assert data["facets"]["year"][0]["code"] == "2025"


def test_hit_dates_and_suggestion(client, monkeypatch):
    published = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(
        search_api,
        "run_search",
        lambda q, **f: fake_result(
            q, hits=[fake_hit(7, published_at=published)], suggestion="最低生活保障"
        ),
    )
    data = client.get(URL, {"q": "最低生活保帐"}).json()
    assert data["suggestion"] == "最低生活保障"
    assert data["hits"][0]["published_at"].startswith("2025-03-01")


def test_filters_are_passed_through(client, calls):
    client.get(
        URL,
        {
            "q": " 低保 ",
            "type": "item",
            "domain": "social_assistance",
            "agency": "T-MZJ",
            "division": "990171",
            "level": "county",
            "audience": "public",
            "mode": "proactive",
            "year": "2025",
            "sort": "date",
            "page": "3",
            "page_size": "5",
        },
    )
    assert calls == [
        {
            "q": "低保",
            "type": "item",
            "domain": "social_assistance",
            "agency": "T-MZJ",
            "division": "990171",
            "level": "county",
            "audience": "public",
            "mode": "proactive",
            "year": 2025,
            "sort": "date",
            "page": 3,
            "page_size": 5,
        }
    ]


def test_defaults_and_blank_filters(client, calls):
    assert client.get(URL, {"domain": "", "level": " "}).status_code == 200
    assert calls[0] == {
        "q": "",
        "type": None,
        "domain": None,
        "agency": None,
        "division": None,
        "level": None,
        "audience": None,
        "mode": None,
        "year": None,
        "sort": "relevance",
        "page": 1,
        "page_size": 20,
    }


def test_query_is_cleaned_and_capped(client, calls):
    client.get(URL, {"q": "低\x01保\n" + "字" * 2000})
    assert calls[0]["q"].startswith("低 保")  # control characters become spaces
    assert len(calls[0]["q"]) == 1000
    client.get(URL, {"q": "低\x00保"})
    assert calls[1]["q"] == "低保"  # NUL never gets past the middleware (core.middleware)


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "1.5"},
        {"page": "99999999999999999999999"},
        {"page_size": "0"},
        {"page_size": "101"},
        {"page_size": "x"},
        {"sort": "price"},
        {"sort": ""},
        {"year": "二〇二五"},
        {"year": "0"},
        {"level": "national"},
        {"audience": "everyone"},
        {"mode": "secret"},
        {"division": "9" * 40},
        {"domain": "d" * 200},
    ],
)
def test_bad_parameters_are_4xx_in_chinese(client, calls, params):
    response = client.get(URL, {"q": "低保", **params})
    assert 400 <= response.status_code < 500, params
    detail = response.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), detail
    assert calls == []  # rejected before reaching the engine


def test_engine_value_error_is_400(client, monkeypatch):
    def refuse(q, **filters):
        raise ValueError("未知的内容类型")

    monkeypatch.setattr(search_api, "run_search", refuse)
    response = client.get(URL, {"q": "低保", "type": "spaceship"})
    assert response.status_code == 400
    assert "未知的内容类型" in response.json()["detail"]


def test_search_is_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    names = {p["name"] for p in paths["/api/v1/search"]["get"]["parameters"]}
    assert {"q", "type", "domain", "agency", "division", "level", "page", "page_size"} <= names


# Random query strings: operator words, quotes, FTS syntax, SQL, emoji, very long text.
NASTY = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
    st.lists(
        st.sampled_from(
            [
                "低保",
                "公租房",
                '"',
                "'",
                "AND",
                "OR",
                "NOT",
                "NEAR(",
                "NEAR/2",
                "*",
                "-",
                ":",
                "(",
                ")",
                "^",
                "title:",
                "'; DROP TABLE catalog_catalogitem; --",
                "%",
                "_",
                "\\",
                "😀",
                "👨‍👩‍👧",
                "\u3000",
                "ＡＢＣ",
                "社會保險",
                " ",
                "{",
                "}",
            ]
        ),  # fmt: skip
        max_size=12,
    ).map("".join),
    st.just("字" * 1000),
    st.just("AND " * 250),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(q=NASTY)
def test_random_queries_never_500_api_layer(client, calls, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    params=st.dictionaries(
        st.sampled_from(["page", "page_size", "year", "sort", "level", "type", "division"]),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
        max_size=4,
    )
)
def test_random_parameters_never_500(client, calls, params):
    assert client.get(URL, params).status_code < 500


# --- the real engine -----------------------------------------------------------------------


@pytest.fixture
def indexed(engine, zone, elements):
    a = publish_item(zone["mzj"], "social_assistance", elements)
    b = publish_item(
        zone["mzj"],
        "affordable_housing",
        elements,
        level1="公共租赁住房",
        level2="公租房保障对象名单",
        content="公共租赁住房配租结果",
    )
    return a, b


def test_engine_finds_the_formal_item_for_the_colloquial_query(client, indexed):
    a, b = indexed
    data = client.get(URL, {"q": "低保"}).json()
    assert data["total"] >= 1
    assert data["hits"][0]["id"] == a.pk
    assert data["hits"][0]["url"].startswith("http://testserver/")
    assert "最低生活保障" in data["hits"][0]["title"]
    domains = {f["code"]: f["count"] for f in data["facets"]["domain"]}
    assert domains.get("social_assistance") == 1


def test_engine_filters(client, indexed):
    a, b = indexed
    only_a = client.get(URL, {"q": "低保", "domain": "social_assistance"}).json()
    assert [h["id"] for h in only_a["hits"]] == [a.pk]
    assert client.get(URL, {"q": "公租房", "domain": b.domain.code}).json()["hits"][0]["id"] == b.pk
    assert client.get(URL, {"q": "低保", "domain": "tax"}).json()["total"] == 0
    assert client.get(URL, {"q": "低保", "agency": "T-JYJ"}).json()["total"] == 0
    assert client.get(URL, {"q": "低保", "agency": "T-MZJ"}).json()["total"] >= 1
    paged = client.get(URL, {"q": "低保", "page": 5, "page_size": 1}).json()
    assert paged["hits"] == [] and paged["page"] == 5


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(q=NASTY)
def test_random_queries_never_500_real_engine(client, indexed, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200, q
    assert isinstance(response.json()["hits"], list)
