"""Chinese search: analysis, synonyms, indexing from the catalog services, filters, facets."""

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.catalog import services
from gongkai.catalog.changes import restore_version
from gongkai.catalog.models import CatalogItem, Domain
from gongkai.search.analysis import analyze, normalize, query_terms
from gongkai.search.indexing import index_items, reindex_all
from gongkai.search.models import SearchDocument, Synonym
from gongkai.search.services import SearchResult, search


def publish(agency, domain_code, admin, **fields):
    item = CatalogItem.objects.create(
        agency=agency, domain=Domain.objects.get(code=domain_code), **fields
    )
    return services.publish_directly(admin, item, "测试")


@pytest.fixture
def catalog(zone, people):
    admin = people["admin"]
    mzj = zone["mzj"]
    items = {
        "dibao": publish(
            mzj,
            "social_assistance",
            admin,
            level1="最低生活保障",
            level2="审核确认结果",
            content="保障对象、保障金额",
            levels=["county", "township"],
            audience=["public"],
            mode=["proactive"],
        ),
        "gzf": publish(
            mzj,
            "affordable_housing",
            admin,
            level1="公共租赁住房",
            level2="分配结果",
            content="配租对象名单",
            levels=["county"],
            audience=["specific"],
            mode=["proactive"],
        ),
        "sb": publish(
            mzj,
            "social_insurance",
            admin,
            level1="社会保险",
            level2="参保登记",
            content="办事指南",
            levels=["county"],
        ),
        "wf": publish(
            mzj,
            "rural_housing_renovation",
            admin,
            level1="农村危房改造",
            level2="补助对象",
            content="补助标准",
            levels=["township"],
        ),
    }
    street_admin = people["street_admin"]
    items["street"] = publish(
        zone["dh"],
        "social_assistance",
        street_admin,
        level1="临时救助",
        level2="救助结果",
        content="救助对象",
        levels=["township"],
    )
    return items


def ids(result):
    return [h.id for h in result.hits]


def test_long_words_are_indexed_with_their_long_parts():
    """Search mode gives a word's parts of two and three characters; ours adds the
    dictionary words of four or more inside a longer one."""
    tokens = set(analyze("职业技能培训补贴"))
    assert {"职业技能培训", "职业技能", "技能培训", "职业", "技能", "培训", "补贴"} <= tokens
    assert {"中华人民共和国", "政府信息公开"} <= set(analyze("中华人民共和国政府信息公开条例"))


def test_analysis_normalises_and_segments_for_search():
    assert {"最低", "生活", "保障", "最低生活保障"} <= set(analyze("最低生活保障"))
    assert analyze("最低生活保障") == analyze("最低生活保障")  # full-width → half-width
    assert normalize("農村環境整治") == "农村环境整治"
    assert normalize("ＡＢＣ１２３") == "abc123"
    assert query_terms("低保怎么申请？") == ["低保", "申请"]
    assert query_terms("在哪里办残疾证") == ["残疾证"]
    assert query_terms("工资被拖欠找谁？") == ["工资", "拖欠"]
    # no guessed word glues a stop word on (树能); unknown runs stay whole (底保)
    assert query_terms("我家门口的树能自己砍掉吗") == ["家门口", "树", "自己", "砍掉"]
    assert query_terms("底保标准") == ["底保", "标准"]
    assert analyze("  ，。！") == []


@pytest.mark.parametrize(
    "q,key",
    [
        ("低保", "dibao"),
        ("最低生活保障", "dibao"),
        ("最低生活保障", "dibao"),  # traditional characters
        ("公租房", "gzf"),
        ("社保", "sb"),
        ("社保登记", "sb"),
        ("危房改造", "wf"),
        ("低保怎么申请", "dibao"),
    ],
)
def test_colloquial_queries_find_formal_items(catalog, q, key):
    result = search(q)
    assert result.hits, q
    assert result.hits[0].id == catalog[key].pk


