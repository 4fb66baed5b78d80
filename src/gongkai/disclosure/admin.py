"""The back office for disclosure records: lists scoped to the user's agencies, drafts
edited through disclosure.services, and one page per workflow step (submit, approve,
schedule, reject, withdraw, mask, override, recompute the due date) — the services check
permissions again, so the admin only mirrors them."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from gongkai.catalog.models import CatalogItem, ItemStatus
from gongkai.core.admin_audit import AuditedAdminMixin
from gongkai.org.admin_scope import AgencyOwnedAdminMixin
from gongkai.org.models import Role
from gongkai.org.permissions import (
    EDIT_ROLES,
    REVIEW_ROLES,
    VIEW_ROLES,
    agencies_for,
    has_role,
)

from . import column, services
from .models import AnnualReport, ColumnPage, PolicyLink, Record, RecordStatus, ServiceLink
from .timeliness import periodic_gaps
from .vocabularies import STATUTORY_CATEGORIES
from .workflow import TRANSITIONS, allowed

# Extra steps besides the transitions: (name, label, roles, statuses, needs_note).
EXTRA_ACTIONS = {
    "mask": (
        "遮盖个人信息",
        EDIT_ROLES + REVIEW_ROLES,  # editors on drafts only (see _steps)
        (RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.SCHEDULED),
        False,
    ),
    "override": (
        "放行筛查结果",
        REVIEW_ROLES,
        (RecordStatus.SUBMITTED, RecordStatus.SCHEDULED),
        True,
    ),
    "rescreen": ("重新筛查", services.RESCREEN_ROLES, tuple(RecordStatus.values), False),
    "recompute_due": ("重新计算期限", (Role.ADMIN,), tuple(RecordStatus.values), False),
}


class LateFilter(admin.SimpleListFilter):
    title = "是否逾期"
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return (("yes", "逾期"), ("no", "未逾期"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(Record.late_q())
        if self.value() == "no":
            return queryset.exclude(Record.late_q())
        return queryset


class CategoryFilter(admin.SimpleListFilter):
    title = "法定主动公开内容"
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return [
            (code, f"（{i}）{label[:16]}")
            for i, (code, label) in enumerate(STATUTORY_CATEGORIES, 1)
        ]

    def queryset(self, request, queryset):
        return queryset.filter(categories__has=self.value()) if self.value() else queryset


class RecordForm(forms.ModelForm):
    class Meta:
        model = Record
        fields = list(services.EDITABLE_FIELDS)
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "cols": 90})}
        help_texts = {
            "body": "可使用HTML：段落、标题、加粗、列表、表格、链接和图片；"
            "脚本、样式和事件属性保存时会被清除。",
        }


@admin.register(Record)
class RecordAdmin(AgencyOwnedAdminMixin, SimpleHistoryAdmin):
    form = RecordForm
    change_form_template = "admin/disclosure/record/change_form.html"
    change_list_template = "admin/disclosure/record/change_list.html"
    list_display = (
        "title",
        "item",
        "agency",
        "status",
        "index_number",
        "formed_on",
        "due_on",
        "late_display",
        "published_on",
        "screen_display",
    )
    list_filter = (
        "status",
        "agency",
        LateFilter,
        "topic",
        CategoryFilter,
        "is_normative",
        "validity",
    )
    search_fields = ("title", "doc_number", "index_number", "issuer")
    list_select_related = ("item", "agency")
    autocomplete_fields = ("item",)
    date_hierarchy = "formed_on"
    readonly_fields = (
        "status",
        "index_number",
        "published_on",
        "publish_at",
        "due_on",
        "due_basis",
        "due_provisional",
        "late_display",
        "body_preview",
        "findings_display",
        "warnings_display",
        "override_display",
        "submitted_by",
        "reviewed_by",
        "review_note",
        "withdraw_reason",
    )
    fieldsets = (
        (None, {"fields": ("item", "title", "body")}),
        ("文件信息", {"fields": ("doc_number", "issuer", "written_on", "formed_on")}),
        ("分类", {"fields": ("topic", "categories")}),
        ("规范性文件", {"fields": ("is_normative", "validity", "validity_date")}),
        ("发布", {"fields": ("status", "index_number", "published_on", "publish_at")}),
        (
            "公开时限",
            {"fields": ("due_on", "due_basis", "due_provisional", "late_display")},
        ),
        (
            "隐私和保密筛查",
            {"fields": ("findings_display", "warnings_display", "override_display")},
        ),
        (
            "审核",
            {"fields": ("submitted_by", "reviewed_by", "review_note", "withdraw_reason")},
        ),
    )

    def get_queryset(self, request):
        if _autocomplete_for(request, "policylink"):
            # Policy documents may come from any agency: offer every published record (and
            # the user's own) when choosing one for a PolicyLink.
            return services.visible_records(request.user).select_related("item", "agency")
        qs = Record.objects.all()
        if not request.user.is_superuser:
            qs = qs.filter(agency__in=agencies_for(request.user, VIEW_ROLES))
        return qs.select_related("item", "agency")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            kwargs["queryset"] = CatalogItem.objects.filter(
                is_guideline=False, agency__in=agencies_for(request.user, EDIT_ROLES)
            ).exclude(status=ItemStatus.RETIRED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only: show the body as it will look, not its HTML source.
        swap = {"body": "body_preview"}
        return [
            (name, {**opts, "fields": tuple(swap.get(f, f) for f in opts["fields"])})
            for name, opts in fieldsets
        ]

    # --- list and detail displays ---------------------------------------------------

    @admin.display(description="正文")
    def body_preview(self, obj):
        # Stored bodies are sanitised by nh3 on every save (services), so they render as is.
        return mark_safe(obj.body)

    @admin.display(description="逾期")
    def late_display(self, obj):
        if not obj.due_on:
            return "—"
        if not obj.is_late:
            return "否"
        days = obj.days_late
        state = "已发布" if obj.published_on else "尚未发布"
        return format_html('<strong class="errornote">逾期{}个工作日</strong>（{}）', days, state)

    @admin.display(description="筛查")
    def screen_display(self, obj):
        if not obj.screened_at:
            return "—"
        if not obj.screen_findings:
            return "通过"
        if obj.screen_blocks:
            return format_html("<strong>{}处待处理</strong>", len(obj.screen_findings))
        return f"{len(obj.screen_findings)}处已放行"

    @admin.display(description="筛查发现")
    def findings_display(self, obj):
        if not obj.screened_at:
            return "尚未筛查（提交审核和发布时自动筛查）。"
        if not obj.screen_findings:
            when = timezone.localtime(obj.screened_at)
            return f"未发现个人信息或敏感词（{when:%Y-%m-%d %H:%M} 筛查）。"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>第{}行</td><td>{}</td><td>{}</td></tr>",
            (
                (f.get("label", ""), f.get("source", ""), f.get("line", ""),
                 f.get("context", ""), f.get("message", ""))
                for f in obj.screen_findings
            ),
        )  # fmt: skip
        return format_html(
            "<table><thead><tr><th>类别</th><th>位置</th><th>行</th><th>上下文</th>"
            "<th>说明</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="需人工核查")
    def warnings_display(self, obj):
        if not obj.screen_warnings:
            return "—"
        items = format_html_join("", "<li>{}</li>", ((w,) for w in obj.screen_warnings))
        return format_html("<ul>{}</ul>", items)

    @admin.display(description="放行记录")
    def override_display(self, obj):
        o = obj.screen_override or {}
        if not o:
            return "—"
        valid = obj.screen_findings and not obj.screen_blocks
        state = "有效" if valid else "已失效（筛查结果已变化）"
        try:
            when = f"{timezone.localtime(dt.datetime.fromisoformat(o['at'])):%Y-%m-%d %H:%M}"
        except (KeyError, TypeError, ValueError):
            when = ""
        return (
            f"{o.get('by_name', '')} 于 {when} 放行{o.get('count', '')}处："
            f"{o.get('reason', '')}（{state}）"
        )

    # --- saving through the services ---------------------------------------------------

    def save_model(self, request, obj, form, change):
        data = {k: v for k, v in form.cleaned_data.items() if k in services.EDITABLE_FIELDS}
        try:
            if change:
                changed = {k: data[k] for k in form.changed_data if k in data}
                saved = services.update_record(request.user, obj, **changed)
            else:
                item = data.pop("item")
                saved = services.create_record(request.user, item, **data)
        except PermissionDenied as exc:
            raise PermissionDenied(_message(exc)) from exc
        except ValidationError as exc:
            raise _Refused(exc) from exc
        obj.pk, obj.agency_id, obj.status = saved.pk, saved.agency_id, saved.status

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            # The service refused what the form accepted (its transaction is rolled back):
            # show the form again, as typed, with the service's reasons as form errors.
            request._disclosure_refused = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, "_disclosure_refused", None)
        if error is None:
            return form

        class RefusedForm(form):
            def clean(self):
                cleaned = super().clean()
                fields = getattr(error, "error_dict", {})
                if fields and set(fields) <= set(self.fields):
                    self.add_error(None, error)  # each message beside its field
                else:
                    self.add_error(None, _message(error))
                return cleaned

        return RefusedForm

    def save_related(self, request, form, formsets, change):
        pass  # attachments are uploaded below the form, through the services

    def log_addition(self, request, obj, message):
        return None  # the audit log records it

    def log_change(self, request, obj, message):
        return None

    # --- workflow pages ------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        custom = [
            path("<int:pk>/step/<str:name>/", view(self.step_view), name="disclosure_record_step"),
            path(
                "<int:pk>/attachments/",
                view(self.attachments_view),
                name="disclosure_record_attachments",
            ),
            path(
                "<int:pk>/attachments/<int:attachment_id>/",
                view(self.download_view),
                name="disclosure_record_download",
            ),
            path("periodic/", view(self.periodic_view), name="disclosure_record_periodic"),
        ]
        return custom + super().get_urls()

    def _steps(self, request, obj) -> list[tuple[str, str]]:
        steps = [
            (t.name, t.label)
            for t in allowed(obj.status)
            if has_role(request.user, obj.agency, t.roles)
        ]
        for name, (label, roles, statuses, _note) in EXTRA_ACTIONS.items():
            if obj.status in statuses and has_role(request.user, obj.agency, roles):
                if name in ("mask", "override") and not obj.screen_findings:
                    continue
                if (
                    name == "mask"
                    and obj.status != RecordStatus.DRAFT
                    and not has_role(request.user, obj.agency, REVIEW_ROLES)
                ):
                    continue
                steps.append((name, label))
        return steps

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["steps"] = self._steps(request, obj)
            context["can_attach"] = obj.status == RecordStatus.DRAFT and has_role(
                request.user, obj.agency, EDIT_ROLES
            )
            # Files of a record that was ever published stay (services.remove_attachment).
            context["can_remove"] = context["can_attach"] and not obj.index_number
            context["attachments"] = list(obj.attachments.all())
        return super().render_change_form(request, context, add, change, form_url, obj)

    def step_view(self, request, pk: int, name: str):
        record = get_object_or_404(self.get_queryset(request), pk=pk)
        if name in TRANSITIONS:
            label, needs_note = TRANSITIONS[name].label, TRANSITIONS[name].needs_note
        elif name in EXTRA_ACTIONS:
            label, _roles, _statuses, needs_note = EXTRA_ACTIONS[name]
        else:
            raise PermissionDenied("未知的操作。")
        if request.method == "POST":
            note = request.POST.get("note", "")
            try:
                self._apply(request, record, name, note)
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, _message(exc))
            else:
                record.refresh_from_db()
                if name in ("mask", "rescreen") and record.screen_findings:
                    messages.warning(
                        request, f"仍有{len(record.screen_findings)}处筛查发现需要处理。"
                    )
                messages.success(request, f"已{label}：{record}")
                return redirect(reverse("admin:disclosure_record_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "record": record,
            "name": name,
            "label": label,
            "needs_note": needs_note,
            "opts": self.model._meta,
            "title": f"{label}：{record}",
        }
        return TemplateResponse(request, "admin/disclosure/record/step.html", context)

    def _apply(self, request, record, name: str, note: str) -> None:
        user = request.user
        if name == "schedule":
            services.schedule(user, record, _parse_moment(request.POST.get("publish_at")), note)
        elif name in TRANSITIONS:
            services.transition(user, record, name, note)
        elif name == "mask":
            services.mask_personal_data(record, user)
        elif name == "override":
            services.override_screen(record, user, note)
        elif name == "rescreen":
            services.screen_record(user, record)
        elif name == "recompute_due":
            services.recompute_due(user, record, note)

    def attachments_view(self, request, pk: int):
        record = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method != "POST":
            return redirect(reverse("admin:disclosure_record_change", args=[pk]))
        try:
            if request.POST.get("remove"):
                try:
                    attachment_id = int(request.POST["remove"])
                except ValueError as exc:
                    raise ValidationError("要删除的附件不存在。") from exc
                attachment = get_object_or_404(record.attachments, pk=attachment_id)
                services.remove_attachment(request.user, attachment)
                messages.success(request, f"已删除附件：{attachment.original_name}")
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationError("请选择要上传的文件。")
                from .attachments import max_bytes

                if upload.size > max_bytes():
                    raise ValidationError(
                        f"附件超过上限 {max_bytes() // 1024 // 1024} MB，请压缩或拆分后再上传。"
                    )
                attachment = services.add_attachment(
                    request.user, record, upload.read(), upload.name
                )
                messages.success(request, f"已上传附件：{attachment.original_name}")
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _message(exc))
        return redirect(reverse("admin:disclosure_record_change", args=[pk]))

    def download_view(self, request, pk: int, attachment_id: int):
        """Files are served only to those who may see the record (drafts included)."""
        record = get_object_or_404(self.get_queryset(request), pk=pk)
        attachment = get_object_or_404(record.attachments, pk=attachment_id)
        return FileResponse(
            _open(attachment.file),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )

    def periodic_view(self, request):
        """定期公开缺漏: per agency, periodic items whose disclosure is missing or late."""
        agencies = agencies_for(request.user, VIEW_ROLES).exclude(kind="national")
        agency = agencies.filter(code=request.GET.get("agency", "")).first() or agencies.first()
        if agency is None:
            raise PermissionDenied("您没有可查看的机关。")
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"定期公开缺漏：{agency}",
            "agency": agency,
            "agencies": agencies,
            "today": today,
            "gaps": periodic_gaps(agency, today),
        }
        return TemplateResponse(request, "admin/disclosure/record/periodic.html", context)


def _open(field_file):
    """The stored file for reading; a file missing from storage is a 404, not a 500."""
    try:
        return field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("文件不存在或已丢失，请联系系统管理员。") from exc


def _parse_moment(value: str | None) -> dt.datetime | None:
    """The form's datetime-local value (Beijing time) as an aware datetime."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError("定时发布时间格式不正确。") from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class _Refused(Exception):
    """A service's ValidationError on save, carried out of the admin's transaction."""

    def __init__(self, error: ValidationError):
        super().__init__(_message(error))
        self.error = error


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def _autocomplete_for(request, model_name: str) -> bool:
    """Is this the admin's autocomplete request for a field of `model_name`?"""
    return (
        request.path.endswith("/autocomplete/")
        and request.GET.get("app_label") == "disclosure"
        and request.GET.get("model_name") == model_name
    )


