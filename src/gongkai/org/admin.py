"""Back office for divisions, agencies and memberships.

Divisions and agency details stay with superusers. Memberships are staffed by whoever
holds 管理员 over the scope (org.staff has the rules; every save goes through it): a
scoped admin sees only the memberships in their scope and chooses among its agencies,
divisions and the active staff accounts, which they may also create."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from gongkai.core.admin_audit import AuditedAdminMixin

from . import staff
from .models import Agency, Division, Membership
from .permissions import agencies_for, has_role

# Agency fields a scoped admin sees read-only on the agency page (staffing happens inline).
AGENCY_FIELDS = tuple(
    f.name for f in Agency._meta.fields if f.editable and not f.auto_created and f.name != "id"
)


def _messages(exc: Exception) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


def _message(exc: Exception) -> str:
    return "；".join(_messages(exc))


def _user_label(user) -> str:
    name = user.get_full_name()
    return f"{user.get_username()}（{name}）" if name else user.get_username()


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


class MembershipForm(forms.ModelForm):
    """Asks org.staff whether the acting user may save this, so refusals show as form
    errors; the admin sets `actor` per request and saves through the services."""

    actor = None

    class Meta:
        model = Membership
        fields = ("user", "role", "agency", "division")

    def _value(self, name):
        if name in self.fields:
            return self.cleaned_data.get(name)
        return getattr(self.instance, name)  # read-only, or the inline's parent agency

    def clean(self):
        data = super().clean()
        if self.errors or (self.instance.pk and not self.has_changed()):
            return data
        user, role = self._value("user"), self._value("role")
        agency, division = self._value("agency"), self._value("division")
        if user is None or not role or bool(agency) == bool(division):
            return data  # Membership.clean reports a missing or double scope
        if division and role not in staff.DIVISION_ROLES:
            return data  # ditto
        scope = agency or division
        try:
            if self.instance.pk:
                stored = Membership.objects.get(pk=self.instance.pk)
                staff.check_change(self.actor, stored, role=role, scope=scope, user=user)
            else:
                staff.check_grant(self.actor, user, role, scope)
        except (PermissionDenied, ValidationError) as exc:
            raise ValidationError(_messages(exc)) from exc
        return data


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _user_label(obj)


def _staff_formfield(db_field, request, kwargs: dict) -> dict:
    """Scoped admins pick from active staff accounts (plain select: they have no access
    to the auth.User admin that autocomplete would need)."""
    if db_field.name == "user" and not request.user.is_superuser:
        kwargs["queryset"] = staff.staff_candidates()
        kwargs["form_class"] = StaffChoiceField
        kwargs["help_text"] = "没有账号的新同事，请先在“岗位角色”列表页点“新增工作人员”。"
    return kwargs


class MembershipFormSet(BaseInlineFormSet):
    actor = None

    def clean(self):
        super().clean()
        for form in self.forms:
            if form.instance.pk and self._should_delete_form(form):
                try:
                    staff.check_revoke(self.actor, Membership.objects.get(pk=form.instance.pk))
                except PermissionDenied as exc:
                    raise ValidationError(str(exc)) from exc


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    formset = MembershipFormSet
    extra = 0
    fk_name = "agency"
    fields = ("user", "role")
    verbose_name_plural = "岗位角色（本机关）"

    def get_queryset(self, request):
        # Django's inline asks for view permission without the agency; ours needs it.
        return staff.managed_memberships(request.user).select_related("user")

    def get_autocomplete_fields(self, request):
        return ("user",) if request.user.is_superuser else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = _staff_formfield(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = type("MembershipInlineForm", (self.form,), {"actor": request.user})
        kwargs["formset"] = type("MembershipFormSet", (self.formset,), {"actor": request.user})
        return super().get_formset(request, obj, **kwargs)

    def _manages(self, request, obj) -> bool:
        if request.user.is_superuser:
            return True
        return obj is not None and has_role(request.user, obj, staff.ADMIN_ROLES)

    def has_view_permission(self, request, obj=None):
        return self._manages(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._manages(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._manages(request, obj)


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
        # Agency admins may open the page to staff it; its own fields stay read-only.
        if request.user.is_superuser:
            return True
        if obj is None:
            return staff.managed_agencies(request.user).exists()
        return has_role(request.user, obj, staff.ADMIN_ROLES)

    has_add_permission = has_delete_permission = lambda self, request, obj=None: (
        request.user.is_superuser
    )

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return AGENCY_FIELDS

    def save_model(self, request, obj, form, change):
        if request.user.is_superuser:
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        deleted = [f for f in formset.deleted_forms if f.instance.pk]
        try:
            for inline in deleted:
                staff.revoke_membership(request.user, inline.instance)
                formset.deleted_objects.append(inline.instance)
            for inline in formset.forms:
                if inline in formset.deleted_forms or not inline.has_changed():
                    continue
                data = inline.cleaned_data
                if inline.instance.pk:
                    saved = staff.change_membership(
                        request.user, inline.instance, role=data["role"], user=data["user"]
                    )
                    formset.changed_objects.append((saved, inline.changed_data))
                else:
                    saved = staff.grant_membership(
                        request.user, data["user"], data["role"], form.instance
                    )
                    formset.new_objects.append(saved)
        except (PermissionDenied, ValidationError) as exc:
            # The form checked the same rules; reaching here means something changed meanwhile.
            raise PermissionDenied(_message(exc)) from exc


class StaffAccountForm(forms.Form):
    username = forms.CharField(
        label="用户名", max_length=150, help_text="登录用，字母、数字和 @ . + - _。"
    )
    display_name = forms.CharField(label="姓名", max_length=150)
    password = forms.CharField(
        label="初始密码",
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="至少10位，不能是常见密码、纯数字或与用户名、姓名相似。",
    )
    password2 = forms.CharField(
        label="再次输入密码", strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") != data["password"]:
            self.add_error("password2", "两次输入的密码不一致。")
        return data


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = MembershipForm
    list_display = ("user", "display_name", "role", "agency", "division", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "agency__name", "division__name")
    list_select_related = ("user", "agency", "division")
    change_list_template = "admin/org/membership/change_list.html"

    @admin.display(description="姓名")
    def display_name(self, obj):
        return obj.user.get_full_name()

    def get_queryset(self, request):
        return staff.managed_memberships(request.user).select_related("user", "agency", "division")

    def get_autocomplete_fields(self, request):
        return ("user", "agency", "division") if request.user.is_superuser else ()

    def get_readonly_fields(self, request, obj=None):
        # A scoped admin changes a role; moving it to someone else is revoke + grant.
        if obj is not None and not request.user.is_superuser:
            return ("user",)
        return ()

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not request.user.is_superuser and not staff.managed_divisions(request.user).exists():
            fields = [f for f in fields if f != "division"]  # an agency admin's empty choice
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = type("MembershipForm", (self.form,), {"actor": request.user})
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.name == "agency":
                kwargs["queryset"] = staff.managed_agencies(request.user)
            elif db_field.name == "division":
                kwargs["queryset"] = staff.managed_divisions(request.user)
        kwargs = _staff_formfield(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return staff.can_manage_staff(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return staff.can_manage_scope(request.user, staff.scope_of(obj))

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return staff.may_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        scope = data.get("agency") or data.get("division")
        try:
            if change:
                saved = staff.change_membership(
                    request.user, obj, role=data["role"], scope=scope, user=data.get("user")
                )
            else:
                saved = staff.grant_membership(request.user, data["user"], data["role"], scope)
        except (PermissionDenied, ValidationError) as exc:
            raise PermissionDenied(_message(exc)) from exc
        obj.pk, obj.created_at = saved.pk, saved.created_at

    def delete_model(self, request, obj):
        staff.revoke_membership(request.user, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for membership in queryset:
            staff.revoke_membership(request.user, membership)

    def get_urls(self):
        custom = [
            path(
                "add-staff/",
                self.admin_site.admin_view(self.add_staff_view),
                name="org_membership_add_staff",
            )
        ]
        return custom + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra = {"can_add_staff": staff.can_manage_staff(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def add_staff_view(self, request):
        """新增工作人员: a back-office account, then straight on to granting it a role."""
        if not staff.can_manage_staff(request.user):
            raise PermissionDenied("您没有权限新增工作人员账号。")
        form = StaffAccountForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                user = staff.create_staff_user(
                    request.user, data["username"], data["display_name"], data["password"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, f"已新增工作人员账号“{_user_label(user)}”，请为其分配岗位角色。"
                )
                return redirect(reverse("admin:org_membership_add") + f"?user={user.pk}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "新增工作人员",
            "form": form,
        }
        return TemplateResponse(request, "admin/org/membership/add_staff.html", context)
