from django.contrib import admin

from .models import SuggestTerm, Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("term", "expansions", "bidirectional")
    search_fields = ("term", "expansions")
    list_filter = ("bidirectional",)
    fields = ("term", "expansions", "bidirectional")


@admin.register(SuggestTerm)
class SuggestTermAdmin(admin.ModelAdmin):
    """Derived from the published items (search/suggest.py): to look at, and to delete a
    name that should not be suggested until the next `gongkai reindex`."""

    list_display = ("term", "pinyin", "initials", "weight")
    search_fields = ("term", "pinyin", "initials")
    fields = ("term", "pinyin", "fuzzy", "initials", "weight")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
