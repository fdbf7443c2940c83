from django.contrib import admin

from coordinators.models import Coordinator


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
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
    filter_horizontal = ["areas"]
    autocomplete_fields = ["user"]
