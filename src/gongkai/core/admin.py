from datetime import date

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from . import workdays
from .admin_audit import AuditedAdminMixin
from .models import AuditEntry, CalendarDay, CalendarYear


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_repr", "agency_code")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "note", "agency_code", "actor__username")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


# ------------------------------------------------------------------ working-day calendar


def _message(exc: Exception) -> str:
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


class YearFilter(admin.SimpleListFilter):
    title = "年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), f"{d.year}年") for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(date__year=int(value)) if value and value.isdigit() else queryset


class CalendarDayForm(forms.ModelForm):
    until = forms.DateField(
        label="截止日期",
        required=False,
        widget=AdminDateWidget,
        help_text="可选：录入连续多天（如国庆节 10-01 至 10-07）时填写最后一天。",
    )

    class Meta:
        model = CalendarDay
        fields = ("date", "until", "kind", "name", "note")

    def clean(self):
        data = super().clean()
        first, last = data.get("date"), data.get("until")
        if first and last and last < first:
            self.add_error("until", "截止日期不能早于开始日期。")
        elif first and last and (last - first).days > 40:
            self.add_error("until", "一次最多录入 41 天。")
        return data

    def validate_unique(self):
        # A range may run over dates already entered: enter_range updates them.
        if not self.cleaned_data.get("until"):
            super().validate_unique()


class _CalendarAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Calendar rows are shared by every agency: anyone in the back office may look,
    only calendar editors (workdays.can_edit_calendar) may change them."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return workdays.can_edit_calendar(request.user)

    def has_change_permission(self, request, obj=None):
        return workdays.can_edit_calendar(request.user)

    def has_delete_permission(self, request, obj=None):
        return workdays.can_edit_calendar(request.user)

    def save_model(self, request, obj, form, change):
        workdays.save_entry(request.user, obj)

    def delete_model(self, request, obj):
        workdays.delete_entry(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            workdays.delete_entry(request.user, obj)


@admin.register(CalendarDay)
class CalendarDayAdmin(_CalendarAdmin):
    form = CalendarDayForm
    list_display = ("date", "weekday", "kind", "name", "note")
    list_filter = (YearFilter, "kind")
    search_fields = ("name", "note")
    date_hierarchy = "date"

    @admin.display(description="星期")
    def weekday(self, obj):
        return f"星期{workdays.WEEKDAYS[obj.date.weekday()]}"

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return [f for f in fields if f != "until"] if obj else fields

    def save_model(self, request, obj, form, change):
        last = form.cleaned_data.get("until")
        if not change and last:
            workdays.enter_range(request.user, obj.date, last, obj.kind, obj.name, obj.note)
            # The admin redirects to the saved object: the first day of the range.
            obj.pk = CalendarDay.objects.get(date=obj.date).pk
        else:
            super().save_model(request, obj, form, change)


@admin.register(CalendarYear)
class CalendarYearAdmin(_CalendarAdmin):
    list_display = ("year", "complete", "notice", "holiday_count", "workday_count", "updated_at")
    list_filter = ("complete",)
    fields = ("year", "complete", "notice", "url")
    change_list_template = "admin/core/calendaryear/change_list.html"

    @admin.display(description="放假天数")
    def holiday_count(self, obj):
        return CalendarDay.objects.filter(date__year=obj.year, kind="holiday").count()

    @admin.display(description="调休上班天数")
    def workday_count(self, obj):
        return CalendarDay.objects.filter(date__year=obj.year, kind="workday").count()

    def get_urls(self):
        custom = [
            path(
                "enter/",
                self.admin_site.admin_view(self.enter_view),
                name="core_calendaryear_enter",
            )
        ]
        return custom + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        first, last = workdays.library_years()
        extra = {"library_first": first, "library_last": last, **(extra_context or {})}
        return super().changelist_view(request, extra)

    def enter_view(self, request):
        """Paste a year's State Council notice → preview every date → save."""
        if not workdays.can_edit_calendar(request.user):
            raise PermissionDenied("您没有权限修改节假日安排。")
        first, last = workdays.library_years()
        data = request.POST if request.method == "POST" else None
        form = ScheduleForm(data, initial={"year": max(last + 1, date.today().year)})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "录入年度节假日安排",
            "form": form,
            "library_first": first,
            "library_last": last,
        }
        if data is not None and form.is_valid():
            year, lines = form.cleaned_data["year"], form.cleaned_data["lines"]
            if request.POST.get("step") == "save":
                try:
                    result = workdays.enter_schedule(
                        request.user,
                        year,
                        lines,
                        notice=form.cleaned_data["notice"],
                        url=form.cleaned_data["url"],
                        replace=form.cleaned_data["replace"],
                        complete=form.cleaned_data["complete"],
                    )
                except (PermissionDenied, ValidationError) as exc:
                    messages.error(request, _message(exc))
                else:
                    messages.success(
                        request,
                        f"已录入{year}年节假日安排：放假 {result.holidays} 天，"
                        f"调休上班 {result.workdays} 天。",
                    )
                    return redirect(reverse("admin:core_calendaryear_changelist"))
            context["preview"] = _preview(year, lines)
        return TemplateResponse(request, "admin/core/calendaryear/enter.html", context)


class ScheduleForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=1950, max_value=9998)
    notice = forms.CharField(
        label="通知名称或文号",
        max_length=200,
        required=False,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知",
    )
    url = forms.URLField(label="通知网址", max_length=500, required=False, assume_scheme="https")
    text = forms.CharField(
        label="放假安排",
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
        help_text=(
            "把通知正文中的安排原样粘贴进来（每个节日一行），例如："
            "“七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。"
            "9月20日（周日）、10月10日（周六）上班。”；"
            "也可以简写为“国庆节 10-01~10-07 上班 09-20 10-10”。没有日期的行会被忽略。"
        ),
    )
    replace = forms.BooleanField(label="替换该年度已录入的日期", required=False, initial=True)
    complete = forms.BooleanField(
        label="该年度已完整录入（不再按临时结果计算）", required=False, initial=True
    )

    def clean(self):
        data = super().clean()
        if "year" in data and "text" in data:
            try:
                data["lines"] = workdays.parse_schedule(data["text"], data["year"])
            except ValidationError as exc:
                self.add_error("text", exc)
            else:
                if not data["lines"]:
                    self.add_error("text", "没有读到任何日期。")
        return data


def _preview(year: int, lines: list[workdays.ScheduleLine]) -> list[dict]:
    """Each holiday with its dates and weekdays, and what looks odd (to check by eye)."""

    def show(days):
        return [f"{d:%m-%d}（周{workdays.WEEKDAYS[d.weekday()]}）" for d in days]

    rows = []
    for line in lines:
        warnings = [
            f"{d:%Y-%m-%d} 属于{d.year}年，请确认"
            for d in line.holidays + line.workdays
            if d.year != year
        ]
        warnings += [f"调休上班日 {d:%m-%d} 不是周末" for d in line.workdays if d.weekday() < 5]
        rows.append(
            {
                "name": line.name,
                "line_no": line.line_no,
                "holidays": show(line.holidays),
                "workdays": show(line.workdays),
                "warnings": warnings,
            }
        )
    return rows
