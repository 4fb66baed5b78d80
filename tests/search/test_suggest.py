"""“您是不是要找”: homophone, pinyin and one-character typos get a suggestion when a query
finds few documents; no suggestion when it finds enough, when the suggestion is the
query itself, or when the suggestion would find nothing."""

import html
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.search import suggest as suggest_mod
from gongkai.search.indexing import reindex_all
from gongkai.search.models import SuggestTerm, Synonym
from gongkai.search.query import clear_synonyms
from gongkai.search.services import search
from gongkai.search.suggest import add_names, suggest

from .test_caps import doc
from .test_search import publish


@pytest.fixture
def catalog(zone, people):
    admin, mzj = people["admin"], zone["mzj"]
    return {
        "dibao": publish(
            mzj,
            "social_assistance",
            admin,
            level1="最低生活保障",
            level2="审核确认结果",
            content="保障对象、保障金额",
        ),
        "gzf": publish(
            mzj,
            "affordable_housing",
            admin,
            level1="公共租赁住房",
            level2="分配结果",
            content="申请条件、配租对象名单",
        ),
        "wf": publish(
            mzj,
            "rural_housing_renovation",
            admin,
            level1="农村危房改造",
            level2="补助对象",
            content="改造对象名单",
        ),
    }


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("底保", "低保"),  # homophones
        ("低宝", "低保"),
        ("公组房", "公租房"),
        ("危房改照", "危房改造"),  # zh/z: the fuzzy sounds input methods forgive
        ("dibao", "低保"),  # pinyin
        ("DiBao", "低保"),
        ("di bao", "低保"),
        ("gongzufang", "公租房"),
        ("gzf", "公租房"),  # initials, one term clearly first
        ("最低生活保证", "最低生活保障"),  # one character off, not a homophone
        ("公组房申请", "公租房申请"),  # a homophone typo inside a longer query
        ("底保 结果", "低保 结果"),  # each part of the query on its own
    ],
)
def test_typo_gets_a_suggestion_that_finds_the_item(catalog, typed, meant):
    result = search(typed)
    assert result.suggestion == meant
    assert search(meant).total >= 1


def test_traditional_characters_are_normalised_on_both_sides(catalog):
    assert search("公組房").suggestion == "公租房"  # 組 → 组
    # the query is a vocabulary term in traditional characters: nothing to correct
    assert search("公共租賃住房").suggestion is None


def test_freshly_published_item_name_is_suggestible_without_restart(catalog, zone, people):
    assert search("居住正").suggestion is None  # nobody publishes 居住证 yet
    publish(
        zone["mzj"],
        "household_registration",
        people["admin"],
        level1="居住证",
        level2="申领条件和办理流程",
        content="申领居住证所需材料",
    )
    assert SuggestTerm.objects.filter(term="居住证").exists()
    assert search("居住正").suggestion == "居住证"


def test_synonym_added_in_the_back_office_is_suggestible(catalog):
    clear_synonyms()  # another test's synonyms may linger in this process's cache
    assert search("困难护").suggestion is None
    Synonym.objects.create(term="困难户", expansions="最低生活保障")
    assert search("困难护").suggestion == "困难户"


def test_no_suggestion_for_a_correct_query(catalog):
    for q in ("低保", "最低生活保障", "公租房", "危房改造"):
        assert search(q).suggestion is None, q


def test_no_suggestion_when_the_suggestion_would_find_nothing(zone, people):
    # the vocabulary knows 低保, but nothing about it is published
    assert search("底保").suggestion is None
    assert search("dibao").suggestion is None


def test_no_suggestion_outside_the_filters(catalog):
    assert search("底保").suggestion == "低保"
    assert search("底保", domain="tax").suggestion is None  # 低保 finds nothing there
    assert search("底保", domain="social_assistance").suggestion == "低保"


