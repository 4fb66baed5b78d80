from django.contrib import admin

from .models import Agency, Division, Membership
from .permissions import agencies_for


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)

    def has_module_permission(self, request):
        return request.user.is_superuser

    has_view_permission = has_change_permission = has_add_permission = (
        lambda self, request, obj=None: request.user.is_superuser
    )
    has_delete_permission = has_view_permission


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    fk_name = "agency"


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "division", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "short_name")
    autocomplete_fields = ("division", "parent")
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return agencies_for(request.user).select_related("division")

    def has_module_permission(self, request):
        return request.user.is_active and (
            request.user.is_superuser or agencies_for(request.user).exists()
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_delete_permission = lambda self, request, obj=None: (
        request.user.is_superuser
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "agency", "division", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "agency__name", "division__name")
    autocomplete_fields = ("user", "agency", "division")

    def has_module_permission(self, request):
        return request.user.is_superuser

    has_view_permission = has_change_permission = has_add_permission = (
        lambda self, request, obj=None: request.user.is_superuser
    )
    has_delete_permission = has_view_permission
