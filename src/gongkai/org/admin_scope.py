"""Back-office permissions for objects owned by an agency (catalog items, records).

The admin's buttons and lists follow org.permissions; the services check again when
saving, so this only decides what the back office offers."""

from gongkai.org.permissions import EDIT_ROLES, VIEW_ROLES, agencies_for, has_role


class AgencyOwnedAdminMixin:
    """Viewing needs a view role in the object's agency; changing needs an edit role
    and the object in `editable_status` (published things go through the workflow);
    nothing is deleted (items are retired, records withdrawn)."""

    editable_status = "draft"

    def has_module_permission(self, request):
        return agencies_for(request.user, VIEW_ROLES).exists()

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return has_role(request.user, obj.agency, VIEW_ROLES)

    def has_add_permission(self, request):
        return agencies_for(request.user, EDIT_ROLES).exists()

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return agencies_for(request.user, EDIT_ROLES).exists()
        return obj.status == self.editable_status and has_role(request.user, obj.agency, EDIT_ROLES)

    def has_delete_permission(self, request, obj=None):
        return False
