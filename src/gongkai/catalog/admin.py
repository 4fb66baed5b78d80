"""The back office for catalog items: lists filtered to the user's scope, edits and
review transitions that all go through catalog.services (where permissions live)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from gongkai.org.admin_scope import AgencyOwnedAdminMixin
from gongkai.org.permissions import EDIT_ROLES, VIEW_ROLES, agencies_for, has_role

from . import services, versions
from .models import CatalogItem, Domain, GuidelineExclusion
from .vocabularies import LEVELS
from .workflow import TRANSITIONS, allowed


class LevelFilter(admin.SimpleListFilter):
    title = "公开层级"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return LEVELS

    def queryset(self, request, queryset):
        return queryset.filter(levels__has=self.value()) if self.value() else queryset


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_standard", "sort_order", "guideline_issuer")
    list_filter = ("is_standard",)
    search_fields = ("name", "code")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        # Domains are reference data; the 26 standard ones are never deleted.
        return request.user.is_superuser and not (obj and obj.is_standard)


@admin.register(CatalogItem)
class CatalogItemAdmin(AgencyOwnedAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "domain", "agency", "status", "time_limit_kind", "updated_at")
    list_filter = ("status", "domain", "agency", LevelFilter, "is_guideline", "time_limit_kind")
    search_fields = ("level1", "level2", "level3", "content", "code")
    list_select_related = ("domain", "agency")
    autocomplete_fields = ("guideline", "subject_agency")
    actions = ["submit_selected", "approve_selected"]
    readonly_fields = (
        "status",
        "time_limit_kind",
        "submitted_by",
        "reviewed_by",
        "published_at",
        "review_note",
    )
    fieldsets = (
        (None, {"fields": ("agency", "domain", "guideline", "code", "sort_order", "status")}),
        ("一、公开事项", {"fields": ("level1", "level2", "level3")}),
        ("二、公开内容", {"fields": ("content",)}),
        ("三、公开依据", {"fields": ("basis", "basis_documents")}),
        ("四、公开时限", {"fields": ("time_limit_text", "time_limit_kind")}),
        ("五、公开主体", {"fields": ("subject_agency", "subject_text")}),
        ("六、公开渠道和载体", {"fields": ("channels", "channels_other")}),
        ("七、公开对象", {"fields": ("audience", "audience_note")}),
        ("八、公开方式", {"fields": ("mode",)}),
        ("九、公开层级", {"fields": ("levels",)}),
        ("审核", {"fields": ("submitted_by", "reviewed_by", "published_at", "review_note")}),
    )

    def get_queryset(self, request):
        scope = agencies_for(request.user, VIEW_ROLES)
        qs = CatalogItem.objects.filter(agency__in=scope)
        if request.user.is_superuser:
            qs = CatalogItem.objects.all()
        return qs.select_related("domain", "agency")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = agencies_for(request.user, EDIT_ROLES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {k: v for k, v in form.cleaned_data.items() if k in services.EDITABLE_FIELDS}
        try:
            if change:
                changed = {k: data[k] for k in form.changed_data if k in data}
                saved = services.update_item(request.user, obj, **changed)
            else:
                domain = data.pop("domain")
                saved = services.create_item(
                    request.user,
                    form.cleaned_data["agency"],
                    domain,
                    guideline=form.cleaned_data.get("guideline"),
                    **data,
                )
        except (PermissionDenied, ValidationError) as exc:
            raise PermissionDenied(_message(exc)) from exc
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        pass  # no m2m; the service saved everything

    def log_addition(self, request, obj, message):
        return None  # the audit log records it (with before/after)

    def log_change(self, request, obj, message):
        return None

    def get_urls(self):
        custom = [
            path(
                "<int:pk>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="catalog_catalogitem_transition",
            ),
            path(
                "<int:pk>/versions/",
                self.admin_site.admin_view(self.versions_view),
                name="catalog_catalogitem_versions",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="catalog_catalogitem_import",
            ),
            path(
                "comparison/",
                self.admin_site.admin_view(self.comparison_view),
                name="catalog_catalogitem_comparison",
            ),
        ]
        return custom + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["transitions"] = [
                t for t in allowed(obj.status) if has_role(request.user, obj.agency, t.roles)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def transition_view(self, request, pk: int, name: str):
        item = get_object_or_404(self.get_queryset(request), pk=pk)
        spec = TRANSITIONS.get(name)
        if spec is None:
            raise PermissionDenied("未知的操作。")
        if request.method == "POST":
            try:
                services.transition(request.user, item, name, request.POST.get("note", ""))
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, _message(exc))
            else:
                messages.success(request, f"已{spec.label}：{item}")
                return redirect(reverse("admin:catalog_catalogitem_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "item": item,
            "spec": spec,
            "opts": self.model._meta,
            "title": f"{spec.label}：{item}",
        }
        return TemplateResponse(request, "admin/catalog/catalogitem/transition.html", context)

    def versions_view(self, request, pk: int):
        item = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method == "POST" and request.POST.get("restore"):
            from .changes import restore_version

            try:
                restore_version(
                    request.user, item, int(request.POST["restore"]), request.POST.get("note", "")
                )
            except (PermissionDenied, ValidationError, ValueError) as exc:
                messages.error(request, _message(exc))
            else:
                messages.success(request, "已恢复为新版本，并提交审核。")
            return redirect(reverse("admin:catalog_catalogitem_versions", args=[pk]))
        history = list(item.history.all().select_related("history_user"))
        a = request.GET.get("a")
        b = request.GET.get("b")
        diff = None
        if history:
            newer = next((h for h in history if str(h.history_id) == b), history[0])
            older = next(
                (h for h in history if str(h.history_id) == a),
                history[1] if len(history) > 1 else history[0],
            )
            diff = versions.diff(older, newer)
        context = {
            **self.admin_site.each_context(request),
            "item": item,
            "history": history,
            "diff": diff,
            "opts": self.model._meta,
            "title": f"版本历史：{item}",
        }
        return TemplateResponse(request, "admin/catalog/catalogitem/versions.html", context)

    def comparison_view(self, request):
        """对照标准指引: per domain and level, adopted / adapted / left out / pending."""
        agencies = agencies_for(request.user, VIEW_ROLES).exclude(kind="national")
        agency = agencies.filter(code=request.GET.get("agency", "")).first() or agencies.first()
        if agency is None:
            raise PermissionDenied("您没有可查看的机关。")
        domain = Domain.objects.filter(code=request.GET.get("domain", "")).first()
        level = request.GET.get("level") or None
        if request.method == "POST":
            self._comparison_action(request, agency)
            return redirect(request.get_full_path())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"对照标准指引：{agency}",
            "agency": agency,
            "agencies": agencies,
            "domains": Domain.objects.all(),
            "domain": domain,
            "level": level or "",
            "levels": LEVELS,
            "comparison": services.compare_with_guideline(agency, domain, level),
            "can_edit": has_role(request.user, agency, EDIT_ROLES),
        }
        return TemplateResponse(request, "admin/catalog/catalogitem/comparison.html", context)

    def import_view(self, request):
        """Upload a catalog file → preview (what would change, every problem) → confirm."""
        from .exchange import uploads

        agencies = agencies_for(request.user, EDIT_ROLES).exclude(kind="national")
        if not agencies.exists():
            raise PermissionDenied("您没有可导入目录的机关。")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "导入目录",
            "agencies": agencies,
            "domains": Domain.objects.all(),
        }
        if request.method == "POST" and request.POST.get("step") == "confirm":
            try:
                plan = uploads.confirm(request, agencies)
            except (PermissionDenied, ValidationError, uploads.ExchangeError) as exc:
                messages.error(request, _message(exc))
                return redirect(reverse("admin:catalog_catalogitem_import"))
            counts = plan.as_dict()
            messages.success(
                request,
                f"导入完成：新建 {counts['created']}，更新 {counts['updated']}，"
                f"未变 {counts['unchanged']}，跳过 {counts['skipped']}。",
            )
            return redirect(reverse("admin:catalog_catalogitem_changelist"))
        if request.method == "POST":
            try:
                context.update(uploads.preview(request, agencies))
            except (PermissionDenied, ValidationError, uploads.ExchangeError) as exc:
                messages.error(request, _message(exc))
        return TemplateResponse(request, "admin/catalog/catalogitem/import.html", context)

    def _comparison_action(self, request, agency):
        guideline = get_object_or_404(
            CatalogItem, pk=request.POST.get("guideline"), is_guideline=True
        )
        try:
            if request.POST.get("action") == "adopt":
                item = services.adopt_guideline_item(
                    request.user, agency, guideline, subject_text=agency.name
                )
                messages.success(request, f"已领取为草稿：{item}")
            elif request.POST.get("action") == "exclude":
                services.exclude_guideline_item(
                    request.user, agency, guideline, request.POST.get("reason", "")
                )
                messages.success(request, f"已记录不纳入理由：{guideline}")
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _message(exc))

    @admin.action(description="提交审核")
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description="审核通过并发布")
    def approve_selected(self, request, queryset):
        self._bulk(request, queryset, "approve")

    def _bulk(self, request, queryset, name: str):
        done, failed = 0, []
        for item in queryset:
            try:
                services.transition(request.user, item, name)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                failed.append(f"{item}：{_message(exc)}")
        if done:
            messages.success(request, f"已{TRANSITIONS[name].label} {done} 项。")
        for text in failed[:20]:
            messages.error(request, text)


@admin.register(GuidelineExclusion)
class GuidelineExclusionAdmin(admin.ModelAdmin):
    list_display = ("agency", "guideline_item", "reason", "created_at")
    autocomplete_fields = ("guideline_item",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(agency__in=agencies_for(request.user))

    def has_module_permission(self, request):
        return agencies_for(request.user, EDIT_ROLES).exists()

    has_view_permission = has_add_permission = has_change_permission = (
        lambda self, request, obj=None: agencies_for(request.user, EDIT_ROLES).exists()
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = agencies_for(request.user, EDIT_ROLES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = services.exclude_guideline_item(
            request.user, obj.agency, obj.guideline_item, obj.reason
        )
        obj.pk = saved.pk


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)
