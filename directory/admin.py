from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import ScopedAdminMixin
from core.admin import BoundedInlineMixin
from directory.models import ContactOffice, Entry, Schedule


class ScheduleInline(BoundedInlineMixin, admin.TabularInline):
    model = Schedule
    extra = 0


@admin.register(Entry)
class EntryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "area", "kind", "status", "is_published", "confirmed_on"]
    list_filter = ["is_published", "status", "kind", "area"]
    search_fields = ["name", "name_kana", "provider", "services"]
    list_select_related = ["area"]
    autocomplete_fields = ["support_group"]
    filter_horizontal = ["help_categories", "service_areas"]
    readonly_fields = ["public_id", "confirmed_by", "created_at", "updated_at"]
    inlines = [ScheduleInline]


@admin.register(ContactOffice)
class ContactOfficeAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["display_name", "coordinator", "phone", "hours"]
    list_select_related = ["coordinator"]
