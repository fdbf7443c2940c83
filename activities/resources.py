"""The reference tables of the activities app as spreadsheets for the admin (core.resources).

Support groups by name (their tier-3 council by name), services by group and position with
their help categories by name, reported supporter counts by group and date, key figures by
their key and year, the report's statements by topic, year and position.

Supporters are not here: the admin imports them through the supporter import engine
(``activities.imports`` and ``activities.services``), as the import page does.
"""

from activities.models import (
    GroupService,
    KeyFigure,
    ProgrammeNote,
    SupporterCount,
    SupportGroup,
)
from core.resources import ReferenceResource


class SupportGroupResource(ReferenceResource):
    constraint_messages = {
        "activities_supportgroup_model_number_range": (
            "model_number",
            "モデル地区番号は1から15までです。新しい団体は空欄にしてください。",
        ),
    }

    class Meta:
        model = SupportGroup
        fields = ["name", "council", "district_label", "model_number", "model_label", "note"]
        import_id_fields = ["name"]


class GroupServiceResource(ReferenceResource):
    class Meta:
        model = GroupService
        fields = ["group", "position", "name", "status", "help_categories"]
        import_id_fields = ["group", "position"]


class SupporterCountResource(ReferenceResource):
    class Meta:
        model = SupporterCount
        fields = ["group", "as_of", "count", "source"]
        import_id_fields = ["group", "as_of"]


class KeyFigureResource(ReferenceResource):
    class Meta:
        model = KeyFigure
        fields = [
            "key",
            "report_year",
            "category",
            "position",
            "label",
            "value",
            "unit",
            "fiscal_year",
            "as_of",
            "as_of_text",
            "source",
            "note",
        ]
        import_id_fields = ["key", "report_year"]


class ProgrammeNoteResource(ReferenceResource):
    class Meta:
        model = ProgrammeNote
        fields = ["topic", "report_year", "position", "text", "as_of", "source"]
        import_id_fields = ["topic", "report_year", "position"]