def test_hit_shape_and_snippet(catalog):
    hit = search("低保").hits[0]
    assert hit.type == "item" and hit.url == catalog["dibao"].get_absolute_url()
    assert hit.domain_code == "social_assistance" and hit.agency_code == "T-MZJ"
    assert "<mark>" in hit.snippet and hit.score > 0
    assert hit.published_at is not None


def test_snippet_is_escaped(zone, people):
    publish(
        zone["mzj"],
        "social_assistance",
        people["admin"],
        level1="最低生活保障",
        level2="公告",
        content="<script>alert(1)</script> 最低生活保障 名单",
    )
    hit = search("低保").hits[0]
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet


def test_one_character_and_unknown_terms(catalog):
    assert catalog["gzf"].pk in ids(search("房"))
    assert catalog["dibao"].pk in ids(search("保"))
    assert search("最低生活保障乱七八糟").total >= 1  # OR fallback
    assert search("龘").total == 0


def test_blank_query_is_empty(catalog):
    for q in ("", "   ", "，。", "\n"):
        result = search(q)
        assert isinstance(result, SearchResult) and result.total == 0 and result.hits == []


def test_indexed_on_approve_and_removed_on_revise_and_retire(zone, people, elements):
    item = services.create_item(
        people["editor"], zone["mzj"], Domain.objects.get(code="social_assistance"), **elements
    )
    services.transition(people["editor"], item, "submit")
    assert search("低保").total == 0
    services.transition(people["reviewer"], item, "approve")
    assert ids(search("低保")) == [item.pk]
    services.transition(people["admin"], item, "retire", "不再公开")
    assert search("低保").total == 0
    services.transition(people["admin"], item, "reopen")
    item = services.update_item(people["editor"], item, level2="审核结果")
    services.transition(people["editor"], item, "submit")
    services.transition(people["reviewer"], item, "approve")
    assert ids(search("低保")) == [item.pk]
    services.transition(people["admin"], item, "revise", "修改")
    assert search("低保").total == 0


def test_restore_version_unindexes(zone, people, elements):
    item = services.create_item(
        people["editor"], zone["mzj"], Domain.objects.get(code="social_assistance"), **elements
    )
    first = item.history.order_by("history_date").first().history_id
    item = services.update_item(people["editor"], item, content="新的内容")
    services.transition(people["editor"], item, "submit")
    services.transition(people["reviewer"], item, "approve")
    assert search("低保").total == 1
    restore_version(people["editor"], item, first)  # back to review: off the index
    assert search("低保").total == 0
    assert index_items([item.pk]) == 0


def test_guidelines_and_drafts_are_not_indexed(zone, people, elements):
    CatalogItem.objects.create(
        agency=zone["mzj"], domain=Domain.objects.get(code="social_assistance"), **elements
    )
    assert reindex_all() == 0
    assert SearchDocument.objects.count() == 0


def test_filters_and_facets(catalog, zone):
    result = search("救助 住房")  # no item has both: OR fallback across domains
    assert result.total >= 2
    facets = result.facets
    assert set(facets) == {"type", "domain", "agency", "level", "audience", "mode", "year"}
    assert facets["type"][0].code == "item" and facets["type"][0].name == "目录事项"
    domains = {f.code: f for f in facets["domain"]}
    assert domains["social_assistance"].name == "社会救助"
    agencies = {f.code: f.name for f in facets["agency"]}
    assert agencies["T-DH"] == "东湖街道办事处"
    assert {f.code for f in facets["level"]} >= {"township"}
    assert facets["year"][0].name.endswith("年")

    assert ids(search("救助", agency="T-DH")) == [catalog["street"].pk]
    assert ids(search("救助", division="990171001000")) == [catalog["street"].pk]
    assert catalog["street"].pk in ids(search("救助", division="990171"))
    assert search("救助", division="110000").total == 0
    assert ids(search("住房", level="county", audience="specific", mode="proactive")) == [
        catalog["gzf"].pk
    ]
    assert search("住房", domain="social_assistance").total == 0
    year = catalog["gzf"].published_at.year
    assert search("住房", year=year).total == 1 and search("住房", year=year - 1).total == 0
    assert search("住房", type="record").total == 0


