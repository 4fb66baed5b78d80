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
