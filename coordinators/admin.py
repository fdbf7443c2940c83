from django.contrib import admin

from accounts.access import AdministratorImportMixin
from coordinators.models import CalendarToken, Coordinator
from coordinators.resources import CoordinatorResource
from core.admin import ReferenceImportExportMixin


@admin.register(Coordinator)
class CoordinatorAdmin(AdministratorImportMixin, ReferenceImportExportMixin, admin.ModelAdmin):
    resource_classes = [CoordinatorResource]
    list_display = [
        "number",
        "placement",
        "tier",
        "coverage_label",
        "supervises_all",
        "since",
        "user",
    ]
    list_filter = ["tier", "supervises_all", "district"]
    search_fields = ["placement", "coverage_label", "areas__name"]
    list_select_related = ["district", "user"]
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["user", "district", "areas"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    # The token itself is a secret: neither shown nor searchable here.
    fields = ["user", "created_at"]
    readonly_fields = ["created_at"]
