from django.contrib import admin

from audit.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read-only: an access record is evidence and is never edited."""

    list_display = ["at", "user", "action", "what", "area", "group", "rows", "address"]
    list_filter = ["action", "area", "at"]
    search_fields = ["what", "user__username"]
    list_select_related = ["user", "area", "group"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
