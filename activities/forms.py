"""Forms of the activities app."""

from activities.models import SupportGroup
from core.forms import SearchableModelChoiceField, SpreadsheetUploadForm


class SupporterImportForm(SpreadsheetUploadForm):
    field_order = ["file", "group", "encoding", "sheet"]

    group = SearchableModelChoiceField(
        label="団体",
        queryset=SupportGroup.objects.none(),
        required=False,
        empty_label="（ファイルの「団体名」列に従う）",
        help_text="ファイルに団体の列がないとき、または空欄の行の団体。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = SupportGroup.objects.with_personal_data_for(
            user
        ).select_related("council__area")