@pytest.mark.parametrize(("typo_docs", "suggested"), [(3, True), (9, True), (10, False)])
def test_suggest_only_when_the_query_finds_few(db, typo_docs, suggested):
    """A typo that many documents share finds enough: no suggestion."""
    for i in range(20):
        doc(i, f"最低生活保障对象{i}")
    for i in range(typo_docs):
        doc(100 + i, f"通知{i}", "最低生活保证的申请")
    result = search("最低生活保证")
    assert {h.id for h in result.hits[:typo_docs]} == set(range(100, 100 + typo_docs))
    assert result.suggestion == ("最低生活保障" if suggested else None)


@pytest.mark.parametrize("typo_docs", [3, 10])
def test_a_homophone_is_searched_for_and_named(db, typo_docs):
    """An unknown word that sounds exactly like a known one (公组房 / 公租房) finds both
    words' documents, however many share the typo, and the page names the word it
    added (the suggestion line)."""
    for i in range(20):
        doc(i, f"公共租赁住房分配{i}")
    for i in range(typo_docs):
        doc(100 + i, f"通知{i}", "公组房的申请")
    result = search("公组房")
    assert result.total == typo_docs + 20
    assert result.suggestion == "公租房"


def test_a_real_word_that_finds_something_is_not_second_guessed(db):
    for i in range(12):
        doc(i, f"评审结果公示{i}")  # 公示 finds 12
    assert search("公式").suggestion == "公示"  # finds nothing: 公示 sounds the same
    doc(100, "计算公式说明")
    assert search("公式").total == 1
    assert search("公式").suggestion is None  # a real word that finds something


def test_initials_only_when_unambiguous(catalog):
    assert search("gzf").suggestion == "公租房"
    # two equally weighted names with the same initials: no guess
    add_names(["公租房源", "国资房源"])
    assert suggest_mod.candidates("gzfy") == []


def test_reindex_rebuilds_the_names_with_weights(catalog, zone, people):
    publish(zone["mzj"], "social_assistance", people["admin"], level1="最低生活保障")
    SuggestTerm.objects.create(
        term="已撤下的名称", pinyin="x", fuzzy="x", initials="x", head="已撤", tail="名称", length=6
    )
    reindex_all()
    weights = dict(SuggestTerm.objects.values_list("term", "weight"))
    assert weights["最低生活保障"] == 2 and weights["公共租赁住房"] == 1
    assert "已撤下的名称" not in weights
    row = SuggestTerm.objects.get(term="公共租赁住房")
    assert (row.pinyin, row.initials) == ("gonggongzulinzhufang", "ggzlzf")
    assert row.fuzzy == "gongonzuninzufan"
    assert search("公共租凭住房").suggestion == "公共租赁住房"  # 凭 for 赁: one edit


def test_add_names_adds_new_distinct_names_only(db):
    assert add_names(["社会救助", "社会救助", "社會救助", None, "", "救", "x" * 80]) == 1
    assert add_names(["社会救助", "临时救助"]) == 1
    assert SuggestTerm.objects.count() == 2
    assert SuggestTerm.objects.get(term="临时救助").pinyin == "linshijiuzhu"
    # numbered items share their name; numbers inside a name stay
    assert add_names([f"临时救助发放第{i}批" for i in range(50)] + ["临时救助事项12"]) == 2
    assert add_names(["12345热线", "公示（2）", "公示"]) == 2
    assert set(SuggestTerm.objects.values_list("term", flat=True)) == {
        "社会救助", "临时救助", "临时救助发放", "临时救助事项", "12345热线", "公示",
    }  # fmt: skip


def test_import_makes_names_suggestible(tmp_path, zone, people):
    from gongkai.catalog.exchange.importer import import_catalog
    from tests.catalog.exchange import builders

    rows = [dict(builders.sample_rows()[0], level2="耕地地力保护补贴发放")]
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": rows})
    import_catalog(path, zone["mzj"], people["admin"], publish=True)
    assert SuggestTerm.objects.filter(term="耕地地力保护补贴发放").exists()
    assert search("耕地地力保户补贴发放").suggestion == "耕地地力保护补贴发放"


