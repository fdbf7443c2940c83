from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import AdministratorImportMixin, ScopedAdminMixin
from core.admin import ReferenceImportExportMixin
from councils.models import (
    Area,
    Council,
    District,
    FollowUp,
    Meeting,
    Membership,
    Opinion,
    OrganisationType,
    SchedulePhase,
)
from councils.resources import (
    AreaResource,
    CouncilResource,
    DistrictResource,
    MembershipResource,
    OrganisationTypeResource,
    SchedulePhaseResource,
)


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


@admin.register(District)
class DistrictAdmin(AdministratorImportMixin, ReferenceImportExportMixin, admin.ModelAdmin):
    resource_classes = [DistrictResource]
    list_display = ["name", "position"]
    search_fields = ["name"]
    inlines = [AreaInline]


@admin.register(Area)
class AreaAdmin(
    ScopedAdminMixin, AdministratorImportMixin, ReferenceImportExportMixin, admin.ModelAdmin
):
    resource_classes = [AreaResource]
    list_display = ["name", "district", "position"]
    list_filter = ["district"]
    search_fields = ["name"]
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["district"]
    list_select_related = ["district"]


@admin.register(OrganisationType)
class OrganisationTypeAdmin(AdministratorImportMixin, ReferenceImportExportMixin, admin.ModelAdmin):
    resource_classes = [OrganisationTypeResource]
    list_display = ["name", "position"]
    search_fields = ["name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Membership)
class MembershipAdmin(AdministratorImportMixin, ReferenceImportExportMixin, admin.ModelAdmin):
    resource_classes = [MembershipResource]
    list_display = ["council", "organisation_type", "members"]
    list_filter = ["organisation_type", "council__tier"]
    search_fields = ["council__name", "organisation_type__name"]
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["council"]
    list_select_related = ["council", "organisation_type"]


@admin.register(Council)
class CouncilAdmin(
    ScopedAdminMixin, AdministratorImportMixin, ReferenceImportExportMixin, SimpleHistoryAdmin
):
    resource_classes = [CouncilResource]
    list_display = ["name", "tier", "area", "is_established", "established_on"]
    list_filter = ["tier", "is_established", "area__district"]
    search_fields = ["name", "area__name", "note"]
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["area"]
    list_select_related = ["area"]
    inlines = [MembershipInline]


class OpinionInline(admin.StackedInline):
    model = Opinion
    extra = 0
    fields = ["position", "kind", "text", "status", "response"]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["council", "fiscal_year", "sequence", "status", "held_on", "planned_month"]
    list_filter = ["fiscal_year", "status", "council__tier", "council__area__district"]
    search_fields = ["council__name", "agenda", "summary", "venue"]
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["council"]
    list_select_related = ["council__area"]
    date_hierarchy = "held_on"
    filter_horizontal = ["organisations_present"]
    inlines = [OpinionInline, FollowUpInline]


@admin.register(Opinion)
class OpinionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "fiscal_year", "meeting", "kind", "status", "is_main", "position"]
    list_filter = ["fiscal_year", "kind", "status", "is_main"]
    search_fields = ["text", "response"]
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting__council"]
    raw_id_fields = ["follows"]


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "assignee", "due_on", "done"]
    list_filter = ["done"]
    search_fields = ["action", "assignee"]
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting__council"]


@admin.register(SchedulePhase)
class SchedulePhaseAdmin(AdministratorImportMixin, ReferenceImportExportMixin, admin.ModelAdmin):
    resource_classes = [SchedulePhaseResource]
    list_display = ["title", "fiscal_year", "sequence", "starts_in", "position"]
    list_filter = ["fiscal_year"]
    search_fields = ["title", "topics", "note"]