# --- the disclosure column ---------------------------------------------------------------------


class _ColumnAdmin(admin.ModelAdmin):
    """Pages and reports of one agency: its admins; of the whole government: holders of the
    model's change permission (column.can_edit_column). Saves go through disclosure.column."""

    def _gov(self, request) -> bool:
        return column.can_edit_column(request.user, None, self.model)

    def get_queryset(self, request):
        qs = self.model.objects.select_related("agency")
        if request.user.is_superuser:
            return qs
        scope = Q(agency__in=column.column_agencies(request.user))
        if self._gov(request):
            scope |= Q(agency__isnull=True)
        return qs.filter(scope)

    def has_module_permission(self, request):
        return self._gov(request) or column.column_agencies(request.user).exists()

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return column.can_edit_column(request.user, obj.agency, self.model)

    has_add_permission = has_module_permission
    has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False  # kept: a page is emptied or a report unpublished instead

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = column.column_agencies(request.user).exclude(kind="national")
            if not self._gov(request):
                kwargs["required"] = True  # only the government's editors leave it empty
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        pass  # the service saved everything

    def log_addition(self, request, obj, message):
        return None  # the audit log records it

    def log_change(self, request, obj, message):
        return None


class ColumnPageForm(forms.ModelForm):
    class Meta:
        model = ColumnPage
        fields = ("agency", "slug", "title", "body", "sort_order")
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "cols": 90})}
        help_texts = {
            "body": "可使用HTML：段落、标题、加粗、列表、表格和链接；"
            "脚本、样式和事件属性保存时会被清除。",
        }


