"""The 13 help categories as a spreadsheet for the admin (core.resources), by number."""

from core.resources import ReferenceResource
from needs_survey.models import HelpCategory


class HelpCategoryResource(ReferenceResource):
    class Meta:
        model = HelpCategory
        fields = ["number", "name"]
        import_id_fields = ["number"]