def test_sort_and_pagination(catalog):
    by_date = search("救助 保障 住房 社会保险 危房", sort="date", page_size=2)
    assert by_date.total == 5 and len(by_date.hits) == 2
    dates = [h.published_at for h in by_date.hits]
    assert dates == sorted(dates, reverse=True)
    page3 = search("救助 保障 住房 社会保险 危房", sort="date", page=3, page_size=2)
    assert len(page3.hits) == 1


def test_admin_synonym_edit_takes_effect(catalog):
    Synonym.objects.create(term="吃低保", expansions="最低生活保障")
    assert search("吃低保").hits[0].id == catalog["dibao"].pk


def test_reindex_command(catalog, capsys):
    SearchDocument.objects.all().delete()
    assert search("低保").total == 0
    call_command("reindex", "--no-progress")
    assert search("低保").hits[0].id == catalog["dibao"].pk
    assert "已索引 5 个事项" in capsys.readouterr().out


NASTY = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.sampled_from(
            [
                '"',
                "'",
                "AND",
                "OR",
                "NOT",
                "NEAR(",
                "*",
                "-",
                ":",
                "(",
                ")",
                "^",
                "{",
                "}",
                "'; DROP TABLE search_fts; --",
                "\\",
                "&",
                "|",
                "!",
                "<->",
                ":*",
                "😀",
                "低保",
                "房",
                " ",
                "C++",
                "title_tokens:",
                "chars : 房",
                "%",
                "_",
                "\x00",
                "NEAR(a b, 2)",
            ]
        ),
        max_size=12,
    ).map("".join),
    st.just("低保" * 500),
    st.just("x" * 1000),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=NASTY)
def test_no_input_breaks_search(catalog, q):
    result = search(q)
    assert isinstance(result, SearchResult)
    assert result.total >= len(result.hits)


# Colloquial words a resident types, and how a standard catalog names the item
# (data/synonyms.json; seeded by migrations 0003 and 0007).
EVERYDAY = [
    ("讨薪", "employment", "劳动保障监察", "拖欠工资投诉处理"),
    ("个体户", "tax", "个体工商户", "定期定额征收"),
    ("种粮补贴", "agri_subsidies", "耕地地力保护补贴", "补贴对象和标准"),
    ("房产证", "urban_planning", "不动产登记", "首次登记办事指南"),
    ("网约车", "municipal_services", "网络预约出租汽车", "驾驶员证核发"),
    ("打疫苗", "health", "预防接种", "接种单位和时间"),
    ("老年证", "elderly_care", "老年人优待证", "办理指南"),
    ("天然气", "municipal_services", "燃气经营许可", "许可条件"),
    ("个税", "tax", "个人所得税", "年度汇算办事指南"),
    ("上户口", "household_registration", "出生登记", "办理流程"),
    ("残疾补贴", "social_assistance", "困难残疾人生活补贴", "申领条件"),
    ("排污证", "ecology", "排污许可", "核发结果"),
    ("当兵", "household_registration", "征兵", "报名条件"),
    ("考公", "employment", "公务员招录", "招录公告"),
    ("学区房", "compulsory_education", "义务教育", "招生范围"),
    ("居民医保", "health", "城乡居民基本医疗保险", "参保缴费"),
    ("开公司", "tax", "企业开办", "设立登记指南"),
    # questions as typed: the question words are dropped, the rest is matched
    ("在哪里办残疾证", "social_assistance", "残疾人证", "办理地点"),
    ("办结婚证需要什么材料", "household_registration", "婚姻登记", "结婚登记申请材料"),
    ("工资被拖欠找谁", "employment", "劳动保障监察", "拖欠工资投诉"),
    # sentences as residents type them, their words far from the catalog's
    ("开小饭馆要办什么证", "food_drug", "行政审批", "食品生产经营许可服务指南"),
    ("开液化气站要什么手续", "municipal_services", "城镇燃气管理", "燃气经营许可证核发"),
    ("踩坏草坪罚款", "urban_law_enforcement", "绿化管理", "损坏城市树木花草"),
    ("树上乱挂横幅", "urban_law_enforcement", "市容环境卫生管理", "在树木上张挂宣传品"),
    ("农村建房没审批", "urban_law_enforcement", "违法建设", "在村庄规划区内未经批准进行建设"),
    ("私立学校", "compulsory_education", "民办学校", "办学许可"),
    ("应急局", "work_safety", "应急管理局", "行政处罚决定"),
    ("偷税漏税曝光", "tax", "税收执法", "重大税收违法失信主体信息公布"),
    ("老婆户口迁过来", "household_registration", "户口迁移", "投靠迁入"),
    ("规划验收", "urban_planning", "规划核实", "建设工程规划条件核实"),
    ("去哪交税", "tax", "纳税服务", "办税指南"),
    ("我家门口的树能自己砍掉吗", "urban_law_enforcement", "绿化管理", "擅自砍伐城市树木"),
    ("下岗了有补贴吗", "employment", "就业困难人员认定", "失业人员补贴申领"),
    # 学技术 → 技能培训: found inside the longer word 职业技能培训 (analysis._with_long_parts)
    ("学技术", "employment", "职业培训", "职业技能培训补贴申领"),
]


