from django.contrib import admin
from import_export.admin import ImportMixin
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import ScopedAdminMixin
from accounts.roles import Role, role_of
from activities.models import (
    GroupService,
    KeyFigure,
    ProgrammeNote,
    Supporter,
    SupporterCount,
    SupporterImport,
    SupportGroup,
)
from activities.resources import SupporterFileFormat, SupporterResource
from core.spreadsheets import SpreadsheetError


class GroupServiceInline(admin.TabularInline):
    model = GroupService
    extra = 0
    filter_horizontal = ["help_categories"]


class SupporterCountInline(admin.TabularInline):
    model = SupporterCount
    extra = 0


@admin.register(SupportGroup)
class SupportGroupAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["district_label", "name", "model_number", "council"]
    list_filter = ["council__area__district", "council__area"]
    search_fields = ["name", "district_label", "model_label"]
    list_select_related = ["council__area"]
    inlines = [GroupServiceInline, SupporterCountInline]


@admin.register(GroupService)
class GroupServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "status", "position"]
    list_filter = ["status", "help_categories", "group__council__area"]
    search_fields = ["name", "group__name"]
    list_select_related = ["group"]
    filter_horizontal = ["help_categories"]


@admin.register(SupporterCount)
class SupporterCountAdmin(admin.ModelAdmin):
    list_display = ["group", "count", "as_of", "source"]
    list_filter = ["as_of"]
    search_fields = ["group__name", "source"]
    list_select_related = ["group"]


@admin.register(Supporter)
class SupporterAdmin(ScopedAdminMixin, ImportMixin, SimpleHistoryAdmin):
    """Import through the supporter import engine (README, "Supporter import").

    Straight to the database without the library's confirmation step: a clean file is
    imported in one transaction, a file with any error writes nothing, and no copy of the
    upload is left in a temporary folder. The import page (outside the admin) previews.
    """

    resource_classes = [SupporterResource]
    import_formats = [SupporterFileFormat]
    skip_import_confirm = True
    list_display = ["name", "kana", "group", "registered_on", "active"]
    list_filter = ["active", "group__council__area"]
    search_fields = ["name", "kana"]
    list_select_related = ["group"]
    filter_horizontal = ["help_categories"]

    def has_import_permission(self, request):
        return role_of(request.user) == Role.ADMINISTRATOR

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


@admin.register(SupporterImport)
class SupporterImportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: the record of an import is evidence."""

    list_display = ["at", "user", "source", "file_name", "rows", "created", "updated", "unchanged"]
    list_filter = ["source", "groups__council__area"]
    search_fields = ["file_name", "checksum"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(KeyFigure)
class KeyFigureAdmin(admin.ModelAdmin):
    list_display = ["label", "category", "display_value", "unit", "as_of_text", "source"]
    list_filter = ["category"]
    search_fields = ["label", "source", "note"]

    @admin.display(description="値")
    def display_value(self, obj):
        return obj.display_value


@admin.register(ProgrammeNote)
class ProgrammeNoteAdmin(admin.ModelAdmin):
    list_display = ["topic", "position", "__str__"]
    list_filter = ["topic"]
    search_fields = ["text"]
