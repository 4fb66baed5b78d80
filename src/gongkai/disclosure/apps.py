from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "gongkai.disclosure"
    label = "disclosure"
    verbose_name = "公开信息"

    def ready(self) -> None:
        # `gongkai reindex` rebuilds record documents too (search knows no records).
        from gongkai.search.indexing import register_source

        from .search import reindex_records

        register_source("record", reindex_records)
