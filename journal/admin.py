from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import ScopedAdminMixin
from journal.models import JournalEntry, YearNote


@admin.register(JournalEntry)
class JournalEntryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["done_on", "coordinator", "kind", "summary"]
    list_filter = ["kind", "coordinator", "areas"]
    search_fields = ["summary", "outcome"]
    date_hierarchy = "done_on"
    autocomplete_fields = ["group", "council"]
    filter_horizontal = ["areas"]
    list_select_related = ["coordinator"]


@admin.register(YearNote)
class YearNoteAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["coordinator", "fiscal_year", "issues_and_proposals"]
    list_filter = ["fiscal_year", "coordinator"]
    search_fields = ["issues_and_proposals"]
