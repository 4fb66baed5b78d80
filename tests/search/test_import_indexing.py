"""Imports keep the search index current: published imports in, re-submitted rows out."""

from gongkai.catalog.exchange.importer import import_catalog
from gongkai.search.models import SearchDocument
from tests.catalog.exchange import builders

SAMPLE = builders.sample_rows()


def test_import_publish_indexes_and_reimport_unindexes(tmp_path, zone, people):
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": SAMPLE})
    import_catalog(path, zone["mzj"], people["admin"], publish=True)
    assert SearchDocument.objects.count() == 3

    changed = [dict(SAMPLE[0], time_limit="制定或获取信息之日起10个工作日内"), *SAMPLE[1:]]
    path = builders.build_xlsx(tmp_path / "c2.xlsx", {"社会救助": changed})
    import_catalog(path, zone["mzj"], people["admin"])  # the changed row goes to review
    assert SearchDocument.objects.count() == 2


def test_import_for_review_indexes_nothing(tmp_path, zone, people):
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": SAMPLE})
    import_catalog(path, zone["mzj"], people["admin"])
    assert SearchDocument.objects.count() == 0


def test_documents_built_from_imported_rows_equal_those_built_from_the_database(
    tmp_path, zone, people
):
    """The import indexes new items from the rows in memory; a later reindex from the
    database must produce exactly the same documents (no field drifts between paths)."""
    from gongkai.search.indexing import reindex_all
    from gongkai.search.services import search

    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": SAMPLE})
    import_catalog(path, zone["mzj"], people["admin"], publish=True)
    fields = [f.attname for f in SearchDocument._meta.concrete_fields if f.attname != "id"]
    from_import = sorted(SearchDocument.objects.values_list(*fields))
    assert reindex_all() == 3
    assert sorted(SearchDocument.objects.values_list(*fields)) == from_import
    assert search("最低生活保障").total >= 1


def test_large_import_uses_bulk_engine_load_and_stays_searchable(tmp_path, zone, people):
    """Above BULK_MIN new documents the engine index is rebuilt once; every row must
    still be found (and the insert trigger restored for later single updates)."""
    from gongkai.catalog.services import public_items
    from gongkai.search import indexing
    from gongkai.search.services import search

    rows = [dict(SAMPLE[0], level2=f"最低生活保障金发放第{i}批") for i in range(30)]
    path = builders.build_xlsx(tmp_path / "big.xlsx", {"社会救助": rows})
    old = indexing.BULK_MIN
    indexing.BULK_MIN = 10
    try:
        import_catalog(path, zone["mzj"], people["admin"], publish=True)
    finally:
        indexing.BULK_MIN = old
    assert search("最低生活保障").total == 30
    item = public_items().first()
    indexing.index_items([item.pk])  # after the bulk load, the row-by-row path still works
    assert search("最低生活保障").total == 30


def test_publishing_a_guideline_catalog_indexes_and_announces_nothing(tmp_path, zone, people):
    """A national department's catalog is a guideline, never public: a publishing import
    of it must not reach the search index or the change feed."""
    from gongkai.channels.models import ChangeEvent

    people["admin"].is_superuser = True
    people["admin"].save()
    path = builders.build_xlsx(tmp_path / "g.xlsx", {"社会救助": SAMPLE})
    plan = import_catalog(path, zone["moe"], people["admin"], publish=True)
    assert plan.applied and plan.count("create") == 3
    assert SearchDocument.objects.count() == 0
    assert not ChangeEvent.objects.exists()
