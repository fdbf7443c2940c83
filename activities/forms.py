"""Forms of the activities app."""

from django import forms

from activities.models import SupportGroup
from iwaki_support.forms import SpreadsheetUploadForm
from iwaki_support.roles import personal_data_areas


class SupporterImportForm(SpreadsheetUploadForm):
    field_order = ["file", "group", "encoding", "sheet"]

    group = forms.ModelChoiceField(
        label="団体",
        queryset=SupportGroup.objects.none(),
        required=False,
        empty_label="（ファイルの「団体名」列に従う）",
        help_text="ファイルに団体の列がないとき、または空欄の行の団体。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = SupportGroup.objects.in_areas(
            personal_data_areas(user)
        ).select_related("council__area")