@admin.register(ColumnPage)
class ColumnPageAdmin(_ColumnAdmin, SimpleHistoryAdmin):
    form = ColumnPageForm
    list_display = ("title", "slug", "owner_display", "updated_at", "updated_by")
    list_filter = ("slug", "agency")
    search_fields = ("title", "slug")

    @admin.display(description="机关")
    def owner_display(self, obj):
        return obj.agency or "本级政府"

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in column.PAGE_FIELDS if k in form.cleaned_data}
        try:
            saved = column.save_column_page(request.user, obj if change else None, **data)
        except (PermissionDenied, ValidationError) as exc:
            raise PermissionDenied(_message(exc)) from exc
        obj.pk = saved.pk


class AnnualReportForm(forms.ModelForm):
    upload = forms.FileField(
        label="上传报告文件",
        required=False,
        help_text="PDF 或 Word（docx），按文件内容识别类型；上传后替换原文件。",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    remove_file = forms.BooleanField(label="删除现有文件", required=False)

    class Meta:
        model = AnnualReport
        fields = ("agency", "year", "title", "body", "is_published")
        widgets = {"body": forms.Textarea(attrs={"rows": 20, "cols": 90})}

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        from .attachments import check_attachment, max_bytes

        if upload.size > max_bytes():
            raise ValidationError(f"文件超过上限 {max_bytes() // 1024 // 1024} MB。")
        data = upload.read()
        kind = check_attachment(data, upload.name)
        if kind.code not in column.REPORT_KINDS:
            raise ValidationError("年度报告文件只能是PDF或Word（docx）。")
        self.upload_data = data
        return upload

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("upload")) or (
            self.instance.pk and self.instance.file and not cleaned.get("remove_file")
        )
        if cleaned.get("is_published") and not (cleaned.get("body") or "").strip() and not has_file:
            raise ValidationError("发布的年度报告须有正文或报告文件。")
        return cleaned


