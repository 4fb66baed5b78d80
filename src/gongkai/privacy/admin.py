from django.contrib import admin

from .models import SensitiveWord


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin):
    list_display = ("word", "category", "active", "exempt_summary", "updated_at")
    list_editable = ("active",)
    list_filter = ("category", "active")
    search_fields = ("word", "exempt_phrases", "note")
    fields = ("word", "category", "exempt_phrases", "active", "note")
    actions = ("activate", "deactivate")

    @admin.display(description="不提示的说法")
    def exempt_summary(self, obj: SensitiveWord) -> str:
        return "、".join(obj.exempt_list)

    @admin.action(description="启用所选敏感词")
    def activate(self, request, queryset) -> None:
        # save() per row (not update()) so the word cache is refreshed through post_save.
        for word in queryset:
            word.active = True
            word.save(update_fields=["active", "updated_at"])

    @admin.action(description="停用所选敏感词")
    def deactivate(self, request, queryset) -> None:
        for word in queryset:
            word.active = False
            word.save(update_fields=["active", "updated_at"])
