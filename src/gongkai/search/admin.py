from django.contrib import admin

from .models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("term", "expansions", "bidirectional")
    search_fields = ("term", "expansions")
    list_filter = ("bidirectional",)
    fields = ("term", "expansions", "bidirectional")
