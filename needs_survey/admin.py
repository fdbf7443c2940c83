from django.contrib import admin

from needs_survey.models import HelpCategory


@admin.register(HelpCategory)
class HelpCategoryAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]
    filter_horizontal = ["opinions"]