@admin.register(AnnualReport)
class AnnualReportAdmin(_ColumnAdmin):
    form = AnnualReportForm
    list_display = ("title", "year", "owner_display", "is_published", "published_at", "file_link")
    list_filter = ("is_published", "year", "agency")
    search_fields = ("title",)
    readonly_fields = ("file_link", "size", "sha256", "published_at")
    fields = (
        "agency",
        "year",
        "title",
        "body",
        "file_link",
        "upload",
        "remove_file",
        "size",
        "sha256",
        "is_published",
        "published_at",
    )

    @admin.display(description="机关")
    def owner_display(self, obj):
        return obj.agency or "本级政府"

    @admin.display(description="报告文件")
    def file_link(self, obj):
        if not obj or not obj.file:
            return "—"
        url = reverse("admin:disclosure_annualreport_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/download/",
                view(self.download_view),
                name="disclosure_annualreport_download",
            )
        ] + super().get_urls()

    def download_view(self, request, pk: int):
        report = get_object_or_404(self.get_queryset(request), pk=pk)
        if not report.file:
            raise Http404("该年度报告没有文件。")
        return FileResponse(
            _open(report.file),
            as_attachment=True,
            filename=report.original_name,
            content_type=report.content_type,
        )

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in column.REPORT_FIELDS if k in form.cleaned_data}
        upload = form.cleaned_data.get("upload")
        try:
            saved = column.save_annual_report(
                request.user,
                obj if change else None,
                file_data=getattr(form, "upload_data", None) if upload else None,
                file_name=upload.name if upload else "",
                remove_file=bool(form.cleaned_data.get("remove_file")),
                **data,
            )
        except (PermissionDenied, ValidationError) as exc:
            raise PermissionDenied(_message(exc)) from exc
        obj.pk = saved.pk


