"""Admin pieces the domain apps share."""

from django.contrib import admin


class ChangeRecordAdmin(admin.ModelAdmin):
    """An audit trail (``core.models.ChangeRecord``) in the admin: to read, never to edit.
    Rows are written by the services that make the changes, and only there."""

    date_hierarchy = "created_at"
    list_select_related = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
