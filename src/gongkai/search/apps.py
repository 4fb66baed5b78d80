from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        # Synonym edits in the back office take effect on the next query of this process.
        from django.db.models.signals import post_delete, post_save

        from .models import Synonym
        from .query import clear_synonyms

        post_save.connect(clear_synonyms, sender=Synonym, dispatch_uid="search_synonyms_save")
        post_delete.connect(clear_synonyms, sender=Synonym, dispatch_uid="search_synonyms_del")
        # The segmenter (~0.3 s with the dictionary) is built lazily on first use; `serve`
        # may warm it with `gongkai.search.analysis.segmenter()`.