# --- linkages of catalog items (在线办事, 政策文件) -----------------------------------------------


class _LinkAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Editors and admins of the item's agency; saves go through disclosure.column."""

    autocomplete_fields = ("item",)
    list_select_related = ("item", "item__agency")

    def get_queryset(self, request):
        qs = self.model.objects.select_related("item__agency")
        if request.user.is_superuser:
            return qs
        return qs.filter(item__agency__in=agencies_for(request.user, VIEW_ROLES))

    def has_module_permission(self, request):
        return agencies_for(request.user, VIEW_ROLES).exists()

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return has_role(request.user, obj.item.agency, VIEW_ROLES)

    def has_add_permission(self, request):
        return agencies_for(request.user, EDIT_ROLES).exists()

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return has_role(request.user, obj.item.agency, EDIT_ROLES)

    has_delete_permission = has_change_permission

    @admin.display(description="公开主体")
    def agency_display(self, obj):
        return obj.item.agency

    def save_related(self, request, form, formsets, change):
        pass

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ServiceLink)
class ServiceLinkAdmin(_LinkAdmin):
    list_display = ("name", "item", "agency_display", "url", "sort_order")
    list_filter = ("item__agency",)
    search_fields = ("name", "url", "item__level2")
    fields = ("item", "name", "url", "sort_order")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # an address typed without a scheme
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in column.LINK_FIELDS if k in form.cleaned_data}
        try:
            saved = column.save_service_link(request.user, obj if change else None, **data)
        except (PermissionDenied, ValidationError) as exc:
            raise PermissionDenied(_message(exc)) from exc
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        column.remove_service_link(request.user, obj)


@admin.register(PolicyLink)
class PolicyLinkAdmin(_LinkAdmin):
    list_display = ("record", "item", "agency_display", "sort_order")
    list_filter = ("item__agency",)
    search_fields = ("record__title", "record__doc_number", "item__level2")
    autocomplete_fields = ("item", "record")
    fields = ("item", "record", "sort_order")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if change and {"item", "record"} & set(form.changed_data):
                    column.unlink_policy(request.user, PolicyLink.objects.get(pk=obj.pk))
                saved = column.link_policy(
                    request.user, data["item"], data["record"], data.get("sort_order") or 0
                )
        except (PermissionDenied, ValidationError) as exc:
            raise PermissionDenied(_message(exc)) from exc
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        column.unlink_policy(request.user, obj)