@pytest.mark.parametrize(("q", "domain", "level1", "level2"), EVERYDAY)
def test_everyday_words_find_the_catalogs_terms(zone, people, q, domain, level1, level2):
    others = [publish(zone["mzj"], "social_assistance", people["admin"], level1="临时救助")]
    item = publish(zone["mzj"], domain, people["admin"], level1=level1, level2=level2)
    result = search(q)
    assert [h.id for h in result.hits] == [item.pk], q
    assert others[0].pk not in [h.id for h in search(level1).hits]


def test_facets_show_an_agency_renamed_a_moment_ago(catalog, zone):
    search("低保")  # the names are now cached in this process
    agency = zone["mzj"]
    agency.name = "区民政局（新）"
    agency.save()
    names = {f.code: f.name for f in search("低保").facets["agency"]}
    assert names[agency.code] == "区民政局（新）"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")
def test_a_search_on_sqlite_takes_no_write_lock(zone, people):
    """On SQLite an atomic block begins IMMEDIATE (the write lock): a search wrapped in
    one would wait for a running import, or fail after the lock timeout. A search only
    reads, so it must not open one — its statements include no BEGIN at all."""
    publish(zone["mzj"], "social_assistance", people["admin"], level1="最低生活保障")
    statements: list[str] = []

    def log(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        for q in ("低保", "底保", "低保 名单 不存在"):  # found, suggestion, OR fallback
            search(q)
    assert statements and not [
        s for s in statements if s.upper().startswith(("BEGIN", "SAVEPOINT"))
    ]


# Rare letters — New Tai Lue vowel signs (letters to Python, separators to SQLite's
# unicode61), CJK Extension G (Unicode 13), mixed scripts — are found like any other:
# the index splits the token columns on our spaces only (migration 0008).
@pytest.mark.parametrize(
    "name",
    [
        "ᦺᦱ村务公开",
        "ab\u19b1cd社区",
        "\U00030000\U00030001村务公开",
        "ǅemal社区",
        "β受体阻滞剂目录",
    ],
)
def test_rare_letters_are_found(zone, people, name):
    item = publish(zone["mzj"], "social_assistance", people["admin"], level1=name, level2="公开")
    assert [h.id for h in search(name).hits] == [item.pk]
    assert [h.id for h in search(name + " 公开").hits] == [item.pk]


def test_a_known_word_is_found_by_its_words_apart(zone, people):
    """招生计划 is a dictionary word: a document with 招生 and 计划 apart still matches
    (search mode's parts also hold 生计, which such a document does not have), after the
    one that has the whole word."""
    from gongkai.search import query as query_mod

    Synonym.objects.get_or_create(term="招生计划", defaults={"expansions": "招生方案"})
    alternatives = [a.tokens for a in query_mod.build("招生计划").groups[0].alternatives]
    assert ("招生", "计划") in alternatives and not any("生计" in a for a in alternatives)
    whole = publish(zone["mzj"], "compulsory_education", people["admin"], level1="招生计划")
    apart = publish(
        zone["mzj"], "compulsory_education", people["admin"],
        level1="招生管理", level2="各校招生工作", content="本年度计划",
    )  # fmt: skip
    assert ids(search("招生计划"))[:2] == [whole.pk, apart.pk]


def test_one_term_with_few_matches_widens_to_its_words(zone, people):
    """One term finding less than a page is widened as several terms are: any of its
    words, after the documents that have them all."""
    both = publish(zone["mzj"], "public_culture", people["admin"], level1="义务教育宣传")
    only = publish(zone["mzj"], "public_culture", people["admin"], level1="家庭教育讲座")
    assert ids(search("义务教育")) == [both.pk, only.pk]


def test_terms_that_find_nothing_fall_back_to_any_single_word(zone, people):
    """Several terms, nothing with any of them whole: any word of their parts rather
    than an empty page; not when something matched — a part alone is too broad then."""
    sport = publish(zone["mzj"], "elderly_care", people["admin"], level1="群众体育活动")
    assert ids(search("社区文艺活动")) == [sport.pk]
    exact = publish(zone["mzj"], "elderly_care", people["admin"], level1="社区文艺活动安排")
    assert ids(search("社区文艺活动")) == [exact.pk]


@given(st.text(alphabet="招生计划义务教育", min_size=1, max_size=8), st.data())
def test_a_tiling_spells_its_term_exactly(term, data):
    """query._tiling: parts laid end to end give the term back, none is the term."""
    from gongkai.search.query import _tiling

    subs = sorted({term[i:j] for i in range(len(term)) for j in range(i + 2, len(term) + 1)})
    parts = data.draw(st.lists(st.sampled_from(subs), max_size=6)) if subs else []
    tiles = _tiling(term, parts)
    if tiles is not None:
        assert "".join(tiles) == term and term not in tiles and set(tiles) <= set(parts)


def test_a_term_is_matched_by_its_finest_words(zone, people):
    """农村环境整治 finds 农村环境综合整治, which holds 环境 and 整治 but not the longer
    word 环境整治: the term's words are its finest dictionary split."""
    from gongkai.search.query import _tiling

    parts = ["农村", "环境", "整治", "环境整治", "农村环境"]
    assert _tiling("农村环境整治", parts) == ["农村", "环境", "整治"]
    item = publish(
        zone["mzj"], "ecology", people["admin"], level1="生态建设", level2="农村环境综合整治情况"
    )
    assert ids(search("农村环境整治")) == [item.pk]


def test_pinyin_letters_find_the_word_they_spell(catalog):
    """hukou, dibao: typed with the input method off, searched for as 户口, 低保."""
    result = search("dibao")
    assert ids(result)[:1] == [catalog["dibao"].pk] and result.suggestion == "低保"
    assert search("gongzufang").hits[0].id == catalog["gzf"].pk


def test_a_homophone_typo_finds_what_it_sounds_like(catalog):
    """底保 and 公组房 are typed with the right pinyin and wrong characters: the known word
    that sounds the same (低保, 公租房) is searched for too, with what it stands for."""
    assert ids(search("底保"))[:1] == [catalog["dibao"].pk]
    assert ids(search("公组房"))[:1] == [catalog["gzf"].pk]
    assert "<mark>" in search("底保").hits[0].snippet