def test_heteronyms_in_context(db):
    add_names(["银行账户"])
    assert SuggestTerm.objects.get(term="银行账户").pinyin == "yinhangzhanghu"
    assert "银行账户" in suggest_mod.candidates("yinhangzhanghu")
    assert "银行账户" in suggest_mod.candidates("银航账户")


def test_portal_shows_did_you_mean_with_a_working_link(client, catalog):
    response = client.get(reverse("portal:search"), {"q": "公组房", "domain": "affordable_housing"})
    page = response.content.decode()
    assert "您是不是要找" in page
    match = re.search(r'class="did-you-mean">您是不是要找：<a href="([^"]+)">公租房</a>', page)
    assert match, page
    link = urljoin(reverse("portal:search"), html.unescape(match.group(1)))
    followed = client.get(link)
    assert followed.status_code == 200
    text = followed.content.decode()
    assert "公共租赁住房" in text and "您是不是要找" not in text
    assert parse_qs(urlsplit(link).query) == {"q": ["公租房"], "domain": ["affordable_housing"]}


def test_api_returns_the_suggestion(client, catalog):
    data = client.get("/api/v1/search", {"q": "底保"}).json()
    assert data["suggestion"] == "低保"
    assert client.get("/api/v1/search", {"q": "低保"}).json()["suggestion"] is None


ODD = st.one_of(
    st.text(max_size=80),
    st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
            st.sampled_from("abcdefghijklmnopqrstuvwxyz '"),
        ),
        max_size=20,
    ),
    st.lists(
        st.sampled_from(
            ["底保", "gzf", "公组房", "最低生活保证", "ｄｉｂａｏ", "😀", "\x00", "\u200b", "𠀀"]
            + ["'; DROP TABLE search_suggestterm; --", "%", "_", "NEAR(", '"', "\\", " "]
        ),
        max_size=8,
    ).map("".join),
    st.just("低保" * 500),
    st.just("x" * 1000),
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=ODD, found=st.integers(min_value=0, max_value=12))
def test_suggest_never_raises(catalog, caplog, q, found):
    result = suggest(q, found=found)
    assert result is None or (isinstance(result, str) and result.strip())
    via_search = search(q).suggestion  # the hook in services, same rules
    assert via_search is None or (isinstance(via_search, str) and via_search.strip())
    # nor fails quietly: a database error would be logged by suggest()
    assert not [r for r in caplog.records if r.name == suggest_mod.logger.name]


def test_a_retired_items_name_is_no_longer_suggested(catalog, zone, people):
    """Retiring takes the item's name out of the suggestions — unless another published
    item still carries it."""
    from gongkai.catalog.services import transition

    admin = people["admin"]
    other = publish(zone["mzj"], "social_assistance", admin, level1="最低生活保障", level2="其他")
    transition(admin, catalog["wf"], "retire", "不再公开")
    assert not SuggestTerm.objects.filter(term="农村危房改造").exists()
    assert search("危房改照").suggestion is None
    transition(admin, catalog["dibao"], "retire", "不再公开")
    assert SuggestTerm.objects.filter(term="最低生活保障").exists()  # `other` carries it
    transition(admin, other, "retire", "不再公开")
    assert not SuggestTerm.objects.filter(term="最低生活保障").exists()
    assert SuggestTerm.objects.filter(term="公共租赁住房").exists()  # untouched


def test_the_wsgi_entry_point_loads_the_dictionaries_before_any_request(tmp_path):
    """A server worker does its one-time loading at start, not in a citizen's first query
    (a fresh interpreter: this one's segmenter is shared by the other tests)."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, gongkai.wsgi; "
        "from gongkai.search.analysis import segmenter; "
        "print(segmenter.cache_info().currsize, 'pypinyin' in sys.modules)"
    )
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["1", "True"]
