"""Back office: webhook endpoints (system administrators), their deliveries, and the
read-only change log. Writes go through channels.webhooks (permissions and audit there)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from . import webhooks
from .models import ChangeEvent, DeliveryStatus, WebhookDelivery, WebhookEndpoint


class _SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        label="推送地址",
        max_length=500,
        assume_scheme="https",
        help_text="接收 POST 请求的 http(s) 地址",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("name", "url", "active", "kinds", "agency", "secret")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(_SuperuserOnly, admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("name", "url", "active", "kinds_display", "agency", "pending", "dead")
    list_filter = ("active",)
    search_fields = ("name", "url")
    autocomplete_fields = ("agency",)
    fields = ("name", "url", "active", "kinds", "agency", "secret")

    @admin.display(description="对象类型")
    def kinds_display(self, obj):
        labels = WebhookEndpoint._meta.get_field("kinds").labels(obj.kinds)
        return "、".join(labels) or "全部"

    @admin.display(description="待推送")
    def pending(self, obj):
        return obj.deliveries.filter(status__in=webhooks.DUE).count()

    @admin.display(description="已放弃")
    def dead(self, obj):
        return obj.deliveries.filter(status=DeliveryStatus.DEAD).count()

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        # Delivery history stays; switch an endpoint off instead (启用).
        return False

    def save_model(self, request, obj, form, change):
        webhooks.save_endpoint(request.user, obj)

    def log_addition(self, request, obj, message):  # audited by webhooks.save_endpoint
        return None

    def log_change(self, request, obj, message):
        return None


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(_SuperuserOnly, admin.ModelAdmin):
    list_display = (
        "id",
        "endpoint",
        "event",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_attempt_at",
    )
    list_filter = ("status", "endpoint")
    list_select_related = ("endpoint", "event")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="立即重新推送所选（失败或已放弃的）")
    def retry(self, request, queryset):
        try:
            n = webhooks.retry_deliveries(request.user, queryset)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, str(exc))
            return
        messages.success(request, f"已安排重新推送 {n} 条。")

    def get_actions(self, request):
        # The action is offered to superusers although the rows are read-only.
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("retry", None)
        return actions


@admin.register(ChangeEvent)
class ChangeEventAdmin(_SuperuserOnly, admin.ModelAdmin):
    list_display = ("id", "occurred_at", "kind", "action", "title", "agency_code", "domain_code")
    list_filter = ("kind", "action")
    search_fields = ("title", "agency_code", "domain_code")
    date_hierarchy = "occurred_at"
    readonly_fields = [f.name for f in ChangeEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
