from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import AdministratorImportMixin, ScopedAdminMixin
from core.admin import BoundedInlineMixin, ReferenceImportExportMixin
from needs_survey.models import HelpCategory, Survey, SurveyResult
from needs_survey.resources import HelpCategoryResource


@admin.register(HelpCategory)
class HelpCategoryAdmin(AdministratorImportMixin, ReferenceImportExportMixin, admin.ModelAdmin):
    resource_classes = [HelpCategoryResource]
    list_display = ["number", "name"]
    search_fields = ["name"]
    # Searched, not listed: the opinions grow with every meeting.
    autocomplete_fields = ["opinions"]


class SurveyResultInline(BoundedInlineMixin, admin.TabularInline):
    model = SurveyResult
    extra = 0
    fields = ["category", "requests", "classification", "note"]


@admin.register(Survey)
class SurveyAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["council", "fiscal_year", "conducted_from", "respondents"]
    list_filter = ["fiscal_year", "council__tier", "council__area__district"]
    list_select_related = ["council"]
    search_fields = ["council__name", "note"]
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["council"]
    inlines = [SurveyResultInline]


@admin.register(SurveyResult)
class SurveyResultAdmin(SimpleHistoryAdmin):
    list_display = ["survey", "category", "requests", "classification"]
    list_filter = ["survey__fiscal_year", "classification", "category"]
    list_select_related = ["survey__council", "category"]
    search_fields = ["survey__council__name", "note"]
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["survey"]
