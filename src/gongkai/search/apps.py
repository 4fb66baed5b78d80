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
        # The facets' domain and agency names (services._names): renamed here, shown at
        # once by this process (other processes within NAMES_TTL).
        from gongkai.catalog.models import Domain
        from gongkai.org.models import Agency

        from .services import clear_names

        for model in (Domain, Agency):
            post_save.connect(clear_names, sender=model, dispatch_uid=f"search_names_{model}")
            post_delete.connect(clear_names, sender=model, dispatch_uid=f"search_names_d{model}")
        # The segmenter (~0.3 s with the dictionary) is built lazily on first use; the WSGI
        # entry point warms it (analysis.warm).
