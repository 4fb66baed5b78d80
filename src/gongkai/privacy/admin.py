"""The back office for the sensitive-word list. Every save, switch and delete goes through
privacy.services (permission check and audit entry), so the secrecy screen cannot be
weakened without a trace."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from . import services
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

    # Adding, changing and deleting all need what the services need.
    def has_add_permission(self, request) -> bool:
        return services.can_manage_words(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return services.can_manage_words(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return services.can_manage_words(request.user)

    def save_model(self, request, obj, form, change) -> None:
        data = {k: form.cleaned_data[k] for k in services.WORD_FIELDS if k in form.cleaned_data}
        try:
            if change:
                changed = {k: data[k] for k in form.changed_data if k in data}
                saved = services.update_word(request.user, obj, **changed)
            else:
                saved = services.create_word(request.user, data.pop("word"), **data)
        except (PermissionDenied, ValidationError) as exc:
            raise PermissionDenied(_message(exc)) from exc
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        services.delete_word(request.user, obj)

    def delete_queryset(self, request, queryset) -> None:
        for word in queryset:
            services.delete_word(request.user, word)

    @admin.action(description="启用所选敏感词", permissions=["change"])
    def activate(self, request, queryset) -> None:
        self._switch(request, queryset, True)

    @admin.action(description="停用所选敏感词", permissions=["change"])
    def deactivate(self, request, queryset) -> None:
        self._switch(request, queryset, False)

    def _switch(self, request, queryset, active: bool) -> None:
        # One service call per row: each change is audited and refreshes the word cache.
        for word in queryset:
            services.set_word_active(request.user, word, active)
        messages.success(request, f"已{'启用' if active else '停用'} {len(queryset)} 个敏感词。")


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)
